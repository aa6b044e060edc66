// Jupyter notebooks: the code cells of a notebook are analysed in order as one program (a softmax in
// cell 3 flowing into a loss in cell 7 is found). IPython magics and shell escapes are blanked (same
// length, so offsets within a cell stay exact). Findings map back to (cell, position in cell), and
// fixes rewrite only the affected cells' `source` inside the notebook's JSON text, keeping the rest of
// the file byte for byte (formatting, key order, outputs). Pure: runs in web workers too.
import { applyFixes, isFixAllowed } from './fix/apply';
import { LineIndex } from './fix/text';
import type { Finding, Fix, Range, TextEdit } from './types';

export interface NotebookCell {
  /** Index among all cells of the notebook (what Ruff's JSON calls `cell`, 1-based there). */
  index: number;
  kind: string;
  source: string;
  /** Where the cell's `source` value sits in the JSON text: [start, end) of the string or array. */
  sourceSpan: { start: number; end: number };
  /** Whether the source is stored as an array of lines (the usual form) or a single string. */
  sourceIsArray: boolean;
}

export interface Notebook {
  cells: NotebookCell[];
  /** The language of the kernel, when the metadata says. */
  language?: string;
}

export interface NotebookProgram {
  /** The code cells joined with newlines, magics blanked. */
  text: string;
  /** For each code cell: its index and the offset of its first character in `text`. */
  cells: { index: number; start: number; length: number }[];
}

export class NotebookError extends Error {}

/** Parses a notebook's JSON text (nbformat 4), remembering where each cell's source is. */
export function parseNotebook(json: string): Notebook {
  const p = new JsonScanner(json);
  const root = p.value();
  p.skipWs();
  if (p.pos !== json.length) throw new NotebookError(`unexpected text after the JSON document at offset ${p.pos}`);
  if (!root || root.t !== 'object') throw new NotebookError('a notebook is a JSON object');
  const cellsNode = root.fields.get('cells');
  if (!cellsNode || cellsNode.t !== 'array') throw new NotebookError('the notebook has no "cells" array (nbformat 4 is supported)');
  const cells: NotebookCell[] = [];
  cellsNode.items.forEach((c, index) => {
    if (c.t !== 'object') throw new NotebookError(`cell ${index + 1} is not an object`);
    const kind = c.fields.get('cell_type');
    const src = c.fields.get('source');
    if (!src) throw new NotebookError(`cell ${index + 1} has no "source"`);
    let source: string;
    if (src.t === 'string') source = src.value;
    else if (src.t === 'array' && src.items.every((i) => i.t === 'string')) source = src.items.map((i) => (i as JString).value).join('');
    else throw new NotebookError(`cell ${index + 1} has a "source" that is neither a string nor a list of strings`);
    cells.push({ index, kind: kind && kind.t === 'string' ? kind.value : 'unknown', source, sourceSpan: { start: src.start, end: src.end }, sourceIsArray: src.t === 'array' });
  });
  let language: string | undefined;
  const meta = root.fields.get('metadata');
  if (meta?.t === 'object') {
    const li = meta.fields.get('language_info');
    const name = li?.t === 'object' ? li.fields.get('name') : undefined;
    if (name?.t === 'string') language = name.value;
    else {
      const ks = meta.fields.get('kernelspec');
      const lang = ks?.t === 'object' ? ks.fields.get('language') : undefined;
      if (lang?.t === 'string') language = lang.value;
    }
  }
  return { cells, language };
}

/** The code cells as one program, with IPython syntax blanked. */
export function notebookProgram(nb: Notebook): NotebookProgram {
  let text = '';
  const cells: NotebookProgram['cells'] = [];
  for (const c of nb.cells) {
    if (c.kind !== 'code') continue;
    const code = blankMagics(c.source);
    cells.push({ index: c.index, start: text.length, length: code.length });
    text += code;
    if (!code.endsWith('\n')) text += '\n';
  }
  return { text, cells };
}

