// Property tests of the numeric kernel and the hover evaluator (issue #8): on random shapes, dtypes
// and values, softmax / log_softmax / logsumexp / cross_entropy agree with a plain float64 reference
// written here (within a float64 or a float32-appropriate tolerance) wherever the reference is
// finite; misuse raises only the documented ShapeError / KernelError / KernelLimitError; the element
// limit is respected; engine.evaluate never throws, stays bounded, and agrees with the reference.
// Deterministic seeds; run counts chosen to keep this file to a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  crossEntropy, KernelError, KernelLimitError, logSoftmax, logsumexp, ShapeError, softmax, Tensor,
  type FloatDType,
} from '../src/core/kernel';
import { getEngine } from './helpers/engine';

const HANG_MS = 5000;
const RTOL: Record<FloatDType, number> = { float64: 1e-12, float32: 2e-5 };
const EPS: Record<FloatDType, number> = { float64: 2 ** -52, float32: 2 ** -23 };
/** Below this a probability is a subnormal of the dtype: only absolute closeness is meaningful. */
const ATOL: Record<FloatDType, number> = { float64: 1e-300, float32: 1e-37 };

// ---- float64 reference --------------------------------------------------------------------------

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
/** Largest finite value (0 when none): an infinite input has an exact (-inf/0) reference, not a scale. */
const finiteMax = (v: number[]) => v.reduce((a, b) => (Number.isFinite(b) && b > a ? b : a), 0);

/** Indices of every 1-D slice along `dim` of a row-major array. */
function slices(shape: readonly number[], dim: number): number[][] {
  const C = shape[dim]!;
  const inner = numel(shape.slice(dim + 1));
  const outer = numel(shape.slice(0, dim));
  const out: number[][] = [];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out.push(Array.from({ length: C }, (_, c) => (o * C + c) * inner + i));
  return out;
}

function refSoftmax(x: number[], shape: number[], dim: number, log: boolean): { out: number[]; scale: number[] } {
  const out = new Array<number>(x.length).fill(NaN);
  const scale = new Array<number>(x.length).fill(0);
  for (const idx of slices(shape, dim)) {
    const v = idx.map((i) => x[i]!);
    const m = Math.max(...v);
    const s = v.reduce((a, b) => a + Math.exp(b - m), 0);
    const spread = finiteMax(v.map((a) => Math.abs(a - m))) + Math.abs(Math.log(s)) + 1;
    idx.forEach((i, c) => {
      out[i] = log ? v[c]! - m - Math.log(s) : Math.exp(v[c]! - m) / s;
      scale[i] = log ? spread : Math.abs(v[c]! - m) + 1;
    });
  }
  return { out, scale };
}

function refCrossEntropy(
  x: number[], shape: number[], target: number[], o: { weight?: number[]; ignoreIndex: number; reduction: 'none' | 'mean' | 'sum'; labelSmoothing: number },
): { value: number | number[]; scale: number } {
  const C = shape.length === 1 ? shape[0]! : shape[1]!;
  const N = shape.length === 1 ? 1 : shape[0]!;
  const S = numel(shape.slice(2));
  const ls = refSoftmax(x, shape, shape.length === 1 ? 0 : 1, true).out;
  const w = (c: number) => (o.weight ? o.weight[c]! : 1);
  const per: number[] = [];
  let nll = 0;
  let smooth = 0;
  let wsum = 0;
  let scale = 1;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const t = target[n * S + s]!;
      const at = (c: number) => ls[(n * C + c) * S + s]!;
      for (let c = 0; c < C; c++) scale = Math.max(scale, Math.abs(at(c)) * Math.max(1, w(c)) * C);
      if (t === o.ignoreIndex) {
        per.push(0);
        continue;
      }
      const l = -w(t) * at(t);
      let sm = 0;
      for (let c = 0; c < C; c++) sm -= w(c) * at(c);
      per.push((1 - o.labelSmoothing) * l + (o.labelSmoothing / C) * sm);
      nll += l;
      smooth += sm;
      wsum += w(t);
    }
  }
  const eps = o.labelSmoothing;
  if (o.reduction === 'none') return { value: per, scale };
  if (o.reduction === 'sum') return { value: (1 - eps) * nll + (eps / C) * smooth, scale: scale * N * S };
  return { value: ((1 - eps) * nll) / wsum + ((eps / C) * smooth) / wsum, scale: (scale * N * S) / Math.max(wsum, 1e-300) };
}

