// Binary and unary operators over evaluator values, with each library's type promotion:
//  Python: int/float/bool semantics (ints exact up to 2^53, else not evaluable).
//  NumPy 1.24: value-based casting (scalars and 0-d arrays do not widen arrays of the same kind).
//  PyTorch 1.13: Python numbers and 0-d tensors are weak against dimensioned tensors of the same category.
import * as K from '../kernel';
import type { DType, Tensor } from '../kernel';
import { arr, NotEvaluable, pyNumber, describe, type ArrayLib, type ArrayValue, type Value } from './values';
import type { Ctx } from './ctx';

const KIND: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 2 };
const RANK: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 3 };

export function promote(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

function pyDtype(v: Value): DType {
  if (v.t === 'float') return 'float64';
  if (v.t === 'bool') return 'bool';
  return 'int64';
}

/** Exact Python int arithmetic within ±2^53. */
function checkInt(x: number): number {
  if (!Number.isSafeInteger(x)) throw new NotEvaluable('integer outside ±2^53 (not evaluated exactly)');
  return x;
}

function pyFloorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

export function isApprox(v: Value): boolean {
  return (v.t === 'array' || v.t === 'float') && !!v.approx;
}

function pyScalarOp(op: string, a: Value, b: Value): Value {
  const r = pyScalarOpExact(op, a, b);
  if (r.t === 'float' && (isApprox(a) || isApprox(b))) return { ...r, approx: true };
  return r;
}

function pyScalarOpExact(op: string, a: Value, b: Value): Value {
  const x = pyNumber(a);
  const y = pyNumber(b);
  const isInt = a.t !== 'float' && b.t !== 'float';
  switch (op) {
    case '+':
    case '-':
    case '*': {
      const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
      return isInt ? { t: 'int', v: checkInt(r) } : { t: 'float', v: r };
    }
    case '/':
      if (y === 0) throw new NotEvaluable('ZeroDivisionError: division by zero');
      return { t: 'float', v: x / y };
    case '//':
      if (y === 0) throw new NotEvaluable('ZeroDivisionError: integer division or modulo by zero');
      if (!isInt) throw new NotEvaluable('float floor division is not evaluated');
      return { t: 'int', v: pyFloorDiv(x, y) };
    case '%':
      if (y === 0) throw new NotEvaluable('ZeroDivisionError: integer division or modulo by zero');
      if (!isInt) throw new NotEvaluable('float modulo is not evaluated');
      return { t: 'int', v: pyMod(x, y) };
    case '**':
      if (isInt && y >= 0) return { t: 'int', v: checkInt(x ** y) };
      // CPython calls the C library's pow(x, 2.0) (not guaranteed correctly rounded): marked approximate
      if (y === 2) return { t: 'float', v: x * x, approx: true };
      throw new NotEvaluable('a float power is computed by the C library pow(), which is not reproduced bit for bit');
    default:
      throw new NotEvaluable(`operator ${op} on numbers is not evaluated`);
  }
}

function libOf(a: Value, b: Value): ArrayLib {
  const la = a.t === 'array' ? a.lib : null;
  const lb = b.t === 'array' ? b.lib : null;
  if (la && lb && la !== lb) throw new NotEvaluable(`mixing ${la} and ${lb} arrays is not evaluated`);
  return (la ?? lb)!;
}

/** An operand for the kernel: Python numbers stay numbers (weak), arrays are tensors. */
type Operand = { weak: true; v: number; dtype: DType } | { weak: false; a: ArrayValue };

function operand(v: Value): Operand {
  if (v.t === 'int' || v.t === 'float' || v.t === 'bool') return { weak: true, v: pyNumber(v), dtype: pyDtype(v) };
  if (v.t === 'array') return { weak: false, a: v };
  throw new NotEvaluable(`unsupported operand: ${describe(v)}`);
}

/** Result dtype of a binary op per library; `scalarsOnly`: both operands are 0-d. */
export function resultDtype(lib: ArrayLib, a: Operand, b: Operand): DType {
  const dimOf = (o: Operand) => (o.weak ? -1 : o.a.x.ndim);
  const dt = (o: Operand) => (o.weak ? o.dtype : o.a.x.dtype);
  const defaultFloat: DType = lib === 'numpy' ? 'float64' : 'float32';
  const weakOf = (o: Operand) => (lib === 'numpy' ? dimOf(o) <= 0 : o.weak || dimOf(o) === 0);
  const wa = weakOf(a);
  const wb = weakOf(b);
  if (lib === 'numpy') {
    if (wa && wb) return promote(dt(a), dt(b));
    const [arrOp, sc] = wa ? [b, a] : [a, b];
    if (!(wa || wb)) return promote(dt(a), dt(b));
    const ad = dt(arrOp);
    const sd = dt(sc);
    if (KIND[sd] <= KIND[ad]) return ad;
    if (ad === 'bool') throw new NotEvaluable('NumPy value-based casting of a bool array with a number (small dtypes) is not evaluated');
    return 'float64';
  }
  // torch (and tf/jax treated like torch for float32 IEEE arithmetic; they reject mixed dtypes anyway)
  if (a.weak && b.weak) return promote(dt(a), dt(b));
  const strongA = !wa;
  const strongB = !wb;
  if (strongA && strongB) return promote(dt(a), dt(b));
  if (!strongA && !strongB) {
    // both 0-d tensors (or one Python number and a 0-d tensor)
    if (a.weak) return KIND[dt(a)] > KIND[dt(b)] ? (dt(a) === 'float64' ? defaultFloat : dt(a)) : dt(b);
    if (b.weak) return KIND[dt(b)] > KIND[dt(a)] ? (dt(b) === 'float64' ? defaultFloat : dt(b)) : dt(a);
    return promote(dt(a), dt(b));
  }
  const [s, w] = strongA ? [a, b] : [b, a];
  const sd = dt(s);
  const wd = dt(w);
  if (KIND[wd] <= KIND[sd]) return sd === 'bool' && wd !== 'bool' ? (w.weak ? 'int64' : wd) : sd;
  // higher category: a Python number gives the default dtype of its category; a 0-d tensor its own dtype
  if (w.weak) return wd === 'float64' ? defaultFloat : wd;
  return wd;
}

function toTensor(o: Operand, dtype: DType): K.Tensor | number {
  if (o.weak) return o.v;
  return o.a.x.dtype === dtype ? o.a.x : o.a.x.astype(dtype);
}

const OPS: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
};

