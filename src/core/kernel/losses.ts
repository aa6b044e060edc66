// PyTorch 1.13 loss functions, reproduced op by op (aten/src/ATen/native/{LossNLL,Loss}.cpp,
// torch/nn/functional.py) including the float32 rounding of every intermediate.

import {
  checkLimit, isFloat, KernelError, ShapeError, roundTo, Tensor,
  type FloatDType, type KernelOptions,
} from './tensor';
import { libmLog } from './math';
import { logSoftmax } from './softmax';
import { add, binaryMap, clamp, div, exp, log, mean, mul, neg, sub, sum, unaryMap } from './ops';

export type Reduction = 'none' | 'mean' | 'sum';

export interface NllOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
}
export interface CrossEntropyOptions extends NllOptions {
  labelSmoothing?: number;
}

function torchOpts(o?: KernelOptions): KernelOptions {
  return { ...o, lib: 'torch' };
}

function floatDt(x: Tensor): FloatDType {
  if (!isFloat(x.dtype)) throw new KernelError(`expected a floating point input, got ${x.dtype}`);
  return x.dtype;
}

/** Layout of a class-index problem: input (C) | (N,C) | (N,C,d1..dk), target () | (N) | (N,d1..dk). */
interface Layout {
  N: number;
  C: number;
  S: number; // spatial size (product of d1..dk), 1 for (N,C)
  outShape: number[]; // shape of the per-element loss
}
function layout(input: Tensor, target: Tensor): Layout {
  if (input.ndim === 0) throw new ShapeError('input must have at least 1 dimension');
  if (input.ndim === 1) {
    if (target.ndim !== 0) throw new ShapeError(`Expected target to be 0-dimensional for 1-D input, got shape [${target.shape.join(', ')}]`);
    return { N: 1, C: input.shape[0]!, S: 1, outShape: [] };
  }
  const N = input.shape[0]!;
  const C = input.shape[1]!;
  const spatial = input.shape.slice(2);
  const want = [N, ...spatial];
  if (target.ndim !== want.length || target.shape.some((s, i) => s !== want[i])) {
    throw new ShapeError(`Expected target of shape [${want.join(', ')}] for input of shape [${input.shape.join(', ')}], got [${target.shape.join(', ')}]`);
  }
  return { N, C, S: spatial.reduce((a, b) => a * b, 1), outShape: want };
}

function ceilLog2(x: number): number {
  return x <= 2 ? 1 : Math.ceil(Math.log2(x));
}

/** The nll_loss / nll_loss2d CPU forward: cascaded sums over samples in (n, spatial) order. */
export function nllLoss(input: Tensor, target: Tensor, options: NllOptions = {}, opts?: KernelOptions): Tensor {
  return nllForward(input, target, options, opts).loss;
}

/** nll_loss forward with the total weight it divides by (for 'mean'); total is NaN for 'none'. */
export function nllForward(input: Tensor, target: Tensor, options: NllOptions = {}, opts?: KernelOptions): { loss: Tensor; totalWeight: number } {
  const dt = floatDt(input);
  checkLimit(input.shape, opts);
  const { weight = null, ignoreIndex = -100, reduction = 'mean' } = options;
  const L = layout(input, target);
  const r = (v: number) => roundTo(dt, v);
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== L.C)) {
    throw new ShapeError(`weight tensor should be defined either for all ${L.C} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`);
  }
  const w = weight ? weight.astype(dt).data : null;
  const at = (n: number, c: number, s: number) => input.data[(n * L.C + c) * L.S + s]!;
  const count = L.N * L.S;
  const check = (t: number) => {
    if (t !== ignoreIndex && (t < 0 || t >= L.C || !Number.isInteger(t))) throw new KernelError(`Target ${t} is out of bounds.`);
  };
  if (reduction === 'none') {
    const out = new Float64Array(count);
    for (let n = 0; n < L.N; n++) {
      for (let s = 0; s < L.S; s++) {
        const t = target.data[n * L.S + s]!;
        check(t);
        if (t === ignoreIndex) continue;
        const wt = w ? w[t]! : 1;
        out[n * L.S + s] = r(-at(n, t, s) * wt);
      }
    }
    return { loss: new Tensor(L.outShape, dt, out), totalWeight: NaN };
  }
  const levels = 8;
  const levelPower = Math.max(4, Math.floor(ceilLog2(count) / levels));
  const levelMask = (1 << levelPower) - 1;
  const lossP = new Array<number>(levels).fill(0);
  const wP = new Array<number>(levels).fill(0);
  let ignored = 0;
  for (let n = 0; n < L.N; n++) {
    for (let s = 0; s < L.S; s++) {
      const lin = n * L.S + s;
      const t = target.data[lin]!;
      check(t);
      if (t === ignoreIndex) {
        ignored++;
        continue;
      }
      const x = at(n, t, s);
      if (w) {
        lossP[0] = r(lossP[0]! - r(x * w[t]!));
        wP[0] = r(wP[0]! + w[t]!);
      } else lossP[0] = r(lossP[0]! - x);
      for (let j = 0; j + 1 < levels; j++) {
        const mask = levelMask * 2 ** (j * levelPower);
        if ((lin & mask) !== 0) break;
        wP[j + 1] = r(wP[j + 1]! + wP[j]!);
        lossP[j + 1] = r(lossP[j + 1]! + lossP[j]!);
        wP[j] = 0;
        lossP[j] = 0;
      }
    }
  }
  const totalWeight = w ? wP.reduce((a, b) => r(a + b), 0) : r(count - ignored);
  let out = lossP.reduce((a, b) => r(a + b), 0);
  if (reduction === 'mean') out = r(out / totalWeight);
  return { loss: new Tensor([], dt, Float64Array.of(out)), totalWeight };
}

