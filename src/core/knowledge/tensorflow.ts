// TensorFlow (v1 and v2 names) and Keras. `tf.compat.v1`, `keras`, `tf_keras` are mapped onto these
// names by the aliases in ./index.ts.
import type { ApiSpec, ApiTable } from './types';

const fw = 'tensorflow' as const;
const kfw = 'keras' as const;
const logits = { name: 'logits' };
const yPred = { name: 'y_pred', pos: 1 };

const softmax = (logVariant: string): ApiSpec => ({ role: 'activation', produces: 'prob-softmax', input: { name: 'logits', pos: 0 }, dim: { name: 'axis', pos: 1 }, logVariant, framework: fw });
const sigmoid: ApiSpec = { role: 'activation', produces: 'prob-sigmoid', input: { name: 'x', pos: 0 }, logVariant: 'tensorflow.math.log_sigmoid', framework: fw };
const logSoftmax: ApiSpec = { role: 'activation', produces: 'logprob', input: { name: 'logits', pos: 0 }, dim: { name: 'axis', pos: 1 }, framework: fw };

const kerasLoss = (family: 'ce' | 'bce', pred = yPred): ApiSpec => ({
  role: 'loss',
  family,
  expects: [{ arg: pred, kind: 'prob' }],
  fromLogits: { name: 'from_logits', default: false, pos: 2 },
  framework: kfw,
});
const kerasLossClass = (family: 'ce' | 'bce'): ApiSpec => ({
  role: 'loss-class',
  family,
  call: [{ arg: yPred, kind: 'prob' }],
  fromLogits: { name: 'from_logits', default: false, pos: 0 },
  framework: kfw,
});

