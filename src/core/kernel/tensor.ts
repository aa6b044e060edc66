// Dense n-d arrays for the numeric kernel: shape, dtype and a flat row-major Float64Array.
// float32 values are stored already rounded to float32 (Math.fround); int64 as integral doubles
// (exact up to 2^53); bool as 0/1.

export type DType = 'float32' | 'float64' | 'int64' | 'bool';
export type FloatDType = 'float32' | 'float64';
/** Whose semantics an op follows: PyTorch 1.13 CPU kernels, or NumPy 1.24. */
export type Lib = 'torch' | 'numpy';

export interface KernelOptions {
  /** Library whose numerics to reproduce. Default 'torch'. */
  lib?: Lib;
  /** Largest element count any intermediate may have. Default 1e6. */
  maxElements?: number;
  /** NumPy float64 exp/log flavor for this call (default: setNumpyMath, initially 'libm'). */
  numpyMath?: 'svml' | 'libm';
}

export const DEFAULT_MAX_ELEMENTS = 1_000_000;

/** Thrown when a tensor (input or intermediate) would exceed the element limit. */
export class KernelLimitError extends Error {
  constructor(readonly elements: number, readonly limit: number) {
    super(`tensor of ${elements} elements exceeds the kernel limit of ${limit}`);
    this.name = 'KernelLimitError';
  }
}
/** Shapes that do not broadcast, wrong ranks, bad dims. Same situations where the library raises. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}
/** Other errors the library would raise (index out of range, bad option, bad dtype). */
export class KernelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelError';
  }
}

let globalLimit = DEFAULT_MAX_ELEMENTS;
/** Sets the default element limit (used when an op gets no maxElements). */
export function setMaxElements(n: number): void {
  globalLimit = n;
}
export function limitOf(opts?: KernelOptions): number {
  return opts?.maxElements ?? globalLimit;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function checkLimit(shape: readonly number[], opts?: KernelOptions): number {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new ShapeError(`invalid dimension ${s}`);
  }
  const n = numel(shape);
  const lim = limitOf(opts);
  if (n > lim) throw new KernelLimitError(n, lim);
  return n;
}

export function roundTo(dtype: DType, x: number): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(x);
    case 'float64':
      return x;
    case 'int64':
      return Number.isFinite(x) ? Math.trunc(x) : 0;
    case 'bool':
      return x !== 0 && !Number.isNaN(x) ? 1 : 0;
  }
}

export function isFloat(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64';
}

export type Nested = number | boolean | Nested[];

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: Float64Array;

  constructor(shape: readonly number[], dtype: DType, data: Float64Array) {
    if (data.length !== numel(shape)) throw new ShapeError(`data length ${data.length} does not match shape [${shape.join(', ')}]`);
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.data = data;
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.data.length;
  }

  /** The single value of a one-element tensor (like `.item()`). */
  item(): number {
    if (this.data.length !== 1) throw new KernelError(`a Tensor with ${this.data.length} elements cannot be converted to Scalar`);
    return this.data[0]!;
  }

  /** Element at a full index (negative indices allowed). */
  get(...idx: number[]): number {
    if (idx.length !== this.ndim) throw new ShapeError(`expected ${this.ndim} indices, got ${idx.length}`);
    let off = 0;
    for (let d = 0; d < idx.length; d++) {
      const n = this.shape[d]!;
      let i = idx[d]!;
      if (i < 0) i += n;
      if (i < 0 || i >= n) throw new KernelError(`index ${idx[d]} is out of bounds for dimension ${d} with size ${n}`);
      off = off * n + i;
    }
    return this.data[off]!;
  }

  toNested(): Nested {
    const conv = (v: number): number | boolean => (this.dtype === 'bool' ? v !== 0 : v);
    if (this.ndim === 0) return conv(this.data[0]!);
    const rec = (d: number, off: number): Nested[] => {
      const n = this.shape[d]!;
      const inner = numel(this.shape.slice(d + 1));
      const out: Nested[] = [];
      for (let i = 0; i < n; i++) out.push(d === this.ndim - 1 ? conv(this.data[off + i]!) : rec(d + 1, off + i * inner));
      return out;
    };
    return rec(0, 0);
  }

  reshape(shape: readonly number[]): Tensor {
    const s = [...shape];
    const neg = s.indexOf(-1);
    if (neg >= 0) {
      const rest = numel(s.filter((_, i) => i !== neg));
      if (rest === 0 || this.size % rest !== 0) throw new ShapeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${this.size}`);
      s[neg] = this.size / rest;
    }
    if (numel(s) !== this.size) throw new ShapeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${this.size}`);
    return new Tensor(s, this.dtype, this.data);
  }

  astype(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const out = new Float64Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = roundTo(dtype, this.data[i]!);
    return new Tensor(this.shape, dtype, out);
  }
}

