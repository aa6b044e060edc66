// Library meaning for the evaluator: Python builtins, attributes, methods, and the functions and
// classes of NumPy, SciPy, math, PyTorch (and what TensorFlow/JAX construct). Anything not listed
// here is "not evaluable".
import * as K from '../kernel';
import { lookupApi } from '../knowledge';
import { binary, truthy } from './arith';
import { bind, bool, dims, dtype, dtypeOfRef, int, isNone, num, str } from './args';
import { elementValue, rangeLen, toList, toTensor } from './convert';
import type { Interp } from './interp';
import { binaryWith, elementwise, kernel, reduce, result, torchSoftmax, type Reduce, type Unary } from './ops';
import { torchFunctions, torchClasses, callTorchInstance } from './lib-torch';
import { numpyFunctions } from './lib-numpy';
import { callKerasInstance, isKerasInstance, tfFunctions } from './lib-tf';
import { anyApprox, arr, NotEvaluable, NONE, describe, pyNumber, type ArrayLib, type ArrayValue, type CallArgs, type Value } from './values';

export type Fn = (it: Interp, args: CallArgs, qname: string) => Value;

const BUILTINS = new Set(['len', 'range', 'float', 'int', 'bool', 'abs', 'min', 'max', 'sum', 'print', 'list', 'tuple', 'round', 'open']);

export function builtinValue(id: string): Value | undefined {
  return BUILTINS.has(id) ? { t: 'builtin', name: id } : undefined;
}

function toPyFloat(v: Value): Value {
  if (v.t === 'float') return v;
  if (v.t === 'int' || v.t === 'bool') return { t: 'float', v: pyNumber(v) };
  if (v.t === 'array') {
    if (v.x.size !== 1) throw new NotEvaluable('only one-element arrays convert to a Python float');
    return { t: 'float', v: v.x.data[0]!, approx: v.approx };
  }
  if (v.t === 'str') {
    const s = v.v.trim().toLowerCase();
    if (s === 'inf' || s === '+inf' || s === 'infinity') return { t: 'float', v: Infinity };
    if (s === '-inf' || s === '-infinity') return { t: 'float', v: -Infinity };
    if (s === 'nan') return { t: 'float', v: NaN };
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) return { t: 'float', v: Number(s) };
  }
  throw new NotEvaluable(`float() of ${describe(v)}`);
}

/** The items of an iterable, charged to the budget before they are built (range(10**9) must not hang). */
export function iterItems(it: Interp, v: Value): Value[] {
  if (v.t === 'list' || v.t === 'tuple') return v.items;
  if (v.t === 'range') it.ctx.budget.elements(rangeLen(v));
  if (v.t === 'array' && v.x.ndim > 0) it.ctx.budget.elements(v.x.shape[0]!);
  if (v.t === 'range') return Array.from({ length: rangeLen(v) }, (_, i) => ({ t: 'int' as const, v: v.start + i * v.step }));
  if (v.t === 'array') {
    if (v.x.ndim === 0) throw new NotEvaluable('iteration over a 0-d array');
    const n = v.x.shape[0]!;
    const inner = v.x.size / n;
    return Array.from({ length: n }, (_, i) => {
      const t = new K.Tensor(v.x.shape.slice(1), v.x.dtype, v.x.data.slice(i * inner, (i + 1) * inner));
      return arr(v.lib, t, { npScalar: v.lib === 'numpy' && t.ndim === 0 ? true : undefined, approx: v.approx });
    });
  }
  throw new NotEvaluable(`cannot iterate over ${describe(v)}`);
}

