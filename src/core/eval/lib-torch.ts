// PyTorch functions and loss/activation modules for the evaluator (values from the kernel).
import * as K from '../kernel';
import type { Tensor } from '../kernel';
import { bind, bool, dims, dtype, int, isNone, num, str } from './args';
import { toTensor } from './convert';
import type { Interp } from './interp';
import type { Fn } from './lib';
import { binaryWith, elementwise, kernel, reduce, result, torchSoftmax, type Reduce, type Unary } from './ops';
import { anyApprox, arr, NotEvaluable, describe, type ArrayValue, type CallArgs, type Value } from './values';

const F = 'torch.nn.functional';

export function tensorArg(v: Value | undefined, what: string): ArrayValue {
  if (!v || v.t !== 'array' || v.lib !== 'torch') throw new NotEvaluable(`${what} must be a tensor, got ${v ? describe(v) : 'nothing'}`);
  return v;
}

function create(it: Interp, args: CallArgs, q: string): Value {
  const b = bind(q, args, ['data', '*dtype', '*device', '*requires_grad', '*pin_memory'], []);
  const src = b.data;
  if (!src) throw new NotEvaluable(`${q}() without data`);
  if (src.t === 'array' && src.lib !== 'torch' && src.lib !== 'numpy') throw new NotEvaluable(`${q}() of a ${src.lib} array`);
  const dt = dtype(b.dtype, 'torch');
  const x = toTensor(it.ctx, src.t === 'array' ? { ...src } : src, 'torch', dt);
  if (x.dtype === 'int64' && x.data.some((v) => !Number.isSafeInteger(v))) throw new NotEvaluable('integers beyond 2^53 are not evaluated');
  it.ctx.budget.elements(x.size);
  const rg = bool(b.requires_grad, 'requires_grad', false);
  if (rg && !K.isFloat(x.dtype)) throw new NotEvaluable('the library raises: Only Tensors of floating point dtype can require gradients');
  return arr('torch', x, { grad: rg ? { leaf: true } : undefined, approx: anyApprox(src) });
}

function filled(value: number): Fn {
  return (it, args, q) => {
    const kw = new Map(args.kw);
    const d = dtype(kw.get('dtype'), 'torch') ?? 'float32';
    kw.delete('dtype');
    kw.delete('device');
    const rg = bool(kw.get('requires_grad'), 'requires_grad', false);
    kw.delete('requires_grad');
    if (kw.size) throw new NotEvaluable(`${q}(): unsupported arguments`);
    const shapeVals = args.pos.length === 1 && (args.pos[0]!.t === 'tuple' || args.pos[0]!.t === 'list') ? (args.pos[0] as { items: Value[] }).items : args.pos;
    const shape = shapeVals.map((v) => int(v, 'size'));
    const x = kernel(() => K.full(shape, value, d, it.ctx.kopts('torch')));
    return arr('torch', x, { grad: rg ? { leaf: true } : undefined });
  };
}

function unaryFn(which: Unary): Fn {
  return (it, args, q) => {
    const b = bind(q, args, ['input'], []);
    return elementwise(it.ctx, tensorArg(b.input, 'input'), which);
  };
}

function reduceFn(op: Reduce): Fn {
  return (it, args, q) => {
    const b = bind(q, args, ['input', 'dim', 'keepdim', '*dtype'], []);
    if (!isNone(b.dtype)) throw new NotEvaluable(`${q}(dtype=) is not evaluated`);
    const a = tensorArg(b.input, 'input');
    const d = dims(b.dim);
    const keep = bool(b.keepdim, 'keepdim', false);
    if ((q === 'torch.max' || q === 'torch.min') && d !== null) {
      return { t: 'tuple', items: [reduce(it.ctx, a, op, d, keep), reduce(it.ctx, a, op === 'max' ? 'argmax' : 'argmin', d, keep)] };
    }
    const r = (q === 'torch.amax' || q === 'torch.amin') && Array.isArray(d) && d.length === 0 ? reduce(it.ctx, a, op, null, keep) : reduce(it.ctx, a, op, d, keep);
    if ((q === 'torch.amax' || q === 'torch.amin') && r.grad && !r.grad.leaf) r.grad = { leaf: false, fn: q === 'torch.amax' ? 'AmaxBackward0' : 'AminBackward0' };
    return r;
  };
}