/**
 * Called only where the reference is finite: the value must be finite and within `tol` (an
 * infinite or NaN tolerance, from an infinite input's scale, means "exactly the reference").
 */
function close(actual: number, expected: number, tol: number): boolean {
  return Number.isFinite(actual) && (Number.isFinite(tol) ? Math.abs(actual - expected) <= tol : actual === expected);
}

// ---- generators -------------------------------------------------------------------------------

const dtypeArb = fc.constantFrom<FloatDType>('float32', 'float64');
const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 });
const valueArb = fc.oneof(
  { arbitrary: fc.double({ min: -50, max: 50, noNaN: true }), weight: 6 },
  { arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }), weight: 2 },
  { arbitrary: fc.constantFrom(0, -0, 1000, -1000, 88.7, -103.9, 709, -745, 1e30, -1e30), weight: 1 },
);
const specialArb = fc.oneof({ arbitrary: valueArb, weight: 12 }, { arbitrary: fc.constantFrom(Infinity, -Infinity, NaN), weight: 1 });

function makeTensor(shape: number[], values: number[], dtype: FloatDType): { t: Tensor; x: number[] } {
  const x = values.slice(0, numel(shape)).map((v) => (dtype === 'float32' ? Math.fround(v) : v));
  while (x.length < numel(shape)) x.push(0);
  return { t: new Tensor(shape, dtype, Float64Array.from(x)), x };
}

const caseArb = fc
  .tuple(shapeArb, dtypeArb, fc.array(specialArb, { minLength: 125, maxLength: 125 }), fc.nat())
  .map(([shape, dtype, values, d]) => ({ shape, dtype, values, dim: (d % (2 * shape.length)) - shape.length }));

function timed<T>(f: () => T): T {
  const t0 = performance.now();
  const r = f();
  assert.ok(performance.now() - t0 < HANG_MS, 'returned in time');
  return r;
}

const isDocumented = (e: unknown) => e instanceof ShapeError || e instanceof KernelError || e instanceof KernelLimitError;

// ---- kernel properties ------------------------------------------------------------------------

test('softmax and log_softmax agree with a float64 reference on random shapes, dims, dtypes and values (300 runs)', () => {
  let compared = 0;
  fc.assert(
    fc.property(caseArb, fc.boolean(), ({ shape, dtype, values, dim }, log) => {
      const { t, x } = makeTensor(shape, values, dtype);
      const y = timed(() => (log ? logSoftmax(t, dim) : softmax(t, dim)));
      assert.deepEqual([...y.shape], shape);
      assert.equal(y.dtype, dtype);
      const d = dim < 0 ? dim + shape.length : dim;
      const ref = refSoftmax(x, shape, d, log);
      for (let i = 0; i < x.length; i++) {
        const e = ref.out[i]!;
        if (!Number.isFinite(e)) continue;
        const tol = log ? RTOL[dtype] * ref.scale[i]! + EPS[dtype] * ref.scale[i]! * 4 : (RTOL[dtype] + 4 * EPS[dtype] * ref.scale[i]!) * Math.abs(e) + ATOL[dtype];
        assert.ok(close(y.data[i]!, e, tol), `${log ? 'log_softmax' : 'softmax'} ${dtype} [${shape}] dim ${dim} at ${i}: ${y.data[i]} vs reference ${e} (tol ${tol})`);
        compared++;
      }
      if (!log) for (const v of y.data) assert.ok(Number.isNaN(v) || (v >= 0 && v <= 1), `softmax value ${v} in [0, 1]`);
    }),
    { seed: 0xc0ffee1, numRuns: 300, includeErrorInReport: true },
  );
  assert.ok(compared > 3000, `compared ${compared} values`);
});

test('logsumexp agrees with a float64 reference (200 runs)', () => {
  fc.assert(
    fc.property(caseArb, fc.boolean(), ({ shape, dtype, values, dim }, keepdim) => {
      const { t, x } = makeTensor(shape, values, dtype);
      const d = dim < 0 ? dim + shape.length : dim;
      const y = timed(() => logsumexp(t, dim, keepdim));
      const outShape = keepdim ? shape.map((s, i) => (i === d ? 1 : s)) : shape.filter((_, i) => i !== d);
      assert.deepEqual([...y.shape], outShape);
      slices(shape, d).forEach((idx, k) => {
        const v = idx.map((i) => x[i]!);
        const m = Math.max(...v);
        const s = v.reduce((a, b) => a + Math.exp(b - m), 0);
        const e = Math.log(s) + m;
        if (!Number.isFinite(e)) return;
        const scale = Math.abs(e) + finiteMax(v.map((a) => Math.abs(a - m))) + 1;
        const tol = (RTOL[dtype] + 4 * EPS[dtype]) * scale;
        assert.ok(close(y.data[k]!, e, tol), `logsumexp ${dtype} [${shape}] dim ${dim}: ${y.data[k]} vs ${e}`);
      });
    }),
    { seed: 0xc0ffee2, numRuns: 200, includeErrorInReport: true },
  );
});

