// Concrete values of the evaluator. Arrays wrap a kernel Tensor with the library they belong to,
// because the library decides precision, promotion, printing and which numerics apply.
import type { DType, Tensor } from '../kernel';

/** Whose array: decides promotion rules, the kernel's numerics and how the value prints. */
export type ArrayLib = 'torch' | 'numpy' | 'tensorflow' | 'jax';

export interface ArrayValue {
  t: 'array';
  lib: ArrayLib;
  x: Tensor;
  /** A NumPy scalar (np.float64(...)), not a 0-d array: prints like a number. */
  npScalar?: boolean;
  /** torch autograd: requires_grad leaf, or the grad_fn name of a non-leaf ('' when unknown). */
  grad?: { leaf: true } | { leaf: false; fn: string };
  /**
   * The library's own exp/log may differ from ours in the last bit here (NumPy's SIMD or libm
   * float64 exp/log; see docs/hover.md). Propagates to everything computed from it.
   */
  approx?: true;
}

export type Value =
  | { t: 'int'; v: number }
  | { t: 'float'; v: number; approx?: true }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  | { t: 'none' }
  | { t: 'list' | 'tuple'; items: Value[] }
  | { t: 'range'; start: number; stop: number; step: number }
  | ArrayValue
  | { t: 'dtype'; dtype: DType; lib: ArrayLib | 'python' }
  /** A library module or function, by qualified (canonical) name. */
  | { t: 'ref'; qname: string }
  /** A loss module or layer instance built from a library class with literal arguments. */
  | { t: 'instance'; qname: string; args: CallArgs }
  /** A user-defined function of the file. */
  | { t: 'function'; def: import('../ir').Stmt & { k: 'def' }; env: import('./env').Env }
  | { t: 'lambda'; expr: import('../ir').Expr & { k: 'lambda' }; env: import('./env').Env }
  /** A method looked up on a value (`x.sum`), called later. */
  | { t: 'bound'; recv: Value; name: string }
  /** A Python builtin (len, range, float, print, ...). */
  | { t: 'builtin'; name: string };

export interface CallArgs {
  pos: Value[];
  kw: Map<string, Value>;
}

/** The reason a value cannot be computed. Thrown, never returned as a number. */
export class NotEvaluable extends Error {
  constructor(readonly why: string, readonly span?: { s: number; e: number }) {
    super(why);
    this.name = 'NotEvaluable';
  }
}

export const NONE: Value = { t: 'none' };

export function isNumberValue(v: Value): v is { t: 'int' | 'float' | 'bool'; v: never } {
  return v.t === 'int' || v.t === 'float' || v.t === 'bool';
}

/** The Python number of an int/float/bool value. */
export function pyNumber(v: Value): number {
  if (v.t === 'int' || v.t === 'float') return v.v;
  if (v.t === 'bool') return v.v ? 1 : 0;
  throw new NotEvaluable(`expected a number, got ${describe(v)}`);
}

export function describe(v: Value): string {
  switch (v.t) {
    case 'array':
      return v.lib === 'torch' ? 'a tensor' : v.lib === 'numpy' ? (v.npScalar ? 'a NumPy scalar' : 'a NumPy array') : `a ${v.lib} array`;
    case 'ref':
      return `\`${v.qname}\``;
    case 'instance':
      return `a \`${v.qname.split('.').pop()}\` object`;
    case 'function':
      return `the function \`${v.def.name}\``;
    case 'lambda':
      return 'a lambda';
    case 'dtype':
      return `the dtype ${v.dtype}`;
    case 'none':
      return 'None';
    case 'str':
      return 'a string';
    default:
      return `a ${v.t}`;
  }
}

export function arr(lib: ArrayLib, x: Tensor, extra: Partial<ArrayValue> = {}): ArrayValue {
  return { t: 'array', lib, x, ...extra };
}

/** Whether any number inside v is marked approximate. */
export function anyApprox(v: Value): true | undefined {
  if (v.t === 'array' || v.t === 'float') return v.approx;
  if (v.t === 'list' || v.t === 'tuple') return v.items.some((x) => anyApprox(x)) ? true : undefined;
  return undefined;
}