/** F.cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing). */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}, opts?: KernelOptions): Tensor {
  const o = torchOpts(opts);
  const dt = floatDt(input);
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  if (labelSmoothing < 0 || labelSmoothing > 1) throw new KernelError(`label_smoothing must be between 0.0 and 1.0. Got: ${labelSmoothing}`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim]!;
  const probTarget = input.ndim === target.ndim && input.shape.every((s, i) => s === target.shape[i]);
  const ls = logSoftmax(input, classDim, o);
  const wShape = input.shape.map((_, i) => (i === classDim ? C : 1));
  const w = weight ? weight.astype(dt).reshape(wShape) : null;
  if (probTarget) {
    if (!isFloat(target.dtype)) throw new KernelError('Expected floating point type for target with class probabilities');
    let tgt = target.astype(dt);
    if (labelSmoothing > 0) tgt = add(mul(tgt, 1 - labelSmoothing, o), labelSmoothing / C, o);
    let prod = mul(ls, tgt, o);
    if (w) prod = mul(prod, w, o);
    if (reduction === 'none') return neg(sum(prod, classDim, false, o), o);
    const total = neg(sum(prod, null, false, o), o);
    if (reduction === 'sum') return total;
    return div(total, Math.floor(input.size / C), o);
  }
  if (labelSmoothing <= 0) return nllLoss(ls, target, { weight, ignoreIndex, reduction }, o);
  // cross_entropy_loss_label_smoothing
  const nll = nllLoss(ls, target, { weight, ignoreIndex, reduction }, o);
  let smooth = neg(sum(w ? mul(ls, w, o) : ls, classDim, false, o), o);
  const ignoreMask = target.data.map((t) => (t === ignoreIndex ? 1 : 0));
  smooth = unaryMap(smooth, (v, i) => (ignoreMask[i] ? 0 : v));
  let ret: Tensor;
  if (reduction === 'mean') {
    if (w) {
      const picked: number[] = [];
      target.data.forEach((t) => {
        if (t !== ignoreIndex) picked.push(weight!.astype(dt).data[t]!);
      });
      ret = div(sum(smooth, null, false, o), sum(new Tensor([picked.length], dt, Float64Array.from(picked)), null, false, o), o);
    } else {
      // PyTorch 1.13: the mean over the non-ignored targets (masked_select, then mean)
      const keptVals = Array.from(smooth.data).filter((_, i) => !ignoreMask[i]);
      ret = mean(new Tensor([keptVals.length], dt, Float64Array.from(keptVals)), null, false, o);
    }
  } else if (reduction === 'sum') ret = sum(smooth, null, false, o);
  else ret = smooth;
  return add(mul(nll, 1 - labelSmoothing, o), mul(ret, labelSmoothing / C, o), o);
}

function reduce(loss: Tensor, reduction: Reduction, o: KernelOptions): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss, null, false, o) : mean(loss, null, false, o);
}

