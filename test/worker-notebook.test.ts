// Notebooks in the editor: the code cells of a notebook are checked as one program (a softmax in one
// cell flowing into a loss in a later cell is found, reported in the later cell, related information
// pointing at the earlier cell), with fixes, "Ignore" and hovers in cell coordinates. The adapter
// with the real core behind the worker protocol (server in-process) and a fake `vscode`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';
import { StableLossCodeActions } from '../src/extension/codeActions';
import { DiagnosticsController, type NotebookInfo } from '../src/extension/diagnostics';
import { StableLossHover } from '../src/extension/hover';
import { readSettings } from '../src/extension/settings';
import { AnalysisClient, type Log } from '../src/extension/worker/client';
import { inProcessTransport } from '../src/extension/worker/transports';
import { editorProject } from '../src/extension/project';
import { join } from 'node:path';
import { applyWorkspaceEdit, CodeActionKind, Diagnostic, fake, fakeConfig, FakeCollection, FakeDocument, FakeLog, MarkdownString, Position, Uri } from './extension-vscode-fake';

const NB = Uri.parse('file:///ws/train.ipynb');
const cellUri = (i: number) => Uri.parse(`vscode-notebook-cell:///ws/train.ipynb#cell${i}`);

/** Cell sources by notebook index; `null` is a markdown cell (not part of the program). */
const SOURCES: (string | null)[] = [
  'import torch\nimport torch.nn as nn\n',
  null,
  'logits = torch.tensor([[2.0, 4.0, 1.0]])\ntarget = torch.tensor([1])\nprobs = torch.softmax(logits, dim=1)\n',
  '%matplotlib inline\nloss_fn = nn.CrossEntropyLoss()\n',
  null,
  'loss = loss_fn(probs, target)\nok = loss_fn(logits, target)\n',
];

async function setup() {
  const engine = Engine.create(nodeWasmLoader());
  const cells = SOURCES.flatMap((s, index) => (s === null ? [] : [{ index, document: new FakeDocument(s, cellUri(index), 'python') }]));
  const notebook = { uri: NB, cells } as unknown as NotebookInfo;
  const collection = new FakeCollection();
  const log = new FakeLog();
  const settingsFor = () => readSettings(fakeConfig({}));
  const client = new AnalysisClient(inProcessTransport(engine), log as Log, { init: { t: 'init', wasm: { dir: '' } } });
  const diagnostics = new DiagnosticsController(fake, client, collection as unknown as vscode.DiagnosticCollection, settingsFor, log, {
    notebookFor: (doc) => (cells.some((c) => c.document.uri.toString() === doc.uri.toString()) ? notebook : undefined),
  });
  const actions = new StableLossCodeActions(fake, diagnostics, settingsFor);
  const hover = new StableLossHover(fake, { evaluate: (d, o) => diagnostics.evaluate(d as never, o) }, settingsFor, log);
  await client.ready;
  const cell = (i: number) => cells.find((c) => c.index === i)!.document;
  return { cells, cell, collection, diagnostics, actions, hover, client, log };
}

const asDoc = (d: FakeDocument) => d as unknown as vscode.TextDocument;

test('notebook: a softmax in cell 3 flowing into a loss in cell 6 is reported in cell 6, related information in cell 3', async () => {
  const { cell, collection, diagnostics, client } = await setup();
  const checked = (await diagnostics.current(asDoc(cell(5))))!;
  const ds = checked.diagnostics as unknown as Diagnostic[];
  assert.deepEqual(
    ds.map((d) => [(d.code as { value: string }).value, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]),
    [['SL001', 0, 15, 0, 20]],
  );
  const rel = ds[0]!.relatedInformation!;
  assert.equal(rel.length, 1);
  assert.equal(rel[0]!.location.uri.toString(), cellUri(2).toString());
  assert.deepEqual([rel[0]!.location.range.start.line, rel[0]!.location.range.start.character, rel[0]!.location.range.end.character], [2, 8, 36]);
  assert.equal(rel[0]!.message, 'softmax applied here (cell 3)');
  // One check set every code cell's diagnostics (the others have none).
  for (const i of [0, 2, 3]) assert.deepEqual(collection.get(cellUri(i) as never), [], `cell ${i}`);
  // Checked alone, cell 6 has no finding: the flow is across cells.
  const alone = new FakeDocument(SOURCES[5]!, Uri.file('/ws/cell6.py'));
  assert.deepEqual((await diagnostics.current(asDoc(alone)))!.findings, []);
  client.dispose();
});

