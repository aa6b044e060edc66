// The VS Code adapter in-process: the real core behind a fake `vscode` namespace. Checks the
// conversions (ranges, severities, codes, related information), the code actions and the edits
// they carry (applied to a document, compared with the expected text), debounce and staleness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { Engine, type CheckResult, type Finding } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';
import { StableLossCodeActions } from '../src/extension/codeActions';
import { relatedUri } from '../src/extension/convert';
import { editorProject } from '../src/extension/project';
import { DiagnosticsController, type ControllerOptions } from '../src/extension/diagnostics';
import { readSettings, type ExtensionSettings } from '../src/extension/settings';
import { hasEvaluator, StableLossHover } from '../src/extension/hover';
import { AnalysisClient } from '../src/extension/worker/client';
import { inProcessTransport } from '../src/extension/worker/transports';
import type { ServerEngine, ServerOptions } from '../src/extension/worker/server';
import { applyWorkspaceEdit, CodeActionKind, Diagnostic, DiagnosticSeverity, fake, fakeConfig, FakeCollection, FakeDocument, FakeLog, MarkdownString, Position, Uri } from './extension-vscode-fake';

const PYTORCH = `import torch
import torch.nn as nn

loss_fn = nn.CrossEntropyLoss()
logits = torch.tensor([[2.0, 4.0, 1.0]])  # shape (1, 3)
target = torch.tensor([1])  # true class index
loss = loss_fn(logits, target)
bad = loss_fn(torch.softmax(logits, dim=1), target)
log_probs = torch.log(torch.softmax(logits, dim=1))
`;

let enginePromise: Promise<Engine> | undefined;
const realEngine = (): Promise<Engine> => (enginePromise ??= Engine.create(nodeWasmLoader()));

type CoreEngine = ServerEngine;

/**
 * An adapter over `engine` (the real core by default) behind the worker protocol, the server
 * in-process (test/worker-protocol.test.ts runs the real worker_threads worker); ready: the engine has loaded.
 */
async function setup(opts: { engine?: Promise<CoreEngine>; settings?: Record<string, unknown>; debounceMs?: number; rootsFor?: ControllerOptions['rootsFor']; projectFor?: ServerOptions['projectFor'] } = {}) {
  const collection = new FakeCollection();
  const log = new FakeLog();
  const settingsFor = (): ExtensionSettings => readSettings(fakeConfig(opts.settings ?? {}));
  const engine = opts.engine ?? realEngine();
  const client = new AnalysisClient(inProcessTransport(engine, { projectFor: opts.projectFor }), log, { init: { t: 'init', wasm: { dir: '' } } });
  const diagnostics = new DiagnosticsController(fake, client, collection as unknown as vscode.DiagnosticCollection, settingsFor, log, { debounceMs: opts.debounceMs ?? 300, rootsFor: opts.rootsFor });
  const actions = new StableLossCodeActions(fake, diagnostics, settingsFor);
  await client.ready;
  return { collection, log, diagnostics, actions, client };
}

type Doc = vscode.TextDocument;
const asDoc = (d: FakeDocument): Doc => d as unknown as Doc;
const quickFixContext = (diagnostics: Diagnostic[]) => ({ diagnostics, only: CodeActionKind.QuickFix, triggerKind: 1 }) as unknown as vscode.CodeActionContext;
const whole = new fake.Range(0, 0, 0, 0);

