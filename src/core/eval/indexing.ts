// NumPy-style indexing (PyTorch follows the same rules for what is evaluated here): integers,
// slices, None, Ellipsis and integer arrays (advanced indexing, e.g. p[range(n), y]).
// Boolean masks and negative torch steps are not evaluated.
import * as K from '../kernel';
import type { Tensor } from '../kernel';
import { NotEvaluable, describe, type ArrayLib, type Value } from './values';
import { rangeLen, toTensor } from './convert';
import type { Ctx } from './ctx';

export type IndexItem =
  | { k: 'int'; i: number }
  | { k: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { k: 'none' }
  | { k: 'ellipsis' }
  | { k: 'array'; t: Tensor };

export function indexItem(ctx: Ctx, v: Value, lib: ArrayLib): IndexItem {
  switch (v.t) {
    case 'int':
      return { k: 'int', i: v.v };
    case 'bool':
      throw new NotEvaluable('boolean indexing is not evaluated');
    case 'none':
      return { k: 'none' };
    case 'list':
    case 'tuple':
    case 'range': {
      const t = toTensor(ctx, v, lib, null);
      if (t.dtype !== 'int64') throw new NotEvaluable(t.dtype === 'bool' ? 'boolean mask indexing is not evaluated' : 'arrays used as indices must be integers');
      return { k: 'array', t };
    }
    case 'array':
      if (v.x.dtype !== 'int64') throw new NotEvaluable(v.x.dtype === 'bool' ? 'boolean mask indexing is not evaluated' : 'arrays used as indices must be integers');
      if (v.x.ndim === 0) return { k: 'int', i: v.x.data[0]! };
      return { k: 'array', t: v.x };
    default:
      throw new NotEvaluable(`cannot index with ${describe(v)}`);
  }
}

function sliceIndices(n: number, s: { start: number | null; stop: number | null; step: number | null }, lib: ArrayLib): number[] {
  const step = s.step ?? 1;
  if (step === 0) throw new NotEvaluable('slice step cannot be zero');
  if (step < 0 && lib === 'torch') throw new NotEvaluable('ValueError: step must be greater than zero');
  const norm = (v: number | null, def: number, lo: number, hi: number) => {
    if (v === null) return def;
    let x = v < 0 ? v + n : v;
    x = Math.max(lo, Math.min(hi, x));
    return x;
  };
  const out: number[] = [];
  if (step > 0) {
    const a = norm(s.start, 0, 0, n);
    const b = norm(s.stop, n, 0, n);
    for (let i = a; i < b; i += step) out.push(i);
  } else {
    const a = norm(s.start, n - 1, -1, n - 1);
    const b = norm(s.stop, -1, -1, n - 1);
    for (let i = a; i > b; i += step) out.push(i);
  }
  return out;
}

/** x[items] for an array: the result tensor. */
export function indexTensor(ctx: Ctx, x: Tensor, items: IndexItem[], lib: ArrayLib): Tensor {
  const consumed = items.filter((it) => it.k !== 'none' && it.k !== 'ellipsis').length;
  if (consumed > x.ndim) throw new NotEvaluable(`IndexError: too many indices for an array of dimension ${x.ndim}`);
  const ell = items.findIndex((it) => it.k === 'ellipsis');
  if (items.filter((it) => it.k === 'ellipsis').length > 1) throw new NotEvaluable('an index can only have a single ellipsis');
  const fill: IndexItem[] = Array.from({ length: x.ndim - consumed }, () => ({ k: 'slice', start: null, stop: null, step: null }));
  const full = ell >= 0 ? [...items.slice(0, ell), ...fill, ...items.slice(ell + 1)] : [...items, ...fill];
  const hasAdv = full.some((it) => it.k === 'array');
  // per item: which input dim it addresses
  type Part = { kind: 'basic'; dim: number; idx: number[] } | { kind: 'new' } | { kind: 'adv'; dim: number; t: Tensor } | { kind: 'fixed'; dim: number; i: number };
  const parts: Part[] = [];
  let dim = 0;
  for (const it of full) {
    if (it.k === 'none') {
      parts.push({ kind: 'new' });
      continue;
    }
    const n = x.shape[dim]!;
    if (it.k === 'int') {
      const i = it.i < 0 ? it.i + n : it.i;
      if (!Number.isInteger(it.i) || i < 0 || i >= n) throw new NotEvaluable(`IndexError: index ${it.i} is out of bounds for dimension ${dim} with size ${n}`);
      if (hasAdv) parts.push({ kind: 'adv', dim, t: K.scalar(i, 'int64') });
      else parts.push({ kind: 'fixed', dim, i });
    } else if (it.k === 'slice') {
      parts.push({ kind: 'basic', dim, idx: sliceIndices(n, it, lib) });
    } else if (it.k === 'array') {
      for (const v of it.t.data) {
        if (v < -n || v >= n) throw new NotEvaluable(`IndexError: index ${v} is out of bounds for dimension ${dim} with size ${n}`);
      }
      parts.push({ kind: 'adv', dim, t: it.t });
    }
    dim++;
  }
  const advParts = parts.filter((p): p is Part & { kind: 'adv' } => p.kind === 'adv');
  let advShape: number[] = [];
  for (const p of advParts) advShape = K.broadcastShapes(advShape, p.t.shape);
  const advPos = parts.map((p, i) => (p.kind === 'adv' ? i : -1)).filter((i) => i >= 0);
  const contiguous = advPos.length > 0 && advPos[advPos.length - 1]! - advPos[0]! === advPos.length - 1;
  // output axes: a list of "axis descriptors"
  type Axis = { kind: 'basic'; part: number } | { kind: 'new' } | { kind: 'adv'; k: number };
  const axes: Axis[] = [];
  const advAxes: Axis[] = advShape.map((_, k) => ({ kind: 'adv', k }));
  if (advParts.length && !contiguous) axes.push(...advAxes);
  parts.forEach((p, i) => {
    if (p.kind === 'basic') axes.push({ kind: 'basic', part: i });
    else if (p.kind === 'new') axes.push({ kind: 'new' });
    else if (p.kind === 'adv' && contiguous && i === advPos[0]) axes.push(...advAxes);
  });
  const outShape = axes.map((a) => (a.kind === 'basic' ? (parts[a.part] as { idx: number[] }).idx.length : a.kind === 'new' ? 1 : advShape[a.k]!));
  const n = outShape.reduce((a, b) => a * b, 1);
  ctx.budget.elements(n);
  const inStrides = K.stridesOf(x.shape);
  const advIdx = advParts.map((p) => K.broadcastIndex(p.t.shape, advShape));
  const out = new Float64Array(n);
  const counter = new Array<number>(outShape.length).fill(0);
  const advCounter = new Array<number>(advShape.length).fill(0);
  const advStrides = K.stridesOf(advShape);
  for (let o = 0; o < n; o++) {
    let off = 0;
    axes.forEach((a, j) => {
      if (a.kind === 'basic') {
        const p = parts[a.part] as { dim: number; idx: number[] };
        off += p.idx[counter[j]!]! * inStrides[p.dim]!;
      } else if (a.kind === 'adv') advCounter[a.k] = counter[j]!;
    });
    for (const p of parts) if (p.kind === 'fixed') off += p.i * inStrides[p.dim]!;
    if (advParts.length) {
      let flat = 0;
      for (let k = 0; k < advShape.length; k++) flat += advCounter[k]! * advStrides[k]!;
      advParts.forEach((p, q) => {
        const m = advIdx[q];
        let v = p.t.data[m ? m[flat]! : flat]!;
        if (v < 0) v += x.shape[p.dim]!;
        off += v * inStrides[p.dim]!;
      });
    }
    out[o] = x.data[off]!;
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++counter[d]! < outShape[d]!) break;
      counter[d] = 0;
    }
  }
  return new K.Tensor(outShape, x.dtype, out);
}

/** Python sequence indexing (lists, tuples, ranges) with an int or a slice. */
export function indexSequence(v: Value & { t: 'list' | 'tuple' | 'range' }, item: IndexItem): Value {
  const items: Value[] = v.t === 'range' ? Array.from({ length: rangeLen(v) }, (_, i) => ({ t: 'int' as const, v: v.start + i * v.step })) : v.items;
  if (item.k === 'int') {
    const i = item.i < 0 ? item.i + items.length : item.i;
    if (i < 0 || i >= items.length) throw new NotEvaluable('IndexError: index out of range');
    return items[i]!;
  }
  if (item.k === 'slice') {
    const idx = sliceIndices(items.length, item, 'numpy');
    return { t: v.t === 'tuple' ? 'tuple' : 'list', items: idx.map((i) => items[i]!) };
  }
  throw new NotEvaluable('list indices must be integers or slices');
}

/** torch grad_fn of an indexing result. */
export function indexGradFn(items: IndexItem[]): string {
  if (items.some((i) => i.k === 'array')) return 'IndexBackward0';
  if (items.length === 1 && items[0]!.k === 'int') return 'SelectBackward0';
  if (items.every((i) => i.k === 'slice')) return 'SliceBackward0';
  return '?';
}
