// SL002: a model whose output is already softmax/sigmoid, trained with a loss that expects logits.
import type { CallExpr, Producer, TensorValue } from '../analysis/values';
import { argument, unparen, type Expr, type Span, type Stmt } from '../ir';
import { ruleMeta } from './catalogue';
import { mayMisfeedLoss } from './shared/gates';
import { defineRule, type FixData, type RuleContext } from './rule';
import { lossCall, lossLabel } from './shared/loss';
import {
  activationSpan,
  compileLoss,
  ctorIsExclusive,
  modelAtSite,
  modelName,
  parentCall,
  producerIsCertain,
  removeArgument,
  walkStmts,
} from './shared/model-output';
import type { LossFamily } from '../knowledge';
import { isScript, tfjsName } from './shared/script';

export default defineRule('SL002', ruleMeta('SL002'), {
  only: { call: mayMisfeedLoss },
  call(call, ctx) {
    const compiled = compileLoss(call, ctx);
    if (compiled) {
      const out = compiled.output;
      if (!compiled.fromLogits || !isProb(out) || !out.producer) return;
      const p = out.producer;
      const label = compiled.form === 'instance' ? ctx.source(compiled.ctor?.fn ?? compiled.lossArg.value) : ctx.source(compiled.lossArg.value);
      const script = isScript(ctx);
      const fix = script
        ? compiled.form === 'function' && matches(compiled.family, out)
          ? probabilityLossString(compiled.lossArg.value, compiled.family, label, ctx)
          : undefined
        : compiled.ctor && matches(compiled.family, out) && ctorIsExclusive(compiled.ctor, compiled.lossArg.value, ctx)
        ? dropFromLogits(compiled.ctor, label, ctx)
        : undefined;
      const m = ctx.value(unparen(call.fn).k === 'attr' ? (unparen(call.fn) as { obj: Expr }).obj : call.fn);
      const name = m.t === 'object' ? `\`${m.cls.def.name}\`` : 'the model';
      const where = m.t === 'object' && m.cls.callMethod ? { ...p, description: `${m.cls.def.name}.${m.cls.callMethod}` } : p;
      const text = script ? scriptMessage(label, out, name, compiled.family) : message(label, out, name, true);
      ctx.report({ code: 'SL002', message: text, span: span(compiled.lossArg), fix, related: related(where, out) });
      return;
    }
    const loss = lossCall(call, ctx);
    if (!loss) return;
    for (const a of loss.args) {
      const v = a.value;
      if (a.expected !== 'logits' || !isProb(v) || !v.producer || v.producer.via !== 'model') continue;
      const p = v.producer;
      if (!producerIsCertain(p, call, ctx)) continue;
      const label = lossLabel(loss, ctx);
      let fix: FixData | undefined;
      if (matches(loss.family, v)) {
        if (loss.fromLogits === true) {
          const where = loss.style === 'instance' ? loss.ctor : call;
          const exclusive = loss.style === 'function' || (loss.ctor !== undefined && ctorIsExclusive(loss.ctor, call.fn, ctx));
          if (where && exclusive) fix = dropFromLogits(where, label, ctx);
        } else if (v.framework === 'torch' && !p.derived) fix = dropFinalActivation(p, v, ctx);
      }
      const text = isScript(ctx) ? scriptMessage(label, v, modelName(p, ctx)) : message(label, v, modelName(p, ctx), loss.fromLogits === true);
      ctx.report({ code: 'SL002', message: text, span: span(call), fix, related: related(p, v) });
    }
  },
});

function isProb(v: { t: string; kind?: string }): v is TensorValue {
  return v.t === 'tensor' && (v.kind === 'prob-softmax' || v.kind === 'prob-sigmoid');
}

/** The loss and the activation belong together (softmax ↔ categorical, sigmoid ↔ binary): a fix keeps the pairing. */
function matches(family: LossFamily, v: TensorValue): boolean {
  return v.kind === 'prob-softmax' ? family === 'ce' : family === 'bce' || family === 'bce-logits';
}

