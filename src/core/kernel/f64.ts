// Bit-exact float64 SLEEF u10 exp/log/log1p (what PyTorch 1.13's AVX2 kernels call for float64:
// Sleef_exp4_u10, Sleef_log4_u10, Sleef_log1p4_u10, FMA variant). JavaScript has no fused
// multiply-add, so fma64 emulates a correctly rounded one with error-free transformations and
// rounding to odd (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums", 2008).

const dv = new DataView(new ArrayBuffer(8));

function hiWord(x: number): number {
  dv.setFloat64(0, x);
  return dv.getInt32(0);
}
function withHiDelta(x: number, delta: number): number {
  dv.setFloat64(0, x);
  dv.setInt32(0, (dv.getInt32(0) + delta) | 0);
  return dv.getFloat64(0);
}
function isOddMantissa(x: number): boolean {
  dv.setFloat64(0, x);
  return (dv.getUint32(4) & 1) === 1;
}
/** Neighbour of x (finite) one ULP away in the direction of `dir` (dir != 0). */
function step(x: number, dir: number): number {
  if (x === 0) return dir > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  dv.setFloat64(0, x);
  let b = dv.getBigUint64(0);
  const away = (dir > 0) === (x > 0);
  b = away ? b + 1n : b - 1n;
  dv.setBigUint64(0, b);
  return dv.getFloat64(0);
}

const SPLIT = 134217729; // 2^27 + 1
function twoProdErr(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** Correctly rounded a*b + c in float64 (outside overflow/underflow of the partial products). */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || !Number.isFinite(p) || p === 0) return p + c;
  if (Math.abs(a) > 1e290 || Math.abs(b) > 1e290) return p + c; // split would overflow; not reached by the kernels below
  const pl = twoProdErr(a, b, p);
  const th = c + p;
  const z = th - c;
  const tl = c - (th - z) + (p - z);
  const u = tl + pl;
  const z2 = u - tl;
  const e = tl - (u - z2) + (pl - z2);
  const v = e !== 0 && !isOddMantissa(u) ? step(u, e) : u;
  return th + v;
}

function rint(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) return 2 * Math.round(x / 2);
  return r;
}

const R_LN2 = 1.442695040888963407359924681001892137426645954152985934135449406931;
const L2U = 0.69314718055966295651160180568695068359375;
const L2L = 0.28235290563031577122588448175013436025525412068e-12;
const mla = fma64;

function pow2(k: number): number {
  return Math.pow(2, k);
}
function p4(x: number, x2: number, c3: number, c2: number, c1: number, c0: number): number {
  return mla(x2, mla(x, c3, c2), mla(x, c1, c0));
}

/** SLEEF xexp (u10, FMA variant). */
export function sleefExp(d: number): number {
  if (Number.isNaN(d)) return NaN;
  if (d > 709.78271114955742909217217426) return Infinity;
  if (d < -1000) return 0;
  const q = rint(d * R_LN2);
  let s = mla(q, -L2U, d);
  s = mla(q, -L2L, s);
  const s2 = s * s;
  const s4 = s2 * s2;
  const s8 = s4 * s4;
  const poly8 = mla(
    s4,
    p4(s, s2, 0.2755762628169491192e-6, 0.2755723402025388239e-5, 0.2480158687479686264e-4, 0.1984126989855865850e-3),
    p4(s, s2, 0.1388888888914497797e-2, 0.8333333333314938210e-2, 0.4166666666666602598e-1, 0.1666666666666669072e0),
  );
  let u = mla(s8, mla(s, 0.2081276378237164457e-8, 0.2511210703042288022e-7), poly8);
  u = mla(u, s, 0.5);
  u = mla(u, s, 1);
  u = mla(u, s, 1);
  const h = Math.floor(q / 2); // arithmetic shift right
  return u * pow2(h) * pow2(q - h);
}

type DD = [number, number];
const DBL_MIN = 2.2250738585072014e-308;
const TWO64 = 18446744073709551616;
const LN2: DD = [0.693147180559945286226764, 2.319046813846299558417771e-17];

function ilogb2k(d: number): number {
  return ((hiWord(d) >>> 20) & 0x7ff) - 0x3ff;
}
function ldexp3(d: number, q: number): number {
  return withHiDelta(d, q << 20);
}
function ddmulDDD(x: DD, y: number): DD {
  const s = x[0] * y;
  return [s, mla(x[1], y, mla(x[0], y, -s))];
}
function dddiv(n: DD, d: DD): DD {
  const t = 1 / d[0];
  const s = n[0] * t;
  const u = mla(t, n[0], -s);
  const v = mla(-d[1], t, mla(-d[0], t, 1));
  return [s, mla(s, v, mla(n[1], t, u))];
}
function ddadd2(x: number, y: number): DD {
  const s = x + y;
  const v = s - x;
  return [s, x - (s - v) + (y - v)];
}
function ddadd(x: number, y: number): DD {
  const s = x + y;
  return [s, x - s + y];
}
function logTail(s: DD, x: DD): number {
  const x2 = x[0] * x[0];
  const x4 = x2 * x2;
  const x8 = x4 * x4;
  // POLY7(x2, x4, x8, c6..c0) = MLA(x8, POLY3(x2, x4, c6, c5, c4), POLY4(x2, x4, c3..c0))
  const poly3 = mla(x4, 0.1532076988502701353e0, mla(x2, 0.1525629051003428716e0, 0.1818605932937785996e0));
  const t = mla(x8, poly3, p4(x2, x4, 0.2222214519839380009e0, 0.2857142932794299317e0, 0.3999999999635251990e0, 0.6666666666667333541e0));
  // s = ddadd_vd2_vd2_vd2(s, ddscale(x, 2))
  let sx = s[0] + x[0] * 2;
  let sy = s[0] - sx + x[0] * 2 + s[1] + x[1] * 2;
  // s = ddadd_vd2_vd2_vd(s, x2 * x.x * t)
  const y = x2 * x[0] * t;
  const nx = sx + y;
  sy = sx - nx + y + sy;
  sx = nx;
  return sx + sy;
}

/** SLEEF xlog_u1 (u10, FMA variant). */
export function sleefLog(d: number): number {
  if (Number.isNaN(d) || d < 0) return NaN;
  if (d === 0) return -Infinity;
  if (d === Infinity) return Infinity;
  const o = d < DBL_MIN;
  if (o) d = d * TWO64;
  let e = ilogb2k(d * (1.0 / 0.75));
  const m = ldexp3(d, -e);
  if (o) e -= 64;
  const x = dddiv(ddadd2(-1, m), ddadd2(1, m));
  return logTail(ddmulDDD(LN2, e), x);
}

/** SLEEF xlog1p (u10, FMA variant). */
export function sleefLog1p(d: number): number {
  if (Number.isNaN(d) || d < -1) return NaN;
  if (d === -1) return -Infinity;
  if (d > 1e307) return Infinity;
  if (Object.is(d, -0)) return -0;
  let dp1 = d + 1;
  const o = dp1 < DBL_MIN;
  if (o) dp1 = dp1 * TWO64;
  let e = ilogb2k(dp1 * (1.0 / 0.75));
  const t = ldexp3(1, -e);
  const m = mla(d, t, t - 1);
  if (o) e -= 64;
  const x = dddiv([m, 0], ddadd(2, m));
  return logTail(ddmulDDD(LN2, e), x);
}
