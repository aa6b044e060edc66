// A value as plain data: JSON-able value, dtype, shape, the library's printed form, round-trip digits.
import * as K from '../kernel';
import type { Nested } from '../kernel';
import { pyFloatRepr } from './format';
import { numpyScalarRepr, numpyStr } from './print-numpy';
import { torchStr } from './print-torch';
import { NotEvaluable, describe, type ArrayValue, type Value } from './values';

export type PlainValue = number | boolean | string | PlainValue[];

export interface Presented {
  value: PlainValue;
  dtype: string;
  /** Python type: 'torch.Tensor', 'numpy.ndarray', 'numpy.float64', 'float', 'int', 'list', ... */
  type: string;
  shape: number[];
  /** What print() shows; null when it cannot be claimed exactly. */
  printed: string | null;
  /** Round-trip digits of every number (the float64 value that is exactly the result). */
  full: string;
  /** False when the library's own exp/log may differ from this evaluation in the last bit. */
  exact: boolean;
}

function typeOf(v: ArrayValue): string {
  switch (v.lib) {
    case 'torch':
      return 'torch.Tensor';
    case 'numpy':
      return v.npScalar ? `numpy.${v.x.dtype === 'bool' ? 'bool_' : v.x.dtype}` : 'numpy.ndarray';
    case 'tensorflow':
      return 'tf.Tensor';
    case 'jax':
      return 'jax.Array';
  }
}

export function printArray(v: ArrayValue): string | null {
  switch (v.lib) {
    case 'torch':
      if (v.grad && !v.grad.leaf && v.grad.fn === '?') return null;
      return torchStr(v.x, v.grad ? (v.grad.leaf ? '' : v.grad.fn) : undefined);
    case 'numpy':
      return v.npScalar ? numpyScalarRepr(v.x.data[0]!, v.x.dtype) : numpyStr(v.x);
    case 'tensorflow':
    case 'jax':
      // No TensorFlow/JAX here to check their printing against: the value is shown, not a print.
      return null;
  }
}

function fullDigits(x: Nested): string {
  if (Array.isArray(x)) return `[${x.map(fullDigits).join(', ')}]`;
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  return Number.isInteger(x) && Math.abs(x) < 1e16 && !Object.is(x, -0) ? String(x) : pyFloatRepr(x);
}

function pyRepr(v: Value): string | null {
  switch (v.t) {
    case 'int':
      return String(v.v);
    case 'float':
      return pyFloatRepr(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'str':
      return JSON.stringify(v.v).replace(/^"|"$/g, "'");
    case 'list':
    case 'tuple': {
      const items = v.items.map(pyRepr);
      if (items.some((x) => x === null)) return null;
      if (v.t === 'tuple') return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
      return `[${items.join(', ')}]`;
    }
    case 'array':
      return v.lib === 'numpy' && v.npScalar ? numpyScalarRepr(v.x.data[0]!, v.x.dtype) : null;
    default:
      return null;
  }
}

function plain(v: Value): PlainValue {
  switch (v.t) {
    case 'int':
    case 'float':
      return v.v;
    case 'bool':
      return v.v;
    case 'str':
      return v.v;
    case 'list':
    case 'tuple':
      return v.items.map(plain);
    case 'range':
      return Array.from({ length: Math.max(0, Math.ceil((v.stop - v.start) / v.step)) }, (_, i) => v.start + i * v.step);
    case 'array':
      return v.x.toNested() as PlainValue;
    default:
      throw new NotEvaluable(notANumber(v));
  }
}

function notANumber(v: Value): string {
  if (v.t === 'instance') return `${describe(v)} (a module, not a number: hover its call to see the loss)`;
  if (v.t === 'ref') return `${describe(v)} is a library function or module, not a value`;
  if (v.t === 'function') return `${describe(v)} (hover a call of it)`;
  if (v.t === 'none') return 'the value is None';
  return `${describe(v)} is not a number`;
}

function isApproxDeep(v: Value): boolean {
  if (v.t === 'array' || v.t === 'float') return !!v.approx;
  if (v.t === 'list' || v.t === 'tuple') return v.items.some(isApproxDeep);
  return false;
}

const nudgeView = new DataView(new ArrayBuffer(8));
/** The neighbouring float64 (dir ±1) of a finite non-zero x; x itself otherwise. */
function nudge(x: number, dir: 1 | -1): number {
  if (!Number.isFinite(x) || x === 0) return x;
  nudgeView.setFloat64(0, x);
  const b = nudgeView.getBigUint64(0);
  nudgeView.setBigUint64(0, (x > 0) === (dir > 0) ? b + 1n : b - 1n);
  return nudgeView.getFloat64(0);
}

/**
 * The printed form of an approximate array only when it does not change if every element moves by
 * one unit in the last place either way (the size of the possible difference); otherwise null.
 */
function robustPrint(v: ArrayValue): string | null {
  const p = printArray(v);
  if (!v.approx || p === null || !K.isFloat(v.x.dtype)) return p;
  for (const dir of [1, -1] as const) {
    const data = v.x.data.map((x) => (v.x.dtype === 'float32' ? Math.fround(nudge32(x, dir)) : nudge(x, dir)));
    if (printArray({ ...v, x: new K.Tensor(v.x.shape, v.x.dtype, data) }) !== p) return null;
  }
  return p;
}

function nudge32(x: number, dir: 1 | -1): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const f = new Float32Array([x]);
  const i = new Int32Array(f.buffer);
  i[0]! += (x > 0) === (dir > 0) ? 1 : -1;
  return f[0]!;
}

/** Arrays larger than this get no `full` digits string (the value itself round-trips). */
const MAX_FULL = 10_000;

export function present(v: Value): Presented {
  const exact = !isApproxDeep(v);
  if (v.t === 'array') {
    const value = plain(v);
    const full = v.x.size <= MAX_FULL ? fullDigits(v.x.toNested()) : `(${v.x.size.toLocaleString('en-US')} elements: every number is in the value, with round-trip digits)`;
    return { value, dtype: v.x.dtype, type: typeOf(v), shape: [...v.x.shape], printed: robustPrint(v), full, exact };
  }
  if (v.t === 'none' || v.t === 'instance' || v.t === 'ref' || v.t === 'function' || v.t === 'lambda' || v.t === 'bound' || v.t === 'builtin' || v.t === 'dtype') throw new NotEvaluable(notANumber(v));
  const value = plain(v);
  const dtype = v.t === 'float' ? 'float64' : v.t === 'int' ? 'int64' : v.t === 'bool' ? 'bool' : v.t === 'str' ? 'str' : 'object';
  const shape = v.t === 'list' || v.t === 'tuple' || v.t === 'range' ? shapeOf(value) : [];
  const full = typeof value === 'number' ? fullDigits(value) : Array.isArray(value) ? fullDigits(value as Nested) : String(value);
  const printed = exact ? pyRepr(v) : v.t === 'float' && robustPrint({ t: 'array', lib: 'numpy', x: K.scalar(v.v, 'float64'), npScalar: true, approx: true }) !== null ? pyRepr(v) : null;
  return { value, dtype, type: v.t, shape, printed, full, exact };
}

function shapeOf(x: PlainValue): number[] {
  const s: number[] = [];
  let cur: PlainValue = x;
  while (Array.isArray(cur)) {
    s.push(cur.length);
    if (!cur.length) break;
    cur = cur[0]!;
  }
  return s;
}
