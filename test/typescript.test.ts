// The TypeScript/JavaScript front end (TensorFlow.js): lowering into the IR, the analysis of TS
// constructs (test/fixtures/typescript/kinds.ts: `reveal(expr) // kind: K`), the engine's language
// selection, prefilter, `// noqa`, fix policy and robustness on broken or pathological input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../src/core/analysis/interpret';
import { lowerTypeScript } from '../src/core/typescript/lower';
import { forEachStmtExpr } from '../src/core/rules/run';
import { forEachChild, type Expr, type Module, type Stmt } from '../src/core/ir';
import type { GrammarName } from '../src/core';
import { applyEdits, getEngine, syntaxErrorCount } from './helpers/engine';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures', 'typescript');

async function lower(text: string, grammar: GrammarName = 'typescript'): Promise<Module> {
  const engine = await getEngine();
  const tree = engine.parsers.parse(grammar, text);
  try {
    return lowerTypeScript(tree.rootNode, grammar === 'javascript' ? 'javascript' : 'typescript');
  } finally {
    tree.delete();
  }
}

/** A compact rendering of statements for shape assertions. */
function show(s: Stmt, text: string): string {
  const src = (e: { s: number; e: number }) => text.slice(e.s, e.e);
  switch (s.k) {
    case 'import':
      return `import ${s.names.map((n) => `${n.module} as ${n.asname}`).join(', ')}`;
    case 'from':
      return `from ${s.module} import ${s.names === '*' ? '*' : s.names.map((n) => (n.asname ? `${n.name} as ${n.asname}` : n.name)).join(', ')}`;
    case 'assign':
      return `${s.targets.map((t) => expr(t, text)).join(' = ')} ${s.op ?? '='} ${expr(s.value, text)}`;
    case 'def':
      return `def ${s.name}(${s.params.map((p) => (p.star ?? '') + p.name).join(', ')})${s.decorators.length ? ' @' + s.decorators.map((d) => expr(d, text)).join(' @') : ''}: [${s.body.map((b) => show(b, text)).join('; ')}]`;
    case 'class':
      return `class ${s.name}(${s.bases.map((b) => expr(b.value, text)).join(', ')}): [${s.body.map((b) => show(b, text)).join('; ')}]`;
    case 'return':
      return `return ${s.value ? expr(s.value, text) : ''}`;
    case 'expr':
      return expr(s.value, text);
    default:
      return `${s.k} ${src(s)}`;
  }
}

function expr(e: Expr, text: string): string {
  switch (e.k) {
    case 'name':
      return e.id;
    case 'attr':
      return `${expr(e.obj, text)}.${e.attr}`;
    case 'call':
      return `${expr(e.fn, text)}(${e.args.map((a) => (a.star ?? '') + (a.name !== undefined ? `${a.name}=` : '') + expr(a.value, text)).join(', ')})`;
    case 'paren':
      return `(${expr(e.inner, text)})`;
    case 'str':
      return JSON.stringify(e.value);
    case 'num':
      return String(e.value);
    case 'const':
      return e.value;
    case 'list':
    case 'tuple':
      return `${e.k === 'list' ? '[' : '('}${e.elts.map((x) => expr(x, text)).join(', ')}${e.k === 'list' ? ']' : ')'}`;
    case 'star':
      return `*${expr(e.inner, text)}`;
    case 'binop':
      return `${expr(e.left, text)} ${e.op} ${expr(e.right, text)}`;
    case 'unary':
      return `${e.op}${expr(e.operand, text)}`;
    default:
      return `<${e.k}>`;
  }
}

async function shapes(text: string, grammar: GrammarName = 'typescript'): Promise<string[]> {
  const m = await lower(text, grammar);
  return m.body.map((s) => show(s, text));
}

