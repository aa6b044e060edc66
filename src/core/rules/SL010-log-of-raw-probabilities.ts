// SL010: the log of probabilities that come from a model or a helper function (so the softmax or
// sigmoid cannot be fused here), with no clip or epsilon.
import { ruleMeta } from './catalogue';
import { isLogCall, isLogOfProbabilities } from './shared/gates';
import { defineRule } from './rule';
import { logOperand, mayBeGuardedInPlace } from './shared/expr-shapes';
import { isScript } from './shared/script';

const logSoftmax: Record<string, string> = {
  torch: '`F.log_softmax`',
  tensorflow: '`tf.nn.log_softmax`',
  keras: '`tf.nn.log_softmax`',
  jax: '`jax.nn.log_softmax`',
  numpy: '`scipy.special.log_softmax`',
  scipy: '`scipy.special.log_softmax`',
  tfjs: '`tf.logSoftmax`',
};
const logSigmoid: Record<string, string> = {
  torch: '`F.logsigmoid`',
  tensorflow: '`tf.math.log_sigmoid`',
  keras: '`tf.math.log_sigmoid`',
  jax: '`jax.nn.log_sigmoid`',
  numpy: '`scipy.special.log_expit`',
  scipy: '`scipy.special.log_expit`',
  tfjs: '`tf.logSigmoid`',
};

export default defineRule('SL010', ruleMeta('SL010'), {
  only: { call: isLogOfProbabilities, within: isLogCall },
  call(call, ctx) {
    const operand = logOperand(call, ctx);
    if (!operand) return;
    const v = ctx.value(operand);
    if (v.t !== 'tensor' || v.guarded || !v.producer) return;
    if (v.kind !== 'prob' && v.kind !== 'prob-softmax' && v.kind !== 'prob-sigmoid') return;
    const p = v.producer;
    // A softmax/sigmoid written here is SL003's/SL004's (they fuse it); a hand-written CE is SL005's.
    if (p.via !== 'model' && p.via !== 'user-function') return;
    if (mayBeGuardedInPlace(operand, ctx)) return; // np.clip(p, eps, 1, out=p) before the log
    const span = { s: call.s, e: call.e };
    if (ctx.isClaimed(span)) return;
    const site = p.site ?? p.call;
    const callee = p.site ? ctx.source(p.site.fn) : '';
    const what = callee && callee.length <= 40 ? `\`${callee}(...)\`` : 'the model';
    // TF.js Layers models carry the keras framework (same semantics): name TF.js's functions there.
    const fw = isScript(ctx) ? 'tfjs' : (p.spec?.framework ?? v.framework ?? 'numpy');
    let message: string;
    if (v.kind === 'prob') {
      message =
        `The log of ${what} probabilities is -inf for every class given probability exactly 0 (trees, k-NN and ` +
        'calibrated classifiers often do); clip them first (`np.clip(p, eps, 1)`) or use log-probabilities the model computes directly.';
    } else if (v.kind === 'prob-sigmoid') {
      message =
        `The log of the sigmoid output of ${what} is -inf once the sigmoid rounds to 0 (a logit below about -88.7 in float32); ` +
        `have it return logits and use ${logSigmoid[fw] ?? '`logsigmoid`'}, or clip the probabilities first.`;
    } else {
      message =
        `The log of the softmax output of ${what} is -inf once a probability underflows to 0 (a logit about 104 below the largest in float32); ` +
        `have it return logits and use ${logSoftmax[fw] ?? '`log_softmax`'}, or clip the probabilities first.`;
    }
    const related = site.s >= call.s && site.e <= call.e ? [] : [{ message: 'probabilities produced here', span: { s: site.s, e: site.e } }];
    ctx.report({ code: 'SL010', message, span, related });
  },
});
