// Public surface of the core, for the CLI, the extension and other embedders.
export * from './types';
export { Engine, type CheckOptions } from './engine';
export { EditSession } from './incremental';
export { Parsers, type WasmLoader, type GrammarName } from './parser';
export { catalogue, ruleMeta, ruleUrl } from './rules/catalogue';
export { renderMarkdown, renderError, type HoverData, type HoverError, type EvalOptions, type EvalLimits } from './eval';
