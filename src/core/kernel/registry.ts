// The entry point for the source-code evaluator: Python call targets (fully qualified, after the
// evaluator has resolved imports and aliases such as `F` or `np`) mapped to kernel functions that
// take Python-style positional and keyword arguments.
//
//   const r = callPython('torch.nn.functional.cross_entropy', [logits, target], { label_smoothing: py(0.1) });
//   formatValue(r)  // "tensor(0.1698)"
//
// Literals: Python distinguishes `1` from `1.`; JavaScript does not, so the evaluator passes numbers
// as PyScalar ({ kind: 'int' | 'float' | 'bool', value }) inside nested lists; `fromPython` infers
// the dtype the way torch.tensor / np.array do.

import * as ops from './ops';
import { index as indexOp, range as rangeOp, slice as sliceOp, type IndexItem } from './indexing';
import { logSoftmax, logsumexp, softmax } from './softmax';
import * as L from './losses';
import * as T from './tf';
import { formatNumpyArray, formatNumpyScalar, formatTorch } from './format';
import { KernelError, Tensor, roundTo, nestedShape, checkLimit, type DType, type KernelOptions, type Lib } from './tensor';

export interface PyScalar {
  kind: 'int' | 'float' | 'bool';
  value: number;
}
/** A Python value as the evaluator sees it. */
export type PyValue = Tensor | PyScalar | null | string | PyValue[];

export function py(value: number | boolean, kind?: PyScalar['kind']): PyScalar {
  if (typeof value === 'boolean') return { kind: 'bool', value: value ? 1 : 0 };
  return { kind: kind ?? (Number.isInteger(value) ? 'int' : 'float'), value };
}

function isScalar(v: PyValue): v is PyScalar {
  return typeof v === 'object' && v !== null && !(v instanceof Tensor) && !Array.isArray(v);
}

/** torch.tensor(v) / np.array(v) from nested lists of PyScalars (dtype inferred unless given). */
export function fromPython(v: PyValue, lib: Lib, dtype?: DType, opts?: KernelOptions): Tensor {
  if (v instanceof Tensor) return dtype ? v.astype(dtype) : v;
  let kind = 'bool' as 'bool' | 'int' | 'float';
  const flat: number[] = [];
  const rank = { bool: 0, int: 1, float: 2 } as const;
  const plain = (x: PyValue): number | number[] | unknown => {
    if (Array.isArray(x)) return x.map(plain);
    if (isScalar(x)) {
      if (rank[x.kind] > rank[kind]) kind = x.kind;
      flat.push(x.value);
      return x.value;
    }
    if (x instanceof Tensor) {
      if (x.ndim !== 0) throw new KernelError('nested tensors in a list literal are not supported');
      const k = x.dtype === 'bool' ? 'bool' : x.dtype === 'int64' ? 'int' : 'float';
      if (rank[k] > rank[kind]) kind = k;
      return x.data[0]!;
    }
    throw new KernelError(`cannot convert ${String(x)} to a tensor`);
  };
  const nested = plain(v) as number;
  checkLimit(nestedShape(nested), opts);
  const dt: DType = dtype ?? (kind === 'float' ? (lib === 'numpy' ? 'float64' : 'float32') : kind === 'int' ? 'int64' : 'bool');
  const shape = nestedShape(nested);
  const data = new Float64Array(flat.length);
  let k = 0;
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else data[k++] = roundTo(dt, x as number);
  };
  walk(nested);
  return new Tensor(shape, dt, data);
}

type Args = PyValue[];
type Kwargs = Record<string, PyValue>;
export type PyFunction = (args: Args, kwargs: Kwargs, opts?: KernelOptions) => PyValue;

