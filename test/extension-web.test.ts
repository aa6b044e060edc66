// The web host (and non-file: documents on desktop): `[tool.stable-loss]` read through VS Code's
// asynchronous file system API, and the project index over files the extension host reads for the
// worker. In-process: the real core and worker server behind the fake `vscode`, a virtual workspace
// (vscode-vfs://github/o/r, as vscode.dev opens a GitHub repository) held in memory. Each result
// is compared with what the desktop (Node resolvers over the same tree on disk) gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type * as vscode from 'vscode';
import { Engine } from '../src/core';
import { prefixedPosixPaths } from '../src/core/analysis/modules';
import { nodeWasmLoader } from '../src/node/wasm';
import { FileSystemProject } from '../src/node/project';
import { relatedUri } from '../src/extension/convert';
import { DiagnosticsController } from '../src/extension/diagnostics';
import { ProjectConfigs } from '../src/extension/projectConfig';
import { readSettings } from '../src/extension/settings';
import { AnalysisClient } from '../src/extension/worker/client';
import { inProcessTransport } from '../src/extension/worker/transports';
import { WorkspaceProjectConfigs } from '../src/extension/workspaceConfig';
import { decodeModule, keyOf, locate, WorkspaceFiles, type WorkspaceApi } from '../src/extension/workspaceFiles';
import { fake, fakeConfig, FakeCollection, FakeDocument, FakeLog, Uri, type Diagnostic } from './extension-vscode-fake';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'project');
const ROOT = 'vscode-vfs://github/o/r';

/** A virtual workspace: files by path under one scheme/authority; counts reads. */
class VirtualWorkspace implements WorkspaceApi {
  readonly files = new Map<string, string>();
  readonly reads: string[] = [];
  readonly workspaceFolders: { uri: vscode.Uri }[];
  constructor(readonly root = Uri.parse(ROOT)) {
    this.workspaceFolders = [{ uri: root as unknown as vscode.Uri }];
  }
  put(rel: string, text: string): void {
    this.files.set(`${(this.root as Uri).path}/${rel}`, text);
  }
  remove(rel: string): void {
    this.files.delete(`${(this.root as Uri).path}/${rel}`);
  }
  uri(rel: string): Uri {
    return Uri.parse(`${ROOT}/${rel}`);
  }
  readonly fs = {
    stat: async (uri: vscode.Uri) => {
      const t = this.files.get(uri.path);
      if (t !== undefined) return { type: 1, size: Buffer.byteLength(t) };
      if ([...this.files.keys()].some((k) => k.startsWith(`${uri.path}/`))) return { type: 2, size: 0 };
      throw new Error('FileNotFound');
    },
    readFile: async (uri: vscode.Uri) => {
      this.reads.push(uri.path);
      const t = this.files.get(uri.path);
      if (t === undefined) throw new Error('FileNotFound');
      return new TextEncoder().encode(t);
    },
  };
  getWorkspaceFolder(uri: vscode.Uri): { uri: vscode.Uri } | undefined {
    const r = this.root as Uri;
    return uri.scheme === r.scheme && uri.authority === r.authority && (uri.path === r.path || uri.path.startsWith(`${r.path}/`)) ? this.workspaceFolders[0] : undefined;
  }
}

