// Core data -> VS Code objects. The core already speaks VS Code's coordinates (0-based line,
// UTF-16 character), so ranges convert one to one.
import type * as vscode from 'vscode';
import type { Finding, Range, RelatedInformation, Severity, TextEdit } from '../core';
import type { VSCode } from './api';

/** `Diagnostic.source` of everything this extension reports. */
export const SOURCE = 'stable-loss';

export function toRange(vs: VSCode, r: Range): vscode.Range {
  return new vs.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toSeverity(vs: VSCode, s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vs.DiagnosticSeverity.Error;
    case 'warning':
      return vs.DiagnosticSeverity.Warning;
    case 'info':
      return vs.DiagnosticSeverity.Information;
  }
}

/** A finding as the worker sends it: related locations may name another notebook cell by `uri`. */
type WireFinding = Omit<Finding, 'related'> & { related: (RelatedInformation & { uri?: string })[] };

/** `uri`: the document's; a notebook cell's related locations in other files are relative to its notebook's (`base`). */
export function toDiagnostic(vs: VSCode, f: WireFinding, uri: vscode.Uri, base: vscode.Uri = uri): vscode.Diagnostic {
  const d = new vs.Diagnostic(toRange(vs, f.range), f.message, toSeverity(vs, f.severity));
  d.source = SOURCE;
  d.code = { value: f.code, target: vs.Uri.parse(f.url) };
  if (f.related.length) d.relatedInformation = f.related.map((r) => toRelated(vs, r, r.path ? base : uri));
  return d;
}

function toRelated(vs: VSCode, r: RelatedInformation & { uri?: string }, uri: vscode.Uri): vscode.DiagnosticRelatedInformation {
  const where = r.uri !== undefined ? vs.Uri.parse(r.uri) : relatedUri(vs, uri, r.path);
  return new vs.DiagnosticRelatedInformation(new vs.Location(where, toRange(vs, r.range)), r.message);
}

/**
 * The file a related location is in: the same file, an absolute path, a path relative to the file's
 * folder, or a key of the host-read project index (`scheme://authority` + path, workspaceFiles.ts).
 */
export function relatedUri(vs: VSCode, uri: vscode.Uri, path: string | undefined): vscode.Uri {
  if (!path) return uri;
  const key = /^([a-z][\w+.-]*):\/\/([^/]*)(\/.*)$/i.exec(path);
  if (key) return uri.with({ scheme: key[1]!, authority: key[2]!, path: key[3]!, query: '', fragment: '' });
  if (path.startsWith('/')) return uri.scheme === 'file' ? vs.Uri.file(path) : uri.with({ path });
  return vs.Uri.joinPath(uri, '..', path);
}

export function toTextEdit(vs: VSCode, e: TextEdit): vscode.TextEdit {
  return vs.TextEdit.replace(toRange(vs, e.range), e.content);
}

/** A workspace edit replacing `edits` (all relative to the same original text) in one document. */
export function toWorkspaceEdit(vs: VSCode, uri: vscode.Uri, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vs.WorkspaceEdit();
  we.set(uri, edits.map((e) => toTextEdit(vs, e)));
  return we;
}

/** Core markdown (plain CommonMark, no HTML, no command links) -> an untrusted MarkdownString. */
export function toMarkdown(vs: VSCode, markdown: string): vscode.MarkdownString {
  const md = new vs.MarkdownString(markdown);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