export function callBuiltin(it: Interp, name: string, args: CallArgs): Value {
  const a = args.pos;
  if (args.kw.size && name !== 'print' && name !== 'sum' && name !== 'max' && name !== 'min') throw new NotEvaluable(`${name}() with keyword arguments is not evaluated`);
  switch (name) {
    case 'print':
      return NONE;
    case 'len': {
      const v = a[0]!;
      if (v.t === 'list' || v.t === 'tuple') return { t: 'int', v: v.items.length };
      if (v.t === 'str') return { t: 'int', v: v.v.length };
      if (v.t === 'range') return { t: 'int', v: rangeLen(v) };
      if (v.t === 'array' && v.x.ndim > 0) return { t: 'int', v: v.x.shape[0]! };
      throw new NotEvaluable(`len() of ${describe(v)}`);
    }
    case 'range': {
      const n = a.map((x) => int(x, 'range() argument'));
      const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
      if (step === 0) throw new NotEvaluable('range() step must not be zero');
      return { t: 'range', start, stop, step };
    }
    case 'float':
      return a.length ? toPyFloat(a[0]!) : { t: 'float', v: 0 };
    case 'int': {
      const v = a[0] ?? { t: 'int', v: 0 };
      if (v.t === 'int') return v;
      if (v.t === 'bool') return { t: 'int', v: v.v ? 1 : 0 };
      const f = toPyFloat(v);
      if (!Number.isFinite((f as { v: number }).v)) throw new NotEvaluable('int() of a non-finite float raises');
      return { t: 'int', v: Math.trunc((f as { v: number }).v) };
    }
    case 'bool':
      return { t: 'bool', v: a.length ? truthy(a[0]!) : false };
    case 'abs': {
      const v = a[0]!;
      if (v.t === 'int') return { t: 'int', v: Math.abs(v.v) };
      if (v.t === 'float') return { ...v, v: Math.abs(v.v) };
      if (v.t === 'array') return elementwise(it.ctx, v, 'abs');
      throw new NotEvaluable(`abs() of ${describe(v)}`);
    }
    case 'list':
    case 'tuple':
      return { t: name, items: a.length ? iterItems(it, a[0]!) : [] };
    case 'sum': {
      const items = iterItems(it, a[0]!);
      let acc: Value = a[1] ?? args.kw.get('start') ?? { t: 'int', v: 0 };
      for (const x of items) {
        it.ctx.budget.step();
        acc = binary(it.ctx, '+', acc, x);
      }
      return acc;
    }
    case 'min':
    case 'max': {
      if (args.kw.size) throw new NotEvaluable(`${name}() with key/default is not evaluated`);
      const items = a.length === 1 ? iterItems(it, a[0]!) : a;
      if (!items.length) throw new NotEvaluable(`${name}() of an empty sequence raises`);
      let best = items[0]!;
      for (const x of items.slice(1)) {
        it.ctx.budget.step();
        const better = truthy(binary(it.ctx, name === 'max' ? '>' : '<', x, best));
        if (better) best = x;
      }
      return best;
    }
    case 'round':
      throw new NotEvaluable('round() is not evaluated');
    default:
      throw new NotEvaluable(`${name}() is not evaluated`);
  }
}

// ---- attributes -------------------------------------------------------------------------------

const CONSTANTS: Record<string, number> = {
  'math.pi': Math.PI, 'math.e': Math.E, 'math.inf': Infinity, 'math.nan': NaN,
  'numpy.pi': Math.PI, 'numpy.e': Math.E, 'numpy.inf': Infinity, 'numpy.nan': NaN, 'numpy.Inf': Infinity, 'numpy.NaN': NaN, 'numpy.NINF': -Infinity,
  'torch.inf': Infinity, 'torch.nan': NaN, 'torch.pi': Math.PI, 'torch.e': Math.E,
};

export function getAttr(it: Interp, v: Value, name: string): Value {
  if (v.t === 'ref') {
    const q = `${v.qname}.${name}`;
    if (q in CONSTANTS) return { t: 'float', v: CONSTANTS[q]! };
    return { t: 'ref', qname: q };
  }
  if (v.t === 'array') {
    switch (name) {
      case 'shape':
        return { t: 'tuple', items: v.x.shape.map((s) => ({ t: 'int' as const, v: s })) };
      case 'ndim':
        return { t: 'int', v: v.x.ndim };
      case 'dtype':
        return { t: 'dtype', dtype: v.x.dtype, lib: v.lib };
      case 'T':
        if (v.x.ndim <= 1) return v;
        if (v.x.ndim !== 2) throw new NotEvaluable('.T of an array with more than 2 dimensions');
        return transpose2(it, v);
      case 'size':
        if (v.lib === 'numpy') return { t: 'int', v: v.x.size };
        break;
      case 'data':
        if (v.lib === 'torch') return { ...v, grad: undefined };
        break;
      case 'requires_grad':
        if (v.lib === 'torch') return { t: 'bool', v: !!v.grad };
        break;
      case 'grad':
        throw new NotEvaluable('.grad (gradients after backward()) is not evaluated here; the hover on a loss shows gradients for known logits');
      default:
        break;
    }
  }
  if (v.t === 'instance') throw new NotEvaluable(`attribute \`${name}\` of ${describe(v)} is not evaluated`);
  if (v.t === 'function' || v.t === 'lambda' || v.t === 'builtin') throw new NotEvaluable(`attribute \`${name}\` of ${describe(v)}`);
  return { t: 'bound', recv: v, name };
}

