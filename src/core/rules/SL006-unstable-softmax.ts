// SL006: softmax or log-sum-exp computed from exp(x) without subtracting the maximum.
import { unparen, type Expr } from '../ir';
import type { Framework } from '../knowledge';
import type { CallExpr } from '../analysis/values';
import { ruleMeta } from './catalogue';
import { defineRule, type BinopExpr, type EditSpan, type FactContext, type FixData, type RuleContext } from './rule';
import { enclosingFunctionBody } from './shared/producer';
import { asOperator, expCall, forEachExprInScope, isPureProduct, isTrue, logOperand, mayBeShifted, reduceCall, type ExpCall, type ReduceCall } from './shared/expr-shapes';
import { isScript } from './shared/script';

/** The library softmax / logsumexp per framework, for messages. */
const softmaxName: Partial<Record<Framework, string>> = {
  numpy: 'scipy.special.softmax',
  torch: 'torch.softmax',
  tensorflow: 'tf.nn.softmax',
  jax: 'jax.nn.softmax',
  tfjs: 'tf.softmax',
};
const logsumexpName: Partial<Record<Framework, string>> = {
  numpy: 'scipy.special.logsumexp',
  torch: 'torch.logsumexp',
  tensorflow: 'tf.math.reduce_logsumexp',
  jax: 'jax.nn.logsumexp',
  tfjs: 'tf.logSumExp',
};
/** The max reduction a fix inserts, and its keyword names. */
const maxOf: Partial<Record<Framework, { qname: string; axis: string; keep: string }>> = {
  numpy: { qname: 'numpy.max', axis: 'axis', keep: 'keepdims' },
  torch: { qname: 'torch.amax', axis: 'dim', keep: 'keepdim' },
  tensorflow: { qname: 'tensorflow.math.reduce_max', axis: 'axis', keep: 'keepdims' },
  jax: { qname: 'jax.numpy.max', axis: 'axis', keep: 'keepdims' },
};

export default defineRule('SL006', ruleMeta('SL006'), {
  only: {
    binop: (e, facts) => e.op === '/' && isHandwrittenSoftmax(e, facts),
    call: (call, facts) => isHandwrittenSoftmax(call, facts) || isLogOfSumOfExp(call, facts),
  },
  binop(e, ctx) {
    if (e.op !== '/') return;
    handwrittenSoftmax(e, e, ctx);
  },
  call(call, ctx) {
    // TF.js: tf.div(tf.exp(x), tf.sum(tf.exp(x))) / x.exp().div(x.exp().sum()), the division as a call.
    if (isScript(ctx)) {
      const op = asOperator(call, ctx);
      if (op.k === 'binop' && op.op === '/') handwrittenSoftmax(call, op, ctx);
    }
    logSumExp(call, ctx);
  },
});

/** `exp(x) / sum(exp(x))`; `node` is the division as written (a binop, or a TF.js call), `e` its operator view. */
function handwrittenSoftmax(node: Expr, e: BinopExpr, ctx: RuleContext): void {
  if (!isHandwrittenSoftmax(node, ctx)) return;
  const left = ctx.value(e.left);
  if (left.t !== 'tensor' || !left.expOf || unsafeToSkip(left.expOf, ctx)) return;
  if (ctx.isClaimed(e)) return; // inside log(...): SL003 reports the log of this softmax
  const exp = expCallOf(left.expOf, ctx);
  const fw = exp?.framework;
  const lib = (fw && softmaxName[fw]) ?? 'the library softmax';
  const message =
    'exp(x) / sum(exp(x)) is nan when exp overflows (x above 88.7 in float32, 709.8 in float64: inf / inf) ' +
    'or when every exp underflows to 0 (0 / 0); subtracting max(x) first gives the same softmax without either — ' +
    `or use \`${lib}\`.`;
  const related = exp && !(exp.call.s >= e.s && exp.call.e <= e.e) ? [{ message: 'exp computed here', span: { s: exp.call.s, e: exp.call.e } }] : [];
  ctx.report({ code: 'SL006', message, span: { s: e.s, e: e.e }, fix: node === e ? shiftFix(e, ctx) : undefined, related });
}

/** The analysis made `node` (a division, or TF.js's division call) the producer of a hand-written softmax. */
function isHandwrittenSoftmax(node: Expr, facts: FactContext): boolean {
  const v = facts.value(node);
  return v.t === 'tensor' && v.kind === 'prob-softmax' && v.producer?.via === 'handwritten' && v.producer.call.fn === node;
}

