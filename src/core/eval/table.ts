// Per-class rows for a logits or probabilities vector (or the first row of a batch), and for a
// cross-entropy call: softmax, log-softmax and the loss each class would give as the target.
import * as K from '../kernel';
import { unparen } from '../ir';
import { canonical } from '../knowledge';
import { binary } from './arith';
import { Ctx } from './ctx';
import type { Evaluated } from './evaluate';
import { DEFAULT_LIMITS } from './limits';
import { lossFunctionOf } from './lib-torch';
import { elementwise, reduce, torchSoftmax } from './ops';
import { arr, type ArrayValue, type Value } from './values';

export interface Table {
  caption: string;
  columns: string[];
  /** One row per class; the first cell is the class index. */
  rows: number[][];
  /** Row index of the target class, when known. */
  highlight?: number;
}

const MAX_CLASSES = 32;
const CONSTRUCTORS = new Set(['numpy.array', 'numpy.asarray', 'torch.tensor', 'torch.as_tensor']);

function firstRow(v: ArrayValue): ArrayValue | null {
  if (!K.isFloat(v.x.dtype) || v.lib === 'tensorflow' || v.lib === 'jax') return null;
  if (v.x.ndim === 1) return v;
  if (v.x.ndim === 2) {
    const C = v.x.shape[1]!;
    return { ...v, x: new K.Tensor([C], v.x.dtype, v.x.data.slice(0, C)), npScalar: undefined };
  }
  return null;
}

function softmaxes(ctx: Ctx, z: ArrayValue): [ArrayValue, ArrayValue] {
  if (z.lib === 'torch') return [torchSoftmax(ctx, z, 0, false), torchSoftmax(ctx, z, 0, true)];
  const m = reduce(ctx, z, 'max', null, true);
  const sh = binary(ctx, '-', z, m) as ArrayValue;
  const e = elementwise(ctx, sh, 'exp');
  const s = reduce(ctx, e, 'sum', null, true);
  return [binary(ctx, '/', e, s) as ArrayValue, binary(ctx, '-', sh, elementwise(ctx, s, 'log')) as ArrayValue];
}

function logitsTable(ctx: Ctx, z: ArrayValue, caption: string, target?: number): Table | undefined {
  const C = z.x.size;
  if (C < 2 || C > MAX_CLASSES) return undefined;
  const [p, lp] = softmaxes(ctx, { ...z, grad: undefined });
  const rows = Array.from({ length: C }, (_, c) => [c, z.x.data[c]!, p.x.data[c]!, lp.x.data[c]!, -lp.x.data[c]!]);
  return { caption, columns: ['class', 'logit', 'softmax', 'log_softmax', 'loss if target'], rows, ...(target !== undefined ? { highlight: target } : {}) };
}

function looksLikeProbabilities(v: ArrayValue): boolean {
  const d = Array.from(v.x.data);
  if (!d.every((x) => x >= 0 && x <= 1)) return false;
  const s = d.reduce((a, b) => a + b, 0);
  return Math.abs(s - 1) <= 1e-5;
}

export function tableFor(ev: Evaluated): Table | undefined {
  const ctx = new Ctx(DEFAULT_LIMITS);
  const e = ev.expr ? unparen(ev.expr) : null;
  if (e && e.k === 'call') {
    let fn: Value | undefined;
    try {
      fn = ev.it.expr(e.fn, ev.env);
    } catch {
      fn = undefined;
    }
    const q = fn?.t === 'ref' ? canonical(fn.qname) : fn?.t === 'instance' ? lossFunctionOf(fn.qname) : fn?.t === 'function' && /cross.?entropy|xent|nll|ce_?loss/i.test(fn.def.name) ? 'user' : undefined;
    if (q === 'torch.nn.functional.cross_entropy' || q === 'user') {
      const a0 = e.args[0];
      const a1 = e.args[1] ?? e.args.find((a) => a.name === 'target' || a.name === 'y_true');
      if (!a0 || !a1) return undefined;
      const z = ev.it.expr(a0.value, ev.env);
      const y = ev.it.expr(a1.value, ev.env);
      if (z.t !== 'array') return undefined;
      const row = firstRow(z);
      if (!row) return undefined;
      const t = y.t === 'int' ? y.v : y.t === 'array' && y.x.dtype === 'int64' && y.x.size >= 1 ? y.x.data[0]! : undefined;
      const n = z.x.ndim === 2 ? z.x.shape[0]! : 1;
      return logitsTable(ctx, row, `${n > 1 ? `sample 0 of ${n}` : 'per class'}: logits → softmax → loss`, t);
    }
  }
  const v = ev.value;
  if (v.t !== 'array') return undefined;
  // Other arrays only when written as data (np.array / torch.tensor of numbers), all finite: a
  // computed array (a log-softmax, a loss per sample) read "as logits" would mislead.
  if (!e || e.k !== 'call' || v.x.size > MAX_CLASSES * 64 || !Array.from(v.x.data).every(Number.isFinite)) return undefined;
  let ctor: Value | undefined;
  try {
    ctor = ev.it.expr(e.fn, ev.env);
  } catch {
    ctor = undefined;
  }
  if (!ctor || ctor.t !== 'ref' || !CONSTRUCTORS.has(canonical(ctor.qname))) return undefined;
  const row = firstRow(v);
  if (!row || row.x.size < 2 || row.x.size > MAX_CLASSES) return undefined;
  const n = v.x.ndim === 2 ? v.x.shape[0]! : 1;
  const which = n > 1 ? `row 0 of ${n}` : 'per class';
  if (looksLikeProbabilities(row)) {
    const lp = elementwise(ctx, { ...row, grad: undefined }, 'log');
    const rows = Array.from({ length: row.x.size }, (_, c) => [c, row.x.data[c]!, -lp.x.data[c]!]);
    return { caption: `${which}: probabilities`, columns: ['class', 'p', '-log p'], rows };
  }
  return logitsTable(ctx, row, `${which}: as logits`);
}

export { arr };
