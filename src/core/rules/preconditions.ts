// Textual preconditions: a rule can only fire on a file whose text matches its precondition, so a
// file matching none of the enabled rules' preconditions is not parsed at all (TorchFix skips files
// that do not mention "torch"; this is the same idea per rule). Each test is a necessary condition —
// a superset of what the rule can find — and test/engine.test.ts checks on every fixture that the
// prefilter changes no result.
import type { RuleCode } from '../types';

/** Every loss a loss rule knows, by a fragment of its name (Python and TF.js spellings). */
const LOSS = /[Cc]ross_?[Ee]ntropy|crossentropy|nll_loss|NLLLoss|BCE|kl_div|KLDiv|with_logits|logLoss|log_loss|\.compile\s*\(/;
/** A log call, or a log imported under some name (`from torch import log as ln`). */
const LOG = /\blog\s*\(|\.log\s*\(|\bimport\b[^\n]*\blog\b/;
const EXP = /\bexp\s*\(|\.exp\s*\(|\bimport\b[^\n]*\bexp\b/;
const SOFTMAX = /softmax|Softmax/;
const SIGMOID = /sigmoid|Sigmoid|expit/;
/** Anything that can produce probabilities in this file (models, predict, layers). */
const PRODUCER = /softmax|Softmax|sigmoid|Sigmoid|expit|predict|Dense|dense|Linear|linear|activation/;

export interface PreconditionContext {
  /** Other files can provide probabilities (a project index is in use). */
  project: boolean;
}

export const preconditions: Record<RuleCode, (text: string, ctx: PreconditionContext) => boolean> = {
  SL001: (t) => LOSS.test(t),
  SL002: (t) => LOSS.test(t),
  SL003: (t) => LOG.test(t) && SOFTMAX.test(t),
  SL004: (t) => LOG.test(t) && SIGMOID.test(t),
  SL005: (t) => LOG.test(t),
  SL006: (t) => EXP.test(t),
  SL007: (t) => LOSS.test(t),
  SL008: (t) => LOSS.test(t),
  SL009: (t) => LOSS.test(t),
  SL010: (t, c) => LOG.test(t) && (c.project || PRODUCER.test(t)),
};
