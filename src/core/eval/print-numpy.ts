// str(ndarray) and repr of NumPy scalars as NumPy 1.24 prints them (arrayprint.py defaults:
// precision 8, floatmode 'maxprec', threshold 1000, edgeitems 3, linewidth 75).
import type { Tensor } from '../kernel';
import { formatExp, formatFixed, npFloat32Repr, pyFloatRepr, shortestDigits } from './format';

const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE = 3;
const LINEWIDTH = 75;

/** Positional digits of |x|: shortest unique, capped at `p` fractional digits (rounded half-even). */
function positional(x: number, p: number, f32: boolean): [string, string] {
  const a = Math.abs(x);
  let s: string;
  if (a === 0) s = '0.';
  else {
    const { digits, decpt } = shortestDigits(a, f32);
    const fracLen = Math.max(0, digits.length - decpt);
    if (fracLen <= p) {
      const intPart = decpt <= 0 ? '0' : digits.slice(0, decpt).padEnd(decpt, '0');
      const frac = decpt >= digits.length ? '' : decpt <= 0 ? '0'.repeat(-decpt) + digits : digits.slice(decpt);
      s = `${intPart}.${frac}`;
    } else {
      s = formatFixed(a, p).replace(/0+$/, '');
      if (!s.includes('.')) s += '.';
    }
  }
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [i, f] = s.split('.') as [string, string];
  return [sign + i, f];
}