test('diagnostics: exact ranges, severity, source, code with doc link, related information', async () => {
  const { diagnostics } = await setup();
  const doc = new FakeDocument(PYTORCH);
  const checked = (await diagnostics.current(asDoc(doc)))!;
  const ds = checked.diagnostics as unknown as Diagnostic[];
  assert.deepEqual(
    ds.map((d) => [(d.code as { value: string }).value, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.severity, d.source]),
    [
      ['SL001', 7, 14, 7, 42, DiagnosticSeverity.Error, 'stable-loss'],
      ['SL003', 8, 12, 8, 51, DiagnosticSeverity.Warning, 'stable-loss'],
    ],
  );
  // The squiggle covers exactly the softmax call passed to the loss.
  const line7 = PYTORCH.split('\n')[7]!;
  assert.equal(line7.slice(14, 42), 'torch.softmax(logits, dim=1)');
  const code = ds[0]!.code as { value: string; target: Uri };
  assert.equal(code.target.toString(), 'https://github.com/stable-loss/stable-loss/blob/main/docs/rules/SL001-probabilities-into-logits-loss.md');
  assert.match(ds[0]!.message, /expects logits but receives softmax probabilities/);
  // Inline, the finding is on the softmax itself: no related location repeats it.
  assert.ok(!ds[0]!.relatedInformation?.length);
  // Through a variable, the related location points at the softmax.
  const viaVar = new FakeDocument(PYTORCH.replace('bad = loss_fn(torch.softmax(logits, dim=1), target)', 'probs = torch.softmax(logits, dim=1)\nbad = loss_fn(probs, target)'), Uri.file('/ws/via_variable.py'));
  const d2 = ((await diagnostics.current(asDoc(viaVar)))!.diagnostics as unknown as Diagnostic[])[0]!;
  const rel = d2.relatedInformation!;
  assert.equal(rel.length, 1);
  assert.equal(rel[0]!.message, 'softmax applied here');
  assert.equal(rel[0]!.location.uri.toString(), viaVar.uri.toString());
  assert.deepEqual([rel[0]!.location.range.start.line, rel[0]!.location.range.start.character, rel[0]!.location.range.end.character], [7, 8, 36]);
});

test('diagnostics: columns are UTF-16 code units after non-ASCII text (what VS Code positions use)', async () => {
  const { diagnostics } = await setup();
  const prefix = 'note = "é😀"; ';
  const text = PYTORCH.replace('bad = loss_fn(', `${prefix}bad = loss_fn(`);
  const checked = (await diagnostics.current(asDoc(new FakeDocument(text))))!;
  const d = checked.diagnostics[0]!;
  const line = text.split('\n')[7]!;
  assert.equal(d.range.start.character, line.indexOf('torch.softmax'));
  assert.equal(line.slice(d.range.start.character, d.range.end.character), 'torch.softmax(logits, dim=1)');
});

test('quick fix: the rule fix is preferred and rewrites the call to pass the logits', async () => {
  const { diagnostics, actions } = await setup();
  const doc = new FakeDocument(PYTORCH);
  const d = (await diagnostics.current(asDoc(doc)))!.diagnostics[0] as unknown as Diagnostic;
  const list = await actions.provideCodeActions(asDoc(doc), whole, quickFixContext([d]));
  assert.deepEqual(
    list.map((a) => [a.title, a.kind?.value, a.isPreferred ?? false]),
    [
      ['Pass the logits `logits` to `nn.CrossEntropyLoss`', 'quickfix', true],
      ['Ignore SL001 for this line', 'quickfix', false],
    ],
  );
  assert.deepEqual(list[0]!.diagnostics, [d]);
  const after = applyWorkspaceEdit(doc, list[0]!.edit as never);
  assert.equal(after, PYTORCH.replace('bad = loss_fn(torch.softmax(logits, dim=1), target)', 'bad = loss_fn(logits, target)'));
  assert.deepEqual(
    (await diagnostics.current(asDoc(doc)))!.findings.map((f) => f.code),
    ['SL003'],
  );
});

test('quick fix: "Ignore SL001 for this line" adds a noqa comment that silences the finding', async () => {
  const { diagnostics, actions } = await setup();
  const doc = new FakeDocument(PYTORCH);
  const d = (await diagnostics.current(asDoc(doc)))!.diagnostics[0] as unknown as Diagnostic;
  const ignore = (await actions.provideCodeActions(asDoc(doc), whole, quickFixContext([d]))).find((a) => a.title.startsWith('Ignore'))!;
  const after = applyWorkspaceEdit(doc, ignore.edit as never);
  assert.equal(after.split('\n')[7], 'bad = loss_fn(torch.softmax(logits, dim=1), target)  # noqa: SL001');
  assert.deepEqual(
    (await diagnostics.current(asDoc(doc)))!.findings.map((f) => f.code),
    ['SL003'],
  );
});

