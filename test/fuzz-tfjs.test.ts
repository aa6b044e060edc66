// Fuzz tests of the TensorFlow.js front end (issue #8): random mutations of the TF.js rule fixtures
// and TS/JS token soup, checked as .ts, .tsx and .js. `check` returns without an internal error,
// ranges and fix edits lie inside the text with consistent positions, a single fix never parses
// worse (with the file's own grammar) and fixAll converges and is idempotent. Deterministic seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Engine, GrammarName } from '../src/core';
import { applyFixes, fixAll } from '../src/core/fix/apply';
import { syntaxErrorCount } from '../src/core/parser';
import { getEngine } from './helpers/engine';
import { assertRange } from './helpers/ranges';

const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'rules');
const fixtures = readdirSync(dir)
  .filter((f) => /\.(ts|tsx|js)$/.test(f))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
const HANG_MS = 5000;
const EXT: Record<string, GrammarName> = { ts: 'typescript', tsx: 'tsx', js: 'javascript' };

function errorCount(engine: Engine, grammar: GrammarName, text: string): number {
  return syntaxErrorCount(engine.parsers, grammar, text);
}

const TOKENS = [
  "import * as tf from '@tensorflow/tfjs';\n", "const tf = require('@tensorflow/tfjs-node');\n", 'tf.softmax(x)', 'tf.log(', 'tf.sigmoid(z)', '.softmax()', '.log()',
  'tf.losses.softmaxCrossEntropy(labels, ', 'tf.losses.sigmoidCrossEntropy(y, ', 'tf.metrics.categoricalCrossentropy(', 'tf.exp(x)', '.sum()', 'tf.div(',
  'tf.layers.dense({units: 3, activation: "softmax"})', "model.compile({loss: 'categoricalCrossentropy', optimizer: 'adam'})", 'fromLogits: true',
  'const ', 'let ', 'function f(', 'return ', '=>', 'async ', 'await ', 'class A {', 'x', 'y', 'labels', ':', ';', ',', '(', ')', '{', '}', '[', ']', '<', '>', '`',
  '${', '"', "'", '/*', '*/', '//', '// expect: SL001', '// stable-loss: noqa', ' as any', '!', '?.', 'satisfies T', '<div>', '</div>', '\n', '\n', '  ', '\t', '\r\n',
  '\u0000', '\ud800', '\u{1F600}', '\ufeff', '/re+gex/g', '1e-7', '-1', '0',
];
const soup = fc
  .array(fc.constantFrom(...TOKENS), { maxLength: 100 })
  .map((t) => t.join(' '));

const INSERTS = ['(', ')', '{', '}', '[', ']', '`', '${', '"', "'", '/*', '//', '<', '>', '\u0000', '\ud800', '\r', '\n', ';', 'tf.softmax('];
const mutated = fc
  .tuple(fc.nat({ max: fixtures.length - 1 }), fc.array(fc.tuple(fc.nat({ max: 4 }), fc.nat(), fc.nat(), fc.constantFrom(...INSERTS)), { minLength: 1, maxLength: 4 }))
  .map(([k, ms]) => {
    let t = fixtures[k]!.text;
    for (const [kind, a, b, s] of ms) {
      const i = a % (t.length + 1);
      if (kind === 0) t = t.slice(0, i);
      else if (kind === 1) t = t.slice(0, i) + s + t.slice(i);
      else if (kind === 2) t = t.slice(0, i) + t.slice(i + (b % 60));
      else if (kind === 3) {
        const lines = t.split('\n');
        lines.splice(a % lines.length, 1);
        t = lines.join('\n');
      } else t = t.replace(/\r?\n/g, '\r\n');
    }
    return { text: t, ext: fixtures[k]!.name.split('.').pop()! };
  });

test('TF.js: mutated fixtures and token soup as .ts/.tsx/.js: no internal error, consistent ranges, fixes parse no worse (250 runs)', async () => {
  const engine = await getEngine();
  let findings = 0;
  let fixes = 0;
  await fc.assert(
    fc.asyncProperty(fc.oneof(mutated, soup.map((text) => ({ text, ext: 'ts' }))), fc.constantFrom<string | null>(null, 'tsx', 'js'), async ({ text, ext }, other) => {
      const e = other ?? ext;
      const path = `fuzz.${e}`;
      const t0 = performance.now();
      const r = engine.check(text, { path, noPrefilter: true });
      assert.ok(performance.now() - t0 < HANG_MS);
      assert.deepEqual(r.notes.filter((n) => n.kind === 'internal-error'), []);
      const grammar = EXT[e]!;
      const before = errorCount(engine, grammar, text);
      for (const f of r.findings) {
        findings++;
        assertRange(text, f.range, f.code);
        if (!f.fix) continue;
        for (const ed of f.fix.edits) assertRange(text, ed.range, `${f.code} edit`);
        const applied = applyFixes(text, [f.fix]);
        assert.deepEqual(applied.applied, [0]);
        const after = errorCount(engine, grammar, applied.text);
        assert.ok(after <= before, `${path} ${f.code} "${f.fix.message}": syntax errors ${before} -> ${after}`);
        fixes++;
      }
    }),
    { seed: 0x7f15, numRuns: 250, includeErrorInReport: true },
  );
  assert.ok(findings > 100 && fixes > 30, `findings ${findings}, fixes ${fixes}`);
});

test('TF.js: fixAll (unsafe too) converges and is idempotent on mutated fixtures (40 runs)', async () => {
  const engine = await getEngine();
  await fc.assert(
    fc.asyncProperty(mutated, fc.boolean(), async ({ text, ext }, unsafe) => {
      const lint = (t: string) => engine.check(t, { path: `fuzz.${ext}` }).findings;
      const r = fixAll(text, lint, { unsafe });
      assert.ok(r.converged, `converged (passes ${r.passes})`);
      const again = fixAll(r.text, lint, { unsafe });
      assert.equal(again.text, r.text);
      assert.equal(again.applied, 0);
    }),
    { seed: 0x7f16, numRuns: 40, includeErrorInReport: true },
  );
});
