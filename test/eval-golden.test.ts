// Small programs executed by real PyTorch 1.13 / NumPy 1.24 / SciPy 1.10 (scripts/golden/gen_eval.py
// wrote test/golden/eval/programs.json); the evaluator must give the same value, dtype, shape and
// printed form when hovering `result` — bit for bit unless it marks the value CPU-dependent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEngine } from './helpers/engine';
import * as Kernel from '../src/core/kernel';

interface Case {
  name: string;
  source: string;
  type: string;
  dtype: string;
  shape: number[];
  value: unknown;
  printed: string;
}

interface Double {
  source: string;
  lossYouGet: unknown;
  lossYouMeant: unknown;
  gradientYouGet: unknown;
  gradientYouMeant: unknown;
}

const golden = JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'golden', 'eval', 'programs.json'), 'utf8')) as { cases: Case[]; doubleSoftmax: Double[] };

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

function sameBits(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || (a === 0 && b === 0);
  return a === b;
}

test('golden programs: the file has the cases the test expects', () => {
  assert.ok(golden.cases.length >= 40, `${golden.cases.length} cases`);
});

let exactCount = 0;
for (const c of golden.cases) {
  test(`golden: ${c.name}`, async () => {
    const engine = await getEngine();
    const offset = c.source.lastIndexOf('result =');
    const h = engine.evaluate(c.source, offset);
    if ('error' in h) assert.fail(`not evaluable: ${h.error}`);
    const want = flat(decode(c.value));
    const got = flat(h.value);
    assert.equal(got.length, want.length, 'element count');
    assert.deepEqual(h.shape, c.shape, 'shape');
    assert.equal(h.dtype, c.dtype, 'dtype');
    assert.equal(h.type, c.type, 'type');
    if (h.exact) {
      exactCount++;
      got.forEach((g, i) => assert.ok(sameBits(g, want[i]), `element ${i}: got ${String(g)}, library ${String(want[i])}`));
      assert.equal(h.printed, c.printed, 'printed');
    } else {
      got.forEach((g, i) => {
        const w = want[i] as number;
        const x = g as number;
        const ok = sameBits(x, w) || (Number.isFinite(w) && Math.abs(x - w) <= 1e-15 * Math.max(1, Math.abs(w)));
        assert.ok(ok, `element ${i}: got ${String(g)}, library ${String(w)} (CPU-dependent value, beyond tolerance)`);
      });
      if (h.printed !== null) assert.equal(h.printed, c.printed, 'printed (claimed despite CPU dependence)');
    }
  });
}

test('golden: most programs are compared bit for bit (exact), not within a tolerance', () => {
  assert.ok(exactCount >= 35, `${exactCount} exact of ${golden.cases.length}`);
});

for (const [i, d] of golden.doubleSoftmax.entries()) {
  test(`golden double softmax ${i}: losses and gradients as PyTorch's autograd computes them`, async () => {
    const h = (await getEngine()).evaluate(d.source, d.source.lastIndexOf('result ='));
    if ('error' in h) assert.fail(h.error);
    const ds = h.doubleSoftmax;
    assert.ok(ds, 'double softmax detected');
    for (const k of ['lossYouGet', 'lossYouMeant', 'gradientYouGet', 'gradientYouMeant'] as const) {
      const want = flat(decode(d[k]));
      const got = flat(ds[k].value);
      assert.equal(got.length, want.length, k);
      got.forEach((g, j) => assert.ok(sameBits(g, want[j]), `${k}[${j}]: got ${String(g)}, PyTorch ${String(want[j])}`));
    }
  });
}

// With the kernel modelling NumPy on AVX-512 CPUs (SVML) — the CPU the goldens were generated on —
// NumPy values must match bit for bit too, and printed forms must match whenever given.
const Kn = Kernel as unknown as { setNumpyMath?: (m: 'svml' | 'libm') => void; getNumpyMath?: () => 'svml' | 'libm' };
test('golden (SVML model): every program bit for bit, NumPy included', async () => {
  assert.ok(Kn.setNumpyMath && Kn.getNumpyMath, 'the kernel offers the NumPy exp/log switch');
  const before = Kn.getNumpyMath();
  Kn.setNumpyMath('svml');
  const engine = await getEngine();
  const bad: string[] = [];
  try {
    for (const c of golden.cases) {
      const h = engine.evaluate(c.source, c.source.lastIndexOf('result ='));
      if ('error' in h) {
        bad.push(`${c.name}: ${h.error}`);
        continue;
      }
      const want = flat(decode(c.value));
      const got = flat(h.value);
      if (got.length !== want.length || got.some((g, i) => !sameBits(g, want[i]))) bad.push(`${c.name}: ${JSON.stringify(h.value)} vs ${JSON.stringify(c.value)}`);
      if (h.printed !== null && h.printed !== c.printed) bad.push(`${c.name}: printed ${h.printed} vs ${c.printed}`);
    }
  } finally {
    Kn.setNumpyMath(before);
  }
  assert.deepEqual(bad, []);
});