/** Binary arithmetic on values (at least one an array, or both Python numbers). */
export function binary(ctx: Ctx, op: string, a: Value, b: Value): Value {
  if (op === '@') throw new NotEvaluable('matrix multiplication is not evaluated');
  if ((a.t === 'list' || a.t === 'tuple') && a.t === b.t && op === '+') return { t: a.t, items: [...a.items, ...b.items] };
  if (a.t !== 'array' && b.t !== 'array') {
    if (a.t === 'str' && b.t === 'str' && op === '+') return { t: 'str', v: a.v + b.v };
    return pyScalarOp(op, a, b);
  }
  const lib = libOf(a, b);
  if (lib === 'tensorflow' || lib === 'jax') return strictBinary(ctx, lib, op, a, b);
  const oa = operand(a);
  const ob = operand(b);
  let dt = resultDtype(lib, oa, ob);
  const floatDefault: DType = lib === 'numpy' ? 'float64' : 'float32';
  if (op === '/' && !K.isFloat(dt)) dt = floatDefault;
  const x = toTensor(oa, dt);
  const y = toTensor(ob, dt);
  const opts = ctx.kopts(lib);
  let out: Tensor;
  if (op === '**') {
    if (!(typeof y === 'number' && y === 2)) throw new NotEvaluable('only `** 2` is evaluated for arrays (pow() is not reproduced bit for bit)');
    out = K.binaryMap(x, x, dt, dt, (p, q) => p * q, opts);
  } else if (op === '//' || op === '%') {
    if (K.isFloat(dt)) throw new NotEvaluable(`float ${op} on arrays is not evaluated`);
    out = K.binaryMap(x, y, dt, dt, (p, q) => {
      if (q === 0) throw new NotEvaluable('integer division by zero');
      return op === '//' ? pyFloorDiv(p, q) : pyMod(p, q);
    }, opts);
  } else if (OPS[op]) {
    if (dt === 'bool' && op !== '*') throw new NotEvaluable(`${op} on bool arrays is not evaluated`);
    const f = OPS[op]!;
    out = K.binaryMap(x, y, dt, dt, f, opts);
    if (dt === 'int64' && out.data.some((v) => !Number.isSafeInteger(v))) throw new NotEvaluable('integer overflow range (beyond 2^53) is not evaluated');
  } else if (['<', '<=', '>', '>=', '==', '!='].includes(op)) {
    const cmp = { '<': K.lt, '<=': K.le, '>': K.gt, '>=': K.ge, '==': K.eq, '!=': K.ne }[op as '<']!;
    out = cmp(typeof x === 'number' ? K.scalar(x, dt) : x, typeof y === 'number' ? K.scalar(y, dt) : y, opts);
  } else throw new NotEvaluable(`operator ${op} on arrays is not evaluated`);
  ctx.budget.elements(out.size);
  if (lib === 'numpy') noteNumpyWarnings(ctx, op, x, y, out);
  const scalarOut = lib === 'numpy' && out.ndim === 0;
  return arr(lib, out, { npScalar: scalarOut || undefined, grad: ctx.gradOf(lib, [a, b], GRAD_FN[op]), approx: isApprox(a) || isApprox(b) ? true : undefined });
}

