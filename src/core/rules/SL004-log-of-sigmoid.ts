// SL004: log(sigmoid(x)) and log(1 - sigmoid(x)) in two steps.
import { unparen, type Expr } from '../ir';
import type { CallExpr, Producer } from '../analysis/values';
import { ruleMeta } from './catalogue';
import { isLogCall, isLogOfProbabilities } from './shared/gates';
import { defineRule, type FixData, type RuleContext } from './rule';
import { literalNumber, logOperand, mayBeGuardedInPlace, negatedText } from './shared/expr-shapes';
import { isDirect, logVariantCallee } from './shared/producer';
import { isScript } from './shared/script';

/** Stable API per framework, for messages. */
const stableName: Record<string, string> = {
  torch: 'F.logsigmoid',
  tensorflow: 'tf.math.log_sigmoid',
  keras: 'tf.math.log_sigmoid',
  jax: 'jax.nn.log_sigmoid',
  scipy: 'scipy.special.log_expit',
  tfjs: 'tf.logSigmoid',
};

export default defineRule('SL004', ruleMeta('SL004'), {
  only: { call: isLogOfProbabilities, within: isLogCall },
  call(call, ctx) {
    const operand = logOperand(call, ctx);
    if (!operand) return;
    const v = ctx.value(operand);
    if (v.t !== 'tensor' || v.kind !== 'prob-sigmoid' || v.guarded || !v.producer) return;
    const p = v.producer;
    if (p.via === 'model' || p.via === 'user-function') return; // SL010: the sigmoid is not here to fuse
    if (mayBeGuardedInPlace(v.complement ? (complementOf(operand) ?? operand) : operand, ctx)) return; // s.clamp_(min=eps) before the log
    const fw = isScript(ctx) ? 'tfjs' : (p.spec?.framework ?? v.framework ?? 'torch');
    const api = stableName[fw] ?? 'logsigmoid';
    const message = v.complement
      ? `log(1 - sigmoid(x)) is -inf once sigmoid(x) rounds to 1 (x above about 17 in float32, 37 in float64); ` +
        `log(1 - sigmoid(x)) = logsigmoid(-x), which \`${api}\` computes finitely for every finite x.`
      : `log(sigmoid(x)) is -inf once sigmoid(x) rounds to 0 (x below about -88.7 in float32, -709.8 in float64); ` +
        `logsigmoid(x) = -softplus(-x), which \`${api}\` computes finitely for every finite x.`;
    const direct = v.complement ? complementOf(operand) === p.call : isDirect(operand, p);
    const related = direct ? [] : [{ message: 'sigmoid computed here', span: { s: p.call.s, e: p.call.e } }];
    const fix = direct && !p.derived ? buildFix(call, p, !!v.complement, ctx) : undefined;
    ctx.report({ code: 'SL004', message, span: { s: call.s, e: call.e }, fix, related });
    ctx.claim('SL004', { s: call.s, e: call.e });
  },
  priority: 1,
});

/** `1 - P` → P (unparenthesised); anything else → undefined. */
function complementOf(e: Expr): Expr | undefined {
  const x = unparen(e);
  if (x.k !== 'binop' || x.op !== '-' || literalNumber(x.left) !== 1) return undefined;
  return unparen(x.right);
}

function buildFix(call: CallExpr, p: Producer, complement: boolean, ctx: RuleContext): FixData | undefined {
  const input = p.input;
  if (!input) return undefined;
  const c = p.call;
  // Only the plain one-argument forms: sigmoid(x), x.sigmoid(), nn.Sigmoid()(x).
  if (p.via === 'method' ? c.args.length !== 0 : c.args.length !== 1 || c.args[0].star) return undefined;
  let callee: { text: string; edits: { s: number; e: number; content: string }[] } | undefined;
  if (p.via === 'function') callee = logVariantCallee(p, ctx);
  else if ((p.via === 'method' || p.via === 'module') && p.spec?.framework === 'torch') {
    if (p.via === 'module' && p.ctor && p.ctor.args.length !== 0) return undefined;
    callee = ctx.imports.nameWithImport('torch.nn.functional.logsigmoid');
  }
  if (!callee) return undefined;
  const inner = unparen(input);
  if (complement && (inner.k === 'list' || inner.k === 'tuple')) return undefined; // -[...] is not negation
  const arg = complement ? negatedText(inner, ctx) : ctx.source(input);
  const span = { s: call.s, e: call.e };
  if (ctx.dropsComment(span, [input])) return undefined;
  // Negating a value the analysis does not know to be an array may not be possible (a Python list
  // accepted by expit/tf.sigmoid): torch and jax sigmoids only take arrays, so there it is certain.
  const fw = p.spec?.framework;
  const inputIsArray = fw === 'torch' || fw === 'jax' || ctx.value(input).t === 'tensor';
  const leaf = callee.text.split('.').pop();
  return {
    applicability: complement && !inputIsArray ? 'unsafe' : 'safe',
    message: complement ? `Use \`${leaf}\` of the negated input` : `Use \`${leaf}\``,
    edits: [...callee.edits, { ...span, content: `${callee.text}(${arg})` }],
  };
}
