import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixes, fixAll } from '../src/core/fix/apply';
import type { Finding } from '../src/core/types';
import { edit, findingRange, fix, replace } from './fixtures/cli/findings';

test('applyFixes applies edits by offset, several edits per fix, any input order', () => {
  const text = 'a = log(softmax(x))\nb = ce(softmax(z), y)\n';
  const f1 = fix([replace(text, 'log(softmax(x))', 'log_softmax(x)')]);
  const f2 = fix([replace(text, 'ce(', 'nll('), replace(text, 'softmax(z)', 'log_softmax(z)')]);
  const r = applyFixes(text, [f2, f1]);
  assert.equal(r.text, 'a = log_softmax(x)\nb = nll(log_softmax(z), y)\n');
  assert.deepEqual(r.applied, [0, 1]);
  assert.deepEqual(r.skipped, []);
});

test('applyFixes skips a fix that overlaps an accepted one, whole', () => {
  const text = 'abcdefghij';
  const first = fix([edit(text, 2, 5, 'XYZ')]); // cde
  const overlapping = fix([edit(text, 0, 1, 'A'), edit(text, 4, 6, 'Q')]); // a, ef: ef overlaps cde
  const insert = fix([edit(text, 2, 2, '>')]);
  const apart = fix([edit(text, 7, 8, 'H')]);
  const r = applyFixes(text, [first, overlapping, insert, apart]);
  // `overlapping` starts first (offset 0) and wins; `first` is dropped with all its edits, so the
  // insertion at 2 no longer collides.
  assert.equal(r.text, 'Ab>cdQgHij');
  assert.deepEqual(r.applied, [1, 2, 3]);
  assert.deepEqual(r.skipped, [{ index: 0, reason: 'overlap' }]);
});

test('applyFixes treats touching edits and insertions at an edge as collisions', () => {
  const text = 'abcdefghij';
  const first = fix([edit(text, 2, 5, 'XYZ')]);
  const touching = fix([edit(text, 5, 6, 'F')]);
  const insertAtStart = fix([edit(text, 2, 2, '>')]);
  const insertAtEnd = fix([edit(text, 5, 5, '<')]);
  const r = applyFixes(text, [first, touching, insertAtStart, insertAtEnd]);
  assert.equal(r.text, 'abXYZfghij');
  assert.deepEqual(r.skipped.map((s) => s.index), [1, 2, 3]);
});

test('applyFixes: identical fixes apply once and both count; invalid fixes are skipped', () => {
  const text = 'p = softmax(x)';
  const a = fix([replace(text, 'softmax', 'log_softmax')]);
  const r = applyFixes(text, [a, { ...a }, fix([edit(text, 3, 99, '')]), fix([edit(text, 5, 3, '')]), fix([]), fix([edit(text, 0, 2, 'a'), edit(text, 1, 3, 'b')])]);
  assert.equal(r.text, 'p = log_softmax(x)');
  assert.deepEqual(r.applied, [0, 1]);
  assert.deepEqual(r.skipped.map((s) => `${s.index}:${s.reason}`), ['2:invalid', '3:invalid', '4:invalid', '5:invalid']);
});

test('applyFixes counts offsets in UTF-16 code units (astral characters are two)', () => {
  const text = 's = "😀"; p = softmax(x)';
  const r = applyFixes(text, [fix([replace(text, 'softmax', 'log_softmax')])]);
  assert.equal(r.text, 's = "😀"; p = log_softmax(x)');
});

test('applyFixes keeps CRLF and anything outside the edits byte for byte', () => {
  const text = '\ufeffa = 1\r\nb = softmax(x)\r\n\tc = 2\r\n';
  const r = applyFixes(text, [fix([replace(text, 'softmax', 'log_softmax')])]);
  assert.equal(r.text, '\ufeffa = 1\r\nb = log_softmax(x)\r\n\tc = 2\r\n');
});

/**
 * A fake linter: every `softmax(` not preceded by `log_` is a finding whose fix renames it;
 * nested calls overlap, so they need several passes.
 */
