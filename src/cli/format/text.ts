// `--output-format full` (the default) and `concise`: `path:line:col: CODE [*] message`, and for
// full a source excerpt with the range underlined and the fix's title, like Ruff's full output.
// Columns here are 1-based code points, as in the JSON output.
import { isAbsolute, relative } from 'node:path';
import type { Finding, Severity } from '../../core/types';
import type { Style } from '../color';
import { cellOf, lineIndex, location, sortedFindings, type FileResult, type FormatContext } from './model';

const MAX_EXCERPT_LINES = 4;
const TAB = 4;

function codeStyle(style: Style, severity: Severity): (s: string) => string {
  const color = severity === 'error' ? style.red : severity === 'warning' ? style.yellow : style.blue;
  return (s) => style.bold(color(s));
}

function fixableNow(f: Finding, unsafe: boolean): boolean {
  return f.fix !== null && (f.fix.applicability === 'safe' || unsafe);
}

function header(file: FileResult, f: Finding, ctx: FormatContext): string {
  const { style } = ctx;
  const loc = location(file, f.range.startOffset, f);
  const cell = cellOf(f);
  const where = cell === undefined ? '' : `cell ${cell + 1}${style.cyan(':')}`;
  const mark = fixableNow(f, ctx.unsafeFixes) ? ` ${style.cyan('[*]')}` : '';
  return `${style.bold(file.display)}${style.cyan(':')}${where}${loc.row}${style.cyan(':')}${loc.column}${style.cyan(':')} ${codeStyle(style, f.severity)(f.code)}${mark} ${f.message}`;
}

export function formatConcise(files: readonly FileResult[], ctx: FormatContext): string {
  return sortedFindings(files).map(({ file, finding }) => `${header(file, finding, ctx)}\n`).join('');
}

export function formatFull(files: readonly FileResult[], ctx: FormatContext): string {
  let out = '';
  for (const { file, finding } of sortedFindings(files)) out += `${header(file, finding, ctx)}\n${excerpt(file, finding, ctx.style, ctx.cwd)}\n`;
  return out;
}

/** The lines of the range with a gutter and `^^^` under the range, then the fix title. */
export function excerpt(file: FileResult, f: Finding, style: Style, cwd = ''): string {
  const idx = lineIndex(file, f);
  const first = idx.lineAt(f.range.startOffset);
  const last = Math.max(first, idx.lineAt(Math.max(f.range.startOffset, f.range.endOffset - 1)));
  const shownLast = Math.min(last, first + MAX_EXCERPT_LINES - 1);
  const width = String(shownLast + 1).length;
  const gutter = (n?: number) => style.blue(`${n === undefined ? ' '.repeat(width) : String(n).padStart(width)} |`);
  const color = codeStyle(style, f.severity);
  let out = `${gutter()}\n`;
  for (let line = first; line <= shownLast; line++) {
    const text = idx.lineText(line);
    const lineStart = idx.lineStart(line);
    // Continuation lines are underlined from their first non-blank character.
    const indent = line === first ? 0 : text.length - text.trimStart().length;
    const from = Math.max(f.range.startOffset - lineStart, indent);
    const to = Math.min(f.range.endOffset, lineStart + text.length) - lineStart;
    const shown = expand(text);
    const a = displayWidth(text.slice(0, from));
    const b = Math.max(a + 1, displayWidth(text.slice(0, Math.max(from, to))));
    const label = line === shownLast ? ` ${f.code}` : '';
    out += `${gutter(line + 1)} ${shown}\n`.replace(/ +\n$/, '\n');
    out += `${gutter()} ${' '.repeat(a)}${color(`${'^'.repeat(b - a)}${label}`)}\n`;
  }
  if (shownLast < last) out += `${gutter()} ${style.dim(`... ${last - shownLast} more line${last - shownLast === 1 ? '' : 's'}`)}\n`;
  out += `${gutter()}\n`;
  for (const r of f.related) {
    // In a notebook a related range may lie in another cell: no position rather than a wrong one.
    const here = cellOf(f) === undefined ? location(file, r.range.startOffset, f) : null;
    const where = r.path ? ` (${relativeTo(cwd, r.path)}:${r.range.start.line + 1})` : here ? ` (${here.row}:${here.column})` : '';
    out += `${' '.repeat(width)} ${style.blue('=')} ${style.bold('note')}: ${r.message}${where}\n`;
  }
  if (f.fix) out += `${' '.repeat(width)} ${style.blue('=')} ${style.bold('help')}: ${f.fix.message}${f.fix.applicability === 'unsafe' ? ' (unsafe fix)' : ''}\n`;
  return out;
}

/** Tabs to the next multiple of 4, control characters to a visible stand-in. */
function expand(text: string): string {
  let out = '';
  let col = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const n = TAB - (col % TAB);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch < ' ' || ch === '\x7f' ? '\ufffd' : ch;
      col += charWidth(ch);
    }
  }
  return out;
}

/** Terminal columns the text takes (tabs expanded, wide characters two, combining marks none). */
export function displayWidth(text: string): number {
  let col = 0;
  for (const ch of text) col += ch === '\t' ? TAB - (col % TAB) : charWidth(ch);
  return col;
}

function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  if ((c >= 0x300 && c <= 0x36f) || c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) ||
    (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  )
    return 2;
  return 1;
}

export interface Counts {
  /** Findings left to report. */
  remaining: number;
  /** Findings fixed in this run (--fix). */
  fixed: number;
  /** Of the remaining: fixable now with --fix (safe, or unsafe with --unsafe-fixes). */
  fixable: number;
  /** Of the remaining: fixable only with --unsafe-fixes. */
  hiddenUnsafe: number;
}

export function countFindings(files: readonly FileResult[], fixed: number, unsafe: boolean): Counts {
  let remaining = 0;
  let fixable = 0;
  let hiddenUnsafe = 0;
  for (const file of files)
    for (const f of file.findings) {
      remaining++;
      if (fixableNow(f, unsafe)) fixable++;
      else if (f.fix?.applicability === 'unsafe') hiddenUnsafe++;
    }
  return { remaining, fixed, fixable, hiddenUnsafe };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The closing line(s), e.g. "Found 3 errors (2 fixable with --fix)." */
export function summary(c: Counts, fixMode: boolean): string {
  const hidden = c.hiddenUnsafe ? `${plural(c.hiddenUnsafe, 'hidden fix')} can be enabled with --unsafe-fixes` : '';
  if (c.remaining === 0 && c.fixed === 0) return 'All checks passed!\n';
  if (fixMode || c.fixed > 0) {
    const total = c.remaining + c.fixed;
    return `Found ${plural(total, 'error')} (${c.fixed} fixed, ${c.remaining} remaining).\n${hidden ? `${hidden[0]!.toUpperCase()}${hidden.slice(1)}.\n` : ''}`;
  }
  const parts: string[] = [];
  if (c.fixable) parts.push(`${c.fixable} fixable with --fix`);
  if (hidden) parts.push(hidden);
  return `Found ${plural(c.remaining, 'error')}${parts.length ? ` (${parts.join('; ')})` : ''}.\n`;
}

/** `path` relative to `cwd` when inside it. */
function relativeTo(cwd: string, path: string): string {
  if (!cwd || !isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
