// Hover evaluation: constant propagation and a bounded interpreter over the analysis model, with
// values from the numeric kernel. Pure: no Node built-ins, no vscode.
export { hoverAt, type HoverData, type HoverError } from './hover';
export { renderMarkdown, renderError } from './markdown';
export { DEFAULT_LIMITS as DEFAULT_EVAL_LIMITS, literalsTooLarge, sourceTooLarge, type EvalLimits } from './limits';
export type { EvalOptions } from './evaluate';
export type { Comparison, Side } from './naive';
export type { DoubleSoftmax } from './double-softmax';
export type { Table } from './table';
export type { PlainValue } from './present';
export { jsonNumber } from './format';
export { lowerForEval, scanNumericLists, type Scanned, type TextRange } from './prepare';
