// TensorFlow / Keras / optax cross-entropy functions from their documented formulas.
// TensorFlow and JAX are not available to generate library goldens, so these are tested against
// the same formulas evaluated in NumPy float64 ("formula" goldens), not against the libraries.
// Transcendentals are the correctly rounded libm ones (numpyMath 'libm' unless the caller passes
// another); float32 inputs are rounded per operation
// (TF/XLA use their own vectorized exp/log, so float32 results can differ by an ULP or so).

import { KernelError, normDim, roundTo, Tensor, type FloatDType, type KernelOptions } from './tensor';
import { add, clamp, div, exp, log, log1p, abs, maximum, mean, mul, neg, sub, sum, max } from './ops';

function o(opts?: KernelOptions): KernelOptions {
  return { numpyMath: 'libm', ...opts, lib: 'numpy' };
}
function fdt(x: Tensor): FloatDType {
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new KernelError(`expected a floating point tensor, got ${x.dtype}`);
  return x.dtype;
}
/** Keras backend epsilon(). */
export const KERAS_EPSILON = 1e-7;

/** log_softmax as TF computes it: shifted = x - max; shifted - log(sum(exp(shifted))). */
function tfLogSoftmax(x: Tensor, axis: number, opts?: KernelOptions): Tensor {
  const op = o(opts);
  const shifted = sub(x, max(x, axis, true, op), op);
  return sub(shifted, log(sum(exp(shifted, op), axis, true, op), op), op);
}

/** tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis=-1): -sum(labels * log_softmax(logits)). */
export function tfSoftmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, axis = -1, opts?: KernelOptions): Tensor {
  const op = o(opts);
  fdt(logits);
  const ax = normDim(axis, logits.ndim);
  return neg(sum(mul(labels.astype(logits.dtype), tfLogSoftmax(logits, ax, op), op), ax, false, op), op);
}

/** Picks x[..., labels[...]] along the last axis. */
function takeLast(x: Tensor, labels: Tensor): Tensor {
  const C = x.shape[x.ndim - 1]!;
  const n = labels.size;
  if (x.size !== n * C) throw new KernelError(`labels shape [${labels.shape.join(', ')}] does not match logits shape [${x.shape.join(', ')}]`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels.data[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= C) throw new KernelError(`Received a label value of ${y} which is outside the valid range of [0, ${C}).`);
    out[i] = x.data[i * C + y]!;
  }
  return new Tensor(labels.shape, x.dtype, out);
}

/** tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits): logsumexp(logits) - logits[label]. */
export function tfSparseSoftmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, opts?: KernelOptions): Tensor {
  const op = o(opts);
  fdt(logits);
  return neg(takeLast(tfLogSoftmax(logits, logits.ndim - 1, op), labels), op);
}

/** tf.nn.sigmoid_cross_entropy_with_logits(labels, logits): max(x, 0) - x * z + log1p(exp(-|x|)). */
export function tfSigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor, opts?: KernelOptions): Tensor {
  const op = o(opts);
  fdt(logits);
  const z = labels.astype(logits.dtype);
  return add(sub(maximum(logits, 0, op), mul(logits, z, op), op), log1p(exp(neg(abs(logits, op), op), op), op), op);
}

export interface KerasOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
  axis?: number;
}

/**
 * keras.losses.categorical_crossentropy(y_true, y_pred, from_logits, label_smoothing, axis):
 * probabilities are renormalized by their sum, clipped to [1e-7, 1 - 1e-7], then -sum(y * log(p)).
 */
export function kerasCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: KerasOptions = {}, opts?: KernelOptions): Tensor {
  const op = o(opts);
  const dt = fdt(yPred);
  const ax = normDim(options.axis ?? -1, yPred.ndim);
  let y = yTrue.astype(dt);
  const ls = options.labelSmoothing ?? 0;
  if (ls > 0) y = add(mul(y, 1 - ls, op), ls / yPred.shape[ax]!, op);
  if (options.fromLogits) return tfSoftmaxCrossEntropyWithLogits(y, yPred, ax, op);
  const eps = roundTo(dt, KERAS_EPSILON);
  let p = div(yPred, sum(yPred, ax, true, op), op);
  p = clamp(p, eps, roundTo(dt, 1 - eps), op);
  return neg(sum(mul(y, log(p, op), op), ax, false, op), op);
}

