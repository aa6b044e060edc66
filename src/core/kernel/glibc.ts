// glibc 2.36 expf and logf (sysdeps/ieee754/flt-32/e_expf.c, e_logf.c; the algorithms and
// constants come from ARM's optimized-routines, MIT licensed): what `std::exp(float)` and
// `std::log(float)` return in PyTorch's scalar loops. It is not correctly rounded (about 0.06% of
// results are 1 ULP from the correctly rounded value), so the kernel evaluates the same steps:
// x * 32/ln2 = k + r, 2^(k/32) from a table of correctly rounded values, a cubic in r, in double.
import { crExp2Frac } from './cr';
import { fma64 } from './f64';

/** m * 2^e for a hex-float literal 0x1.<frac>p<e> with a 52-bit fraction. */
function hexf(mant: string, e: number): number {
  return parseInt(mant, 16) * Math.pow(2, e - 52);
}
const N = 32;
const INV_LN2_N = hexf('171547652b82fe', 0) * N; // 0x1.71547652b82fep+0 * N
const C0 = hexf('1c6af84b912394', -5) / N / N / N;
const C1 = hexf('1ebfce50fac4f3', -3) / N / N;
const C2 = hexf('162e42ff0c52d6', -1) / N;
const T: number[] = [];
for (let i = 0; i < N; i++) T.push(crExp2Frac(i, N));
const OFLOW = Math.fround(hexf('162e42e0000000', 6)); // 0x1.62e42ep6f ~= 88.72
const UFLOW = -Math.fround(hexf('19fe3680000000', 6)); // -0x1.9fe368p6f ~= -103.97

function rint(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) return 2 * Math.round(x / 2);
  return r;
}

export function glibcExpf(x: number): number {
  x = Math.fround(x);
  if (Number.isNaN(x)) return NaN;
  if (x === -Infinity) return 0;
  if (x === Infinity) return Infinity;
  if (Math.abs(x) >= 88) {
    if (x > OFLOW) return Infinity;
    if (x < UFLOW) return 0;
  }
  const z = INV_LN2_N * x;
  const kd = rint(z);
  const r = z - kd;
  const i = ((kd % N) + N) % N;
  const s = T[i]! * Math.pow(2, (kd - i) / N);
  const zz = fma64(C0, r, C1);
  const r2 = r * r;
  let y = fma64(C2, r, 1);
  y = fma64(zz, r2, y);
  return Math.fround(y * s);
}

/** Parses a C hex-float literal such as '-0x1.57bf7808caadep-2'. */
function parseHexFloat(h: string): number {
  const m = /^(-?)0x([0-9a-f])\.?([0-9a-f]*)p([+-]?\d+)$/i.exec(h);
  if (!m) throw new Error(`bad hex float ${h}`);
  const frac = m[3]!;
  const mant = parseInt(m[2]! + frac, 16) / Math.pow(16, frac.length);
  return (m[1] ? -1 : 1) * mant * Math.pow(2, Number(m[4]));
}

// __logf_data (optimized-routines math/logf_data.c): 16 pairs {invc, logc}, ln2, poly
const LOGF_TAB = ['0x1.661ec79f8f3bep+0','-0x1.57bf7808caadep-2','0x1.571ed4aaf883dp+0','-0x1.2bef0a7c06ddbp-2','0x1.49539f0f010b0p+0','-0x1.01eae7f513a67p-2','0x1.3c995b0b80385p+0','-0x1.b31d8a68224e9p-3','0x1.30d190c8864a5p+0','-0x1.6574f0ac07758p-3','0x1.25e227b0b8ea0p+0','-0x1.1aa2bc79c8100p-3','0x1.1bb4a4a1a343fp+0','-0x1.a4e76ce8c0e5ep-4','0x1.12358f08ae5bap+0','-0x1.1973c5a611cccp-4','0x1.0953f419900a7p+0','-0x1.252f438e10c1ep-5','0x1.0000000000000p+0','0x0.0p+0','0x1.e608cfd9a47acp-1','0x1.aa5aa5df25984p-5','0x1.ca4b31f026aa0p-1','0x1.c5e53aa362eb4p-4','0x1.b2036576afce6p-1','0x1.526e57720db08p-3','0x1.9c2d163a1aa2dp-1','0x1.bc2860d224770p-3','0x1.886e6037841edp-1','0x1.1058bc8a07ee1p-2','0x1.767dcf5534862p-1','0x1.4043057b6ee09p-2'].map(parseHexFloat);
const LOGF_LN2 = parseHexFloat('0x1.62e42fefa39efp-1');
const LOGF_A = ['-0x1.00ea348b88334p-2', '0x1.5575b0be00b6ap-2', '-0x1.ffffef20a4123p-2'].map(parseHexFloat);
const f32buf = new DataView(new ArrayBuffer(4));
function asuint(x: number): number {
  f32buf.setFloat32(0, x);
  return f32buf.getUint32(0);
}
function asfloat(u: number): number {
  f32buf.setUint32(0, u >>> 0);
  return f32buf.getFloat32(0);
}

/** glibc logf (FMA variant). */
export function glibcLogf(x: number): number {
  x = Math.fround(x);
  let ix = asuint(x);
  if (ix === 0x3f800000) return 0;
  if (ix - 0x00800000 >= 0x7f800000 - 0x00800000 || ix < 0x00800000) {
    if ((ix & 0x7fffffff) === 0) return -Infinity;
    if (ix === 0x7f800000) return Infinity;
    if (ix & 0x80000000 || (ix & 0x7fffffff) >= 0x7f800000) return NaN;
    ix = asuint(Math.fround(x * 8388608)); // x * 0x1p23f
    ix -= 23 << 23;
  }
  const OFF = 0x3f330000;
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> (23 - 4)) % 16;
  const k = (tmp | 0) >> 23;
  const iz = (ix - (tmp & (0x1ff << 23))) >>> 0;
  const invc = LOGF_TAB[2 * i]!;
  const logc = LOGF_TAB[2 * i + 1]!;
  const z = asfloat(iz);
  const r = fma64(z, invc, -1);
  const y0 = fma64(k, LOGF_LN2, logc);
  const r2 = r * r;
  let y = fma64(LOGF_A[1]!, r, LOGF_A[2]!);
  y = fma64(LOGF_A[0]!, r2, y);
  y = fma64(y, r2, y0 + r);
  return Math.fround(y);
}
