// NumPy functions for the evaluator (float64 by default; values from the kernel with lib 'numpy').
import * as K from '../kernel';
import { binary } from './arith';
import { bind, bool, dims, dtype, int, isNone } from './args';
import { toTensor } from './convert';
import type { Interp } from './interp';
import { clampValue, numpyArray, type Fn } from './lib';
import { binaryWith, elementwise, kernel, reduce, type Reduce, type Unary } from './ops';
import { anyApprox, arr, NotEvaluable, type Value } from './values';

function create(it: Interp, args: import('./values').CallArgs, q: string): Value {
  const b = bind(q, args, ['object', 'dtype'], ['copy', 'order', 'like']);
  const src = b.object ?? args.kw.get('a');
  if (!src) throw new NotEvaluable(`${q}() without data`);
  if (src.t === 'array' && src.lib === 'torch' && src.grad) throw new NotEvaluable("the library raises: Can't call numpy() on Tensor that requires grad");
  const x = toTensor(it.ctx, src, 'numpy', dtype(b.dtype, 'numpy'));
  it.ctx.budget.elements(x.size);
  return arr('numpy', x, { approx: anyApprox(src) });
}

function unaryFn(which: Unary): Fn {
  return (it, args, q) => {
    const b = bind(q, args, ['x'], []);
    return elementwise(it.ctx, numpyArray(it, b.x!), which);
  };
}

function reduceFn(op: Reduce): Fn {
  return (it, args, q) => {
    const b = bind(q, args, ['a', 'axis', 'dtype', 'out', 'keepdims'], []);
    if (!isNone(b.dtype) || !isNone(b.out)) throw new NotEvaluable(`${q}(dtype=/out=) is not evaluated`);
    return reduce(it.ctx, numpyArray(it, b.a!), op, dims(b.axis), bool(b.keepdims, 'keepdims', false));
  };
}

function filled(value: number): Fn {
  return (it, args, q) => {
    const b = bind(q, args, ['shape', 'dtype'], ['order']);
    const s = b.shape!;
    const shape = s.t === 'tuple' || s.t === 'list' ? s.items.map((v) => int(v, 'shape')) : [int(s, 'shape')];
    return arr('numpy', kernel(() => K.full(shape, value, dtype(b.dtype, 'numpy') ?? 'float64', it.ctx.kopts('numpy'))));
  };
}

export const numpyFunctions: Record<string, Fn> = {
  'numpy.array': create,
  'numpy.asarray': create,
  'numpy.exp': unaryFn('exp'),
  'numpy.log': unaryFn('log'),
  'numpy.log1p': unaryFn('log1p'),
  'numpy.sqrt': unaryFn('sqrt'),
  'numpy.abs': unaryFn('abs'),
  'numpy.absolute': unaryFn('abs'),
  'numpy.negative': unaryFn('neg'),
  'numpy.square': (it, args, q) => {
    const b = bind(q, args, ['x'], []);
    const a = numpyArray(it, b.x!);
    return binary(it.ctx, '*', a, a);
  },
  'numpy.sum': reduceFn('sum'),
  'numpy.mean': reduceFn('mean'),
  'numpy.max': reduceFn('max'),
  'numpy.amax': reduceFn('max'),
  'numpy.min': reduceFn('min'),
  'numpy.amin': reduceFn('min'),
  'numpy.argmax': (it, args, q) => {
    const b = bind(q, args, ['a', 'axis', 'out', 'keepdims'], []);
    return reduce(it.ctx, numpyArray(it, b.a!), 'argmax', isNone(b.axis) ? null : int(b.axis, 'axis'), bool(b.keepdims, 'keepdims', false));
  },
  'numpy.argmin': (it, args, q) => {
    const b = bind(q, args, ['a', 'axis', 'out', 'keepdims'], []);
    return reduce(it.ctx, numpyArray(it, b.a!), 'argmin', isNone(b.axis) ? null : int(b.axis, 'axis'), bool(b.keepdims, 'keepdims', false));
  },
  'numpy.clip': (it, args, q) => {
    const b = bind(q, args, ['a', 'a_min', 'a_max'], []);
    return clampValue(it, numpyArray(it, b.a!), b.a_min, b.a_max);
  },
  'numpy.maximum': (it, args, q) => {
    const b = bind(q, args, ['x1', 'x2'], []);
    return binaryWith(it.ctx, 'numpy', numpyArray(it, b.x1!), b.x2!.t === 'array' ? b.x2! : b.x2!, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y)));
  },
  'numpy.minimum': (it, args, q) => {
    const b = bind(q, args, ['x1', 'x2'], []);
    return binaryWith(it.ctx, 'numpy', numpyArray(it, b.x1!), b.x2!, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y)));
  },
  'numpy.zeros': filled(0),
  'numpy.ones': filled(1),
  'numpy.arange': (it, args, q) => {
    const b = bind(q, args, ['start', 'stop', 'step'], []);
    const n = [b.start, b.stop, b.step].filter((v) => !isNone(v)).map((v) => int(v, 'arange bound'));
    const [s, e, st] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
    if (st <= 0) throw new NotEvaluable('arange with a non-positive step is not evaluated');
    const len = Math.max(0, Math.ceil((e - s) / st));
    it.ctx.budget.elements(len);
    return arr('numpy', new K.Tensor([len], 'int64', Float64Array.from({ length: len }, (_, i) => s + i * st)));
  },
  'numpy.eye': (it, args, q) => {
    const b = bind(q, args, ['N', 'M', 'k', 'dtype'], []);
    const n = int(b.N, 'N');
    if (!isNone(b.M) || !isNone(b.k)) throw new NotEvaluable('np.eye(M=, k=) is not evaluated');
    it.ctx.budget.elements(n * n);
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) out[i * n + i] = 1;
    return arr('numpy', new K.Tensor([n, n], 'float64', out).astype(dtype(b.dtype, 'numpy') ?? 'float64'));
  },
};
