// Scalar transcendental functions per library and dtype.
//  torch float32: SLEEF u10 (bit-exact emulation, f32.ts) — what the vectorized CPU kernels use.
//  torch float64: SLEEF u10 double kernels (bit-exact emulation with an emulated FMA, f64.ts).
//  numpy: the C library's exp/log (correctly rounded, cr.ts) by default, or NumPy's SIMD kernels
//                 on AVX-512 (SVML float64, NumPy's AVX-512F float32; svml.ts, bit-exact) with
//                 setNumpyMath('svml') / { numpyMath: 'svml' }. log1p: Math.log1p / fround of it.
//  libm double (PyTorch scalar loops): correctly rounded exp/log (glibc's differ on ~0.07%).
//  torch scalar (non-vectorized) float32 paths: glibc's expf and logf algorithms (glibc.ts,
//                 bit-exact on 200,000 inputs each).
//  numpy float32: correctly rounded values (NumPy with SVML differs, see docs/kernel-accuracy.md).

import { sleefExpf, sleefLog1pf, sleefLogf } from './f32';
import { sleefExp, sleefLog, sleefLog1p } from './f64';
import { crExp, crLog } from './cr';
import { glibcExpf, glibcLogf } from './glibc';
import { npExpf32, npLogf32, svmlExp, svmlLog } from './svml';
import type { FloatDType, Lib } from './tensor';

type Fn = (x: number) => number;
const f = Math.fround;
const exp32: Fn = (x) => f(Math.exp(x));
const log32: Fn = (x) => f(Math.log(x));
const log1p32: Fn = (x) => f(Math.log1p(x));

/**
 * Which exp/log NumPy uses. 'libm': correctly rounded values, as the C library gives (NumPy on
 * CPUs without SIMD kernels; the default). 'svml': NumPy 1.24 on an AVX-512 CPU (the reference
 * machine): float64 through Intel SVML, float32 through NumPy's own AVX-512F kernels; both
 * emulated bit for bit (svml.ts). (NumPy's AVX2/FMA3 float32 kernel uses the same algorithm.)
 */
export type NumpyMath = 'svml' | 'libm';
let numpyMath: NumpyMath = 'libm';
export function setNumpyMath(m: NumpyMath): void {
  numpyMath = m;
}
export function getNumpyMath(): NumpyMath {
  return numpyMath;
}

export function libExp(lib: Lib, dt: FloatDType, nm: NumpyMath = numpyMath): Fn {
  if (dt === 'float64') return lib === 'torch' ? sleefExp : nm === 'svml' ? svmlExp : crExp;
  return lib === 'torch' ? sleefExpf : nm === 'svml' ? npExpf32 : exp32;
}
export function libLog(lib: Lib, dt: FloatDType, nm: NumpyMath = numpyMath): Fn {
  if (dt === 'float64') return lib === 'torch' ? sleefLog : nm === 'svml' ? svmlLog : crLog;
  return lib === 'torch' ? sleefLogf : nm === 'svml' ? npLogf32 : log32;
}
export function libLog1p(lib: Lib, dt: FloatDType): Fn {
  if (dt === 'float64') return lib === 'torch' ? sleefLog1p : Math.log1p;
  return lib === 'torch' ? sleefLog1pf : log1p32;
}
/** The C library's exp/log/log1p (scalar loops in PyTorch; NumPy without AVX512F). */
export function libmExp(dt: FloatDType): Fn {
  return dt === 'float32' ? glibcExpf : crExp;
}
export function libmLog(dt: FloatDType): Fn {
  return dt === 'float32' ? glibcLogf : crLog;
}
export function libmLog1p(dt: FloatDType): Fn {
  return dt === 'float32' ? log1p32 : Math.log1p; // glibc's log1p is fdlibm's algorithm, as V8's
}

/**
 * torch.sigmoid float32 on CPU: cpu_kernel_vec processes 2 vectors (16 floats) at a time with
 * `1 / (1 + SLEEF_exp(0 - x))` and the remaining tail with the scalar `1 / (1 + std::exp(-x))`.
 */
export function torchSigmoidF32(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const vecEnd = n - (n % 16);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const e = i < vecEnd ? sleefExpf(f(0 - v)) : glibcExpf(-v);
    out[i] = f(1 / f(1 + e));
  }
  return out;
}

/** torch.sigmoid float64: 8-element vector blocks with SLEEF exp, libm exp on the tail. */
export function torchSigmoidF64(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const vecEnd = n - (n % 8);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const e = i < vecEnd ? sleefExp(0 - v) : crExp(-v);
    out[i] = 1 / (1 + e);
  }
  return out;
}
