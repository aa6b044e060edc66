// Array operations shared by library functions and methods: they pick the library's numerics,
// record NumPy's floating-point warnings, autograd names for printing, and what is approximate.
import * as K from '../kernel';
import type { DType, Tensor } from '../kernel';
import type { Ctx } from './ctx';
import { arr, NotEvaluable, type ArrayLib, type ArrayValue, type Value } from './values';
import { resultDtype } from './arith';

/** Runs a kernel call, turning the library's errors into "not evaluable: the library raises ...". */
export function kernel<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof K.KernelLimitError) throw new NotEvaluable(`too large: ${e.elements.toLocaleString('en-US')} elements (limit ${e.limit.toLocaleString('en-US')})`);
    if (e instanceof K.ShapeError || e instanceof K.KernelError) throw new NotEvaluable(`the library raises: ${e.message}`);
    throw e;
  }
}

const EXACT_ONLY: ArrayLib[] = ['tensorflow', 'jax'];

export function noTfJax(a: ArrayValue, what: string): void {
  if (EXACT_ONLY.includes(a.lib)) {
    throw new NotEvaluable(`${what} of a ${a.lib === 'jax' ? 'JAX' : 'TensorFlow'} array: its kernels (XLA/Eigen exp, log and reduction order) are not reproduced bit for bit`);
  }
}

/**
 * Does the library's exp/log match the kernel bit for bit on every CPU? PyTorch: yes (SLEEF
 * emulation, float32 and float64). NumPy float64: the kernel reproduces the C library (correctly
 * rounded), which is what NumPy 1.24 calls on CPUs without AVX-512; on AVX-512 CPUs NumPy uses
 * SIMD exp/log that differ in the last bit for about a quarter of inputs (measured), so such values
 * are marked approximate.
 */
export function transcendentalExact(lib: ArrayLib, _dt: DType): boolean {
  return lib === 'torch';
}

/**
 * Which NumPy float64 exp/log the kernel reproduces: 'svml' (NumPy on AVX-512 CPUs) or 'libm'
 * (NumPy elsewhere). Read from the kernel when it offers the switch (getNumpyMath), else 'libm'.
 */
export function numpyMathModel(): 'svml' | 'libm' {
  const get = (K as unknown as { getNumpyMath?: () => string }).getNumpyMath;
  return get && get() === 'svml' ? 'svml' : 'libm';
}

/** The note shown when NumPy float32 exp/log took part in a value. */
export const NUMPY_F32_NOTE =
  "NumPy float32 exp/log computed as NumPy 1.24 does on x86-64 CPUs with AVX-512F or AVX2+FMA3 (its own SIMD kernels, reproduced bit for bit; NumPy measured them within 2.5 (exp) and 3.8 (log) units in the last place of the exact value); NumPy on other CPUs (e.g. ARM) calls the C library's expf/logf and may differ in the last digits.";

/** The note shown with a value whose NumPy exp/log results depend on the CPU. */
export function cpuNote(): string {
  return numpyMathModel() === 'svml'
    ? 'NumPy float64 exp/log computed as NumPy 1.24 does on AVX-512 CPUs (Intel SVML); NumPy on other CPUs calls the C library and may differ in the last digits.'
    : "NumPy float64 exp/log computed with the C library's, as NumPy 1.24 does on CPUs without AVX-512; NumPy on AVX-512 CPUs (SVML) may differ in the last digits.";
}

export function result(ctx: Ctx, like: ArrayValue | Value[], x: Tensor, gradFn?: string, approx = false): ArrayValue {
  const inputs = Array.isArray(like) ? like : [like];
  const lib = (inputs.find((v): v is ArrayValue => v.t === 'array')?.lib ?? 'numpy') as ArrayLib;
  ctx.budget.elements(x.size);
  const anyApprox = approx || inputs.some((v) => (v.t === 'array' && v.approx) || (v.t === 'float' && v.approx));
  return arr(lib, x, {
    npScalar: lib === 'numpy' && x.ndim === 0 ? true : undefined,
    grad: ctx.gradOf(lib, inputs, gradFn),
    approx: anyApprox ? true : undefined,
  });
}

export type Unary = 'exp' | 'log' | 'log1p' | 'sigmoid' | 'abs' | 'sqrt' | 'neg' | 'logsigmoid';
const GRAD: Record<Unary, string> = { exp: 'ExpBackward0', log: 'LogBackward0', log1p: 'Log1PBackward0', sigmoid: 'SigmoidBackward0', abs: 'AbsBackward0', sqrt: 'SqrtBackward0', neg: 'NegBackward0', logsigmoid: 'LogSigmoidBackward0' };

