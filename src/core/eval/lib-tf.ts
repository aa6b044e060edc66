// TensorFlow, Keras and optax cross-entropies from the kernel's formula implementations. No
// TensorFlow/JAX is available to check them against, and their exp/log kernels are not reproduced,
// so every value here is marked approximate ("≈", no printed form claimed).
import * as K from '../kernel';
import type { DType, Tensor } from '../kernel';
import { bind, bool, int, isNone, num, str } from './args';
import { toTensor } from './convert';
import type { Interp } from './interp';
import type { Fn } from './lib';
import { kernel } from './ops';
import { arr, NotEvaluable, type ArrayLib, type CallArgs, type Value } from './values';

/** A TF-like tensor from an argument: TF/JAX/NumPy arrays keep their dtype; Python floats are float32. */
function tfTensor(it: Interp, v: Value | undefined, what: string, dtype?: DType): Tensor {
  if (!v || isNone(v)) throw new NotEvaluable(`${what} is required`);
  if (v.t === 'array') {
    if (v.lib === 'torch') throw new NotEvaluable(`${what}: a torch tensor passed to a TensorFlow loss is not evaluated`);
    return dtype ? v.x.astype(dtype) : v.x;
  }
  const t = toTensor(it.ctx, v, 'torch', dtype ?? null);
  return t;
}

function floatPred(t: Tensor, what: string): Tensor {
  if (!K.isFloat(t.dtype)) throw new NotEvaluable(`${what} must be floating point (TensorFlow raises for integer ${what})`);
  return t;
}

function out(it: Interp, lib: ArrayLib, x: Tensor): Value {
  it.ctx.budget.elements(x.size);
  return arr(lib, x, { approx: true });
}

function tfnn(which: 'softmax' | 'sparse' | 'sigmoid'): Fn {
  return (it, args, q) => {
    if (args.pos.length) throw new NotEvaluable(`${q.replace(/^tensorflow\./, 'tf.')}: pass labels= and logits= by keyword (TF1 and TF2 bind positional arguments differently)`);
    const b = bind(q, args, ['labels', 'logits', 'axis', 'dim'], ['name']);
    const logits = floatPred(tfTensor(it, b.logits, 'logits'), 'logits');
    const labels = tfTensor(it, b.labels, 'labels', which === 'sparse' ? undefined : logits.dtype);
    if (which === 'sparse' && labels.dtype !== 'int64') throw new NotEvaluable('sparse labels must be integers');
    const x = kernel(() =>
      which === 'softmax'
        ? K.tfSoftmaxCrossEntropyWithLogits(labels, logits, int(b.axis ?? b.dim, 'axis', -1))
        : which === 'sparse'
          ? K.tfSparseSoftmaxCrossEntropyWithLogits(labels, logits)
          : K.tfSigmoidCrossEntropyWithLogits(labels, logits),
    );
    return out(it, 'tensorflow', x);
  };
}

type KerasKind = 'categorical' | 'sparse' | 'binary';

function kerasOptions(b: Record<string, Value | undefined>): K.KerasOptions {
  return { fromLogits: bool(b.from_logits, 'from_logits', false), labelSmoothing: num(b.label_smoothing, 'label_smoothing', 0), axis: int(b.axis, 'axis', -1) };
}

function kerasCompute(it: Interp, kind: KerasKind, yTrue: Value | undefined, yPred: Value | undefined, o: K.KerasOptions): Tensor {
  const p = floatPred(tfTensor(it, yPred, 'y_pred'), 'y_pred');
  const y = tfTensor(it, yTrue, 'y_true', kind === 'sparse' ? undefined : p.dtype);
  if (kind === 'sparse' && (o.labelSmoothing ?? 0) !== 0) throw new NotEvaluable('sparse_categorical_crossentropy has no label_smoothing');
  return kernel(() =>
    kind === 'categorical' ? K.kerasCategoricalCrossentropy(y, p, o) : kind === 'sparse' ? K.kerasSparseCategoricalCrossentropy(y.dtype === 'int64' ? y : y.astype('int64'), p, o) : K.kerasBinaryCrossentropy(y, p, o),
  );
}

function kerasFn(kind: KerasKind): Fn {
  return (it, args, q) => {
    const params = kind === 'sparse' ? ['y_true', 'y_pred', 'from_logits', 'axis'] : ['y_true', 'y_pred', 'from_logits', 'label_smoothing', 'axis'];
    const b = bind(q, args, params, []);
    return out(it, 'tensorflow', kerasCompute(it, kind, b.y_true, b.y_pred, kerasOptions(b)));
  };
}