/** The fixture project (test/fixtures/project) copied into a virtual workspace. */
function fixtureWorkspace(): VirtualWorkspace {
  const ws = new VirtualWorkspace();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else ws.put(relative(FIXTURES, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(FIXTURES);
  return ws;
}

let enginePromise: Promise<Engine> | undefined;
const realEngine = (): Promise<Engine> => (enginePromise ??= Engine.create(nodeWasmLoader()));

async function setup(ws: VirtualWorkspace) {
  const log = new FakeLog();
  const collection = new FakeCollection();
  const configs = new WorkspaceProjectConfigs(ws, log);
  const settingsFor = (doc: { uri: vscode.Uri }) => readSettings(fakeConfig({}), configs.forDocument(doc));
  const client = new AnalysisClient(inProcessTransport(realEngine()), log, { init: { t: 'init', wasm: { dir: '' } } });
  const files = new WorkspaceFiles(ws);
  const diagnostics = new DiagnosticsController(fake, client, collection as unknown as vscode.DiagnosticCollection, settingsFor, log, {
    debounceMs: 10,
    workspaceFiles: { locate: (doc) => locate(ws, doc.uri), files },
    configReady: (doc) => configs.ready(doc),
  });
  await client.ready;
  return { log, collection, configs, client, diagnostics, files };
}

const asDoc = (d: FakeDocument) => d as unknown as vscode.TextDocument;
const open = (ws: VirtualWorkspace, rel: string, text?: string) => new FakeDocument(text ?? ws.files.get(`${(ws.root as Uri).path}/${rel}`)!, ws.uri(rel));
const lines = (ds: readonly { range: { start: { line: number } }; code?: unknown }[]) => ds.map((d) => `${d.range.start.line + 1}:${typeof d.code === 'object' ? (d.code as { value: string }).value : (d as { code: string }).code}`);

// ---- [tool.stable-loss] -------------------------------------------------------------------------

const SL001_AND_SL003 = 'import torch\nimport torch.nn.functional as F\nloss = F.cross_entropy(torch.softmax(x, dim=1), y)\nlp = torch.log(torch.softmax(x, dim=1))\n';

test('web config: the nearest pyproject.toml with our table applies; it is awaited before the first check (no diagnostics with the wrong config)', async () => {
  const ws = new VirtualWorkspace();
  ws.put('pyproject.toml', '[tool.stable-loss]\nignore = ["SL001"]\n');
  ws.put('sub/pyproject.toml', '[project]\nname = "not ours"\n'); // no table: the walk goes on up
  const { diagnostics, collection } = await setup(ws);
  const doc = open(ws, 'sub/deep/train.py', SL001_AND_SL003);
  // The very first check waits for the lookup: only SL003 is ever shown.
  const c = await diagnostics.current(asDoc(doc));
  assert.deepEqual(lines(c!.findings.map((f) => ({ range: f.range, code: f.code }))), ['4:SL003']);
  assert.deepEqual(lines(collection.get(doc.uri as never)!), ['4:SL003']);
  // read once per folder: sub/deep, sub, the root; cached afterwards
  assert.deepEqual(ws.reads, ['/o/r/sub/deep/pyproject.toml', '/o/r/sub/pyproject.toml', '/o/r/pyproject.toml']);
  await diagnostics.current(asDoc(new FakeDocument(SL001_AND_SL003, ws.uri('sub/other.py'))));
  assert.equal(ws.reads.length, 3);
  diagnostics.dispose();
});

test('web config: a changed pyproject.toml applies after reset (the watcher / save path); a broken one is one line and the defaults apply', async () => {
  const ws = new VirtualWorkspace();
  ws.put('pyproject.toml', '[tool.stable-loss]\nignore = ["SL003"]\n');
  const { diagnostics, configs, log } = await setup(ws);
  const doc = open(ws, 'train.py', SL001_AND_SL003);
  assert.deepEqual((await diagnostics.current(asDoc(doc)))!.findings.map((f) => f.code), ['SL001']);
  // edited: select only SL003
  ws.put('pyproject.toml', '[tool.stable-loss]\nselect = ["SL003"]\n');
  configs.reset();
  diagnostics.reset();
  assert.deepEqual((await diagnostics.current(asDoc(doc)))!.findings.map((f) => f.code), ['SL003']);
  // broken: defaults (both rules), one output line however often it is read
  ws.put('pyproject.toml', '[tool.stable-loss]\nselect = ["SL003"\n');
  configs.reset();
  diagnostics.reset();
  assert.deepEqual((await diagnostics.current(asDoc(doc)))!.findings.map((f) => f.code), ['SL001', 'SL003']);
  diagnostics.reset();
  doc.setText(doc.getText() + '\n');
  assert.deepEqual((await diagnostics.current(asDoc(doc)))!.findings.map((f) => f.code), ['SL001', 'SL003']);
  const warned = log.lines.filter((l) => l.startsWith('warn '));
  assert.equal(warned.length, 1, warned.join('\n'));
  assert.match(warned[0]!, /^warn vscode-vfs:\/\/github\/o\/r\/pyproject\.toml:\d+:\d+: invalid TOML: .* \(using the defaults\)$/);
  // Changed again while a check waits for the lookup: the check waits for the new lookup too.
  ws.put('pyproject.toml', '[tool.stable-loss]\nignore = ["SL001"]\n');
  configs.reset();
  diagnostics.reset();
  const pending = diagnostics.current(asDoc(doc)); // has read the file above; not settled
  ws.put('pyproject.toml', '[tool.stable-loss]\nignore = ["SL003"]\n');
  configs.reset();
  assert.deepEqual((await pending)!.findings.map((f) => f.code), ['SL001']);
  diagnostics.dispose();
});

test('web config: the same configs and the same warnings as the desktop resolver over the same tree', async () => {
  const cases: Record<string, string>[] = [
    { 'pyproject.toml': '[tool.stable-loss]\nselect = ["SL00"]\nignore = ["softmax-fed-to-cross-entropy"]\n[tool.stable-loss.severity]\nSL005 = "error"\n' },
    { 'pyproject.toml': '[tool.stable-loss]\nselct = ["SL001"]\nignore = "SL002"\nextend-select = ["SL999"]\n[tool.stable-loss.severity]\nSL003 = "loud"\n' },
    { 'pyproject.toml': '\ufeff[tool.stable-loss]\nignore = ["SL001"]\n', 'a/pyproject.toml': '# mentions stable-loss in a comment only\n[project]\nname = "x"\n' },
    { 'pyproject.toml': '[tool.stable-loss]\nignore = ["SL001"]\n', 'a/pyproject.toml': 'this is [not toml\n' }, // not ours: skipped although broken
    { 'a/pyproject.toml': '[tool.stable-loss]\nignore = [1, 2]\n' },
    { 'a/pyproject.toml': '[tool.stable-loss]\nignore = ["SL001"\n' },
    { 'a/pyproject.toml': 'tool = { stable-loss = 3 }\n' },
  ];
  for (const files of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'sl-web-config-'));
    const ws = new VirtualWorkspace();
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
      ws.put(rel, text);
    }
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    const desktopWarnings: string[] = [];
    const webWarnings: string[] = [];
    const desktop = new ProjectConfigs({ warn: (m) => desktopWarnings.push(m) }).forDocument({ uri: Uri.file(join(dir, 'a', 'b', 'train.py')) as never });
    const web = new WorkspaceProjectConfigs(ws, { warn: (m) => webWarnings.push(m) });
    const doc = { uri: ws.uri('a/b/train.py') as unknown as vscode.Uri };
    assert.equal(web.forDocument(doc), null); // pending
    await web.ready(doc);
    assert.equal(web.ready(doc), undefined);
    assert.deepEqual(web.forDocument(doc), desktop, JSON.stringify(files));
    assert.deepEqual(
      webWarnings.map((w) => w.replace(ROOT, '<root>')),
      desktopWarnings.map((w) => w.split(dir).join('<root>')),
      JSON.stringify(files),
    );
  }
});

