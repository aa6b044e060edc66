// What the formatters read: each checked file's final text and its findings, plain data.
import type { Finding } from '../../core/types';
import { LineIndex } from '../../core/fix/text';
import type { Style } from '../color';

export interface FileResult {
  /** Absolute path. */
  path: string;
  /** Relative to the cwd when inside it. */
  display: string;
  /** The text the findings' ranges point into (after fixes, when fixes were applied). */
  text: string;
  findings: Finding[];
}

export interface FormatContext {
  cwd: string;
  style: Style;
  /** --unsafe-fixes was given: unsafe fixes count as available. */
  unsafeFixes: boolean;
  version: string;
}

export type OutputFormat = 'full' | 'concise' | 'json' | 'sarif' | 'github';
export const OUTPUT_FORMATS: readonly string[] = ['full', 'text', 'concise', 'json', 'sarif', 'github'];

/** 1-based row and code-point column, as Ruff's JSON and SARIF count them. */
export interface Location {
  column: number;
  row: number;
}

const indexes = new WeakMap<FileResult, LineIndex>();

export function lineIndex(file: FileResult): LineIndex {
  let idx = indexes.get(file);
  if (!idx) indexes.set(file, (idx = new LineIndex(file.text)));
  return idx;
}

/** Keys in Ruff's order (column, row): JSON output is compared as text by some tools. */
export function location(file: FileResult, offset: number): Location {
  const { row, column } = lineIndex(file).codePointLocation(offset);
  return { column, row };
}

/** Findings of all files in output order: by file, then position, then code. */
export function sortedFindings(files: readonly FileResult[]): { file: FileResult; finding: Finding }[] {
  const out: { file: FileResult; finding: Finding }[] = [];
  for (const file of files) {
    const fs = [...file.findings].sort((a, b) => a.range.startOffset - b.range.startOffset || a.range.endOffset - b.range.endOffset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    for (const finding of fs) out.push({ file, finding });
  }
  return out;
}
