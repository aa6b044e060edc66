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
  const o: K.KernelOptions = { lib, ...(c.numpyMath ? { numpyMath: c.numpyMath } : {}) };
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
    case 'naive':
      push(naiveRecipe(c), c.out);
      break;
    case 'index': {
      const items: K.IndexItem[] = c.items.map((it: any) =>
        it.slice ? K.slice(it.slice[0], it.slice[1], it.slice[2]) : it.array ? it.array : it.newaxis ? null : it);
      if (c.error) {
        let threw = false;
        try {
          K.index(x!, items, o);
        } catch {
          threw = true;
        }
        out.push({ key: key('/error'), dtype: 'bool', ulps: [threw ? 0 : Infinity], shapeOk: true, caseIndex: index });
      } else push(K.index(x!, items, o), c.out);
      break;
    }
    default:
      if (c.op in FORMULAS) {
        const a: Record<string, Tensor> = {};
        for (const [k, v] of Object.entries(c.args)) a[k] = decode(v as Enc);
        push(FORMULAS[c.op]!(a, c.options ?? {}), c.out);
        break;
      }
      throw new Error(`unknown op ${c.op}`);
  }
  return out;
}

// The NumPy goldens come from an AVX-512 machine whose NumPy links Intel SVML.
const NPY: K.KernelOptions = { lib: 'numpy', numpyMath: 'svml' };

/** The NumPy naive formulas of test/golden/kernel/naive.json, written with kernel ops. */
export function naiveRecipe(c: Record<string, any>): Tensor {
  const o = NPY;
  switch (c.recipe) {
    case 'softmax': {
      // np.exp(x) / np.sum(np.exp(x))
      const x = decode(c.x);
      return K.div(K.exp(x, o), K.sum(K.exp(x, o), null, false, o), o);
    }
    case 'softmax_rows': {
      // np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
      const x = decode(c.x);
      return K.div(K.exp(x, o), K.sum(K.exp(x, o), 1, true, o), o);
    }
    case 'log_softmax': {
      // np.log(np.exp(x) / np.sum(np.exp(x)))
      const x = decode(c.x);
      return K.log(K.div(K.exp(x, o), K.sum(K.exp(x, o), null, false, o), o), o);
    }
    case 'stable_ce': {
      // shifted = x - np.max(x); lse = np.log(np.sum(np.exp(shifted))); -(shifted - lse)[y]
      const x = decode(c.x);
      const shifted = K.sub(x, K.max(x, null, false, o), o);
      const lse = K.log(K.sum(K.exp(shifted, o), null, false, o), o);
      return K.neg(K.index(K.sub(shifted, lse, o), [c.y], o), o);
    }
    case 'ce_sum': {
      // -np.sum(y * np.log(p))
      const p = decode(c.p);
      const y = decode(c.y);
      return K.neg(K.sum(K.mul(y, K.log(p, o), o), null, false, o), o);
    }
    case 'ce_index':
    case 'ce_index_mean': {
      // -np.log(p[range(n), y])  [np.mean(...)]
      const p = decode(c.p);
      const y = decode(c.y);
      const picked = K.index(p, [K.range(p.shape[0]!), y], o);
      const l = K.neg(K.log(picked, o), o);
      return c.recipe === 'ce_index' ? l : K.mean(l, null, false, o);
    }
    case 'bce': {
      // -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
      const p = decode(c.p);
      const y = decode(c.y);
      const a = K.mul(y, K.log(p, o), o);
      const b = K.mul(K.sub(1, y, o), K.log(K.sub(1, p, o), o), o);
      return K.neg(K.mean(K.add(a, b, o), null, false, o), o);
    }
    default:
      throw new Error(`unknown recipe ${c.recipe}`);
  }
}

type Formula = (a: Record<string, Tensor>, o: Record<string, any>) => Tensor;
const FORMULAS: Record<string, Formula> = {
  tf_softmax_ce_logits: (a) => K.tfSoftmaxCrossEntropyWithLogits(a.labels!, a.logits!),
  tf_sparse_softmax_ce_logits: (a) => K.tfSparseSoftmaxCrossEntropyWithLogits(a.labels!, a.logits!),
  tf_sigmoid_ce_logits: (a) => K.tfSigmoidCrossEntropyWithLogits(a.labels!, a.logits!),
  keras_categorical_ce: (a, o) => K.kerasCategoricalCrossentropy(a.y_true!, a.y_pred!, { fromLogits: o.from_logits, labelSmoothing: o.label_smoothing }),
  keras_sparse_categorical_ce: (a, o) => K.kerasSparseCategoricalCrossentropy(a.y_true!, a.y_pred!, { fromLogits: o.from_logits }),
  keras_binary_ce: (a, o) => K.kerasBinaryCrossentropy(a.y_true!, a.y_pred!, { fromLogits: o.from_logits }),
  optax_softmax_ce: (a) => K.optaxSoftmaxCrossEntropy(a.logits!, a.labels!),
  optax_softmax_ce_int: (a) => K.optaxSoftmaxCrossEntropyWithIntegerLabels(a.logits!, a.labels!),
  optax_sigmoid_bce: (a) => K.optaxSigmoidBinaryCrossEntropy(a.logits!, a.labels!),
};

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
