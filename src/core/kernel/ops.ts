// Elementwise ops with broadcasting, reductions, comparisons. Every float32 result is rounded
// with Math.fround after each operation; transcendental functions follow the library (see math.ts).

import {
  broadcastIndex, broadcastShapes, checkLimit, isFloat, KernelError, normDim, roundTo, Tensor,
  type DType, type FloatDType, type KernelOptions, type Lib,
} from './tensor';
import { libExp, libLog, libLog1p, torchSigmoidF32, torchSigmoidF64 } from './math';
import { librarySum, torchReduceSum } from './reduce';

export type Operand = Tensor | number;

function libOf(opts?: KernelOptions): Lib {
  return opts?.lib ?? 'torch';
}

const RANK: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 3 };

/** Result dtype of a binary op. Python numbers are "weak" (they do not widen a float tensor). */
export function resultDtype(a: Operand, b: Operand, lib: Lib, trueDiv = false): DType {
  const defaultFloat: FloatDType = lib === 'numpy' ? 'float64' : 'float32';
  let d: DType;
  if (a instanceof Tensor && b instanceof Tensor) {
    d = RANK[a.dtype] >= RANK[b.dtype] ? a.dtype : b.dtype;
    // NumPy: int64 with float32 promotes to float64 (PyTorch keeps float32)
    if (lib === 'numpy' && d === 'float32' && (a.dtype === 'int64' || b.dtype === 'int64')) d = 'float64';
  } else {
    const t = (a instanceof Tensor ? a : b) as Tensor | number;
    const s = (a instanceof Tensor ? b : a) as number;
    if (!(t instanceof Tensor)) d = Number.isInteger(s) && Number.isInteger(t) ? 'int64' : 'float64';
    else if (isFloat(t.dtype)) d = t.dtype;
    else if (!Number.isInteger(s)) d = defaultFloat;
    else d = t.dtype === 'bool' ? 'int64' : t.dtype;
  }
  if (trueDiv && !isFloat(d)) d = defaultFloat;
  return d;
}

function asTensor(x: Operand, dtype: DType): Tensor {
  if (x instanceof Tensor) return x;
  return new Tensor([], dtype, Float64Array.of(roundTo(dtype, x)));
}

/** Applies fn elementwise over the broadcast of a and b; fn sees values already cast to `calc`. */
export function binaryMap(
  a: Operand, b: Operand, out: DType, calc: DType, fn: (x: number, y: number) => number, opts?: KernelOptions,
): Tensor {
  const ta = asTensor(a, calc);
  const tb = asTensor(b, calc);
  const shape = broadcastShapes(ta.shape, tb.shape);
  const n = checkLimit(shape, opts);
  const ia = broadcastIndex(ta.shape, shape);
  const ib = broadcastIndex(tb.shape, shape);
  const res = new Float64Array(n);
  const conv = ta.dtype !== calc || tb.dtype !== calc;
  for (let i = 0; i < n; i++) {
    let x = ta.data[ia ? ia[i]! : i]!;
    let y = tb.data[ib ? ib[i]! : i]!;
    if (conv) {
      x = roundTo(calc, x);
      y = roundTo(calc, y);
    }
    res[i] = roundTo(out, fn(x, y));
  }
  return new Tensor(shape, out, res);
}

function arith(a: Operand, b: Operand, fn: (x: number, y: number) => number, opts?: KernelOptions, trueDiv = false): Tensor {
  const d = resultDtype(a, b, libOf(opts), trueDiv);
  return binaryMap(a, b, d, d, fn, opts);
}

export const add = (a: Operand, b: Operand, o?: KernelOptions) => arith(a, b, (x, y) => x + y, o);
export const sub = (a: Operand, b: Operand, o?: KernelOptions) => arith(a, b, (x, y) => x - y, o);
export const mul = (a: Operand, b: Operand, o?: KernelOptions) => arith(a, b, (x, y) => x * y, o);
/** True division (`/`): x/0 = ±inf, 0/0 = nan, inf/inf = nan, as IEEE. */
export const div = (a: Operand, b: Operand, o?: KernelOptions) => arith(a, b, (x, y) => x / y, o, true);
export const pow = (a: Operand, b: Operand, o?: KernelOptions) => arith(a, b, (x, y) => Math.pow(x, y), o);
/** torch.maximum / np.maximum: NaN propagates. */
export const maximum = (a: Operand, b: Operand, o?: KernelOptions) =>
  arith(a, b, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x >= y ? x : y), o);
