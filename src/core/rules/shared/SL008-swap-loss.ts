// Shared by SL008 and SL009: rewrite a torch loss to its fused with-logits twin, keeping every other
// argument (the twins take the same arguments in the same order; the with-logits one accepts more).
//   F.binary_cross_entropy(p, y, weight, size_average, reduce, reduction)
//     → F.binary_cross_entropy_with_logits(z, y, weight, size_average, reduce, reduction[, pos_weight])
//   nn.BCELoss(weight, size_average, reduce, reduction) → nn.BCEWithLogitsLoss(... [, pos_weight])
//   F.nll_loss(x, y, weight, size_average, ignore_index, reduce, reduction)
//     → F.cross_entropy(z, y, weight, size_average, ignore_index, reduce, reduction[, label_smoothing])
//   nn.NLLLoss(weight, size_average, ignore_index, reduce, reduction) → nn.CrossEntropyLoss(...)
import { hasStarArgs, unparen } from '../../ir';
import type { EditSpan, RuleContext } from '../rule';
import type { LossCall } from './loss';
import { ctorIsExclusive } from './model-output';

export const withLogitsTwin: Record<string, string> = {
  'torch.nn.functional.binary_cross_entropy': 'torch.nn.functional.binary_cross_entropy_with_logits',
  'torch.nn.BCELoss': 'torch.nn.BCEWithLogitsLoss',
  'torch.nn.functional.nll_loss': 'torch.nn.functional.cross_entropy',
  'torch.nn.NLLLoss': 'torch.nn.CrossEntropyLoss',
};

/**
 * The edits that make `loss` call the with-logits twin, or undefined when that would change another
 * call (an instance also used elsewhere) or cannot be named cleanly. `text` is the new callee text.
 */
export function swapToTwin(loss: LossCall, ctx: RuleContext): { text: string; edits: EditSpan[] } | undefined {
  const twin = withLogitsTwin[loss.api];
  if (!twin) return undefined;
  const target = loss.style === 'function' ? loss.call.fn : loss.ctor?.fn;
  if (!target) return undefined;
  if (loss.style === 'instance') {
    if (!loss.ctor || hasStarArgs(loss.ctor.args) || !ctorIsExclusive(loss.ctor, loss.call.fn, ctx)) return undefined;
  } else if (hasStarArgs(loss.call.args)) return undefined;
  const fn = unparen(target);
  const leaf = twin.split('.').pop() as string;
  const sameModule = loss.api.split('.').slice(0, -1).join('.') === twin.split('.').slice(0, -1).join('.');
  const name = fn.k === 'attr' && sameModule ? { text: `${ctx.source(fn.obj)}.${leaf}`, edits: [] } : ctx.imports.nameWithImport(twin);
  if (!name) return undefined;
  return { text: name.text, edits: [...name.edits, { s: fn.s, e: fn.e, content: name.text }] };
}