function arg(args: Args, kwargs: Kwargs, i: number, name: string): PyValue | undefined {
  return name in kwargs ? kwargs[name] : args[i];
}
function num(v: PyValue | undefined, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (isScalar(v)) return v.value;
  if (v instanceof Tensor && v.size === 1) return v.data[0]!;
  throw new KernelError('expected a number');
}
function numOrNull(v: PyValue | undefined): number | null {
  return v === undefined || v === null ? null : num(v, 0);
}
function bool(v: PyValue | undefined, dflt: boolean): boolean {
  return v === undefined || v === null ? dflt : num(v, 0) !== 0;
}
function str<T extends string>(v: PyValue | undefined, dflt: T): T {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string') throw new KernelError('expected a string');
  return v as T;
}
function dims(v: PyValue | undefined): number | number[] | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => num(x, 0));
  return num(v, 0);
}
const DTYPES: Record<string, DType> = {
  'torch.float32': 'float32', 'torch.float': 'float32', 'torch.float64': 'float64', 'torch.double': 'float64',
  'torch.int64': 'int64', 'torch.long': 'int64', 'torch.bool': 'bool',
  'numpy.float32': 'float32', 'numpy.float64': 'float64', 'numpy.int64': 'int64', 'numpy.bool_': 'bool',
  float32: 'float32', float64: 'float64', int64: 'int64', bool: 'bool', float: 'float64', int: 'int64',
};
function dtypeOf(v: PyValue | undefined): DType | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !(v in DTYPES)) throw new KernelError(`unsupported dtype ${String(v)}`);
  return DTYPES[v];
}

function withLib(lib: Lib, opts?: KernelOptions): KernelOptions {
  return { ...opts, lib };
}
function T_(v: PyValue | undefined, lib: Lib, opts?: KernelOptions): Tensor {
  if (v === undefined) throw new KernelError('missing argument');
  return fromPython(v as PyValue, lib, undefined, opts);
}
function operand(v: PyValue | undefined, lib: Lib, opts?: KernelOptions): ops.Operand {
  if (v !== undefined && isScalar(v)) return v.value;
  return T_(v, lib, opts);
}
function optTensor(v: PyValue | undefined, lib: Lib, opts?: KernelOptions): Tensor | null {
  return v === undefined || v === null ? null : T_(v, lib, opts);
}

function unary(lib: Lib, f: (x: Tensor, o: KernelOptions) => Tensor): PyFunction {
  return (a, k, opts) => f(T_(arg(a, k, 0, lib === 'torch' ? 'input' : 'x'), lib, opts), withLib(lib, opts));
}
function binary(lib: Lib, f: (x: ops.Operand, y: ops.Operand, o: KernelOptions) => Tensor): PyFunction {
  return (a, k, opts) => f(operand(a[0], lib, opts), operand(a[1], lib, opts), withLib(lib, opts));
}
function reduction(lib: Lib, f: (x: Tensor, d: number | number[] | null, keep: boolean, o: KernelOptions) => Tensor): PyFunction {
  const dimName = lib === 'torch' ? 'dim' : 'axis';
  const keepName = lib === 'torch' ? 'keepdim' : 'keepdims';
  return (a, k, opts) => f(T_(a[0], lib, opts), dims(arg(a, k, 1, dimName)), bool(arg(a, k, 2, keepName), false), withLib(lib, opts));
}

function torchLoss(name: 'cross_entropy' | 'nll_loss'): PyFunction {
  return (a, k, opts) => {
    const o = withLib('torch', opts);
    const input = T_(a[0], 'torch', o);
    const target = T_(arg(a, k, 1, 'target'), 'torch', o);
    const options = {
      weight: optTensor(arg(a, k, 2, 'weight'), 'torch', o),
      ignoreIndex: num(arg(a, k, 4, 'ignore_index'), -100),
      reduction: str(arg(a, k, 6, 'reduction'), 'mean' as L.Reduction),
      labelSmoothing: num(arg(a, k, 7, 'label_smoothing'), 0),
    };
    return name === 'cross_entropy' ? L.crossEntropy(input, target, options, o) : L.nllLoss(input, target, options, o);
  };
}