const ceArb = fc
  .tuple(
    fc.integer({ min: 1, max: 5 }), // N
    fc.integer({ min: 1, max: 6 }), // C
    fc.constantFrom<number[]>([], [], [2], [1, 3]), // spatial dims
    fc.boolean(), // 1-D input (no batch)
    dtypeArb,
    fc.array(valueArb, { minLength: 180, maxLength: 180 }),
    fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
    fc.constantFrom<'none' | 'mean' | 'sum'>('none', 'mean', 'sum'),
    fc.option(fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 })),
    fc.constantFrom(0, 0, 0.1, 0.5),
  )
  .map(([N, C, spatial, oneD, dtype, values, tg, reduction, weight, labelSmoothing]) => {
    const shape = oneD ? [C] : [N, C, ...spatial];
    const tshape = oneD ? [] : [N, ...spatial];
    // Some targets are the ignore index; at least one is a class so 'mean' divides by a non-zero weight.
    const target = Array.from({ length: numel(tshape) }, (_, i) => (i > 0 && tg[i]! % 5 === 0 ? -100 : tg[i]! % C));
    return { shape, tshape, dtype, values, target, reduction, weight: weight ? weight.slice(0, C).map((w) => (dtype === 'float32' ? Math.fround(w) : w)) : undefined, labelSmoothing };
  });

test('cross_entropy with class targets (weights, ignore_index, label smoothing, reductions) agrees with a float64 reference (300 runs)', () => {
  fc.assert(
    fc.property(ceArb, (c) => {
      const { t, x } = makeTensor(c.shape, c.values, c.dtype);
      const target = new Tensor(c.tshape, 'int64', Float64Array.from(c.target));
      const weight = c.weight ? new Tensor([c.weight.length], c.dtype, Float64Array.from(c.weight)) : null;
      const y = timed(() => crossEntropy(t, target, { weight, ignoreIndex: -100, reduction: c.reduction, labelSmoothing: c.labelSmoothing }));
      const ref = refCrossEntropy(x, c.shape, c.target, { weight: c.weight, ignoreIndex: -100, reduction: c.reduction, labelSmoothing: c.labelSmoothing });
      const expected = Array.isArray(ref.value) ? ref.value : [ref.value];
      assert.deepEqual([...y.shape], Array.isArray(ref.value) ? c.tshape : []);
      const tol = (RTOL[c.dtype] + 8 * EPS[c.dtype]) * ref.scale;
      expected.forEach((e, i) => {
        if (!Number.isFinite(e)) return;
        assert.ok(close(y.data[i]!, e, tol), `cross_entropy ${c.dtype} [${c.shape}] ${c.reduction} ls=${c.labelSmoothing} w=${!!weight} at ${i}: ${y.data[i]} vs ${e} (tol ${tol})`);
      });
    }),
    { seed: 0xc0ffee3, numRuns: 300, includeErrorInReport: true },
  );
});

test('misuse raises only the documented errors: bad dims, shapes, targets, weights (300 runs)', () => {
  let raised = 0;
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }),
      fc.integer({ min: -6, max: 6 }),
      fc.array(fc.integer({ min: -120, max: 8 }), { minLength: 64, maxLength: 64 }),
      fc.option(fc.integer({ min: 0, max: 6 })),
      fc.constantFrom('softmax', 'log_softmax', 'logsumexp', 'cross_entropy', 'cross_entropy_probs'),
      (shape, tshape, dim, tvals, wlen, op) => {
        const t = new Tensor(shape, 'float32', new Float64Array(numel(shape)).map((_, i) => Math.fround(Math.sin(i) * 10)));
        const target = new Tensor(tshape, op === 'cross_entropy_probs' ? 'float32' : 'int64', Float64Array.from(tvals.slice(0, numel(tshape))));
        const weight = wlen === null ? null : new Tensor([wlen], 'float32', new Float64Array(wlen).fill(1));
        try {
          timed(() => {
            if (op === 'softmax') softmax(t, dim);
            else if (op === 'log_softmax') logSoftmax(t, dim);
            else if (op === 'logsumexp') logsumexp(t, dim, false);
            else crossEntropy(t, target, { weight, labelSmoothing: dim > 4 ? 0.2 : 0 });
          });
        } catch (e) {
          raised++;
          assert.ok(isDocumented(e), `${op} [${shape}] target [${tshape}] dim ${dim} weight ${wlen}: undocumented ${e instanceof Error ? e.stack : String(e)}`);
        }
      },
    ),
    { seed: 0xc0ffee4, numRuns: 300, includeErrorInReport: true },
  );
  assert.ok(raised > 50, `raised ${raised}`);
});