test('quick fixes only for our own diagnostics', async () => {
  const { diagnostics, actions } = await setup();
  const doc = new FakeDocument(PYTORCH);
  (await diagnostics.current(asDoc(doc)));
  const other = new Diagnostic(new fake.Range(7, 14, 7, 42) as never, 'from another linter');
  other.source = 'pylint';
  other.code = 'SL001';
  assert.deepEqual(await actions.provideCodeActions(asDoc(doc), whole, quickFixContext([other])), []);
});

test('source.fixAll.stable-loss: offered only when asked for, applies every safe fix', async () => {
  const { diagnostics, actions } = await setup();
  const doc = new FakeDocument(PYTORCH);
  const ds = (await diagnostics.current(asDoc(doc)))!.diagnostics as unknown as Diagnostic[];
  assert.equal((await actions.provideCodeActions(asDoc(doc), whole, quickFixContext(ds))).filter((a) => a.kind?.value.startsWith('source')).length, 0);
  for (const only of [CodeActionKind.SourceFixAll, CodeActionKind.SourceFixAll.append('stable-loss'), CodeActionKind.Source]) {
    const list = await actions.provideCodeActions(asDoc(doc), whole, { diagnostics: [], only, triggerKind: 1 } as unknown as vscode.CodeActionContext);
    assert.deepEqual(list.map((a) => [a.title, a.kind?.value]), [['Stable Loss: Fix all in file', 'source.fixAll.stable-loss']], `only=${only.value}`);
  }
  const list = await actions.provideCodeActions(asDoc(doc), whole, { diagnostics: [], only: CodeActionKind.SourceFixAll, triggerKind: 1 } as unknown as vscode.CodeActionContext);
  const after = applyWorkspaceEdit(doc, list[0]!.edit as never);
  assert.equal(
    after,
    PYTORCH.replace('bad = loss_fn(torch.softmax(logits, dim=1), target)', 'bad = loss_fn(logits, target)').replace(
      'log_probs = torch.log(torch.softmax(logits, dim=1))',
      'log_probs = torch.log_softmax(logits, dim=1)',
    ),
  );
  // Nothing left to fix: no action.
  assert.deepEqual(await actions.provideCodeActions(asDoc(doc), whole, { diagnostics: [], only: CodeActionKind.SourceFixAll, triggerKind: 1 } as unknown as vscode.CodeActionContext), []);
});

// A stub engine whose one finding carries an unsafe fix, to check labelling and the setting.
function unsafeEngine(calls: { n: number }): CoreEngine {
  return {
    check(text: string): CheckResult {
      calls.n++;
      const i = text.indexOf('probs');
      if (i < 0) return { findings: [], notes: [], parsed: true };
      const range = { start: { line: 0, character: i }, end: { line: 0, character: i + 5 }, startOffset: i, endOffset: i + 5 };
      const f: Finding = {
        code: 'SL009',
        name: 'logits-into-probability-loss',
        message: 'm',
        severity: 'error',
        range,
        fix: { applicability: 'unsafe', message: 'Apply softmax first', edits: [{ range, content: 'logits.softmax(1)' }] },
        related: [],
        url: 'https://example.invalid/SL009',
        noqaLine: 0,
      };
      return { findings: [f], notes: [], parsed: true };
    },
  };
}

