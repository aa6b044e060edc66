// What the formatters read: each checked file's final text and its findings, plain data.
import type { Finding } from '../../core/types';
import { LineIndex } from '../../core/fix/text';
import type { Style } from '../color';

export interface FileResult {
  /** Absolute path. */
  path: string;
  /** Relative to the cwd when inside it. */
  display: string;
  /** The text the findings' ranges point into (after fixes, when fixes were applied); empty when there are no findings and no notes (`reportFile`). */
  text: string;
  /** Findings; in a notebook each has `cell` and its ranges point into that cell's source. */
  findings: Finding[];
  /** A notebook's cell sources, by cell index. */
  cells?: string[];
}

/** The 0-based notebook cell of a finding, if it has one. */
export function cellOf(f: Finding): number | undefined {
  const c = (f as Finding & { cell?: unknown }).cell;
  return typeof c === 'number' ? c : undefined;
}

/** The text a finding's ranges point into: its cell's source in a notebook, else the file's text. */
export function textOf(file: FileResult, f: Finding): string {
  const c = cellOf(f);
  return c !== undefined && file.cells?.[c] !== undefined ? file.cells[c]! : file.text;
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

const indexes = new WeakMap<FileResult, Map<number, LineIndex>>();

/** The line index of the text `f` points into (the file's, or its notebook cell's). */
export function lineIndex(file: FileResult, f?: Finding): LineIndex {
  let byCell = indexes.get(file);
  if (!byCell) indexes.set(file, (byCell = new Map()));
  const key = f ? (cellOf(f) ?? -1) : -1;
  let idx = byCell.get(key);
  if (!idx) byCell.set(key, (idx = new LineIndex(f ? textOf(file, f) : file.text)));
  return idx;
}

/** Keys in Ruff's order (column, row): JSON output is compared as text by some tools. */
export function location(file: FileResult, offset: number, f?: Finding): Location {
  const { row, column } = lineIndex(file, f).codePointLocation(offset);
  return { column, row };
}

/** Findings of all files in output order: by file, then position, then code. */
export function sortedFindings(files: readonly FileResult[]): { file: FileResult; finding: Finding }[] {
  const out: { file: FileResult; finding: Finding }[] = [];
  for (const file of files) {
    const fs = [...file.findings].sort((a, b) => (cellOf(a) ?? -1) - (cellOf(b) ?? -1) || a.range.startOffset - b.range.startOffset || a.range.endOffset - b.range.endOffset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    for (const finding of fs) out.push({ file, finding });
  }
  return out;
}
