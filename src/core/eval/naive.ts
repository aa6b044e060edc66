// The stable value vs the textbook formula's value, with a one-line reason when they differ.
// Recognised: library cross-entropy calls (the naive formula is -log(exp(z)/sum(exp(z)))[y]);
// hand-written naive forms (log of exp/sum(exp), exp/sum(exp), -sum(y*log(p))) whose stable
// counterpart is computed; user functions named like a cross-entropy, called with (logits, class).
import * as K from '../kernel';
import { unparen, type Expr } from '../ir';
import { binary } from './arith';
import { bind, int, isNone, num, str } from './args';
import { Ctx } from './ctx';
import type { Evaluated, EvalOptions } from './evaluate';
import { indexTensor } from './indexing';
import { DEFAULT_LIMITS } from './limits';
import { elementwise, reduce, result, torchSoftmax } from './ops';
import { LOSS_PARAMS, lossFunctionOf } from './lib-torch';
import { present, type PlainValue } from './present';
import { arr, NotEvaluable, type ArrayValue, type Value } from './values';

export interface Side {
  formula: string;
  value: PlainValue;
  printed: string | null;
}

export interface Comparison {
  /** Which side the hovered code is. */
  hovered: 'stable' | 'naive';
  naive: Side;
  stable: Side;
  differs: boolean;
  reason: string | null;
}

const F = 'torch.nn.functional';

function side(formula: string, v: Value): Side {
  const p = present(v);
  return { formula, value: p.value, printed: p.printed };
}

function sameShape(a: Value, b: ArrayValue): boolean {
  return a.t === 'array' && a.x.ndim === b.x.ndim && a.x.shape.every((n, i) => n === b.x.shape[i]);
}

/** Where the max and the sum are taken, for the formula text. */
function along(axis: number | null, x: ArrayValue): string {
  if (x.x.ndim <= 1) return '';
  return axis === null ? ' (max and sum over all elements)' : ` (max and sum along axis ${axis})`;
}

function sameBits(a: Value, b: Value): boolean {
  if (a.t !== 'array' || b.t !== 'array') return false;
  if (a.x.size !== b.x.size) return false;
  for (let i = 0; i < a.x.size; i++) {
    const x = a.x.data[i]!;
    const y = b.x.data[i]!;
    if (!(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)))) return false;
  }
  return true;
}

const EXP_MAX: Record<string, number> = { float32: 88.72283935546875, float64: 709.782712893384 };

/** Why the naive and the stable formula differ, from the logits. */
function reason(z: ArrayValue, naive: Value, stable: Value, classDim: number | null, naiveShifts = false): string | null {
  if (sameBits(naive, stable)) return null;
  const dt = z.x.dtype;
  const nz = naive.t === 'array' ? Array.from(naive.x.data) : [];
  const st = stable.t === 'array' ? Array.from(stable.x.data) : [];
  const naiveBad = nz.some((v) => !Number.isFinite(v));
  const stableBad = st.some((v) => !Number.isFinite(v));
  const data = Array.from(z.x.data).filter(Number.isFinite);
  const mx = data.length ? Math.max(...data) : NaN;
  if (naiveBad && !stableBad) {
    if (!naiveShifts && mx > EXP_MAX[dt]!) return `exp(${fmt(mx)}) overflows ${dt} (exp is finite only below ${EXP_MAX[dt]!.toFixed(2)}): the naive softmax becomes inf/inf = nan or x/inf = 0, and its log nan or -inf; the stable form subtracts the maximum first`;
    // underflow: some logit far below the maximum of its slice along the class axis
    const expFloor = dt === 'float32' ? -103.97 : -745.13;
    let gap = 0;
    for (const row of slices(z.x, classDim)) {
      let m = -Infinity;
      for (const v of row) m = Math.max(m, v);
      for (const v of row) if (Number.isFinite(v) && Number.isFinite(m)) gap = Math.max(gap, m - v);
    }
    if (gap > 0) return `softmax underflows to 0 in ${dt} for a logit ${fmt(gap)} below the maximum (exp(x) is 0 below about ${expFloor}), so log(p) is log(0) = -inf; log_softmax computes x - max - log(sum(exp(x - max))) and never takes the log of 0`;
    return 'the naive formula is not finite here; the stable form is';
  }
  if (!naiveBad && !stableBad) {
    let worst = 0;
    for (let i = 0; i < Math.min(nz.length, st.length); i++) worst = Math.max(worst, K.ulpDistance(nz[i]!, st[i]!, dt === 'float32' ? 'float32' : 'float64'));
    return `rounding only: exp, sum, division and log are rounded separately in the naive formula (${worst} ULP apart)`;
  }
  return 'both forms are not finite here';
}

