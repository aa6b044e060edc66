// Gradients with respect to the logits, computed the way PyTorch 1.13 autograd computes them
// (same backward formulas, same float32 rounding): what `loss.sum().backward()` leaves in x.grad.
//
// log_softmax backward:  gx = g - exp(out) * sum(g)             (SoftMaxKernel.cpp)
// softmax backward:      gx = (g - sum(g * out)) * out
// nll backward:          g[n, t] = w[t] * -(mean ? 1 / total_weight : 1), 0 where ignored
// bce-with-logits:       (sigmoid(x) - y) [* weight] [/ numel]; with pos_weight p:
//                        ((p*y + 1 - y) * sigmoid(x) - p*y) [* weight] [/ numel]

import { isFloat, KernelError, roundTo, Tensor, type FloatDType, type KernelOptions } from './tensor';
import { libExp, libmExp } from './math';
import { fma32 } from './f32';
import { fma64 } from './f64';
import { combineLanes, torchInnerSum, torchVecReduceSum } from './reduce';
import { nllForward } from './losses';
import { forEachSlice, logSoftmax, softmax } from './softmax';
import { add, binaryMap, mul, sigmoid, sub, unaryMap } from './ops';
import type { BceLogitsOptions, CrossEntropyOptions } from './losses';

const TORCH: KernelOptions = { lib: 'torch' };

function dtOf(x: Tensor): FloatDType {
  if (!isFloat(x.dtype)) throw new KernelError(`expected a floating point input, got ${x.dtype}`);
  return x.dtype;
}

function innerSize(shape: readonly number[], dim: number): number {
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
  return inner;
}

/**
 * log_softmax backward along `dim` given the forward output: gx = g - exp(out) * sum(g).
 * The AVX2 kernels are compiled with FMA contraction, so `g - exp(out) * s` is one fused
 * multiply-subtract. Last dim: s = vector reduce of g. Other dims: s = 0 + g0 + g1 + ...,
 * SLEEF exp on full vectors of inner positions and libm exp on the tail (measured).
 */
export function logSoftmaxBackward(grad: Tensor, output: Tensor, dim: number): Tensor {
  const dt = dtOf(output);
  const r = (v: number) => roundTo(dt, v);
  const vexp = libExp('torch', dt);
  const sexp = libmExp(dt);
  const fma = dt === 'float32' ? fma32 : fma64;
  const lastDim = dim === output.ndim - 1 || output.ndim === 0;
  const V = dt === 'float32' ? 8 : 4;
  const inner = innerSize(output.shape, dim);
  const vecInner = inner - (inner % V);
  const out = new Float64Array(output.size);
  forEachSlice(output.shape, dim, (idx) => {
    const g = Array.from(idx, (i) => grad.data[i]!);
    let s: number;
    let ex = vexp;
    if (lastDim) s = torchVecReduceSum(g, dt);
    else {
      s = 0;
      for (const v of g) s = r(s + v);
      if (idx[0]! % inner >= vecInner) ex = sexp;
    }
    idx.forEach((i, c) => {
      out[i] = fma(-ex(output.data[i]!), s, g[c]!);
    });
  });
  return new Tensor(output.shape, dt, out);
}

/**
 * softmax backward along `dim` given the forward output: gx = (g - sum(g * out)) * out.
 * Last dim: fewer than V elements -> rounded products added in order; otherwise lane-wise
 * fused multiply-adds, then the lane combine of reduce_all. Other dims: s = fma(g, out, s) from 0.
 */
export function softmaxBackward(grad: Tensor, output: Tensor, dim: number): Tensor {
  const dt = dtOf(output);
  const r = (v: number) => roundTo(dt, v);
  const fma = dt === 'float32' ? fma32 : fma64;
  const lastDim = dim === output.ndim - 1 || output.ndim === 0;
  const V = dt === 'float32' ? 8 : 4;
  const out = new Float64Array(output.size);
  forEachSlice(output.shape, dim, (idx) => {
    const g = Array.from(idx, (i) => grad.data[i]!);
    const o = Array.from(idx, (i) => output.data[i]!);
    const n = g.length;
    let s: number;
    if (lastDim && n < V) {
      s = r(g[0]! * o[0]!);
      for (let k = 1; k < n; k++) s = r(s + r(g[k]! * o[k]!));
    } else if (lastDim) {
      const l: number[] = [];
      for (let k = 0; k < V; k++) l.push(r(g[k]! * o[k]!));
      let d = V;
      for (; d < n; d += V) for (let k = 0; k < V && d + k < n; k++) l[k] = fma(g[d + k]!, o[d + k]!, l[k]!);
      s = combineLanes(l, dt);
    } else {
      s = 0;
      for (let k = 0; k < n; k++) s = fma(g[k]!, o[k]!, s);
    }
    idx.forEach((i, c) => {
      out[i] = r(r(g[c]! - s) * o[c]!);
    });
  });
  return new Tensor(output.shape, dt, out);
}