test('notebook: quick fix and "Ignore" edit the cell; an edit in another cell re-checks the notebook', async () => {
  const { cell, diagnostics, actions, client } = await setup();
  const d = (await diagnostics.current(asDoc(cell(5))))!.diagnostics[0] as unknown as Diagnostic;
  const ctx = { diagnostics: [d], only: CodeActionKind.QuickFix, triggerKind: 1 } as unknown as vscode.CodeActionContext;
  const list = await actions.provideCodeActions(asDoc(cell(5)), new fake.Range(0, 0, 0, 0), ctx);
  assert.deepEqual(list.map((a) => a.title), ['Pass the logits `logits` to `nn.CrossEntropyLoss`', 'Ignore SL001 for this line']);
  const ignored = new FakeDocument(cell(5).getText(), cellUri(5), 'python');
  assert.equal(applyWorkspaceEdit(ignored, list[1]!.edit as never).split('\n')[0], 'loss = loss_fn(probs, target)  # noqa: SL001');
  assert.equal(applyWorkspaceEdit(cell(5), list[0]!.edit as never), 'loss = loss_fn(logits, target)\nok = loss_fn(logits, target)\n');
  diagnostics.changed(asDoc(cell(5)), []);
  assert.deepEqual((await diagnostics.current(asDoc(cell(5))))!.findings, []);
  // Cell 3 now passes probabilities under the name `logits`: the finding appears in cell 6 again.
  const c2 = cell(2);
  const at = c2.getText().indexOf('logits = torch.tensor');
  const change = c2.edit(at, 'logits'.length, 'raw');
  diagnostics.changed(asDoc(c2), [change as never]);
  const c2b = c2.getText().replace('torch.softmax(logits', 'torch.softmax(raw').replace('probs = ', 'logits = ');
  c2.setText(c2b);
  assert.deepEqual((await diagnostics.current(asDoc(cell(5))))!.findings.map((f) => [f.code, f.range.start.line]), [['SL001', 0], ['SL001', 1]]);
  client.dispose();
});

test('notebook: fix all in a cell applies the fixes of that cell only', async () => {
  const { cell, actions, client } = await setup();
  const r = (await actions.fixAll(asDoc(cell(5))))!;
  assert.equal(r.result.applied, 1);
  assert.equal(applyWorkspaceEdit(cell(5), r.edit as never), 'loss = loss_fn(logits, target)\nok = loss_fn(logits, target)\n');
  assert.equal(await actions.fixAll(asDoc(cell(2))), undefined);
  client.dispose();
});

test('notebook: hover evaluates a cell with the cells above it (`loss` is tensor(0.1698))', async () => {
  const { cell, hover, client } = await setup();
  const h = (await hover.provideHover(asDoc(cell(5)) as never, new Position(1, 1) as never)) as unknown as { contents: MarkdownString; range: { start: Position; end: Position } };
  assert.ok(h, 'a hover');
  assert.match(h.contents.value, /tensor\(0\.1698\)/);
  assert.deepEqual([h.range.start.line, h.range.start.character, h.range.end.line, h.range.end.character], [1, 0, 1, 2]);
  client.dispose();
});

test('notebook on disk: a model imported from another file of its project is followed (SL002 in the cell, related information in that file)', async () => {
  const root = join(__dirname, '..', '..', 'test', 'fixtures', 'project');
  const nbUri = Uri.file(join(root, 'scripts', 'explore.ipynb'));
  const cells = ['import torch\nimport torch.nn as nn\nfrom pkg import Net\n', 'loss = nn.CrossEntropyLoss()(Net()(torch.randn(2, 16)), torch.tensor([0, 1]))\n'].map((s, index) => ({
    index,
    document: new FakeDocument(s, Uri.parse(`vscode-notebook-cell://${nbUri.path}#cell${index}`), 'python'),
  }));
  const notebook = { uri: nbUri, cells } as unknown as NotebookInfo;
  const log = new FakeLog();
  const settingsFor = () => readSettings(fakeConfig({}));
  const client = new AnalysisClient(inProcessTransport(Engine.create(nodeWasmLoader()), { projectFor: (roots, openText) => editorProject(roots, openText) }), log as Log, { init: { t: 'init', wasm: { dir: '' } } });
  const diagnostics = new DiagnosticsController(fake, client, new FakeCollection() as unknown as vscode.DiagnosticCollection, settingsFor, log, {
    notebookFor: (doc) => (cells.some((c) => c.document.uri.toString() === doc.uri.toString()) ? notebook : undefined),
    // the desktop host's rule: Python documents on disk read the workspace folders
    rootsFor: (doc) => (doc.uri.scheme === 'file' && doc.languageId === 'python' ? [root] : undefined),
  });
  await client.ready;
  try {
    const cell = asDoc(cells[1]!.document);
    assert.equal(diagnostics.usesProject(cell), true);
    const ds = (await diagnostics.current(cell))!.diagnostics as unknown as Diagnostic[];
    assert.deepEqual(ds.map((d) => [(d.code as { value: string }).value, d.range.start.line]), [['SL002', 0]]);
    const rel = ds[0]!.relatedInformation!.map((r) => r.location.uri.toString());
    assert.ok(rel.includes(Uri.file(join(root, 'pkg', 'models', 'net.py')).toString()), rel.join('\n'));
  } finally {
    client.dispose();
  }
});