export const tensorflowApi: ApiTable = {
  'tensorflow.nn.softmax': softmax('tensorflow.nn.log_softmax'),
  'tensorflow.math.softmax': softmax('tensorflow.math.log_softmax'),
  'tensorflow.keras.activations.softmax': { role: 'activation', produces: 'prob-softmax', input: { name: 'x', pos: 0 }, dim: { name: 'axis', pos: 1 }, framework: kfw },
  'tensorflow.nn.log_softmax': logSoftmax,
  'tensorflow.math.log_softmax': logSoftmax,
  'tensorflow.sigmoid': sigmoid,
  'tensorflow.nn.sigmoid': sigmoid,
  'tensorflow.math.sigmoid': sigmoid,
  'tensorflow.keras.activations.sigmoid': { ...sigmoid, framework: kfw },
  'tensorflow.math.log_sigmoid': { role: 'activation', produces: 'logsigmoid', input: { name: 'x', pos: 0 }, framework: fw },
  'tensorflow.log': { role: 'log', input: { name: 'x', pos: 0 }, framework: fw },
  'tensorflow.math.log': { role: 'log', input: { name: 'x', pos: 0 }, framework: fw },
  'tensorflow.exp': { role: 'exp', input: { name: 'x', pos: 0 }, framework: fw },
  'tensorflow.math.exp': { role: 'exp', input: { name: 'x', pos: 0 }, framework: fw },
  'tensorflow.reduce_sum': { role: 'reduce', op: 'sum', input: { name: 'input_tensor', pos: 0 }, axis: { name: 'axis', pos: 1 }, framework: fw },
  'tensorflow.math.reduce_sum': { role: 'reduce', op: 'sum', input: { name: 'input_tensor', pos: 0 }, axis: { name: 'axis', pos: 1 }, framework: fw },
  'tensorflow.reduce_mean': { role: 'reduce', op: 'mean', input: { name: 'input_tensor', pos: 0 }, axis: { name: 'axis', pos: 1 }, framework: fw },
  'tensorflow.math.reduce_mean': { role: 'reduce', op: 'mean', input: { name: 'input_tensor', pos: 0 }, axis: { name: 'axis', pos: 1 }, framework: fw },
  'tensorflow.reduce_max': { role: 'reduce', op: 'max', input: { name: 'input_tensor', pos: 0 }, axis: { name: 'axis', pos: 1 }, framework: fw },
  'tensorflow.math.reduce_max': { role: 'reduce', op: 'max', input: { name: 'input_tensor', pos: 0 }, axis: { name: 'axis', pos: 1 }, framework: fw },
  'tensorflow.clip_by_value': { role: 'guard', input: { name: 't', pos: 0 }, lower: { name: 'clip_value_min', pos: 1 }, framework: fw },
  'tensorflow.maximum': { role: 'guard', input: { name: 'x', pos: 0 }, lower: { name: 'y', pos: 1 }, framework: fw },
  'tensorflow.math.maximum': { role: 'guard', input: { name: 'x', pos: 0 }, lower: { name: 'y', pos: 1 }, framework: fw },
  'tensorflow.reduce_logsumexp': { role: 'logsumexp', input: { name: 'input_tensor', pos: 0 }, framework: fw },
  'tensorflow.math.reduce_logsumexp': { role: 'logsumexp', input: { name: 'input_tensor', pos: 0 }, framework: fw },
  // tf.nn losses: logits by keyword (v1 requires keywords; v2 takes labels, logits positionally).
  'tensorflow.nn.softmax_cross_entropy_with_logits': { role: 'loss', family: 'ce', expects: [{ arg: { name: 'logits', pos: 1 }, kind: 'logits' }], framework: fw },
  'tensorflow.nn.softmax_cross_entropy_with_logits_v2': { role: 'loss', family: 'ce', expects: [{ arg: { name: 'logits', pos: 1 }, kind: 'logits' }], framework: fw },
  'tensorflow.nn.sparse_softmax_cross_entropy_with_logits': { role: 'loss', family: 'ce', expects: [{ arg: { name: 'logits', pos: 1 }, kind: 'logits' }], framework: fw },
  'tensorflow.nn.sigmoid_cross_entropy_with_logits': { role: 'loss', family: 'bce-logits', expects: [{ arg: { name: 'logits', pos: 1 }, kind: 'logits' }], framework: fw },
  'tensorflow.nn.weighted_cross_entropy_with_logits': { role: 'loss', family: 'bce-logits', expects: [{ arg: logits, kind: 'logits' }], framework: fw },
  'tensorflow.losses.softmax_cross_entropy': { role: 'loss', family: 'ce', expects: [{ arg: { name: 'logits', pos: 1 }, kind: 'logits' }], framework: fw },
  'tensorflow.losses.sparse_softmax_cross_entropy': { role: 'loss', family: 'ce', expects: [{ arg: { name: 'logits', pos: 1 }, kind: 'logits' }], framework: fw },
  'tensorflow.losses.sigmoid_cross_entropy': { role: 'loss', family: 'bce-logits', expects: [{ arg: { name: 'logits', pos: 1 }, kind: 'logits' }], framework: fw },
  // Keras losses: y_pred is probabilities unless from_logits=True.
  'tensorflow.keras.losses.categorical_crossentropy': kerasLoss('ce'),
  'tensorflow.keras.losses.sparse_categorical_crossentropy': kerasLoss('ce'),
  'tensorflow.keras.losses.binary_crossentropy': kerasLoss('bce'),
  'tensorflow.keras.metrics.categorical_crossentropy': kerasLoss('ce'),
  'tensorflow.keras.metrics.sparse_categorical_crossentropy': kerasLoss('ce'),
  'tensorflow.keras.metrics.binary_crossentropy': kerasLoss('bce'),
  'tensorflow.keras.backend.categorical_crossentropy': kerasLoss('ce', { name: 'output', pos: 1 }),
  'tensorflow.keras.backend.sparse_categorical_crossentropy': kerasLoss('ce', { name: 'output', pos: 1 }),
  'tensorflow.keras.backend.binary_crossentropy': kerasLoss('bce', { name: 'output', pos: 1 }),
  'tensorflow.keras.losses.CategoricalCrossentropy': kerasLossClass('ce'),
  'tensorflow.keras.losses.SparseCategoricalCrossentropy': kerasLossClass('ce'),
  'tensorflow.keras.losses.BinaryCrossentropy': kerasLossClass('bce'),
  'tensorflow.keras.losses.CategoricalFocalCrossentropy': kerasLossClass('ce'),
  'tensorflow.keras.losses.BinaryFocalCrossentropy': kerasLossClass('bce'),
  // Keras layers and models
  'tensorflow.keras.layers.Dense': { role: 'layer-class', activation: { name: 'activation', pos: 1 }, framework: kfw },
  'tensorflow.keras.layers.Softmax': { role: 'activation-class', produces: 'prob-softmax', dim: { name: 'axis', pos: 0 }, framework: kfw },
  'tensorflow.keras.layers.Activation': { role: 'activation-layer', activation: { name: 'activation', pos: 0 }, framework: kfw },
  'tensorflow.keras.Sequential': { role: 'sequential', layers: { name: 'layers', pos: 0 }, framework: kfw },
  'tensorflow.keras.models.Sequential': { role: 'sequential', layers: { name: 'layers', pos: 0 }, framework: kfw },
  'tensorflow.keras.Model': { role: 'functional-model', outputs: { name: 'outputs', pos: 1 }, framework: kfw },
  'tensorflow.keras.models.Model': { role: 'functional-model', outputs: { name: 'outputs', pos: 1 }, framework: kfw },
};

/** Keras `compile(loss=...)` strings and what their y_pred expects by default. */
export const kerasLossStrings: Record<string, 'ce' | 'bce'> = {
  categorical_crossentropy: 'ce',
  sparse_categorical_crossentropy: 'ce',
  binary_crossentropy: 'bce',
};

/** Keras activation names/functions that make a layer's output probabilities. */
export const kerasActivationKinds: Record<string, 'prob-softmax' | 'prob-sigmoid' | 'logits'> = {
  softmax: 'prob-softmax',
  sigmoid: 'prob-sigmoid',
  linear: 'logits',
};
