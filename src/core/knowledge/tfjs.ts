// TensorFlow.js (@tensorflow/tfjs and its split packages). Every package is one library root, `tfjs`:
// the TypeScript/JavaScript front end lowers `import * as tf from '@tensorflow/tfjs-node'` to a module
// named `tfjs` (see `tfjsPackages`), so `tf.losses.softmaxCrossEntropy` is `tfjs.losses.softmaxCrossEntropy`.
//
// TF.js has no keyword arguments; parameters are positional (`pos` only). Config-object APIs
// (`tf.layers.dense({units, activation})`, `tf.sequential({layers})`, `model.compile({loss})`) get
// their keys as keyword arguments from the front end when the last argument is an object literal, and
// declare each key with `name` and `pos: 0`: a config that is not a literal lands on position 0 and
// makes the key unknown (`tf.layers.dense(cfg)` is not assumed to be linear).
//
// The Layers API (tf.layers, tf.sequential, tf.model, tf.metrics) is a port of Keras with the same
// loss semantics (string losses and metrics take probabilities and clip them by epsilon = 1e-7), so
// those rows carry the `keras` framework; tfjs-core ops and `tf.losses` carry `tfjs`.
import type { ApiSpec, ApiTable, MethodTable } from './types';

const fw = 'tfjs' as const;
const kfw = 'keras' as const;
const x0 = { pos: 0 };
const p1 = { pos: 1 };

/** npm package → the canonical module name the front end binds. */
export const tfjsPackages: Readonly<Record<string, string>> = {
  '@tensorflow/tfjs': 'tfjs',
  '@tensorflow/tfjs-node': 'tfjs',
  '@tensorflow/tfjs-node-gpu': 'tfjs',
  '@tensorflow/tfjs-core': 'tfjs',
  '@tensorflow/tfjs-layers': 'tfjs',
};

const reduce = (op: 'sum' | 'mean' | 'max'): ApiSpec => ({ role: 'reduce', op, input: x0, axis: p1, framework: fw });