export function elementwise(ctx: Ctx, a: ArrayValue, which: Unary): ArrayValue {
  const exactEverywhere = which === 'abs' || which === 'neg' || which === 'sqrt';
  if (!exactEverywhere) noTfJax(a, which);
  if (a.lib === 'numpy' && (which === 'sigmoid' || which === 'logsigmoid')) throw new NotEvaluable(`NumPy has no ${which}`);
  // NumPy's float32 exp/log: its own SIMD kernels (emulated bit for bit); float32 log1p: the C library's.
  const npF32 = a.lib === 'numpy' && a.x.dtype === 'float32' && (which === 'exp' || which === 'log');
  if (a.lib === 'numpy' && !exactEverywhere && a.x.dtype === 'float32' && !npF32) throw new NotEvaluable(`NumPy's float32 ${which} calls the C library's ${which}f, which is not reproduced bit for bit`);
  const o: K.KernelOptions = npF32 ? { ...ctx.kopts(a.lib), numpyMath: 'svml' } : ctx.kopts(a.lib);
  if (npF32) ctx.note(NUMPY_F32_NOTE);
  const x = kernel(() => {
    switch (which) {
      case 'exp':
        return K.exp(a.x, o);
      case 'log':
        return K.log(a.x, o);
      case 'log1p':
        return K.log1p(a.x, o);
      case 'sigmoid':
        return K.sigmoid(a.x, o);
      case 'logsigmoid':
        return K.logsigmoid(a.x, o);
      case 'abs':
        return K.abs(a.x, o);
      case 'sqrt':
        return K.sqrt(a.x, o);
      case 'neg':
        return K.neg(a.x, o);
    }
  });
  if (a.lib === 'numpy') {
    const inp = a.x.data;
    if (which === 'exp' && x.data.some((v, i) => v === Infinity && Number.isFinite(inp[i]!))) ctx.warn('overflow encountered in exp');
    if ((which === 'log' || which === 'log1p') && x.data.some((v, i) => v === -Infinity && Number.isFinite(inp[i]!))) ctx.warn(`divide by zero encountered in ${which}`);
    if ((which === 'log' || which === 'log1p' || which === 'sqrt') && x.data.some((v, i) => Number.isNaN(v) && !Number.isNaN(inp[i]!))) ctx.warn(`invalid value encountered in ${which}`);
  }
  const approx = !exactEverywhere && !transcendentalExact(a.lib, x.dtype);
  return result(ctx, a, x, GRAD[which], approx);
}

export type Reduce = 'sum' | 'mean' | 'max' | 'min' | 'argmax' | 'argmin';

export function reduce(ctx: Ctx, a: ArrayValue, op: Reduce, d: number | number[] | null, keepdim: boolean): ArrayValue {
  if (op === 'sum' || op === 'mean') noTfJax(a, op);
  const o = ctx.kopts(a.lib);
  if (a.x.size === 0 && (op === 'max' || op === 'min' || op === 'argmax' || op === 'argmin')) throw new NotEvaluable(`the library raises: ${op} of an empty array`);
  const x = kernel(() => {
    switch (op) {
      case 'sum':
        return K.sum(a.x, d, keepdim, o);
      case 'mean':
        return K.mean(a.x, d, keepdim, o);
      case 'max':
        return K.max(a.x, d, keepdim, o);
      case 'min':
        return K.min(a.x, d, keepdim, o);
      case 'argmax':
        if (Array.isArray(d)) throw new NotEvaluable('argmax over several dims');
        return K.argmax(a.x, d, keepdim, o);
      case 'argmin':
        if (Array.isArray(d)) throw new NotEvaluable('argmin over several dims');
        return K.argmin(a.x, d, keepdim, o);
    }
  });
  const full = d === null;
  const grad = op === 'sum' ? (full ? 'SumBackward0' : 'SumBackward1') : op === 'mean' ? (full ? 'MeanBackward0' : 'MeanBackward1') : op === 'max' ? (full ? 'MaxBackward1' : '?') : '?';
  const r = result(ctx, a, x, grad);
  if (op === 'argmax' || op === 'argmin') r.grad = undefined;
  return r;
}

/** softmax / log_softmax along a dim with torch semantics (kernel). */
export function torchSoftmax(ctx: Ctx, a: ArrayValue, dim: number, log: boolean): ArrayValue {
  if (a.lib !== 'torch') throw new NotEvaluable('softmax of a non-tensor');
  const o = ctx.kopts('torch');
  const x = kernel(() => (log ? K.logSoftmax(a.x, dim, o) : K.softmax(a.x, dim, o)));
  return result(ctx, a, x, log ? 'LogSoftmaxBackward0' : 'SoftmaxBackward0', !transcendentalExact('torch', x.dtype));
}

/** An elementwise binary op with the library's promotion (maximum, minimum). */
export function binaryWith(ctx: Ctx, lib: ArrayLib, a: Value, b: Value, fn: (x: number, y: number) => number, gradFn?: string): ArrayValue {
  const op = (v: Value) => (v.t === 'array' ? ({ weak: false as const, a: v }) : ({ weak: true as const, v: (v as { v: number }).v, dtype: (v.t === 'float' ? 'float64' : 'int64') as DType }));
  const dt = resultDtype(lib, op(a), op(b));
  const toK = (v: Value) => (v.t === 'array' ? (v.x.dtype === dt ? v.x : v.x.astype(dt)) : (v as { v: number }).v);
  const x = kernel(() => K.binaryMap(toK(a), toK(b), dt, dt, fn, ctx.kopts(lib)));
  return result(ctx, [a, b], x, gradFn);
}
