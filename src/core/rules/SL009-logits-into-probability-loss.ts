// SL009: raw logits where a loss expects probabilities or log-probabilities.
import type { Producer, TensorValue } from '../analysis/values';
import { unparen, type Span } from '../ir';
import { lookupApi, type LossFamily } from '../knowledge';
import { ruleMeta } from './catalogue';
import { mayMisfeedLoss } from './shared/gates';
import { defineRule, type FixData, type RuleContext } from './rule';
import { kindLabel, lossCall, lossLabel, type LossCall } from './shared/loss';
import { compileLoss, ctorIsExclusive, modelName, producerIsCertain, setKeyword } from './shared/model-output';
import { swapToTwin } from './shared/SL008-swap-loss';
import { isScript, tfjsName } from './shared/script';

/** Keras `compile(loss='...')` strings → the loss class that takes `from_logits`. */
const kerasLossClass: Record<string, string> = {
  sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
  categorical_crossentropy: 'CategoricalCrossentropy',
  binary_crossentropy: 'BinaryCrossentropy',
};

export default defineRule('SL009', ruleMeta('SL009'), {
  only: { call: mayMisfeedLoss },
  call(call, ctx) {
    const compiled = compileLoss(call, ctx);
    if (compiled) {
      const out = compiled.output;
      if (compiled.fromLogits || out.kind !== 'logits' || !out.producer) return;
      const label = compiled.form === 'string' ? `'${compiled.api}'` : ctx.source(compiled.ctor?.fn ?? compiled.lossArg.value);
      const what = "the model's last layer has no activation, so the model outputs logits";
      let fix: FixData | undefined;
      const lossExpr = compiled.lossArg.value;
      if (isScript(ctx)) {
        const message = tfjsMessage(label, what, compiled.family, compiled.api, true);
        if (compiled.form === 'string') fix = logitsLossFunction(lossExpr, compiled.family, compiled.api, label, ctx);
        ctx.report({ code: 'SL009', message, span: { s: compiled.lossArg.s, e: compiled.lossArg.e }, fix, related: related(out.producer, true) });
        return;
      }
      const message = kerasMessage(label, what);
      if (compiled.form === 'string') {
        const cls = kerasLossClass[compiled.api];
        const name = cls && kerasName(`tensorflow.keras.losses.${cls}`, ctx);
        if (name && !ctx.dropsComment(lossExpr)) {
          const text = `${name}(from_logits=True)`;
          fix = { applicability: 'safe', message: `Use \`${text}\``, edits: [{ s: lossExpr.s, e: lossExpr.e, content: text }] };
        }
      } else if (compiled.form === 'instance' && compiled.ctor && ctorIsExclusive(compiled.ctor, lossExpr, ctx)) {
        fix = setFromLogits(compiled.ctor, compiled.api, label, ctx);
      }
      ctx.report({ code: 'SL009', message, span: { s: compiled.lossArg.s, e: compiled.lossArg.e }, fix, related: related(out.producer, true) });
      return;
    }
    const loss = lossCall(call, ctx);
    if (!loss) return;
    for (const a of loss.args) {
      const v = a.value;
      if ((a.expected !== 'prob' && a.expected !== 'logprob') || v.t !== 'tensor' || v.kind !== 'logits' || !v.producer) continue;
      const p = v.producer;
      if (p.via === 'model' && !producerIsCertain(p, call, ctx)) continue;
      const label = lossLabel(loss, ctx);
      const source = p.via === 'model' ? `the output of ${modelName(p, ctx)}, which ends in a linear layer` : `the raw output of \`${apiLabel(p)}\``;
      const span = { s: a.arg.value.s, e: a.arg.value.e };
      if (isScript(ctx)) {
        ctx.report({ code: 'SL009', message: tfjsMessage(label, `receives ${source} (logits)`, loss.family, loss.api, false), span, related: related(p) });
        continue;
      }
      const message = loss.framework === 'keras' ? kerasMessage(label, `receives ${source} (logits)`) : torchMessage(label, loss.family, a.expected, source);
      ctx.report({ code: 'SL009', message, span, fix: buildFix(loss, a.arg.value, v, ctx), related: related(p) });
    }
  },
});

function torchMessage(label: string, family: LossFamily, expected: string, source: string): string {
  const base = `\`${label}\` expects ${kindLabel(expected)} but receives ${source} (logits): `;
  switch (family) {
    case 'nll':
      return base + 'it returns -input[y] = -z_y, which is unbounded below, so training drives the logit up instead of minimising -log softmax(z)_y; use cross_entropy on the logits (= nll_loss(log_softmax(z))).';
    case 'kl':
      return base + 'it computes sum(target * (log target - z)), which is not a KL divergence and is unbounded below; apply log_softmax to the logits first.';
    default:
      return base + 'it takes log(z) and log(1 - z), which PyTorch rejects outside [0, 1] and misreads inside it; use the with-logits loss (= BCE of sigmoid(z), computed stably).';
  }
}

function kerasMessage(label: string, what: string): string {
  return (
    `\`${label}\` expects probabilities (from_logits=False) but ${what}: Keras treats the logits as probabilities and clips them ` +
    'into [1e-7, 1 - 1e-7] before the log, so the loss is not the cross-entropy of softmax(z) (or sigmoid(z)) and clipped values get no gradient; use the loss with from_logits=True.'
  );
}

/**
 * TF.js wording: the Layers API's losses ('categoricalCrossentropy', tf.metrics.*) take probabilities
 * and have no from_logits switch; the losses on logits are tf.losses.softmaxCrossEntropy and
 * tf.losses.sigmoidCrossEntropy (there is no sparse one).
 */
