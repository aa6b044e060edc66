// Number formatting the way Python and the libraries print: shortest round-trip digits (repr),
// and '{:.Nf}' / '{:.Ne}' with correct rounding of the exact binary value, ties to even.

/** Shortest round-trip decimal digits of x (finite, non-zero): x = 0.d1d2... × 10^decpt. */
export function shortestDigits(x: number, float32 = false): { digits: string; decpt: number } {
  const a = Math.abs(x);
  let s: string;
  if (float32) {
    s = a.toExponential(8);
    for (let p = 1; p <= 9; p++) {
      const t = a.toExponential(p - 1);
      if (Math.fround(Number(t)) === a) {
        s = t;
        break;
      }
    }
  } else s = a.toExponential();
  // `d.ddde±x` → digits without the point and trailing zeros (string ops only: this runs per element).
  const ei = s.indexOf('e');
  const mant = s.charCodeAt(1) === 46 ? s[0] + s.slice(2, ei) : s.slice(0, ei);
  let end = mant.length;
  while (end > 1 && mant.charCodeAt(end - 1) === 48) end--;
  return { digits: mant.slice(0, end), decpt: Number(s.slice(ei + 1)) + 1 };
}

function layout(sign: string, digits: string, decpt: number, forceExp: boolean | null): string {
  const useExp = forceExp ?? (decpt <= -4 || decpt > 16);
  if (useExp) {
    const e = decpt - 1;
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Python's repr(float) (also NumPy's repr of a float64 scalar). */
export function pyFloatRepr(x: number): string {
  // Where both print positional digits (Python from 1e-4 to 1e16, JavaScript from 1e-7 to 1e21),
  // both print the shortest round-trip digits: the same text, but for an integer's missing `.0`.
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e16 && !Number.isInteger(x)) return String(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const { digits, decpt } = shortestDigits(x);
  return layout(sign, digits, decpt, null);
}

/** NumPy's repr of a float32 scalar: the shortest digits that round-trip through float32. */
export function npFloat32Repr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const { digits, decpt } = shortestDigits(x, true);
  return layout(sign, digits, decpt, null);
}

/**
 * Whether |x| (< 1e21) written with p digits after the point is exactly halfway between two
 * roundings: its digit p+1 is a 5 and every digit after it 0, i.e. |x|·10^p·2 is an odd integer.
 * With |x| = m·2^k, m odd, that is m·5^p·2^(k+p+1): odd and whole exactly when k = -(p+1). One
 * look at the bits instead of 60 more digits of `toFixed` per number (printing 1,000 elements).
 */
function isExactTie(x: number, p: number): boolean {
  const a = Math.abs(x);
  if (a === 0 || !(a < 1e21)) return false;
  return lowestBitExponent(a) === -(p + 1);
}

const bits = new DataView(new ArrayBuffer(8));

/** k such that a = m·2^k with m an odd integer (a finite, non-zero). */
function lowestBitExponent(a: number): number {
  bits.setFloat64(0, a);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const e = bexp === 0 ? -1074 : bexp - 1075; // the exponent of the mantissa's last bit
  const ctz = (v: number): number => 31 - Math.clz32(v & -v);
  if (lo !== 0) return e + ctz(lo);
  return e + 32 + ctz((hi & 0xfffff) | (bexp === 0 ? 0 : 0x100000));
}

/** Python '{:.pf}'.format(x). */
export function formatFixed(x: number, p: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Math.abs(x) >= 1e21) return formatFixedBig(x, p);
  let s = Math.abs(x).toFixed(p);
  if (isExactTie(x, p)) {
    // JS rounds ties up; Python rounds to even.
    const down = truncFixed(Math.abs(x), p);
    const lastDigit = Number(down.replace('.', '').slice(-1));
    if (lastDigit % 2 === 0) s = down;
  }
  const neg = x < 0 || Object.is(x, -0);
  return (neg ? '-' : '') + s;
}

function truncFixed(a: number, p: number): string {
  const s = a.toFixed(Math.min(100, p + 60));
  const [i, f = ''] = s.split('.');
  return p === 0 ? i! : `${i}.${f.slice(0, p)}`;
}

function formatFixedBig(x: number, p: number): string {
  // |x| >= 1e21: an integer; BigInt gives its exact digits.
  const s = BigInt(x).toString();
  return p > 0 ? `${s}.${'0'.repeat(p)}` : s;
}

/** Python '{:.pe}'.format(x). */
export function formatExp(x: number, p: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let s = a.toExponential(p);
  // Tie check: scale to p digits after the first significant digit.
  if (a !== 0) {
    const e = Number(s.split('e')[1]);
    const scaled = exactScaledTie(a, e, p);
    if (scaled) s = scaled;
  }
  const [m, ex] = s.split('e') as [string, string];
  const en = Number(ex);
  return `${neg ? '-' : ''}${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
}

/** For an exact tie in toExponential(p), the round-half-even result; null when not a tie. */
function exactScaledTie(a: number, e: number, p: number): string | null {
  // Exact digits via BigInt arithmetic on the binary value.
  const { mant, exp2 } = decompose(a);
  // a = mant * 2^exp2. We want digits of a / 10^(e - p) and check the remainder is exactly one half.
  const k = e - p;
  let num = mant;
  let den = 1n;
  if (exp2 >= 0) num <<= BigInt(exp2);
  else den <<= BigInt(-exp2);
  if (k >= 0) den *= 10n ** BigInt(k);
  else num *= 10n ** BigInt(-k);
  const q = num / den;
  const r = num - q * den;
  if (r * 2n !== den) return null;
  const chosen = q % 2n === 0n ? q : q + 1n;
  let digits = chosen.toString();
  let ee = e;
  if (digits.length > p + 1) {
    digits = digits.slice(0, p + 1);
    ee++;
  }
  const m = p > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${m}e${ee}`;
}

function decompose(a: number): { mant: bigint; exp2: number } {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, a);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (bexp === 0) return { mant: frac, exp2: -1074 };
  return { mant: frac | (1n << 52n), exp2: bexp - 1075 };
}

/** JSON-safe number: non-finite as the strings "nan", "inf", "-inf". */
export function jsonNumber(x: number): number | string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x;
}
