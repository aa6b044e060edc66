import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codePointLength, LineIndex } from '../src/core/fix/text';
import { commonPrefix, commonSuffix } from '../src/core/text-diff';
import fc from 'fast-check';
import { filterNoqa } from '../src/core/noqa';
import { findingAt } from './fixtures/cli/findings';

test('LineIndex: \\n, \\r\\n and a lone \\r end lines (as Python counts them)', () => {
  const text = 'a\nbb\r\nccc\rdddd';
  const idx = new LineIndex(text);
  assert.deepEqual(idx.lineStarts, [0, 2, 6, 10]);
  assert.deepEqual([0, 1, 2, 3].map((l) => idx.lineText(l)), ['a', 'bb', 'ccc', 'dddd']);
  assert.deepEqual(idx.positionAt(text.indexOf('ccc') + 1), { line: 2, character: 1 });
  assert.deepEqual(idx.positionAt(4), { line: 1, character: 2 }, 'the \\r of \\r\\n is past the content');
  assert.equal(idx.lineContentEnd(1), 4);
  assert.deepEqual(idx.positionAt(999), { line: 3, character: 4 }, 'clamped');
  assert.deepEqual(new LineIndex('x\n').lineStarts, [0, 2]);
  assert.equal(new LineIndex('').lineCount, 1);
});

test('LineIndex: texts with and without \\r (two ways of finding the breaks) give the line starts of a plain scan', () => {
  const plain = (t: string): number[] => {
    const starts = [0];
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '\n' || (t[i] === '\r' && t[i + 1] !== '\n')) starts.push(i + 1);
    }
    return starts;
  };
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let n = 0; n < 300; n++) {
    const parts = ['a', 'bc', '\n', '\n\n', ' '];
    if (n % 2) parts.push('\r\n', '\r');
    let t = '';
    for (let k = next() % 40; k > 0; k--) t += parts[next() % parts.length];
    assert.deepEqual(new LineIndex(t).lineStarts, plain(t), JSON.stringify(t));
  }
  assert.deepEqual(new LineIndex('\n').lineStarts, [0, 1]);
  assert.deepEqual(new LineIndex('a\nb').lineStarts, [0, 2]);
});

test('LineIndex: code-point columns count a surrogate pair once', () => {
  const text = 'x\n"😀😀" + y';
  const idx = new LineIndex(text);
  const y = text.indexOf('y');
  assert.deepEqual(idx.positionAt(y), { line: 1, character: 9 });
  assert.deepEqual(idx.codePointLocation(y), { row: 2, column: 8 });
  assert.equal(codePointLength('😀a'), 2);
  assert.equal(codePointLength('\ud83d'), 1, 'a lone surrogate is one');
  const r = idx.rangeOf(2, y);
  assert.deepEqual(r, { start: { line: 1, character: 0 }, end: { line: 1, character: 9 }, startOffset: 2, endOffset: y });
});

test('noqa on a line ended by a lone \\r', () => {
  const text = 'import torch\rp = torch.log(torch.softmax(x, 1))  # noqa: SL003\rq = 1\r';
  const f = findingAt(text, 'SL003', 'torch.log(');
  assert.equal(f.noqaLine, 1);
  assert.deepEqual(filterNoqa([f], text), []);
});

test('LineIndex.edited (an editor keystroke) gives the line starts of a fresh index, for edits anywhere, with and without \\r', () => {
  const alphabet = ['a', 'b', ' ', '\n', '\n', '\r', '\r\n', 'é', '😀'];
  const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((xs) => xs.join(''));
  fc.assert(
    fc.property(text, fc.nat(), fc.nat({ max: 6 }), text, (before, at0, del, ins) => {
      const at = at0 % (before.length + 1);
      const after = before.slice(0, at) + ins + before.slice(at + del);
      // The edit as the session computes it: the texts' common prefix and suffix.
      const pre = commonPrefix(before, after);
      const suf = commonSuffix(before, after, Math.min(before.length, after.length) - pre);
      const derived = LineIndex.edited(new LineIndex(before), after, pre, before.length - suf, after.length - suf);
      const fresh = new LineIndex(after);
      assert.deepEqual(Array.from(derived.lineStarts), Array.from(fresh.lineStarts), JSON.stringify([before, after]));
      assert.equal(derived.lfOnly, fresh.lfOnly);
    }),
    { numRuns: 3000 },
  );
  // The common case: a one-character insertion in a long text keeps the starts before it and moves the rest.
  const long = 'x = 1\n'.repeat(1000);
  const edited = long.slice(0, 3003) + 'yy\n' + long.slice(3003);
  const d = LineIndex.edited(new LineIndex(long), edited, 3003, 3003, 3006);
  assert.deepEqual(Array.from(d.lineStarts), Array.from(new LineIndex(edited).lineStarts));
  assert.equal(d.lineCount, 1002);
});

test('LineIndex.edited chained over many keystrokes (each index derived from the last) stays equal to a fresh index', () => {
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const pieces = ['x', ' ', '\n', 'ab\ncd', '', '\r\n'];
  let text = 'def f(x):\n    return x\n'.repeat(20);
  let index = new LineIndex(text);
  for (let n = 0; n < 400; n++) {
    const at = next() % (text.length + 1);
    // Mostly line-feed-only texts (the derived path); a "\r\n" now and then (the full scan).
    const ins = pieces[next() % (n % 50 === 49 ? pieces.length : pieces.length - 1)];
    const after = text.slice(0, at) + ins + text.slice(at + (next() % 3));
    const pre = commonPrefix(text, after);
    const suf = commonSuffix(text, after, Math.min(text.length, after.length) - pre);
    index = LineIndex.edited(index, after, pre, text.length - suf, after.length - suf);
    text = after;
    assert.deepEqual(Array.from(index.lineStarts), Array.from(new LineIndex(text).lineStarts), `keystroke ${n}`);
  }
});
