// A minimal fake of the `vscode` module: just the classes the adapter constructs, with the same
// shapes, plus a text document that converts offsets <-> positions in UTF-16 as VS Code does.
// The adapter takes the namespace as an argument, so tests pass `fake` where VS Code passes `vscode`.
import type { VSCode } from '../src/extension/api';

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    if (typeof a === 'number') {
      this.start = new Position(a, b as number);
      this.end = new Position(c!, d!);
    } else {
      this.start = a;
      this.end = b as Position;
    }
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
  ) {}
  static parse(s: string): Uri {
    const m = /^([a-z][\w+.-]*):(?:\/\/([^/]*))?(.*)$/i.exec(s);
    if (!m) throw new Error(`not a URI: ${s}`);
    return new Uri(m[1]!, m[2] ?? '', m[3]!);
  }
  static file(p: string): Uri {
    return new Uri('file', '', p);
  }
  static joinPath(base: Uri, ...segs: string[]): Uri {
    const parts = base.path.split('/');
    for (const s of segs.flatMap((x) => x.split('/'))) {
      if (s === '..') parts.pop();
      else if (s && s !== '.') parts.push(s);
    }
    return new Uri(base.scheme, base.authority, parts.join('/'));
  }
  with(change: { scheme?: string; authority?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}`;
  }
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  source?: string;
  code?: string | number | { value: string | number; target: Uri };
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class TextEdit {
  constructor(
    readonly range: Range,
    readonly newText: string,
  ) {}
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
}

export class WorkspaceEdit {
  private readonly map = new Map<string, { uri: Uri; edits: TextEdit[] }>();
  set(uri: Uri, edits: TextEdit[]): void {
    this.map.set(uri.toString(), { uri, edits: [...edits] });
  }
  replace(uri: Uri, range: Range, text: string): void {
    const e = this.map.get(uri.toString()) ?? { uri, edits: [] };
    e.edits.push(new TextEdit(range, text));
    this.map.set(uri.toString(), e);
  }
  entries(): [Uri, TextEdit[]][] {
    return [...this.map.values()].map((e) => [e.uri, e.edits]);
  }
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
}

export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  constructor(
    readonly title: string,
    readonly kind?: CodeActionKind,
  ) {}
}

export class MarkdownString {
  isTrusted = true;
  supportHtml = true;
  constructor(readonly value: string) {}
}

export class Hover {
  constructor(
    readonly contents: MarkdownString,
    readonly range?: Range,
  ) {}
}

export const fake = {
  Position,
  Range,
  Uri,
  DiagnosticSeverity,
  Location,
  DiagnosticRelatedInformation,
  Diagnostic,
  TextEdit,
  WorkspaceEdit,
  CodeActionKind,
  CodeAction,
  MarkdownString,
  Hover,
} as unknown as VSCode;

/** A text document; `setText` bumps the version as an edit in VS Code does. */
export class FakeDocument {
  version = 1;
  isClosed = false;
  constructor(
    private text: string,
    readonly uri: Uri = Uri.file('/ws/train.py'),
    readonly languageId = 'python',
  ) {}
  getText(): string {
    return this.text;
  }
  setText(t: string): void {
    this.text = t;
    this.version++;
  }
  /** Replaces `length` characters at `offset`, as typing does, and returns VS Code's content change for it. */
  edit(offset: number, length: number, text: string): { range: Range; rangeOffset: number; rangeLength: number; text: string } {
    const range = new Range(this.positionAt(offset), this.positionAt(offset + length));
    this.setText(this.text.slice(0, offset) + text + this.text.slice(offset + length));
    return { range, rangeOffset: offset, rangeLength: length, text };
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length)));
    const line = before.split('\n').length - 1;
    return new Position(line, before.length - (before.lastIndexOf('\n') + 1));
  }
  get lineCount(): number {
    return this.text.split('\n').length;
  }
  /** As VS Code: a position past the end of a line or of the text is clamped; anything but a Position is refused. */
  offsetAt(p: Position): number {
    if (!(p instanceof Position)) throw new Error('Invalid argument');
    const lines = this.text.split('\n');
    if (p.line >= lines.length) return this.text.length;
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i]!.length + 1;
    return o + Math.min(p.character, lines[p.line]!.length);
  }
}

/** Applies a workspace edit's text edits (all against the current text, as VS Code does). */
export function applyWorkspaceEdit(doc: FakeDocument, we: WorkspaceEdit | undefined): string {
  if (!we) throw new Error('no edit');
  const entries = we.entries();
  if (entries.length !== 1 || entries[0]![0].toString() !== doc.uri.toString()) throw new Error('expected edits to this document only');
  const spans = entries[0]![1]
    .map((e) => ({ s: doc.offsetAt(e.range.start), e: doc.offsetAt(e.range.end), t: e.newText }))
    .sort((a, b) => a.s - b.s);
  let out = '';
  let pos = 0;
  for (const sp of spans) {
    if (sp.s < pos) throw new Error('overlapping edits');
    out += doc.getText().slice(pos, sp.s) + sp.t;
    pos = sp.e;
  }
  out += doc.getText().slice(pos);
  doc.setText(out);
  return out;
}

export class FakeCollection {
  readonly map = new Map<string, Diagnostic[]>();
  set(uri: Uri, d: Diagnostic[]): void {
    this.map.set(uri.toString(), d);
  }
  delete(uri: Uri): void {
    this.map.delete(uri.toString());
  }
  clear(): void {
    this.map.clear();
  }
  get(uri: Uri): Diagnostic[] | undefined {
    return this.map.get(uri.toString());
  }
}

export class FakeLog {
  readonly lines: string[] = [];
  trace = (m: string): void => void this.lines.push(`trace ${m}`);
  debug = (m: string): void => void this.lines.push(`debug ${m}`);
  info = (m: string): void => void this.lines.push(`info ${m}`);
  warn = (m: string): void => void this.lines.push(`warn ${m}`);
  error = (m: string | Error): void => void this.lines.push(`error ${String(m)}`);
}

/** A WorkspaceConfiguration over a flat object of `stableLoss.*` keys (without the prefix). */
export function fakeConfig(values: Record<string, unknown>): { get<T>(key: string, dflt?: T): T | undefined } {
  return { get: <T>(key: string, dflt?: T) => (key in values ? (values[key] as T) : dflt) };
}