/** The 1-D slices of `x` along `axis` (null: the whole array as one slice). */
function slices(x: K.Tensor, axis: number | null): number[][] {
  if (axis === null || x.ndim <= 1) return [Array.from(x.data)];
  const C = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = x.size / (C * inner);
  const out: number[][] = [];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out.push(Array.from({ length: C }, (_, c) => x.data[o * C * inner + c * inner + i]!));
  return out;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}

/** Value of an expression in the hovered environment (or undefined). */
function valueOf(ev: Evaluated, e: Expr): Value | undefined {
  try {
    return ev.it.expr(e, ev.env);
  } catch {
    return undefined;
  }
}

function qnameOf(ev: Evaluated, e: Expr): string | undefined {
  const v = valueOf(ev, e);
  return v && v.t === 'ref' ? canonicalName(v.qname) : v && v.t === 'instance' ? v.qname : undefined;
}

import { canonical as canonicalName } from '../knowledge';

function scratch(options?: EvalOptions): Ctx {
  return new Ctx({ ...DEFAULT_LIMITS, ...options?.limits });
}

/** Textbook cross-entropy on class indices, in the array's library: -log(exp(z) / sum(exp(z)))[i, y_i], reduced. */
function textbookCE(ctx: Ctx, z: ArrayValue, y: ArrayValue, red: 'mean' | 'sum' | 'none'): ArrayValue {
  const classDim = z.x.ndim === 1 ? 0 : 1;
  const e = elementwise(ctx, z, 'exp');
  const s = reduce(ctx, e, 'sum', classDim, true);
  const p = binary(ctx, '/', e, s) as ArrayValue;
  const lp = elementwise(ctx, p, 'log');
  let picked: K.Tensor;
  if (z.x.ndim === 1) picked = indexTensor(ctx, lp.x, [{ k: 'int', i: y.x.data[0]! }], z.lib);
  else if (z.x.ndim === 2) picked = indexTensor(ctx, lp.x, [{ k: 'array', t: K.arange(z.x.shape[0]!) }, { k: 'array', t: y.x }], z.lib);
  else throw new NotEvaluable('textbook form for more than 2 dimensions');
  const nl = elementwise(ctx, result(ctx, lp, picked), 'neg');
  if (red === 'none') return nl;
  return reduce(ctx, nl, red, null, false);
}

function stableLogSoftmax(ctx: Ctx, x: ArrayValue, axis: number | null): ArrayValue {
  if (x.lib === 'torch' && (axis !== null || x.x.ndim <= 1)) return torchSoftmax(ctx, x, axis ?? -1, true);
  const m = reduce(ctx, x, 'max', axis, true);
  const sh = binary(ctx, '-', x, m) as ArrayValue;
  const l = elementwise(ctx, reduce(ctx, elementwise(ctx, sh, 'exp'), 'sum', axis, true), 'log');
  return binary(ctx, '-', sh, l) as ArrayValue;
}

function stableSoftmax(ctx: Ctx, x: ArrayValue, axis: number | null): ArrayValue {
  if (x.lib === 'torch' && (axis !== null || x.x.ndim <= 1)) return torchSoftmax(ctx, x, axis ?? -1, false);
  const m = reduce(ctx, x, 'max', axis, true);
  const e = elementwise(ctx, binary(ctx, '-', x, m) as ArrayValue, 'exp');
  return binary(ctx, '/', e, reduce(ctx, e, 'sum', axis, true)) as ArrayValue;
}

function callParts(e: Expr): { fn: Expr; args: (Expr & { k: 'call' })['args'] } | null {
  const u = unparen(e);
  return u.k === 'call' ? { fn: u.fn, args: u.args } : null;
}

const LOGS = new Set(['numpy.log', 'torch.log', 'math.log']);
const EXPS = new Set(['numpy.exp', 'torch.exp']);
const SUMS = new Set(['numpy.sum', 'torch.sum']);
const SOFTMAXES = new Set(['torch.softmax', `${F}.softmax`, 'scipy.special.softmax']);