function transpose2(it: Interp, v: ArrayValue): ArrayValue {
  const [r, c] = v.x.shape as [number, number];
  const out = new Float64Array(v.x.size);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v.x.data[i * c + j]!;
  return result(it.ctx, v, new K.Tensor([c, r], v.x.dtype, out), 'PermuteBackward0');
}

// ---- library functions ------------------------------------------------------------------------

function mathFn(which: 'log' | 'exp' | 'sqrt' | 'log1p'): Fn {
  return (_it, args) => {
    if (args.pos.length !== 1 || args.kw.size) throw new NotEvaluable(`math.${which}() with these arguments is not evaluated`);
    const v = args.pos[0]!;
    const x = v.t === 'array' ? num(v, 'x') : pyNumber(v);
    if ((which === 'log' && x <= 0) || (which === 'sqrt' && x < 0) || (which === 'log1p' && x <= -1)) throw new NotEvaluable('ValueError: math domain error');
    if (which === 'exp' && Number.isFinite(x) && Math.exp(x) === Infinity) throw new NotEvaluable('OverflowError: math range error');
    // Python's math module calls the C library: correctly rounded exp/log (the kernel's libm model).
    const t = K.scalar(x, 'float64');
    // always the C library (not NumPy's SVML), whatever NumPy model the kernel is set to
    const o = { lib: 'numpy' as const, numpyMath: 'libm' } as K.KernelOptions;
    const r = which === 'sqrt' ? Math.sqrt(x) : (which === 'exp' ? K.exp(t, o) : which === 'log' ? K.log(t, o) : K.log1p(t, o)).data[0]!;
    if (which === 'log1p') throw new NotEvaluable('math.log1p is not evaluated');
    const inApprox = v.t === 'float' || v.t === 'array' ? (v as { approx?: true }).approx : undefined;
    return { t: 'float', v: r, approx: inApprox };
  };
}

function tfConstant(lib: ArrayLib): Fn {
  return (it, args, q) => {
    const b = bind(q, args, lib === 'jax' ? ['object', 'dtype'] : ['value', 'dtype', 'shape', 'name'], ['name']);
    const src = (b.value ?? b.object)!;
    if (!src) throw new NotEvaluable(`${q}() without a value`);
    let dt = dtype(b.dtype, lib);
    if (!isNone(b.shape)) throw new NotEvaluable('shape= is not evaluated');
    const t0 = toTensor(it.ctx, src, 'torch', dt);
    if (!dt && src.t !== 'array' && t0.dtype === 'int64') throw new NotEvaluable(`${lib === 'jax' ? 'JAX' : 'TensorFlow'} makes int32 arrays from Python ints (int32 is not evaluated)`);
    if (!dt && src.t === 'array' && lib === 'jax' && t0.dtype === 'float64') dt = 'float32';
    const t = dt ? t0.astype(dt) : t0;
    it.ctx.budget.elements(t.size);
    return arr(lib, t, { approx: anyApprox(src) });
  };
}

function notReproduced(q: string): never {
  const fw = q.startsWith('jax') || q.startsWith('optax') ? 'JAX' : q.startsWith('tensorflow') ? 'TensorFlow/Keras' : q;
  throw new NotEvaluable(`\`${q.replace(/^tensorflow\./, 'tf.')}\`: ${fw}'s float32 kernels (exp, log, reduction order) are not reproduced bit for bit, so no value is claimed`);
}

const scipyFunctions: Record<string, Fn> = {
  'scipy.special.softmax': (it, args, q) => scipySoftmax(it, args, q, false),
  'scipy.special.log_softmax': (it, args, q) => scipySoftmax(it, args, q, true),
  'scipy.special.logsumexp': (it, args, q) => {
    const b = bind(q, args, ['a', 'axis', 'b', 'keepdims', 'return_sign']);
    if (!isNone(b.b) || bool(b.return_sign, 'return_sign', false)) throw new NotEvaluable('logsumexp with b= or return_sign= is not evaluated');
    const a = numpyArray(it, b.a!);
    const axis = dims(b.axis);
    const keep = bool(b.keepdims, 'keepdims', false);
    let m = reduce(it.ctx, a, 'max', axis, true);
    m = { ...m, x: K.unaryMap(m.x, (v) => (Number.isFinite(v) ? v : 0)) };
    const tmp = elementwise(it.ctx, binary(it.ctx, '-', a, m) as ArrayValue, 'exp');
    const s = reduce(it.ctx, tmp, 'sum', axis, keep);
    const out = elementwise(it.ctx, s, 'log');
    const mm = keep ? m : { ...m, x: m.x.reshape(out.x.shape) };
    return binary(it.ctx, '+', out, mm);
  },
};