/**
 * keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits): probabilities are
 * clipped to [1e-7, 1 - 1e-7], logged, and fed to sparse_softmax_cross_entropy_with_logits (so
 * they are renormalized by the sum of the clipped values).
 */
export function kerasSparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: KerasOptions = {}, opts?: KernelOptions): Tensor {
  const op = o(opts);
  const dt = fdt(yPred);
  if (options.fromLogits) return tfSparseSoftmaxCrossEntropyWithLogits(yTrue, yPred, op);
  const eps = roundTo(dt, KERAS_EPSILON);
  const logits = log(clamp(yPred, eps, roundTo(dt, 1 - eps), op), op);
  return tfSparseSoftmaxCrossEntropyWithLogits(yTrue, logits, op);
}

/**
 * keras.losses.binary_crossentropy(y_true, y_pred, from_logits, label_smoothing): per element
 * -(y log(p + eps) + (1 - y) log(1 - p + eps)) with p clipped to [eps, 1 - eps] (or the sigmoid
 * cross-entropy with logits), then the mean over the last axis.
 */
export function kerasBinaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: KerasOptions = {}, opts?: KernelOptions): Tensor {
  const op = o(opts);
  const dt = fdt(yPred);
  let y = yTrue.astype(dt);
  const ls = options.labelSmoothing ?? 0;
  if (ls > 0) y = add(mul(y, 1 - ls, op), 0.5 * ls, op);
  let elem: Tensor;
  if (options.fromLogits) elem = tfSigmoidCrossEntropyWithLogits(y, yPred, op);
  else {
    const eps = roundTo(dt, KERAS_EPSILON);
    const p = clamp(yPred, eps, roundTo(dt, 1 - eps), op);
    const a = mul(y, log(add(p, eps, op), op), op);
    const b = mul(sub(1, y, op), log(add(sub(1, p, op), eps, op), op), op);
    elem = neg(add(a, b, op), op);
  }
  return mean(elem, -1, false, op);
}

/** optax.softmax_cross_entropy(logits, labels): -sum(labels * log_softmax(logits), axis=-1). */
export function optaxSoftmaxCrossEntropy(logits: Tensor, labels: Tensor, opts?: KernelOptions): Tensor {
  const op = o(opts);
  fdt(logits);
  return neg(sum(mul(labels.astype(logits.dtype), tfLogSoftmax(logits, logits.ndim - 1, op), op), -1, false, op), op);
}

/** optax.softmax_cross_entropy_with_integer_labels(logits, labels): log(sum(exp(z - m))) - (z - m)[label]. */
export function optaxSoftmaxCrossEntropyWithIntegerLabels(logits: Tensor, labels: Tensor, opts?: KernelOptions): Tensor {
  const op = o(opts);
  fdt(logits);
  const z = sub(logits, max(logits, -1, true, op), op);
  const lognorm = log(sum(exp(z, op), -1, false, op), op);
  return sub(lognorm, takeLast(z, labels), op);
}

/** jax.nn.log_sigmoid(x) = -softplus(-x), softplus(x) = max(x, 0) + log1p(exp(-|x|)). */
function logSigmoidJax(x: Tensor, op: KernelOptions): Tensor {
  const nx = neg(x, op);
  return neg(add(maximum(nx, 0, op), log1p(exp(neg(abs(nx, op), op), op), op), op), op);
}

/** optax.sigmoid_binary_cross_entropy(logits, labels): -y log_sigmoid(x) - (1 - y) log_sigmoid(-x). */
export function optaxSigmoidBinaryCrossEntropy(logits: Tensor, labels: Tensor, opts?: KernelOptions): Tensor {
  const op = o(opts);
  fdt(logits);
  const y = labels.astype(logits.dtype);
  const a = mul(neg(y, op), logSigmoidJax(logits, op), op);
  const b = mul(sub(1, y, op), logSigmoidJax(neg(logits, op), op), op);
  return sub(a, b, op);
}

