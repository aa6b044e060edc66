// The editor's incremental re-analysis (src/core/incremental.ts, `CheckOptions.session`) gives the
// result of a fresh check: random edit sequences (typing and deleting characters, line breaks,
// indentation, comments, whole lines and statements at top level and in functions, undo) on every
// Python file of the tests and examples and on generated training scripts, each edit applied as the
// worker applies it (IncrementalText: tree.edit + incremental re-parse, the document's session),
// compared with a check of a fresh parse without a session: findings with messages, ranges, related
// information and fixes, and notes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EditSession, Engine } from '../src/core';
import { sameIgnoringOffsets } from '../src/core/incremental';
import { lowerPython } from '../src/core/python/lower';
import { nodeWasmLoader } from '../src/node/wasm';
import { IncrementalText } from '../src/extension/worker/document';
import { trainingScript } from '../bench/script';
import { pyFiles } from './helpers/files';

const root = join(__dirname, '..', '..');


// Long comment runs, which the parser hides from tree-sitter (at top level and in a function).
const run = (indent: string, n: number) => Array.from({ length: n }, (_, i) => `${indent}# note ${i}\n`).join('');
const commentRuns = `import torch\nimport torch.nn.functional as F\n${run('', 40)}x = F.softmax(z, dim=1)\n${run('', 33)}\ndef f(a):\n    p = torch.softmax(a, 1)\n${run('    ', 36)}    return torch.log(p)\n${run('', 31)}loss = F.nll_loss(torch.log(x), y)\n`;

function lineStarts(text: string): number[] {
  const s = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) s.push(i + 1);
  return s;
}

/** A random edit of `text` (the kinds an editor sends while someone types). */
function randomEdit(text: string, rnd: (n: number) => number): string {
  const starts = lineStarts(text);
  const line = rnd(starts.length);
  const ls = starts[line]!;
  const le = line + 1 < starts.length ? starts[line + 1]! : text.length;
  const indent = /^[ \t]*/.exec(text.slice(ls, le))![0];
  const at = rnd(text.length + 1);
  const chars = ['x', ' ', '(', ')', ':', '\n', '"', '#', '\\', '[', '=', ',', '1', '.', '\t', 'é', '😀', '    '];
  const statements = [
    'p = F.softmax(logits, dim=1)',
    'loss = nn.CrossEntropyLoss()(p, y)',
    'x = torch.log(torch.softmax(z, dim=-1))',
    'def f(a):\n' + indent + '    return torch.softmax(a, 1)',
    'import torch.nn.functional as F',
    'pass',
    '...',
    'criterion = nn.CrossEntropyLoss()',
    'if x:\n' + indent + '    y = 1',
    '# a comment',
  ];
  switch (rnd(12)) {
    case 0:
    case 1:
    case 2: // type a character
      return text.slice(0, at) + chars[rnd(chars.length)] + text.slice(at);
    case 3: // delete a few characters
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + rnd(4)));
    case 4: // whitespace only: a space, a blank line, a trailing comment
      return text.slice(0, at) + [' ', '\n', '  # note', '\n\n'][rnd(4)] + text.slice(at);
    case 5: // delete a line
      return text.slice(0, ls) + text.slice(le);
    case 6: // duplicate a line
      return text.slice(0, le) + (le === text.length && !text.endsWith('\n') ? '\n' : '') + text.slice(ls, le) + text.slice(le);
    case 7:
    case 8: // a statement at this line's indentation (top level or in a function)
      return text.slice(0, ls) + indent + statements[rnd(statements.length)] + '\n' + text.slice(ls);
    case 9: // a statement at top level
      return text.slice(0, ls) + statements[rnd(statements.length)] + '\n' + text.slice(ls);
    case 10: // indent or dedent a line
      return rnd(2) ? text.slice(0, ls) + '    ' + text.slice(ls) : text.slice(0, ls) + text.slice(ls).replace(/^ {1,4}/, '');
    default: // replace a word
      return text.slice(0, at) + text.slice(at).replace(/^\w+/, ['logits', 'probs', 'x', 'softmax', 'log_softmax', 'y'][rnd(6)]!);
  }
}

