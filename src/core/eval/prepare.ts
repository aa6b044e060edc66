// Preparing a text for hover evaluation quickly. Parsing a long numeric list literal with
// tree-sitter (and lowering its thousand nodes) is most of the cost of a hover, so before parsing,
// every bracketed list made only of plain decimal numbers (at least MIN_ITEMS of them) is found by
// a scanner; the parser reads the text without the insides of those lists (tree-sitter's included
// ranges: it sees `[]`, and every offset stays that of the real text), and the lists get their
// elements back, built directly from the scanned numbers exactly as the lowering would build them
// (`-1.5` is `unary - (num 1.5)`). A skipped span that does not come back as exactly one list node
// (it was in a string or a comment, or the parser saw something else) makes the whole text be
// parsed and lowered again in full.
import type { Expr, Module } from '../ir';

/** Lists shorter than this are parsed normally (nothing to gain). */
export const MIN_ITEMS = 32;

export interface Scanned {
  s: number;
  e: number;
  elts: Expr[];
  /** Numbers in the list, nested lists included. */
  numbers: number;
}

const NUM = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

/**
 * The list literal of plain numbers (or of such lists, nested) starting at `text[s] === '['`, with
 * how many numbers it holds, or null.
 */
function scanList(text: string, s: number, depth = 0): { list: Expr & { k: 'list' }; numbers: number } | null {
  if (depth > 32) return null;
  const elts: Expr[] = [];
  let numbers = 0;
  let i = s + 1;
  const n = text.length;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 93 /* ] */) break; // `[]` or a trailing comma
    if (text.charCodeAt(i) === 91 /* [ */) {
      const inner = scanList(text, i, depth + 1);
      if (!inner) return null;
      elts.push(inner.list);
      numbers += inner.numbers;
      i = inner.list.e;
    } else {
      const start = i;
      const neg = text.charCodeAt(i) === 45; /* - */
      if (neg) i++;
      NUM.lastIndex = i;
      const m = NUM.exec(text);
      if (!m) return null;
      const raw = m[0];
      const numS = i;
      i += raw.length;
      // The number must end here (not `1j`, `1_0`, `0x1`, `1.e`, `1.5.2`, `1if`).
      const next = text.charCodeAt(i);
      if (!(isSpace(next) || next === 44 || next === 93)) return null;
      const isFloat = /[.eE]/.test(raw);
      if (!isFloat && raw.length > 1 && raw.charCodeAt(0) === 48 && /[1-9]/.test(raw)) return null; // `01`: a syntax error
      const num: Expr = { k: 'num', value: Number(raw), isFloat, raw, s: numS, e: i };
      elts.push(neg ? { k: 'unary', op: '-', operand: num, s: start, e: i } : num);
      numbers++;
    }
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c === 44 /* , */) {
      i++;
      continue;
    }
    if (c === 93) break;
    return null;
  }
  return { list: { k: 'list', elts, s, e: i + 1 }, numbers };
}

/** The numeric list literals of `text` worth blanking, in order, not overlapping. */
export function scanNumericLists(text: string, minItems = MIN_ITEMS): Scanned[] {
  const out: Scanned[] = [];
  let at = text.indexOf('[');
  while (at >= 0) {
    const l = scanList(text, at);
    if (l && l.numbers >= minItems) {
      out.push({ s: l.list.s, e: l.list.e, elts: l.list.elts, numbers: l.numbers });
      at = text.indexOf('[', l.list.e);
    } else at = text.indexOf('[', at + 1);
  }
  return out;
}

/** Gives the skipped lists of `module` their elements back; false unless every one is found once. */
function restore(module: Module, lists: Scanned[]): boolean {
  const byStart = new Map(lists.map((l) => [l.s, l]));
  let found = 0;
  let ok = true;
  const seen = new Set<object>();
  const visit = (x: unknown): void => {
    if (!ok || x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.s === 'number' && byStart.has(o.s)) {
      const l = byStart.get(o.s)!;
      if (o.k === 'list' && o.e === l.e && Array.isArray(o.elts) && o.elts.length === 0) {
        o.elts = l.elts;
        found++;
        byStart.delete(o.s);
        return;
      }
    }
    for (const key in o) {
      const v = o[key];
      if (v !== null && typeof v === 'object') visit(v);
    }
  };
  visit(module.body);
  return ok && found === lists.length;
}

/**
 * The lowered module of `text` for evaluation, parsing long numeric list literals without the
 * parser. `lower` parses and lowers a text, only within `ranges` when given (tree-sitter's included ranges).
 */
export function lowerForEval(text: string, lower: (text: string, ranges?: TextRange[]) => Module, lists = scanNumericLists(text)): Module {
  if (!lists.length) return lower(text);
  const module = lower(text, includedRanges(text, lists));
  return restore(module, lists) ? module : lower(text);
}

/** A part of the text for the parser (tree-sitter's Range, UTF-16 offsets and columns). */
export interface TextRange {
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
}

/** The text outside the lists' insides: the parser reads `[` then `]`, offsets unchanged. */
export function includedRanges(text: string, lists: Scanned[]): TextRange[] {
  const cuts = [0];
  for (const l of lists) cuts.push(l.s + 1, l.e - 1);
  cuts.push(text.length);
  const points: { row: number; column: number }[] = [];
  let row = 0;
  let lineStart = 0;
  let i = 0;
  for (const c of cuts) {
    for (; i < c; i++) {
      if (text.charCodeAt(i) === 10) {
        row++;
        lineStart = i + 1;
      }
    }
    points.push({ row, column: c - lineStart });
  }
  const out: TextRange[] = [];
  for (let k = 0; k + 1 < cuts.length; k += 2) out.push({ startIndex: cuts[k]!, endIndex: cuts[k + 1]!, startPosition: points[k]!, endPosition: points[k + 1]! });
  return out;
}