test('web config: an untitled document next to a folder gets the folder root\'s config; a cell URI itself gets none (activate.ts asks with its notebook\'s URI)', async () => {
  const ws = new VirtualWorkspace();
  ws.put('pyproject.toml', '[tool.stable-loss]\nignore = ["SL001"]\n');
  const configs = new WorkspaceProjectConfigs(ws, new FakeLog());
  const untitled = { uri: Uri.parse('untitled:Untitled-1') as unknown as vscode.Uri };
  await configs.ready(untitled);
  assert.deepEqual(configs.forDocument(untitled)?.ignore, ['SL001']);
  const cell = { uri: Uri.parse('vscode-notebook-cell://github/o/r/nb.ipynb') as unknown as vscode.Uri };
  assert.equal(configs.ready(cell), undefined);
  assert.equal(configs.forDocument(cell), null);
});

// ---- the project index ----------------------------------------------------------------------------

/** What the desktop gives for a fixture file: findings with line, code and the related file. */
async function desktopResult(rel: string): Promise<string[]> {
  const engine = await realEngine();
  const file = join(FIXTURES, rel);
  const r = engine.check(readFileSync(file, 'utf8'), { path: file, project: new FileSystemProject([FIXTURES]) });
  return r.findings.map((f) => `${f.range.start.line + 1}:${f.code}:${f.related.filter((x) => x.path).map((x) => `${relative(FIXTURES, x.path!).split('\\').join('/')}@${x.range.start.line}`).join(',')}`);
}