test('imports and require of the TF.js packages bind the module tfjs; other modules are not libraries', async () => {
  const text = [
    "import * as tf from '@tensorflow/tfjs';",
    "import tfn, { softmax, losses as L } from '@tensorflow/tfjs-node';",
    "import type { Tensor } from '@tensorflow/tfjs';",
    "import { type Rank, sigmoid } from '@tensorflow/tfjs-core';",
    "import torch from 'torch';",
    "const g = require('@tensorflow/tfjs-node-gpu');",
    "const { log, sum: s2 } = require('@tensorflow/tfjs-layers');",
    "const { layers, sequential: seq } = tf;",
    "import tf2 = require('@tensorflow/tfjs');",
    "const lazy = await import('@tensorflow/tfjs');",
  ].join('\n');
  assert.deepEqual(await shapes(text), [
    'import tfjs as tf',
    'import tfjs as tfn',
    'from tfjs import softmax, losses as L',
    'from tfjs import sigmoid',
    'import npm:torch as torch',
    'import tfjs as g',
    'from tfjs import log, sum as s2',
    'layers = tf.layers',
    'seq = tf.sequential',
    'import tfjs as tf2',
    'import tfjs as lazy',
  ]);
});

test('types are stripped; as/!/satisfies are transparent; declarations and destructuring become assignments', async () => {
  const text = [
    'let x: tf.Tensor2D = tf.zeros([2, 2]) as tf.Tensor2D;',
    'const y = x!.softmax() satisfies Tensor;',
    'let u;',
    'const [a, , ...rest] = pair;',
    'const { k, m: n, ...others } = make();',
    'a += 1, b = c = 2;',
    'interface I { a: number }',
    'type T = number;',
    'enum E { A }',
    'declare const z: number;',
  ].join('\n');
  assert.deepEqual(await shapes(text), [
    'x = (tf.zeros([2, 2]))',
    'y = ((x).softmax())',
    'u = None',
    '[a, <other>, *rest] = pair',
    'make()',
    'k = <other>',
    'n = <other>',
    'others = <other>',
    'a += 1',
    'b = c = 2',
  ]);
});

test('functions, arrows and methods become defs; this is self; fields initialise in __init__', async () => {
  const text = [
    'function f(a: number, b = 2, ...more: number[]): number { return a; }',
    'const g = async (t) => await t;',
    'const h = t => t.softmax();',
    'run(() => { return tf.softmax(x); });',
    'class Net extends tf.layers.Layer {',
    '  scale = 2;',
    '  static of(t) { return t; }',
    '  constructor(units: number) { super({}); this.units = units; }',
    '  call(x) { return this.dense.apply(x); }',
    '}',
  ].join('\n');
  const got = await shapes(text);
  assert.equal(got[0], 'def f(a, b, *more): [return a]');
  assert.equal(got[1], 'def g(t): [return <other>]');
  assert.equal(got[2], 'def h(t): [return t.softmax()]');
  assert.match(got[3], /^def <fn@\d+>\(\): \[return tf\.softmax\(x\)\]$/);
  assert.match(got[4], /^run\(<fn@\d+>\)$/);
  assert.equal(
    got[5],
    'class Net(tf.layers.Layer): [def of(t) @staticmethod: [return t]; def __init__(self, units): [self.scale = 2; <other>(); self.units = units]; def call(self, x): [return self.dense.apply(x)]]',
  );
});

test('a trailing object literal is keyword arguments; spreads and computed keys are ** arguments', async () => {
  const text = [
    "tf.layers.dense({ units: 10, activation: 'softmax' });",
    'f(a, { units, "quoted": 1, [key]: 2, ...cfg });',
    'g({ a: 1 }, b);',
    "model.compile({ loss: `categoricalCrossentropy`, optimizer: `${name}` });",
  ].join('\n');
  assert.deepEqual(await shapes(text), [
    'tf.layers.dense(units=10, activation="softmax")',
    'f(a, units=units, quoted=1, **2, **cfg)',
    'g(<dict>, b)',
    'model.compile(loss="categoricalCrossentropy", optimizer=<other>)',
  ]);
});

