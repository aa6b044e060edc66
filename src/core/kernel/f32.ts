// Bit-exact float32 primitives.
//
// Every float32 operation is emulated as "compute in float64, round with Math.fround", which is
// exact for + - * / (a float64 result of two float32 operands rounds to the same float32 as the
// infinitely precise result). Fused multiply-add needs a double-rounding correction (fma32).
//
// PyTorch 1.13 on x86-64 (AVX2 build) evaluates float32 exp/log/log1p with SLEEF's u10 kernels
// (Sleef_expf8_u10, Sleef_logf8_u10, Sleef_log1pf8_u10), which are NOT correctly rounded: about 9%
// of exp results differ by one ULP from the correctly rounded value, and exp(x) is flushed to 0 for
// x < -104. We re-implement the same algorithms step by step (SLEEF 3.5.1, the version Debian's
// torch links, FMA variant) so the results are bit-identical; see docs/kernel-accuracy.md.

const f = Math.fround;

const buf = new ArrayBuffer(8);
const f32v = new Float32Array(buf, 0, 1);
const i32v = new Int32Array(buf, 0, 1);

export function f32Bits(x: number): number {
  f32v[0] = x;
  return i32v[0]!;
}
export function f32FromBits(b: number): number {
  i32v[0] = b | 0;
  return f32v[0]!;
}

/** Next float32 above x (x must already be a float32). */
export function nextUp32(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return f32FromBits(1);
  const b = f32Bits(x);
  return f32FromBits(x > 0 ? b + 1 : b - 1);
}
export function nextDown32(x: number): number {
  return -nextUp32(-x);
}

/** Correctly rounded float32 fused multiply-add of float32 operands. */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24+24 bits fit in 53
  const s = p + c;
  if (!Number.isFinite(s)) return f(s);
  const bb = s - p;
  const e = (p - (s - bb)) + (c - bb); // s + e == p + c exactly
  const r = f(s);
  if (e === 0 || r === s) return r;
  const other = s > r ? nextUp32(r) : nextDown32(r);
  if (s - r !== other - s) return r; // not a tie: the double rounding was harmless
  return (e > 0) === (other > r) ? other : r;
}

/** rint (round half to even) to an integer. */
export function rintHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) return 2 * Math.round(x / 2);
  return r;
}

function pow2i(q: number): number {
  return f32FromBits((q + 0x7f) << 23);
}
function ilogb2k(d: number): number {
  return ((f32Bits(d) >>> 23) & 0xff) - 0x7f;
}
function ldexp3(d: number, q: number): number {
  return f32FromBits(f32Bits(d) + (q << 23));
}

const R_LN2f = f(1.442695040888963407359924681001892137426645954152985934135449406931);
const L2Uf = f(0.693145751953125);
const L2Lf = f(1.428606765330187045e-6);
const E0 = f(0.000198527617612853646278381);
const E1 = f(0.00139304355252534151077271);
const E2 = f(0.00833336077630519866943359);
const E3 = f(0.0416664853692054748535156);
const E4 = f(0.166666671633720397949219);

/** SLEEF expf u10 (what torch.exp / softmax use for float32 on CPU). */
export function sleefExpf(d: number): number {
  d = f(d);
  if (Number.isNaN(d)) return NaN;
  if (d < -104) return 0;
  if (d > 100) return Infinity;
  const q = rintHalfEven(f(d * R_LN2f));
  let s = fma32(q, -L2Uf, d);
  s = fma32(q, -L2Lf, s);
  let u = E0;
  u = fma32(u, s, E1);
  u = fma32(u, s, E2);
  u = fma32(u, s, E3);
  u = fma32(u, s, E4);
  u = fma32(u, s, 0.5);
  u = f(1 + fma32(f(s * s), u, s));
  const h = q >> 1;
  return f(f(u * pow2i(h)) * pow2i(q - h));
}

type DF = [number, number];
const LN2HI = f(0.69314718246459960938);
const LN2LO = f(-1.904654323148236017e-9);
const P0 = f(0.3027294874);
const P1 = f(0.3996108174);
const P2 = f(0.666669488);
const THIRTY_TWO = f(1.0 / 0.75);
const FLT_MIN = 1.1754943508222875e-38;
const TWO64 = 18446744073709551616;

