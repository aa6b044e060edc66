// The web host's wiring (activate.ts with the web entry's Host: no disk access at all): a fake VS Code
// with a virtual workspace (vscode-vfs://github/o/r), its file watchers and document events, and the
// real core behind the in-process worker. What a user sees in the Problems panel after: opening a
// file, a pyproject.toml changed (watcher) or broken (saved), a model changed, a module created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';
import { activateWith } from '../src/extension/activate';
import { inProcessTransport } from '../src/extension/worker/transports';
import { fake, fakeConfig, FakeCollection, FakeDocument, FakeLog, Uri } from './extension-vscode-fake';

const ROOT = 'vscode-vfs://github/o/r';

type Handler<T> = (e: T) => unknown;
function emitter<T>() {
  const hs: Handler<T>[] = [];
  const event = (h: Handler<T>) => {
    hs.push(h);
    return { dispose: () => hs.splice(hs.indexOf(h), 1) };
  };
  return Object.assign(event, { fire: (e: T) => hs.forEach((h) => h(e)) });
}

function fakeVSCode() {
  const files = new Map<string, string>();
  const root = Uri.parse(ROOT);
  const folder = { uri: root, name: 'r', index: 0 };
  const log = new FakeLog();
  const collection = new FakeCollection();
  const watchers = new Map<string, { onDidCreate: ReturnType<typeof emitter<Uri>>; onDidChange: ReturnType<typeof emitter<Uri>>; onDidDelete: ReturnType<typeof emitter<Uri>> }>();
  const events = { open: emitter<unknown>(), change: emitter<unknown>(), nbChange: emitter<unknown>(), save: emitter<unknown>(), close: emitter<unknown>(), config: emitter<unknown>(), deleteFiles: emitter<unknown>() };
  const textDocuments: FakeDocument[] = [];
  const noop = { dispose() {} };
  const workspace = {
    fs: {
      stat: async (uri: Uri) => {
        if (files.has(uri.path)) return { type: 1, size: files.get(uri.path)!.length };
        if ([...files.keys()].some((k) => k.startsWith(`${uri.path}/`))) return { type: 2, size: 0 };
        throw new Error('FileNotFound');
      },
      readFile: async (uri: Uri) => {
        const t = files.get(uri.path);
        if (t === undefined) throw new Error('FileNotFound');
        return new TextEncoder().encode(t);
      },
    },
    workspaceFolders: [folder],
    getWorkspaceFolder: (uri: Uri) => (uri.scheme === root.scheme && uri.authority === root.authority && uri.path.startsWith(`${root.path}/`) ? folder : undefined),
    textDocuments,
    notebookDocuments: [] as unknown[],
    getConfiguration: () => fakeConfig({}),
    onDidOpenTextDocument: events.open,
    onDidChangeTextDocument: events.change,
    onDidChangeNotebookDocument: events.nbChange,
    onDidSaveTextDocument: events.save,
    onDidCloseTextDocument: events.close,
    onDidChangeConfiguration: events.config,
    onDidDeleteFiles: events.deleteFiles,
    createFileSystemWatcher: (glob: string) => {
      const w = { onDidCreate: emitter<Uri>(), onDidChange: emitter<Uri>(), onDidDelete: emitter<Uri>(), dispose() {} };
      watchers.set(glob, w);
      return w;
    },
    applyEdit: async () => true,
  };
  const vs = {
    ...(fake as object),
    NotebookCellKind: { Markup: 1, Code: 2 },
    workspace,
    window: { createOutputChannel: () => Object.assign(log, { show() {}, dispose() {} }), setStatusBarMessage: () => noop, activeTextEditor: undefined },
    languages: { createDiagnosticCollection: () => Object.assign(collection, { dispose() {} }), registerCodeActionsProvider: () => noop, registerHoverProvider: () => noop },
    commands: { registerCommand: () => noop },
  };
  const put = (rel: string, text: string) => files.set(`${root.path}/${rel}`, text);
  const openDoc = (rel: string) => {
    const d = new FakeDocument(files.get(`${root.path}/${rel}`)!, Uri.parse(`${ROOT}/${rel}`));
    textDocuments.push(d);
    return d;
  };
  const codes = (d: FakeDocument) => (collection.get(d.uri as never) ?? []).map((x) => `${x.range.start.line + 1}:${(x.code as { value: string }).value}:${x.severity}`);
  /** A notebook at `rel` whose code cells hold `sources` (cell URIs: vscode-notebook-cell:, the notebook's path + #cN). */
  const openNotebook = (rel: string, sources: string[]) => {
    const cells = sources.map((src, index) => {
      const document = new FakeDocument(src, Uri.parse(`vscode-notebook-cell://github/o/r/${rel}#c${index}`));
      textDocuments.push(document);
      return { index, kind: 2, document };
    });
    workspace.notebookDocuments.push({ uri: Uri.parse(`${ROOT}/${rel}`), getCells: () => cells });
    return cells.map((c) => c.document);
  };
  return { vs: vs as unknown as Parameters<typeof activateWith>[0], log, collection, watchers, events, put, openDoc, openNotebook, codes, uri: (rel: string) => Uri.parse(`${ROOT}/${rel}`) };
}

