// The SL005 fix for the one case where a hand-written cross-entropy has its logits at hand: the
// probabilities are a PyTorch softmax over dim 1 of known logits. (Only reachable when SL003 is not
// enabled: otherwise SL003 reports the log of the softmax with its safe log_softmax fix, and SL005
// stays silent.)
//   -torch.sum(y * torch.log(F.softmax(x, dim=1)))             → F.cross_entropy(x, y, reduction="sum")
//   -(y * torch.log(p)).sum(dim=1).mean(), p = softmax(x, 1)    → F.cross_entropy(x, y)
// Equal in exact arithmetic for probability (or one-hot) targets of the logits' shape, which the
// elementwise product requires; unsafe: probability targets need PyTorch ≥ 1.10.
// TensorFlow.js, the same for a tf.softmax over the last axis (softmaxCrossEntropy's class axis):
//   tf.neg(tf.sum(tf.mul(y, tf.log(tf.softmax(x)))))          → tf.losses.softmaxCrossEntropy(y, x, undefined, 0, tf.Reduction.SUM)
//   y.mul(p.log()).sum(-1).mean().neg(), p = tf.softmax(x)     → tf.losses.softmaxCrossEntropy(y, x)
// softmaxCrossEntropy's default reduction (SUM_BY_NONZERO_WEIGHTS without weights) is the batch mean;
// unsafe: it requires labels and logits of the same shape, which the elementwise product only
// broadcasts.
import { argument, unparen, type Expr } from '../../ir';
import type { Producer } from '../../analysis/values';
import type { FixData, RuleContext } from '../rule';
import { asOperator, literalNumber, logOperand, reduceCall, type ReduceCall } from './expr-shapes';
import { inputAt } from './producer';

export function crossEntropyFix(root: Expr, ctx: RuleContext): FixData | undefined {
  // Strip the negation: -R, or mean(-R') handled below.
  const r0 = asOperator(root, ctx);
  let body: Expr;
  let negatedInside = false;
  if (r0.k === 'unary' && r0.op === '-') body = asOperator(r0.operand, ctx);
  else {
    body = r0;
    negatedInside = true;
  }
  const outer = reduceCall(body, ctx);
  if (!outer || outer.others.length || outer.keepdims) return undefined;
  let product: Expr;
  let reduction: 'sum' | 'mean';
  let perSample: ReduceCall | undefined; // mean(sum(..., axis)): the per-sample sum
  if (outer.op === 'sum' && !outer.axis && !negatedInside) {
    product = outer.input;
    reduction = 'sum';
  } else if (outer.op === 'mean' && !outer.axis) {
    let inner = asOperator(outer.input, ctx);
    if (negatedInside) {
      if (inner.k !== 'unary' || inner.op !== '-') return undefined;
      inner = asOperator(inner.operand, ctx);
    }
    const sum = reduceCall(inner, ctx);
    if (!sum || sum.op !== 'sum' || sum.others.length || sum.keepdims) return undefined;
    perSample = sum;
    product = sum.input;
    reduction = 'mean';
  } else return undefined;
  const p = asOperator(product, ctx);
  if (p.k !== 'binop' || p.op !== '*') return undefined;
  const [logCall, y] = isLog(p.left, ctx) ? [unparen(p.left), p.right] : isLog(p.right, ctx) ? [unparen(p.right), p.left] : [undefined, undefined];
  if (!logCall || logCall.k !== 'call' || !y || isLog(y, ctx)) return undefined;
  const operand = logOperand(logCall, ctx);
  if (!operand) return undefined;
  const v = ctx.value(operand);
  if (v.t !== 'tensor' || v.kind !== 'prob-softmax' || v.guarded || !v.producer) return undefined;
  const prod = v.producer;
  if (isScript(ctx)) return prod.spec?.framework === 'tfjs' && (!perSample || isLastAxis(perSample)) ? tfjsFix(root, reduction, y, operand, prod, ctx) : undefined;
  if (prod.spec?.framework !== 'torch' || (perSample && !isDim1(perSample))) return undefined;
  if (!softmaxDimIs1(prod, ctx)) return undefined;
  const logits = inputAt(operand, prod, ctx);
  if (logits === undefined) return undefined;
  const name = ctx.imports.nameWithImport('torch.nn.functional.cross_entropy');
  if (!name) return undefined;
  const span = { s: root.s, e: root.e };
  const kept = [{ s: y.s, e: y.e }, ...(prod.input && prod.input.s >= root.s && prod.input.e <= root.e ? [{ s: prod.input.s, e: prod.input.e }] : [])];
  if (ctx.dropsComment(span, kept)) return undefined;
  const args = [logits, ctx.source(y), ...(reduction === 'sum' ? ['reduction="sum"'] : [])];
  return {
    applicability: 'unsafe',
    message: `Use \`${name.text.split('.').pop()}\` on the logits (probability targets need PyTorch >= 1.10)`,
    edits: [...name.edits, { ...span, content: `${name.text}(${args.join(', ')})` }],
  };
}