/** Gradient flowing into log_softmax(input) from cross_entropy's loss (before log_softmax backward). */
function ceGradOnLogProbs(ls: Tensor, target: Tensor, options: CrossEntropyOptions): Tensor {
  const dt = dtOf(ls);
  const r = (v: number) => roundTo(dt, v);
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  const classDim = ls.ndim === 1 ? 0 : 1;
  const C = ls.shape[classDim]!;
  const N = ls.ndim === 1 ? 1 : ls.shape[0]!;
  const S = ls.ndim <= 2 ? 1 : ls.shape.slice(2).reduce((a, b) => a * b, 1);
  const w = weight ? weight.astype(dt).data : null;
  const at = (n: number, c: number, s: number) => (n * C + c) * S + s;
  const g = new Float64Array(ls.size);
  const probTarget = ls.ndim === target.ndim && ls.shape.every((s, i) => s === target.shape[i]);
  if (probTarget) {
    let tg = target.astype(dt);
    if (labelSmoothing > 0) tg = add(mul(tg, 1 - labelSmoothing, TORCH), labelSmoothing / C, TORCH);
    // loss = -(ls * t [* w]).sum(...) [/ k]
    const k = Math.floor(ls.size / C);
    const dprod = reduction === 'mean' ? -r(1 / k) : -1;
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++)
        for (let s = 0; s < S; s++) {
          const i = at(n, c, s);
          const d = w ? r(dprod * w[c]!) : dprod;
          g[i] = r(d * tg.data[i]!);
        }
    return new Tensor(ls.shape, dt, g);
  }
  const count = N * S;
  let totalWeight = 0;
  const picked: number[] = [];
  for (let j = 0; j < count; j++) {
    const t = target.data[j]!;
    if (t === ignoreIndex) continue;
    if (t < 0 || t >= C || !Number.isInteger(t)) throw new KernelError(`Target ${t} is out of bounds.`);
    picked.push(w ? w[t]! : 1);
  }
  // total_weight exactly as the forward computes it (cascaded sum)
  if (reduction === 'mean') totalWeight = nllForward(ls, target, { weight, ignoreIndex, reduction }).totalWeight;
  const ls1 = labelSmoothing > 0 ? r(1 - labelSmoothing) : 1;
  const gNll = reduction === 'mean' ? -r(ls1 / totalWeight) : -ls1;
  let gSmooth = 0;
  if (labelSmoothing > 0) {
    const b = r(labelSmoothing / C);
    if (reduction === 'mean') {
      const wsum = w ? sumTorch(picked, dt) : 0;
      gSmooth = w ? r(b / wsum) : r(b / picked.length);
    } else gSmooth = b;
  }
  for (let n = 0; n < N; n++)
    for (let s = 0; s < S; s++) {
      const t = target.data[n * S + s]!;
      if (t === ignoreIndex) continue;
      const gi = at(n, t, s);
      g[gi] = w ? r(w[t]! * gNll) : gNll;
      if (labelSmoothing > 0) {
        for (let c = 0; c < C; c++) {
          const i = at(n, c, s);
          const sm = w ? r(-gSmooth * w[c]!) : -gSmooth;
          g[i] = r(g[i]! + sm);
        }
      }
    }
  return new Tensor(ls.shape, dt, g);
}

function sumTorch(v: number[], dt: FloatDType): number {
  return torchInnerSum(v, dt);
}

/**
 * d/d input of F.cross_entropy(input, target, ...) (summed over outputs for reduction 'none').
 * With `throughSoftmax`, the loss is cross_entropy(softmax(input, class_dim), target) — the
 * double-softmax mistake — and the gradient includes the extra softmax's Jacobian.
 */
export function crossEntropyGrad(
  input: Tensor, target: Tensor, options: CrossEntropyOptions = {}, throughSoftmax = false,
): Tensor {
  dtOf(input);
  const classDim = input.ndim === 1 ? 0 : 1;
  const p = throughSoftmax ? softmax(input, classDim, TORCH) : input;
  const ls = logSoftmax(p, classDim, TORCH);
  const g = ceGradOnLogProbs(ls, target, options);
  const gp = logSoftmaxBackward(g, ls, classDim);
  return throughSoftmax ? softmaxBackward(gp, p, classDim) : gp;
}

/** d/d input of F.binary_cross_entropy_with_logits (summed over outputs for reduction 'none'). */
export function bceWithLogitsGrad(input: Tensor, target: Tensor, options: BceLogitsOptions = {}): Tensor {
  const dt = dtOf(input);
  const { weight = null, posWeight = null, reduction = 'mean' } = options;
  const y = target.astype(dt);
  const sg = sigmoid(input, TORCH);
  let gi: Tensor;
  if (posWeight) {
    const t = mul(posWeight.astype(dt), y, TORCH);
    gi = sub(mul(sub(add(t, 1, TORCH), y, TORCH), sg, TORCH), t, TORCH);
  } else gi = sub(sg, y, TORCH);
  if (weight) gi = mul(gi, weight.astype(dt), TORCH);
  if (reduction === 'mean') {
    const n = input.size;
    gi = binaryMap(gi, n, dt, dt, (a, b) => a / b, TORCH);
  }
  return unaryMap(gi, (v) => v, dt);
}