test('the element limit is respected: over the limit is a KernelLimitError, at the limit a value (200 runs)', () => {
  fc.assert(
    fc.property(shapeArb, fc.integer({ min: 1, max: 200 }), fc.constantFrom('softmax', 'log_softmax', 'logsumexp', 'cross_entropy'), (shape, limit, op) => {
      const n = numel(shape);
      const t = new Tensor(shape, 'float64', new Float64Array(n).fill(0.5));
      const target = new Tensor(shape.length === 1 ? [] : [shape[0]!, ...shape.slice(2)], 'int64', new Float64Array(shape.length === 1 ? 1 : n / shape[1]!));
      const opts = { maxElements: limit };
      const run = () => {
        if (op === 'softmax') return softmax(t, -1, opts);
        if (op === 'log_softmax') return logSoftmax(t, -1, opts);
        if (op === 'logsumexp') return logsumexp(t, -1, false, opts);
        return crossEntropy(t, target, {}, opts);
      };
      if (n > limit) assert.throws(run, (e: unknown) => e instanceof KernelLimitError && e.limit === limit, `${op} [${shape}] over ${limit}`);
      else assert.ok(run() instanceof Tensor);
    }),
    { seed: 0xc0ffee5, numRuns: 200, includeErrorInReport: true },
  );
});

// ---- evaluator (engine.evaluate) ----------------------------------------------------------------

function pyLiteral(x: number[], shape: number[]): string {
  const num = (v: number) => (Object.is(v, -0) ? '-0.0' : /^-?\d+$/.test(String(v)) ? `${v}.0` : String(v));
  const rec = (d: number, off: number): string => {
    if (d === shape.length) return num(x[off]!);
    const inner = numel(shape.slice(d + 1));
    return `[${Array.from({ length: shape[d]! }, (_, i) => rec(d + 1, off + i * inner)).join(', ')}]`;
  };
  return rec(0, 0);
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

test('engine.evaluate: softmax / log_softmax / logsumexp / cross_entropy programs agree with the reference (120 runs)', async () => {
  const engine = await getEngine();
  let evaluated = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, fc.constantFrom('softmax', 'log_softmax', 'logsumexp', 'cross_entropy'), fc.array(fc.nat(), { minLength: 25, maxLength: 25 }), async (c, op, tg) => {
      const { x } = makeTensor(c.shape, c.values.map((v) => (Number.isFinite(v) ? v : 0)), c.dtype);
      const d = c.dim < 0 ? c.dim + c.shape.length : c.dim;
      const ce = op === 'cross_entropy' && c.shape.length <= 3;
      const C = c.shape.length === 1 ? c.shape[0]! : c.shape[1]!;
      const tshape = c.shape.length === 1 ? [] : [c.shape[0]!, ...c.shape.slice(2)];
      const target = Array.from({ length: numel(tshape) }, (_, i) => tg[i]! % C);
      const call =
        op === 'softmax' ? `torch.softmax(x, dim=${c.dim})`
        : op === 'log_softmax' ? `F.log_softmax(x, dim=${c.dim})`
        : op === 'logsumexp' ? `torch.logsumexp(x, dim=${c.dim})`
        : `F.cross_entropy(x, t, reduction='sum')`;
      const tLiteral = tshape.length === 0 ? String(target[0]) : pyLiteral(target, tshape).replace(/\.0/g, '');
      const text = `import torch\nimport torch.nn.functional as F\nx = torch.tensor(${pyLiteral(x, c.shape)}, dtype=torch.${c.dtype})\nt = torch.tensor(${tLiteral})\nresult = ${call}\n`;
      const at = text.lastIndexOf('result');
      const t0 = performance.now();
      const r = engine.evaluate(text, at + 1);
      assert.ok(performance.now() - t0 < HANG_MS);
      if ('error' in r) assert.fail(`not evaluated: ${r.error}\n${text}`);
      evaluated++;
      const got = flat(r.value).map(Number);
      let expected: number[];
      let scale: number[];
      if (op === 'softmax' || op === 'log_softmax') {
        const ref = refSoftmax(x, c.shape, d, op === 'log_softmax');
        expected = ref.out;
        scale = ref.scale;
      } else if (op === 'logsumexp') {
        expected = slices(c.shape, d).map((idx) => {
          const v = idx.map((i) => x[i]!);
          const m = Math.max(...v);
          return Math.log(v.reduce((a, b) => a + Math.exp(b - m), 0)) + m;
        });
        scale = slices(c.shape, d).map((idx) => Math.max(...idx.map((i) => Math.abs(x[i]!))) * 2 + 1);
      } else {
        assert.ok(ce);
        const ref = refCrossEntropy(x, c.shape, target, { ignoreIndex: -100, reduction: 'sum', labelSmoothing: 0 });
        expected = [ref.value as number];
        scale = [ref.scale];
      }
      assert.equal(got.length, expected.length, `${op}: ${got.length} values`);
      expected.forEach((e, i) => {
        if (!Number.isFinite(e)) return;
        const tol = op === 'softmax' ? (RTOL[c.dtype] + 4 * EPS[c.dtype] * scale[i]!) * Math.abs(e) + ATOL[c.dtype] : (RTOL[c.dtype] + 8 * EPS[c.dtype]) * scale[i]!;
        assert.ok(close(got[i]!, e, tol), `${op} ${c.dtype} [${c.shape}] at ${i}: ${got[i]} vs ${e}\n${text}`);
      });
    }),
    { seed: 0xc0ffee6, numRuns: 120, includeErrorInReport: true },
  );
  assert.ok(evaluated > 100);
});