function span(x: Span): Span {
  return { s: x.s, e: x.e };
}

function message(label: string, v: TensorValue, model: string, fromLogits: boolean): string {
  const softmax = v.kind === 'prob-softmax';
  const act = softmax ? 'softmax' : 'sigmoid';
  const flag = fromLogits ? ' (from_logits=True)' : '';
  const math = softmax
    ? 'the loss applies log_softmax again and computes the cross-entropy of softmax(softmax(z)), squashed toward log(C) with vanishing gradients'
    : 'the loss applies logsigmoid again and computes the binary cross-entropy of sigmoid(sigmoid(z)), which cannot approach 0 and has vanishing gradients';
  const remedy = fromLogits ? 'drop from_logits=True, or have the model return logits' : `have the model return logits and apply ${act} only for predictions`;
  return `\`${label}\`${flag} expects logits but ${model} already applies ${act} to its output: ${math}; ${remedy}.`;
}

/**
 * TF.js wording: its losses have no from_logits switch. In `model.compile({loss})` the Layers API's
 * string losses ('categoricalCrossentropy', 'binaryCrossentropy') are the ones that take probabilities.
 */
function scriptMessage(label: string, v: TensorValue, model: string, compiledFamily?: LossFamily): string {
  const softmax = v.kind === 'prob-softmax';
  const act = softmax ? 'softmax' : 'sigmoid';
  const math = softmax
    ? `the loss applies ${tfjsName.logSoftmax} again and computes the cross-entropy of softmax(softmax(z)), squashed toward log(C) with vanishing gradients`
    : `the loss applies ${tfjsName.logSigmoid} again and computes the binary cross-entropy of sigmoid(sigmoid(z)), which cannot approach 0 and has vanishing gradients`;
  const remedy =
    compiledFamily === undefined
      ? `have the model return logits and apply ${act} only for predictions`
      : `use loss: '${softmax ? 'categoricalCrossentropy' : 'binaryCrossentropy'}', which takes probabilities, or drop the final ${act} from the model`;
  return `\`${label}\` expects logits but ${model} already applies ${act} to its output: ${math}; ${remedy}.`;
}

/**
 * TF.js `model.compile({loss: tf.losses.softmaxCrossEntropy})` on a softmax model → the Layers API's
 * `'categoricalCrossentropy'` (sigmoid: `'binaryCrossentropy'`), the same loss on probabilities: the
 * batch mean of the per-sample cross-entropy, as tf.losses' default reduction computes it.
 */
function probabilityLossString(lossExpr: Expr, family: LossFamily, label: string, ctx: RuleContext): FixData | undefined {
  const name = family === 'ce' ? 'categoricalCrossentropy' : family === 'bce-logits' ? 'binaryCrossentropy' : undefined;
  const e = unparen(lossExpr);
  if (!name || ctx.dropsComment(e)) return undefined;
  return { applicability: 'safe', message: `Use \`'${name}'\` (probabilities) instead of \`${label}\` (logits)`, edits: [{ s: e.s, e: e.e, content: `'${name}'` }] };
}

function related(p: Producer, v: TensorValue): { message: string; span: Span }[] {
  const where = p.description && p.description !== 'the last layer' && !p.description.includes('predict') ? ` in \`${p.description}\`` : " (the model's last layer)";
  const act = v.kind === 'prob-sigmoid' ? 'sigmoid' : 'softmax';
  return [{ message: `${act} applied here${where}`, span: activationSpan(p) }];
}

/** Keras: remove `from_logits=True` from the loss (the same model, now with the loss that expects probabilities). */
function dropFromLogits(where: CallExpr, label: string, ctx: RuleContext): FixData | undefined {
  const a = argument(where.args, 'from_logits', undefined);
  if (!a) return undefined;
  const edit = removeArgument(where, a, ctx);
  if (!edit) return undefined;
  return { applicability: 'safe', message: `Remove \`from_logits=True\` from \`${label}\``, edits: [edit] };
}

