// `# noqa` suppressions, read as Ruff reads them:
//   `# noqa`                 all findings on the line (the keyword is case-insensitive: `# NOQA`)
//   `# noqa: SL001, SL003`   those codes (uppercase letters then digits, split by commas or spaces;
//                            text after the codes, `# noqa: SL001 reason`, is a trailing remark)
//   `# stable-loss: noqa`    on its own line: the whole file (`: SL001` limits it to codes)
// A directive counts only inside a real comment: the engine passes its comment ranges; without
// them `findComments` finds `#` outside string literals. Pure: runs in web workers too.
import type { Finding, TextEdit } from './types';
import { LineIndex } from './fix/text';

/** A comment `#...` as UTF-16 offsets [start, end) into the text (end before the line ending). */
export interface CommentRange {
  start: number;
  end: number;
}

export interface NoqaCode {
  code: string;
  start: number;
  end: number;
}

/** `start` is the `#`; `end` is past `noqa` (blanket) or past the last code. */
export type NoqaDirective =
  | { kind: 'all'; start: number; end: number }
  | { kind: 'codes'; start: number; end: number; codes: NoqaCode[] };

export interface NoqaLexResult {
  directive: NoqaDirective | null;
  /** A malformed directive (then `directive` is null and nothing is suppressed), e.g. `# noqa:`. */
  error: string | null;
  /** Recoverable slips, e.g. `# noqa: SL001SL002` (missing delimiter). */
  warnings: string[];
}

export interface NoqaProblem {
  /** 0-based line of the comment. */
  line: number;
  message: string;
}

const ERR_MISSING = 'expected a comma-separated list of codes (e.g., `# noqa: SL001, SL003`)';
const ERR_SUFFIX = 'expected `:` followed by a comma-separated list of codes (e.g., `# noqa: SL001, SL003`)';
const ERR_CODE = 'expected a code to be uppercase letters followed by digits only (e.g., `SL001`)';

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isUpper = (c: string | undefined): boolean => c !== undefined && c >= 'A' && c <= 'Z';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function startsWithNoqa(text: string, i: number): boolean {
  return text.slice(i, i + 4).toLowerCase() === 'noqa';
}

/**
 * Lexes the first `noqa` directive in text[start, end) (a comment, possibly `# a # noqa: X`).
 * `fileLevel` looks for `# stable-loss: noqa` instead of `# noqa`.
 */
export function lexNoqa(text: string, start: number, end: number, fileLevel = false): NoqaLexResult {
  let i = start;
  while (i < end) {
    const hash = text.indexOf('#', i);
    if (hash === -1 || hash >= end) break;
    i = hash + 1;
    while (i < end && isSpace(text[i])) i++;
    if (fileLevel) {
      if (!text.startsWith('stable-loss', i)) continue;
      i += 'stable-loss'.length;
      while (i < end && isSpace(text[i])) i++;
      if (text[i] !== ':') continue;
      i++;
      while (i < end && isSpace(text[i])) i++;
    }
    if (i + 4 > end || !startsWithNoqa(text, i)) continue;
    return lexDirective(text, hash, i + 4, end);
  }
  return { directive: null, error: null, warnings: [] };
}

function lexDirective(text: string, hash: number, afterNoqa: number, end: number): NoqaLexResult {
  const all: NoqaLexResult = { directive: { kind: 'all', start: hash, end: afterNoqa }, error: null, warnings: [] };
  let i = afterNoqa;
  const c = i < end ? text[i] : undefined;
  if (c === undefined || c === '#') return all;
  if (c === ':') i++;
  else if (isSpace(c)) {
    while (i < end && isSpace(text[i])) i++;
    if (text[i] !== ':' || i >= end) return all;
    i++;
  } else return { directive: null, error: ERR_SUFFIX, warnings: [] };

  const codes: NoqaCode[] = [];
  const warnings: string[] = [];
  let missingDelimiter = false;
  while (i < end) {
    while (i < end && isSpace(text[i])) i++;
    if (i >= end) break;
    if (text[i] === ',') {
      warnings.push('expected rule code between commas');
      i++;
      continue;
    }
    if (!isUpper(text[i])) break; // a trailing remark: `# noqa: SL001 because ...`
    const codeStart = i;
    while (i < end && isUpper(text[i])) i++;
    if (!isDigit(text[i]) || i >= end) {
      if (missingDelimiter) return { directive: null, error: ERR_CODE, warnings };
      break;
    }
    while (i < end && isDigit(text[i])) i++;
    codes.push({ code: text.slice(codeStart, i), start: codeStart, end: i });
    if (i >= end) break;
    const next = text[i]!;
    if (next === ',') {
      i++;
      missingDelimiter = false;
    } else if (isSpace(next) || next === '#') {
      missingDelimiter = false;
      if (next === '#') break;
    } else if (isUpper(next)) {
      warnings.push('expected comma or space delimiter between codes');
      missingDelimiter = true;
    } else return { directive: null, error: ERR_CODE, warnings };
  }
  const last = codes[codes.length - 1];
  if (!last) return { directive: null, error: ERR_MISSING, warnings };
  return { directive: { kind: 'codes', start: hash, end: last.end, codes }, error: null, warnings };
}