const KERAS_CLASSES: Record<string, KerasKind> = {
  'tensorflow.keras.losses.CategoricalCrossentropy': 'categorical',
  'tensorflow.keras.losses.SparseCategoricalCrossentropy': 'sparse',
  'tensorflow.keras.losses.BinaryCrossentropy': 'binary',
};

function kerasClass(q: string): Fn {
  return (_it, args) => {
    const b = bind(q, args, KERAS_CLASSES[q] === 'sparse' ? ['from_logits', 'ignore_class', 'reduction', 'name'] : ['from_logits', 'label_smoothing', 'axis', 'reduction', 'name'], []);
    if (!isNone(b.ignore_class)) throw new NotEvaluable('ignore_class= is not evaluated');
    const kw = new Map<string, Value>();
    for (const [k, v] of Object.entries(b)) if (v !== undefined && k !== 'name') kw.set(k, v);
    return { t: 'instance', qname: q, args: { pos: [], kw } };
  };
}

export function isKerasInstance(qname: string): boolean {
  return qname in KERAS_CLASSES;
}

/** Calling a Keras loss object: per-sample losses reduced by 'sum_over_batch_size' (mean) by default. */
export function callKerasInstance(it: Interp, inst: Value & { t: 'instance' }, args: CallArgs): Value {
  const kind = KERAS_CLASSES[inst.qname]!;
  const b = bind(inst.qname, args, ['y_true', 'y_pred', 'sample_weight'], []);
  if (!isNone(b.sample_weight)) throw new NotEvaluable('sample_weight= is not evaluated');
  const kw = Object.fromEntries(inst.args.kw);
  const per = kerasCompute(it, kind, b.y_true, b.y_pred, kerasOptions(kw));
  const red = str(kw.reduction, 'reduction', 'sum_over_batch_size');
  const o: K.KernelOptions = { lib: 'numpy', maxElements: it.ctx.budget.limits.maxElements };
  let x: Tensor;
  if (red === 'none') x = per;
  else if (red === 'sum') x = kernel(() => K.sum(per, null, false, o));
  else if (red === 'sum_over_batch_size' || red === 'auto') x = kernel(() => K.mean(per, null, false, o));
  else throw new NotEvaluable(`reduction=${JSON.stringify(red)} is not evaluated`);
  return out(it, 'tensorflow', x);
}

function optaxFn(which: 'softmax' | 'integer' | 'sigmoid'): Fn {
  return (it, args, q) => {
    const b = bind(q, args, ['logits', 'labels'], []);
    const logits = floatPred(tfTensor(it, b.logits, 'logits'), 'logits');
    const labels = tfTensor(it, b.labels, 'labels', which === 'integer' ? undefined : logits.dtype);
    if (which === 'integer' && labels.dtype !== 'int64') throw new NotEvaluable('integer labels must be integers');
    const x = kernel(() =>
      which === 'softmax' ? K.optaxSoftmaxCrossEntropy(logits, labels) : which === 'integer' ? K.optaxSoftmaxCrossEntropyWithIntegerLabels(logits, labels) : K.optaxSigmoidBinaryCrossEntropy(logits, labels),
    );
    return out(it, 'jax', x);
  };
}

export const tfFunctions: Record<string, Fn> = {
  'tensorflow.nn.softmax_cross_entropy_with_logits': tfnn('softmax'),
  'tensorflow.nn.softmax_cross_entropy_with_logits_v2': tfnn('softmax'),
  'tensorflow.nn.sparse_softmax_cross_entropy_with_logits': tfnn('sparse'),
  'tensorflow.nn.sigmoid_cross_entropy_with_logits': tfnn('sigmoid'),
  'tensorflow.keras.losses.categorical_crossentropy': kerasFn('categorical'),
  'tensorflow.keras.losses.sparse_categorical_crossentropy': kerasFn('sparse'),
  'tensorflow.keras.losses.binary_crossentropy': kerasFn('binary'),
  'tensorflow.keras.metrics.categorical_crossentropy': kerasFn('categorical'),
  'tensorflow.keras.metrics.sparse_categorical_crossentropy': kerasFn('sparse'),
  'tensorflow.keras.metrics.binary_crossentropy': kerasFn('binary'),
  'optax.softmax_cross_entropy': optaxFn('softmax'),
  'optax.softmax_cross_entropy_with_integer_labels': optaxFn('integer'),
  'optax.sigmoid_binary_cross_entropy': optaxFn('sigmoid'),
  ...Object.fromEntries(Object.keys(KERAS_CLASSES).map((q) => [q, kerasClass(q)])),
};