const F = 'torch.nn.functional.';
/** Python call targets the kernel evaluates. */
export const PY_FUNCTIONS: Record<string, PyFunction> = {
  // construction
  'torch.tensor': (a, k, o) => fromPython(a[0]!, 'torch', dtypeOf(k.dtype), o),
  'numpy.array': (a, k, o) => fromPython(a[0]!, 'numpy', dtypeOf(k.dtype), o),
  'numpy.asarray': (a, k, o) => fromPython(a[0]!, 'numpy', dtypeOf(k.dtype), o),
  range: (a) => (a.length === 1 ? rangeOp(num(a[0], 0)) : rangeOp(num(a[0], 0), num(a[1], 0), num(a[2], 1))),
  'torch.arange': (a) => (a.length === 1 ? rangeOp(num(a[0], 0)) : rangeOp(num(a[0], 0), num(a[1], 0), num(a[2], 1))),
  'numpy.arange': (a) => (a.length === 1 ? rangeOp(num(a[0], 0)) : rangeOp(num(a[0], 0), num(a[1], 0), num(a[2], 1))),
  // elementwise
  'torch.exp': unary('torch', ops.exp), 'torch.log': unary('torch', ops.log), 'torch.log1p': unary('torch', ops.log1p),
  'torch.sigmoid': unary('torch', ops.sigmoid), [F + 'sigmoid']: unary('torch', ops.sigmoid),
  [F + 'logsigmoid']: unary('torch', ops.logsigmoid), 'torch.abs': unary('torch', ops.abs), 'torch.neg': unary('torch', ops.neg),
  'numpy.exp': unary('numpy', ops.exp), 'numpy.log': unary('numpy', ops.log), 'numpy.log1p': unary('numpy', ops.log1p),
  'numpy.abs': unary('numpy', ops.abs), 'numpy.negative': unary('numpy', ops.neg), 'numpy.sqrt': unary('numpy', ops.sqrt),
  'torch.add': binary('torch', ops.add), 'torch.sub': binary('torch', ops.sub), 'torch.mul': binary('torch', ops.mul), 'torch.div': binary('torch', ops.div),
  'torch.maximum': binary('torch', ops.maximum), 'torch.minimum': binary('torch', ops.minimum),
  'numpy.add': binary('numpy', ops.add), 'numpy.subtract': binary('numpy', ops.sub), 'numpy.multiply': binary('numpy', ops.mul),
  'numpy.divide': binary('numpy', ops.div), 'numpy.maximum': binary('numpy', ops.maximum), 'numpy.minimum': binary('numpy', ops.minimum),
  'torch.clamp': (a, k, o) => ops.clamp(T_(a[0], 'torch', o), numOrNull(arg(a, k, 1, 'min')), numOrNull(arg(a, k, 2, 'max')), withLib('torch', o)),
  'numpy.clip': (a, k, o) => ops.clamp(T_(a[0], 'numpy', o), numOrNull(arg(a, k, 1, 'a_min')), numOrNull(arg(a, k, 2, 'a_max')), withLib('numpy', o)),
  // reductions
  'torch.sum': reduction('torch', ops.sum), 'torch.mean': reduction('torch', ops.mean),
  'torch.amax': reduction('torch', ops.max), 'torch.amin': reduction('torch', ops.min),
  'torch.argmax': (a, k, o) => ops.argmax(T_(a[0], 'torch', o), numOrNull(arg(a, k, 1, 'dim')), bool(arg(a, k, 2, 'keepdim'), false), withLib('torch', o)),
  'numpy.sum': reduction('numpy', ops.sum), 'numpy.mean': reduction('numpy', ops.mean),
  'numpy.max': reduction('numpy', ops.max), 'numpy.amax': reduction('numpy', ops.max), 'numpy.min': reduction('numpy', ops.min),
  'numpy.argmax': (a, k, o) => ops.argmax(T_(a[0], 'numpy', o), numOrNull(arg(a, k, 1, 'axis')), false, withLib('numpy', o)),
  // softmax family
  'torch.softmax': (a, k, o) => softmax(T_(a[0], 'torch', o), num(arg(a, k, 1, 'dim'), -1), withLib('torch', o)),
  [F + 'softmax']: (a, k, o) => softmax(T_(a[0], 'torch', o), num(arg(a, k, 1, 'dim'), -1), withLib('torch', o)),
  'torch.log_softmax': (a, k, o) => logSoftmax(T_(a[0], 'torch', o), num(arg(a, k, 1, 'dim'), -1), withLib('torch', o)),
  [F + 'log_softmax']: (a, k, o) => logSoftmax(T_(a[0], 'torch', o), num(arg(a, k, 1, 'dim'), -1), withLib('torch', o)),
  'torch.logsumexp': (a, k, o) => logsumexp(T_(a[0], 'torch', o), dims(arg(a, k, 1, 'dim')), bool(arg(a, k, 2, 'keepdim'), false), withLib('torch', o)),
  // PyTorch losses
  [F + 'cross_entropy']: torchLoss('cross_entropy'),
  [F + 'nll_loss']: torchLoss('nll_loss'),
  [F + 'binary_cross_entropy']: (a, k, o) =>
    L.binaryCrossEntropy(T_(a[0], 'torch', o), T_(arg(a, k, 1, 'target'), 'torch', o), {
      weight: optTensor(arg(a, k, 2, 'weight'), 'torch', o), reduction: str(arg(a, k, 5, 'reduction'), 'mean' as L.Reduction),
    }, o),
  [F + 'binary_cross_entropy_with_logits']: (a, k, o) =>
    L.binaryCrossEntropyWithLogits(T_(a[0], 'torch', o), T_(arg(a, k, 1, 'target'), 'torch', o), {
      weight: optTensor(arg(a, k, 2, 'weight'), 'torch', o), reduction: str(arg(a, k, 5, 'reduction'), 'mean' as L.Reduction),
      posWeight: optTensor(arg(a, k, 6, 'pos_weight'), 'torch', o),
    }, o),
  [F + 'kl_div']: (a, k, o) =>
    L.klDiv(T_(a[0], 'torch', o), T_(arg(a, k, 1, 'target'), 'torch', o), {
      reduction: str(arg(a, k, 4, 'reduction'), 'mean' as L.Reduction | 'batchmean'), logTarget: bool(arg(a, k, 5, 'log_target'), false),
    }, o),
  // TensorFlow / Keras / optax (formula semantics)
  'tensorflow.nn.softmax_cross_entropy_with_logits': (a, k, o) =>
    T.tfSoftmaxCrossEntropyWithLogits(T_(arg(a, k, 0, 'labels'), 'numpy', o), T_(arg(a, k, 1, 'logits'), 'numpy', o), num(k.axis, -1), o),
  'tensorflow.nn.sparse_softmax_cross_entropy_with_logits': (a, k, o) =>
    T.tfSparseSoftmaxCrossEntropyWithLogits(T_(arg(a, k, 0, 'labels'), 'numpy', o), T_(arg(a, k, 1, 'logits'), 'numpy', o), o),
  'tensorflow.nn.sigmoid_cross_entropy_with_logits': (a, k, o) =>
    T.tfSigmoidCrossEntropyWithLogits(T_(arg(a, k, 0, 'labels'), 'numpy', o), T_(arg(a, k, 1, 'logits'), 'numpy', o), o),
  'tensorflow.keras.losses.categorical_crossentropy': (a, k, o) =>
    T.kerasCategoricalCrossentropy(T_(a[0], 'numpy', o), T_(a[1], 'numpy', o), {
      fromLogits: bool(arg(a, k, 2, 'from_logits'), false), labelSmoothing: num(arg(a, k, 3, 'label_smoothing'), 0), axis: num(arg(a, k, 4, 'axis'), -1),
    }, o),
  'tensorflow.keras.losses.sparse_categorical_crossentropy': (a, k, o) =>
    T.kerasSparseCategoricalCrossentropy(T_(a[0], 'numpy', o), T_(a[1], 'numpy', o), { fromLogits: bool(arg(a, k, 2, 'from_logits'), false) }, o),
  'tensorflow.keras.losses.binary_crossentropy': (a, k, o) =>
    T.kerasBinaryCrossentropy(T_(a[0], 'numpy', o), T_(a[1], 'numpy', o), {
      fromLogits: bool(arg(a, k, 2, 'from_logits'), false), labelSmoothing: num(arg(a, k, 3, 'label_smoothing'), 0),
    }, o),
  'optax.softmax_cross_entropy': (a, k, o) => T.optaxSoftmaxCrossEntropy(T_(arg(a, k, 0, 'logits'), 'numpy', o), T_(arg(a, k, 1, 'labels'), 'numpy', o), o),
  'optax.softmax_cross_entropy_with_integer_labels': (a, k, o) =>
    T.optaxSoftmaxCrossEntropyWithIntegerLabels(T_(arg(a, k, 0, 'logits'), 'numpy', o), T_(arg(a, k, 1, 'labels'), 'numpy', o), o),
  'optax.sigmoid_binary_cross_entropy': (a, k, o) =>
    T.optaxSigmoidBinaryCrossEntropy(T_(arg(a, k, 0, 'logits'), 'numpy', o), T_(arg(a, k, 1, 'labels'), 'numpy', o), o),
};
for (const [alias, target] of [
  ['tensorflow.keras.backend.categorical_crossentropy', 'tensorflow.keras.losses.categorical_crossentropy'],
  ['keras.losses.categorical_crossentropy', 'tensorflow.keras.losses.categorical_crossentropy'],
  ['keras.losses.sparse_categorical_crossentropy', 'tensorflow.keras.losses.sparse_categorical_crossentropy'],
  ['keras.losses.binary_crossentropy', 'tensorflow.keras.losses.binary_crossentropy'],
  ['numpy.amin', 'numpy.min'],
] as const) PY_FUNCTIONS[alias] = PY_FUNCTIONS[target]!;

