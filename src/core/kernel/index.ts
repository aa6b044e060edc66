// Public surface of the numeric kernel. Pure: no Node built-ins, no DOM, no dependencies.
//
// What it computes: the numbers PyTorch 1.13 (CPU, float32/float64) and NumPy 1.24 produce for
// cross-entropy code, bit for bit where measured (docs/kernel-accuracy.md), including inf/nan.
//
// For the source evaluator (start here):
//   callPython(qualifiedName, args, kwargs, opts?) -> PyValue    e.g. 'torch.nn.functional.cross_entropy',
//       'numpy.exp', 'numpy.sum', 'tensorflow.keras.losses.categorical_crossentropy' (see PY_FUNCTIONS)
//   callLossModule('torch.nn.CrossEntropyLoss', ctorKwargs, input, target, opts?)
//   fromPython(nestedPyScalars, 'torch' | 'numpy', dtype?) -> Tensor   (dtype inferred like torch.tensor / np.array)
//   py(1.0, 'float') / py(1) / py(true)                                  (Python literals keep int vs float)
//   subscript(x, [0, pySlice(null, null, -1), [0, 2], null, '...'], lib)  (x[...] with NumPy/PyTorch rules)
//   formatValue(v, lib) -> 'tensor(0.1698)' | '0.16984601955628567' | '[0.1 0.8 0.1]'
//   crossEntropyGrad(logits, target, options, throughSoftmax?) / bceWithLogitsGrad(...)  (d loss / d logits)
// Operator expressions (a + b, a / b, -a) map to add/sub/mul/div/neg with { lib } in KernelOptions;
// Python numbers are "weak" scalars (they do not widen a float32 tensor).
// Limits: every op checks KernelOptions.maxElements (default 1e6, setMaxElements) and throws
// KernelLimitError; shapes that the library would reject throw ShapeError; other library errors
// (target out of range, BCE input outside [0, 1], bad index) throw KernelError.
export * from './tensor';
export { ulpDistance, sleefExpf, sleefLogf, sleefLog1pf, fma32 } from './f32';
export * from './ops';
export { setNumpyMath, getNumpyMath, type NumpyMath } from './math';
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