test('control flow: if/else chains, loops, switch, try, export', async () => {
  const text = [
    'if (a) { b = 1; } else if (c) d = 2; else { e = 3; }',
    'for (let i = 0; i < n; i++) { s = i; }',
    'for (const v of xs) t = v;',
    'while (w) w = next();',
    'do { q = 1; } while (q);',
    'switch (k) { case 1: r = 1; break; default: r = 2; }',
    'try { u = 1; } catch (err) { u = 2; } finally { u = 3; }',
    'export const ex = 1;',
    'export default function named() {}',
  ].join('\n');
  const m = await lower(text);
  assert.deepEqual(m.body.map((s) => s.k), ['if', 'assign', 'loop', 'loop', 'loop', 'loop', 'if', 'try', 'assign', 'def']);
  const ifs = m.body[0] as Extract<Stmt, { k: 'if' }>;
  assert.deepEqual(ifs.branches.map((b) => [b.test ? expr(b.test, text) : 'else', b.body.map((s) => show(s, text))]), [
    ['(a)', ['b = 1']],
    ['(c)', ['d = 2']],
    ['else', ['e = 3']],
  ]);
  const sw = m.body[6] as Extract<Stmt, { k: 'if' }>;
  assert.deepEqual(sw.branches.map((b) => (b.test ? 'case' : 'default')), ['case', 'default']);
});

test('comments are collected (for // noqa and for fixes that must not drop them)', async () => {
  const text = "import * as tf from '@tensorflow/tfjs'; // one\n/* two */ const x = f(/* three */ 1);\n";
  const m = await lower(text);
  assert.deepEqual(m.comments.map((c) => text.slice(c.s, c.e)), ['// one', '/* two */', '/* three */']);
  assert.equal(m.language, 'typescript');
});

test('the analysis sees through TypeScript: reveal(expr) // kind: K', async () => {
  const text = readFileSync(join(fixtures, 'kinds.ts'), 'utf8');
  const m = await lower(text);
  const a = analyze(m);
  const reveals: Extract<Expr, { k: 'call' }>[] = [];
  const visit = (e: Expr): void => {
    if (e.k === 'call' && e.fn.k === 'name' && e.fn.id === 'reveal') reveals.push(e);
    forEachChild(e, visit);
  };
  forEachStmtExpr(m.body, visit);
  const problems: string[] = [];
  let checked = 0;
  for (const r of reveals) {
    const lineEnd = text.indexOf('\n', r.e);
    const line = text.slice(text.lastIndexOf('\n', r.s) + 1, lineEnd < 0 ? text.length : lineEnd);
    const want = /\/\/ kind: ([\w-]+)/.exec(line);
    if (!want) {
      problems.push(`no "// kind:" on: ${line.trim()}`);
      continue;
    }
    const v = a.values.get(r.args[0].value);
    const kind = v && v.t === 'tensor' && v.kind ? v.kind : 'unknown';
    checked++;
    if (kind !== want[1]) problems.push(`expected ${want[1]} got ${kind}: ${line.trim()}`);
  }
  assert.ok(checked >= 40, `only ${checked} reveals checked`);
  assert.deepEqual(problems, [], problems.join('\n'));
});

const HEADER = "import * as tf from '@tensorflow/tfjs';\n";

test('the language comes from the option or the path; Python files are unaffected', async () => {
  const e = await getEngine();
  const ts = HEADER + 'const y = tf.log(tf.softmax(x));\n';
  for (const path of ['a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a.js', 'a.mjs', 'a.cjs', 'a.jsx', 'DIR/A.TS']) {
    assert.deepEqual(e.check(ts, { path }).findings.map((f) => f.code), ['SL003'], path);
  }
  assert.deepEqual(e.check(ts, { language: 'typescript' }).findings.map((f) => f.code), ['SL003']);
  assert.deepEqual(e.check(ts, { language: 'javascriptreact' }).findings.map((f) => f.code), ['SL003']);
  // The same text as Python is a syntax error with nothing to report.
  assert.deepEqual(e.check(ts, { path: 'a.py' }).findings, []);
  const py = 'import torch\ny = torch.log(torch.softmax(x, 1))\n';
  assert.deepEqual(e.check(py, { path: 'a.py' }).findings.map((f) => f.code), ['SL003']);
  assert.deepEqual(e.check(py).findings.map((f) => f.code), ['SL003']);
});

test('prefilter: a script that does not mention @tensorflow/tfjs is not parsed', async () => {
  const e = await getEngine();
  const r = e.check('const y = tf.log(tf.softmax(x));\n', { path: 'global-tf.js' });
  assert.equal(r.parsed, false);
  assert.deepEqual(r.findings, []);
  // Without the prefilter the file is parsed, and `tf` (a browser global) is unknown: still nothing.
  const all = e.check('const y = tf.log(tf.softmax(x));\n', { path: 'global-tf.js', noPrefilter: true });
  assert.equal(all.parsed, true);
  assert.deepEqual(all.findings, []);
});

