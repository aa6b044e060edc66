// Which documents the extension checks: Python files and Python notebook cells (a cell is a text
// document with languageId "python"), and TypeScript/JavaScript (TensorFlow.js). The language id is
// passed to the core, which picks the grammar from it.
import type * as vscode from 'vscode';

export const LANGUAGE_IDS: readonly string[] = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

/** How a language writes a line comment: `#` (Python) or `//` (TypeScript/JavaScript). */
export function commentStyle(languageId: string): '#' | '//' {
  return languageId === 'python' ? '#' : '//';
}

export const DOCUMENT_SELECTOR: vscode.DocumentFilter[] = LANGUAGE_IDS.map((language) => ({ language }));

/** Documents that are views of other text (diffs, output, SCM input): never checked. */
const SKIPPED_SCHEMES = new Set(['git', 'gitfs', 'output', 'vscode-scm', 'review', 'pr', 'vscode-chat-code-block', 'walkThroughSnippet']);

export function isChecked(doc: Pick<vscode.TextDocument, 'languageId' | 'uri'>): boolean {
  return LANGUAGE_IDS.includes(doc.languageId) && !SKIPPED_SCHEMES.has(doc.uri.scheme);
}
