// NumPy/PyTorch indexing: integers, slices (negative indices and steps), None, Ellipsis, and
// advanced (fancy) indexing with integer arrays, e.g. the naive cross-entropy `p[range(n), y]`.
// NumPy rules: advanced indices broadcast together; their result dims go where the first advanced
// index is if all advanced indices are adjacent, otherwise to the front. PyTorch follows the same
// rules but rejects negative slice steps (we throw, as it does).

import { broadcastShapes, checkLimit, KernelError, numel, stridesOf, Tensor, type KernelOptions, type Lib } from './tensor';

export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}
/** One item of an index expression: integer, slice, null (newaxis), '...' or an integer array. */
export type IndexItem = number | Slice | null | '...' | Tensor | number[];

export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start, stop, step };
}

/** Python's slice.indices(n): the positions a slice selects in a dimension of size n. */
export function sliceIndices(s: Slice, n: number): number[] {
  const step = s.step ?? 1;
  if (step === 0) throw new KernelError('slice step cannot be zero');
  let start: number;
  let stop: number;
  if (step > 0) {
    start = s.start == null ? 0 : s.start < 0 ? Math.max(0, s.start + n) : Math.min(s.start, n);
    stop = s.stop == null ? n : s.stop < 0 ? Math.max(0, s.stop + n) : Math.min(s.stop, n);
  } else {
    start = s.start == null ? n - 1 : s.start < 0 ? Math.max(-1, s.start + n) : Math.min(s.start, n - 1);
    stop = s.stop == null ? -1 : s.stop < 0 ? Math.max(-1, s.stop + n) : Math.min(s.stop, n - 1);
  }
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

function isSlice(x: IndexItem): x is Slice {
  return typeof x === 'object' && x !== null && !(x instanceof Tensor) && !Array.isArray(x);
}

type Resolved =
  | { kind: 'int'; i: number }
  | { kind: 'slice'; pos: number[] }
  | { kind: 'new' }
  | { kind: 'adv'; t: Tensor };

/** x[items...] with NumPy semantics (lib 'torch' additionally rejects negative steps). */
export function index(x: Tensor, items: readonly IndexItem[], opts?: KernelOptions): Tensor {
  const lib: Lib = opts?.lib ?? 'torch';
  const consumes = (it: IndexItem) => it !== null && it !== '...';
  const nCons = items.filter(consumes).length;
  if (nCons > x.ndim) throw new KernelError(`too many indices for tensor of dimension ${x.ndim}`);
  const ell = items.indexOf('...');
  if (items.lastIndexOf('...') !== ell) throw new KernelError("an index can only have a single ellipsis ('...')");
  const full: IndexItem[] = [];
  for (let k = 0; k < items.length; k++) {
    if (k === ell) for (let j = 0; j < x.ndim - nCons; j++) full.push({});
    else full.push(items[k]!);
  }
  if (ell < 0) for (let j = nCons; j < x.ndim; j++) full.push({});
  // resolve each item against its dimension
  const res: Resolved[] = [];
  let d = 0;
  for (const it of full) {
    if (it === null) {
      res.push({ kind: 'new' });
      continue;
    }
    const n = x.shape[d]!;
    if (typeof it === 'number') {
      const i = it < 0 ? it + n : it;
      if (!Number.isInteger(it) || i < 0 || i >= n) throw new KernelError(`index ${it} is out of bounds for axis ${d} with size ${n}`);
      res.push({ kind: 'int', i });
    } else if (isSlice(it)) {
      if (lib === 'torch' && (it.step ?? 1) < 0) throw new KernelError('step must be greater than zero');
      res.push({ kind: 'slice', pos: sliceIndices(it, n) });
    } else {
      const t = it instanceof Tensor ? it : new Tensor([(it as number[]).length], 'int64', Float64Array.from(it as number[]));
      if (t.dtype === 'bool') throw new KernelError('boolean mask indexing is not supported by the kernel');
      const data = new Float64Array(t.size);
      for (let k = 0; k < t.size; k++) {
        const v = t.data[k]!;
        const i = v < 0 ? v + n : v;
        if (!Number.isInteger(v) || i < 0 || i >= n) throw new KernelError(`index ${v} is out of bounds for axis ${d} with size ${n}`);
        data[k] = i;
      }
      res.push({ kind: 'adv', t: new Tensor(t.shape, 'int64', data) });
    }
    d++;
  }
  const advPos = res.map((r, k) => (r.kind === 'adv' ? k : -1)).filter((k) => k >= 0);
  const hasAdv = advPos.length > 0;
  // with advanced indexing, integers count as 0-d advanced indices (NumPy)
  const advLike = res.map((r, k) => (r.kind === 'adv' || (hasAdv && lib === 'numpy' && r.kind === 'int') ? k : -1)).filter((k) => k >= 0);
  let bshape: number[] = [];
  for (const k of advLike) {
    const r = res[k]!;
    bshape = broadcastShapes(bshape, r.kind === 'adv' ? r.t.shape : []);
  }
  const adjacent = advLike.length > 0 && advLike[advLike.length - 1]! - advLike[0]! === advLike.length - 1;
  // output dims: list of ('basic', resIndex) and one ('adv') group
  type OutDim = { k: number } | { adv: true };
  const outDims: OutDim[] = [];
  let advPlaced = false;
  if (hasAdv && !adjacent) {
    outDims.push({ adv: true });
    advPlaced = true;
  }
  res.forEach((r, k) => {
    if (hasAdv && advLike.includes(k)) {
      if (!advPlaced) {
        outDims.push({ adv: true });
        advPlaced = true;
      }
      return;
    }
    if (r.kind === 'slice' || r.kind === 'new') outDims.push({ k });
  });
  const outShape: number[] = [];
  for (const od of outDims) {
    if ('adv' in od) outShape.push(...bshape);
    else {
      const r = res[od.k]!;
      outShape.push(r.kind === 'slice' ? r.pos.length : 1);
    }
  }
  const total = checkLimit(outShape, opts);
  const out = new Float64Array(total);
  const inStrides = stridesOf(x.shape);
  // map resolved item -> input dim
  const dimOf: number[] = [];
  {
    let dd = 0;
    for (const r of res) {
      dimOf.push(r.kind === 'new' ? -1 : dd);
      if (r.kind !== 'new') dd++;
    }
  }
  const bStr = stridesOf(bshape);
  const outIdx = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < total; o++) {
    // decompose o
    let rem = o;
    for (let k = outShape.length - 1; k >= 0; k--) {
      const s = outShape[k]!;
      outIdx[k] = s === 0 ? 0 : rem % s;
      rem = Math.floor(rem / (s || 1));
    }
    // advanced multi-index
    let p = 0;
    const coord = new Map<number, number>();
    let bflat = 0;
    for (const od of outDims) {
      if ('adv' in od) {
        for (let j = 0; j < bshape.length; j++) bflat += outIdx[p + j]! * bStr[j]!;
        p += bshape.length;
      } else {
        const r = res[od.k]!;
        if (r.kind === 'slice') coord.set(dimOf[od.k]!, r.pos[outIdx[p]!]!);
        p++;
      }
    }
    let off = 0;
    res.forEach((r, k) => {
      const dd = dimOf[k]!;
      if (dd < 0) return;
      let i: number;
      if (r.kind === 'int') i = r.i;
      else if (r.kind === 'slice') i = coord.get(dd)!;
      else if (r.kind === 'adv') {
        // broadcast bflat into r.t's shape
        const ts = r.t.shape;
        let tOff = 0;
        let bf = bflat;
        const bIdx: number[] = [];
        for (let j = 0; j < bshape.length; j++) {
          bIdx.push(Math.floor(bf / bStr[j]!));
          bf %= bStr[j]!;
        }
        const tStr = stridesOf(ts);
        for (let j = 0; j < ts.length; j++) {
          const bi = bIdx[bshape.length - ts.length + j]!;
          tOff += (ts[j] === 1 ? 0 : bi) * tStr[j]!;
        }
        i = r.t.data[tOff]!;
      } else return;
      off += i * inStrides[dd]!;
    });
    out[o] = x.data[off]!;
  }
  void numel;
  return new Tensor(outShape, x.dtype, out);
}

/** Python's range(start, stop, step) as an int64 tensor (for `p[range(n), y]`). */
export function range(a: number, b?: number, step = 1): Tensor {
  const start = b === undefined ? 0 : a;
  const stop = b === undefined ? a : b;
  const v: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) v.push(i);
  else for (let i = start; i > stop; i += step) v.push(i);
  return new Tensor([v.length], 'int64', Float64Array.from(v));
}