export const minimum = (a: Operand, b: Operand, o?: KernelOptions) =>
  arith(a, b, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x <= y ? x : y), o);

function cmp(a: Operand, b: Operand, fn: (x: number, y: number) => boolean, opts?: KernelOptions): Tensor {
  const d = resultDtype(a, b, libOf(opts));
  return binaryMap(a, b, 'bool', d, (x, y) => (fn(x, y) ? 1 : 0), opts);
}
export const eq = (a: Operand, b: Operand, o?: KernelOptions) => cmp(a, b, (x, y) => x === y, o);
export const ne = (a: Operand, b: Operand, o?: KernelOptions) => cmp(a, b, (x, y) => x !== y, o);
export const lt = (a: Operand, b: Operand, o?: KernelOptions) => cmp(a, b, (x, y) => x < y, o);
export const le = (a: Operand, b: Operand, o?: KernelOptions) => cmp(a, b, (x, y) => x <= y, o);
export const gt = (a: Operand, b: Operand, o?: KernelOptions) => cmp(a, b, (x, y) => x > y, o);
export const ge = (a: Operand, b: Operand, o?: KernelOptions) => cmp(a, b, (x, y) => x >= y, o);

/** torch.where / np.where. */
export function where(cond: Tensor, a: Operand, b: Operand, opts?: KernelOptions): Tensor {
  const d = resultDtype(a, b, libOf(opts));
  const ab = binaryMap(a, b, d, d, (x) => x, opts); // shape of a,b broadcast (values unused)
  const ta = asTensor(a, d);
  const tb = asTensor(b, d);
  const shape = broadcastShapes(cond.shape, ab.shape);
  const n = checkLimit(shape, opts);
  const ic = broadcastIndex(cond.shape, shape);
  const ia = broadcastIndex(ta.shape, shape);
  const ib = broadcastIndex(tb.shape, shape);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = cond.data[ic ? ic[i]! : i]!;
    out[i] = roundTo(d, c !== 0 ? ta.data[ia ? ia[i]! : i]! : tb.data[ib ? ib[i]! : i]!);
  }
  return new Tensor(shape, d, out);
}

function floatIn(x: Tensor, lib: Lib): Tensor {
  return isFloat(x.dtype) ? x : x.astype(lib === 'numpy' ? 'float64' : 'float32');
}

export function unaryMap(x: Tensor, fn: (v: number, i: number) => number, dtype: DType = x.dtype, opts?: KernelOptions): Tensor {
  checkLimit(x.shape, opts);
  const out = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) out[i] = roundTo(dtype, fn(x.data[i]!, i));
  return new Tensor(x.shape, dtype, out);
}

function transcendental(x: Tensor, which: 'exp' | 'log' | 'log1p', opts?: KernelOptions): Tensor {
  const lib = libOf(opts);
  const t = floatIn(x, lib);
  const dt = t.dtype as FloatDType;
  const nm = opts?.numpyMath;
  const fn = which === 'exp' ? libExp(lib, dt, nm) : which === 'log' ? libLog(lib, dt, nm) : libLog1p(lib, dt);
  return unaryMap(t, (v) => fn(v), dt, opts);
}
export const exp = (x: Tensor, o?: KernelOptions) => transcendental(x, 'exp', o);
/** log(0) = -inf, log(<0) = nan. */
export const log = (x: Tensor, o?: KernelOptions) => transcendental(x, 'log', o);
export const log1p = (x: Tensor, o?: KernelOptions) => transcendental(x, 'log1p', o);
export const neg = (x: Tensor, o?: KernelOptions) => unaryMap(x, (v) => -v, x.dtype, o);
export const abs = (x: Tensor, o?: KernelOptions) => unaryMap(x, (v) => Math.abs(v), x.dtype, o);
export const sqrt = (x: Tensor, o?: KernelOptions) => unaryMap(floatIn(x, libOf(o)), (v) => Math.sqrt(v), undefined, o);