test('incremental checks (session + incremental tree) equal fresh checks after every random edit', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  const fresh = await Engine.create(nodeWasmLoader());
  let seed = 11;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const files = [...pyFiles(join(root, 'test')), ...pyFiles(join(root, 'examples'))].map((f) => [f, readFileSync(f, 'utf8')] as const);
  files.push(['training script, 300 lines', trainingScript(300)], ['training script, 1,000 lines', trainingScript(1000)]);
  files.push(['comment runs', commentRuns]);
  assert.ok(files.length >= 40, 'the Python files of the tests were found');
  let checks = 0;
  let analysisReused = 0;
  let rewalked = 0;
  let statementsReused = 0;
  for (const [name, original] of files) {
    let text = original;
    const doc = new IncrementalText(text, 'python');
    const history: string[] = [];
    const edits = name.startsWith('training script') ? 120 : name === 'comment runs' ? 150 : 30;
    try {
      for (let k = 0; k <= edits; k++) {
        if (k > 0) {
          // mostly new edits, sometimes an undo
          history.push(text);
          text = rnd(8) === 0 && history.length > 1 ? history[history.length - 2]! : randomEdit(text, rnd);
          doc.setText(text);
        }
        const got = engine.check(text, { noPrefilter: true, tree: () => doc.tree(engine.parsers), session: doc.session });
        const tree = fresh.parsers.parse('python', text, null);
        let want;
        try {
          want = fresh.check(text, { noPrefilter: true, tree: () => tree });
        } finally {
          tree.delete();
        }
        assert.deepEqual(got, want, `${name}: edit ${k}\n--- text ---\n${text}`);
        checks++;
        if (doc.session.stats.analysisReused) analysisReused++;
        if (doc.session.stats.functionRewalked) rewalked++;
        statementsReused += doc.session.stats.statementsReused;
      }
    } finally {
      doc.dispose();
    }
  }
  // The reuse paths ran (a test that never reused would prove nothing).
  assert.ok(checks > 1500, `${checks} checks`);
  assert.ok(analysisReused > 100, `analysis reused ${analysisReused} times`);
  assert.ok(rewalked >= 20, `one function walked again ${rewalked} times`);
  assert.ok(statementsReused > 10_000, `${statementsReused} statements reused`);
});

test('the reused IR equals a fresh lowering of the edited text (offsets included; comment runs too)', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  for (const start of [trainingScript(200), commentRuns + trainingScript(60) + commentRuns]) {
  const session = new EditSession();
  let text = start;
  let seed = 5;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let k = 0; k < 150; k++) {
    const tree = engine.parsers.parse('python', text);
    try {
      const { module } = session.lower(text, tree.rootNode, {});
      const want = lowerPython(tree.rootNode);
      assert.deepEqual(JSON.parse(JSON.stringify(module)), JSON.parse(JSON.stringify(want)), `edit ${k}`);
      // (an analysis, so that the next lowering may keep it)
      session.analysed({ module } as never);
    } finally {
      tree.delete();
    }
    text = randomEdit(text, rnd);
  }
  }
});

test('sameIgnoringOffsets compares everything but offsets', () => {
  const a = { k: 'call', fn: { k: 'name', id: 'f', s: 0, e: 1 }, args: [], argsS: 1, argsE: 3, s: 0, e: 3 };
  assert.ok(sameIgnoringOffsets(a, { ...a, s: 7, e: 10, argsS: 8, argsE: 10, fn: { k: 'name', id: 'f', s: 7, e: 8 } }));
  assert.ok(!sameIgnoringOffsets(a, { ...a, fn: { k: 'name', id: 'g', s: 0, e: 1 } }));
  assert.ok(!sameIgnoringOffsets(a, { ...a, args: [{ value: { k: 'num', value: 1, isFloat: false, raw: '1', s: 2, e: 3 }, s: 2, e: 3 }] }));
  assert.ok(!sameIgnoringOffsets({ k: 'num', value: 1, raw: '1', s: 0, e: 1 }, { k: 'num', value: 1, raw: '1.', s: 0, e: 2 }));
  assert.ok(!sameIgnoringOffsets({ k: 'x', s: 0 }, { k: 'x', s: 0, asname: undefined }));
});

