// str(tensor) as PyTorch 1.13 prints it (torch/_tensor_str.py): 4 decimals, scientific when
// max/min > 1000, max > 1e8 or min < 1e-4, integer-valued floats as `1000.`, nan/inf, padding,
// 80-column wrapping, `...` summarization above 1000 elements, `, dtype=torch.float64` suffix.

import { Tensor, type DType } from './tensor';
import { formatExp, formatFixed } from './decimal';

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
export function sub(shape: readonly number[], off: number, i: number): number {
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  return off + i * inner;
}

/** get_summarized_data: the values the formatter sees when a tensor is summarized. */
export function summarizedValues(vals: ArrayLike<number>, shape: readonly number[], off: number, edge: number, out: number[]): void {
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