/** Scientific digits: [mantissa int part with sign, fraction, exponent string like '-05']. */
function scientific(x: number, p: number, f32: boolean): [string, string, string] {
  const a = Math.abs(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (a === 0) return [sign + '0', '', '+00'];
  const { digits, decpt } = shortestDigits(a, f32);
  let mant: string;
  let e: number;
  if (digits.length - 1 <= p) {
    mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : `${digits}.`;
    e = decpt - 1;
  } else {
    const s = formatExp(a, p);
    const [m, ex] = s.split('e') as [string, string];
    mant = m.replace(/0+$/, '');
    if (!mant.includes('.')) mant += '.';
    e = Number(ex);
  }
  const [i, f] = mant.split('.') as [string, string];
  const es = (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  return [sign + i, f, es];
}

type Fmt = (x: number) => string;

function floatFormatter(vals: number[], f32: boolean): Fmt {
  const finite = vals.filter(Number.isFinite);
  const nz = finite.filter((v) => v !== 0).map(Math.abs);
  let expFormat = false;
  if (nz.length) {
    const mx = Math.max(...nz);
    const mn = Math.min(...nz);
    if (mx >= 1e8 || mn < 0.0001 || mx / mn > 1000) expFormat = true;
  }
  let padLeft = 0;
  let padRight = 0;
  let precision = PRECISION;
  let expSize = -1;
  if (finite.length && expFormat) {
    const parts = finite.map((v) => scientific(v, PRECISION, f32));
    expSize = Math.max(...parts.map((p) => p[2].length)) - 1;
    precision = Math.max(...parts.map((p) => p[1].length));
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = expSize + 2 + precision;
  } else if (finite.length) {
    const parts = finite.map((v) => positional(v, PRECISION, f32));
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = Math.max(...parts.map((p) => p[1].length));
  }
  if (finite.length !== vals.length) {
    const neginf = vals.some((v) => v === -Infinity);
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (neginf ? 1 : 0) - offset);
  }
  return (x: number) => {
    if (!Number.isFinite(x)) {
      const ret = Number.isNaN(x) ? 'nan' : x < 0 ? '-inf' : 'inf';
      return ' '.repeat(Math.max(0, padLeft + padRight + 1 - ret.length)) + ret;
    }
    if (expFormat) {
      const [i, f0, e] = scientific(x, precision, f32);
      const f = f0.padEnd(precision, '0');
      const ee = e[0] + e.slice(1).padStart(expSize, '0');
      return i.padStart(padLeft) + '.' + f + 'e' + ee;
    }
    const [i, f] = positional(x, precision, f32);
    return i.padStart(padLeft) + '.' + f.padEnd(padRight);
  };
}

function formatterFor(t: Tensor, vals: number[]): Fmt {
  if (t.dtype === 'bool') {
    const anyTrue = vals.some((v) => v !== 0);
    return (v) => (v ? (anyTrue && t.ndim > 0 ? ' True' : 'True') : 'False');
  }
  if (t.dtype === 'int64') {
    const w = vals.length ? Math.max(...vals.map((v) => String(v).length)) : 0;
    return (v) => String(v).padStart(w);
  }
  return floatFormatter(vals, t.dtype === 'float32');
}

function leadingTrailing(t: Tensor, summarize: boolean): number[] {
  if (!summarize) return Array.from(t.data);
  const out: number[] = [];
  const rec = (d: number, off: number) => {
    const n = t.shape[d]!;
    const inner = t.shape.slice(d + 1).reduce((a, b) => a * b, 1);
    const idx = n > 2 * EDGE ? [0, 1, 2, n - 3, n - 2, n - 1] : [...Array(n).keys()];
    for (const i of idx) {
      if (d === t.ndim - 1) out.push(t.data[off + i]!);
      else rec(d + 1, off + i * inner);
    }
  };
  rec(0, 0);
  return out;
}

function extendLine(s: string, line: string, word: string, width: number, prefix: string): [string, string] {
  let wrap = line.length + word.length > width;
  if (line.length <= prefix.length) wrap = false;
  if (wrap) {
    s += line.trimEnd() + '\n';
    line = prefix;
  }
  return [s, line + word];
}

function formatArray(t: Tensor, fmt: Fmt, summarize: boolean, separator: string, prefix: string): string {
  const strides: number[] = [];
  let st = 1;
  for (let d = t.ndim - 1; d >= 0; d--) {
    strides[d] = st;
    st *= t.shape[d]!;
  }
  const rec = (axis: number, off: number, hanging: string, width: number): string => {
    if (axis === t.ndim) return fmt(t.data[off]!);
    const nextHanging = hanging + ' ';
    const nextWidth = width - 1;
    const n = t.shape[axis]!;
    const show = summarize && 2 * EDGE < n;
    const lead = show ? EDGE : 0;
    const trail = show ? EDGE : n;
    const at = (i: number) => off + (i < 0 ? n + i : i) * strides[axis]!;
    let s = '';
    const left = t.ndim - axis;
    if (left === 1) {
      const elemWidth = width - Math.max(separator.trimEnd().length, 1);
      let line = hanging;
      for (let i = 0; i < lead; i++) {
        [s, line] = extendLine(s, line, rec(axis + 1, at(i), nextHanging, nextWidth), elemWidth, hanging);
        line += separator;
      }
      if (show) {
        [s, line] = extendLine(s, line, '...', elemWidth, hanging);
        line += separator;
      }
      for (let i = trail; i > 1; i--) {
        [s, line] = extendLine(s, line, rec(axis + 1, at(-i), nextHanging, nextWidth), elemWidth, hanging);
        line += separator;
      }
      [s, line] = extendLine(s, line, rec(axis + 1, at(-1), nextHanging, nextWidth), elemWidth, hanging);
      s += line;
    } else {
      const lineSep = separator.trimEnd() + '\n'.repeat(left - 1);
      for (let i = 0; i < lead; i++) s += hanging + rec(axis + 1, at(i), nextHanging, nextWidth) + lineSep;
      if (show) s += hanging + '...' + lineSep;
      for (let i = trail; i > 1; i--) s += hanging + rec(axis + 1, at(-i), nextHanging, nextWidth) + lineSep;
      s += hanging + rec(axis + 1, at(-1), nextHanging, nextWidth);
    }
    return '[' + s.slice(hanging.length) + ']';
  };
  return rec(0, 0, prefix, LINEWIDTH);
}

/** repr of a NumPy scalar (np.float64 / np.float32 / np.int64 / np.bool_). */
export function numpyScalarRepr(x: number, dtype: Tensor['dtype']): string {
  if (dtype === 'float64') return pyFloatRepr(x);
  if (dtype === 'float32') return npFloat32Repr(x);
  if (dtype === 'bool') return x ? 'True' : 'False';
  return String(x);
}

/** str(a) (what print(a) shows) for a NumPy array. */
export function numpyStr(t: Tensor): string {
  if (t.ndim === 0) return numpyScalarRepr(t.data[0]!, t.dtype);
  if (t.size === 0) return '[]';
  const summarize = t.size > THRESHOLD;
  const fmt = formatterFor(t, leadingTrailing(t, summarize));
  return formatArray(t, fmt, summarize, ' ', ' ');
}

/** repr(a) for a NumPy array: array([...]) with the dtype when it is not the default. */
export function numpyRepr(t: Tensor): string {
  if (t.size === 0 && t.ndim === 1) return `array([], dtype=${t.dtype})`;
  const summarize = t.size > THRESHOLD;
  const prefix = 'array(';
  const body = t.ndim === 0 ? numpyScalarRepr(t.data[0]!, t.dtype) : formatArray(t, formatterFor(t, leadingTrailing(t, summarize)), summarize, ', ', ' '.repeat(prefix.length + 1));
  const dt = t.dtype === 'float64' || t.dtype === 'int64' || t.dtype === 'bool' ? '' : `, dtype=${t.dtype}`;
  return `${prefix}${body}${dt})`;
}
