// SL008: sigmoid output passed to binary cross-entropy instead of the logits to the with-logits loss.
import { ruleMeta } from './catalogue';
import { mayMisfeedLoss } from './shared/gates';
import { defineRule, type FixData } from './rule';
import { lossCall, lossLabel } from './shared/loss';
import { inputAt, isDirect } from './shared/producer';
import { swapToTwin } from './shared/SL008-swap-loss';

export default defineRule('SL008', ruleMeta('SL008'), {
  only: { call: mayMisfeedLoss },
  call(call, ctx) {
    const loss = lossCall(call, ctx);
    if (!loss || loss.family !== 'bce' || loss.framework !== 'torch') return;
    for (const a of loss.args) {
      const v = a.value;
      if (a.expected !== 'prob' || v.t !== 'tensor' || v.kind !== 'prob-sigmoid' || !v.producer) continue;
      const p = v.producer;
      // A model that ends in sigmoid is an architecture choice, fixed in the model (not reported here);
      // a hand-written sigmoid has no call to fuse.
      if (p.via === 'model' || p.via === 'handwritten') continue;
      const label = lossLabel(loss, ctx);
      const twin = loss.style === 'function' ? 'F.binary_cross_entropy_with_logits' : 'nn.BCEWithLogitsLoss';
      const message =
        `\`${label}\` of a sigmoid computes log(sigmoid(z)) in two steps: float32 sigmoid rounds to exactly 1 for z > ~16.6 and to 0 for z < ~-88, ` +
        `where PyTorch clamps the log at -100, so a confidently wrong prediction costs 100 instead of |z| and gets no gradient; ${twin} takes the logits and computes ` +
        `max(z, 0) - z*y + log(1 + exp(-|z|)) exactly.`;
      const related = isDirect(a.arg.value, p) ? [] : [{ message: 'sigmoid applied here', span: { s: p.call.s, e: p.call.e } }];
      let fix: FixData | undefined;
      const logits = v.complement ? undefined : inputAt(a.arg.value, p, ctx);
      const argSpan = { s: a.arg.value.s, e: a.arg.value.e };
      if (logits !== undefined && !ctx.dropsComment(argSpan, p.input && isDirect(a.arg.value, p) ? [p.input] : [])) {
        const swap = swapToTwin(loss, ctx);
        if (swap) {
          fix = {
            applicability: 'safe',
            message: `Use \`${swap.text}\` on the logits \`${logits}\``,
            edits: [...swap.edits, { ...argSpan, content: logits }],
          };
        }
      }
      ctx.report({ code: 'SL008', message, span: argSpan, fix, related });
    }
  },
});