/**
 * Finds the comments of Python source cheaply, without a parser: `#` outside string literals
 * (single, double and triple quoted, with backslash escapes) up to the end of the line.
 * Not handled: `#` inside a Python 3.12 f-string replacement field that spans lines.
 */
export function findComments(text: string): CommentRange[] {
  return scan(text).comments;
}

/**
 * Comments and string literals, as [start, end) offsets. The last text's answer is kept: one check
 * asks twice (the rules' fixes for the comments they would drop, the noqa filter for directives).
 * Callers do not modify the answer.
 */
function scan(text: string): { comments: CommentRange[]; strings: CommentRange[] } {
  if (lastScan?.text !== text) lastScan = { text, result: scanUncached(text) };
  return lastScan.result;
}

let lastScan: { text: string; result: { comments: CommentRange[]; strings: CommentRange[] } } | undefined;

function scanUncached(text: string): { comments: CommentRange[]; strings: CommentRange[] } {
  const out: CommentRange[] = [];
  const strings: CommentRange[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      let e = i;
      while (e < n && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
      out.push({ start: i, end: e });
      i = e;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      const e = skipString(text, i);
      strings.push({ start: i, end: e });
      i = e;
    } else i++;
  }
  return { comments: out, strings };
}

/** Returns the offset just past the string literal whose opening quote is at `i`. */
function skipString(text: string, i: number): number {
  const q = text[i]!;
  const n = text.length;
  const triple = text[i + 1] === q && text[i + 2] === q;
  let j = i + (triple ? 3 : 1);
  while (j < n) {
    const ch = text[j]!;
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (triple) {
      if (ch === q && text[j + 1] === q && text[j + 2] === q) return j + 3;
    } else {
      if (ch === q) return j + 1;
      if (ch === '\n' || ch === '\r') return j; // unterminated: the string ends with the line
    }
    j++;
  }
  return n;
}

/** The `noqa` directives of one text, by line. Build once per text, query per finding. */
export class NoqaIndex {
  private readonly lines = new Map<number, NoqaDirective>();
  /** Comments by line (the first comment that starts on the line), for edits. */
  private readonly commentByLine = new Map<number, CommentRange>();
  private fileAll = false;
  private readonly fileCodes = new Set<string>();
  readonly problems: NoqaProblem[] = [];

  private constructor(
    readonly text: string,
    readonly index: LineIndex,
  ) {}

  /** `comments`: the engine's comment ranges; omitted, `findComments` finds them. `lines`: the text's, if the caller has it. */
  static build(text: string, comments?: readonly CommentRange[], lines?: LineIndex): NoqaIndex {
    const idx = new NoqaIndex(text, lines?.text === text ? lines : new LineIndex(text));
    // Cheap exit: most files have no directive at all.
    if (!/noqa/i.test(text)) return idx;
    for (const c of comments ?? findComments(text)) idx.add(c);
    return idx;
  }

  private add(c: CommentRange): void {
    const line = this.index.lineAt(c.start);
    if (!this.commentByLine.has(line)) this.commentByLine.set(line, c);
    const ownLine = this.text.slice(this.index.lineStart(line), c.start).trim() === '';
    const file = lexNoqa(this.text, c.start, c.end, true);
    if (file.directive || file.error) {
      if (file.error) this.problems.push({ line, message: `invalid \`# stable-loss: noqa\` directive: ${file.error}` });
      else if (!ownLine) this.problems.push({ line, message: 'a `# stable-loss: noqa` directive must be on its own line; it was ignored' });
      else if (file.directive!.kind === 'all') this.fileAll = true;
      else for (const k of file.directive!.codes) this.fileCodes.add(k.code);
      for (const w of file.warnings) this.problems.push({ line, message: w });
      return;
    }
    const r = lexNoqa(this.text, c.start, c.end);
    for (const w of r.warnings) this.problems.push({ line, message: w });
    if (r.error) this.problems.push({ line, message: `invalid \`# noqa\` directive: ${r.error}` });
    if (r.directive && !this.lines.has(line)) this.lines.set(line, r.directive);
  }

  directiveAt(line: number): NoqaDirective | undefined {
    return this.lines.get(line);
  }

  commentAt(line: number): CommentRange | undefined {
    return this.commentByLine.get(line);
  }

  /** True when a `noqa` on `line` (or a file-level one) covers `code`. */
  suppresses(code: string, line: number): boolean {
    if (this.fileAll || this.fileCodes.has(code)) return true;
    const d = this.lines.get(line);
    if (!d) return false;
    return d.kind === 'all' || d.codes.some((k) => k.code === code);
  }

