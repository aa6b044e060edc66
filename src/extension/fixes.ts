// Whole-file fixing for the "Fix all in file" command and the `source.fixAll.stable-loss` action
// turns the core's fixed text (`fixAll` in src/core/fix/apply.ts) into one minimal edit of the
// document, so the cursor and folds away from the change stay put.
import type * as vscode from 'vscode';
import type { VSCode } from './api';

export interface OffsetEdit {
  start: number;
  end: number;
  content: string;
}

/** The smallest single replacement turning `before` into `after`; null when they are equal. */
export function minimalEdit(before: string, after: string): OffsetEdit | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endBefore < before.length && isLowSurrogate(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  return { start, end: endBefore, content: after.slice(start, endAfter) };
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** The workspace edit that turns the document's text (`before`, its current text) into `after`. */
export function replaceEdit(vs: VSCode, doc: Pick<vscode.TextDocument, 'uri' | 'positionAt'>, before: string, after: string): vscode.WorkspaceEdit | null {
  const e = minimalEdit(before, after);
  if (!e) return null;
  const we = new vs.WorkspaceEdit();
  we.replace(doc.uri, new vs.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.content);
  return we;
}