/** A log of what the analysis knows to be a sum of exps. */
function isLogOfSumOfExp(call: CallExpr, facts: FactContext): boolean {
  const operand = logOperand(call, facts);
  if (!operand) return false;
  const v = facts.value(operand);
  return v.t === 'tensor' && !!v.sumOfExpOf;
}

/** `log(sum(exp(x)))`. */
function logSumExp(call: CallExpr, ctx: RuleContext): void {
  const operand = logOperand(call, ctx);
  if (!operand) return;
  const v = ctx.value(operand);
  if (v.t !== 'tensor' || !v.sumOfExpOf || unsafeToSkip(v.sumOfExpOf, ctx)) return;
  if (ctx.isClaimed(call)) return;
  const r = reduceCall(operand, ctx);
  const exp = r && expCall(r.input, ctx);
  const fw = (exp ?? expCallOf(v.sumOfExpOf, ctx))?.framework;
  const lib = (fw && logsumexpName[fw]) ?? 'logsumexp';
  const message =
    'log(sum(exp(x))) is inf once any x is above 709.8 (88.7 in float32) and -inf when every x is below about -745 (-104); ' +
    `logsumexp(x) = max(x) + log(sum(exp(x - max(x)))) is finite — use \`${lib}\`.`;
  const fix = r && exp ? (isScript(ctx) ? tfjsLogSumExpFix(call, r, exp, ctx) : logsumexpFix(call, r, exp, ctx)) : undefined;
  ctx.report({ code: 'SL006', message, span: { s: call.s, e: call.e }, fix });
}

/**
 * TF.js: `tf.log(tf.sum(tf.exp(x), axis, keepDims))` / `x.exp().sum(axis).log()` →
 * `tf.logSumExp(x, axis, keepDims)`: the same positional parameters as tf.sum, equal in exact
 * arithmetic (logSumExp subtracts the max inside). Safe; offered when the file names `tf.logSumExp`.
 */
function tfjsLogSumExpFix(call: CallExpr, r: ReduceCall, exp: ExpCall, ctx: RuleContext): FixData | undefined {
  if (r.op !== 'sum' || exp.framework !== 'tfjs' || (r.framework && r.framework !== 'tfjs')) return undefined;
  const rest = r.style === 'function' ? r.call.args.slice(1) : r.call.args;
  if (rest.length > 2 || rest.some((a) => a.name !== undefined || a.star)) return undefined;
  const name = ctx.imports.nameFor('tfjs.logSumExp');
  if (!name) return undefined;
  const span = { s: call.s, e: call.e };
  if (ctx.dropsComment(span, [exp.input, ...rest])) return undefined;
  const args = [ctx.source(exp.input), ...rest.map((a) => ctx.source(a.value))];
  return { applicability: 'safe', message: `Use \`${name}\``, edits: [{ ...span, content: `${name}(${args.join(', ')})` }] };
}

/** Silent when exp's input may already be shifted, or is a log-probability (at most 0, sums to 1). */
function unsafeToSkip(input: Expr, ctx: RuleContext): boolean {
  const iv = ctx.value(input);
  if (iv.t === 'tensor' && (iv.shifted || iv.kind === 'logprob')) return true;
  return mayBeShifted(input, ctx) || startsNegated(input);
}

/**
 * `exp(-x)`, `exp(-0.5 * d ** 2 / s)`: a negated exponent (a Gaussian or exponential kernel, a
 * softmin) cannot overflow, and its normalisation is usually not a softmax of logits: silent.
 */
function startsNegated(e: Expr): boolean {
  const x = unparen(e);
  if (x.k === 'unary') return x.op === '-';
  if (x.k === 'num') return x.value < 0;
  if (x.k === 'binop' && (x.op === '*' || x.op === '/' || x.op === '@')) return startsNegated(x.left);
  return false;
}

/** The exp call (anywhere in the file) whose input is exactly `input` (the interpreter's `expOf`). */
function expCallOf(input: Expr, ctx: RuleContext): ExpCall | undefined {
  let found: ExpCall | undefined;
  forEachExprInScope(enclosingFunctionBody(ctx.analysis, input) ?? ctx.module.body, (e) => {
    if (found || e.k !== 'call' || e.s > input.s || input.e > e.e) return;
    const x = expCall(e, ctx);
    if (x && x.input === input) found = x;
  });
  return found;
}