/** F.softmax's legacy implicit dim: 0 for 0-, 1- and 3-d input, else 1. */
function implicitDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

function softmaxFn(log: boolean, functional: boolean): Fn {
  return (it, args, q) => {
    const b = bind(q, args, functional ? ['input', 'dim', '_stacklevel', 'dtype'] : ['input', 'dim', '*dtype'], []);
    if (!isNone(b.dtype)) throw new NotEvaluable(`${q}(dtype=) is not evaluated`);
    const a = tensorArg(b.input, 'input');
    const dim = isNone(b.dim) ? (functional ? implicitDim(a.x.ndim) : int(b.dim, 'dim')) : int(b.dim, 'dim');
    return torchSoftmax(it.ctx, a, dim, log);
  };
}

function reduction(b: Record<string, Value | undefined>): K.Reduction {
  if (!isNone(b.size_average) || !isNone(b.reduce)) throw new NotEvaluable('the deprecated size_average= / reduce= arguments are not evaluated');
  const r = str(b.reduction, 'reduction', 'mean');
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new NotEvaluable(`the library raises: ${r} is not a valid value for reduction`);
  return r;
}

function optTensor(v: Value | undefined, like: ArrayValue, what: string): Tensor | null {
  if (isNone(v)) return null;
  const t = tensorArg(v, what);
  if (t.x.dtype !== like.x.dtype) throw new NotEvaluable(`the library raises: ${what} has dtype ${t.x.dtype} but the input is ${like.x.dtype}`);
  return t.x;
}

function lossResult(it: Interp, inputs: ArrayValue[], x: Tensor, gradFn: string): ArrayValue {
  return result(it.ctx, inputs, x, gradFn);
}

export const LOSS_PARAMS: Record<string, string[]> = {
  [`${F}.cross_entropy`]: ['input', 'target', 'weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'],
  [`${F}.nll_loss`]: ['input', 'target', 'weight', 'size_average', 'ignore_index', 'reduce', 'reduction'],
  [`${F}.binary_cross_entropy`]: ['input', 'target', 'weight', 'size_average', 'reduce', 'reduction'],
  [`${F}.binary_cross_entropy_with_logits`]: ['input', 'target', 'weight', 'size_average', 'reduce', 'reduction', 'pos_weight'],
  [`${F}.kl_div`]: ['input', 'target', 'size_average', 'reduce', 'reduction', 'log_target'],
};

