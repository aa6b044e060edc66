// The rule catalogue: the public contract (codes, names, summaries, default severities).
// Each rule's check lives in its own file next to this one; docs/rules/<CODE>-<name>.md documents it,
// and a test keeps the docs, package.json settings and this table in agreement.
import type { RuleCode, RuleMeta } from '../types';

export const DOCS_BASE_URL = 'https://github.com/stable-loss/stable-loss/blob/main/docs/rules/';

export const catalogue: readonly RuleMeta[] = [
  {
    code: 'SL001',
    name: 'probabilities-into-logits-loss',
    summary: 'Softmax or sigmoid output is passed to a loss that expects logits.',
    defaultSeverity: 'error',
    fixable: 'sometimes',
  },
  {
    code: 'SL002',
    name: 'softmax-model-into-logits-loss',
    summary: 'A model whose output is already softmax or sigmoid is trained with a loss that expects logits.',
    defaultSeverity: 'error',
    fixable: 'sometimes',
  },
  {
    code: 'SL003',
    name: 'log-of-softmax',
    summary: 'The log of a softmax is computed in two steps instead of with log_softmax.',
    defaultSeverity: 'warning',
    fixable: 'sometimes',
  },
  {
    code: 'SL004',
    name: 'log-of-sigmoid',
    summary: 'The log of a sigmoid (or of one minus a sigmoid) is computed in two steps instead of with logsigmoid.',
    defaultSeverity: 'warning',
    fixable: 'sometimes',
  },
  {
    code: 'SL005',
    name: 'naive-cross-entropy',
    summary: 'Cross-entropy is written by hand as the negative sum of targets times the log of unguarded probabilities.',
    defaultSeverity: 'warning',
    fixable: 'sometimes',
  },
  {
    code: 'SL006',
    name: 'unstable-softmax',
    summary: 'Softmax or log-sum-exp is computed from exp(x) without subtracting the maximum.',
    defaultSeverity: 'warning',
    fixable: 'sometimes',
  },
  {
    code: 'SL007',
    name: 'probabilities-into-nll-loss',
    summary: 'Softmax output is passed to NLL loss, which expects log-probabilities.',
    defaultSeverity: 'error',
    fixable: 'sometimes',
  },
  {
    code: 'SL008',
    name: 'sigmoid-into-bce',
    summary: 'Sigmoid output is passed to binary cross-entropy instead of giving the logits to the with-logits loss.',
    defaultSeverity: 'warning',
    fixable: 'sometimes',
  },
  {
    code: 'SL009',
    name: 'logits-into-probability-loss',
    summary: 'Raw logits are passed where probabilities or log-probabilities are expected.',
    defaultSeverity: 'error',
    fixable: 'sometimes',
  },
  {
    code: 'SL010',
    name: 'log-of-raw-probabilities',
    summary: 'The log is taken of probabilities that can be exactly zero, with no clip or epsilon.',
    defaultSeverity: 'warning',
    fixable: 'none',
  },
];

export function ruleMeta(code: RuleCode): RuleMeta {
  const m = catalogue.find((r) => r.code === code);
  if (!m) throw new Error(`unknown rule ${code}`);
  return m;
}

export function ruleUrl(meta: RuleMeta): string {
  return `${DOCS_BASE_URL}${meta.code}-${meta.name}.md`;
}