/** The cell holding a program offset, and the offset within that cell. */
export function cellAt(program: NotebookProgram, offset: number): { index: number; offset: number } | undefined {
  let lo = 0;
  let hi = program.cells.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (program.cells[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const c = program.cells[lo];
  return { index: c.index, offset: Math.min(offset - c.start, c.length) };
}

/**
 * `%magic`, `%%cell magic` (the whole cell), `!shell`, `?help`/`help?` lines become spaces of the
 * same length: Python sees blank lines, offsets are unchanged.
 */
export function blankMagics(source: string): string {
  const lines = source.split(/(?<=\n)/);
  if (lines.length && /^\s*%%/.test(lines[0])) return source.replace(/[^\n]/g, ' ');
  let continued = false;
  return lines
    .map((l) => {
      const body = l.replace(/\r?\n$/, '');
      const isMagic = continued || /^\s*(%|!|\?)/.test(body) || /^\s*[\w.]+\?{1,2}\s*$/.test(body);
      continued = isMagic && body.endsWith('\\');
      return isMagic ? l.replace(/[^\r\n]/g, ' ') : l;
    })
    .join('');
}

/**
 * Rewrites the sources of some cells inside the notebook JSON text, touching nothing else. The new
 * source is written in the same form (array of lines or string) and the array's indentation style.
 */
export function replaceCellSources(json: string, nb: Notebook, changes: Map<number, string>): string {
  const edits = [...changes]
    .map(([index, source]) => {
      const cell = nb.cells[index];
      if (!cell) throw new NotebookError(`no cell ${index}`);
      return { start: cell.sourceSpan.start, end: cell.sourceSpan.end, text: encodeSource(json, cell, source) };
    })
    .sort((a, b) => b.start - a.start);
  let out = json;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function encodeSource(json: string, cell: NotebookCell, source: string): string {
  if (!cell.sourceIsArray) return jsonString(source);
  const lines = source.split(/(?<=\n)/).filter((l) => l.length > 0);
  if (lines.length === 0) return '[]';
  const old = json.slice(cell.sourceSpan.start, cell.sourceSpan.end);
  // Indentation of the existing elements (nbformat writes one element per line, indented).
  const m = /^\[(\s*?\n([ \t]*))"/.exec(old);
  if (!m) return `[${lines.map(jsonString).join(', ')}]`;
  const indent = m[2];
  const closeIndent = /\n([ \t]*)\]$/.exec(old)?.[1] ?? '';
  const nl = m[1].includes('\r\n') ? '\r\n' : '\n';
  return `[${nl}${lines.map((l) => indent + jsonString(l)).join(`,${nl}`)}${nl}${closeIndent}]`;
}

/** JSON string as Python's json.dump writes it for notebooks (ensure_ascii=False). */
function jsonString(s: string): string {
  return JSON.stringify(s);
}

// ---- a JSON scanner that keeps spans ------------------------------------------------------------

type JString = { t: 'string'; value: string; start: number; end: number };
type JValue =
  | JString
  | { t: 'object'; fields: Map<string, JValue>; start: number; end: number }
  | { t: 'array'; items: JValue[]; start: number; end: number }
  | { t: 'other'; start: number; end: number };

const MAX_DEPTH = 512;

class JsonScanner {
  pos = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  fail(what: string): never {
    const before = this.s.slice(0, this.pos);
    const line = before.split('\n').length;
    throw new NotebookError(`invalid JSON at line ${line}: ${what}`);
  }

  skipWs(): void {
    while (this.pos < this.s.length && ' \t\r\n\ufeff'.includes(this.s[this.pos])) this.pos++;
  }

  value(): JValue {
    this.skipWs();
    const c = this.s[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    const start = this.pos;
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.pos, this.pos + 64));
    if (!m) this.fail(c === undefined ? 'unexpected end of file' : `unexpected character ${JSON.stringify(c)}`);
    this.pos += m[0].length;
    return { t: 'other', start, end: this.pos };
  }

  object(): JValue {
    const start = this.pos;
    if (++this.depth > MAX_DEPTH) this.fail('nested too deeply');
    this.pos++;
    const fields = new Map<string, JValue>();
    this.skipWs();
    if (this.s[this.pos] === '}') {
      this.pos++;
      this.depth--;
      return { t: 'object', fields, start, end: this.pos };
    }
    for (;;) {
      this.skipWs();
      if (this.s[this.pos] !== '"') this.fail('expected a key');
      const key = this.string().value;
      this.skipWs();
      if (this.s[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      fields.set(key, this.value());
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === '}') break;
      if (c !== ',') this.fail('expected "," or "}"');
    }
    this.depth--;
    return { t: 'object', fields, start, end: this.pos };
  }

  array(): JValue {
    const start = this.pos;
    if (++this.depth > MAX_DEPTH) this.fail('nested too deeply');
    this.pos++;
    const items: JValue[] = [];
    this.skipWs();
    if (this.s[this.pos] === ']') {
      this.pos++;
      this.depth--;
      return { t: 'array', items, start, end: this.pos };
    }
    for (;;) {
      items.push(this.value());
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === ']') break;
      if (c !== ',') this.fail('expected "," or "]"');
    }
    this.depth--;
    return { t: 'array', items, start, end: this.pos };
  }

  string(): JString {
    const start = this.pos;
    let i = this.pos + 1;
    let simple = true;
    for (; i < this.s.length; i++) {
      const c = this.s.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        simple = false;
        i++;
      } else if (c < 32) this.fail('control character in string');
    }
    if (i >= this.s.length) this.fail('unterminated string');
    const raw = this.s.slice(start, i + 1);
    this.pos = i + 1;
    let value: string;
    if (simple) value = raw.slice(1, -1);
    else {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        this.fail('bad escape in string');
      }
    }
    return { t: 'string', value, start, end: this.pos };
  }
}