test('declaration files and minified bundles are not analysed', async () => {
  const e = await getEngine();
  const text = HEADER + 'const y = tf.log(tf.softmax(x));\n';
  for (const path of ['types.d.ts', 'a.d.mts', 'vendor/tf.min.js', 'lib-min.mjs']) assert.equal(e.check(text, { path }).parsed, false, path);
  const bundle = HEADER + 'var a=1;'.repeat(15_000) + 'const y = tf.log(tf.softmax(x));\n';
  assert.equal(e.check(bundle, { path: 'bundle.js' }).parsed, false);
  assert.deepEqual(e.check(text, { path: 'dts.ts' }).findings.map((f) => f.code), ['SL003']);
});

test('// noqa, /* noqa */ and // stable-loss: noqa suppress findings in scripts; # does not', async () => {
  const e = await getEngine();
  const line = 'tf.log(tf.softmax(x))';
  const codes = (text: string) => e.check(HEADER + text, { path: 'a.ts' }).findings.map((f) => f.code);
  assert.deepEqual(codes(`const a = ${line}; // noqa: SL003\n`), []);
  assert.deepEqual(codes(`const a = ${line}; // NOQA\n`), []);
  assert.deepEqual(codes(`const a = ${line}; /* noqa: SL003 */\n`), []);
  assert.deepEqual(codes(`const a = ${line}; // noqa: SL001\n`), ['SL003']);
  assert.deepEqual(codes(`// stable-loss: noqa\nconst a = ${line};\n`), []);
  assert.deepEqual(codes(`// stable-loss: noqa: SL001\nconst a = ${line};\n`), ['SL003']);
  // not comments: a string, a multi-line block comment's later line, a private field
  assert.deepEqual(codes(`const a = ${line}, s = '// noqa';\n`), ['SL003']);
  assert.deepEqual(codes(`const a = ${line}; /*\n noqa */\n`), ['SL003']);
  assert.deepEqual(codes(`class C { #noqa = 1; f(x) { return ${line}; } }\n`), ['SL003']);
});

test('fixes in scripts: TF.js names, kept arguments, never a Python import, never a dropped comment', async () => {
  const e = await getEngine();
  const fixOf = (text: string, path = 'a.ts') => {
    const r = e.check(text, { path });
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings.map((f) => f.code)));
    const f = r.findings[0];
    return f.fix ? applyEdits(text, f.fix.edits) : null;
  };
  assert.equal(fixOf(HEADER + 'const a = tf.log(tf.softmax(x, 1));\n'), HEADER + 'const a = tf.logSoftmax(x, 1);\n');
  assert.equal(fixOf(HEADER + 'const a = x.softmax(-1).log();\n'), HEADER + 'const a = x.logSoftmax(-1);\n');
  assert.equal(fixOf(HEADER + 'const a = tf.log(tf.sigmoid(z));\n'), HEADER + 'const a = tf.logSigmoid(z);\n');
  // Named imports only: naming logSoftmax would need a new import; the import helper writes Python.
  assert.equal(fixOf("import { log, softmax } from '@tensorflow/tfjs';\nconst a = log(softmax(x));\n"), null);
  // With the namespace import present the fix uses it.
  assert.equal(
    fixOf("import * as tf from '@tensorflow/tfjs';\nimport { log, softmax } from '@tensorflow/tfjs';\nconst a = log(softmax(x));\n"),
    "import * as tf from '@tensorflow/tfjs';\nimport { log, softmax } from '@tensorflow/tfjs';\nconst a = tf.logSoftmax(x);\n",
  );
  // A comment inside the replaced text: no fix.
  assert.equal(fixOf(HEADER + 'const a = tf.losses.softmaxCrossEntropy(y, tf.softmax(/* scores */ x) /* probs */);\n'), null);
  // SL009 in TF.js: not Python's from_logits=True but the TF.js loss that takes logits.
  const lin = HEADER + "const m = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] });\nm.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });\n";
  assert.equal(fixOf(lin), lin.replace("'categoricalCrossentropy'", 'tf.losses.softmaxCrossEntropy'));
  // ... and no fix for the sparse loss (TF.js has no sparse cross-entropy on logits).
  assert.equal(fixOf(lin.replace('categorical', 'sparseCategorical')), null);
  // Every fix parses as TypeScript.
  for (const text of [HEADER + 'const a = tf.log(tf.softmax(x as Tensor));\n', HEADER + 'const a = tf.losses.softmaxCrossEntropy(y, tf.softmax(x!));\n']) {
    const fixed = fixOf(text);
    assert.ok(fixed !== null);
    assert.equal(await syntaxErrorCount(fixed, 'typescript'), 0, fixed);
  }
});