/** torch.sigmoid (float32: SLEEF exp in 16-element vector blocks, libm exp for the tail). */
export function sigmoid(x: Tensor, opts?: KernelOptions): Tensor {
  const lib = libOf(opts);
  const t = floatIn(x, lib);
  if (lib === 'torch') {
    const out = t.dtype === 'float32' ? torchSigmoidF32(t.data) : torchSigmoidF64(t.data);
    return new Tensor(t.shape, t.dtype, out);
  }
  const e = libExp(lib, t.dtype as FloatDType);
  return unaryMap(t, (v) => 1 / (1 + e(-v)), t.dtype, opts);
}

/** F.logsigmoid: min(x, 0) - log1p(exp(-|x|)). */
export function logsigmoid(x: Tensor, opts?: KernelOptions): Tensor {
  const lib = libOf(opts);
  const t = floatIn(x, lib);
  const dt = t.dtype as FloatDType;
  const e = libExp(lib, dt);
  const l1 = libLog1p(lib, dt);
  const r = (v: number) => roundTo(dt, v);
  return unaryMap(t, (v) => r(Math.min(v, 0) - l1(e(r(-Math.abs(v))))), dt, opts);
}

/** torch.clamp / np.clip. NaN inputs stay NaN. Either bound may be omitted (null). */
export function clamp(x: Tensor, min: Operand | null, max: Operand | null, opts?: KernelOptions): Tensor {
  let r = x;
  if (min !== null) r = binaryMap(r, min, r.dtype, r.dtype, (v, lo) => (Number.isNaN(v) ? v : Number.isNaN(lo) ? lo : v < lo ? lo : v), opts);
  if (max !== null) r = binaryMap(r, max, r.dtype, r.dtype, (v, hi) => (Number.isNaN(v) ? v : Number.isNaN(hi) ? hi : v > hi ? hi : v), opts);
  return r;
}
export const clip = clamp;

// ---------------------------------------------------------------- reductions

export type Dims = number | readonly number[] | null | undefined;

interface Plan {
  outShape: number[];
  keptShape: number[];
  groups: Int32Array[]; // per output, flat input indices in logical order
  inner: boolean; // reduced dims are the trailing dims (contiguous innermost)
}

export function planReduce(shape: readonly number[], dims: Dims, keepdim: boolean, opts?: KernelOptions): Plan {
  checkLimit(shape, opts);
  const nd = shape.length;
  let red: number[];
  if (dims === null || dims === undefined) red = [...Array(nd).keys()];
  else red = [...new Set((typeof dims === 'number' ? [dims] : dims).map((d) => normDim(d, nd)))].sort((a, b) => a - b);
  const isRed = (d: number) => red.includes(d);
  const keptShape = shape.map((s, d) => (isRed(d) ? 1 : s));
  const outShape = keepdim ? keptShape : shape.filter((_, d) => !isRed(d));
  checkLimit(outShape, opts);
  const strides: number[] = [];
  let s = 1;
  for (let d = nd - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  const keptDims = [...Array(nd).keys()].filter((d) => !isRed(d));
  const nOut = keptDims.reduce((p, d) => p * shape[d]!, 1);
  const nRed = red.reduce((p, d) => p * shape[d]!, 1);
  const offsets = new Int32Array(nRed);
  {
    const cnt = new Array<number>(red.length).fill(0);
    for (let i = 0; i < nRed; i++) {
      let off = 0;
      for (let k = 0; k < red.length; k++) off += cnt[k]! * strides[red[k]!]!;
      offsets[i] = off;
      for (let k = red.length - 1; k >= 0; k--) {
        if (++cnt[k]! < shape[red[k]!]!) break;
        cnt[k] = 0;
      }
    }
  }
  const groups: Int32Array[] = [];
  const cnt = new Array<number>(keptDims.length).fill(0);
  for (let o = 0; o < nOut; o++) {
    let base = 0;
    for (let k = 0; k < keptDims.length; k++) base += cnt[k]! * strides[keptDims[k]!]!;
    const g = new Int32Array(nRed);
    for (let i = 0; i < nRed; i++) g[i] = base + offsets[i]!;
    groups.push(g);
    for (let k = keptDims.length - 1; k >= 0; k--) {
      if (++cnt[k]! < shape[keptDims[k]!]!) break;
      cnt[k] = 0;
    }
  }
  const inner = red.every((d, i) => d === nd - red.length + i);
  return { outShape, keptShape, groups, inner };
}

function reduceWith(x: Tensor, dims: Dims, keepdim: boolean, dtype: DType, fn: (vals: Float64Array, inner: boolean) => number, opts?: KernelOptions): Tensor {
  const p = planReduce(x.shape, dims, keepdim, opts);
  const out = new Float64Array(p.groups.length);
  p.groups.forEach((g, o) => {
    const vals = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) vals[i] = x.data[g[i]!]!;
    out[o] = roundTo(dtype, fn(vals, p.inner));
  });
  return new Tensor(p.outShape, dtype, out);
}