function webResult(ds: Diagnostic[], doc: Uri): string[] {
  return ds.map((d) => {
    const other = (d.relatedInformation ?? []).filter((r) => r.location.uri.toString() !== doc.toString());
    return `${d.range.start.line + 1}:${(d.code as { value: string }).value}:${other.map((r) => `${r.location.uri.toString().slice(ROOT.length + 1)}@${r.location.range.start.line}`).join(',')}`;
  });
}

for (const rel of ['pkg/train.py', 'scripts/train_abs.py']) {
  test(`web project index: ${rel} gives the desktop's findings (relative and absolute imports, re-exports, an import cycle, a missing and a broken module)`, async () => {
    const ws = fixtureWorkspace();
    const { diagnostics, log } = await setup(ws);
    const doc = open(ws, rel);
    const c = await diagnostics.current(asDoc(doc));
    const want = await desktopResult(rel);
    assert.ok(want.length >= 2);
    assert.deepEqual(webResult(c!.diagnostics as unknown as Diagnostic[], doc.uri), want, log.lines.join('\n'));
    // Every file was read once at most (the worker keeps what it was sent).
    assert.equal(new Set(ws.reads).size, ws.reads.length, ws.reads.join('\n'));
    // A second check reads nothing new.
    const before = ws.reads.length;
    diagnostics.recheck([asDoc(doc)]);
    doc.setText(doc.getText() + '\n');
    await diagnostics.current(asDoc(doc));
    assert.equal(ws.reads.length, before);
    diagnostics.dispose();
  });
}