function tfjsMessage(label: string, what: string, family: LossFamily, api: string, compiled: boolean): string {
  const binary = family === 'bce' || family === 'bce-logits';
  const sparse = /sparse/i.test(api);
  const act = binary ? 'sigmoid' : 'softmax';
  const remedy = compiled
    ? sparse
      ? `end the model with activation: 'softmax' (TF.js has no sparse cross-entropy on logits)`
      : `pass ${binary ? tfjsName.sigmoidCrossEntropy : tfjsName.softmaxCrossEntropy}, which takes logits, as the loss, or end the model with activation: '${act}'`
    : `use ${binary ? tfjsName.sigmoidCrossEntropy : tfjsName.softmaxCrossEntropy} on the logits, or apply tf.${act} first`;
  return (
    `\`${label}\` expects probabilities but ${what}: the Layers API treats the logits as probabilities and clips them ` +
    `into [1e-7, 1 - 1e-7] before the log, so the loss is not the cross-entropy of softmax(z) (or sigmoid(z)) and clipped values get no gradient; ${remedy}.`
  );
}

/**
 * TF.js `model.compile({loss: 'categoricalCrossentropy'})` on a linear model → `tf.losses.softmaxCrossEntropy`
 * (binary: `tf.losses.sigmoidCrossEntropy`), which takes the logits. Unsafe: it returns the batch mean
 * instead of one loss per sample, so sample weights given to fit() no longer weight each sample.
 */
function logitsLossFunction(lossExpr: Parameters<typeof unparen>[0], family: LossFamily, api: string, label: string, ctx: RuleContext): FixData | undefined {
  if (/sparse/i.test(api) || ctx.dropsComment(lossExpr)) return undefined;
  const name = ctx.imports.nameFor(family === 'ce' ? 'tfjs.losses.softmaxCrossEntropy' : 'tfjs.losses.sigmoidCrossEntropy');
  if (!name) return undefined;
  return {
    applicability: 'unsafe',
    message: `Use \`${name}\` (logits) instead of \`${label}\` (it returns the batch mean: sample weights no longer apply per sample)`,
    edits: [{ s: lossExpr.s, e: lossExpr.e, content: name }],
  };
}

function apiLabel(p: Producer): string {
  const api = p.api ?? '';
  if (api.startsWith('torch.nn.functional.')) return `F.${api.slice('torch.nn.functional.'.length)}`;
  if (api.startsWith('torch.nn.')) return `nn.${api.slice('torch.nn.'.length)}`;
  return api.split('.').pop() ?? api;
}

function related(p: Producer, compiled = false): { message: string; span: Span }[] {
  const at = p.via === 'model' && p.ctor && p.call === p.ctor ? p.ctor : p.call;
  const where = compiled ? " (the model's last layer)" : p.via === 'model' ? (p.description && p.description !== 'the last layer' ? ` in \`${p.description}\`` : " (the model's last layer)") : '';
  return [{ message: `logits produced here${where}`, span: { s: at.s, e: at.e } }];
}

function buildFix(loss: LossCall, arg: Parameters<typeof unparen>[0], v: TensorValue, ctx: RuleContext): FixData | undefined {
  if (loss.framework === 'keras') {
    // tf.keras.losses.X()(y, z) / X(y, z) → from_logits=True on the instance or the call.
    if (loss.style === 'instance') {
      if (!loss.ctor || !ctorIsExclusive(loss.ctor, loss.call.fn, ctx)) return undefined;
      return setFromLogits(loss.ctor, loss.api, lossLabel(loss, ctx), ctx);
    }
    return setFromLogits(loss.call, loss.api, lossLabel(loss, ctx), ctx);
  }
  if (loss.framework !== 'torch' || loss.family === 'kl') return undefined;
  // NLL → cross_entropy and BCELoss → BCEWithLogitsLoss: the same arguments, the logits as they are.
  const swap = swapToTwin(loss, ctx);
  if (swap) return { applicability: 'safe', message: `Use \`${swap.text}\`, which takes logits`, edits: swap.edits };
  if (loss.family !== 'nll' || v.producer?.derived) return undefined;
  // A shared NLLLoss instance: wrap this argument instead. dim=1 is NLL's class dimension for batched
  // input; an unbatched (C,) input would need dim=0, hence unsafe.
  const name = ctx.imports.nameWithImport('torch.nn.functional.log_softmax');
  if (!name) return undefined;
  const text = `${name.text}(${ctx.source(arg)}, dim=1)`;
  return { applicability: 'unsafe', message: `Pass \`${text}\` (assumes the class dimension is 1)`, edits: [...name.edits, { s: arg.s, e: arg.e, content: text }] };
}

function setFromLogits(where: Parameters<typeof setKeyword>[0], api: string, label: string, ctx: RuleContext): FixData | undefined {
  const spec = lookupApi(api);
  const pos = spec && (spec.role === 'loss' || spec.role === 'loss-class') ? spec.fromLogits?.pos : undefined;
  const edit = setKeyword(where, 'from_logits', 'True', pos, ctx);
  return edit ? { applicability: 'safe', message: `Set \`from_logits=True\` on \`${label}\``, edits: [edit] } : undefined;
}

/** How the file names a Keras API: its tensorflow/keras imports, including a bare `import keras`. */
function kerasName(qname: string, ctx: RuleContext): string | undefined {
  const direct = ctx.imports.nameFor(qname);
  if (direct) return direct;
  const rest = qname.slice('tensorflow.keras.'.length);
  for (const s of ctx.module.body) {
    if (s.k !== 'import') continue;
    for (const n of s.names) if (n.module === 'keras') return `${n.asname ?? 'keras'}.${rest}`;
  }
  return undefined;
}