/** torch.sum / np.sum in the library's summation order. Integer/bool inputs sum to int64. */
export function sum(x: Tensor, dims?: Dims, keepdim = false, opts?: KernelOptions): Tensor {
  const lib = libOf(opts);
  if (!isFloat(x.dtype)) return reduceWith(x, dims, keepdim, 'int64', (v) => v.reduce((a, b) => a + b, 0), opts);
  const dt = x.dtype;
  if (lib === 'torch') return torchSum(x, dims, keepdim, opts);
  return reduceWith(x, dims, keepdim, dt, (v, inner) => librarySum(v, dt, lib, inner), opts);
}

function reducedDims(ndim: number, dims: Dims): number[] {
  if (dims === null || dims === undefined) return [...Array(ndim).keys()];
  return [...new Set((typeof dims === 'number' ? [dims] : dims).map((d) => normDim(d, ndim)))];
}

function torchSum(x: Tensor, dims: Dims, keepdim: boolean, opts?: KernelOptions): Tensor {
  const p = planReduce(x.shape, dims, keepdim, opts);
  const vals = torchReduceSum(x.data, x.shape, reducedDims(x.ndim, dims), x.dtype as FloatDType);
  return new Tensor(p.outShape, x.dtype, vals);
}

/** torch.mean / np.mean: the sum divided by the count. */
export function mean(x: Tensor, dims?: Dims, keepdim = false, opts?: KernelOptions): Tensor {
  const lib = libOf(opts);
  if (!isFloat(x.dtype)) {
    if (lib === 'torch') throw new KernelError('mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype.');
    x = x.astype('float64');
  }
  const dt = x.dtype as FloatDType;
  if (lib === 'torch') {
    const s = torchSum(x, dims, keepdim, opts);
    const n = x.size / Math.max(1, s.size);
    return unaryMap(s, (v) => v / n, dt, opts);
  }
  return reduceWith(x, dims, keepdim, dt, (v, inner) => librarySum(v, dt, lib, inner) / v.length, opts);
}

function extreme(vals: Float64Array, better: (a: number, b: number) => boolean): [number, number] {
  if (vals.length === 0) throw new KernelError('max(): Expected reduction dim to be specified for input.numel() == 0');
  let bi = 0;
  let bv = vals[0]!;
  for (let i = 1; i < vals.length; i++) {
    if (Number.isNaN(bv)) break;
    const v = vals[i]!;
    if (Number.isNaN(v) || better(v, bv)) {
      bv = v;
      bi = i;
    }
  }
  return [bv, bi];
}

/** Max value (torch.amax / np.max); NaN propagates. */
export const max = (x: Tensor, dims?: Dims, keepdim = false, o?: KernelOptions) =>
  reduceWith(x, dims, keepdim, x.dtype, (v) => extreme(v, (a, b) => a > b)[0], o);
export const min = (x: Tensor, dims?: Dims, keepdim = false, o?: KernelOptions) =>
  reduceWith(x, dims, keepdim, x.dtype, (v) => extreme(v, (a, b) => a < b)[0], o);
/** Index of the first maximum (the first NaN if any), int64; flat index when dim is omitted. */
export const argmax = (x: Tensor, dim?: number | null, keepdim = false, o?: KernelOptions) =>
  reduceWith(x, dim, keepdim, 'int64', (v) => extreme(v, (a, b) => a > b)[1], o);
export const argmin = (x: Tensor, dim?: number | null, keepdim = false, o?: KernelOptions) =>
  reduceWith(x, dim, keepdim, 'int64', (v) => extreme(v, (a, b) => a < b)[1], o);
