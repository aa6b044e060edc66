// Property and fuzz tests of the engine (issue #8): random Python-ish token soup and random mutations
// of the real rule fixtures (lines deleted/duplicated/swapped, cuts, unbalanced brackets and quotes,
// mixed tabs, CRLF/CR, BOM, NUL, lone surrogates). `check` must return (never throw, never an
// internal-error note) with every range and fix edit inside the text and consistent line/character
// vs offsets; a single fix never parses worse and touches only its edit ranges; fixAll converges and
// is idempotent. Deterministic seeds; run counts chosen to keep this file to a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CheckResult, Engine, Finding, Range } from '../src/core';
import { applyFixes, fixAll } from '../src/core/fix/apply';
import { getEngine, syntaxErrorCount } from './helpers/engine';
import { assertRange } from './helpers/ranges';

const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'rules');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.py'))
  .sort()
  .map((f) => readFileSync(join(dir, f), 'utf8'));

/** Generous hang detector for one check (the machine may be loaded); not a speed test. */
const HANG_MS = 5000;

// ---- generators -----------------------------------------------------------------------------------

const STATEMENTS = [
  'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n', 'import numpy as np\n', 'import tensorflow as tf\n',
  'p = torch.log(F.softmax(x, dim=1))\n', 'loss = F.cross_entropy(F.softmax(logits, dim=1), target)\n', 'q = torch.log(torch.sigmoid(x))\n',
  'loss = nn.CrossEntropyLoss()(x.softmax(-1), y)\n', 'l = F.nll_loss(F.softmax(x, 1), y)\n', 'b = nn.BCELoss()(torch.sigmoid(z), t)\n',
  'e = np.exp(x) / np.sum(np.exp(x))\n', 'ce = -np.sum(y * np.log(p))\n', 'probs = F.softmax(x, dim=1)\n', 'out = torch.log(probs)\n',
  'def forward(self, x):\n    return F.softmax(self.fc(x), dim=1)\n', 'class M(nn.Module):\n', '    def __init__(self):\n        self.fc = nn.Linear(4, 3)\n',
];
const TOKENS = [
  'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', 'import numpy as np', 'import tensorflow as tf',
  'from torch import nn', 'from scipy.special import softmax', 'import jax.numpy as jnp', 'import optax',
  'F.softmax', 'torch.softmax', 'softmax', 'log_softmax', 'torch.log', 'np.log', 'log', 'exp', 'np.exp(', 'np.sum(', '.sum(',
  'sigmoid', 'torch.sigmoid', '.softmax(', '.log()', 'nn.Softmax(dim=1)', 'nn.CrossEntropyLoss()', 'CrossEntropyLoss', 'nn.NLLLoss()',
  'F.cross_entropy', 'F.nll_loss', 'nn.BCELoss()', 'F.binary_cross_entropy', 'nn.BCEWithLogitsLoss', 'F.kl_div', 'nn.Linear(4, 3)',
  'nn.Sequential(', 'tf.keras.losses.CategoricalCrossentropy(from_logits=True)', 'tf.nn.softmax', 'Dense(3, activation="softmax")',
  'model.compile(loss=', 'optax.softmax_cross_entropy', 'predict', 'np.clip(', '1e-8', 'dim=1', 'axis=-1', 'x', 'y', 'p', 'logits',
  'target', 'self', 'self.fc', 'model', 'loss', '=', '==', '+', '-', '*', '/', '**', '@', '.', ',', ':', ';', '(', ')', '[', ']',
  '{', '}', '"', "'", '"""', "'''", 'f"', '{x}', 'rb"', '#', '# noqa', '# noqa: SL001', '# noqa: SL', '\\', 'def', 'class', 'return',
  'lambda', 'if', 'else', 'elif', 'for', 'in', 'while', 'with', 'as', 'try:', 'except', 'async', 'await', 'yield', 'global', 'del',
  'match', 'case', '*args', '**kw', '...', 'None', 'True', '0', '1.0', '-1', '1000.0', '\n', '\n', '\n', '    ', '    ', '\t', ' ',
  '\r\n', '\r', '\ufeff', '\u0000', '\ud800', '\udfff', '\u{1F600}', 'é', '\u2028', '\f', '\v',
];