function fakeLint(applicability: 'safe' | 'unsafe' = 'safe') {
  let calls = 0;
  const lint = (text: string): Finding[] => {
    calls++;
    const out: Finding[] = [];
    for (const m of text.matchAll(/(?<!log_)softmax\(/g)) {
      const start = m.index!;
      // The fix rewrites the whole call, so an outer call overlaps the inner one.
      let depth = 0;
      let end = start + 'softmax('.length;
      for (; end < text.length; end++) {
        if (text[end] === '(') depth++;
        else if (text[end] === ')' && depth-- === 0) break;
      }
      const call = text.slice(start, end + 1);
      out.push(findingRange(text, 'SL003', start, end + 1, { fix: fix([edit(text, start, end + 1, `log_${call}`)], applicability) }));
    }
    return out;
  };
  return { lint, calls: () => calls };
}

test('fixAll fixes nested overlapping findings over passes and converges', () => {
  const { lint, calls } = fakeLint();
  const text = 'y = softmax(softmax(softmax(x)))\nz = softmax(w)\n';
  const r = fixAll(text, lint);
  assert.equal(r.text, 'y = log_softmax(log_softmax(log_softmax(x)))\nz = log_softmax(w)\n');
  assert.equal(r.applied, 4);
  assert.equal(r.passes, 3);
  assert.equal(r.converged, true);
  assert.deepEqual(r.remaining, []);
  assert.equal(calls(), 4);
});

test('fixAll is idempotent: a second run changes nothing', () => {
  const { lint } = fakeLint();
  const once = fixAll('y = softmax(softmax(x))\n', lint);
  const twice = fixAll(once.text, lint);
  assert.equal(twice.text, once.text);
  assert.equal(twice.applied, 0);
  assert.equal(twice.passes, 0);
  assert.equal(twice.converged, true);
});

test('fixAll applies unsafe fixes only when asked', () => {
  const text = 'y = softmax(x)\n';
  const { lint } = fakeLint('unsafe');
  const safeOnly = fixAll(text, lint);
  assert.equal(safeOnly.text, text);
  assert.equal(safeOnly.applied, 0);
  assert.equal(safeOnly.converged, true, 'no allowed fix remains');
  assert.equal(safeOnly.remaining.length, 1);
  assert.equal(fixAll(text, lint, { unsafe: true }).text, 'y = log_softmax(x)\n');
});

test('fixAll stops after maxPasses and says it did not converge', () => {
  const { lint, calls } = fakeLint();
  const text = `y = ${'softmax('.repeat(5)}x${')'.repeat(5)}\n`;
  const r = fixAll(text, lint, { maxPasses: 3 });
  assert.equal(r.passes, 3);
  assert.equal(r.converged, false);
  assert.equal(r.remaining.length, 2);
  // Each pass fixes the outermost call (its edit starts first) and skips the ones inside it.
  assert.equal(r.text, `y = ${'log_softmax('.repeat(3)}softmax(softmax(x${')'.repeat(5)}\n`);
  assert.equal(calls(), 4);
});

test('fixAll detects fixes that undo each other', () => {
  // a -> b and b -> a forever.
  const lint = (text: string): Finding[] => {
    const from = text.includes('alpha') ? 'alpha' : 'beta';
    const to = from === 'alpha' ? 'beta' : 'alpha';
    return [findingRange(text, 'SL006', text.indexOf(from), text.indexOf(from) + from.length, { fix: fix([replace(text, from, to)]) })];
  };
  const r = fixAll('x = alpha\n', lint);
  assert.equal(r.converged, false);
  assert.equal(r.passes, 2);
  assert.equal(r.text, 'x = alpha\n');
});

test('fixAll stops when no fixable finding can be applied', () => {
  const text = 'x = 1\n';
  const lint = (t: string): Finding[] => [findingRange(t, 'SL006', 0, 1, { fix: fix([edit(t, 0, 99, '')]) })];
  const r = fixAll(text, lint);
  assert.equal(r.text, text);
  assert.equal(r.converged, false);
  assert.equal(r.applied, 0);
});
