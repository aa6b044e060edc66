// softmax, log_softmax, logsumexp with PyTorch 1.13 CPU semantics (SoftMaxKernel.cpp, ReduceOps.cpp).
//
// log_softmax along a dim, per slice x[0..C):
//   m = max(x) (NaN propagates);  s = sum(exp(x - m)) (vector reduce order);  l = log(s)
//   out = (x - m) - l            (two roundings, in that order, as the kernel does)
// softmax: e = exp(x - m); last dim: out = e * (1 / sum(e)); other dims: out = e / sum(e).
// A slice of all -inf gives m = -inf, x - m = nan, so nan everywhere (as PyTorch).

import { checkLimit, isFloat, normDim, roundTo, Tensor, type FloatDType, type KernelOptions, type Lib } from './tensor';
import { libExp, libLog, libmExp } from './math';
import { adder, torchVecReduceSum } from './reduce';
import { planReduce, type Dims, exp as expOp, sub, sum, log as logOp, add, max as maxOp, abs, eq, where } from './ops';

function floatTensor(x: Tensor, lib: Lib): Tensor {
  return isFloat(x.dtype) ? x : x.astype(lib === 'numpy' ? 'float64' : 'float32');
}

/** Iterates over the 1-D slices of `x` along `dim`: calls fn(indices of the slice). */
export function forEachSlice(shape: readonly number[], dim: number, fn: (idx: Int32Array) => void): void {
  const nd = shape.length;
  if (nd === 0) {
    fn(Int32Array.of(0));
    return;
  }
  const C = shape[dim]!;
  let inner = 1;
  for (let d = dim + 1; d < nd; d++) inner *= shape[d]!;
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d]!;
  const idx = new Int32Array(C);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let c = 0; c < C; c++) idx[c] = (o * C + c) * inner + i;
      fn(idx);
    }
  }
}

/** Max as the vectorized kernels compute it (NaN propagates). */
function vecMax(v: ArrayLike<number>): number {
  let m = v[0]!;
  for (let i = 1; i < v.length; i++) {
    const x = v[i]!;
    if (Number.isNaN(x) || Number.isNaN(m)) m = NaN;
    else if (x > m) m = x;
  }
  return m;
}
/** std::max chain as host_softmax computes it ((a < b) ? b : a: a later NaN is skipped). */
function scalarMax(v: ArrayLike<number>): number {
  let m = v[0]!;
  for (let i = 1; i < v.length; i++) if (m < v[i]!) m = v[i]!;
  return m;
}

/** Inner index of a slice (position along the dims after `dim`) and the inner size. */
function innerInfo(shape: readonly number[], dim: number): number {
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
  return inner;
}

function softmaxImpl(x: Tensor, dim: number, logMode: boolean, opts?: KernelOptions): Tensor {
  const lib = opts?.lib ?? 'torch';
  const t = floatTensor(x, lib);
  const dt = t.dtype as FloatDType;
  checkLimit(t.shape, opts);
  const d = normDim(dim, t.ndim);
  const lastDim = t.ndim === 0 || d === t.ndim - 1;
  const r = (v: number) => roundTo(dt, v);
  const vexp = libExp(lib, dt); // SLEEF (vectorized kernels)
  const sexp = libmExp(dt); // libm (scalar loops)
  const vlog = libLog(lib, dt);
  const add = adder(dt);
  const V = dt === 'float32' ? 8 : 4;
  const inner = innerInfo(t.shape, d);
  const vecInner = inner - (inner % V); // inner positions handled by full vectors in _vec_softmax
  const out = new Float64Array(t.size);
  forEachSlice(t.shape, d, (idx) => {
    const C = idx.length;
    const v = Array.from(idx, (i) => t.data[i]!);
    if (lastDim) {
      // _vec_log_softmax_lastdim / _vec_softmax_lastdim
      const m = vecMax(v);
      const sh = v.map((a) => r(a - m));
      const e = sh.map((a) => vexp(a));
      const s = torchVecReduceSum(e, dt);
      if (logMode) {
        const l = vlog(s);
        for (let c = 0; c < C; c++) out[idx[c]!] = r(sh[c]! - l);
      } else {
        const inv = r(1 / s);
        for (let c = 0; c < C; c++) out[idx[c]!] = r(e[c]! * inv);
      }
    } else if (logMode) {
      // _vec_log_softmax (non-last dim): per inner position, max (NaN propagates),
      // s = 0 + exp(x0 - m) + ... with SLEEF exp on full vectors of inner positions and libm exp on
      // the tail, log(s) always SLEEF (a vector map over the sums), out = (x - m) - log(s).
      // (Measured against torch 1.13: this exact split matches bit for bit.)
      const vec = idx[0]! % inner < vecInner;
      const ex = vec ? vexp : sexp;
      const m = vecMax(v);
      let s = 0;
      const sh = v.map((a) => r(a - m));
      for (let c = 0; c < C; c++) s = add(s, ex(sh[c]!));
      const l = vlog(s);
      for (let c = 0; c < C; c++) out[idx[c]!] = r(sh[c]! - l);
    } else {
      // _vec_softmax: full vectors of inner positions use SLEEF exp; the tail uses libm exp
      const innerIdx = idx[0]! % inner;
      const vec = innerIdx < vecInner;
      const m = vec ? vecMax(v) : scalarMax(v);
      const ex = vec ? vexp : sexp;
      let s = 0;
      const e = v.map((a) => ex(r(a - m)));
      for (let c = 0; c < C; c++) s = add(s, e[c]!);
      for (let c = 0; c < C; c++) out[idx[c]!] = r(e[c]! / s);
    }
  });
  return new Tensor(t.shape, dt, out);
}

/** torch.softmax(x, dim) / F.softmax. */
export function softmax(x: Tensor, dim = -1, opts?: KernelOptions): Tensor {
  return softmaxImpl(x, dim, false, opts);
}
/** torch.log_softmax(x, dim) / F.log_softmax. */
export function logSoftmax(x: Tensor, dim = -1, opts?: KernelOptions): Tensor {
  return softmaxImpl(x, dim, true, opts);
}

/**
 * torch.logsumexp(x, dims, keepdim): m = amax(x, dims) with ±inf replaced by 0,
 * result = log(sum(exp(x - m))) + m.
 */
export function logsumexp(x: Tensor, dims: Dims, keepdim = false, opts?: KernelOptions): Tensor {
  const lib = opts?.lib ?? 'torch';
  const t = floatTensor(x, lib);
  const p = planReduce(t.shape, dims, keepdim, opts);
  let m = maxOp(t, dims, true, opts);
  m = where(eq(abs(m, opts), Infinity, opts), 0, m, opts);
  const s = sum(expOp(sub(t, m, opts), opts), dims, keepdim, opts);
  const mm = keepdim ? m : m.reshape(p.outShape);
  return add(logOp(s, opts), mm, opts);
}
