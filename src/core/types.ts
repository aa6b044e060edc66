// Plain data shared by the core and its adapters. Nothing here depends on an editor or on Node.

/** A position in a text: 0-based line, 0-based UTF-16 column (what VS Code and tree-sitter use). */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range, with both the line/column form and the UTF-16 offsets into the text. */
export interface Range {
  start: Position;
  end: Position;
  startOffset: number;
  endOffset: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** `safe`: same meaning, applied by `--fix`. `unsafe`: changes behaviour a user must confirm. */
export type Applicability = 'safe' | 'unsafe';

/** Replace text[startOffset, endOffset) with `content`. */
export interface TextEdit {
  range: Range;
  content: string;
}

export interface Fix {
  applicability: Applicability;
  /** Imperative title, e.g. "Pass the logits to `cross_entropy`". */
  message: string;
  edits: TextEdit[];
}

export interface RelatedInformation {
  message: string;
  range: Range;
  /** Another file, for cross-file flows; absent means the same file. */
  path?: string;
}

export interface Finding {
  code: RuleCode;
  name: string;
  message: string;
  severity: Severity;
  range: Range;
  fix: Fix | null;
  related: RelatedInformation[];
  url: string;
  /** 0-based line where a `# noqa` for this finding goes. */
  noqaLine: number;
}

export type RuleCode =
  | 'SL001'
  | 'SL002'
  | 'SL003'
  | 'SL004'
  | 'SL005'
  | 'SL006'
  | 'SL007'
  | 'SL008'
  | 'SL009'
  | 'SL010';

export interface RuleMeta {
  code: RuleCode;
  /** kebab-case, says what is flagged (never the fix). */
  name: string;
  /** One sentence, used in docs, settings and SARIF. */
  summary: string;
  defaultSeverity: Severity;
  /** `none`: the rule never fixes; otherwise the best applicability it offers. */
  fixable: 'none' | 'sometimes';
}

/** Effective per-file settings after config files and flags are merged. */
export interface Settings {
  /** Rule codes or prefixes ("SL", "SL00") to enable; empty = all. */
  select: string[];
  /** Rule codes or prefixes to disable. */
  ignore: string[];
  /** Per-rule severity overrides; "off" disables. */
  severity: Partial<Record<RuleCode, Severity | 'off'>>;
}

export const defaultSettings: Settings = { select: [], ignore: [], severity: {} };

/** Problems the analysis met but survived (parse errors, limits). */
export interface AnalysisNote {
  kind: 'syntax-error' | 'limit' | 'internal-error';
  message: string;
  range?: Range;
}

export interface CheckResult {
  findings: Finding[];
  notes: AnalysisNote[];
  /** False when a prefilter showed no rule could fire and the file was not parsed. */
  parsed: boolean;
}
