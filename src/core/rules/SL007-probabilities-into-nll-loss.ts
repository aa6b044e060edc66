// SL007: softmax probabilities passed to NLL loss, which expects log-probabilities.
import type { Producer } from '../analysis/values';
import { unparen, type Expr } from '../ir';
import { ruleMeta } from './catalogue';
import { mayMisfeedLoss } from './shared/gates';
import { defineRule, type FixData, type RuleContext } from './rule';
import { lossCall, lossLabel } from './shared/loss';
import { modelName, producerIsCertain } from './shared/model-output';
import { inputAt, isDirect, logVariantCallee } from './shared/producer';

export default defineRule('SL007', ruleMeta('SL007'), {
  only: { call: mayMisfeedLoss },
  call(call, ctx) {
    const loss = lossCall(call, ctx);
    if (!loss || loss.family !== 'nll') return;
    for (const a of loss.args) {
      const v = a.value;
      if (a.expected !== 'logprob' || v.t !== 'tensor' || v.kind !== 'prob-softmax' || !v.producer) continue;
      const p = v.producer;
      if (p.via === 'model' && !producerIsCertain(p, call, ctx)) continue;
      const label = lossLabel(loss, ctx);
      const source = p.via === 'model' ? `the output of ${modelName(p, ctx)}, which ends in softmax` : 'softmax probabilities';
      const message =
        `\`${label}\` expects log-probabilities but receives ${source}: it returns -input[y] = -p_y, a number in [-1, 0] ` +
        `instead of -log p_y, so the loss is negative and a confidently wrong prediction (p_y near 0) gets almost no gradient; use log_softmax (or cross_entropy on the logits).`;
      const where = p.via === 'model' ? ` in \`${p.description ?? 'the model'}\`` : '';
      const related = isDirect(a.arg.value, p) ? [] : [{ message: `softmax applied here${where}`, span: { s: p.call.s, e: p.call.e } }];
      const fix = p.via === 'function' || p.via === 'method' || p.via === 'module' ? buildFix(a.arg.value, p, ctx) : undefined;
      ctx.report({ code: 'SL007', message, span: { s: a.arg.value.s, e: a.arg.value.e }, fix, related });
    }
  },
});

/**
 * softmax → log_softmax. When the softmax call is the argument, it is rewritten in place (nothing else
 * sees it). When the argument is a variable holding the softmax, the argument becomes a fresh
 * log_softmax of the same input (the variable keeps its probabilities for other uses), provided the
 * input is not rebound in between and the other arguments are literals.
 */
function buildFix(arg: Expr, p: Producer, ctx: RuleContext): FixData | undefined {
  if (p.derived || !p.input) return undefined;
  if (p.via === 'module') {
    // nn.Softmax(dim=1)(x) → nn.LogSoftmax(dim=1)(x), only for an inline module.
    const ctor = p.ctor;
    if (!ctor || !isDirect(arg, p) || unparen(p.call.fn) !== ctor || p.api !== 'torch.nn.Softmax') return undefined;
    const fn = unparen(ctor.fn);
    const name = fn.k === 'attr' ? { text: `${ctx.source(fn.obj)}.LogSoftmax`, edits: [] } : ctx.imports.nameWithImport('torch.nn.LogSoftmax');
    if (!name) return undefined;
    return { applicability: 'safe', message: `Use \`${name.text}\``, edits: [...name.edits, { s: fn.s, e: fn.e, content: name.text }] };
  }
  const callee = logVariantCallee(p, ctx);
  if (!callee) return undefined;
  const leaf = callee.text.split('.').pop();
  if (isDirect(arg, p)) {
    const fnSpan = unparen(p.call.fn);
    if (ctx.dropsComment({ s: fnSpan.s, e: fnSpan.e })) return undefined;
    return { applicability: 'safe', message: `Use \`${leaf}\``, edits: [...callee.edits, { s: fnSpan.s, e: fnSpan.e, content: callee.text }] };
  }
  // A variable: rebuild the call from the softmax's own arguments.
  if (inputAt(arg, p, ctx) === undefined) return undefined;
  const others = p.call.args.filter((x) => x.value !== p.input);
  if (!others.every((x) => isLiteral(x.value)) || p.call.args.some((x) => x.star)) return undefined;
  const text = callee.text + ctx.source({ s: p.call.argsS, e: p.call.argsE });
  return { applicability: 'safe', message: `Pass \`${text}\``, edits: [...callee.edits, { s: arg.s, e: arg.e, content: text }] };
}

function isLiteral(e: Expr): boolean {
  const x = unparen(e);
  return x.k === 'num' || x.k === 'str' || x.k === 'const' || (x.k === 'unary' && unparen(x.operand).k === 'num');
}