test('values the analysis made up (a hand-written softmax as a producer) follow an edit before them', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  const fresh = await Engine.create(nodeWasmLoader());
  const session = new EditSession();
  const body = 'import torch\nimport torch.nn as nn\n\np = torch.exp(x) / torch.exp(x).sum(dim=1, keepdim=True)\nloss = nn.CrossEntropyLoss()(p, y)\n';
  let related = 0;
  for (const prefix of ['', '\n', '\n\n# moved\n', ' \n']) {
    const text = prefix + body;
    const got = engine.check(text, { session });
    assert.deepEqual(got, fresh.check(text, { tree: () => fresh.parsers.parse('python', text, null) }));
    related += got.findings.reduce((n, f) => n + f.related.length, 0);
  }
  assert.ok(session.stats.analysisReused);
  assert.ok(related >= 4, 'the finding points at the hand-written softmax');
});

test('an analysis that read another file of the project is not reused (that file may have changed)', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  const session = new EditSession();
  let models = 'import torch.nn as nn\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n';
  const project = { resolve: (_from: string, module: string) => (module === 'models' ? { path: '/p/models.py', text: models } : undefined) };
  const text = 'import torch.nn as nn\nfrom .models import Net\nmodel = Net()\nloss = nn.CrossEntropyLoss()(model(x), y)\n';
  assert.equal(engine.check(text, { path: '/p/train.py', project, session }).findings.length, 0);
  // the other file now ends its model with a softmax; this file only gains a blank line
  models = 'import torch.nn as nn\nimport torch.nn.functional as F\nclass Net(nn.Module):\n    def forward(self, x):\n        return F.softmax(x, dim=1)\n';
  const edited = '\n' + text;
  const got = engine.check(edited, { path: '/p/train.py', project, session });
  assert.equal(session.stats.analysisReused, false);
  const fresh = await Engine.create(nodeWasmLoader());
  assert.deepEqual(got, fresh.check(edited, { path: '/p/train.py', project }));
  assert.deepEqual(got.findings.map((f) => f.code), ['SL002']);
  // without project imports, a project does not stop the reuse
  const plain = 'import torch.nn as nn\nloss = nn.CrossEntropyLoss()(x, y)\n';
  engine.check(plain, { path: '/p/train.py', project, session });
  engine.check('\n' + plain, { path: '/p/train.py', project, session });
  assert.equal(session.stats.analysisReused, true);
});

