// Printing values the way the libraries print them, for hovers:
//  - formatTorch: str(tensor) of PyTorch 1.13 (torch/_tensor_str.py: 4 decimals, scientific when
//    max/min > 1000, max > 1e8 or min < 1e-4, integer-valued floats as `1000.`, nan/inf, padding,
//    80-column wrapping, `, dtype=torch.float64` suffix).
//  - formatNumpyScalar: repr(np.float64(x)) / repr(np.float32(x)) (shortest round-trip digits).
//  - formatNumpyArray: str(np.array(x)) (precision 8, 'maxprec', 75 columns, `[0.1 0.8 0.1]`).
// Decimal conversions are exact (BigInt) with round-half-even, like Python's and NumPy's.

import { Tensor, type DType } from './tensor';

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

// ------------------------------------------------------------------ PyTorch

export interface TorchFormatOptions {
  precision?: number; // torch.set_printoptions(precision=4)
  linewidth?: number; // 80
  /** e.g. 'NllLossBackward0' -> `, grad_fn=<NllLossBackward0>` */
  gradFn?: string;
}

function torchFormatter(vals: number[], dtype: DType, precision: number) {
  const floating = dtype === 'float32' || dtype === 'float64';
  let intMode = true;
  let sciMode = false;
  let maxWidth = 1;
  if (!floating) {
    for (const v of vals) maxWidth = Math.max(maxWidth, fmtInt(v, dtype).length);
  } else {
    const nz = vals.filter((v) => Number.isFinite(v) && v !== 0);
    if (nz.length > 0) {
      let mn = Infinity;
      let mx = 0;
      for (const v of nz) {
        const a = Math.abs(v);
        if (a < mn) mn = a;
        if (a > mx) mx = a;
      }
      for (const v of nz) {
        if (v !== Math.ceil(v)) {
          intMode = false;
          break;
        }
      }
      if (intMode) {
        if (mx / mn > 1000 || mx > 1e8) {
          sciMode = true;
          for (const v of nz) maxWidth = Math.max(maxWidth, formatExp(v, precision).length);
        } else for (const v of nz) maxWidth = Math.max(maxWidth, formatFixed(v, 0).length + 1);
      } else if (mx / mn > 1000 || mx > 1e8 || mn < 1e-4) {
        sciMode = true;
        for (const v of nz) maxWidth = Math.max(maxWidth, formatExp(v, precision).length);
      } else for (const v of nz) maxWidth = Math.max(maxWidth, formatFixed(v, precision).length);
    }
  }
  const format = (v: number): string => {
    let ret: string;
    if (floating) {
      if (sciMode) ret = formatExp(v, precision);
      else if (intMode) {
        ret = formatFixed(v, 0);
        if (Number.isFinite(v)) ret += '.';
      } else ret = formatFixed(v, precision);
    } else ret = fmtInt(v, dtype);
    return ret.padStart(maxWidth, ' ');
  };
  return { format, width: maxWidth };
}

function fmtInt(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'True' : 'False';
  return String(v);
}

/** Multi-dim view helpers over a flat row-major array. */
function sub(shape: readonly number[], off: number, i: number): number {
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  return off + i * inner;
}

/** get_summarized_data: the values the formatter sees when a tensor is summarized. */
function summarizedValues(vals: ArrayLike<number>, shape: readonly number[], off: number, edge: number, out: number[]): void {
  if (shape.length === 0) {
    out.push(vals[off]!);
    return;
  }
  const n = shape[0]!;
  const idx: number[] = [];
  if (n > 2 * edge) {
    for (let i = 0; i < edge; i++) idx.push(i);
    for (let i = n - edge; i < n; i++) idx.push(i);
  } else for (let i = 0; i < n; i++) idx.push(i);
  for (const i of idx) summarizedValues(vals, shape.slice(1), sub(shape, off, i), edge, out);
}

/** str(tensor) as PyTorch 1.13 prints it (summarized with `...` above 1000 elements). */
export function formatTorch(t: Tensor, options: TorchFormatOptions = {}): string {
  const precision = options.precision ?? 4;
  const linewidth = options.linewidth ?? 80;
  const threshold = 1000;
  const edge = 3;
  const prefix = 'tensor(';
  const indent = prefix.length;
  const vals = t.data;
  const summarize = t.size > threshold;
  const fvals: number[] = [];
  if (summarize) summarizedValues(vals, t.shape, 0, edge, fvals);
  else for (let i = 0; i < vals.length; i++) fvals.push(vals[i]!);
  const fm = torchFormatter(fvals, t.dtype, precision);
  const rec = (shape: readonly number[], off: number, ind: number): string => {
    if (shape.length === 0) return fm.format(vals[off]!);
    const n = shape[0]!;
    const cut = summarize && n > 2 * edge;
    if (shape.length === 1) {
      const elementLength = fm.width + 2;
      const perLine = Math.max(1, Math.floor((linewidth - ind) / elementLength));
      const data: string[] = [];
      if (cut) {
        for (let i = 0; i < edge; i++) data.push(fm.format(vals[off + i]!));
        data.push(' ...');
        for (let i = n - edge; i < n; i++) data.push(fm.format(vals[off + i]!));
      } else for (let i = 0; i < n; i++) data.push(fm.format(vals[off + i]!));
      const lines: string[] = [];
      for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(ind + 1)) + ']';
    }
    const rest = shape.slice(1);
    const slices: string[] = [];
    if (cut) {
      for (let i = 0; i < edge; i++) slices.push(rec(rest, sub(shape, off, i), ind + 1));
      slices.push('...');
      for (let i = n - edge; i < n; i++) slices.push(rec(rest, sub(shape, off, i), ind + 1));
    } else for (let i = 0; i < n; i++) slices.push(rec(rest, sub(shape, off, i), ind + 1));
    return '[' + slices.join(',' + '\n'.repeat(shape.length - 1) + ' '.repeat(ind + 1)) + ']';
  };
  let body: string;
  if (t.size === 0 && t.ndim > 0) body = '[]';
  else body = rec(t.shape, 0, indent);
  const suffixes: string[] = [];
  if (t.size === 0 && t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  if (t.dtype === 'float64' || (t.size === 0 && t.dtype !== 'float32')) suffixes.push(`dtype=torch.${t.dtype}`);
  if (options.gradFn) suffixes.push(`grad_fn=<${options.gradFn}>`);
  // torch/_tensor_str.py _add_suffixes (including its `+ 1` in the last line length)
  const str = prefix + body;
  let out = str;
  let lastLineLen = str.length - str.lastIndexOf('\n') + 1;
  for (const suf of suffixes) {
    if (lastLineLen + suf.length + 2 > linewidth) {
      out += ',\n' + ' '.repeat(indent) + suf;
      lastLineLen = indent + suf.length;
    } else {
      out += ', ' + suf;
      lastLineLen += suf.length + 2;
    }
  }
  return out + ')';
}

// ------------------------------------------------------------------ NumPy

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