/** Runs one of the functional losses with already-bound arguments. */
export function runLoss(it: Interp, q: string, b: Record<string, Value | undefined>): ArrayValue {
  const input = tensorArg(b.input, 'input');
  const target = tensorArg(b.target, 'target');
  if (!K.isFloat(input.x.dtype)) throw new NotEvaluable(`the library raises: expected a floating point input, got ${input.x.dtype}`);
  const o = it.ctx.kopts('torch');
  switch (q) {
    case `${F}.cross_entropy`:
    case `${F}.nll_loss`: {
      const red = reduction(b);
      const weight = optTensor(b.weight, input, 'weight');
      const ignoreIndex = int(b.ignore_index, 'ignore_index', -100);
      const ls = q.endsWith('cross_entropy') ? num(b.label_smoothing, 'label_smoothing', 0) : 0;
      const probTarget = input.x.ndim === target.x.ndim && input.x.shape.every((s, i) => s === target.x.shape[i]);
      if (!probTarget && target.x.dtype !== 'int64') throw new NotEvaluable(`the library raises: expected scalar type Long but found ${target.x.dtype === 'float32' ? 'Float' : target.x.dtype}`);
      if (probTarget && target.x.dtype !== input.x.dtype && K.isFloat(target.x.dtype)) throw new NotEvaluable('the library raises: target dtype differs from input dtype');
      const x = kernel(() => (q.endsWith('cross_entropy') ? K.crossEntropy(input.x, target.x, { weight, ignoreIndex, reduction: red, labelSmoothing: ls }, o) : K.nllLoss(input.x, target.x, { weight, ignoreIndex, reduction: red }, o)));
      const grad = probTarget ? (ls > 0 ? '?' : red === 'mean' ? 'DivBackward1' : 'NegBackward0') : ls > 0 ? 'AddBackward0' : 'NllLossBackward0';
      return lossResult(it, [input, target], x, grad);
    }
    case `${F}.binary_cross_entropy`: {
      const red = reduction(b);
      const weight = optTensor(b.weight, input, 'weight');
      if (target.x.dtype !== input.x.dtype) throw new NotEvaluable(`the library raises: target dtype ${target.x.dtype} differs from input dtype ${input.x.dtype}`);
      const x = kernel(() => K.binaryCrossEntropy(input.x, target.x, { weight, reduction: red }, o));
      return lossResult(it, [input, target], x, 'BinaryCrossEntropyBackward0');
    }
    case `${F}.binary_cross_entropy_with_logits`: {
      const red = reduction(b);
      const weight = optTensor(b.weight, input, 'weight');
      const posWeight = optTensor(b.pos_weight, input, 'pos_weight');
      if (target.x.dtype !== input.x.dtype) throw new NotEvaluable(`the library raises: target dtype ${target.x.dtype} differs from input dtype ${input.x.dtype}`);
      const x = kernel(() => K.binaryCrossEntropyWithLogits(input.x, target.x, { weight, posWeight, reduction: red }, o));
      return lossResult(it, [input, target], x, 'BinaryCrossEntropyWithLogitsBackward0');
    }
    case `${F}.kl_div`: {
      if (!isNone(b.size_average) || !isNone(b.reduce)) throw new NotEvaluable('the deprecated size_average= / reduce= arguments are not evaluated');
      const r = str(b.reduction, 'reduction', 'mean');
      if (!['mean', 'sum', 'none', 'batchmean'].includes(r)) throw new NotEvaluable(`the library raises: ${r} is not a valid value for reduction`);
      if (target.x.dtype !== input.x.dtype) throw new NotEvaluable('the library raises: target dtype differs from input dtype');
      const x = kernel(() => K.klDiv(input.x, target.x, { reduction: r as 'mean', logTarget: bool(b.log_target, 'log_target', false) }, o));
      return lossResult(it, [input, target], x, r === 'batchmean' ? 'DivBackward0' : '?');
    }
  }
  throw new NotEvaluable(`${q} is not evaluated`);
}

function lossFn(q: string): Fn {
  return (it, args) => runLoss(it, q, bind(q, args, LOSS_PARAMS[q]!, []));
}