test('a function whose body changed is walked again alone only when no other walk can see it', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  const fresh = await Engine.create(nodeWasmLoader());
  const head = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom tensorflow import keras\n\n';
  const net = 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n    def forward(self, x):\n        return F.softmax(self.fc(x), dim=1)\n\n';
  // [case, text, edited text, walked again alone?]
  const cases: [string, string, string, boolean][] = [
    ['a digit in a function nobody calls', head + 'def train(x, y):\n    opt = torch.optim.SGD([], lr=1e-3)\n    return x\n', head + 'def train(x, y):\n    opt = torch.optim.SGD([], lr=1e-33)\n    return x\n', true],
    ['a new finding in it', head + 'def train(logits, y):\n    p = logits\n    return nn.CrossEntropyLoss()(p, y)\n', head + 'def train(logits, y):\n    p = F.softmax(logits, dim=1)\n    return nn.CrossEntropyLoss()(p, y)\n', true],
    ['a model built and called in it (its attributes are collected before the functions run)', head + net + 'def main(x, y):\n    model = Net()\n    out = model(x)\n    return 0\n', head + net + 'def main(x, y):\n    model = Net()\n    out = model(x)\n    return nn.CrossEntropyLoss()(out, y)\n', true],
    ['a function the module body calls (its summary was used)', head + 'def probs(z):\n    return z\nloss = nn.CrossEntropyLoss()(probs(z), y)\n', head + 'def probs(z):\n    return F.softmax(z, dim=1)\nloss = nn.CrossEntropyLoss()(probs(z), y)\n', false],
    ['a function another function calls', head + 'def probs(z):\n    return z\ndef train(z, y):\n    return nn.CrossEntropyLoss()(probs(z), y)\n', head + 'def probs(z):\n    return F.softmax(z, dim=1)\ndef train(z, y):\n    return nn.CrossEntropyLoss()(probs(z), y)\n', false],
    ['a function that sets a global another function reads', head + 'p = None\ndef setup(z):\n    global p\n    p = z\ndef train(y):\n    return nn.CrossEntropyLoss()(p, y)\n', head + 'p = None\ndef setup(z):\n    global p\n    p = F.softmax(z, dim=1)\ndef train(y):\n    return nn.CrossEntropyLoss()(p, y)\n', false],
    ['a function that adds a layer to a model another function uses', head + 'model = keras.Sequential()\ndef build():\n    model.add(keras.layers.Dense(10))\ndef train(x, y):\n    return keras.losses.CategoricalCrossentropy(from_logits=True)(y, model.predict(x))\n', head + "model = keras.Sequential()\ndef build():\n    model.add(keras.layers.Dense(10, activation='softmax'))\ndef train(x, y):\n    return keras.losses.CategoricalCrossentropy(from_logits=True)(y, model.predict(x))\n", false],
    ['a recursive function', head + 'def f(z, n):\n    return f(z, n - 1) if n else z\n', head + 'def f(z, n):\n    return f(z, n - 2) if n else z\n', false],
    ['a function that defines another', head + 'def f(z):\n    def g():\n        return z\n    return g\n', head + 'def f(z):\n    def g():\n        return F.softmax(z, dim=1)\n    return g\n', false],
  ];
  for (const [name, before, after, alone] of cases) {
    const session = new EditSession();
    // (no prefilter: some of these texts mention no loss)
    const first = engine.check(before, { session, noPrefilter: true });
    assert.deepEqual(first, fresh.check(before, { noPrefilter: true }), name);
    const got = engine.check(after, { session, noPrefilter: true });
    assert.deepEqual(got, fresh.check(after, { noPrefilter: true }), name);
    assert.equal(session.stats.functionRewalked, alone, name);
  }
  // the finding the second case expects is there (the re-walk is not a no-op)
  const session = new EditSession();
  engine.check(cases[1]![1], { session });
  assert.deepEqual(engine.check(cases[1]![2], { session }).findings.map((f) => f.code), ['SL001']);
  assert.ok(session.stats.functionRewalked);
});

test('a session skips the prefilter once it analyses a document (same findings; the prefilter only saves parsing)', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  const fresh = await Engine.create(nodeWasmLoader());
  const session = new EditSession();
  const texts = [
    'import torch\nx = torch.log(torch.softmax(z, dim=1))\n', // matches: analysed, SL003
    'import torch\nx = torch.lg(torch.softmax(z, dim=1))\n', // no log call any more: a fresh check skips it
    'import torch\nx = torch.log(torch.softmax(z, dim=1))\n',
  ];
  const codes: string[][] = [];
  for (const text of texts) {
    const got = engine.check(text, { session });
    const want = fresh.check(text);
    assert.deepEqual(got.findings, want.findings);
    assert.equal(got.parsed, true, 'the session analysed it');
    codes.push(got.findings.map((f) => f.code));
  }
  assert.deepEqual(codes, [['SL003'], [], ['SL003']]);
  assert.equal(fresh.check(texts[1]!).parsed, false, 'without a session the prefilter skips it');
  // a session that never analysed its document still uses the prefilter
  assert.equal(engine.check(texts[1]!, { session: new EditSession() }).parsed, false);
});
