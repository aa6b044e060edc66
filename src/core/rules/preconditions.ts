// Textual preconditions: a rule can only fire on a file whose text matches its precondition, so a
// file matching none of the enabled rules' preconditions is not parsed at all (TorchFix skips files
// that do not mention "torch"; this is the same idea per rule). Each test is a necessary condition —
// a superset of what the rule can find — and test/engine.test.ts checks on every fixture that the
// prefilter changes no result.
import type { RuleCode } from '../types';

/** Every loss a loss rule knows, by a fragment of its name (Python and TF.js spellings). */
const LOSS = /[Cc]ross_?[Ee]ntropy|crossentropy|nll_loss|NLLLoss|BCE|kl_div|KLDiv|with_logits|logLoss|log_loss/;
/**
 * A Keras `compile` whose loss is not named in the file (every loss string and class of the tables
 * matches LOSS): a `compile(` call that is not the regular expression modules' (`re.compile`, in a
 * quarter of the files that match nothing else), or any `compile(` in a file that says `loss`.
 */
const COMPILE = /\.\s*compile\s*\(/;
const OTHER_COMPILE = /(?<!\b(?:re|regex)\s*)\.\s*compile\s*\(/;
const LOSS_WORD = /\bloss\b/;
/** A log call, or a log imported under some name (`from torch import log as ln`). */
const LOG = /\blog\s*\(|\.log\s*\(|\bimport\b[^\n]*\blog\b/;
const EXP = /\bexp\s*\(|\.exp\s*\(|\bimport\b[^\n]*\bexp\b/;
/** Every sum reduction of the tables has "sum" in its name (sum, reduce_sum, tf.sum, x.sum()). */
const SUM = 'sum';
const SOFTMAX = /softmax|Softmax/;
const SIGMOID = /sigmoid|Sigmoid|expit/;
/** Anything that can produce probabilities in this file (models, predict, layers). */
const PRODUCER = /softmax|Softmax|sigmoid|Sigmoid|expit|predict|Dense|dense|Linear|linear|activation/;

export interface PreconditionContext {
  /** Other files can provide probabilities (a project index is in use). */
  project: boolean;
}

/**
 * Each of the tests above at most once per text: the engine asks every enabled rule, and most rules
 * share a test (five rules ask for LOSS), so on a file that matches nothing (most files) each regex
 * would otherwise scan the whole text several times. A cheap substring check comes first where a
 * match needs one (`log`, `exp`): most files fail there without running the regex.
 */
let memoText: string | undefined;
let memo = { loss: -1, log: -1, exp: -1, softmax: -1, sigmoid: -1, producer: -1 };
function test(key: keyof typeof memo, t: string): boolean {
  if (t !== memoText) {
    memoText = t;
    memo = { loss: -1, log: -1, exp: -1, softmax: -1, sigmoid: -1, producer: -1 };
  }
  if (memo[key] < 0) memo[key] = run(key, t) ? 1 : 0;
  return memo[key] === 1;
}
function run(key: keyof typeof memo, t: string): boolean {
  switch (key) {
    case 'loss':
      return LOSS.test(t) || (COMPILE.test(t) && (OTHER_COMPILE.test(t) || LOSS_WORD.test(t)));
    case 'log':
      return t.includes('log') && LOG.test(t);
    case 'exp':
      return t.includes('exp') && EXP.test(t);
    case 'softmax':
      return SOFTMAX.test(t);
    case 'sigmoid':
      return SIGMOID.test(t);
    case 'producer':
      return PRODUCER.test(t);
  }
}

export const preconditions: Record<RuleCode, (text: string, ctx: PreconditionContext) => boolean> = {
  SL001: (t) => test('loss', t),
  SL002: (t) => test('loss', t),
  SL003: (t) => test('log', t) && test('softmax', t),
  SL004: (t) => test('log', t) && test('sigmoid', t),
  SL005: (t) => test('log', t),
  // exp(x) / sum(exp(x)) and log(sum(exp(x))) both need a sum of the exp.
  SL006: (t) => test('exp', t) && t.includes(SUM),
  SL007: (t) => test('loss', t),
  SL008: (t) => test('loss', t),
  SL009: (t) => test('loss', t),
  SL010: (t, c) => test('log', t) && (c.project || test('producer', t)),
};