test('engine.evaluate at random offsets of mutated examples and fixtures: a value or an error, never a throw (200 runs)', async () => {
  const engine = await getEngine();
  const root = join(__dirname, '..', '..');
  const sources = [
    ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.py')).map((f) => join(root, 'examples', f)),
    ...readdirSync(join(root, 'test', 'fixtures', 'rules')).filter((f) => f.endsWith('.py')).map((f) => join(root, 'test', 'fixtures', 'rules', f)),
  ].sort().map((p) => readFileSync(p, 'utf8'));
  let values = 0;
  let errors = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: sources.length - 1 }), fc.nat(), fc.nat(), fc.constantFrom('', '(', ')', '[', '"', '\n', '\ud800', 'x = torch.tensor([1e400, -1e400, 0.0])\n'), async (k, at, cut, insert) => {
      const base = sources[k]!;
      const i = cut % (base.length + 1);
      const text = base.slice(0, i) + insert + base.slice(i);
      const offset = at % (text.length + 1);
      const t0 = performance.now();
      let r: ReturnType<typeof engine.evaluate>;
      try {
        r = engine.evaluate(text, offset);
      } catch (e) {
        assert.fail(`evaluate threw at offset ${offset}: ${e instanceof Error ? e.stack : String(e)}\n--- text ---\n${text}`);
      }
      assert.ok(performance.now() - t0 < HANG_MS, 'evaluate returned in time');
      if ('error' in r) {
        errors++;
        assert.equal(typeof r.error, 'string');
        assert.ok(r.error.length > 0);
        // The hover turns unexpected exceptions into "internal error: ..." instead of throwing: those are bugs too.
        assert.doesNotMatch(r.error, /internal error/i, `evaluate at offset ${offset}\n--- text ---\n${text}`);
      } else {
        values++;
        assert.ok(r.span.s >= 0 && r.span.s <= r.span.e && r.span.e <= text.length, 'value span inside the text');
        assert.equal(typeof r.markdown, 'string');
      }
    }),
    { seed: 0xc0ffee7, numRuns: 200, includeErrorInReport: true },
  );
  assert.ok(values > 20 && errors > 20, `values ${values}, errors ${errors}`);
});