// SL005's TF.js fix, reachable (as in Python) with SL003 off: the softmax's log is SL003's otherwise.
// The fixed calls were checked against @tensorflow/tfjs-core 4.22 (CPU backend): on logits
// [[2, 1, 0.1], [0.5, 2.5, -1]] and labels [[1, 0, 0], [0, 0.3, 0.7]] the hand-written sum and
// `softmaxCrossEntropy(y, x, undefined, 0, tf.Reduction.SUM)` both give 3.020208, the batch mean and
// `softmaxCrossEntropy(y, x)` both 1.510104; with a logit gap of 200 the hand-written ones are Infinity.
test('SL005 in TF.js: arithmetic calls are read as operators; the fix is tf.losses.softmaxCrossEntropy on the logits', async () => {
  const e = await getEngine();
  const only = { select: ['SL005'], ignore: [], severity: {} };
  const head = HEADER + 'const logits = tf.randomNormal([4, 3]);\nconst y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], "int32"), 3);\n';
  const cases: { code: string; fixed?: string }[] = [
    { code: 'const loss = tf.neg(tf.sum(tf.mul(y, tf.log(tf.softmax(logits)))));\n', fixed: 'const loss = tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, tf.Reduction.SUM);\n' },
    { code: 'const p = tf.softmax(logits, -1);\nconst loss = y.mul(p.log()).sum(-1).mean().neg();\n', fixed: 'const p = tf.softmax(logits, -1);\nconst loss = tf.losses.softmaxCrossEntropy(y, logits);\n' },
    { code: 'const loss = tf.mean(tf.neg(tf.sum(tf.mul(tf.log(logits.softmax()), y), -1)));\n', fixed: 'const loss = tf.losses.softmaxCrossEntropy(y, logits);\n' },
    // softmax over another axis than the last (softmaxCrossEntropy's class axis): no fix
    { code: 'const loss = tf.neg(tf.sum(tf.mul(y, tf.log(tf.softmax(logits, 0)))));\n' },
    // a per-sample sum over axis 1: the last axis only for rank 2, which the analysis does not know
    { code: 'const loss = tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.softmax(logits))), 1)));\n' },
    // a mean over every element divides by N * C: no reduction of softmaxCrossEntropy matches
    { code: 'const loss = tf.neg(tf.mean(tf.mul(y, tf.log(tf.softmax(logits)))));\n' },
    // probabilities of unknown origin: no logits to pass
    { code: 'export function f(p, y) { return tf.neg(tf.sum(tf.mul(y, tf.log(p)))); }\n' },
  ];
  for (const c of cases) {
    const text = head + c.code;
    const findings = e.check(text, { path: 'a.ts', settings: only }).findings;
    assert.deepEqual(findings.map((f) => f.code), ['SL005'], c.code);
    assert.match(findings[0].message, /use tf\.losses\.softmaxCrossEntropy on the logits, or guard the log with tf\.clipByValue/);
    const fix = findings[0].fix;
    if (c.fixed === undefined) {
      assert.equal(fix, null, c.code);
      continue;
    }
    assert.ok(fix, c.code);
    assert.equal(fix.applicability, 'unsafe');
    assert.match(fix.message, /^Use `tf\.losses\.softmaxCrossEntropy` on the logits/);
    const out = applyEdits(text, fix.edits);
    assert.equal(out, head + c.fixed);
    assert.equal(await syntaxErrorCount(out, 'typescript'), 0);
    assert.deepEqual(e.check(out, { path: 'a.ts', settings: only }).findings, []);
  }
  // Named imports only: `tf.Reduction` cannot be named without adding an import, so no fix.
  const named = "import { losses, log, mul, neg, softmax, sum } from '@tensorflow/tfjs';\nconst loss = neg(sum(mul(y, log(softmax(x)))));\n";
  const f = e.check(named, { path: 'a.ts', settings: only }).findings;
  assert.deepEqual(f.map((x) => [x.code, x.fix]), [['SL005', null]]);
  // With SL003 on, SL003 reports the log of the softmax (its safe fix) and SL005 stays silent.
  assert.deepEqual(e.check(head + cases[0].code, { path: 'a.ts' }).findings.map((x) => x.code), ['SL003']);
});

