// Independent checks of the ranges the core reports (shared by the fuzz tests).
import assert from 'node:assert/strict';
import type { Range } from '../../src/core';

/** Line/character of an offset, computed naively: lines end at \n, \r\n or \r; columns in UTF-16 units. */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}

/** The range lies inside the text, never splits a CRLF, and its positions agree with its offsets. */
export function assertRange(text: string, r: Range, what: string): void {
  assert.ok(Number.isInteger(r.startOffset) && Number.isInteger(r.endOffset), `${what}: integer offsets`);
  assert.ok(0 <= r.startOffset && r.startOffset <= r.endOffset && r.endOffset <= text.length, `${what}: [${r.startOffset}, ${r.endOffset}) inside 0..${text.length}`);
  for (const [o, p] of [[r.startOffset, r.start], [r.endOffset, r.end]] as const) {
    // An offset between the \r and \n of a CRLF is not a position an editor can show.
    assert.ok(!(text.charCodeAt(o - 1) === 13 && text.charCodeAt(o) === 10), `${what}: offset ${o} splits a CRLF`);
    assert.deepEqual({ line: p.line, character: p.character }, positionOf(text, o), `${what}: position of offset ${o}`);
  }
}