function unaryCall(ev: Evaluated, e: Expr, names: Set<string>): Expr | null {
  const c = callParts(e);
  if (c && c.args.length >= 1 && !c.args[0]!.name) {
    const q = qnameOf(ev, c.fn);
    if (q && names.has(q)) return c.args[0]!.value;
  }
  // method form: x.log(), x.exp(), x.sum()
  const u = unparen(e);
  if (u.k === 'call' && u.fn.k === 'attr' && u.args.length === 0) {
    const m = u.fn.attr;
    const want = [...names].some((n) => n.endsWith(`.${m}`));
    const recv = valueOf(ev, u.fn.obj);
    if (want && recv && recv.t === 'array') return u.fn.obj;
  }
  return null;
}

interface SumCall {
  arg: Expr;
  /** The reduced axis (normalised later against the array), or null for all. */
  axis: number | null;
  keepdims: boolean;
}

/** sum(X), sum(X, axis), X.sum(dim, keepdim=True), ... with an integer axis or none; null otherwise. */
function sumCall(ev: Evaluated, e: Expr, names: Set<string> = SUMS): SumCall | null {
  const u = unparen(e);
  if (u.k !== 'call') return null;
  let arg: Expr | undefined;
  let rest: (Expr & { k: 'call' })['args'];
  const q = qnameOf(ev, u.fn);
  if (q && names.has(q)) {
    if (!u.args[0] || u.args[0].name) return null;
    arg = u.args[0].value;
    rest = u.args.slice(1);
  } else if (u.fn.k === 'attr' && [...names].some((n) => n.endsWith(`.${(u.fn as Expr & { k: 'attr' }).attr}`))) {
    const recv = valueOf(ev, u.fn.obj);
    if (!recv || recv.t !== 'array') return null;
    arg = u.fn.obj;
    rest = u.args;
  } else return null;
  const lib = valueOf(ev, arg);
  const torch = lib?.t === 'array' && lib.lib === 'torch';
  let axis: number | null = null;
  let keepdims = false;
  for (const [i, a] of rest.entries()) {
    if (a.star) return null;
    const v = valueOf(ev, a.value);
    const name = a.name ?? (i === 0 ? 'axis' : i === 1 && torch ? 'keepdims' : '?');
    if (name === 'axis' || name === 'dim') {
      if (!v || (v.t !== 'int' && v.t !== 'none')) return null;
      axis = v.t === 'int' ? v.v : null;
    } else if (name === 'keepdims' || name === 'keepdim') {
      if (!v || v.t !== 'bool') return null;
      keepdims = v.v;
    } else return null;
  }
  return { arg, axis, keepdims };
}

/** `axis` normalised for an array of `ndim` dimensions (null stays null), or undefined when out of range. */
function normAxis(axis: number | null, ndim: number): number | null | undefined {
  if (axis === null) return null;
  const a = axis < 0 ? axis + ndim : axis;
  return a >= 0 && a < Math.max(ndim, 1) ? a : undefined;
}

function src(ev: Evaluated, e: Expr): string {
  return ev.it.text.slice(e.s, e.e);
}

/**
 * X and the normalised axis when e is exp(X) / sum(exp(X)[, axis]) with the same X (the softmax
 * without the max shift), the quotient having X's shape (the sum kept its dims or reduced all).
 */
function naiveSoftmaxOf(ev: Evaluated, e: Expr): { x: Expr; xv: ArrayValue; axis: number | null } | null {
  const u = unparen(e);
  if (u.k !== 'binop' || u.op !== '/') return null;
  const x = unaryCall(ev, u.left, EXPS);
  const sum = sumCall(ev, u.right);
  const x2 = sum ? unaryCall(ev, sum.arg, EXPS) : null;
  if (!x || !x2 || src(ev, x) !== src(ev, x2)) return null;
  const xv = valueOf(ev, x);
  if (!xv || xv.t !== 'array' || xv.x.ndim < 1) return null;
  const axis = normAxis(sum!.axis, xv.x.ndim);
  if (axis === undefined) return null;
  if (axis !== null && xv.x.ndim > 1 && !sum!.keepdims) return null; // broadcasts against the wrong dims
  return { x, xv, axis: xv.x.ndim === 1 ? null : axis };
}