/** torch.nn loss modules: constructor kwargs, then `module(input, target)`. */
export const PY_LOSS_MODULES: Record<string, string> = {
  'torch.nn.CrossEntropyLoss': F + 'cross_entropy',
  'torch.nn.NLLLoss': F + 'nll_loss',
  'torch.nn.BCELoss': F + 'binary_cross_entropy',
  'torch.nn.BCEWithLogitsLoss': F + 'binary_cross_entropy_with_logits',
  'torch.nn.KLDivLoss': F + 'kl_div',
};

/** Calls a Python function by qualified name; throws KernelError for unknown names. */
export function callPython(name: string, args: PyValue[], kwargs: Record<string, PyValue> = {}, opts?: KernelOptions): PyValue {
  const f = PY_FUNCTIONS[name];
  if (!f) throw new KernelError(`the kernel does not evaluate ${name}`);
  return f(args, kwargs, opts);
}

/** `Module(**ctorKwargs)(input, target)` for the loss modules in PY_LOSS_MODULES. */
export function callLossModule(name: string, ctorKwargs: Record<string, PyValue>, input: PyValue, target: PyValue, opts?: KernelOptions): PyValue {
  const fn = PY_LOSS_MODULES[name];
  if (!fn) throw new KernelError(`the kernel does not evaluate ${name}`);
  return callPython(fn, [input, target], ctorKwargs, opts);
}

/** x[items] with the library's indexing rules. */
export function subscript(x: Tensor, items: IndexItem[], lib: Lib, opts?: KernelOptions): Tensor {
  return indexOp(x, items, withLib(lib, opts));
}
export { sliceOp as pySlice };

/** How the library prints the value: str(tensor) for torch, repr/str for NumPy. */
export function formatValue(v: PyValue, lib: Lib): string {
  if (v instanceof Tensor) {
    if (lib === 'torch') return formatTorch(v);
    if (v.ndim === 0 && (v.dtype === 'float64' || v.dtype === 'float32')) return formatNumpyScalar(v.data[0]!, v.dtype);
    return formatNumpyArray(v);
  }
  if (isScalar(v)) return v.kind === 'bool' ? (v.value ? 'True' : 'False') : String(v.value);
  return String(v);
}
