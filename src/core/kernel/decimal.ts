// Exact decimal formatting of doubles (BigInt), with round-half-even like Python's format() and
// NumPy's Dragon4: formatFixed = '{:.{d}f}', formatExp = '{:.{d}e}'.

const dv = new DataView(new ArrayBuffer(8));
/** x = m * 2^e exactly (x finite, nonzero, positive). */
function decompose(x: number): { m: bigint; e: number } {
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  return { m, e };
}

/** round(|x| * 10^k) with round-half-even, exact. */
function scaledRound(x: number, k: number): bigint {
  const { m, e } = decompose(Math.abs(x));
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  const q = num / den;
  const r = num - q * den;
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** Python '{:.{d}f}'.format(x). */
export function formatFixed(x: number, d: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const q = x === 0 ? 0n : scaledRound(x, d);
  let s = q.toString();
  if (d > 0) {
    s = s.padStart(d + 1, '0');
    s = s.slice(0, s.length - d) + '.' + s.slice(s.length - d);
  }
  return (neg ? '-' : '') + s;
}

/** Python '{:.{d}e}'.format(x). */
export function formatExp(x: number, d: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  let E = 0;
  let q = 0n;
  if (x !== 0) {
    E = Math.floor(Math.log10(Math.abs(x)));
    for (let iter = 0; iter < 3; iter++) {
      q = scaledRound(x, d - E);
      if (q >= 10n ** BigInt(d + 1)) E += 1;
      else if (q < 10n ** BigInt(d)) E -= 1;
      else break;
    }
  }
  let s = q.toString().padStart(d + 1, '0');
  s = d > 0 ? s[0] + '.' + s.slice(1) : s;
  const es = Math.abs(E).toString().padStart(2, '0');
  return (neg ? '-' : '') + s + 'e' + (E < 0 ? '-' : '+') + es;
}