function scipySoftmax(it: Interp, args: CallArgs, q: string, log: boolean): Value {
  const b = bind(q, args, ['x', 'axis']);
  const x = numpyArray(it, b.x!);
  const axis = dims(b.axis);
  let m = reduce(it.ctx, x, 'max', axis, true);
  if (log) m = { ...m, x: K.unaryMap(m.x, (v) => (Number.isFinite(v) ? v : 0)) };
  const shifted = binary(it.ctx, '-', x, m) as ArrayValue;
  const e = elementwise(it.ctx, shifted, 'exp');
  const s = reduce(it.ctx, e, 'sum', axis, true);
  if (!log) return binary(it.ctx, '/', e, s);
  const lg = elementwise(it.ctx, s, 'log');
  return binary(it.ctx, '-', shifted, lg);
}

/** A NumPy array from an array-like argument (lists, numbers, NumPy arrays). */
export function numpyArray(it: Interp, v: Value): ArrayValue {
  if (v.t === 'array') {
    if (v.lib === 'numpy') return v;
    if (v.lib === 'torch' && v.grad) throw new NotEvaluable("RuntimeError: Can't call numpy() on Tensor that requires grad");
    return arr('numpy', v.x, { approx: v.approx });
  }
  if (v.t === 'float' || v.t === 'int' || v.t === 'bool') return arr('numpy', toTensor(it.ctx, v, 'numpy', null), { npScalar: true, approx: v.t === 'float' ? v.approx : undefined });
  return arr('numpy', toTensor(it.ctx, v, 'numpy', null), { approx: anyApprox(v) });
}

const mathFunctions: Record<string, Fn> = {
  'math.log': mathFn('log'),
  'math.exp': mathFn('exp'),
  'math.sqrt': mathFn('sqrt'),
  'math.log1p': mathFn('log1p'),
};

const otherFunctions: Record<string, Fn> = {
  'tensorflow.constant': tfConstant('tensorflow'),
  'tensorflow.convert_to_tensor': tfConstant('tensorflow'),
  'jax.numpy.array': tfConstant('jax'),
  'jax.numpy.asarray': tfConstant('jax'),
};

export function callRef(it: Interp, qname: string, args: CallArgs): Value {
  const f = torchFunctions[qname] ?? numpyFunctions[qname] ?? scipyFunctions[qname] ?? mathFunctions[qname] ?? otherFunctions[qname] ?? tfFunctions[qname];
  if (f) return f(it, args, qname);
  const d = dtypeOfRef(qname);
  if (d && qname.startsWith('numpy.')) {
    // np.float32(x), np.float64(x): a NumPy scalar (or an array cast)
    const v = args.pos[0] ?? { t: 'int', v: 0 };
    const t = toTensor(it.ctx, v.t === 'array' ? numpyArray(it, v) : v, 'numpy', d);
    return arr('numpy', t, { npScalar: t.ndim === 0 ? true : undefined, approx: anyApprox(v) });
  }
  const ctor = torchClasses[qname];
  if (ctor) return ctor(it, args, qname);
  if (/^(tensorflow|keras|jax|optax|flax)\./.test(qname)) notReproduced(qname);
  const known = lookupApi(qname);
  throw new NotEvaluable(`\`${qname}\`${known ? '' : ' (not a known library function)'} is not evaluated`);
}

export function callInstance(it: Interp, inst: Value & { t: 'instance' }, args: CallArgs): Value {
  if (isKerasInstance(inst.qname)) return callKerasInstance(it, inst, args);
  return callTorchInstance(it, inst, args);
}

// ---- methods ----------------------------------------------------------------------------------

const REDUCE_METHODS: Record<string, Reduce> = { sum: 'sum', mean: 'mean', max: 'max', min: 'min', amax: 'max', amin: 'min', argmax: 'argmax', argmin: 'argmin' };
const UNARY_METHODS: Record<string, Unary> = { exp: 'exp', log: 'log', log1p: 'log1p', sigmoid: 'sigmoid', abs: 'abs', sqrt: 'sqrt', neg: 'neg' };

