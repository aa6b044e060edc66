// SL005: cross-entropy written by hand as -sum(y * log(p)) on unguarded probabilities.
import { unparen, type Expr } from '../ir';
import { lookupApi, type Framework } from '../knowledge';
import type { Value } from '../analysis/values';
import { ruleMeta } from './catalogue';
import { defineRule, type RuleContext } from './rule';
import { ceShape, hasCeShape, isClassGather, key, type CeShape, type LogTerm } from './shared/ce-shape';
import { crossEntropyFix } from './shared/ce-fix';
import { isLogCall } from './shared/gates';
import { enclosingFunctionBody } from './shared/producer';
import { asOperator, forEachExprInScope, mayBeGuardedInPlace, scalarNumber } from './shared/expr-shapes';

/** Stable alternatives per framework: [categorical, binary, guard]. */
const advice: Record<string, [string, string, string]> = {
  torch: ['F.cross_entropy on the logits', 'F.binary_cross_entropy_with_logits on the logits', 'torch.clamp(p, min=eps)'],
  numpy: ['scipy.special.log_softmax of the logits', 'scipy.special.log_expit of the logits', 'np.clip(p, eps, 1)'],
  tensorflow: ['tf.nn.softmax_cross_entropy_with_logits on the logits', 'tf.nn.sigmoid_cross_entropy_with_logits on the logits', 'tf.clip_by_value(p, eps, 1.0)'],
  jax: ['optax.softmax_cross_entropy on the logits', 'optax.sigmoid_binary_cross_entropy on the logits', 'jnp.clip(p, eps, 1)'],
  tfjs: ['tf.losses.softmaxCrossEntropy on the logits', 'tf.losses.sigmoidCrossEntropy on the logits', 'tf.clipByValue(p, eps, 1)'],
};

export default defineRule('SL005', ruleMeta('SL005'), {
  // After SL003/SL004 (which claim the logs they report), before SL010 (which yields to this rule).
  priority: 0.5,
  // The gates ask only about the operators the visitors below look at (a cross-entropy's shape is
  // walked from each candidate: `+`, `/`, `**` roots would be walked for nothing), and only in
  // statements holding a log call (each term of the shape is one).
  only: {
    call: hasCeShape,
    binop: (e, facts) => (e.op === '-' || e.op === '*') && hasCeShape(e, facts),
    unary: (e, facts) => e.op === '-' && hasCeShape(e, facts),
    within: isLogCall,
  },
  call(e, ctx) {
    check(e, ctx);
  },
  binop(e, ctx) {
    if (e.op === '-' || e.op === '*') check(e, ctx);
  },
  unary(e, ctx) {
    if (e.op === '-') check(e, ctx);
  },
});

function check(root: Expr, ctx: RuleContext): void {
  const span = { s: root.s, e: root.e };
  if (ctx.isClaimed(span)) return;
  const shape = ceShape(root, ctx);
  if (!shape) return;
  // Every log must be of probabilities that can be 0: not guarded, not already reported by
  // SL003/SL004 (a softmax or sigmoid right there: their fix is the better one), not of a
  // log-safe value.
  for (const t of shape.terms) {
    if (ctx.isClaimed(t.log)) return;
    if (logIsSafe(t, ctx)) return;
  }
  if (shape.kind === 'indexed' && !hasProbabilityEvidence(shape.terms[0], root, ctx)) return;
  const fw = frameworkOf(shape.terms[0], ctx);
  const [cat, bin, guard] = advice[fw] ?? advice.numpy;
  const message =
    shape.kind === 'indexed'
      ? "Hand-written cross-entropy -log(p[target]) is inf as soon as the target's probability is exactly 0 (log(0) = -inf); " +
        `use ${cat}, or guard the log with ${guard}.`
      : shape.kind === 'bce'
      ? 'Hand-written binary cross-entropy -(y * log(p) + (1 - y) * log(1 - p)) is inf or nan as soon as p is exactly 0 or 1 ' +
        `(log(0) = -inf, and 0 * -inf = nan); use ${bin}, or clip p to [eps, 1 - eps] first.`
      : 'Hand-written cross-entropy -sum(y * log(p)) is inf or nan as soon as a probability is exactly 0 ' +
        `(log(0) = -inf, and 0 * -inf = nan even where y is 0); use ${cat}, or guard the log with ${guard}.`;
  const related = relatedOf(shape, ctx);
  const fix = shape.kind === 'ce' ? crossEntropyFix(root, ctx) : undefined;
  ctx.report({ code: 'SL005', message, span, related, fix });
  ctx.claim('SL005', span);
}

