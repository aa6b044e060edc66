// Correctly rounded (in all but astronomically rare cases) float64 exp, log and log1p, computed in
// double-double arithmetic (~100 bits) and rounded once. They stand in for the C library's double
// functions (glibc's exp/log/log1p are correctly rounded in practice), which PyTorch's scalar loops
// and NumPy's non-AVX512 loops call. V8's Math.exp/Math.log are fdlibm ports that can be 1 ULP off.

type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}
const SPLIT = 134217729;
function twoProd(a: number, b: number): DD {
  const p = a * b;
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = quickTwoSum(s, e + t);
  return quickTwoSum(s2, e2 + f);
}
function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}
function ddMulD(a: DD, b: number): DD {
  const [p, e] = twoProd(a[0], b);
  return quickTwoSum(p, e + a[1] * b);
}
function ddDiv(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  let r = ddAdd(a, ddMulD(b, -q1));
  const q2 = r[0] / b[0];
  r = ddAdd(r, ddMulD(b, -q2));
  const q3 = r[0] / b[0];
  return ddAdd(quickTwoSum(q1, q2), [q3, 0]);
}

// ln 2 in three parts (hi has trailing zero bits so k * hi is exact for |k| < 2^11)
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const LN2_LO2 = 5.707708438416212e-34;

/** exp(x) as a double-double, for finite x in (-746, 710). */
function expDD(x: DD): DD {
  const k = Math.round(x[0] / LN2_HI);
  // r = x - k ln2, in double-double
  let r = ddAdd(x, twoProd(-k, LN2_HI));
  r = ddAdd(r, twoProd(-k, LN2_LO));
  r = ddAdd(r, [-k * LN2_LO2, 0]);
  // exp(r) = exp(r/8)^8 keeps the series short and accurate
  const r8: DD = [r[0] / 8, r[1] / 8];
  let e = expDDSmallExact(r8);
  e = ddMul(e, e);
  e = ddMul(e, e);
  e = ddMul(e, e);
  return [e[0] * Math.pow(2, k), e[1] * Math.pow(2, k)];
}

// 1/n! as double-doubles, n = 0..16
const INV_FACT: DD[] = [];
{
  let f: DD = [1, 0];
  for (let n = 0; n <= 16; n++) {
    if (n > 0) f = ddDiv(f, [n, 0]);
    INV_FACT.push(f);
  }
}

/** exp(r) for |r| <= 0.05: Taylor series (Horner) in double-double, remainder < 2^-110. */
function expDDSmallExact(r: DD): DD {
  let acc: DD = INV_FACT[16]!;
  for (let n = 15; n >= 0; n--) acc = ddAdd(ddMul(acc, r), INV_FACT[n]!);
  return acc;
}

function roundDD(v: DD): number {
  return v[0] + v[1];
}

/** Correctly rounded exp(x). */
export function crExp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  if (x === 0) return 1;
  if (x < -708) {
    // subnormal results: exp(x) = exp(x + 200 ln2) 2^-200, rounded once at the final scaling
    let a = ddAdd([x, 0], twoProd(200, LN2_HI));
    a = ddAdd(a, twoProd(200, LN2_LO));
    a = ddAdd(a, [200 * LN2_LO2, 0]);
    const e = expDD(a);
    return e[0] * Math.pow(2, -200); // one rounding (into the subnormal range)
  }
  const k = Math.round(x / LN2_HI);
  let r = ddAdd([x, 0], twoProd(-k, LN2_HI));
  r = ddAdd(r, twoProd(-k, LN2_LO));
  r = ddAdd(r, [-k * LN2_LO2, 0]);
  let e = expDDSmallExact([r[0] / 8, r[1] / 8]);
  e = ddMul(e, e);
  e = ddMul(e, e);
  e = ddMul(e, e);
  // scale by 2^k in two steps so the intermediate never overflows
  const h = Math.trunc(k / 2);
  const v = roundDD(e);
  return v * Math.pow(2, h) * Math.pow(2, k - h);
}

/** log of a positive double-double via one Newton step from Math.log. */
function logDD(u: DD): DD {
  const y0 = Math.log(u[0]);
  // y1 = y0 + (u - exp(y0)) / exp(y0)
  const ey = expDD([y0, 0]);
  const diff = ddAdd(u, [-ey[0], -ey[1]]);
  const corr = ddDiv(diff, ey);
  return ddAdd([y0, 0], corr);
}

/** Correctly rounded log(x). */
export function crLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  if (x === 1) return 0;
  // x = m 2^e with m in [0.75, 1.5)
  let e = Math.floor(Math.log2(x));
  let m = x / Math.pow(2, e);
  if (!Number.isFinite(m) || m === 0) {
    // subnormal x or log2 rounding: scale exactly
    const s = x * 18014398509481984; // 2^54
    e = Math.floor(Math.log2(s)) - 54;
    m = s / Math.pow(2, e + 54);
  }
  while (m >= 1.5) {
    m /= 2;
    e += 1;
  }
  while (m < 0.75) {
    m *= 2;
    e -= 1;
  }
  const lm = logDD([m, 0]);
  let r = ddAdd(lm, twoProd(e, LN2_HI));
  r = ddAdd(r, twoProd(e, LN2_LO));
  r = ddAdd(r, [e * LN2_LO2, 0]);
  return roundDD(r);
}

/** Correctly rounded log1p(x) (not used for libm emulation: glibc's log1p is fdlibm's, = Math.log1p). */
export function crLog1p(x: number): number {
  if (Number.isNaN(x) || x < -1) return NaN;
  if (x === -1) return -Infinity;
  if (x === Infinity) return Infinity;
  if (x === 0) return x; // keeps -0
  if (Math.abs(x) < 2 ** -12) {
    // x - x^2/2 + x^3/3 - ... in double-double
    let sum: DD = [0, 0];
    let pw: DD = [x, 0];
    for (let n = 1; n <= 12; n++) {
      sum = ddAdd(sum, ddDiv(pw, [n % 2 === 1 ? n : -n, 0]));
      pw = ddMulD(pw, x);
    }
    return roundDD(sum);
  }
  if (x > 1e15) return crLog(x + 1);
  const u = twoSum(1, x);
  if (u[0] < 0.75 || u[0] >= 1.5) {
    // log(u) = log(u_hi) + log1p(u_lo / u_hi)
    const base = crLogDD(u[0]);
    const t = u[1] / u[0];
    return roundDD(ddAdd(base, [t - (t * t) / 2, 0]));
  }
  return roundDD(logDD(u));
}

function crLogDD(x: number): DD {
  let e = Math.floor(Math.log2(x));
  let m = x / Math.pow(2, e);
  while (m >= 1.5) {
    m /= 2;
    e += 1;
  }
  while (m < 0.75) {
    m *= 2;
    e -= 1;
  }
  let r = ddAdd(logDD([m, 0]), twoProd(e, LN2_HI));
  r = ddAdd(r, twoProd(e, LN2_LO));
  return ddAdd(r, [e * LN2_LO2, 0]);
}

/** 2^(i/n) correctly rounded (table values of libm implementations), for n a power of two. */
export function crExp2Frac(i: number, n: number): number {
  const t = i / n; // exact
  let a = twoProd(t, LN2_HI);
  a = ddAdd(a, twoProd(t, LN2_LO));
  a = ddAdd(a, [t * LN2_LO2, 0]);
  return roundDD(expDD(a));
}
