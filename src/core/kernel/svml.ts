// Intel SVML __svml_exp8 (AVX-512, "la"), which NumPy 1.24 calls for float64 np.exp on CPUs with
// AVX-512 (builds that link SVML, as Debian's and the PyPI wheels do). Algorithm from the
// BSD-3-licensed SVML sources shipped with NumPy (numpy/SVML, svml_z0_exp_d_la.s):
//   N = x*log2(e) rounded toward zero to 1/16, j = 16N mod 16, Th = 2^(j/16) (table),
//   r = x - N*ln2_hi - N*ln2_lo (FMAs), exp(r) - 1 by a degree-6 polynomial (FMAs),
//   result = scalef(Th*p + Th, floor(N)).
// Arguments with |x| >= 707.70 take SVML's scalar "rare" path; the kernel uses the correctly
// rounded exp there (not measured to be identical).
import { crExp, crExp2Frac } from './cr';
import { fma64 } from './f64';

function hexf(h: string): number {
  const m = /^(-?)0x1\.([0-9a-f]+)p([+-]?\d+)$/i.exec(h)!;
  return (m[1] ? -1 : 1) * (1 + parseInt(m[2]!, 16) / Math.pow(16, m[2]!.length)) * Math.pow(2, Number(m[3]));
}
const L2E = hexf('0x1.71547652b82fep+0');
const L2H = hexf('0x1.62e42fefa39efp-1');
const L2L = hexf('0x1.abc9e3b39803fp-56');
const C6 = hexf('0x1.72eb5ef0d213dp-10');
const C5 = hexf('0x1.1106603d97c00p-7');
const C4 = hexf('0x1.555564bb4f5f0p-5');
const C3 = hexf('0x1.5555554b508a2p-3');
const C2 = hexf('0x1.0000000002622p-1');
const THRESHOLD = hexf('0x1.61da04cbafe44p+9');
const TH: number[] = [];
for (let j = 0; j < 16; j++) TH.push(crExp2Frac(j, 16));

/** fma rounded toward zero (the first instruction uses {rz-sae}); for positive results. */
function fmaRzPositive(a: number, b: number, c: number): number {
  const r = fma64(a, b, c);
  return residual(a, b, c, r) < 0 ? nextDown(r) : r;
}
/** Sign-accurate (a*b + c) - r, for r = RN(a*b + c) close to c (Sterbenz: c - r is exact). */
function residual(a: number, b: number, c: number, r: number): number {
  const p = a * b;
  const SPLIT = 134217729;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl; // a*b = p + e exactly
  const d = c - r; // exact
  const [u, uerr] = twoSum(d, p);
  return u + (uerr + e);
}
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
const dv = new DataView(new ArrayBuffer(8));
function nextDown(x: number): number {
  dv.setFloat64(0, x);
  const b = dv.getBigUint64(0);
  dv.setBigUint64(0, x > 0 ? b - 1n : b + 1n);
  return dv.getFloat64(0);
}

const SHIFTER = hexf('0x1.8000000003ff0p+48');

/** np.exp(x) for float64 with SVML (AVX-512). */
export function svmlExp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!(Math.abs(x) < THRESHOLD)) return crExp(x);
  const z = fmaRzPositive(x, L2E, SHIFTER);
  const N = z - SHIFTER;
  const j = Math.round((z - SHIFTER + 1023) * 16) % 16;
  const th = TH[(j + 16) % 16]!;
  let R = fma64(-N, L2H, x);
  R = fma64(-L2L, N, R);
  const r2 = R * R;
  let p56 = fma64(C6, R, C5);
  const p34 = fma64(C4, R, C3);
  const r3 = r2 * R;
  const p12 = fma64(C2, r2, R);
  p56 = fma64(r2, p56, p34);
  const p = fma64(r3, p56, p12);
  const res = fma64(th, p, th);
  return res * Math.pow(2, Math.floor(N));
}

// __svml_log8 (svml_z0_log_d_la.s): log(x) = e*ln2 - log(Rcp) + log1p(Rcp*m - 1), m = getmant(x)
// in [1, 2), Rcp = 1/m rounded to a multiple of 1/32 (from vrcp14pd), -log(Rcp) from a 16-entry
// table, log1p(R) by a degree-9 polynomial (FMAs). vrcp14pd is a 14-bit hardware approximation;
// the kernel rounds the exact 1/m, which differs only when 1/m lies within 2^-14 of a rounding
// boundary of the 1/32 grid.
const LOG_T0 = ['0x0.0p+0', '-0x1.f0a30c01162a6p-5', '-0x1.e27076e2af2e6p-4', '-0x1.5ff3070a793d4p-3', '-0x1.c8ff7c79a9a22p-3',
  '-0x1.1675cababa60ep-2', '-0x1.4618bc21c5ec2p-2', '-0x1.739d7f6bbd007p-2'];
const LOG_T1 = ['0x1.269621134db92p-2', '0x1.f991c6cb3b379p-3', '0x1.a93ed3c8ad9e3p-3', '0x1.5bf406b543db2p-3', '0x1.1178e8227e47cp-3',
  '0x1.9335e5d594989p-4', '0x1.08598b59e3a07p-4', '0x1.0415d89e74444p-5'];