test('unsafe fixes: labelled "(unsafe)", never preferred, applied by fix-all only with stableLoss.unsafeFixes', async () => {
  const calls = { n: 0 };
  const text = 'loss = nll(probs, y)\n';
  for (const unsafeFixes of [false, true]) {
    const { diagnostics, actions } = await setup({ engine: Promise.resolve(unsafeEngine(calls)), settings: { unsafeFixes } });
    const doc = new FakeDocument(text);
    const d = (await diagnostics.current(asDoc(doc)))!.diagnostics[0] as unknown as Diagnostic;
    const fix = (await actions.provideCodeActions(asDoc(doc), whole, quickFixContext([d])))[0]!;
    assert.equal(fix.title, 'Apply softmax first (unsafe)');
    assert.equal(fix.isPreferred, false);
    const all = await actions.provideCodeActions(asDoc(doc), whole, { diagnostics: [], only: CodeActionKind.SourceFixAll, triggerKind: 1 } as unknown as vscode.CodeActionContext);
    if (!unsafeFixes) assert.deepEqual(all, []);
    else assert.equal(applyWorkspaceEdit(doc, all[0]!.edit as never), 'loss = nll(logits.softmax(1), y)\n');
  }
});

test('edits are debounced: a burst of changes is checked once, for the last version', async () => {
  const calls = { n: 0 };
  const { diagnostics, collection } = await setup({ engine: Promise.resolve(unsafeEngine(calls)), debounceMs: 30 });
  const doc = new FakeDocument('x = 1\n');
  for (let i = 0; i < 5; i++) {
    doc.setText(i === 4 ? 'loss = nll(probs, y)\n' : `x = ${i}\n`);
    diagnostics.schedule(asDoc(doc));
  }
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(calls.n, 1);
  assert.equal(collection.get(doc.uri as never)!.length, 1);
  // Asking for the current findings of an edited document re-checks it at once.
  doc.setText('loss = 2\n');
  assert.equal((await diagnostics.current(asDoc(doc)))!.findings.length, 0);
  assert.equal(calls.n, 2);
  // Same version: served from the cache.
  (await diagnostics.current(asDoc(doc)));
  assert.equal(calls.n, 2);
});

test('a check for a closed document or a superseded request is dropped', async () => {
  const calls = { n: 0 };
  const { diagnostics, collection } = await setup({ engine: Promise.resolve(unsafeEngine(calls)), debounceMs: 10 });
  const doc = new FakeDocument('loss = nll(probs, y)\n');
  diagnostics.schedule(asDoc(doc));
  diagnostics.forget(doc.uri as never);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(calls.n, 0);
  assert.equal(collection.get(doc.uri as never), undefined);
});

test('settings: stableLoss.enable=false clears, severities and ignore reach the core', async () => {
  const off = await setup({ settings: { enable: false } });
  const doc = new FakeDocument(PYTORCH);
  assert.equal((await off.diagnostics.current(asDoc(doc))), undefined);
  const s = await setup({ settings: { 'rules.SL001.severity': 'info', ignore: ['SL003'] } });
  const ds = (await s.diagnostics.current(asDoc(doc)))!.diagnostics;
  assert.deepEqual(
    ds.map((d) => [(d.code as { value: string }).value, d.severity]),
    [['SL001', DiagnosticSeverity.Information]],
  );
  const s2 = await setup({ settings: { 'rules.SL001.severity': 'off', select: ['SL00'] } });
  assert.deepEqual((await s2.diagnostics.current(asDoc(doc)))!.findings.map((f) => f.code), ['SL003']);
});

test('settings are validated: unknown severities and non-string selectors are ignored', () => {
  const s = readSettings(fakeConfig({ 'rules.SL001.severity': 'loud', 'rules.SL003.severity': 'error', select: ['SL001', 3, ' '], ignore: 'SL003' }));
  assert.deepEqual(s.settings, { select: ['SL001'], ignore: [], severity: { SL003: 'error' } });
  assert.equal(s.enable, true);
  assert.equal(s.hover, true);
  assert.equal(s.unsafeFixes, false);
});

