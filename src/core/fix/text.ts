// Offsets, lines and columns of a text. Lines end at "\n", "\r\n" or "\r" (as Python and the
// engine count them); columns are UTF-16 code units unless a function says otherwise. Pure: no Node built-ins, runs in web workers.
import type { Position, Range } from '../types';

export class LineIndex {
  /** UTF-16 offset where each line starts; lineStarts[0] = 0 (an Int32Array when derived by `edited`). */
  readonly lineStarts: ArrayLike<number>;
  /** The text has no carriage return (every line ends at "\n"). */
  readonly lfOnly: boolean;

  /** `known`: the line starts of `text`, when the caller has them (`LineIndex.edited`). */
  constructor(
    readonly text: string,
    known?: { lineStarts: ArrayLike<number>; lfOnly: boolean },
  ) {
    if (known) {
      this.lineStarts = known.lineStarts;
      this.lfOnly = known.lfOnly;
      return;
    }
    const starts = [0];
    this.lfOnly = text.indexOf('\r') < 0;
    if (this.lfOnly) {
      // No carriage returns (most texts): the engine's indexOf finds the line feeds much faster than a loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  /**
   * The index of `text`, which is `prev.text` with [pre, oldEnd) replaced by text[pre, newEnd) (an
   * editor's keystroke): the line starts before the edit are kept, those after it move by the length
   * change, and only the inserted part is scanned, so a keystroke in a long document costs a copy of
   * its line starts instead of a scan of its text. Texts with carriage returns ("\r\n" may be split
   * or joined by the edit) are scanned in full.
   */
  static edited(prev: LineIndex, text: string, pre: number, oldEnd: number, newEnd: number): LineIndex {
    if (!prev.lfOnly || text.slice(pre, newEnd).includes('\r')) return new LineIndex(text);
    const old = prev.lineStarts;
    // Starts at or before `pre` follow a "\n" before the edit; starts after `oldEnd` a "\n" after it.
    const keep = firstAfter(old, pre);
    const from = firstAfter(old, oldEnd);
    const inserted: number[] = [];
    for (let i = text.indexOf('\n', pre); i >= 0 && i < newEnd; i = text.indexOf('\n', i + 1)) inserted.push(i + 1);
    // A typed array: one allocation, and copies and stores far cheaper than a growing JS array's.
    const starts = new Int32Array(keep + inserted.length + old.length - from);
    starts.set(old instanceof Int32Array ? old.subarray(0, keep) : Array.prototype.slice.call(old, 0, keep));
    starts.set(inserted, keep);
    const delta = newEnd - oldEnd;
    for (let j = from, k = keep + inserted.length; j < old.length; j++, k++) starts[k] = old[j]! + delta;
    return new LineIndex(text, { lineStarts: starts, lfOnly: true });
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based line containing `offset` (clamped to the text). */
  lineAt(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const line = this.lineAt(offset);
    return { line, character: Math.max(0, Math.min(offset, this.text.length)) - this.lineStarts[line]! };
  }

  rangeOf(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset), startOffset, endOffset };
  }

  /** Offset of the first character of `line`; the text length past the last line. */
  lineStart(line: number): number {
    if (line < 0) return 0;
    return line < this.lineStarts.length ? this.lineStarts[line]! : this.text.length;
  }

  /** Offset just past the line's content, before its "\r\n", "\n" or "\r". */
  lineContentEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let e = this.lineStarts[line + 1]!;
    if (this.text.charCodeAt(e - 1) === 10) e--;
    if (e > this.lineStarts[line]! && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  /** The line's text without its line ending. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineContentEnd(line));
  }

  /**
   * 1-based row and 1-based column in Unicode code points (what Ruff's JSON and SARIF's
   * default column kind use), for a UTF-16 offset.
   */
  codePointLocation(offset: number): { row: number; column: number } {
    const line = this.lineAt(offset);
    const start = this.lineStarts[line]!;
    const end = Math.max(start, Math.min(offset, this.text.length));
    return { row: line + 1, column: codePointLength(this.text, start, end) + 1 };
  }
}

/** Number of code points in text[start, end): a surrogate pair counts once. */
export function codePointLength(text: string, start = 0, end = text.length): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The index of the first element of the ascending `xs` greater than `x` (xs.length if none). */
function firstAfter(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
