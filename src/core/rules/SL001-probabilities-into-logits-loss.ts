// SL001: softmax/sigmoid output passed where a loss expects logits.
import { ruleMeta } from './catalogue';
import { mayMisfeedLoss } from './shared/gates';
import { defineRule } from './rule';
import { kindLabel, lossCall, lossLabel } from './shared/loss';
import { inputAt, isDirect } from './shared/producer';
import { isScript, tfjsName } from './shared/script';

export default defineRule('SL001', ruleMeta('SL001'), {
  only: { call: mayMisfeedLoss },
  call(call, ctx) {
    const loss = lossCall(call, ctx);
    if (!loss) return;
    for (const a of loss.args) {
      const v = a.value;
      if (a.expected !== 'logits' || v.t !== 'tensor' || !v.producer) continue;
      if (v.kind !== 'prob-softmax' && v.kind !== 'prob-sigmoid') continue;
      const p = v.producer;
      if (p.via === 'model') continue; // SL002 reports models whose output is already probabilities
      const act = v.kind === 'prob-softmax' ? 'softmax' : 'sigmoid';
      const inner = isScript(ctx) ? (act === 'softmax' ? tfjsName.logSoftmax : tfjsName.logSigmoid) : act === 'softmax' ? 'log_softmax' : 'logsigmoid';
      const name = lossLabel(loss, ctx);
      const fromLogits = loss.fromLogits === true ? ' (from_logits=True)' : '';
      const message =
        `\`${name}\`${fromLogits} expects logits but receives ${kindLabel(v.kind)}: it applies ${inner} itself, ` +
        `so the ${act} is applied twice and the loss and its gradients are wrong; pass the logits.`;
      // Point at the softmax when it is elsewhere (a variable, a helper); inline, the finding is on it.
      const related = isDirect(a.arg.value, p) ? [] : [{ message: `${act} applied here`, span: { s: p.call.s, e: p.call.e } }];
      const logits = inputAt(a.arg.value, p, ctx);
      const span = { s: a.arg.value.s, e: a.arg.value.e };
      const fix =
        logits !== undefined && !ctx.dropsComment(span, p.input && p.call === a.arg.value ? [p.input] : [])
          ? { applicability: 'safe' as const, message: `Pass the logits \`${logits}\` to \`${name}\``, edits: [{ ...span, content: logits }] }
          : undefined;
      ctx.report({ code: 'SL001', message, span, fix, related });
    }
  },
});
