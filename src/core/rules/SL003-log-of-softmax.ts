// SL003: log(softmax(x)) in two steps.
import { unparen } from '../ir';
import type { CallExpr } from '../analysis/values';
import { ruleMeta } from './catalogue';
import { isLogCall, isLogOfProbabilities } from './shared/gates';
import { defineRule, type RuleContext } from './rule';
import { logOperand, mayBeGuardedInPlace } from './shared/expr-shapes';
import { isDirect, logVariantCallee } from './shared/producer';
import { isScript, tfjsName } from './shared/script';

export default defineRule('SL003', ruleMeta('SL003'), {
  only: { call: isLogOfProbabilities, within: isLogCall },
  call(call, ctx) {
    const operand = logOperand(call, ctx);
    if (!operand) return;
    const v = ctx.value(operand);
    if (v.t !== 'tensor' || v.kind !== 'prob-softmax' || v.guarded || !v.producer) return;
    const p = v.producer;
    if (p.via === 'model' || p.via === 'user-function') return; // SL010: the softmax is not here to fuse
    if (mayBeGuardedInPlace(operand, ctx)) return; // np.clip(p, eps, 1, out=p) / p.clamp_(min=eps) before the log
    const message =
      'log(softmax(x)) underflows: softmax rounds small probabilities to 0 and log(0) = -inf; ' +
      (isScript(ctx) ? `${tfjsName.logSoftmax} computes x - logSumExp(x)` : 'log_softmax computes x - logsumexp(x)') +
      ' without ever forming the probabilities.';
    const related = isDirect(operand, p) ? [] : [{ message: 'softmax computed here', span: { s: p.call.s, e: p.call.e } }];
    const fix = buildFix(call, p, operand, ctx);
    ctx.report({ code: 'SL003', message, span: { s: call.s, e: call.e }, fix, related });
    ctx.claim('SL003', { s: call.s, e: call.e });
  },
  priority: 1,
});

function buildFix(call: CallExpr, p: NonNullable<Extract<ReturnType<RuleContext['value']>, { t: 'tensor' }>['producer']>, operand: ReturnType<typeof unparen>, ctx: RuleContext) {
  if (!isDirect(operand, p) || p.derived) return undefined;
  let calleeText: string | undefined;
  let extra: { s: number; e: number; content: string }[] = [];
  let argsText: string;
  if (p.via === 'module') {
    // nn.Softmax(dim=1)(x) → torch.log_softmax(x, dim=1)
    const ctor = p.ctor;
    if (!ctor || !p.input || p.call.args.length !== 1) return undefined;
    const dimArg = ctor.args.find((a) => a.name === 'dim') ?? (ctor.args.length === 1 && !ctor.args[0].name ? ctor.args[0] : undefined);
    if (!dimArg || ctor.args.length !== 1) return undefined;
    const name = ctx.imports.nameWithImport('torch.log_softmax');
    if (!name || p.spec?.framework !== 'torch') return undefined;
    calleeText = name.text;
    extra = name.edits;
    argsText = `(${ctx.source(p.input)}, dim=${ctx.source(dimArg.value)})`;
  } else {
    const callee = logVariantCallee(p, ctx);
    if (!callee) return undefined;
    calleeText = callee.text;
    extra = callee.edits;
    argsText = ctx.source({ s: p.call.argsS, e: p.call.argsE });
  }
  const span = { s: call.s, e: call.e };
  if (ctx.dropsComment(span, [{ s: p.call.argsS, e: p.call.argsE }])) return undefined;
  return {
    applicability: 'safe' as const,
    message: `Use \`${calleeText.split('.').pop()}\``,
    edits: [...extra, { ...span, content: calleeText + argsText }],
  };
}