const soup = fc
  .tuple(fc.array(fc.oneof({ arbitrary: fc.constantFrom(...STATEMENTS), weight: 1 }, { arbitrary: fc.constantFrom(...TOKENS), weight: 2 }), { minLength: 0, maxLength: 120 }), fc.array(fc.constantFrom('', ' ', '', '\n'), { minLength: 1, maxLength: 8 }))
  .map(([toks, seps]) => toks.map((t, i) => t + seps[i % seps.length]).join(''));

const INSERTS = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', '\t', '\u0000', '\ud800', '\udc00', '\ufeff', '\r', '\n', '\\', ':', '#', '    ', 'softmax(', 'log(', '\u{1F600}'];

type Mutation = (t: string) => string;
const lineMut = (f: (lines: string[], i: number, j: number) => void) =>
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (t) => {
    const lines = t.split('\n');
    f(lines, a % lines.length, b % lines.length);
    return lines.join('\n');
  });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  lineMut((l, i) => void l.splice(i, 1)),
  lineMut((l, i) => void l.splice(i, 0, l[i]!)),
  lineMut((l, i, j) => void ([l[i], l[j]] = [l[j]!, l[i]!])),
  lineMut((l, i) => void (l[i] = l[i]!.replace(/^ {4}/, '\t'))),
  lineMut((l, i, j) => void (l[i] = l[i]!.slice(0, j % (l[i]!.length + 1)))),
  fc.nat().map((n): Mutation => (t) => t.slice(0, n % (t.length + 1))),
  fc.tuple(fc.nat(), fc.constantFrom(...INSERTS)).map(([n, s]): Mutation => (t) => {
    const i = n % (t.length + 1);
    return t.slice(0, i) + s + t.slice(i);
  }),
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([n, k]): Mutation => (t) => {
    const i = n % (t.length + 1);
    return t.slice(0, i) + t.slice(i + k);
  }),
  fc.constant<Mutation>((t) => t.replace(/\r?\n/g, '\r\n')),
  fc.constant<Mutation>((t) => t.replace(/\r?\n/g, '\r')),
  fc.constant<Mutation>((t) => '\ufeff' + t),
  fc.constant<Mutation>((t) => t.replace(/ {4}/g, (m) => m)), // identity (keeps some cases near the original)
);
const mutated = fc
  .tuple(fc.nat({ max: fixtures.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([i, ms]) => ms.reduce((t, m) => m(t), fixtures[i]!));

// ---- checks ---------------------------------------------------------------------------------------

function checkOnce(engine: Engine, text: string, noPrefilter = false): CheckResult {
  const t0 = performance.now();
  const r = engine.check(text, { path: 'fuzz.py', noPrefilter });
  const ms = performance.now() - t0;
  assert.ok(ms < HANG_MS, `check took ${ms.toFixed(0)} ms`);
  assert.deepEqual(r.notes.filter((n) => n.kind === 'internal-error'), [], 'no internal error');
  for (const n of r.notes) if (n.range) assertRange(text, n.range, `note ${n.kind}`);
  for (const f of r.findings) {
    assertRange(text, f.range, `${f.code} range`);
    for (const rel of f.related) if (rel.path === undefined) assertRange(text, rel.range, `${f.code} related`);
    if (f.fix) {
      assert.ok(f.fix.edits.length > 0, `${f.code}: a fix has edits`);
      for (const e of f.fix.edits) {
        assertRange(text, e.range, `${f.code} fix edit`);
        assert.equal(typeof e.content, 'string');
      }
    }
    assert.ok(f.noqaLine >= 0 && f.noqaLine <= f.range.start.line, `${f.code}: noqa line`);
  }
  return r;
}

/** A text with one fix applied by the project's applyFixes, checked to change only its edit ranges. */
function applyOne(text: string, f: Finding): string {
  const r = applyFixes(text, [f.fix!]);
  assert.deepEqual(r.applied, [0], `${f.code}: its fix is valid (edits in range, not overlapping)`);
  const edits = [...f.fix!.edits].sort((a, b) => a.range.startOffset - b.range.startOffset);
  let expected = '';
  let pos = 0;
  for (const e of edits) {
    expected += text.slice(pos, e.range.startOffset) + e.content;
    pos = e.range.endOffset;
  }
  expected += text.slice(pos);
  assert.equal(r.text, expected, `${f.code}: only the edit ranges change`);
  return r.text;
}

const lintWith = (engine: Engine) => (t: string) => engine.check(t, { path: 'fuzz.py' }).findings;

// ---- properties -----------------------------------------------------------------------------------

test('token soup: check returns, no internal error, ranges and edits inside the text and consistent (300 runs)', async () => {
  const engine = await getEngine();
  let parsed = 0;
  let findings = 0;
  fc.assert(
    fc.property(soup, fc.boolean(), (text, noPrefilter) => {
      const r = checkOnce(engine, text, noPrefilter);
      if (r.parsed) parsed++;
      findings += r.findings.length;
    }),
    { seed: 0x5eed01, numRuns: 300, includeErrorInReport: true },
  );
  // Not vacuous: most soups reach the parser and some produce findings.
  assert.ok(parsed > 200 && findings > 5, `parsed ${parsed}, findings ${findings}`);
});

test('mutated rule fixtures: check returns, no internal error, ranges and edits consistent (200 runs)', async () => {
  const engine = await getEngine();
  let findings = 0;
  let fixes = 0;
  fc.assert(
    fc.property(mutated, (text) => {
      const r = checkOnce(engine, text);
      findings += r.findings.length;
      fixes += r.findings.filter((f) => f.fix).length;
    }),
    { seed: 0x5eed02, numRuns: 200, includeErrorInReport: true },
  );
  assert.ok(findings > 300 && fixes > 100, `findings ${findings}, fixes ${fixes}`);
});

test('mutated rule fixtures: each single fix parses no worse and touches only its ranges (60 runs)', async () => {
  const engine = await getEngine();
  const parseErrors = new Map<string, number>();
  const errorsOf = async (t: string) => {
    let n = parseErrors.get(t);
    if (n === undefined) parseErrors.set(t, (n = await syntaxErrorCount(t)));
    return n;
  };
  let applied = 0;
  await fc.assert(
    fc.asyncProperty(mutated, async (text) => {
      const r = checkOnce(engine, text);
      const before = await errorsOf(text);
      for (const f of r.findings) {
        if (!f.fix) continue;
        const after = applyOne(text, f);
        const n = await syntaxErrorCount(after);
        applied++;
        assert.ok(n <= before, `${f.code} "${f.fix.message}" at ${f.range.start.line + 1}:${f.range.start.character + 1}: syntax errors ${before} -> ${n}`);
      }
    }),
    { seed: 0x5eed03, numRuns: 60, includeErrorInReport: true },
  );
  assert.ok(applied > 100, `fixes applied: ${applied}`);
});

test('mutated rule fixtures: fixAll (unsafe too) converges, parses no worse, and is idempotent (40 runs)', async () => {
  const engine = await getEngine();
  const lint = lintWith(engine);
  let total = 0;
  await fc.assert(
    fc.asyncProperty(mutated, fc.boolean(), async (text, unsafe) => {
      const r = fixAll(text, lint, { unsafe });
      total += r.applied;
      assert.ok(r.converged, `fixAll converged (passes ${r.passes}, remaining fixable: ${r.remaining.filter((f) => f.fix).map((f) => f.code).join(' ')})`);
      assert.ok((await syntaxErrorCount(r.text)) <= (await syntaxErrorCount(text)), 'fixAll parses no worse');
      const again = fixAll(r.text, lint, { unsafe });
      assert.equal(again.applied, 0, 'a second fixAll applies nothing');
      assert.equal(again.text, r.text, 'a second fixAll changes nothing');
      checkOnce(engine, r.text);
    }),
    { seed: 0x5eed04, numRuns: 40, includeErrorInReport: true },
  );
  assert.ok(total > 50, `fixes applied by fixAll: ${total}`);
});

test('the range checker itself rejects a wrong position and an out-of-text range', () => {
  // Guards against a property that cannot fail: the helpers used above do catch bad ranges.
  const text = 'ab\r\ncd';
  const good: Range = { start: { line: 1, character: 1 }, end: { line: 1, character: 2 }, startOffset: 5, endOffset: 6 };
  assertRange(text, good, 'good');
  assert.throws(() => assertRange(text, { ...good, start: { line: 0, character: 5 } }, 'bad'), /position of offset 5/);
  assert.throws(() => assertRange(text, { ...good, endOffset: 7 }, 'bad'), /inside/);
  assert.throws(() => assertRange(text, { ...good, startOffset: 3, start: { line: 0, character: 3 } }, 'bad'), /splits a CRLF/);
});