  /** Codes named in directives that look like ours (`SL…`) but are not in `known`. */
  unknownCodes(known: ReadonlySet<string>): NoqaProblem[] {
    const out: NoqaProblem[] = [];
    for (const [line, d] of this.lines) {
      if (d.kind !== 'codes') continue;
      for (const k of d.codes) if (k.code.startsWith('SL') && !known.has(k.code)) out.push({ line, message: `unknown rule code \`${k.code}\` in \`# noqa\`` });
    }
    return out;
  }
}

/** The findings no `# noqa` suppresses. */
export function filterNoqa<F extends Pick<Finding, 'code' | 'noqaLine'>>(findings: readonly F[], text: string, comments?: readonly CommentRange[], lines?: LineIndex): F[] {
  if (findings.length === 0) return [];
  const idx = NoqaIndex.build(text, comments, lines);
  return findings.filter((f) => !idx.suppresses(f.code, f.noqaLine));
}

/**
 * The edit that adds `codes` to the `# noqa` of `line` (0-based): appends `  # noqa: SL001` to a
 * line without one, merges into `# noqa: E501` (sorted, keeping any trailing remark), and returns
 * null when the line is already suppressed for all of them (or by a blanket `# noqa`), or when it
 * ends with a backslash continuation (a comment there would break the code).
 */
export function addNoqaEdit(text: string, line: number, codes: readonly string[], comments?: readonly CommentRange[]): TextEdit | null {
  const scanned = comments ? null : scan(text);
  comments ??= scanned!.comments;
  const idx = NoqaIndex.build(text, comments);
  const li = idx.index;
  if (line < 0 || line >= li.lineCount || codes.length === 0) return null;
  // The end of a line inside a triple-quoted string is not a place for a comment.
  const eol = li.lineContentEnd(line);
  if (scanned?.strings.some((s) => s.start < eol && eol < s.end)) return null;
  const d = idx.directiveAt(line);
  if (d?.kind === 'all') return null;
  if (d?.kind === 'codes') {
    const have = new Set(d.codes.map((k) => k.code));
    if (codes.every((c) => have.has(c))) return null;
    const merged = [...new Set([...d.codes.map((k) => k.code), ...codes])].sort();
    return { range: li.rangeOf(d.start, d.end), content: `# noqa: ${merged.join(', ')}` };
  }
  const directive = `# noqa: ${[...new Set(codes)].sort().join(', ')}`;
  const comment = idx.commentAt(line) ?? comments.find((c) => li.lineAt(c.start) === line);
  if (comment && lexNoqa(text, comment.start, comment.end).error) {
    // A malformed `# noqa` would shadow one added after it: put ours first.
    return { range: li.rangeOf(comment.start, comment.start), content: `${directive}  ` };
  }
  const start = li.lineStart(line);
  const codeEnd = comment ? comment.start : li.lineContentEnd(line);
  const code = text.slice(start, codeEnd).trimEnd();
  if (!comment && code.endsWith('\\')) return null;
  if (comment) {
    const end = li.lineContentEnd(line);
    const trimmedEnd = start + text.slice(start, end).trimEnd().length;
    return { range: li.rangeOf(trimmedEnd, end), content: `  ${directive}` };
  }
  const trimmedEnd = start + code.length;
  return { range: li.rangeOf(trimmedEnd, codeEnd), content: code.length ? `  ${directive}` : directive };
}

/**
 * The `// noqa` counterpart of `addNoqaEdit`, for TypeScript/JavaScript: merges into an existing
 * `// noqa: X` on the line, puts ours before a malformed one, appends `  // noqa: SL001` to a line
 * without comments; returns null when the line is already suppressed for all `codes`, and (to be
 * safe without a parser) when the line has another comment or a template literal.
 */
export function addSlashNoqaEdit(text: string, line: number, codes: readonly string[]): TextEdit | null {
  const li = new LineIndex(text);
  if (line < 0 || line >= li.lineCount || codes.length === 0) return null;
  const start = li.lineStart(line);
  const content = li.lineText(line);
  const wanted = [...new Set(codes)].sort();
  const m = /\/\/\s*noqa/i.exec(content);
  if (m) {
    // Read it with the `#` lexer: `//` and `# ` have the same length, offsets stay.
    const view = `${content.slice(0, m.index)}# ${content.slice(m.index + 2)}`;
    const r = lexNoqa(view, m.index, view.length);
    const d = r.directive;
    if (d?.kind === 'all') return null;
    if (d?.kind === 'codes') {
      const have = new Set(d.codes.map((k) => k.code));
      if (wanted.every((c) => have.has(c))) return null;
      const merged = [...new Set([...have, ...wanted])].sort();
      return { range: li.rangeOf(start + d.start, start + d.end), content: `// noqa: ${merged.join(', ')}` };
    }
    if (r.error) return { range: li.rangeOf(start + m.index, start + m.index), content: `// noqa: ${wanted.join(', ')}  ` };
  }
  if (/\/\/|\/\*|\*\/|`/.test(content)) return null;
  const end = start + content.trimEnd().length;
  return { range: li.rangeOf(end, start + content.length), content: content.trim() ? `  // noqa: ${wanted.join(', ')}` : `// noqa: ${wanted.join(', ')}` };
}