test('engine.evaluate respects the element and step limits it is given (150 runs)', async () => {
  const engine = await getEngine();
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 4000 }), fc.constantFrom('torch', 'numpy'), async (a, b, maxElements, lib) => {
      const text = lib === 'torch'
        ? `import torch\nx = torch.ones(${a}, ${b})\ny = torch.softmax(x * 2.0, dim=1)\n`
        : `import numpy as np\nx = np.ones((${a}, ${b}))\ny = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)\n`;
      const r = engine.evaluate(text, text.lastIndexOf('y ='), { limits: { maxElements } });
      if (a * b > maxElements) {
        assert.ok('error' in r && /^(`\w+`: )?too large/.test(r.error), `${a}x${b} over ${maxElements}: ${JSON.stringify(r).slice(0, 200)}`);
      } else {
        assert.ok(!('error' in r), `${a}x${b} within ${maxElements}: ${'error' in r ? r.error : ''}`);
        assert.deepEqual(r.shape, [a, b]);
      }
    }),
    { seed: 0xc0ffee8, numRuns: 150, includeErrorInReport: true },
  );
  // Steps: 300 statements fit the default budget and not a budget of 100 steps.
  const chain = 'y = 0\n' + 'y = y + 1\n'.repeat(300) + 'z = y\n';
  const ok = engine.evaluate(chain, chain.lastIndexOf('z ='));
  assert.ok(!('error' in ok) && ok.value === 300, JSON.stringify(ok).slice(0, 200));
  const tight = engine.evaluate(chain, chain.lastIndexOf('z ='), { limits: { maxSteps: 100 } });
  assert.ok('error' in tight && /too many steps \(limit 100\)/.test(tight.error), JSON.stringify(tight).slice(0, 200));
});

test('engine.evaluate: hand-written loop cross-entropies over random batches agree with the reference; loops respect the step limit (80 runs)', async () => {
  const engine = await getEngine();
  let evaluated = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 2, max: 6 }),
      fc.array(fc.double({ min: -800, max: 800, noNaN: true }), { minLength: 36, maxLength: 36 }),
      fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
      fc.constantFrom('numpy', 'torch'),
      fc.integer({ min: 50, max: 3000 }),
      async (N, C, vals, tg, lib, maxSteps) => {
        const x = vals.slice(0, N * C).map((v) => Math.round(v * 1000) / 1000);
        const y = tg.slice(0, N).map((t) => t % C);
        const rows = Array.from({ length: N }, (_, i) => `[${x.slice(i * C, (i + 1) * C).map((v) => v.toFixed(3)).join(', ')}]`).join(', ');
        const text = lib === 'numpy'
          ? `import numpy as np\nz = np.array([${rows}])\ny = [${y.join(', ')}]\ntotal = 0.0\nfor i in range(${N}):\n    row = z[i]\n    s = row - np.max(row)\n    total += np.log(np.sum(np.exp(s))) - s[y[i]]\nresult = total / ${N}\n`
          : `import torch\nimport torch.nn.functional as F\nz = torch.tensor([${rows}], dtype=torch.float64)\ny = [${y.join(', ')}]\ntotal = 0.0\nfor row, t in pairs_unknown:\n    total += 1\nacc = torch.tensor(0.0, dtype=torch.float64)\nfor i in range(${N}):\n    acc = acc - F.log_softmax(z[i], dim=0)[y[i]]\nresult = acc / ${N}\n`;
        const at = text.lastIndexOf('result =');
        const t0 = performance.now();
        const r = engine.evaluate(text, at);
        assert.ok(performance.now() - t0 < HANG_MS);
        // (torch: `pairs_unknown` is not defined, so that loop is not run and `total` is unknown; the other loop runs)
        if ('error' in r) assert.fail(`not evaluated: ${r.error}\n${text}`);
        evaluated++;
        const ref = refCrossEntropy(x, [N, C], y, { ignoreIndex: -100, reduction: 'mean', labelSmoothing: 0 });
        const got = Number(flat(r.value)[0]);
        assert.ok(close(got, ref.value as number, 1e-12 * ref.scale + 1e-300), `${got} vs ${String(ref.value)}\n${text}`);
        // The same program under a small step budget: "too many steps" or a value, never anything else.
        const tight = engine.evaluate(text, at, { limits: { maxSteps } });
        if ('error' in tight) assert.match(tight.error, /too many steps/, text);
        else assert.equal(Number(flat(tight.value)[0]), got);
      },
    ),
    { seed: 0xc0ffee9, numRuns: 80, includeErrorInReport: true },
  );
  assert.ok(evaluated >= 80);
});