test('documents that are not Python, or are views of other text, are not checked', async () => {
  const { diagnostics } = await setup();
  assert.equal(await diagnostics.current(asDoc(new FakeDocument(PYTORCH, Uri.file('/ws/a.txt'), 'plaintext'))), undefined);
  assert.equal(await diagnostics.current(asDoc(new FakeDocument(PYTORCH, Uri.parse('git:/ws/train.py'), 'python'))), undefined);
  assert.equal((await diagnostics.current(asDoc(new FakeDocument(PYTORCH, Uri.parse('untitled:Untitled-1'), 'python'))))!.findings.length, 2);
});

test('an engine error is logged and clears the diagnostics, without throwing', async () => {
  const broken: CoreEngine = {
    check() {
      throw new Error('boom');
    },
  };
  const { diagnostics, log, collection } = await setup({ engine: Promise.resolve(broken) });
  const doc = new FakeDocument('x = 1\n');
  collection.set(doc.uri as never, [new Diagnostic(new fake.Range(0, 0, 0, 1) as never, 'old')]);
  assert.equal((await diagnostics.current(asDoc(doc))), undefined);
  assert.equal(collection.get(doc.uri as never), undefined);
  assert.ok(log.lines.some((l) => l.startsWith('error checking /ws/train.py failed: Error: boom')), log.lines.join('\n'));
});

test('TypeScript (TensorFlow.js): the language id reaches the core; "Ignore" writes `// noqa`', async () => {
  const { diagnostics, actions } = await setup();
  const text = [
    "import * as tf from '@tensorflow/tfjs';",
    'const logits = tf.tensor2d([[2, 4, 1]]);',
    "const labels = tf.oneHot(tf.tensor1d([1], 'int32'), 3);",
    'const loss = tf.losses.softmaxCrossEntropy(labels, tf.softmax(logits));',
    '',
  ].join('\n');
  // An untitled document: no file extension, only the language id says TypeScript.
  const doc = new FakeDocument(text, Uri.parse('untitled:Untitled-1'), 'typescript');
  const ds = (await diagnostics.current(asDoc(doc)))!.diagnostics as unknown as Diagnostic[];
  assert.deepEqual(
    ds.map((d) => [(d.code as { value: string }).value, d.range.start.line, d.range.start.character, d.range.end.character]),
    [['SL001', 3, 51, 69]],
  );
  const list = await actions.provideCodeActions(asDoc(doc), whole, quickFixContext(ds));
  assert.deepEqual(list.map((a) => a.title), ['Pass the logits `logits` to `tf.losses.softmaxCrossEntropy`', 'Ignore SL001 for this line']);
  const fixed = new FakeDocument(text, doc.uri, 'typescript');
  assert.equal(applyWorkspaceEdit(fixed, list[0]!.edit as never).split('\n')[3], 'const loss = tf.losses.softmaxCrossEntropy(labels, logits);');
  assert.equal(applyWorkspaceEdit(doc, list[1]!.edit as never).split('\n')[3], 'const loss = tf.losses.softmaxCrossEntropy(labels, tf.softmax(logits));  // noqa: SL001');
  assert.deepEqual((await diagnostics.current(asDoc(doc)))!.findings, []);
});

test('hover: the real engine evaluates the reference example: `loss` is tensor(0.1698)', async () => {
  const engine = await realEngine();
  assert.ok(hasEvaluator(engine), 'the engine has evaluate()');
  const { diagnostics } = await setup();
  const hover = new StableLossHover(fake, { evaluate: (d, o) => diagnostics.evaluate(d as never, o) }, () => readSettings(fakeConfig({})), new FakeLog());
  const doc = new FakeDocument(PYTORCH);
  const line = PYTORCH.split('\n').findIndex((l) => l.startsWith('loss = loss_fn(logits, target)'));
  const h = await hover.provideHover(doc as never, new Position(line, 1) as never) as unknown as { contents: MarkdownString; range: { start: Position; end: Position } };
  assert.ok(h, 'a hover');
  assert.match(h.contents.value, /tensor\(0\.1698\)/);
  assert.equal(h.contents.isTrusted, false);
  // The hover's range is the evaluated name.
  assert.deepEqual([h.range.start.line, h.range.start.character, h.range.end.line, h.range.end.character], [line, 0, line, 4]);
});

