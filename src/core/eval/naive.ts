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
function reason(z: ArrayValue, naive: Value, stable: Value, classDim: number, naiveShifts = false): string | null {
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
    // underflow: some logit far below its row's maximum
    const C = z.x.ndim === 0 ? 1 : z.x.shape[classDim]!;
    const expFloor = dt === 'float32' ? -103.97 : -745.13;
    let gap = 0;
    const rows = z.x.size / C;
    for (let r = 0; r < rows; r++) {
      const row = z.x.ndim <= 1 ? Array.from(z.x.data) : Array.from({ length: C }, (_, c) => z.x.data[r * C + c]!);
      const m = Math.max(...row);
      gap = Math.max(gap, ...row.map((v) => m - v));
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
  if (x.lib === 'torch') return torchSoftmax(ctx, x, axis ?? -1, true);
  const m = reduce(ctx, x, 'max', axis, true);
  const sh = binary(ctx, '-', x, m) as ArrayValue;
  const l = elementwise(ctx, reduce(ctx, elementwise(ctx, sh, 'exp'), 'sum', axis, true), 'log');
  return binary(ctx, '-', sh, l) as ArrayValue;
}

function stableSoftmax(ctx: Ctx, x: ArrayValue, axis: number | null): ArrayValue {
  if (x.lib === 'torch') return torchSoftmax(ctx, x, axis ?? -1, false);
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

function src(ev: Evaluated, e: Expr): string {
  return ev.it.text.slice(e.s, e.e);
}

/** X when e is exp(X) / sum(exp(X)) with the same X (the softmax without the max shift). */
function naiveSoftmaxOf(ev: Evaluated, e: Expr): Expr | null {
  const u = unparen(e);
  if (u.k !== 'binop' || u.op !== '/') return null;
  const x = unaryCall(ev, u.left, EXPS);
  const sumArg = unaryCall(ev, u.right, SUMS);
  const x2 = sumArg ? unaryCall(ev, sumArg, EXPS) : null;
  if (!x || !x2 || src(ev, x) !== src(ev, x2)) return null;
  return x;
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
    const x = naiveSoftmaxOf(ev, inner);
    if (x) {
      const xv = valueOf(ev, x);
      if (xv && xv.t === 'array' && xv.x.ndim === 1) {
        const stable = stableLogSoftmax(ctx, xv, null);
        return { hovered: 'naive', naive: side(src(ev, e), hovered), stable: side(`${src(ev, x)} - max - log(sum(exp(${src(ev, x)} - max)))`, stable), differs: !sameBits(hovered, stable), reason: reason(xv, hovered, stable, 0) };
      }
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
  const sx = naiveSoftmaxOf(ev, e);
  if (sx) {
    const xv = valueOf(ev, sx);
    if (xv && xv.t === 'array' && xv.x.ndim === 1) {
      const stable = stableSoftmax(ctx, xv, null);
      return { hovered: 'naive', naive: side(src(ev, e), hovered), stable: side(`exp(${src(ev, sx)} - max) / sum(exp(${src(ev, sx)} - max))`, stable), differs: !sameBits(hovered, stable), reason: reason(xv, hovered, stable, 0) };
    }
  }
  // (B3) -sum(Y * log(P)) with one-hot Y: the shortcut -log(P[true class])
  if (e.k === 'unary' && e.op === '-') {
    const s = unaryCall(ev, e.operand, SUMS);
    const m = s ? unparen(s) : null;
    if (m && m.k === 'binop' && m.op === '*') {
      const lp = unaryCall(ev, m.right, LOGS) ?? unaryCall(ev, m.left, LOGS);
      const yExpr = lp === unaryCall(ev, m.right, LOGS) ? m.left : m.right;
      const yv = valueOf(ev, yExpr);
      const pv = lp ? valueOf(ev, lp) : undefined;
      if (yv && yv.t === 'array' && pv && pv.t === 'array' && yv.x.ndim === 1 && pv.x.ndim === 1 && yv.x.size === pv.x.size) {
        const ones = Array.from(yv.x.data).map((v, i) => [v, i] as const).filter(([v]) => v !== 0);
        if (ones.length === 1 && ones[0]![0] === 1) {
          const k = ones[0]![1];
          const picked = result(ctx, pv, indexTensor(ctx, pv.x, [{ k: 'int', i: k }], pv.lib));
          const stable = elementwise(ctx, elementwise(ctx, picked, 'log'), 'neg');
          const zeroOther = Array.from(pv.x.data).some((p, i) => i !== k && p === 0);
          const differs = !sameBits(hovered, stable);
          return {
            hovered: 'naive',
            naive: side(src(ev, e), hovered),
            stable: side(`-log(${src(ev, lp!)}[${k}])`, stable),
            differs,
            reason: !differs ? null : zeroOther ? `0 · log(0) = 0 · (-inf) = nan: a class with ${src(ev, yExpr)} = 0 has probability exactly 0` : 'rounding only: the sum adds the exact zeros 0 · log(p) of the other classes',
          };
        }
      }
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