export const tfjsApi: ApiTable = {
  // activations: tf.softmax(logits, dim = -1), tf.logSoftmax(logits, axis = -1)
  'tfjs.softmax': { role: 'activation', produces: 'prob-softmax', input: x0, dim: p1, logVariant: 'tfjs.logSoftmax', framework: fw },
  'tfjs.logSoftmax': { role: 'activation', produces: 'logprob', input: x0, dim: p1, framework: fw },
  'tfjs.sigmoid': { role: 'activation', produces: 'prob-sigmoid', input: x0, logVariant: 'tfjs.logSigmoid', framework: fw },
  'tfjs.logSigmoid': { role: 'activation', produces: 'logsigmoid', input: x0, framework: fw },
  // elementwise and reductions: tf.sum(x, axis?, keepDims?)
  'tfjs.log': { role: 'log', input: x0, framework: fw },
  'tfjs.exp': { role: 'exp', input: x0, framework: fw },
  'tfjs.sum': reduce('sum'),
  'tfjs.mean': reduce('mean'),
  'tfjs.max': reduce('max'),
  'tfjs.clipByValue': { role: 'guard', input: x0, lower: p1, framework: fw },
  'tfjs.maximum': { role: 'guard', input: x0, lower: p1, framework: fw },
  'tfjs.logSumExp': { role: 'logsumexp', input: x0, framework: fw },
  // arithmetic is written as calls in TF.js (tensors have no operators): evaluated like `a - b` etc.
  'tfjs.add': { role: 'arith', op: '+', framework: fw },
  'tfjs.sub': { role: 'arith', op: '-', framework: fw },
  'tfjs.mul': { role: 'arith', op: '*', framework: fw },
  'tfjs.div': { role: 'arith', op: '/', framework: fw },
  'tfjs.neg': { role: 'arith', op: 'neg', framework: fw },
  // tf.scalar(1): the number itself, so tf.scalar(1).sub(p) reads as 1 - p
  'tfjs.scalar': { role: 'scalar', input: x0, framework: fw },
  // tf.tidy(fn) / tf.tidy(name, fn) returns fn's result
  'tfjs.tidy': { role: 'returns-callback', framework: fw },
  // tf.losses (tfjs-core): (labels, predictions/logits, weights?, ...)
  'tfjs.losses.softmaxCrossEntropy': { role: 'loss', family: 'ce', expects: [{ arg: p1, kind: 'logits' }], framework: fw },
  'tfjs.losses.sigmoidCrossEntropy': { role: 'loss', family: 'bce-logits', expects: [{ arg: p1, kind: 'logits' }], framework: fw },
  'tfjs.losses.logLoss': { role: 'loss', family: 'bce', expects: [{ arg: p1, kind: 'prob' }], framework: fw },
  // tf.metrics (tfjs-layers): Keras losses without from_logits, (yTrue, yPred) with yPred probabilities
  'tfjs.metrics.categoricalCrossentropy': { role: 'loss', family: 'ce', expects: [{ arg: p1, kind: 'prob' }], framework: kfw },
  'tfjs.metrics.sparseCategoricalCrossentropy': { role: 'loss', family: 'ce', expects: [{ arg: p1, kind: 'prob' }], framework: kfw },
  'tfjs.metrics.binaryCrossentropy': { role: 'loss', family: 'bce', expects: [{ arg: p1, kind: 'prob' }], framework: kfw },
  // layers and models (config objects: see the note at the top)
  'tfjs.layers.dense': { role: 'layer-class', activation: { name: 'activation', pos: 0 }, framework: kfw },
  // convolutions end segmentation and sequence models; linear unless `activation` says otherwise
  'tfjs.layers.conv1d': { role: 'layer-class', activation: { name: 'activation', pos: 0 }, framework: kfw },
  'tfjs.layers.conv2d': { role: 'layer-class', activation: { name: 'activation', pos: 0 }, framework: kfw },
  'tfjs.layers.conv3d': { role: 'layer-class', activation: { name: 'activation', pos: 0 }, framework: kfw },
  'tfjs.layers.conv2dTranspose': { role: 'layer-class', activation: { name: 'activation', pos: 0 }, framework: kfw },
  'tfjs.layers.softmax': { role: 'activation-class', produces: 'prob-softmax', dim: { name: 'axis', pos: 0 }, framework: kfw },
  'tfjs.layers.activation': { role: 'activation-layer', activation: { name: 'activation', pos: 0 }, framework: kfw },
  'tfjs.sequential': { role: 'sequential', layers: { name: 'layers', pos: 0 }, framework: kfw },
  'tfjs.model': { role: 'functional-model', outputs: { name: 'outputs', pos: 0 }, framework: kfw },
};

/** Chained tensor methods of tfjs-core (`x.softmax().log()`): the receiver is the input. */
export const tfjsMethods: MethodTable = {
  softmax: { role: 'activation', produces: 'prob-softmax', input: {}, dim: x0, logVariant: 'logSoftmax', framework: fw },
  logSoftmax: { role: 'activation', produces: 'logprob', input: {}, dim: x0, framework: fw },
  sigmoid: { role: 'activation', produces: 'prob-sigmoid', input: {}, logVariant: 'logSigmoid', framework: fw },
  logSigmoid: { role: 'activation', produces: 'logsigmoid', input: {}, framework: fw },
  log: { role: 'log', input: {}, framework: fw },
  exp: { role: 'exp', input: {}, framework: fw },
  sum: { role: 'reduce', op: 'sum', input: {}, axis: x0, framework: fw },
  mean: { role: 'reduce', op: 'mean', input: {}, axis: x0, framework: fw },
  max: { role: 'reduce', op: 'max', input: {}, axis: x0, framework: fw },
  clipByValue: { role: 'guard', input: {}, lower: x0, framework: fw },
  maximum: { role: 'guard', input: {}, lower: x0, framework: fw },
  logSumExp: { role: 'logsumexp', input: {}, framework: fw },
  add: { role: 'arith', op: '+', framework: fw },
  sub: { role: 'arith', op: '-', framework: fw },
  mul: { role: 'arith', op: '*', framework: fw },
  div: { role: 'arith', op: '/', framework: fw },
  neg: { role: 'arith', op: 'neg', framework: fw },
};

/** `model.compile({loss: '...'})` strings of the Layers API and their family (y_pred: probabilities). */
export const tfjsLossStrings: Record<string, 'ce' | 'bce'> = {
  categoricalCrossentropy: 'ce',
  sparseCategoricalCrossentropy: 'ce',
  binaryCrossentropy: 'bce',
};
