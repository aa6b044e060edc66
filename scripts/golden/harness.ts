// Shared by test/kernel-golden.test.ts and scripts/golden/ulp-report.mjs: decodes golden cases,
// runs the kernel on them, and compares results in ULPs. No Node built-ins here (the caller reads files).
import * as K from '../../src/core/kernel';
import { Tensor, type DType, type FloatDType, ulpDistance } from '../../src/core/kernel';

export interface Enc {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}
export interface GoldenFile {
  source: string;
  cases: Record<string, any>[];
}

export function decodeNum(v: number | string): number {
  if (typeof v === 'number') return v;
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  throw new Error(`bad number ${v}`);
}
export function decode(e: Enc): Tensor {
  const data = Float64Array.from(e.data, (v) => K.roundTo(e.dtype, decodeNum(v)));
  return new Tensor(e.shape, e.dtype, data);
}

export interface Comparison {
  /** What was compared: "<group>/<op>/<dtype>[/grad]". */
  key: string;
  dtype: DType;
  ulps: number[]; // per element (Infinity = non-finite mismatch)
  shapeOk: boolean;
  caseIndex: number;
}

function compare(key: string, got: Tensor, want: Enc, caseIndex: number): Comparison {
  const w = decode(want);
  const shapeOk = got.shape.length === w.shape.length && got.shape.every((s, i) => s === w.shape[i]) && got.dtype === w.dtype;
  const ulps: number[] = [];
  if (shapeOk) {
    for (let i = 0; i < w.size; i++) {
      const a = got.data[i]!;
      const b = w.data[i]!;
      if (w.dtype === 'float32' || w.dtype === 'float64') ulps.push(ulpDistance(a, b, w.dtype));
      else ulps.push(a === b ? 0 : Infinity);
    }
  }
  return { key, dtype: w.dtype, ulps, shapeOk, caseIndex };
}

const t = (e: Enc | undefined | null) => (e ? decode(e) : null);

function ceOptions(o: Record<string, any>) {
  return {
    weight: t(o.weight),
    ignoreIndex: o.ignore_index ?? -100,
    reduction: o.reduction ?? 'mean',
    labelSmoothing: o.label_smoothing ?? 0,
  };
}

/** Runs one case; returns comparisons (output and, if present, gradient). */
export function runCase(group: string, c: Record<string, any>, index: number): Comparison[] {
  const dt: string = c.dtype;
  const lib: K.Lib = c.lib ?? 'torch';
  const o = { lib };
  const key = (suffix = '') => `${group}/${c.op}${c.lib ? '(' + c.lib + ')' : ''}/${dt}${suffix}`;
  const x = c.x ? decode(c.x) : null;
  const out: Comparison[] = [];
  const push = (got: Tensor, want: Enc, suffix = '') => out.push(compare(key(suffix), got, want, index));
  switch (c.op) {
    case 'exp': case 'log': case 'log1p': case 'sigmoid': case 'logsigmoid':
      push((K as any)[c.op](x, o), c.out);
      break;
    case 'add': case 'sub': case 'mul': case 'div':
      push((K as any)[c.op](x, decode(c.y), o), c.out);
      break;
    case 'clamp':
      push(K.clamp(x!, c.min, c.max, o), c.out);
      break;
    case 'sum': case 'mean': case 'max': case 'min':
      push((K as any)[c.op](x, c.dim, c.keepdim, o), c.out);
      break;
    case 'argmax':
      push(K.argmax(x!, c.dim, c.keepdim, o), c.out);
      break;
    case 'softmax':
      push(K.softmax(x!, c.dim, o), c.out);
      break;
    case 'log_softmax':
      push(K.logSoftmax(x!, c.dim, o), c.out);
      break;
    case 'logsumexp':
      push(K.logsumexp(x!, c.dim, c.keepdim, o), c.out);
      break;
    case 'cross_entropy': case 'cross_entropy_softmax': {
      const y = decode(c.target);
      const opt = ceOptions(c.options);
      const double = c.op === 'cross_entropy_softmax';
      const classDim = x!.ndim === 1 ? 0 : 1;
      const inp = double ? K.softmax(x!, classDim) : x!;
      if (c.error) {
        let threw = false;
        try {
          K.crossEntropy(inp, y, opt);
        } catch {
          threw = true;
        }
        out.push({ key: key('/error'), dtype: 'bool', ulps: [threw ? 0 : Infinity], shapeOk: true, caseIndex: index });
        break;
      }
      push(K.crossEntropy(inp, y, opt), c.out);
      if (c.grad) push(K.crossEntropyGrad(x!, y, opt, double), c.grad, '/grad');
      break;
    }
    case 'nll_loss':
      push(K.nllLoss(x!, decode(c.target), ceOptions(c.options)), c.out);
      break;
    case 'binary_cross_entropy':
      push(K.binaryCrossEntropy(x!, decode(c.target), { weight: t(c.options.weight), reduction: c.options.reduction }), c.out);
      break;
    case 'binary_cross_entropy_with_logits': {
      const opt = { weight: t(c.options.weight), posWeight: t(c.options.pos_weight), reduction: c.options.reduction };
      push(K.binaryCrossEntropyWithLogits(x!, decode(c.target), opt), c.out);
      if (c.grad) push(K.bceWithLogitsGrad(x!, decode(c.target), opt), c.grad, '/grad');
      break;
    }
    case 'kl_div':
      push(K.klDiv(x!, decode(c.target), { reduction: c.options.reduction, logTarget: c.options.log_target }), c.out);
      break;
    default:
      throw new Error(`unknown op ${c.op}`);
  }
  return out;
}

export interface Tally {
  key: string;
  dtype: DType;
  cases: number;
  elements: number;
  ulp0: number;
  ulp1: number;
  over: number; // > 1 ULP, finite
  nonfinite: number; // non-finite mismatch
  shape: number; // shape/dtype mismatches
  maxUlp: number;
}

export function tally(comps: Comparison[]): Tally[] {
  const m = new Map<string, Tally>();
  for (const c of comps) {
    let e = m.get(c.key);
    if (!e) {
      e = { key: c.key, dtype: c.dtype, cases: 0, elements: 0, ulp0: 0, ulp1: 0, over: 0, nonfinite: 0, shape: 0, maxUlp: 0 };
      m.set(c.key, e);
    }
    e.cases++;
    if (!c.shapeOk) {
      e.shape++;
      continue;
    }
    for (const u of c.ulps) {
      e.elements++;
      if (u === 0) e.ulp0++;
      else if (u === 1) e.ulp1++;
      else if (u === Infinity) e.nonfinite++;
      else e.over++;
      if (u !== Infinity) e.maxUlp = Math.max(e.maxUlp, u);
    }
  }
  return [...m.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export type { FloatDType };
