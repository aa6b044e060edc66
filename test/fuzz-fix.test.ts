// Property tests of applyFixes (issue #8): random texts and random fix lists (overlapping, touching,
// out-of-range, empty, duplicate) never throw; every fix is either applied or skipped with a reason;
// the accepted edits do not touch each other; the output is exactly the text with the accepted edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Fix, Range } from '../src/core';
import { applyFixes } from '../src/core/fix/apply';

const range = (s: number, e: number): Range => ({ start: { line: 0, character: s }, end: { line: 0, character: e }, startOffset: s, endOffset: e });

const textArb = fc.string({ unit: fc.constantFrom('a', 'b', '(', ')', '\n', '\r', '\ud800', 'é', ' '), maxLength: 40 });
const fixArb = (len: number) =>
  fc.record({
    applicability: fc.constantFrom<'safe' | 'unsafe'>('safe', 'unsafe'),
    message: fc.constant('fix'),
    edits: fc.array(
      fc.tuple(fc.integer({ min: -2, max: len + 2 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom('', 'X', 'log_softmax', '\n')).map(([s, k, content]) => ({ range: range(s, s + k), content })),
      { minLength: 0, maxLength: 3 },
    ),
  });

test('applyFixes: never throws, accounts for every fix, applies exactly the accepted non-touching edits (1,000 runs)', () => {
  let applied = 0;
  let skipped = 0;
  fc.assert(
    fc.property(
      textArb.chain((text) => fc.tuple(fc.constant(text), fc.array(fixArb(text.length), { maxLength: 6 }))),
      ([text, fixes]) => {
        // Duplicates are allowed (two findings can carry the same fix).
        const list: Fix[] = fixes.length > 1 && fixes[0]!.edits.length ? [...fixes, fixes[0]!] : fixes;
        const r = applyFixes(text, list);
        const all = [...r.applied, ...r.skipped.map((s) => s.index)].sort((a, b) => a - b);
        assert.deepEqual(all, list.map((_, i) => i), 'each fix applied or skipped once');
        applied += r.applied.length;
        skipped += r.skipped.length;
        // Rebuild the expected output from the applied fixes (identical fixes count once).
        const seen = new Set<string>();
        const edits: { s: number; e: number; content: string }[] = [];
        for (const i of r.applied) {
          const key = JSON.stringify(list[i]!.edits.map((e) => [e.range.startOffset, e.range.endOffset, e.content]).sort());
          if (seen.has(key)) continue;
          seen.add(key);
          for (const e of list[i]!.edits) {
            assert.ok(e.range.startOffset >= 0 && e.range.endOffset <= text.length, 'an applied edit is inside the text');
            edits.push({ s: e.range.startOffset, e: e.range.endOffset, content: e.content });
          }
        }
        edits.sort((a, b) => a.s - b.s || a.e - b.e);
        let out = '';
        let pos = 0;
        for (const e of edits) {
          assert.ok(e.s >= pos, `accepted edits overlap at ${e.s}`);
          out += text.slice(pos, e.s) + e.content;
          pos = e.e;
        }
        out += text.slice(pos);
        assert.equal(r.text, out);
        for (const s of r.skipped) {
          const f = list[s.index]!;
          const invalid = f.edits.length === 0 || f.edits.some((e) => e.range.startOffset < 0 || e.range.endOffset > text.length);
          if (invalid) assert.equal(s.reason, 'invalid', `fix ${s.index} is invalid`);
        }
      },
    ),
    { seed: 0xf1f, numRuns: 1000, includeErrorInReport: true },
  );
  assert.ok(applied > 150 && skipped > 300, `applied ${applied}, skipped ${skipped}`);
});
