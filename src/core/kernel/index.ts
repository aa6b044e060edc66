// Public surface of the numeric kernel. Pure: no Node built-ins, no DOM, no dependencies.
export * from './tensor';
export { ulpDistance, sleefExpf, sleefLogf, sleefLog1pf, fma32 } from './f32';
export * from './ops';
export { softmax, logSoftmax, logsumexp } from './softmax';
export * from './losses';
export { crossEntropyGrad, bceWithLogitsGrad, logSoftmaxBackward, softmaxBackward } from './grad';
export { index, slice, sliceIndices, range, type IndexItem, type Slice } from './indexing';
export {
  tfSoftmaxCrossEntropyWithLogits, tfSparseSoftmaxCrossEntropyWithLogits, tfSigmoidCrossEntropyWithLogits,
  kerasCategoricalCrossentropy, kerasSparseCategoricalCrossentropy, kerasBinaryCrossentropy,
  optaxSoftmaxCrossEntropy, optaxSoftmaxCrossEntropyWithIntegerLabels, optaxSigmoidBinaryCrossEntropy,
  KERAS_EPSILON, type KerasOptions,
} from './tf';
export { formatTorch, formatNumpyScalar, formatNumpyArray, formatFixed, formatExp, type TorchFormatOptions, type NumpyArrayFormatOptions } from './format';
export {
  callPython, callLossModule, subscript, formatValue, fromPython, py, pySlice,
  PY_FUNCTIONS, PY_LOSS_MODULES, type PyValue, type PyScalar, type PyFunction,
} from './registry';
