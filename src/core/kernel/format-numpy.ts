// NumPy 1.24 printing: repr(np.float64(x)) / repr(np.float32(x)) (shortest round-trip digits,
// scientific outside [1e-4, 1e16)) and str(np.array(x)) (precision 8, 'maxprec', 75 columns,
// `[0.1 0.8 0.1]`, `...` summarization above 1000 elements).

import { Tensor } from './tensor';
import { formatExp, formatFixed } from './decimal';
import { sub, summarizedValues } from './format-torch';

/** Shortest round-trip significant digits of x (float64 or float32) as [digits, exponent10]. */
function shortest(x: number, dtype: 'float32' | 'float64'): { digits: string; exp: number } {
  const ax = Math.abs(x);
  let s = '';
  if (dtype === 'float64') s = ax.toExponential();
  else {
    for (let p = 1; p <= 9; p++) {
      s = formatExp(ax, p - 1);
      if (Math.fround(Number(s)) === ax) break;
    }
  }
  const [mant, ex] = s.split('e');
  let digits = mant!.replace('.', '');
  digits = digits.replace(/0+$/, '') || '0';
  return { digits, exp: Number(ex) };
}

/** repr(np.float64(x)) / repr(np.float32(x)) (NumPy >= 1.14: like Python's float repr). */
export function formatNumpyScalar(x: number, dtype: 'float32' | 'float64' = 'float64'): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return sign + '0.0';
  const { digits, exp } = shortest(x, dtype);
  const ax = Math.abs(x);
  if (!(ax >= 1e-4 && ax < 1e16)) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return sign + m + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  }
  return sign + positional(digits, exp, true);
}

/** Digits d1d2d3... with decimal exponent exp (value = d1.d2d3 * 10^exp) written positionally. */
function positional(digits: string, exp: number, forceZero: boolean): string {
  let int: string;
  let frac: string;
  if (exp >= 0) {
    if (digits.length <= exp + 1) {
      int = digits + '0'.repeat(exp + 1 - digits.length);
      frac = '';
    } else {
      int = digits.slice(0, exp + 1);
      frac = digits.slice(exp + 1);
    }
  } else {
    int = '0';
    frac = '0'.repeat(-exp - 1) + digits;
  }
  if (frac === '' && forceZero) frac = '0';
  return int + '.' + frac;
}

/** Dragon4 positional, unique, at most `precision` fraction digits, trim='.': "0.1", "1.", "0.16984602". */
function npPositional(x: number, dtype: 'float32' | 'float64', precision: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return sign + '0.';
  const { digits, exp } = shortest(x, dtype);
  let s = positional(digits, exp, false);
  const fracLen = s.length - s.indexOf('.') - 1;
  if (fracLen > precision) {
    s = formatFixed(Math.abs(x), precision).replace(/0+$/, '');
  }
  return sign + s;
}

/** Dragon4 scientific, unique, at most `precision` fraction digits, trim='.'. */
function npScientific(x: number, dtype: 'float32' | 'float64', precision: number): { mant: string; exp: number } {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return { mant: sign + '0.', exp: 0 };
  let { digits, exp } = shortest(x, dtype);
  if (digits.length - 1 > precision) {
    const s = formatExp(Math.abs(x), precision);
    const [m, e] = s.split('e');
    digits = m!.replace('.', '').replace(/0+$/, '') || '0';
    exp = Number(e);
  }
  return { mant: sign + digits[0] + '.' + digits.slice(1), exp };
}

export interface NumpyArrayFormatOptions {
  precision?: number; // 8
  linewidth?: number; // 75
}