export function compare(ev: Evaluated, options?: EvalOptions): Comparison | null {
  const e = unparen(ev.expr!);
  const hovered = ev.value;
  const ctx = scratch(options);
  // (A) a library cross-entropy call
  const c = callParts(e);
  if (c) {
    const q = qnameOf(ev, c.fn);
    const lossQ = q === `${F}.cross_entropy` ? q : q && lossFunctionOf(q) === `${F}.cross_entropy` ? `${F}.cross_entropy` : null;
    if (lossQ && hovered.t === 'array') {
      const fnv = valueOf(ev, c.fn)!;
      const args = ev.it.args(c.args, ev.env);
      const b = fnv.t === 'instance' ? { ...Object.fromEntries(fnv.args.kw), ...bind('loss', args, ['input', 'target'], []) } : bind(lossQ, args, LOSS_PARAMS[lossQ]!, []);
      const z = b.input;
      const y = b.target;
      if (!z || z.t !== 'array' || !y || y.t !== 'array' || y.x.dtype !== 'int64') return null;
      if (!isNone(b.weight) || num(b.label_smoothing, 'label_smoothing', 0) !== 0) return null;
      const ignore = int(b.ignore_index, 'ignore_index', -100);
      if (y.x.data.some((t) => t === ignore)) return null;
      const red = str(b.reduction, 'reduction', 'mean') as 'mean';
      const naive = textbookCE(ctx, z, y, red);
      const classDim = z.x.ndim === 1 ? 0 : 1;
      const call = `${red === 'mean' ? '.mean()' : red === 'sum' ? '.sum()' : ''}`;
      const formula = `-torch.log(torch.exp(z) / torch.exp(z).sum(${classDim}, keepdim=True))${z.x.ndim === 2 ? '[range(N), y]' : '[y]'}${call}`;
      return {
        hovered: 'stable',
        naive: side(formula, naive),
        stable: side(src(ev, e), hovered),
        differs: !sameBits(naive, hovered),
        reason: reason(z, naive, hovered, classDim),
      };
    }
  }
  // (B1) log(exp(X) / sum(exp(X)))  and  (B5) log(softmax(X))
  const inner = unaryCall(ev, e, LOGS);
  if (inner) {
    const ns = naiveSoftmaxOf(ev, inner);
    if (ns && sameShape(hovered, ns.xv)) {
      const { x, xv, axis } = ns;
      const stable = stableLogSoftmax(ctx, xv, axis);
      return { hovered: 'naive', naive: side(src(ev, e), hovered), stable: side(`${src(ev, x)} - max - log(sum(exp(${src(ev, x)} - max)))${along(axis, xv)}`, stable), differs: !sameBits(hovered, stable), reason: reason(xv, hovered, stable, axis) };
    }
    const sc = callParts(inner);
    if (sc && SOFTMAXES.has(qnameOf(ev, sc.fn) ?? '')) {
      const xv = sc.args[0] && !sc.args[0].name ? valueOf(ev, sc.args[0].value) : undefined;
      const dimArg = sc.args.find((a) => a.name === 'dim' || a.name === 'axis') ?? sc.args[1];
      const dimV = dimArg ? valueOf(ev, dimArg.value) : undefined;
      if (xv && xv.t === 'array' && dimV && dimV.t === 'int') {
        const stable = stableLogSoftmax(ctx, xv, dimV.v);
        const name = xv.lib === 'torch' ? 'torch.log_softmax' : 'scipy.special.log_softmax';
        return { hovered: 'naive', naive: side(src(ev, e), hovered), stable: side(`${name}(${src(ev, sc.args[0]!.value)}, ${dimV.v})`, stable), differs: !sameBits(hovered, stable), reason: reason(xv, hovered, stable, dimV.v < 0 ? dimV.v + xv.x.ndim : dimV.v, true) };
      }
    }
  }
  // (B2) exp(X) / sum(exp(X))
  const sm = naiveSoftmaxOf(ev, e);
  if (sm && sameShape(hovered, sm.xv)) {
    const { x: sx, xv, axis } = sm;
    const stable = stableSoftmax(ctx, xv, axis);
    return { hovered: 'naive', naive: side(src(ev, e), hovered), stable: side(`exp(${src(ev, sx)} - max) / sum(exp(${src(ev, sx)} - max))${along(axis, xv)}`, stable), differs: !sameBits(hovered, stable), reason: reason(xv, hovered, stable, axis) };
  }
  // (B3) -sum(Y * log(P)) with one-hot Y: the shortcut -log(P[true class]); batched: Y and P of
  // shape (N, C), summed over everything, or over the class axis and then (optionally) averaged or
  // summed over the batch: -mean(sum(Y * log(P), axis=1)).
  if (e.k === 'unary' && e.op === '-') {
    const b3 = oneHotCE(ev, ctx, e.operand);
    if (b3) {
      const differs = !sameBits(hovered, b3.stable);
      return {
        hovered: 'naive',
        naive: side(src(ev, e), hovered),
        stable: side(b3.formula, b3.stable),
        differs,
        reason: !differs ? null : b3.zeroOther ? `0 · log(0) = 0 · (-inf) = nan: a class with ${b3.y} = 0 has probability exactly 0` : 'rounding only: the sum adds the exact zeros 0 · log(p) of the other classes',
      };
    }
  }
  // (B4) a user cross-entropy function called with (logits, class index)
  if (c) {
    const fv = valueOf(ev, c.fn);
    if (fv && fv.t === 'function' && /cross.?entropy|xent|nll|ce_?loss/i.test(fv.def.name) && hovered.t === 'array' && hovered.x.size === 1) {
      const args = ev.it.args(c.args, ev.env);
      const params = fv.def.params.map((p) => p.name);
      const get = (i: number) => args.pos[i] ?? args.kw.get(params[i]!);
      const z = get(0);
      const y = get(1);
      // batched: (N, C) logits and N class indices; the reduction (mean or sum) is read off the value
      if (z && z.t === 'array' && z.x.ndim === 2 && K.isFloat(z.x.dtype) && y && y.t === 'array' && y.x.ndim === 1 && y.x.dtype === 'int64' && y.x.size === z.x.shape[0]) {
        const red = batchReduction(ctx, z, y, hovered);
        if (!red) return null;
        const naive = textbookCE(ctx, z, y, red);
        const naiveScalar = hovered.npScalar ? { ...naive, npScalar: true as const } : naive;
        const zs = src(ev, c.args[0]!.value);
        return {
          hovered: 'stable',
          naive: side(`-log(exp(${zs}) / sum(exp(${zs}), axis=1, keepdims=True))[range(N), y].${red}()`, naiveScalar),
          stable: side(src(ev, e), hovered),
          differs: !sameBits(naive, hovered),
          reason: reason(z, naive, hovered, 1),
        };
      }
      if (z && z.t === 'array' && z.x.ndim === 1 && K.isFloat(z.x.dtype) && y && (y.t === 'int' || (y.t === 'array' && y.x.ndim === 0 && y.x.dtype === 'int64'))) {
        const yi = y.t === 'int' ? y.v : y.x.data[0]!;
        const yt = arr(z.lib, K.scalar(yi, 'int64'));
        const naive = textbookCE(ctx, z, yt, 'none');
        const naiveScalar = hovered.npScalar ? { ...naive, npScalar: true as const } : naive;
        return {
          hovered: 'stable',
          naive: side(`-log(exp(${src(ev, c.args[0]!.value)}) / sum(exp(${src(ev, c.args[0]!.value)})))[${yi}]`, naiveScalar),
          stable: side(src(ev, e), hovered),
          differs: !sameBits(naive, hovered),
          reason: reason(z, naive, hovered, 0),
        };
      }
    }
  }
  return null;
}