test('related information in other files: relative to the file, absolute on disk or in a virtual workspace', () => {
  const f = Uri.file('/ws/pkg/train.py');
  assert.equal(relatedUri(fake, f as never, undefined).toString(), 'file:///ws/pkg/train.py');
  assert.equal(relatedUri(fake, f as never, 'models.py').toString(), 'file:///ws/pkg/models.py');
  assert.equal(relatedUri(fake, f as never, '../lib/net.py').toString(), 'file:///ws/lib/net.py');
  assert.equal(relatedUri(fake, f as never, '/abs/net.py').toString(), 'file:///abs/net.py');
  const v = Uri.parse('vscode-vfs://github/org/repo/train.py');
  assert.equal(relatedUri(fake, v as never, '/org/repo/models.py').toString(), 'vscode-vfs://github/org/repo/models.py');
  assert.equal(relatedUri(fake, v as never, 'models.py').toString(), 'vscode-vfs://github/org/repo/models.py');
});

test('project: a model defined in another file is seen (SL002), pointing at it; an unsaved edit of that file counts', async () => {
  const root = join(__dirname, '..', '..', 'test', 'fixtures', 'project');
  const trainPath = join(root, 'pkg', 'train.py');
  const netPath = join(root, 'pkg', 'models', 'net.py');
  const { diagnostics } = await setup({ rootsFor: () => [root], projectFor: (roots, openText) => editorProject(roots, openText) });
  const train = new FakeDocument(readFileSync(trainPath, 'utf8'), Uri.file(trainPath));
  const ds = (await diagnostics.current(asDoc(train)))!.diagnostics as unknown as Diagnostic[];
  const sl002 = ds.find((d) => (d.code as { value: string }).value === 'SL002')!;
  assert.ok(sl002, ds.map((d) => d.message).join('\n'));
  const rel = sl002.relatedInformation!.find((r) => r.location.uri.toString() !== train.uri.toString())!;
  assert.equal(rel.location.uri.toString(), Uri.file(netPath).toString());
  assert.equal(rel.location.range.start.line, 12);
  // Open net.py with an unsaved edit making forward() return logits: after the recheck, no SL002.
  // (Opening it sends its text to the worker, where the project index reads open documents first.)
  const net = new FakeDocument(readFileSync(netPath, 'utf8').replace('return F.softmax(self.fc(x), dim=1)', 'return self.fc(x)'), Uri.file(netPath));
  await diagnostics.current(asDoc(net));
  diagnostics.recheckOthers(asDoc(net), [asDoc(train)]);
  assert.deepEqual(
    (await diagnostics.current(asDoc(train)))!.findings.map((f) => f.code),
    ['SL001'],
  );
  diagnostics.dispose();
});

test('a document over the limits is not sent to the worker: one line in the output channel, no diagnostics, no popup', async () => {
  const { diagnostics, log, collection, client } = await setup();
  const big = new FakeDocument(`import torch\n${'x = 1\n'.repeat(100_001)}`, Uri.file('/ws/big.py'));
  assert.equal(await diagnostics.current(asDoc(big)), undefined);
  assert.equal(await diagnostics.current(asDoc(big)), undefined);
  assert.equal(client.isSynced(big.uri.toString()), false);
  assert.equal(collection.get(big.uri as never), undefined);
  assert.deepEqual(log.lines.filter((l) => l.includes('big.py')), ['info /ws/big.py: not analysed: 100,003 lines (limit 100,000)']);
  // Back under the limit: checked again.
  big.setText(PYTORCH);
  assert.equal((await diagnostics.current(asDoc(big)))!.findings.length, 2);
});