test('TF.js compile({loss}): a logits loss function on a softmax model is SL002, fixed to the Layers string loss', async () => {
  const e = await getEngine();
  const model = (act: string) => HEADER + `const m = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2]${act} })] });\n`;
  const compile = (loss: string) => `m.compile({ optimizer: 'adam', loss: ${loss} });\n`;
  const check = (text: string) => e.check(text, { path: 'a.ts' }).findings;
  // softmax model + tf.losses.softmaxCrossEntropy (which applies its own softmax): SL002, safe fix
  const bad = model(", activation: 'softmax'") + compile('tf.losses.softmaxCrossEntropy');
  const [f] = check(bad);
  assert.equal(f.code, 'SL002');
  assert.match(f.message, /applies tf\.logSoftmax again.*use loss: 'categoricalCrossentropy', which takes probabilities/);
  assert.doesNotMatch(f.message, /from_logits/);
  assert.equal(f.fix?.applicability, 'safe');
  const fixed = applyEdits(bad, f.fix!.edits);
  assert.equal(fixed, model(", activation: 'softmax'") + compile("'categoricalCrossentropy'"));
  assert.deepEqual(check(fixed), []);
  // sigmoid model + tf.losses.sigmoidCrossEntropy → 'binaryCrossentropy'
  const sig = model(", activation: 'sigmoid'") + compile('tf.losses.sigmoidCrossEntropy');
  const [g] = check(sig);
  assert.equal(g.code, 'SL002');
  assert.equal(applyEdits(sig, g.fix!.edits), model(", activation: 'sigmoid'") + compile("'binaryCrossentropy'"));
  // the right pairings are clean: softmax + the string loss, linear + the logits loss
  assert.deepEqual(check(model(", activation: 'softmax'") + compile("'categoricalCrossentropy'")), []);
  assert.deepEqual(check(model('') + compile('tf.losses.softmaxCrossEntropy')), []);
  // a softmax model with the sigmoid logits loss: SL002, but no fix (the pairing is wrong either way)
  const [h] = check(model(", activation: 'softmax'") + compile('tf.losses.sigmoidCrossEntropy'));
  assert.equal(h.code, 'SL002');
  assert.equal(h.fix, null);
  // a wrapper function is not followed (its body could do anything)
  assert.deepEqual(check(model(", activation: 'softmax'") + compile('(y, p) => tf.losses.softmaxCrossEntropy(y, p)')), []);
});

test('messages and fix titles in TS/JS name TF.js APIs, never PyTorch, Python Keras, NumPy or SciPy ones', async () => {
  const e = await getEngine();
  const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'rules');
  const foreign = /\blog_softmax\b|from_logits|\bF\.|torch|\bnn\.|Keras|\bnp\.|scipy|`logsumexp`|`logsigmoid`|`log_sigmoid`|tf\.nn\.|tf\.math\.|cross_entropy|CrossEntropyLoss/;
  let seen = 0;
  for (const file of readdirSync(dir).filter((f) => /^tfjs-.*\.[cm]?[jt]sx?$/.test(f))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const f of e.check(text, { path: file, settings: { select: [], ignore: [], severity: {} } }).findings) {
      seen++;
      for (const m of [f.message, f.fix?.message ?? '', ...f.related.map((r) => r.message)]) assert.doesNotMatch(m, foreign, `${file}:${f.range.start.line + 1} ${f.code}: ${m}`);
    }
  }
  assert.ok(seen >= 60, `only ${seen} findings in the TF.js fixtures`);
});