const GRAD_FN: Record<string, string> = { '+': 'AddBackward0', '-': 'SubBackward0', '*': 'MulBackward0', '/': 'DivBackward0', '**': 'PowBackward0' };

/** TensorFlow / JAX: only IEEE-exact elementwise + - * / between operands of one float dtype. */
function strictBinary(ctx: Ctx, lib: ArrayLib, op: string, a: Value, b: Value): Value {
  if (!OPS[op]) throw new NotEvaluable(`operator ${op} on ${lib} arrays is not evaluated`);
  const oa = operand(a);
  const ob = operand(b);
  const dts = [oa, ob].filter((o) => !o.weak).map((o) => (o as { a: ArrayValue }).a.x.dtype);
  if (new Set(dts).size > 1) throw new NotEvaluable(`${lib} does not mix dtypes ${dts.join(' and ')}`);
  const dt = dts[0]!;
  if (!K.isFloat(dt)) throw new NotEvaluable(`integer ${lib} arithmetic is not evaluated`);
  const out = K.binaryMap(toTensor(oa, dt), toTensor(ob, dt), dt, dt, OPS[op]!, ctx.kopts('torch'));
  ctx.budget.elements(out.size);
  return arr(lib, out, { approx: isApprox(a) || isApprox(b) ? true : undefined });
}

function noteNumpyWarnings(ctx: Ctx, op: string, x: Tensor | number, y: Tensor | number, out: Tensor): void {
  const xs = typeof x === 'number' ? [x] : x.data;
  const ys = typeof y === 'number' ? [y] : y.data;
  const finiteIn = [...xs, ...ys].every(Number.isFinite);
  if (op === '/' && Array.from(ys).some((v) => v === 0)) {
    if (Array.from(out.data).some((v) => Number.isNaN(v))) ctx.warn('invalid value encountered in divide');
    if (Array.from(out.data).some((v) => !Number.isFinite(v) && !Number.isNaN(v))) ctx.warn('divide by zero encountered in divide');
    return;
  }
  const nanOut = Array.from(out.data).some(Number.isNaN);
  const nanIn = [...Array.from(xs), ...Array.from(ys)].some(Number.isNaN);
  const name = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide' }[op];
  if (name && nanOut && !nanIn) ctx.warn(`invalid value encountered in ${name}`);
  if (name && finiteIn && Array.from(out.data).some((v) => !Number.isFinite(v) && !Number.isNaN(v))) ctx.warn(`overflow encountered in ${name}`);
}

export function unary(ctx: Ctx, op: string, a: Value): Value {
  if (op === 'not') return { t: 'bool', v: !truthy(a) };
  if (a.t === 'int' || a.t === 'bool') {
    const v = pyNumber(a);
    return op === '-' ? { t: 'int', v: -v } : op === '+' ? { t: 'int', v } : (() => { throw new NotEvaluable(`unary ${op}`); })();
  }
  if (a.t === 'float') {
    if (op === '-') return { t: 'float', v: -a.v };
    if (op === '+') return a;
    throw new NotEvaluable(`unary ${op} on a float`);
  }
  if (a.t === 'array') {
    if (op === '+') return a;
    if (op !== '-') throw new NotEvaluable(`unary ${op} on an array is not evaluated`);
    if (a.x.dtype === 'bool') throw new NotEvaluable('negating a bool array raises');
    const out = K.neg(a.x, ctx.kopts(a.lib));
    ctx.budget.elements(out.size);
    return { ...a, x: out, grad: ctx.gradOf(a.lib, [a], 'NegBackward0') };
  }
  throw new NotEvaluable(`unary ${op} on ${describe(a)}`);
}

export function truthy(v: Value): boolean {
  switch (v.t) {
    case 'int':
    case 'float':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'str':
      return v.v.length > 0;
    case 'none':
      return false;
    case 'list':
    case 'tuple':
      return v.items.length > 0;
    case 'array':
      if (v.x.size !== 1) throw new NotEvaluable('the truth value of an array with more than one element is ambiguous');
      if (Number.isNaN(v.x.data[0]!)) return true;
      return v.x.data[0] !== 0;
    default:
      return true;
  }
}