/**
 * torch: drop the final softmax/sigmoid from the model (unsafe: callers of the model now get logits).
 * `return F.softmax(self.fc(x), dim=1)` in forward → `return self.fc(x)`; the last `nn.Softmax(dim=1)` of an
 * `nn.Sequential(...)` argument list → removed with its comma.
 */
function dropFinalActivation(p: Producer, v: TensorValue, ctx: RuleContext): FixData | undefined {
  const act = v.kind === 'prob-softmax' ? 'softmax' : 'sigmoid';
  const note = `(unsafe: code that calls the model for probabilities now receives logits and must apply ${act} itself)`;
  const model = modelAtSite(p, ctx);
  if (model?.t === 'container' && p.ctor && p.call === p.ctor) {
    const parent = parentCall(ctx, p.ctor);
    if (!parent || parent.index !== parent.call.args.length - 1 || parent.index === 0) return undefined;
    const pv = ctx.value(parent.call);
    if (pv.t !== 'container' || pv.call !== parent.call || pv.framework !== 'torch') return undefined;
    const edit = removeArgument(parent.call, parent.call.args[parent.index], ctx);
    return edit ? { applicability: 'unsafe', message: `Remove the final \`${ctx.source(p.ctor)}\` from the model ${note}`, edits: [edit] } : undefined;
  }
  if (model?.t !== 'object' || !p.input || !p.spec) return undefined;
  if (p.spec.role !== 'activation' && p.spec.role !== 'activation-class') return undefined;
  // The activation must be the returned expression of the model's own forward (not of a helper it calls).
  const fn = ctx.analysis.functions
    .filter((f) => f.def.s <= p.call.s && p.call.e <= f.def.e)
    .sort((a, b) => a.def.e - a.def.s - (b.def.e - b.def.s))[0];
  if (!fn || !fn.cls || fn.def.name !== model.cls.callMethod || p.description !== `${fn.cls.def.name}.${fn.def.name}`) return undefined;
  let returned = false;
  walkStmts(fn.def.body, (s) => {
    if (s.k === 'return' && s.value && unparen(s.value) === p.call) returned = true;
  });
  if (!returned) return dropReassignment(fn.def.body, p, note, ctx);
  const callSpan = { s: p.call.s, e: p.call.e };
  if (ctx.dropsComment(callSpan, [p.input])) return undefined;
  return {
    applicability: 'unsafe',
    message: `Return the logits from \`${p.description}\` ${note}`,
    edits: [{ ...callSpan, content: ctx.source(p.input) }],
  };
}

/**
 * `x = self.softmax(x)` directly followed by `return x` at the top of forward's body: delete the
 * assignment line, so `x` is still the logits when it is returned.
 */
function dropReassignment(body: Stmt[], p: Producer, note: string, ctx: RuleContext): FixData | undefined {
  const i = body.findIndex((s) => s.k === 'assign' && !s.op && unparen(s.value) === p.call);
  const s = body[i];
  const next = body[i + 1];
  if (!s || s.k !== 'assign' || s.targets.length !== 1 || !next || next.k !== 'return' || !next.value) return undefined;
  const t = unparen(s.targets[0]);
  const input = p.input && unparen(p.input);
  const ret = unparen(next.value);
  if (t.k !== 'name' || input?.k !== 'name' || input.id !== t.id || ret.k !== 'name' || ret.id !== t.id) return undefined;
  // The whole line: only indentation before the statement, only a newline after it.
  const text = ctx.text;
  let start = s.s;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (start > 0 && text[start - 1] !== '\n') return undefined;
  let end = s.e;
  if (text[end] === '\r') end++;
  if (text[end] !== '\n') return undefined;
  end++;
  if (ctx.dropsComment({ s: start, e: end })) return undefined;
  return { applicability: 'unsafe', message: `Return the logits from \`${p.description}\` ${note}`, edits: [{ s: start, e: end, content: '' }] };
}
