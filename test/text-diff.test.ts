// commonPrefix/commonSuffix (src/core/text-diff.ts) equal the character loops they replace, across
// the chunk size (1,024) and with edits anywhere, including at chunk boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commonPrefix, commonSuffix } from '../src/core/text-diff';

function prefixLoop(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function suffixLoop(a: string, b: string, limit: number): number {
  let n = 0;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

test('commonPrefix and commonSuffix equal the character loops (edits of long texts, chunk boundaries)', () => {
  const base = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 26)) + (i % 61 === 0 ? '\n' : '')).join('');
  fc.assert(
    fc.property(fc.integer({ min: 0, max: base.length }), fc.integer({ min: 0, max: 5 }), fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 3000 }), (at, del, ins, cut) => {
      const a = base.slice(0, base.length - (cut % 7 === 0 ? cut : 0));
      const b = a.slice(0, at) + ins + a.slice(at + del);
      const pre = commonPrefix(a, b);
      assert.equal(pre, prefixLoop(a, b));
      const limit = Math.min(a.length, b.length) - pre;
      assert.equal(commonSuffix(a, b, limit), suffixLoop(a, b, limit));
    }),
    { numRuns: 500 },
  );
  for (const at of [0, 1023, 1024, 1025, 2048, 4095]) {
    const a = 'x'.repeat(4096);
    const b = a.slice(0, at) + 'y' + a.slice(at + 1);
    assert.equal(commonPrefix(a, b), at);
    assert.equal(commonSuffix(a, b, 4096 - at), 4095 - at);
  }
  assert.equal(commonPrefix('', 'abc'), 0);
  assert.equal(commonSuffix('abc', 'abc', 3), 3);
});