/**
 * TF.js: `tf.losses.softmaxCrossEntropy(y, x)` (the batch mean: SUM_BY_NONZERO_WEIGHTS without
 * weights divides the per-sample sum by the batch size) or with `undefined, 0, tf.Reduction.SUM` for a
 * sum over everything. Only when the softmax is over the last axis, the loss's class axis, and the
 * file names `tf.losses` and `tf.Reduction` already (a fix does not add TypeScript imports).
 */
function tfjsFix(root: Expr, reduction: 'sum' | 'mean', y: Expr, operand: Expr, prod: Producer, ctx: RuleContext): FixData | undefined {
  const spec = prod.spec;
  if (!spec || spec.role !== 'activation' || (prod.via !== 'function' && prod.via !== 'method') || !spec.dim) return undefined;
  const axis = argument(prod.call.args, spec.dim.name, spec.dim.pos);
  if (prod.call.args.length > (axis ? 1 : 0) + (prod.via === 'function' ? 1 : 0)) return undefined;
  if (axis && literalNumber(axis.value) !== -1) return undefined;
  const logits = inputAt(operand, prod, ctx);
  if (logits === undefined) return undefined;
  const loss = ctx.imports.nameFor('tfjs.losses.softmaxCrossEntropy');
  const sum = reduction === 'sum' ? ctx.imports.nameFor('tfjs.Reduction.SUM') : undefined;
  if (!loss || (reduction === 'sum' && !sum)) return undefined;
  const span = { s: root.s, e: root.e };
  const kept = [{ s: y.s, e: y.e }, ...(prod.input && prod.input.s >= root.s && prod.input.e <= root.e ? [{ s: prod.input.s, e: prod.input.e }] : [])];
  if (ctx.dropsComment(span, kept)) return undefined;
  const args = [ctx.source(y), logits, ...(sum ? ['undefined', '0', sum] : [])];
  return {
    applicability: 'unsafe',
    message: `Use \`${loss}\` on the logits (labels and logits must have the same shape)`,
    edits: [{ ...span, content: `${loss}(${args.join(', ')})` }],
  };
}

function isScript(ctx: RuleContext): boolean {
  return ctx.module.language === 'typescript' || ctx.module.language === 'javascript';
}

/** The reduction's axis is the literal -1 (the last axis). */
function isLastAxis(r: ReduceCall): boolean {
  return !!r.axis && literalNumber(r.axis.value) === -1;
}

function isLog(e: Expr, ctx: RuleContext): boolean {
  const x = unparen(e);
  return x.k === 'call' && logOperand(x, ctx) !== undefined;
}

function isDim1(r: ReduceCall): boolean {
  return !!r.axis && literalNumber(r.axis.value) === 1;
}

/** The softmax is over dim 1 (the class dimension of F.cross_entropy), written as a literal. */
function softmaxDimIs1(p: NonNullable<Extract<ReturnType<RuleContext['value']>, { t: 'tensor' }>['producer']>, ctx: RuleContext): boolean {
  void ctx;
  const spec = p.spec;
  if (!spec || (spec.role !== 'activation' && spec.role !== 'activation-class') || !spec.dim) return false;
  const where = p.via === 'module' ? p.ctor : p.call;
  if (!where) return false;
  const a = argument(where.args, spec.dim.name, spec.dim.pos);
  return !!a && literalNumber(a.value) === 1;
}
