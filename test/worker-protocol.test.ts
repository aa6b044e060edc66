// The analysis worker: its protocol with the real worker_threads worker (dist/worker.js) and the
// real core — documents kept in step by content changes, stale versions dropped, a dead worker
// restarted — and the incremental re-parse, which must give exactly the findings of a fresh parse
// under random edit sequences (property test). The notebook tests are in worker-notebook.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';
import { AnalysisClient, type Log } from '../src/extension/worker/client';
import { IncrementalText } from '../src/extension/worker/document';
import { nodeWorkerTransport } from '../src/extension/worker/node-transport';
import { inProcessTransport } from '../src/extension/worker/transports';
import type { CheckAnswer, TextChange } from '../src/extension/worker/protocol';
import { FakeDocument, FakeLog, Uri } from './extension-vscode-fake';

const root = join(__dirname, '..', '..');
const WORKER = join(root, 'dist', 'worker.js');
const WASM = join(root, 'dist', 'wasm');

let enginePromise: Promise<Engine> | undefined;
const realEngine = (): Promise<Engine> => (enginePromise ??= Engine.create(nodeWasmLoader()));

const PYTORCH = `import torch
import torch.nn as nn

loss_fn = nn.CrossEntropyLoss()
logits = torch.tensor([[2.0, 4.0, 1.0]])
target = torch.tensor([1])
bad = loss_fn(torch.softmax(logits, dim=1), target)
`;

const settings = { select: [], ignore: [], severity: {} };

function edit(doc: FakeDocument, offset: number, length: number, text: string): TextChange {
  const c = doc.edit(offset, length, text);
  return { offset: c.rangeOffset, length: c.rangeLength, text: c.text, start: { line: c.range.start.line, character: c.range.start.character }, end: { line: c.range.end.line, character: c.range.end.character } };
}