/** The log cannot produce -inf here, or it is not of probabilities. */
function logIsSafe(t: LogTerm, ctx: RuleContext): boolean {
  const op = asOperator(t.operand, ctx);
  if (scalarNumber(op, ctx) !== undefined) return true;
  // log(p / q): a ratio (KL divergence, likelihood ratio), not a cross-entropy.
  if (op.k === 'binop' && op.op === '/') return true;
  // log(p + eps), log(p + 1e-8): an epsilon (any addition counts; precision first).
  if (op.k === 'binop' && op.op === '+') return true;
  if (isSafeValue(ctx.value(t.operand))) return true;
  // log(1 - p) with p guarded: the clip is usually to [eps, 1 - eps].
  const c = op.k === 'binop' && op.op === '-' && scalarNumber(op.left, ctx) === 1 ? op.right : undefined;
  if (c && isSafeValue(ctx.value(c))) return true;
  // The probabilities (p, or p in 1 - p, or p in p[i]) may be clipped in place: np.clip(p, eps, 1, out=p).
  const base = unparen(c ?? op);
  return mayBeGuardedInPlace(base.k === 'subscript' ? base.obj : base, ctx);
}

function isSafeValue(v: Value): boolean {
  if (v.t === 'num') return true;
  if (v.t !== 'tensor') return false;
  if (v.guarded || v.expOf || v.isMax || v.shifted) return true;
  return v.kind === 'logprob' || v.kind === 'logits';
}

/**
 * `-log(p[...])` is a cross-entropy only when it picks the target's probability out of probabilities:
 * `p[range(n), y]` / `p[np.arange(n), y]` (the shape says so), p known to hold probabilities (a model's
 * softmax, predict_proba), or the same p is the log operand of a full `-sum(y * log(p))` in the same
 * function (the reference's `-np.log(y_pred[1])` next to its full sum). Otherwise `-log(x[i])` is any
 * negative log (an exponential sample, a log-density): silent.
 */
function hasProbabilityEvidence(t: LogTerm, root: Expr, ctx: RuleContext): boolean {
  const op = unparen(t.operand);
  if (op.k !== 'subscript') return false;
  if (isClassGather(op)) return true;
  const v = ctx.value(op.obj);
  if (v.t === 'tensor' && (v.kind === 'prob' || v.kind === 'prob-softmax' || v.kind === 'prob-sigmoid')) return true;
  const objKey = key(op.obj);
  if (objKey === undefined) return false;
  const body = enclosingFunctionBody(ctx.analysis, root) ?? ctx.module.body;
  let found = false;
  forEachExprInScope(body, (e) => {
    if (found || e === root || (e.k !== 'unary' && e.k !== 'binop' && e.k !== 'call')) return;
    const s = ceShape(e, ctx);
    if (s?.kind === 'ce' && key(s.terms[0].operand) === objKey) found = true;
  });
  return found;
}

function frameworkOf(t: LogTerm, ctx: RuleContext): Framework | string {
  if (ctx.module.language === 'typescript' || ctx.module.language === 'javascript') return 'tfjs'; // TF.js is the only library there
  const fn = ctx.callee(t.log);
  if (fn.t === 'ref') return lookupApi(fn.qname)?.framework ?? 'numpy';
  return 'torch'; // the .log() method: torch tensors
}

function relatedOf(shape: CeShape, ctx: RuleContext): { message: string; span: { s: number; e: number } }[] {
  const out: { message: string; span: { s: number; e: number } }[] = [];
  for (const t of shape.terms) {
    const v = ctx.value(t.operand);
    const p = v.t === 'tensor' ? v.producer : undefined;
    if (!p) continue;
    const site = p.site ?? p.call;
    if (site.s >= t.log.s && site.e <= t.log.e) continue;
    out.push({ message: 'probabilities produced here', span: { s: site.s, e: site.e } });
  }
  return out;
}
