// Summation in the order the libraries use, so float32 (and float64) sums round the same way.
//
// PyTorch 1.13 CPU (aten/src/ATen/native/cpu/SumKernel.cpp, cascade_sum, AVX2 build):
//  - reduction over the innermost contiguous elements with n >= vector width (8 float / 4 double):
//    lane-wise vector accumulation in 4 independent accumulators (cascaded every 16 rows), tail
//    elements summed first into a scalar, then the 8 (4) lanes added in order;
//  - n below the vector width: 4 scalar accumulators over x[4i+k], tail into acc0, then acc0+acc1+acc2+acc3;
//  - reduction over a strided (outer) dimension: sequential per output, cascaded every 16 rows.
// The accumulator is the tensor's own dtype (float for float32).
// NumPy 1.24 (add.reduce): out = a[0]; out += pairwise_sum(a[1:]) along a contiguous last axis
// (pairwise with 8-way unrolled blocks of up to 128); sequential row by row along other axes.

import type { FloatDType, Lib } from './tensor';

function ceilLog2(x: number): number {
  if (x <= 2) return 1;
  return Math.ceil(Math.log2(x));
}

type Add = (a: number, b: number) => number;
const add32: Add = (a, b) => Math.fround(a + b);
const add64: Add = (a, b) => a + b;
export function adder(dtype: FloatDType): Add {
  return dtype === 'float32' ? add32 : add64;
}

/** multi_row_sum: `size` rows of `nrows` columns, load(i, k); returns nrows partial sums. */
function multiRowSum(size: number, nrows: number, load: (i: number, k: number) => number, add: Add): number[] {
  const numLevels = 4;
  const levelPower = Math.max(4, Math.floor(ceilLog2(size) / numLevels));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  const acc: number[][] = [];
  for (let j = 0; j < numLevels; j++) acc.push(new Array<number>(nrows).fill(0));
  let i = 0;
  for (; i + levelStep <= size; ) {
    for (let j = 0; j < levelStep; ++j, ++i) {
      for (let k = 0; k < nrows; k++) acc[0]![k] = add(acc[0]![k]!, load(i, k));
    }
    for (let j = 1; j < numLevels; j++) {
      for (let k = 0; k < nrows; k++) {
        acc[j]![k] = add(acc[j]![k]!, acc[j - 1]![k]!);
        acc[j - 1]![k] = 0;
      }
      const mask = levelMask * 2 ** (j * levelPower);
      if ((i & mask) !== 0) break;
    }
  }
  for (; i < size; i++) {
    for (let k = 0; k < nrows; k++) acc[0]![k] = add(acc[0]![k]!, load(i, k));
  }
  for (let j = 1; j < numLevels; j++) {
    for (let k = 0; k < nrows; k++) acc[0]![k] = add(acc[0]![k]!, acc[j]![k]!);
  }
  return acc[0]!;
}

/** row_sum: ilp 4 accumulators over elements of width `w` (w = 1 scalar, or vector lanes). */
function rowSum(n: number, w: number, load: (i: number, lane: number) => number, add: Add): number[] {
  const ilp = 4;
  const sizeIlp = Math.floor(n / ilp);
  // rows of ilp*w columns: column c = k*w + lane
  const parts = multiRowSum(sizeIlp, ilp * w, (i, c) => load(i * ilp + Math.floor(c / w), c % w), add);
  const p0 = parts.slice(0, w);
  for (let i = sizeIlp * ilp; i < n; i++) for (let l = 0; l < w; l++) p0[l] = add(p0[l]!, load(i, l));
  for (let k = 1; k < ilp; k++) for (let l = 0; l < w; l++) p0[l] = add(p0[l]!, parts[k * w + l]!);
  return p0;
}

/** torch.sum over contiguous innermost elements (values in memory order). */
export function torchInnerSum(x: ArrayLike<number>, dtype: FloatDType): number {
  const add = adder(dtype);
  const n = x.length;
  const V = dtype === 'float32' ? 8 : 4;
  if (n >= V) {
    const vecNumel = Math.floor(n / V);
    const lanes = rowSum(vecNumel, V, (i, l) => x[i * V + l]!, add);
    let acc = 0;
    for (let k = vecNumel * V; k < n; k++) acc = add(acc, x[k]!);
    for (let l = 0; l < V; l++) acc = add(acc, lanes[l]!);
    return acc;
  }
  return rowSum(n, 1, (i) => x[i]!, add)[0]!;
}