const codes = (a: { ok: boolean; value?: CheckAnswer }) => (a.ok ? a.value!.files[0]!.findings.map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character}`) : 'stale');

function checkReq(doc: FakeDocument) {
  return { t: 'check' as const, target: { uri: doc.uri.toString(), version: doc.version }, settings, language: 'python' };
}

test('worker_threads worker: open, content changes, check; the tree is re-parsed incrementally', async () => {
  const log = new FakeLog();
  const client = new AnalysisClient(nodeWorkerTransport(WORKER), log as Log, { init: { t: 'init', wasm: { dir: WASM } } });
  try {
    await client.ready;
    const doc = new FakeDocument(PYTORCH, Uri.file('/ws/train.py'));
    const key = doc.uri.toString();
    client.sync(key, doc);
    const first = await client.check(checkReq(doc), new Map([[key, doc.version]]));
    assert.deepEqual(codes(first), ['SL001@6:14']);
    assert.equal(first.ok && first.value.parse, 'full');
    assert.equal(first.ok && first.value.analysis, 'full');
    // Rename `logits` on line 5 and its use: the worker applies the changes, re-parses with the old tree.
    const at = PYTORCH.indexOf('torch.softmax(logits');
    client.change(key, doc, [edit(doc, at + 'torch.softmax('.length, 'logits'.length, 'scores')], doc.getText().length);
    const second = await client.check(checkReq(doc), new Map([[key, doc.version]]));
    assert.equal(second.ok && second.value.parse, 'incremental');
    assert.deepEqual(codes(second), ['SL001@6:14']);
    // Deleting the softmax call: no finding.
    const s = doc.getText().indexOf('torch.softmax(scores, dim=1)');
    client.change(key, doc, [edit(doc, s, 'torch.softmax(scores, dim=1)'.length, 'scores')], doc.getText().length);
    assert.deepEqual(codes(await client.check(checkReq(doc), new Map([[key, doc.version]]))), []);
  } finally {
    client.dispose();
  }
});

test('stale versions are dropped: a check for version 1 sent before the change to version 2 is answered "stale"', async () => {
  const client = new AnalysisClient(inProcessTransport(realEngine()), new FakeLog() as Log, { init: { t: 'init', wasm: { dir: '' } } });
  await client.ready;
  const doc = new FakeDocument(PYTORCH);
  const key = doc.uri.toString();
  client.sync(key, doc);
  const old = client.check(checkReq(doc), new Map([[key, doc.version]]));
  client.change(key, doc, [edit(doc, 0, 0, '# edited\n')], doc.getText().length);
  const fresh = client.check(checkReq(doc), new Map([[key, doc.version]]));
  assert.deepEqual(await old, { ok: false, reason: 'stale' });
  assert.deepEqual(codes(await fresh), ['SL001@7:14']);
  // A lost change (the length after it does not match) makes the worker ask for the text again.
  client.change(key, doc, [{ offset: 0, length: 0, text: 'x', start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }], doc.getText().length);
  assert.deepEqual(codes(await client.check(checkReq(doc), new Map([[key, doc.version]]))), ['SL001@7:14']);
  client.dispose();
});

test('a worker that dies is restarted, with a line in the output channel; the documents are sent again', async () => {
  const log = new FakeLog();
  const workers: { terminate(): Promise<number> }[] = [];
  const client = new AnalysisClient(nodeWorkerTransport(WORKER, (w) => workers.push(w)), log as Log, { init: { t: 'init', wasm: { dir: WASM } } });
  try {
    await client.ready;
    const doc = new FakeDocument(PYTORCH);
    const key = doc.uri.toString();
    client.sync(key, doc);
    assert.deepEqual(codes(await client.check(checkReq(doc), new Map([[key, doc.version]]))), ['SL001@6:14']);
    // The worker dies on its own (not stopped by the client).
    await workers[0]!.terminate();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(client.started, 2);
    assert.ok(log.lines.some((l) => /^warn the analysis worker stopped \(exit code \d+\); restarting it$/.test(l)), log.lines.join('\n'));
    // The new worker has the document (sent again) and answers.
    assert.deepEqual(codes(await client.check(checkReq(doc), new Map([[key, doc.version]]))), ['SL001@6:14']);
  } finally {
    client.dispose();
  }
});

test('the worker crashing on a request: that request fails, the next ones are answered; too many crashes stop the restarts', async () => {
  const log = new FakeLog();
  const client = new AnalysisClient(inProcessTransport(realEngine()), log as Log, { init: { t: 'init', wasm: { dir: '' } }, maxRestarts: 2 });
  await client.ready;
  const doc = new FakeDocument(PYTORCH);
  const key = doc.uri.toString();
  client.sync(key, doc);
  // Make the next request "run" when the crash happens.
  const p = client.check(checkReq(doc), new Map([[key, doc.version]]));
  (client as unknown as { busy: number }).busy = 1;
  client.simulateCrash();
  await assert.rejects(p, /the analysis worker stopped \(simulated crash\) while answering this request/);
  // The same version is not analysed again (it may be what killed the worker) ...
  await assert.rejects(client.check(checkReq(doc), new Map([[key, doc.version]])), /not analysed again until it changes/);
  // ... a new version is.
  client.change(key, doc, [edit(doc, 0, 0, '\n')], doc.getText().length);
  assert.deepEqual(codes(await client.check(checkReq(doc), new Map([[key, doc.version]]))), ['SL001@7:14']);
  client.simulateCrash();
  client.simulateCrash();
  assert.ok(log.lines.some((l) => l.startsWith('error the analysis worker stopped (simulated crash) 3 times within a minute')), log.lines.join('\n'));
  await assert.rejects(client.check(checkReq(doc), new Map([[key, doc.version]])), /Stable Loss stops checking/);
  client.dispose();
});

// ---- incremental re-parse ≡ fresh parse -----------------------------------------------------------

const SNIPPETS = ['softmax', 'F.softmax(logits, dim=1)', 'loss_fn(', ')', '(', '\n', '\n    ', ' ', 'import torch.nn.functional as F\n', 'torch.log(', 'é😀', '"', '#', 'def f(x):\n    return x\n', 'probs', ', target)', '\r\n', ':'];
const BASE = readFileSync(join(root, 'test', 'fixtures', 'rules', 'SL001.py'), 'utf8');

test('property: after random edit sequences, the incremental tree and its findings are those of a fresh parse', async () => {
  const engine = await realEngine();
  const editArb = fc.record({ at: fc.nat(), len: fc.nat({ max: 40 }), text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 6 })) });
  fc.assert(
    fc.property(fc.array(editArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (edits, checkEvery) => {
      const doc = new FakeDocument(BASE);
      const inc = new IncrementalText(BASE, 'python');
      try {
        inc.tree(engine.parsers);
        edits.forEach((e, i) => {
          const text = doc.getText();
          const at = e.at % (text.length + 1);
          // Never split a CRLF or a surrogate pair (VS Code's positions never do).
          if (at > 0 && ((text[at - 1] === '\r' && text[at] === '\n') || /[\ud800-\udbff]/.test(text[at - 1]!))) return;
          let len = Math.min(e.len, text.length - at);
          while (len > 0 && /[\ud800-\udbff]/.test(text[at + len - 1]!)) len--;
          if (at + len < text.length && text[at + len - 1] === '\r' && text[at + len] === '\n') len++;
          inc.applyChange(edit(doc, at, len, e.text));
          assert.equal(inc.text, doc.getText());
          if (i % checkEvery === 0) inc.tree(engine.parsers);
        });
        const tree = inc.tree(engine.parsers);
        const fresh = engine.parsers.parse('python', doc.getText());
        try {
          assert.equal(tree.rootNode.toString(), fresh.rootNode.toString());
        } finally {
          fresh.delete();
        }
        const viaTree = engine.check(doc.getText(), { noPrefilter: true, tree: () => tree });
        const plain = engine.check(doc.getText(), { noPrefilter: true });
        assert.deepEqual(viaTree, plain);
      } finally {
        inc.dispose();
      }
    }),
    { numRuns: 60 },
  );
});

test('IncrementalText.setText (used for notebook programs) tells tree-sitter the changed middle; same tree as a fresh parse', async () => {
  const engine = await realEngine();
  fc.assert(
    fc.property(fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 30 }), text: fc.constantFrom(...SNIPPETS) }), { maxLength: 6 }), (edits) => {
      const inc = new IncrementalText(BASE, 'python');
      try {
        inc.tree(engine.parsers);
        let text = BASE;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.text + text.slice(Math.min(text.length, at + e.len));
          inc.setText(text);
        }
        const fresh = engine.parsers.parse('python', text);
        try {
          assert.equal(inc.tree(engine.parsers).rootNode.toString(), fresh.rootNode.toString());
        } finally {
          fresh.delete();
        }
      } finally {
        inc.dispose();
      }
    }),
    { numRuns: 40 },
  );
});

test('a large text goes to the worker in pieces (the host pauses between them); the worker joins them, in order with later messages', async () => {
  const transport = inProcessTransport(realEngine());
  const client = new AnalysisClient(transport, new FakeLog() as Log, { init: { t: 'init', wasm: { dir: '' } } });
  await client.ready;
  // One long string literal (a surrogate pair may fall on a piece boundary; the pieces are joined as they were).
  const doc = new FakeDocument(PYTORCH + 's = "' + 'é😀x'.repeat(300_000) + '"\n');
  const key = doc.uri.toString();
  client.sync(key, doc);
  // A change sent right after the text is applied after the last piece.
  client.change(key, doc, [edit(doc, 0, 0, '# top\n')], doc.getText().length);
  const a = await client.check(checkReq(doc), new Map([[key, doc.version]]));
  assert.deepEqual(codes(a), ['SL001@7:14']);
  assert.equal(transport.servers[0]!.document(key)!.text, doc.getText());
  client.dispose();
});

test("a lazily created engine (the worker's) loads a TypeScript/JavaScript grammar when a document first needs it; Python checks and hovers never load one", async () => {
  const engine = await Engine.create(nodeWasmLoader(), { lazy: true });
  const client = new AnalysisClient(inProcessTransport(engine), new FakeLog() as Log, { init: { t: 'init', wasm: { dir: '' } } });
  try {
    await client.ready;
    const py = new FakeDocument(PYTORCH, Uri.file('/ws/train.py'));
    client.sync(py.uri.toString(), py);
    assert.deepEqual(codes(await client.check(checkReq(py), new Map([[py.uri.toString(), py.version]]))), ['SL001@6:14']);
    const hover = await client.evaluate({ t: 'evaluate', target: { uri: py.uri.toString(), version: py.version }, offset: PYTORCH.indexOf('torch.tensor([[') + 2 }, new Map([[py.uri.toString(), py.version]]));
    assert.ok(hover.ok);
    assert.deepEqual(['typescript', 'tsx', 'javascript'].filter((g) => engine.hasGrammar(g as never)), []);
    // A TF.js file: the check waits for the TypeScript grammar, then answers as an eager engine does.
    const text = ["import * as tf from '@tensorflow/tfjs';", 'const logits = tf.tensor2d([[2, 4, 1]]);', "const labels = tf.oneHot(tf.tensor1d([1], 'int32'), 3);", 'const loss = tf.losses.softmaxCrossEntropy(labels, tf.softmax(logits));', ''].join('\n');
    const ts = new FakeDocument(text, Uri.file('/ws/train.ts'), 'typescript');
    client.sync(ts.uri.toString(), ts);
    const js = new FakeDocument(text, Uri.file('/ws/train.js'), 'javascript');
    client.sync(js.uri.toString(), js);
    // Both asked at once: each waits for its own grammar, and the Python check in between does not wait.
    const [a, b, c] = await Promise.all([
      client.check({ ...checkReq(ts), language: 'typescript' }, new Map([[ts.uri.toString(), ts.version]])),
      client.check({ ...checkReq(py), settings: { ...settings, ignore: ['SL003'] } }, new Map([[py.uri.toString(), py.version]])),
      client.check({ ...checkReq(js), language: 'javascript' }, new Map([[js.uri.toString(), js.version]])),
    ]);
    assert.deepEqual(codes(a), ['SL001@3:51']);
    assert.deepEqual(codes(b), ['SL001@6:14']);
    assert.deepEqual(codes(c), ['SL001@3:51']);
    assert.ok(engine.hasGrammar('typescript') && engine.hasGrammar('javascript'));
    assert.equal(engine.hasGrammar('tsx'), false);
  } finally {
    client.dispose();
  }
});