const LOG_TAB = [...LOG_T0, ...LOG_T1].map((h) => (h === '0x0.0p+0' ? 0 : hexf(h)));
const LP = ['0x1.c81cd309d7c70p-4', '-0x1.007357e93af62p-3', '0x1.249229cee81efp-3', '-0x1.55553fb28db06p-3', '0x1.9999999cc9f5cp-3',
  '-0x1.00000000c05bdp-2', '0x1.5555555555466p-2', '-0x1.fffffffffffc6p-2'].map(hexf);
const LN2 = hexf('0x1.62e42fefa39efp-1');

function rintHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** x = m·2^e with m in [1, 2), exactly (AVX-512 getmant/getexp; denormals included); x finite > 0. */
function getexpGetmant(x: number): [number, number] {
  let e = Math.floor(Math.log2(x));
  let m = x / Math.pow(2, e);
  if (m >= 2) {
    m /= 2;
    e += 1;
  } else if (m < 1) {
    m *= 2;
    e -= 1;
  }
  return [m, e];
}

/** np.log(x) for float64 with SVML (AVX-512). */
export function svmlLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let [m, e] = getexpGetmant(x);
  const rcp = rintHalfEven((1 / m) * 32) / 32;
  const R = fma64(rcp, m, -1);
  if (rcp < 0.75) e += 1;
  dv.setFloat64(0, rcp);
  const idx = dv.getUint16(0) & 0xf;
  const c14 = fma64(LP[2]!, R, LP[3]!);
  const c01 = fma64(LP[0]!, R, LP[1]!);
  const c67 = fma64(LP[6]!, R, LP[7]!);
  const R2 = R * R;
  const c45 = fma64(LP[4]!, R, LP[5]!);
  const R4 = R2 * R2;
  const hi = fma64(R2, c01, c14);
  const lo = fma64(R2, c45, c67);
  let p = fma64(R4, hi, lo);
  p = fma64(R2, p, R);
  const t = LOG_TAB[idx]! + p;
  return fma64(LN2, e, t);
}

// NumPy 1.24's own float32 exp/log for AVX-512F (loops_exponent_log.dispatch.c.src,
// simd_exp_FLOAT / simd_log_FLOAT): Cody-Waite reduction and rational approximations, FMAs.
import { fma32 } from './f32';
const f = Math.fround;
const EP = [9.999999999980870924916e-1, 7.257664613233124478488e-1, 2.473615434895520810817e-1, 5.114512081637298353406e-2,
  6.757896990527504603057e-3, 5.082762527590693718096e-4].map(f);
const EQ = [1, -2.742335390411667452936e-1, 2.159509375685829852307e-2].map(f);
const LP32 = [0, 9.999999999999998702752e-1, 2.112677543073053063722, 1.480000633576506585156, 3.808837741388407920751e-1,
  2.589979117907922693523e-2].map(f);
const LQ32 = [1, 2.612677543073109236779, 2.453006071784736363091, 9.864942958519418960339e-1, 1.546476374983906719538e-1,
  5.875095403124574342950e-3].map(f);
const CW1 = f(-6.93145752e-1);
const CW2 = f(-1.42860677e-6);
const MAGIC = f(12582912); // 0x1.8p23
const LOG2E_F = f(1.442695040888963407359924681001892137);
const LOGE2_F = f(0.693147180559945309417232121458176568);
const SQRT1_2_F = f(0.707106781186547524400844362104849039);

/** np.exp(x) for float32 (NumPy's AVX-512F kernel). */
export function npExpf32(x: number): number {
  x = f(x);
  if (Number.isNaN(x)) return NaN;
  if (x >= f(88.72283935546875)) return Infinity;
  if (x <= f(-103.97208404541015625)) return 0;
  const q = f(f(f(x * LOG2E_F) + MAGIC) - MAGIC);
  let r = fma32(q, CW1, x);
  r = fma32(q, CW2, r);
  r = fma32(q, 0, r);
  let num = fma32(EP[5]!, r, EP[4]!);
  num = fma32(num, r, EP[3]!);
  num = fma32(num, r, EP[2]!);
  num = fma32(num, r, EP[1]!);
  num = fma32(num, r, EP[0]!);
  let den = fma32(EQ[2]!, r, EQ[1]!);
  den = fma32(den, r, EQ[0]!);
  const poly = f(num / den);
  return f(poly * Math.pow(2, q));
}

/** np.log(x) for float32 (NumPy's AVX-512F kernel). */
export function npLogf32(x: number): number {
  x = f(x);
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let [m, e] = getexpGetmant(x);
  // getmant in [0.5, 1), exponent = getexp + 1
  m /= 2;
  e += 1;
  if (m <= SQRT1_2_F) {
    m = f(m + m);
    e -= 1;
  }
  m = f(m - 1);
  let num = fma32(LP32[5]!, m, LP32[4]!);
  num = fma32(num, m, LP32[3]!);
  num = fma32(num, m, LP32[2]!);
  num = fma32(num, m, LP32[1]!);
  num = fma32(num, m, LP32[0]!);
  let den = fma32(LQ32[5]!, m, LQ32[4]!);
  den = fma32(den, m, LQ32[3]!);
  den = fma32(den, m, LQ32[2]!);
  den = fma32(den, m, LQ32[1]!);
  den = fma32(den, m, LQ32[0]!);
  const poly = f(num / den);
  return fma32(e, LOGE2_F, poly);
}