async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const SOFTMAX_NET = 'import torch.nn as nn\nimport torch.nn.functional as F\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return F.softmax(x, dim=1)\n';
const LOGITS_NET = 'import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n';
const TRAIN = 'import torch\nimport torch.nn as nn\nfrom models import Net\n\nloss = nn.CrossEntropyLoss()(Net()(x), y)\nlp = torch.log(torch.softmax(x, dim=1))\n';
const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);

test('web host wiring: pyproject.toml and other files through vscode.workspace.fs, watchers and saves re-read them', async () => {
  const f = fakeVSCode();
  f.put('pyproject.toml', '[tool.stable-loss]\nignore = ["SL003"]\n[tool.stable-loss.severity]\nSL002 = "warning"\n');
  f.put('models.py', SOFTMAX_NET);
  f.put('train.py', TRAIN);
  const train = f.openDoc('train.py');
  const context = { subscriptions: [] as { dispose(): unknown }[] };
  const engine = Engine.create(nodeWasmLoader());
  activateWith(f.vs, context as unknown as vscode.ExtensionContext, { name: 'web', worker: { factory: inProcessTransport(engine), init: { t: 'init', wasm: { dir: '' } } } });
  try {
    // SL002 through models.py, as a warning (Warning = 1); SL003 ignored.
    await until('SL002 as a warning, no SL003', () => same(f.codes(train), ['5:SL002:1']));
    // pyproject.toml changed on disk (the watcher): SL003 back, SL002 an error again.
    f.put('pyproject.toml', '[tool.stable-loss]\nignore = []\n');
    f.watchers.get('**/pyproject.toml')!.onDidChange.fire(f.uri('pyproject.toml'));
    await until('SL002 (error) and SL003 after the pyproject.toml change', () => same(f.codes(train), ['5:SL002:0', '6:SL003:1']));
    // models.py changed to return logits (the watcher): SL002 goes.
    f.put('models.py', LOGITS_NET);
    f.watchers.get('**/*.py')!.onDidChange.fire(f.uri('models.py'));
    await until('no SL002 once models.py returns logits', () => same(f.codes(train), ['6:SL003:1']));
    // A module that does not exist yet, then is created.
    f.put('train2.py', 'import torch.nn as nn\nfrom extra import Net\n\nloss = nn.CrossEntropyLoss()(Net()(x), y)\n');
    const train2 = f.openDoc('train2.py');
    f.events.open.fire(train2);
    await until('train2.py checked', () => f.collection.get(train2.uri as never));
    assert.deepEqual(f.codes(train2), []);
    f.put('extra.py', SOFTMAX_NET);
    f.watchers.get('**/*.py')!.onDidCreate.fire(f.uri('extra.py'));
    await until('SL002 once extra.py exists', () => same(f.codes(train2), ['4:SL002:0']));
    // SL003 made an error (saved in the editor), then a broken pyproject.toml saved: one output line, the defaults apply.
    f.put('pyproject.toml', '[tool.stable-loss.severity]\nSL003 = "error"\n');
    f.events.save.fire({ uri: f.uri('pyproject.toml'), languageId: 'toml' });
    await until('SL003 as an error', () => same(f.codes(train), ['6:SL003:0']));
    f.put('pyproject.toml', '[tool.stable-loss]\nignore = ["SL003"\n');
    f.events.save.fire({ uri: f.uri('pyproject.toml'), languageId: 'toml' });
    await until('a line about the broken pyproject.toml', () => f.log.lines.some((l) => l.includes('invalid TOML')));
    await until('the defaults after the broken pyproject.toml', () => same(f.codes(train), ['6:SL003:1']));
    assert.equal(f.log.lines.filter((l) => l.startsWith('warn ')).length, 1, f.log.lines.join('\n'));
    assert.ok(!f.log.lines.some((l) => l.startsWith('error')), f.log.lines.join('\n'));
  } finally {
    for (const s of context.subscriptions) s.dispose();
  }
});

test('web host wiring: a notebook cell gets its notebook\'s pyproject.toml config (cells are not files)', async () => {
  const f = fakeVSCode();
  f.put('pyproject.toml', '[tool.stable-loss.severity]\nSL003 = "error"\n');
  f.put('nb.ipynb', '{}');
  const [first, second] = f.openNotebook('nb.ipynb', ['import torch\n', 'lp = torch.log(torch.softmax(x, dim=1))\n']);
  const context = { subscriptions: [] as { dispose(): unknown }[] };
  const engine = Engine.create(nodeWasmLoader());
  activateWith(f.vs, context as unknown as vscode.ExtensionContext, { name: 'web', worker: { factory: inProcessTransport(engine), init: { t: 'init', wasm: { dir: '' } } } });
  try {
    // SL003 is a warning (1) by default; the notebook's pyproject.toml makes it an error (0).
    await until('SL003 as an error in the second cell', () => same(f.codes(second), ['1:SL003:0']));
    assert.deepEqual(f.codes(first), []);
    f.put('pyproject.toml', '[tool.stable-loss]\nignore = []\n');
    f.watchers.get('**/pyproject.toml')!.onDidChange.fire(f.uri('pyproject.toml'));
    await until('SL003 a warning again after the pyproject.toml change', () => same(f.codes(second), ['1:SL003:1']));
  } finally {
    for (const s of context.subscriptions) s.dispose();
  }
});