test('TSX and JSX parse with their grammars', async () => {
  const e = await getEngine();
  const tsx = HEADER + 'export const View = () => <div>{String(tf.log(tf.softmax(x)).dataSync())}</div>;\n';
  assert.deepEqual(e.check(tsx, { path: 'v.tsx' }).findings.map((f) => f.code), ['SL003']);
  assert.deepEqual(e.check(tsx, { path: 'v.tsx' }).notes, []);
  const jsx = "const tf = require('@tensorflow/tfjs');\nconst View = () => <b>{tf.log(tf.softmax(x))}</b>;\n";
  assert.deepEqual(e.check(jsx, { path: 'v.jsx' }).findings.map((f) => f.code), ['SL003']);
});

test('half-typed, broken and pathological scripts: bounded answers, no internal error', async () => {
  const e = await getEngine();
  const ok = (text: string, path = 'a.ts') => {
    const r = e.check(text, { path });
    assert.deepEqual(r.notes.filter((n) => n.kind === 'internal-error'), []);
    return r;
  };
  // Half-typed: the complete statements are still analysed.
  const half = ok(HEADER + 'const a = tf.log(tf.softmax(x));\nconst b = tf.losses.softmaxCrossEntropy(y, tf.softmax(\n');
  assert.ok(half.notes.some((n) => n.kind === 'syntax-error'));
  assert.ok(half.findings.some((f) => f.code === 'SL003'));
  ok(HEADER + 'function f(: {\n  return tf.log(tf.softmax(x)\nclass {\n');
  ok(HEADER + 'const {a, = require(;\nimport { from ;\nclass X extends { #p = ; }\n');
  ok(HEADER + '\u0000\u0001 softmax log(');
  ok('');
  // Deep nesting: calls, arrays, arrow functions, blocks.
  const deep = (open: string, close: string, n = 5000) => HEADER + 'const y = ' + open.repeat(n) + 'x' + close.repeat(n) + ';\nconst z = tf.log(tf.softmax(x));\n';
  for (const [o, c] of [['f(', ')'], ['[', ']'], ['(', ')'], ['() => ', ''], ['-', ''], ['{a: ', '}']]) {
    assert.deepEqual(ok(deep(o, c)).findings.map((f) => f.code), ['SL003'], o);
  }
  const blocks = HEADER + '{'.repeat(3000) + '}'.repeat(3000) + '\nconst z = tf.log(tf.softmax(x));\n';
  assert.deepEqual(ok(blocks).findings.map((f) => f.code), ['SL003']);
  const chain = HEADER + 'const y = x' + '.exp()'.repeat(5000) + ';\nconst z = tf.log(tf.softmax(x));\n';
  assert.deepEqual(ok(chain).findings.map((f) => f.code), ['SL003']);
  // (one term per line: as a single 150 kB line it would count as a minified bundle)
  const ops = HEADER + 'const y = ' + Array.from({ length: 20000 }, (_, i) => `a${i}`).join(' +\n') + ';\nconst z = tf.log(tf.softmax(x));\n';
  assert.deepEqual(ok(ops).findings.map((f) => f.code), ['SL003']);
  // Many lines.
  const many = HEADER + 'let x = tf.zeros([2]);\n'.repeat(30_000) + 'const z = tf.log(tf.softmax(x));\n';
  assert.deepEqual(ok(many).findings.map((f) => [f.code, f.range.start.line]), [['SL003', 30_001]]);
});

test('cut and garbled TF.js fixtures never throw or report an internal error', async () => {
  const e = await getEngine();
  const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'rules');
  const files = ['tfjs-SL001.ts', 'tfjs-layers.ts', 'tfjs-require.js'].map((f) => join(dir, f)).concat(join(fixtures, 'kinds.ts'));
  let checked = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (let i = 0; i < text.length; i += 151) {
      for (const v of [text.slice(0, i), text.slice(0, i) + text.slice(i + 7), text.slice(0, i) + '{(' + text.slice(i), text.slice(0, i) + ')}' + text.slice(i)]) {
        const r = e.check(v, { path: file });
        checked++;
        assert.deepEqual(r.notes.filter((n) => n.kind === 'internal-error'), [], `${file} at ${i}`);
        for (const f of r.findings) for (const ed of f.fix?.edits ?? []) assert.ok(ed.range.startOffset <= ed.range.endOffset && ed.range.endOffset <= v.length);
      }
    }
  }
  assert.ok(checked > 200);
});
