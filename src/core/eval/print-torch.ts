// str(tensor) as PyTorch 1.13 prints it (torch/_tensor_str.py with default print options:
// precision 4, threshold 1000, edgeitems 3, linewidth 80).
import type { Tensor } from '../kernel';
import { formatExp, formatFixed } from './format';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE = 3;
const LINEWIDTH = 80;

class Formatter {
  floating: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(values: number[], floating: boolean, isBool: boolean) {
    this.floating = floating;
    if (!floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, intStr(v, isBool).length);
      return;
    }
    const nz = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (nz.length === 0) return;
    const abs = nz.map(Math.abs);
    const mn = Math.min(...abs);
    const mx = Math.max(...abs);
    for (const v of nz) {
      if (v !== Math.ceil(v)) {
        this.intMode = false;
        break;
      }
    }
    if (this.intMode) {
      if (mx / mn > 1000 || mx > 1e8) {
        this.sciMode = true;
        for (const v of nz) this.maxWidth = Math.max(this.maxWidth, formatExp(v, PRECISION).length);
      } else {
        for (const v of nz) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, 0).length + 1);
      }
    } else if (mx / mn > 1000 || mx > 1e8 || mn < 1e-4) {
      this.sciMode = true;
      for (const v of nz) this.maxWidth = Math.max(this.maxWidth, formatExp(v, PRECISION).length);
    } else {
      for (const v of nz) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, PRECISION).length);
    }
  }

  format(v: number, isBool: boolean): string {
    let ret: string;
    if (this.floating) {
      if (this.sciMode) ret = formatExp(v, PRECISION);
      else if (this.intMode) {
        ret = formatFixed(v, 0);
        if (Number.isFinite(v)) ret += '.';
      } else ret = formatFixed(v, PRECISION);
    } else ret = intStr(v, isBool);
    return ' '.repeat(Math.max(0, this.maxWidth - ret.length)) + ret;
  }
}

function intStr(v: number, isBool: boolean): string {
  return isBool ? (v ? 'True' : 'False') : String(v);
}

interface View {
  shape: readonly number[];
  data: ArrayLike<number>;
  off: number;
}

function sub(v: View, i: number): View {
  const inner = v.shape.slice(1).reduce((a, b) => a * b, 1);
  return { shape: v.shape.slice(1), data: v.data, off: v.off + i * inner };
}

function summarized(v: View): number[] {
  if (v.shape.length === 0) return [v.data[v.off]!];
  const n = v.shape[0]!;
  const idx = n > 2 * EDGE ? [...Array(EDGE).keys(), ...Array.from({ length: EDGE }, (_, k) => n - EDGE + k)] : [...Array(n).keys()];
  if (v.shape.length === 1) return idx.map((i) => v.data[v.off + i]!);
  return idx.flatMap((i) => summarized(sub(v, i)));
}

function all(v: View): number[] {
  const n = v.shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => v.data[v.off + i]!);
}

function vectorStr(v: View, indent: number, summarize: boolean, f: Formatter, isBool: boolean): string {
  const elementLength = f.maxWidth + 2;
  const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / elementLength));
  const n = v.shape[0]!;
  const fmt = (i: number) => f.format(v.data[v.off + i]!, isBool);
  let data: string[];
  if (summarize && n > 2 * EDGE) {
    data = [...[...Array(EDGE).keys()].map(fmt), ' ...', ...Array.from({ length: EDGE }, (_, k) => fmt(n - EDGE + k))];
  } else data = [...Array(n).keys()].map(fmt);
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

function tensorStr(v: View, indent: number, summarize: boolean, f: Formatter, isBool: boolean): string {
  const dim = v.shape.length;
  if (dim === 0) return f.format(v.data[v.off]!, isBool);
  if (dim === 1) return vectorStr(v, indent, summarize, f, isBool);
  const n = v.shape[0]!;
  let slices: string[];
  if (summarize && n > 2 * EDGE) {
    slices = [
      ...[...Array(EDGE).keys()].map((i) => tensorStr(sub(v, i), indent + 1, summarize, f, isBool)),
      '...',
      ...Array.from({ length: EDGE }, (_, k) => tensorStr(sub(v, n - EDGE + k), indent + 1, summarize, f, isBool)),
    ];
  } else slices = [...Array(n).keys()].map((i) => tensorStr(sub(v, i), indent + 1, summarize, f, isBool));
  return '[' + slices.join(',' + '\n'.repeat(dim - 1) + ' '.repeat(indent + 1)) + ']';
}

/**
 * str(t) / repr(t) for a torch tensor. `gradFn`: '' for a requires_grad leaf, a grad_fn name
 * (e.g. 'NllLossBackward0') for a non-leaf, undefined when no grad is tracked.
 */
export function torchStr(t: Tensor, gradFn?: string): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  const isBool = t.dtype === 'bool';
  const floating = t.dtype === 'float32' || t.dtype === 'float64';
  let body: string;
  if (t.size === 0) {
    body = '[]';
    if (!(t.shape.length === 1 && t.shape[0] === 0)) suffixes.push(`size=(${t.shape.join(', ')}${t.shape.length === 1 ? ',' : ''})`);
  } else {
    const view: View = { shape: t.shape, data: t.data, off: 0 };
    const summarize = t.size > THRESHOLD;
    const f = new Formatter(summarize ? summarized(view) : all(view), floating, isBool);
    body = tensorStr(view, indent, summarize, f, isBool);
  }
  if (t.dtype === 'float64') suffixes.push('dtype=torch.float64');
  if (gradFn === '') suffixes.push('requires_grad=True');
  else if (gradFn) suffixes.push(`grad_fn=<${gradFn}>`);
  return prefix + [body, ...suffixes].join(', ') + ')';
}