function dfmulVf2Vf(x: DF, y: number): DF {
  const s = f(x[0] * y);
  return [s, fma32(x[1], y, fma32(x[0], y, -s))];
}
function dfdiv(n: DF, d: DF): DF {
  const t = f(1 / d[0]);
  const s = f(n[0] * t);
  const u = fma32(t, n[0], -s);
  const v = fma32(-d[1], t, fma32(-d[0], t, 1));
  return [s, fma32(s, v, fma32(n[1], t, u))];
}
function dfadd2VfVf(x: number, y: number): DF {
  const s = f(x + y);
  const v = f(s - x);
  return [s, f(f(x - f(s - v)) + f(y - v))];
}
function dfaddVfVf(x: number, y: number): DF {
  const s = f(x + y);
  return [s, f(f(x - s) + y)];
}
function dfaddVf2Vf2(x: DF, y: DF): DF {
  const s = f(x[0] + y[0]);
  return [s, f(f(f(f(x[0] - s) + y[0]) + x[1]) + y[1])];
}
function dfaddVf2Vf(x: DF, y: number): DF {
  const s = f(x[0] + y);
  return [s, f(f(f(x[0] - s) + y) + x[1])];
}

function logTail(s: DF, x: DF): number {
  const x2 = f(x[0] * x[0]);
  let t = P0;
  t = fma32(t, x2, P1);
  t = fma32(t, x2, P2);
  s = dfaddVf2Vf2(s, [f(x[0] * 2), f(x[1] * 2)]);
  s = dfaddVf2Vf(s, f(f(x2 * x[0]) * t));
  return f(s[0] + s[1]);
}

/** SLEEF logf u10 (torch.log / log_softmax float32). */
export function sleefLogf(d: number): number {
  d = f(d);
  if (Number.isNaN(d) || d < 0) return NaN;
  if (d === 0) return -Infinity;
  if (d === Infinity) return Infinity;
  const o = d < FLT_MIN;
  if (o) d = f(d * TWO64);
  let e = ilogb2k(f(d * THIRTY_TWO));
  const m = ldexp3(d, -e);
  if (o) e -= 64;
  const s = dfmulVf2Vf([LN2HI, LN2LO], e);
  const x = dfdiv(dfadd2VfVf(-1, m), dfadd2VfVf(1, m));
  return logTail(s, x);
}

/** SLEEF log1pf u10 (torch.log1p float32). */
export function sleefLog1pf(d: number): number {
  d = f(d);
  if (Number.isNaN(d) || d < -1) return NaN;
  if (d === -1) return -Infinity;
  if (d > 1e38) return Infinity;
  if (Object.is(d, -0)) return -0;
  let dp1 = f(d + 1);
  const o = dp1 < FLT_MIN;
  if (o) dp1 = f(dp1 * TWO64);
  let e = ilogb2k(f(dp1 * THIRTY_TWO));
  const t = ldexp3(1, -e);
  const m = fma32(d, t, f(t - 1));
  if (o) e -= 64;
  const s = dfmulVf2Vf([LN2HI, LN2LO], e);
  const x = dfdiv([m, 0], dfaddVfVf(2, m));
  return logTail(s, x);
}

// ---- ULP distance ----

function orderedF32(x: number): number {
  const b = f32Bits(x);
  return b < 0 ? -(b & 0x7fffffff) : b;
}
const dv = new DataView(new ArrayBuffer(8));
function orderedF64(x: number): bigint {
  dv.setFloat64(0, x);
  const b = dv.getBigInt64(0);
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}

/**
 * Distance in units in the last place between two numbers of the given float type
 * (number of representable values between them; 0 if identical, +0 and -0 count as equal).
 * Non-finite: 0 if both are the same non-finite value, Infinity otherwise.
 */
export function ulpDistance(a: number, b: number, dtype: 'float32' | 'float64'): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b ? 0 : Infinity;
  if (dtype === 'float32') return Math.abs(orderedF32(f(a)) - orderedF32(f(b)));
  const d = orderedF64(a) - orderedF64(b);
  return Number(d < 0n ? -d : d);
}