/** Shape of a nested JS array; throws ShapeError on ragged input. */
export function nestedShape(v: Nested): number[] {
  const shape: number[] = [];
  let cur: Nested = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

/**
 * Builds a tensor from nested arrays, like `torch.tensor(v, dtype=...)` / `np.array(v, dtype=...)`.
 * dtype defaults to 'float32' (torch's default); pass 'float64' for NumPy floats.
 */
export function tensor(v: Nested, dtype: DType = 'float32', opts?: KernelOptions): Tensor {
  const shape = nestedShape(v);
  const n = checkLimit(shape, opts);
  const out = new Float64Array(n);
  let k = 0;
  const rec = (x: Nested, d: number): void => {
    if (d === shape.length) {
      if (Array.isArray(x)) throw new ShapeError('ragged nested sequence');
      const num = typeof x === 'boolean' ? (x ? 1 : 0) : x;
      out[k++] = roundTo(dtype, num);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[d]) throw new ShapeError(`expected sequence of length ${shape[d]} at dim ${d}`);
    for (const e of x) rec(e, d + 1);
  };
  rec(v, 0);
  return new Tensor(shape, dtype, out);
}

export function scalar(x: number, dtype: DType = 'float32'): Tensor {
  return new Tensor([], dtype, Float64Array.of(roundTo(dtype, x)));
}

export function full(shape: readonly number[], value: number, dtype: DType = 'float32', opts?: KernelOptions): Tensor {
  const n = checkLimit(shape, opts);
  return new Tensor(shape, dtype, new Float64Array(n).fill(roundTo(dtype, value)));
}

export function arange(n: number, dtype: DType = 'int64', opts?: KernelOptions): Tensor {
  checkLimit([n], opts);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return new Tensor([n], dtype, out);
}

/** Row-major strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    st[d] = s;
    s *= shape[d]!;
  }
  return st;
}

/** NumPy/PyTorch broadcasting of two shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new ShapeError(`shapes [${a.join(', ')}] and [${b.join(', ')}] cannot be broadcast together (dimension ${i}: ${x} vs ${y})`);
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** For each flat index of `outShape`, the flat index into a tensor of `shape` broadcast to it. */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array | null {
  if (shape.length === outShape.length && shape.every((s, i) => s === outShape[i])) return null;
  const n = numel(outShape);
  const idx = new Int32Array(n);
  const nd = outShape.length;
  const off = nd - shape.length;
  const srcStrides = stridesOf(shape);
  const bst = new Array<number>(nd).fill(0);
  for (let d = 0; d < shape.length; d++) bst[d + off] = shape[d] === 1 ? 0 : srcStrides[d]!;
  const counter = new Array<number>(nd).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = src;
    for (let d = nd - 1; d >= 0; d--) {
      counter[d]!++;
      src += bst[d]!;
      if (counter[d]! < outShape[d]!) break;
      src -= bst[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return idx;
}

/** Normalizes a possibly negative dim; throws like PyTorch for out-of-range dims. */
export function normDim(dim: number, ndim: number): number {
  const nd = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -nd || dim >= nd) {
    throw new ShapeError(`Dimension out of range (expected to be in range of [${-nd}, ${nd - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + nd : dim;
}