function maxOf(xs: number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}
function minOf(xs: number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

/** str(np.array(x)) for float/int/bool arrays (summarized with `...` above 1000 elements). */
export function formatNumpyArray(t: Tensor, options: NumpyArrayFormatOptions = {}): string {
  const precision = options.precision ?? 8;
  const linewidth = options.linewidth ?? 75;
  const edge = 3;
  const summarize = t.size > 1000;
  const all = t.data;
  const vals: number[] = [];
  if (summarize) summarizedValues(all, t.shape, 0, edge, vals);
  else for (let i = 0; i < all.length; i++) vals.push(all[i]!);
  let fmt: (v: number) => string;
  if (t.dtype === 'float32' || t.dtype === 'float64') {
    const dt = t.dtype;
    const finite = vals.filter((v) => Number.isFinite(v));
    const nz = finite.filter((v) => v !== 0).map(Math.abs);
    let expFormat = false;
    if (nz.length) {
      const mx = maxOf(nz);
      const mn = minOf(nz);
      if (mx >= 1e8 || mn < 0.0001 || mx / mn > 1000) expFormat = true;
    }
    let padLeft = 0;
    let padRight = 0;
    let expSize = -1;
    let prec = precision;
    if (finite.length === 0) {
      padLeft = 0;
      padRight = 0;
    } else if (expFormat) {
      const parts = finite.map((v) => npScientific(v, dt, precision));
      prec = maxOf(parts.map((p) => p.mant.split('.')[1]!.length));
      expSize = maxOf(parts.map((p) => String(Math.abs(p.exp)).padStart(2, '0').length));
      padLeft = maxOf(parts.map((p) => p.mant.split('.')[0]!.length));
      padRight = expSize + 2 + prec;
    } else {
      const strs = finite.map((v) => npPositional(v, dt, precision));
      padLeft = maxOf(strs.map((s) => s.split('.')[0]!.length));
      padRight = maxOf(strs.map((s) => s.split('.')[1]!.length));
    }
    if (vals.length !== finite.length) {
      const neginf = vals.some((v) => v === -Infinity);
      const offset = padRight + 1;
      padLeft = Math.max(padLeft, 3 - offset, 3 + (neginf ? 1 : 0) - offset);
    }
    fmt = (v: number) => {
      if (!Number.isFinite(v)) {
        const r = Number.isNaN(v) ? 'nan' : v < 0 ? '-inf' : 'inf';
        return r.padStart(padLeft + padRight + 1, ' ');
      }
      if (expFormat) {
        // min_digits = precision: Dragon4 generates exact digits (not zero padding)
        const e = formatExp(v, prec);
        const [m, ex] = e.split('e') as [string, string];
        const [ip, fp = ''] = m.split('.') as [string, string?];
        const ev = Number(ex);
        const es = String(Math.abs(ev)).padStart(expSize, '0');
        return ip.padStart(padLeft, ' ') + '.' + fp + 'e' + (ev < 0 ? '-' : '+') + es;
      }
      const s = npPositional(v, dt, precision);
      const [ip, fp] = s.split('.') as [string, string];
      return ip.padStart(padLeft, ' ') + '.' + fp.padEnd(padRight, ' ');
    };
  } else if (t.dtype === 'bool') {
    fmt = (v) => (v ? ' True' : 'False');
  } else {
    const w = maxOf(vals.map((v) => String(v).length));
    fmt = (v) => String(v).padStart(w, ' ');
  }
  if (t.ndim === 0) return fmt(all[0]!).trim();
  const sep = ' ';
  const rec = (shape: readonly number[], off: number, hanging: string, width: number): string => {
    const n = shape[0]!;
    const nextHanging = hanging + ' ';
    const nextWidth = width - 1;
    const show = summarize && 2 * edge < n;
    const leading = show ? edge : 0;
    const trailing = show ? edge : n;
    let s = '';
    if (shape.length === 1) {
      const elemWidth = width - Math.max(sep.trimEnd().length, 1);
      let line = hanging;
      const extend = (word: string) => {
        let wrap = line.length + word.length > elemWidth;
        if (line.length <= hanging.length) wrap = false;
        if (wrap) {
          s += line.trimEnd() + '\n';
          line = hanging;
        }
        line += word;
      };
      for (let i = 0; i < leading; i++) {
        extend(fmt(all[off + i]!));
        line += sep;
      }
      if (show) {
        extend('...');
        line += sep;
      }
      for (let i = trailing; i > 1; i--) {
        extend(fmt(all[off + n - i]!));
        line += sep;
      }
      if (n > 0) extend(fmt(all[off + n - 1]!));
      s += line;
    } else {
      const rest = shape.slice(1);
      const lineSep = sep.trimEnd() + '\n'.repeat(shape.length - 1);
      for (let i = 0; i < leading; i++) s += hanging + rec(rest, sub(shape, off, i), nextHanging, nextWidth) + lineSep;
      if (show) s += hanging + '...' + lineSep;
      for (let i = trailing; i > 1; i--) s += hanging + rec(rest, sub(shape, off, n - i), nextHanging, nextWidth) + lineSep;
      s += hanging + rec(rest, sub(shape, off, n - 1), nextHanging, nextWidth);
    }
    return '[' + s.slice(hanging.length) + ']';
  };
  return rec(t.shape, 0, ' ', linewidth);
}
