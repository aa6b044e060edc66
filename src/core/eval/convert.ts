// Python values → kernel tensors (the constructors np.array / torch.tensor / tf.constant), and back.
import * as K from '../kernel';
import type { DType, Tensor } from '../kernel';
import { promote } from './arith';
import { NotEvaluable, describe, type ArrayLib, type Value } from './values';
import type { Ctx } from './ctx';

/** The dtype a library infers for a nested Python sequence (before an explicit dtype=). */
function inferDtype(v: Value, lib: ArrayLib): DType {
  let kind: DType | null = null;
  const floatDefault: DType = lib === 'numpy' ? 'float64' : 'float32';
  const visit = (x: Value): void => {
    switch (x.t) {
      case 'bool':
        kind = kind ? promote(kind, 'bool') : 'bool';
        return;
      case 'int':
        kind = kind ? promote(kind, 'int64') : 'int64';
        return;
      case 'float':
        kind = kind ? promote(kind, floatDefault) : floatDefault;
        return;
      case 'array':
        kind = kind ? promote(kind, x.x.dtype) : x.x.dtype;
        return;
      case 'list':
      case 'tuple':
        x.items.forEach(visit);
        return;
      case 'range':
        kind = kind ? promote(kind, 'int64') : 'int64';
        return;
      default:
        throw new NotEvaluable(`cannot make an array from ${describe(x)}`);
    }
  };
  visit(v);
  return kind ?? floatDefault;
}

/** Shape and flat values of a nested sequence; throws on ragged input. */
function flatten(v: Value, ctx: Ctx): { shape: number[]; data: number[] } {
  const data: number[] = [];
  const shapeOf = (x: Value): number[] => {
    if (x.t === 'array') return [...x.x.shape];
    if (x.t === 'list' || x.t === 'tuple') return x.items.length ? [x.items.length, ...shapeOf(x.items[0]!)] : [0];
    if (x.t === 'range') return [rangeLen(x)];
    return [];
  };
  const shape = shapeOf(v);
  const n = shape.reduce((a, b) => a * b, 1);
  ctx.budget.elements(n);
  const rec = (x: Value, d: number): void => {
    if (x.t === 'list' || x.t === 'tuple') {
      if (d >= shape.length || x.items.length !== shape[d]) throw new NotEvaluable('ValueError: ragged nested sequence');
      for (const it of x.items) rec(it, d + 1);
      return;
    }
    if (x.t === 'range') {
      if (d !== shape.length - 1 || rangeLen(x) !== shape[d]) throw new NotEvaluable('ValueError: ragged nested sequence');
      for (let i = 0; i < shape[d]!; i++) data.push(x.start + i * x.step);
      return;
    }
    if (x.t === 'array') {
      const rest = shape.slice(d);
      if (rest.length !== x.x.ndim || rest.some((s, i) => s !== x.x.shape[i])) throw new NotEvaluable('ValueError: ragged nested sequence');
      for (const e of x.x.data) data.push(e);
      return;
    }
    if (d !== shape.length) throw new NotEvaluable('ValueError: ragged nested sequence');
    data.push(x.t === 'bool' ? (x.v ? 1 : 0) : (x as { v: number }).v);
  };
  rec(v, 0);
  return { shape, data };
}

export function rangeLen(r: { start: number; stop: number; step: number }): number {
  const n = r.step > 0 ? Math.ceil((r.stop - r.start) / r.step) : Math.ceil((r.start - r.stop) / -r.step);
  return Math.max(0, n);
}

/** np.array(v, dtype) / torch.tensor(v, dtype): a new tensor. `dtype` null = inferred. */
export function toTensor(ctx: Ctx, v: Value, lib: ArrayLib, dtype: DType | null): Tensor {
  if (v.t === 'array' && !dtype) return v.x;
  if (v.t === 'array' && dtype) return v.x.astype(dtype);
  const dt = dtype ?? inferDtype(v, lib);
  const { shape, data } = flatten(v, ctx);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (dt === 'int64' && !Number.isInteger(x)) {
      // np.array([1.5], dtype=int) truncates; torch.tensor([1.5], dtype=torch.long) too. Exact only in range.
      if (!Number.isFinite(x)) throw new NotEvaluable('cannot convert a non-finite float to an integer');
    }
    out[i] = K.roundTo(dt, x);
  }
  return new K.Tensor(shape, dt, out);
}

/** Python value of one element: float for float dtypes, int for int64, bool for bool. */
export function elementValue(x: number, dtype: DType): Value {
  if (dtype === 'bool') return { t: 'bool', v: x !== 0 };
  if (dtype === 'int64') return { t: 'int', v: x };
  return { t: 'float', v: x };
}

/** .tolist(): nested Python lists of Python numbers. */
export function toList(t: Tensor): Value {
  if (t.ndim === 0) return elementValue(t.data[0]!, t.dtype);
  const rec = (d: number, off: number): Value => {
    const n = t.shape[d]!;
    const inner = t.shape.slice(d + 1).reduce((a, b) => a * b, 1);
    const items: Value[] = [];
    for (let i = 0; i < n; i++) items.push(d === t.ndim - 1 ? elementValue(t.data[off + i]!, t.dtype) : rec(d + 1, off + i * inner));
    return { t: 'list', items };
  };
  return rec(0, 0);
}