test('web project index: a module added after the first check is seen once the host says it changed', async () => {
  const ws = new VirtualWorkspace();
  const train = 'import torch.nn as nn\nfrom helpers import Net\nloss = nn.CrossEntropyLoss()(Net()(x), y)\n';
  ws.put('train.py', train);
  const { diagnostics, client } = await setup(ws);
  const doc = open(ws, 'train.py');
  assert.deepEqual((await diagnostics.current(asDoc(doc)))!.findings, []); // helpers.py is missing: unknown, silent
  ws.put('helpers.py', 'import torch.nn as nn\nimport torch.nn.functional as F\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return F.softmax(x, dim=1)\n');
  // What activate.ts does on the watcher's create event: the worker forgets the key, open documents are checked again.
  client.files([], [keyOf(ws.uri('helpers.py') as never)]);
  diagnostics.recheck([asDoc(doc)]);
  const after = await diagnostics.current(asDoc(doc));
  assert.deepEqual(after!.findings.map((f) => f.code), ['SL002']);
  assert.equal(after!.diagnostics[0]!.relatedInformation!.some((r) => r.location.uri.toString() === `${ROOT}/helpers.py`), true);
  // Changed again to return logits: forgotten and re-read.
  ws.put('helpers.py', 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n');
  client.files([], [keyOf(ws.uri('helpers.py') as never)]);
  diagnostics.recheck([asDoc(doc)]);
  assert.deepEqual((await diagnostics.current(asDoc(doc)))!.findings, []);
  // Deleted (a folder's deletion drops everything under it).
  ws.put('helpers.py', 'import torch.nn as nn\nimport torch.nn.functional as F\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return F.softmax(x, dim=1)\n');
  client.files([], [ROOT]);
  diagnostics.recheck([asDoc(doc)]);
  assert.deepEqual((await diagnostics.current(asDoc(doc)))!.findings.map((f) => f.code), ['SL002']);
  diagnostics.dispose();
});

test('web project index: an open document\'s unsaved text wins over the file', async () => {
  const ws = fixtureWorkspace();
  const { diagnostics } = await setup(ws);
  const train = open(ws, 'pkg/train.py');
  assert.deepEqual((await diagnostics.current(asDoc(train)))!.findings.map((f) => f.code), ['SL002', 'SL001']);
  const net = open(ws, 'pkg/models/net.py', ws.files.get('/o/r/pkg/models/net.py')!.replace('return F.softmax(self.fc(x), dim=1)', 'return self.fc(x)'));
  await diagnostics.current(asDoc(net));
  diagnostics.recheckOthers(asDoc(net), [asDoc(train)]);
  assert.deepEqual((await diagnostics.current(asDoc(train)))!.findings.map((f) => f.code), ['SL001']);
  diagnostics.dispose();
});

test('web project index: a long import chain is bounded by the depth limit; a file importing hundreds of modules stops at the read budget with one line', async () => {
  const ws = new VirtualWorkspace();
  // 40 modules each importing the next: the depth limit (4) bounds what is analysed, so what is read.
  for (let i = 0; i < 40; i++) ws.put(`m${i}.py`, `from m${i + 1} import f\n`);
  ws.put('train.py', 'import torch.nn as nn\nfrom m0 import f\nloss = nn.CrossEntropyLoss()(f(x), y)\n');
  const { diagnostics, log } = await setup(ws);
  assert.deepEqual((await diagnostics.current(asDoc(open(ws, 'train.py'))))!.findings, []);
  assert.ok(ws.reads.length <= 6, ws.reads.join('\n'));
  // 300 modules imported by one file: 256 files read for this check, then one line.
  for (let i = 0; i < 300; i++) ws.put(`w${i}.py`, 'x = 1\n');
  const wide = open(ws, 'wide.py', `import torch.nn as nn\n${Array.from({ length: 300 }, (_, i) => `from w${i} import x as x${i}\n`).join('')}loss = nn.CrossEntropyLoss()(y, z)\n`);
  const c = await diagnostics.current(asDoc(wide));
  assert.deepEqual(c!.findings, []);
  const stopped = log.lines.filter((l) => l.includes('the project index stopped reading'));
  assert.equal(stopped.length, 1, log.lines.join('\n'));
  assert.match(stopped[0]!, /wide\.py: the project index stopped reading other files \(\d+ rounds, 256 files\)/);
  assert.ok(!log.lines.some((l) => l.startsWith('error')), log.lines.join('\n'));
  diagnostics.dispose();
});

test('web project index: paths, keys and decoding', () => {
  const p = prefixedPosixPaths('vscode-vfs://github');
  assert.equal(p.dirname('vscode-vfs://github/o/r/pkg/a.py'), 'vscode-vfs://github/o/r/pkg');
  assert.equal(p.dirname('vscode-vfs://github/o'), 'vscode-vfs://github/');
  assert.equal(p.dirname('vscode-vfs://github/'), 'vscode-vfs://github/');
  assert.equal(p.join('vscode-vfs://github/', 'pkg', 'a'), 'vscode-vfs://github/pkg/a');
  assert.equal(p.join('vscode-vfs://github/o/r', '__init__.py'), 'vscode-vfs://github/o/r/__init__.py');
  const ws = new VirtualWorkspace();
  const loc = locate(ws, ws.uri('pkg/train.py') as never)!;
  assert.deepEqual({ prefix: loc.prefix, path: loc.path, roots: loc.roots, dir: loc.dir.toString(), stop: loc.stop?.toString() }, { prefix: 'vscode-vfs://github', path: `${ROOT}/pkg/train.py`, roots: [ROOT], dir: `${ROOT}/pkg`, stop: ROOT });
  const untitled = locate(ws, Uri.parse('untitled:Untitled-2') as never)!;
  assert.equal(untitled.path, `${ROOT}/Untitled-2`);
  assert.equal(locate(new VirtualWorkspace(), Uri.parse('vscode-notebook-cell://github/o/r/a.ipynb') as never), undefined);
  // related locations named by key, from the document or from an untitled one
  assert.equal(relatedUri(fake, ws.uri('train.py') as never, `${ROOT}/pkg/models/net.py`).toString(), `${ROOT}/pkg/models/net.py`);
  assert.equal(relatedUri(fake, Uri.parse('untitled:Untitled-1') as never, `${ROOT}/net.py`).toString(), `${ROOT}/net.py`);
  // decoding as the CLI reads modules
  assert.equal(decodeModule(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 'a');
  assert.equal(decodeModule(new Uint8Array([0x61, 0, 0x62])), null);
  assert.equal(decodeModule(new Uint8Array([0xff])), null);
});