/** torch.sum along a strided (non-innermost) dimension for one output. */
export function torchOuterSum(x: ArrayLike<number>, dtype: FloatDType): number {
  return multiRowSum(x.length, 1, (i) => x[i]!, adder(dtype))[0]!;
}

function pairwise(x: ArrayLike<number>, start: number, n: number, add: Add): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = add(res, x[start + i]!);
    return res;
  }
  if (n <= 128) {
    const r = new Array<number>(8);
    for (let j = 0; j < 8; j++) r[j] = x[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = add(r[j]!, x[start + i + j]!);
    let res = add(add(add(r[0]!, r[1]!), add(r[2]!, r[3]!)), add(add(r[4]!, r[5]!), add(r[6]!, r[7]!)));
    for (; i < n; i++) res = add(res, x[start + i]!);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return add(pairwise(x, start, n2, add), pairwise(x, start + n2, n - n2, add));
}

/** np.sum along a contiguous last axis: pairwise_sum(a) (0 + ... for fewer than 8 elements). */
export function numpyInnerSum(x: ArrayLike<number>, dtype: FloatDType): number {
  return pairwise(x, 0, x.length, adder(dtype));
}

/** np.sum along a non-last axis: sequential, row after row. */
export function numpyOuterSum(x: ArrayLike<number>, dtype: FloatDType): number {
  const add = adder(dtype);
  let acc = 0;
  for (let i = 0; i < x.length; i++) acc = add(acc, x[i]!);
  return acc;
}

/** row_sum with 4 interleaved accumulators (scalar_inner_sum and outer tails). */
export function torchRowSum(x: ArrayLike<number>, dtype: FloatDType): number {
  return rowSum(x.length, 1, (i) => x[i]!, adder(dtype))[0]!;
}

interface Block {
  size: number;
  stride: number;
  reduced: boolean;
}

/**
 * torch.sum over `reduced` dims of a contiguous tensor, reproducing TensorIterator's loop order:
 * size-1 dims dropped, adjacent dims of the same kind coalesced, reduced dims moved innermost,
 * then cascade_sum's choice between vectorized_inner_sum, scalar_inner_sum (row_sum, 4
 * interleaved accumulators), vectorized_outer_sum / scalar_outer_sum (per output column either a
 * sequential cascade or row_sum, depending on the column's position), and `out += partial`.
 * Returns the sums in row-major order of the kept dims.
 */
export function torchReduceSum(data: ArrayLike<number>, shape: readonly number[], reduced: readonly number[], dtype: FloatDType): Float64Array {
  const add = adder(dtype);
  const V = dtype === 'float32' ? 8 : 4;
  const nd = shape.length;
  const strides: number[] = [];
  let st = 1;
  for (let d = nd - 1; d >= 0; d--) {
    strides[d] = st;
    st *= shape[d]!;
  }
  const blocks: Block[] = [];
  for (let d = 0; d < nd; d++) {
    if (shape[d] === 1) continue;
    const r = reduced.includes(d);
    const last = blocks[blocks.length - 1];
    if (last && last.reduced === r && last.stride === strides[d]! * shape[d]!) {
      last.size *= shape[d]!;
      last.stride = strides[d]!;
    } else blocks.push({ size: shape[d]!, stride: strides[d]!, reduced: r });
  }
  const R = blocks.filter((b) => b.reduced).sort((a, b) => a.stride - b.stride);
  const K = blocks.filter((b) => !b.reduced).sort((a, b) => a.stride - b.stride);
  // output bases in row-major order of kept dims (= descending stride)
  const Kdesc = [...K].sort((a, b) => b.stride - a.stride);
  const nOut = K.reduce((p, b) => p * b.size, 1);
  const out = new Float64Array(nOut);
  const gather = (base: number, b: Block): Float64Array => {
    const v = new Float64Array(b.size);
    for (let i = 0; i < b.size; i++) v[i] = data[base + i * b.stride]!;
    return v;
  };
  const cnt = new Array<number>(Kdesc.length).fill(0);
  for (let o = 0; o < nOut; o++) {
    let base = 0;
    for (let k = 0; k < Kdesc.length; k++) base += cnt[k]! * Kdesc[k]!.stride;
    let value: number;
    if (R.length === 0) value = add(0, data[base]!);
    else {
      const d0 = R[0]!;
      if (R.length >= 2) {
        const chunk = (b: number) => {
          const v = gather(b, d0);
          return d0.stride === 1 && d0.size >= V ? torchInnerSum(v, dtype) : torchRowSum(v, dtype);
        };
        const outer = R.slice(1);
        const oc = new Array<number>(outer.length).fill(0);
        const nComb = outer.reduce((p, b) => p * b.size, 1);
        let acc = 0;
        for (let c = 0; c < nComb; c++) {
          let off = base;
          for (let k = 0; k < outer.length; k++) off += oc[k]! * outer[k]!.stride;
          acc = add(acc, chunk(off));
          for (let k = 0; k < outer.length; k++) {
            if (++oc[k]! < outer[k]!.size) break;
            oc[k] = 0;
          }
        }
        value = acc;
      } else {
        const v = gather(base, d0);
        const k0 = K[0];
        if (!k0 || (d0.stride === 1 && d0.size >= V)) value = d0.stride === 1 && d0.size >= V ? torchInnerSum(v, dtype) : torchRowSum(v, dtype);
        else {
          const j = Math.floor(base / k0.stride) % k0.size;
          if (k0.stride === 1 && k0.size >= V) {
            const casc = 4 * V * Math.floor(k0.size / (4 * V));
            value = j < casc ? torchOuterSum(v, dtype) : torchRowSum(v, dtype);
          } else if (d0.stride < k0.stride) value = torchRowSum(v, dtype);
          else {
            const casc = 4 * Math.floor(k0.size / 4);
            value = j < casc ? torchOuterSum(v, dtype) : torchRowSum(v, dtype);
          }
        }
        value = add(0, value);
      }
    }
    out[o] = value;
    for (let k = Kdesc.length - 1; k >= 0; k--) {
      if (++cnt[k]! < Kdesc[k]!.size) break;
      cnt[k] = 0;
    }
  }
  return out;
}

export function librarySum(x: ArrayLike<number>, dtype: FloatDType, lib: Lib, inner: boolean): number {
  if (lib === 'numpy') return inner ? numpyInnerSum(x, dtype) : numpyOuterSum(x, dtype);
  return inner ? torchInnerSum(x, dtype) : torchOuterSum(x, dtype);
}

/**
 * at::vec::reduce_all / map_reduce_all with `+` (used inside softmax, log_softmax and their
 * backward): fewer than V elements are added sequentially; otherwise lane-wise vectors, a partial
 * tail vector, then the V lanes are combined — float32 (AVX2 VecReduceAllSIMD) as the shuffle tree
 * ((l0+l4)+(l2+l6))+((l1+l5)+(l3+l7)), float64 sequentially l0+l1+l2+l3.
 */
export function torchVecReduceSum(x: ArrayLike<number>, dtype: FloatDType): number {
  const add = adder(dtype);
  const n = x.length;
  const V = dtype === 'float32' ? 8 : 4;
  if (n < V) {
    let acc = x[0] ?? 0;
    for (let i = 1; i < n; i++) acc = add(acc, x[i]!);
    return acc;
  }
  const l: number[] = [];
  for (let k = 0; k < V; k++) l.push(x[k]!);
  let d = V;
  for (; d < n - (n % V); d += V) for (let k = 0; k < V; k++) l[k] = add(l[k]!, x[d + k]!);
  for (let k = 0; d + k < n; k++) l[k] = add(l[k]!, x[d + k]!);
  return combineLanes(l, dtype);
}

/** vec_reduce_all's final combine of the vector lanes (float32: AVX2 shuffle tree). */
export function combineLanes(l: readonly number[], dtype: FloatDType): number {
  const add = adder(dtype);
  if (dtype === 'float32') {
    return add(add(add(l[0]!, l[4]!), add(l[2]!, l[6]!)), add(add(l[1]!, l[5]!), add(l[3]!, l[7]!)));
  }
  let acc = l[0]!;
  for (let k = 1; k < l.length; k++) acc = add(acc, l[k]!);
  return acc;
}