// ---- checking and fixing a notebook with the engine's lint function ------------------------------

export interface NotebookFinding extends Finding {
  /** 0-based index of the cell in the notebook; `range`, fix edits and `noqaLine` are within that cell. */
  cell: number;
}

type Lint = (programText: string) => Finding[];

/** Findings of the notebook's program, located in their cells. */
export function checkNotebookWith(nb: Notebook, lint: Lint): NotebookFinding[] {
  const program = notebookProgram(nb);
  const out: NotebookFinding[] = [];
  const indexes = new Map<number, LineIndex>();
  const idx = (cell: number): LineIndex => {
    let li = indexes.get(cell);
    if (!li) indexes.set(cell, (li = new LineIndex(nb.cells[cell].source)));
    return li;
  };
  for (const f of lint(program.text)) {
    const at = cellAt(program, f.range.startOffset);
    if (!at) continue;
    const cellStart = f.range.startOffset - at.offset;
    const li = idx(at.index);
    const rebase = (r: Range): Range => li.rangeOf(r.startOffset - cellStart, r.endOffset - cellStart);
    const range = rebase(f.range);
    const fix = f.fix && editsInCell(f.fix, cellStart, nb.cells[at.index].source.length) ? { ...f.fix, edits: f.fix.edits.map((e) => ({ content: e.content, range: rebase(e.range) })) } : null;
    // Related locations in other cells are given in their own cell's coordinates, the cell named.
    const related = f.related.map((r) => {
      if (r.path !== undefined) return r;
      const where = cellAt(program, r.range.startOffset);
      if (!where) return r;
      const start = r.range.startOffset - where.offset;
      const range = idx(where.index).rangeOf(where.offset, r.range.endOffset - start);
      return where.index === at.index ? { ...r, range } : { ...r, range, message: `${r.message} (cell ${where.index + 1})` };
    });
    out.push({ ...f, cell: at.index, range, fix, noqaLine: range.start.line, related });
  }
  return out;
}

function editsInCell(fix: Fix, cellStart: number, cellLength: number): boolean {
  return fix.edits.every((e) => e.range.startOffset >= cellStart && e.range.endOffset <= cellStart + cellLength + 1);
}

export interface NotebookFixResult {
  json: string;
  applied: number;
  changedCells: number[];
}

/**
 * Applies allowed fixes in passes (at most `maxPasses`), each only within one code cell and never
 * over a blanked magic line, then writes the changed cells back into the JSON text.
 */
export function fixNotebookWith(json: string, lint: Lint, options: { unsafe?: boolean; maxPasses?: number } = {}): NotebookFixResult {
  const nb = parseNotebook(json);
  const sources = new Map(nb.cells.filter((c) => c.kind === 'code').map((c) => [c.index, c.source]));
  let applied = 0;
  for (let pass = 0; pass < (options.maxPasses ?? 10); pass++) {
    const current: Notebook = { ...nb, cells: nb.cells.map((c) => (sources.has(c.index) ? { ...c, source: sources.get(c.index) as string } : c)) };
    const program = notebookProgram(current);
    const perCell = new Map<number, Fix[]>();
    for (const f of lint(program.text)) {
      if (!f.fix || !isFixAllowed(f.fix, options.unsafe ?? false)) continue;
      const at = cellAt(program, f.range.startOffset);
      if (!at) continue;
      const cell = program.cells.find((c) => c.index === at.index);
      if (!cell) continue;
      const real = sources.get(at.index) as string;
      const blanked = program.text.slice(cell.start, cell.start + cell.length);
      const local: TextEdit[] = [];
      let ok = true;
      for (const e of f.fix.edits) {
        const s = e.range.startOffset - cell.start;
        const en = e.range.endOffset - cell.start;
        if (s < 0 || en > real.length || real.slice(s, en) !== blanked.slice(s, en)) {
          ok = false;
          break;
        }
        local.push({ content: e.content, range: { ...e.range, startOffset: s, endOffset: en } });
      }
      if (ok) perCell.set(at.index, [...(perCell.get(at.index) ?? []), { ...f.fix, edits: local }]);
    }
    let changed = false;
    for (const [cell, fixes] of perCell) {
      const r = applyFixes(sources.get(cell) as string, fixes);
      if (r.applied.length && r.text !== sources.get(cell)) {
        sources.set(cell, r.text);
        applied += r.applied.length;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const changes = new Map<number, string>();
  for (const [i, s] of sources) if (s !== nb.cells[i].source) changes.set(i, s);
  return { json: changes.size ? replaceCellSources(json, nb, changes) : json, applied, changedCells: [...changes.keys()] };
}