/**
 * `np.exp(x) / np.sum(np.exp(x), axis=a, keepdims=True)` → the same with `x - np.max(x, axis=a,
 * keepdims=True)` in both exps: equal in exact arithmetic (the factor exp(-max) cancels), so safe.
 * Only when both exps are written in the division, on the same copyable input, and the sum reduces
 * either everything or one axis with keepdims (otherwise the shift would not cancel per row).
 */
function shiftFix(e: BinopExpr, ctx: RuleContext): FixData | undefined {
  const num = expCall(e.left, ctx);
  const red = reduceCall(e.right, ctx);
  const den = red && red.op === 'sum' ? expCall(red.input, ctx) : undefined;
  if (!num || !red || !den || red.others.length) return undefined;
  if (num.framework !== den.framework || (red.framework && red.framework !== num.framework)) return undefined;
  if (!isPureProduct(num.input) || ctx.source(unparen(num.input)) !== ctx.source(unparen(den.input))) return undefined;
  const max = maxCall(num, red, ctx);
  if (!max) return undefined;
  const x = ctx.source(unparen(num.input));
  const shifted = `${x} - ${max.text}`;
  const edit = (c: ExpCall): EditSpan => (c.style === 'method' ? { s: c.input.s, e: c.input.e, content: `(${shifted})` } : { s: c.input.s, e: c.input.e, content: shifted });
  return {
    applicability: max.edits.length ? 'unsafe' : 'safe',
    message: `Subtract \`${max.text}\` inside the exps`,
    edits: [...max.edits, edit(num), edit(den)],
  };
}

function maxCall(exp: ExpCall, red: ReduceCall, ctx: RuleContext): { text: string; edits: EditSpan[] } | undefined {
  const m = maxOf[exp.framework];
  if (!m) return undefined;
  const axis = red.axis && !(unparen(red.axis.value).k === 'const' && ctx.source(red.axis.value) === 'None') ? red.axis : undefined;
  if (axis && !isTrue(red.keepdims)) return undefined;
  const name = ctx.imports.nameWithImport(m.qname);
  if (!name) return undefined;
  const x = ctx.source(unparen(exp.input));
  const args = axis ? `${x}, ${m.axis}=${ctx.source(axis.value)}, ${m.keep}=True` : x;
  return { text: `${name.text}(${args})`, edits: name.edits };
}

/**
 * `np.log(np.sum(np.exp(x), axis=a))` → `scipy.special.logsumexp(x, axis=a)` (torch: `torch.logsumexp(x, dim=a)`,
 * which needs a dim). Equal in exact arithmetic; safe unless the fix has to add an import
 * (SciPy for a NumPy file: a new dependency).
 */
function logsumexpFix(call: CallExpr, r: ReduceCall, exp: ExpCall, ctx: RuleContext): FixData | undefined {
  if (r.op !== 'sum' || r.others.length) return undefined;
  if (r.framework && r.framework !== exp.framework) return undefined;
  const fw = exp.framework;
  const qname = { numpy: 'scipy.special.logsumexp', torch: 'torch.logsumexp', tensorflow: 'tensorflow.math.reduce_logsumexp', jax: 'jax.nn.logsumexp' }[fw as string];
  if (!qname) return undefined;
  const axisKw = fw === 'torch' ? 'dim' : 'axis';
  const keepKw = fw === 'torch' ? 'keepdim' : 'keepdims';
  if (fw === 'torch' && !r.axis) return undefined; // torch.logsumexp requires dim
  const name = ctx.imports.nameWithImport(qname);
  if (!name) return undefined;
  const span = { s: call.s, e: call.e };
  if (ctx.dropsComment(span, [exp.input])) return undefined;
  const args = [ctx.source(exp.input)];
  if (r.axis) args.push(`${axisKw}=${ctx.source(r.axis.value)}`);
  if (r.keepdims) args.push(`${keepKw}=${ctx.source(r.keepdims.value)}`);
  return {
    applicability: name.edits.length ? 'unsafe' : 'safe',
    message: `Use \`${name.text.split('.').pop()}\``,
    edits: [...name.edits, { ...span, content: `${name.text}(${args.join(', ')})` }],
  };
}