export const torchFunctions: Record<string, Fn> = {
  'torch.tensor': create,
  'torch.as_tensor': (it, args, q) => {
    const b = bind(q, args, ['data', 'dtype', 'device'], []);
    return create(it, { pos: [b.data!], kw: new Map(b.dtype ? [['dtype', b.dtype]] : []) }, q);
  },
  'torch.from_numpy': (it, args, q) => {
    const b = bind(q, args, ['ndarray'], []);
    if (!b.ndarray || b.ndarray.t !== 'array' || b.ndarray.lib !== 'numpy') throw new NotEvaluable('torch.from_numpy() needs a NumPy array');
    return arr('torch', b.ndarray.x, { approx: b.ndarray.approx });
  },
  'torch.zeros': filled(0),
  'torch.ones': filled(1),
  'torch.arange': (it, args, q) => {
    const b = bind(q, args, ['start', 'end', 'step'], ['device']);
    const n = [b.start, b.end, b.step].filter((v) => !isNone(v)).map((v) => int(v, 'arange bound'));
    const [s, e, st] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
    if (st <= 0) throw new NotEvaluable('arange with a non-positive step is not evaluated');
    const len = Math.max(0, Math.ceil((e - s) / st));
    it.ctx.budget.elements(len);
    return arr('torch', new K.Tensor([len], 'int64', Float64Array.from({ length: len }, (_, i) => s + i * st)));
  },
  'torch.softmax': softmaxFn(false, false),
  'torch.log_softmax': softmaxFn(true, false),
  'torch.special.softmax': softmaxFn(false, false),
  'torch.special.log_softmax': softmaxFn(true, false),
  [`${F}.softmax`]: softmaxFn(false, true),
  [`${F}.log_softmax`]: softmaxFn(true, true),
  'torch.exp': unaryFn('exp'),
  'torch.log': unaryFn('log'),
  'torch.log1p': unaryFn('log1p'),
  'torch.sigmoid': unaryFn('sigmoid'),
  'torch.special.expit': unaryFn('sigmoid'),
  [`${F}.sigmoid`]: unaryFn('sigmoid'),
  [`${F}.logsigmoid`]: unaryFn('logsigmoid'),
  'torch.abs': unaryFn('abs'),
  'torch.sqrt': unaryFn('sqrt'),
  'torch.neg': unaryFn('neg'),
  'torch.sum': reduceFn('sum'),
  'torch.mean': reduceFn('mean'),
  'torch.max': reduceFn('max'),
  'torch.min': reduceFn('min'),
  'torch.amax': reduceFn('max'),
  'torch.amin': reduceFn('min'),
  'torch.argmax': reduceFn('argmax'),
  'torch.argmin': reduceFn('argmin'),
  'torch.logsumexp': (it, args, q) => {
    const b = bind(q, args, ['input', 'dim', 'keepdim'], []);
    const a = tensorArg(b.input, 'input');
    const d = dims(b.dim);
    if (d === null) throw new NotEvaluable('torch.logsumexp needs dim');
    const x = kernel(() => K.logsumexp(a.x, d, bool(b.keepdim, 'keepdim', false), it.ctx.kopts('torch')));
    return result(it.ctx, a, x, 'LogsumexpBackward0');
  },
  'torch.clamp': clampFn,
  'torch.clip': clampFn,
  'torch.maximum': (it, args, q) => {
    const b = bind(q, args, ['input', 'other'], []);
    return binaryWith(it.ctx, 'torch', tensorArg(b.input, 'input'), tensorArg(b.other, 'other'), (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y)), '?');
  },
  'torch.minimum': (it, args, q) => {
    const b = bind(q, args, ['input', 'other'], []);
    return binaryWith(it.ctx, 'torch', tensorArg(b.input, 'input'), tensorArg(b.other, 'other'), (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y)), '?');
  },
  [`${F}.one_hot`]: (it, args, q) => {
    const b = bind(q, args, ['tensor', 'num_classes'], []);
    const t = tensorArg(b.tensor, 'tensor');
    if (t.x.dtype !== 'int64') throw new NotEvaluable('the library raises: one_hot is only applicable to index tensor');
    let n = int(b.num_classes, 'num_classes', -1);
    if (n < 0) n = t.x.size ? Math.max(...t.x.data) + 1 : 0;
    const shape = [...t.x.shape, n];
    const size = t.x.size * n;
    it.ctx.budget.elements(size);
    const out = new Float64Array(size);
    t.x.data.forEach((v, i) => {
      if (v < 0 || v >= n) throw new NotEvaluable('the library raises: Class values must be smaller than num_classes.');
      out[i * n + v] = 1;
    });
    return arr('torch', new K.Tensor(shape, 'int64', out));
  },
  ...Object.fromEntries(Object.keys(LOSS_PARAMS).map((q) => [q, lossFn(q)])),
};

