// The web bundle's analysis worker (dist/web/worker.js, a classic Web Worker script) run in a
// browser-like scope: a worker_threads worker where `self`, `postMessage` and `addEventListener`
// stand in for the Web Worker globals and Node's `process`/`require` are hidden. The host sends the
// wasm bytes (as web.ts does after reading them with VS Code's file system API).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AnalysisClient, type Log } from '../src/extension/worker/client';
import type { HostMessage, WorkerMessage } from '../src/extension/worker/protocol';
import { FakeDocument, FakeLog } from './extension-vscode-fake';

const root = join(__dirname, '..', '..');
const SCRIPT = join(root, 'dist', 'web', 'worker.js');
const WASM = ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm'];

const SHIM = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const source = require('node:fs').readFileSync(workerData, 'utf8');
const listeners = [];
globalThis.self = globalThis;
globalThis.location = { href: 'https://extension.invalid/dist/web/worker.js' };
globalThis.postMessage = (m) => parentPort.postMessage(m);
globalThis.addEventListener = (type, h) => { if (type === 'message') listeners.push(h); };
parentPort.on('message', (data) => { for (const h of listeners) h({ data }); });
// A browser has no process object: tree-sitter must take its web path.
Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
vm.runInThisContext(source, { filename: workerData });
`;

test('web worker bundle: loads the wasm it is sent and answers a check', async () => {
  const files = Object.fromEntries(WASM.map((f) => [f, new Uint8Array(readFileSync(join(root, 'dist', 'wasm', f)))]));
  const workers: Worker[] = [];
  const client = new AnalysisClient(
    (h) => {
      const w = new Worker(SHIM, { eval: true, workerData: SCRIPT });
      workers.push(w);
      w.on('message', (m: WorkerMessage) => h.message(m));
      w.on('error', (e) => h.exit(String(e)));
      return { post: (m: HostMessage) => w.postMessage(m), terminate: () => void w.terminate() };
    },
    new FakeLog() as Log,
    { init: { t: 'init', wasm: { files } } },
  );
  try {
    await client.ready;
    const doc = new FakeDocument('import torch\nloss = torch.nn.functional.cross_entropy(torch.softmax(x, dim=1), y)\n');
    client.sync(doc.uri.toString(), doc);
    const a = await client.check({ t: 'check', target: { uri: doc.uri.toString(), version: doc.version }, settings: { select: [], ignore: [], severity: {} }, language: 'python' }, new Map([[doc.uri.toString(), doc.version]]));
    assert.ok(a.ok);
    assert.deepEqual(a.value.files[0]!.findings.map((f) => f.code), ['SL001']);
  } finally {
    client.dispose();
    for (const w of workers) await w.terminate();
  }
});

test('web host without Web Workers: the engine runs in the extension host instead, and a line says so', async () => {
  const { Engine } = await import('../src/core');
  const { nodeWasmLoader } = await import('../src/node/wasm');
  const { inProcessTransport, webWorkerTransport } = await import('../src/extension/worker/transports');
  const log = new FakeLog();
  const refuse = () => {
    throw new Error('Creating workers from remote extensions is currently not supported.');
  };
  const client = new AnalysisClient(webWorkerTransport(Promise.resolve('/* worker */'), inProcessTransport(() => Engine.create(nodeWasmLoader())), refuse), log as Log, { init: { t: 'init', wasm: { dir: '' } } });
  await client.ready;
  const doc = new FakeDocument('import torch\nloss = torch.nn.functional.cross_entropy(torch.softmax(x, dim=1), y)\n');
  client.sync(doc.uri.toString(), doc);
  const a = await client.check({ t: 'check', target: { uri: doc.uri.toString(), version: doc.version }, settings: { select: [], ignore: [], severity: {} }, language: 'python' }, new Map([[doc.uri.toString(), doc.version]]));
  assert.ok(a.ok);
  assert.deepEqual(a.value.files[0]!.findings.map((f) => f.code), ['SL001']);
  assert.ok(log.lines.includes('warn no Web Worker in this extension host (Creating workers from remote extensions is currently not supported.): analysing on the extension host itself'), log.lines.join('\n'));
  client.dispose();
});