/**
 * F.binary_cross_entropy(input, target, weight, reduction): per element
 * (y - 1) * max(log(1 - x), -100) - y * max(log(x), -100)  (scalar libm log), then * weight.
 * Throws like PyTorch when an input is outside [0, 1] (NaN included).
 */
export function binaryCrossEntropy(
  input: Tensor, target: Tensor, options: { weight?: Tensor | null; reduction?: Reduction } = {}, opts?: KernelOptions,
): Tensor {
  const o = torchOpts(opts);
  const dt = floatDt(input);
  const { weight = null, reduction = 'mean' } = options;
  if (input.ndim !== target.ndim || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new ShapeError(`Using a target size ([${target.shape.join(', ')}]) that is different to the input size ([${input.shape.join(', ')}]) is deprecated. Please ensure they have the same size.`);
  }
  const r = (v: number) => roundTo(dt, v);
  const lg = libmLog(dt); // cpu_kernel scalar loop: std::log
  let loss = binaryMap(input, target.astype(dt), dt, dt, (x, y) => {
    if (!(x >= 0 && x <= 1)) throw new KernelError('all elements of input should be between 0 and 1');
    return r(r(r(y - 1) * Math.max(lg(r(1 - x)), -100)) - r(y * Math.max(lg(x), -100)));
  }, o);
  if (weight) loss = mul(loss, weight.astype(dt), o);
  return reduce(loss, reduction, o);
}

export interface BceLogitsOptions {
  weight?: Tensor | null;
  posWeight?: Tensor | null;
  reduction?: Reduction;
}

/**
 * F.binary_cross_entropy_with_logits, PyTorch 1.13 formula:
 * m = max(-x, 0); loss = (1 - y) * x + m + log(exp(-m) + exp(-x - m))
 * with pos_weight p: lw = (p - 1) * y + 1; loss = (1 - y) * x + lw * (log(exp(-m) + exp(-x - m)) + m).
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceLogitsOptions = {}, opts?: KernelOptions): Tensor {
  const o = torchOpts(opts);
  const dt = floatDt(input);
  const { weight = null, posWeight = null, reduction = 'mean' } = options;
  if (input.ndim !== target.ndim || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new ShapeError(`Target size ([${target.shape.join(', ')}]) must be the same as input size ([${input.shape.join(', ')}])`);
  }
  const y = target.astype(dt);
  const m = clamp(neg(input, o), 0, null, o);
  const lse = log(add(exp(neg(m, o), o), exp(sub(neg(input, o), m, o), o), o), o);
  let loss: Tensor;
  if (posWeight) {
    const lw = add(mul(sub(posWeight.astype(dt), 1, o), y, o), 1, o);
    loss = add(mul(sub(1, y, o), input, o), mul(lw, add(lse, m, o), o), o);
  } else {
    loss = add(add(mul(sub(1, y, o), input, o), m, o), lse, o);
  }
  if (weight) loss = mul(loss, weight.astype(dt), o);
  return reduce(loss, reduction, o);
}

/**
 * F.kl_div(input, target, reduction, log_target): input is log-probabilities.
 * log_target: exp(t) * (t - x); else xlogy(t, t) - t * x, with xlogy(0, y) = 0 and xlogy(t, nan) = nan.
 * 'batchmean' divides the sum by input.shape[0]; 'mean' by the element count.
 */
export function klDiv(
  input: Tensor, target: Tensor, options: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}, opts?: KernelOptions,
): Tensor {
  const o = torchOpts(opts);
  const dt = floatDt(input);
  const { reduction = 'mean', logTarget = false } = options;
  const t = target.astype(dt);
  let out: Tensor;
  if (logTarget) out = mul(exp(t, o), sub(t, input, o), o);
  else {
    const lg = libmLog(dt); // xlogy is a scalar kernel: std::log
    const xl = unaryMap(t, (v) => (Number.isNaN(v) ? NaN : v === 0 ? 0 : roundTo(dt, v * lg(v))), dt, o);
    out = sub(xl, mul(t, input, o), o);
  }
  if (reduction === 'batchmean') {
    const s = sum(out, null, false, o);
    return input.ndim === 0 ? s : div(s, input.shape[0]!, o);
  }
  return reduce(out, reduction, o);
}