function clampFn(it: Interp, args: CallArgs, q: string): Value {
  const b = bind(q, args, ['input', 'min', 'max'], []);
  const a = tensorArg(b.input, 'input');
  let r: ArrayValue = a;
  const lo = b.min;
  const hi = b.max;
  if (isNone(lo) && isNone(hi)) throw new NotEvaluable('the library raises: At least one of min or max must not be None');
  if (!isNone(lo)) r = binaryWith(it.ctx, 'torch', r, lo!, (v, l) => (Number.isNaN(v) ? v : Number.isNaN(l) ? l : v < l ? l : v), '?');
  if (!isNone(hi)) r = binaryWith(it.ctx, 'torch', r, hi!, (v, h) => (Number.isNaN(v) ? v : Number.isNaN(h) ? h : v > h ? h : v), '?');
  return r;
}

// ---- modules ----------------------------------------------------------------------------------

const CLASS_PARAMS: Record<string, { fn: string; params: string[] }> = {
  'torch.nn.CrossEntropyLoss': { fn: `${F}.cross_entropy`, params: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', 'label_smoothing'] },
  'torch.nn.NLLLoss': { fn: `${F}.nll_loss`, params: ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'] },
  'torch.nn.BCELoss': { fn: `${F}.binary_cross_entropy`, params: ['weight', 'size_average', 'reduce', 'reduction'] },
  'torch.nn.BCEWithLogitsLoss': { fn: `${F}.binary_cross_entropy_with_logits`, params: ['weight', 'size_average', 'reduce', 'reduction', 'pos_weight'] },
  'torch.nn.KLDivLoss': { fn: `${F}.kl_div`, params: ['size_average', 'reduce', 'reduction', 'log_target'] },
  'torch.nn.Softmax': { fn: 'torch.softmax', params: ['dim'] },
  'torch.nn.LogSoftmax': { fn: 'torch.log_softmax', params: ['dim'] },
  'torch.nn.Sigmoid': { fn: 'torch.sigmoid', params: [] },
};

export const torchClasses: Record<string, Fn> = Object.fromEntries(
  Object.entries(CLASS_PARAMS).map(([q, spec]) => [
    q,
    (_it: Interp, args: CallArgs) => {
      const b = bind(q, args, spec.params, []);
      const kw = new Map<string, Value>();
      for (const [k, v] of Object.entries(b)) if (v !== undefined) kw.set(k, v);
      return { t: 'instance', qname: q, args: { pos: [], kw } } as Value;
    },
  ]),
);

export function lossFunctionOf(qname: string): string | undefined {
  return CLASS_PARAMS[qname]?.fn;
}

export function callTorchInstance(it: Interp, inst: Value & { t: 'instance' }, args: CallArgs): Value {
  const spec = CLASS_PARAMS[inst.qname];
  if (!spec) throw new NotEvaluable(`calling ${describe(inst)} is not evaluated`);
  if (inst.qname === 'torch.nn.Softmax' || inst.qname === 'torch.nn.LogSoftmax') {
    const b = bind(inst.qname, args, ['input'], []);
    const a = tensorArg(b.input, 'input');
    const d = inst.args.kw.get('dim');
    const dim = isNone(d) ? implicitDim(a.x.ndim) : int(d, 'dim');
    return torchSoftmax(it.ctx, a, dim, inst.qname.endsWith('LogSoftmax'));
  }
  if (inst.qname === 'torch.nn.Sigmoid') return elementwise(it.ctx, tensorArg(bind(inst.qname, args, ['input'], []).input, 'input'), 'sigmoid');
  const b = bind(inst.qname, args, ['input', 'target'], []);
  return runLoss(it, spec.fn, { ...Object.fromEntries(inst.args.kw), input: b.input, target: b.target });
}

export { num };