export function callBound(it: Interp, recv: Value, name: string, args: CallArgs): Value {
  if (recv.t !== 'array') {
    if ((recv.t === 'float' || recv.t === 'int') && name === 'item') return recv;
    throw new NotEvaluable(`\`.${name}()\` on ${describe(recv)} is not evaluated`);
  }
  const a = recv;
  const torch = a.lib === 'torch';
  const q = `.${name}()`;
  if (name in REDUCE_METHODS) {
    const op = REDUCE_METHODS[name]!;
    const b = torch ? bind(q, args, ['dim', 'keepdim'], []) : bind(q, args, ['axis', 'dtype', 'out', 'keepdims']);
    if (!torch && (!isNone(b.dtype) || !isNone(b.out))) throw new NotEvaluable(`${q} with dtype=/out= is not evaluated`);
    const d = dims(torch ? b.dim : b.axis);
    const keep = bool(torch ? b.keepdim : b.keepdims, 'keepdim', false);
    if (torch && (op === 'max' || op === 'min') && d !== null) {
      const values = reduce(it.ctx, a, op, d, keep);
      const indices = reduce(it.ctx, a, op === 'max' ? 'argmax' : 'argmin', d, keep);
      return { t: 'tuple', items: [values, indices] };
    }
    const r = reduce(it.ctx, a, op, d, keep);
    if (torch && (name === 'amax' || name === 'amin') && r.grad && !r.grad.leaf) r.grad = { leaf: false, fn: name === 'amax' ? 'AmaxBackward0' : 'AminBackward0' };
    return r;
  }
  if (name in UNARY_METHODS) {
    bind(q, args, []);
    return elementwise(it.ctx, a, UNARY_METHODS[name]!);
  }
  switch (name) {
    case 'item':
      bind(q, args, []);
      if (a.x.size !== 1) throw new NotEvaluable(`the library raises: a ${torch ? 'Tensor' : 'array'} with ${a.x.size} elements cannot be converted to a Python scalar`);
      return { ...elementValue(a.x.data[0]!, a.x.dtype), ...(a.approx && K.isFloat(a.x.dtype) ? { approx: true as const } : {}) } as Value;
    case 'tolist':
      bind(q, args, []);
      if (a.approx) throw new NotEvaluable('.tolist() of an approximate value (the hover shows the array itself)');
      return toList(a.x);
    case 'numpy':
      bind(q, args, [], ['force']);
      if (!torch && a.lib !== 'tensorflow' && a.lib !== 'jax') throw new NotEvaluable(`${q} on ${describe(a)}`);
      if (a.grad) throw new NotEvaluable("the library raises: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
      return arr('numpy', a.x, { npScalar: undefined, approx: a.approx });
    case 'detach':
    case 'cpu':
    case 'cuda':
    case 'clone':
    case 'copy':
    case 'contiguous':
      return name === 'detach' ? { ...a, grad: undefined } : a;
    case 'float':
    case 'double':
    case 'long':
    case 'bool': {
      if (!torch) break;
      const d = ({ float: 'float32', double: 'float64', long: 'int64', bool: 'bool' } as const)[name];
      if (d === a.x.dtype) return a; // the same tensor (same autograd node)
      return result(it.ctx, a, a.x.astype(d), 'ToCopyBackward0');
    }
    case 'to': {
      if (!torch) break;
      const b = bind(q, args, ['dtype'], ['device', 'non_blocking', 'copy']);
      const first = b.dtype;
      if (first && first.t === 'str') return a; // a device string
      const d = dtype(first, 'torch');
      return d && d !== a.x.dtype ? result(it.ctx, a, a.x.astype(d), 'ToCopyBackward0') : a;
    }
    case 'astype': {
      if (torch) break;
      const b = bind(q, args, ['dtype'], ['copy']);
      const d = dtype(b.dtype, 'numpy')!;
      return arr('numpy', a.x.astype(d), { npScalar: a.npScalar, approx: a.approx });
    }
    case 'softmax':
    case 'log_softmax': {
      if (!torch) break;
      const b = bind(q, args, ['dim', '*dtype']);
      if (!isNone(b.dtype)) throw new NotEvaluable('softmax(dtype=) is not evaluated');
      return torchSoftmax(it.ctx, a, int(b.dim, 'dim'), name === 'log_softmax');
    }
    case 'logsumexp': {
      if (!torch) break;
      const b = bind(q, args, ['dim', 'keepdim']);
      const x = kernel(() => K.logsumexp(a.x, dims(b.dim) ?? (() => { throw new NotEvaluable('logsumexp needs dim'); })(), bool(b.keepdim, 'keepdim', false), it.ctx.kopts('torch')));
      return result(it.ctx, a, x, 'LogsumexpBackward0');
    }
    case 'clamp':
    case 'clip': {
      const b = torch ? bind(q, args, ['min', 'max']) : bind(q, args, ['a_min', 'a_max', 'min', 'max']);
      const lo = b.min ?? b.a_min;
      const hi = b.max ?? b.a_max;
      return clampValue(it, a, lo, hi);
    }
    case 'view':
    case 'reshape': {
      const shape = args.pos.length === 1 && (args.pos[0]!.t === 'tuple' || args.pos[0]!.t === 'list') ? (args.pos[0] as { items: Value[] }).items : args.pos;
      const s = shape.map((v) => int(v, 'shape'));
      const x = kernel(() => a.x.reshape(s));
      return { ...a, x, npScalar: undefined, grad: it.ctx.gradOf(a.lib, [a], name === 'view' ? 'ViewBackward0' : 'ReshapeAliasBackward0') };
    }
    case 'unsqueeze': {
      if (!torch) break;
      const d = int(args.pos[0] ?? args.kw.get('dim'), 'dim');
      const nd = a.x.ndim + 1;
      const dd = d < 0 ? d + nd : d;
      if (dd < 0 || dd >= nd) throw new NotEvaluable('the library raises: Dimension out of range');
      const s = [...a.x.shape];
      s.splice(dd, 0, 1);
      return { ...a, x: a.x.reshape(s), grad: it.ctx.gradOf('torch', [a], 'UnsqueezeBackward0') };
    }
    case 'squeeze': {
      const d = args.pos[0] ?? args.kw.get(torch ? 'dim' : 'axis');
      let s: number[];
      if (isNone(d)) s = a.x.shape.filter((x) => x !== 1);
      else {
        const k = int(d, 'dim');
        const kk = k < 0 ? k + a.x.ndim : k;
        s = [...a.x.shape];
        if (s[kk] === 1) s.splice(kk, 1);
        else if (!torch) throw new NotEvaluable('the library raises: cannot select an axis to squeeze out which has size not equal to one');
      }
      return { ...a, x: a.x.reshape(s), npScalar: undefined, grad: it.ctx.gradOf(a.lib, [a], isNone(d) ? 'SqueezeBackward0' : 'SqueezeBackward1') };
    }
    case 'size': {
      if (!torch) break;
      if (args.pos.length) {
        const d = int(args.pos[0], 'dim');
        const dd = d < 0 ? d + a.x.ndim : d;
        if (dd < 0 || dd >= a.x.ndim) throw new NotEvaluable('the library raises: Dimension out of range');
        return { t: 'int', v: a.x.shape[dd]! };
      }
      return { t: 'tuple', items: a.x.shape.map((s) => ({ t: 'int' as const, v: s })) };
    }
    case 'dim':
      return { t: 'int', v: a.x.ndim };
    case 'numel':
      return { t: 'int', v: a.x.size };
    case 'requires_grad_':
      if (!torch) break;
      if (!K.isFloat(a.x.dtype)) throw new NotEvaluable('the library raises: only floating point tensors can require gradients');
      return { ...a, grad: { leaf: true } };
    default:
      break;
  }
  throw new NotEvaluable(`\`${q}\` on ${describe(a)} is not evaluated`);
}

export function clampValue(it: Interp, a: ArrayValue, lo: Value | undefined, hi: Value | undefined): ArrayValue {
  let r: ArrayValue = a;
  if (!isNone(lo)) r = binaryWith(it.ctx, a.lib, r, lo!, (v, l) => (Number.isNaN(v) ? v : Number.isNaN(l) ? l : v < l ? l : v), 'ClampBackward1');
  if (!isNone(hi)) r = binaryWith(it.ctx, a.lib, r, hi!, (v, h) => (Number.isNaN(v) ? v : Number.isNaN(h) ? h : v > h ? h : v), 'ClampBackward1');
  return r;
}

export { str, num };