const MEANS = new Set(['numpy.mean', 'torch.mean']);

/** The value of -(the hovered operand) computed as -log(P[true class]) when the operand is a one-hot cross-entropy sum. */
function oneHotCE(ev: Evaluated, ctx: Ctx, operand: Expr): { stable: ArrayValue; formula: string; zeroOther: boolean; y: string } | null {
  // outer reduction over the batch (optional): mean(S) or sum(S) with no axis
  let outer: 'mean' | 'sum' | null = null;
  let s = sumCall(ev, operand);
  const m = sumCall(ev, operand, MEANS);
  const innerOf = (c: SumCall | null) => (c ? sumCall(ev, c.arg) : null);
  if (m && m.axis === null && innerOf(m)) {
    outer = 'mean';
    s = innerOf(m);
  } else if (s && s.axis === null && innerOf(s)) {
    outer = 'sum';
    s = innerOf(s);
  }
  if (!s) return null;
  const prod = unparen(s.arg);
  if (prod.k !== 'binop' || prod.op !== '*') return null;
  const lpRight = unaryCall(ev, prod.right, LOGS);
  const lp = lpRight ?? unaryCall(ev, prod.left, LOGS);
  if (!lp) return null;
  const yExpr = lpRight ? prod.left : prod.right;
  const yv = valueOf(ev, yExpr);
  const pv = valueOf(ev, lp);
  if (!yv || yv.t !== 'array' || !pv || pv.t !== 'array' || !K.isFloat(pv.x.dtype)) return null;
  if (yv.x.ndim !== pv.x.ndim || yv.x.shape.some((n, i) => n !== pv.x.shape[i]) || (pv.x.ndim !== 1 && pv.x.ndim !== 2)) return null;
  const axis = normAxis(s.axis, pv.x.ndim);
  const batched = pv.x.ndim === 2;
  // 1-D: a sum over everything; 2-D: over everything, or over the class axis (last) and then perhaps the batch
  if (axis === undefined || (!batched && (axis !== null && axis !== 0)) || (!batched && outer) || (batched && axis !== null && axis !== 1) || (batched && axis === null && outer)) return null;
  const C = pv.x.shape[pv.x.ndim - 1]!;
  const N = batched ? pv.x.shape[0]! : 1;
  const cls: number[] = [];
  for (let r = 0; r < N; r++) {
    let k = -1;
    for (let c = 0; c < C; c++) {
      const v = yv.x.data[r * C + c]!;
      if (v === 0) continue;
      if (v !== 1 || k >= 0) return null;
      k = c;
    }
    if (k < 0) return null;
    cls.push(k);
  }
  const picked = batched
    ? result(ctx, pv, indexTensor(ctx, pv.x, [{ k: 'array', t: K.arange(N) }, { k: 'array', t: new K.Tensor([N], 'int64', Float64Array.from(cls)) }], pv.lib))
    : result(ctx, pv, indexTensor(ctx, pv.x, [{ k: 'int', i: cls[0]! }], pv.lib));
  const nl = elementwise(ctx, elementwise(ctx, picked, 'log'), 'neg');
  let stable: ArrayValue = nl;
  let red = '';
  if (batched && axis === null) {
    stable = reduce(ctx, nl, 'sum', null, false);
    red = '.sum()';
  } else if (batched && outer) {
    stable = reduce(ctx, nl, outer, null, false);
    red = `.${outer}()`;
  }
  const zeroOther = Array.from(pv.x.data).some((p, i) => p === 0 && cls[Math.floor(i / C)] !== i % C);
  const idx = batched ? `[range(${N}), [${cls.length <= 8 ? cls.join(', ') : `${cls.slice(0, 8).join(', ')}, ...`}]]` : `[${cls[0]}]`;
  return { stable, formula: `-log(${src(ev, lp)}${idx})${red}`, zeroOther, y: src(ev, yExpr) };
}

/**
 * Whether a user function's batched loss is the mean or the sum over the batch: the one the
 * stable value of the same logits matches (relatively within 1e-5); null when neither does.
 */
function batchReduction(ctx: Ctx, z: ArrayValue, y: ArrayValue, hovered: ArrayValue): 'mean' | 'sum' | null {
  const v = hovered.x.data[0]!;
  if (!Number.isFinite(v)) return null;
  const lsm = stableLogSoftmax(ctx, z, 1);
  const picked = result(ctx, lsm, indexTensor(ctx, lsm.x, [{ k: 'array', t: K.arange(z.x.shape[0]!) }, { k: 'array', t: y.x }], z.lib));
  const nl = elementwise(ctx, picked, 'neg');
  const close = (r: 'mean' | 'sum') => {
    const w = reduce(ctx, nl, r, null, false).x.data[0]!;
    return Number.isFinite(w) && Math.abs(w - v) <= 1e-5 * Math.max(1e-30, Math.abs(w));
  };
  const mean = close('mean');
  const sum = close('sum');
  return mean ? 'mean' : sum ? 'sum' : null;
}
