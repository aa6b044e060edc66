// Facts the rules keep between calls (per analysis and scope, or for the last text) answer for
// their own analysis, scope and text: a kept answer never leaks into another one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditSession } from '../src/core';
import { findComments, filterNoqa } from '../src/core/noqa';
import { LineIndex } from '../src/core/fix/text';
import { getEngine } from './helpers/engine';

const guarded = `import torch
import torch.nn.functional as F

def a(x):
    p = F.softmax(x, dim=1)
    p.clamp_(min=1e-6)
    return torch.log(p)

def b(x):
    p = F.softmax(x, dim=1)
    return torch.log(p)

p = F.softmax(z, dim=1)
q = torch.log(p)
`;

const lineOf = (text: string, needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length - 1;

test('a name clipped in place in one scope keeps the log in another scope reported (kept per scope and name)', async () => {
  const engine = await getEngine();
  const lines = engine.check(guarded).findings.map((f) => `${f.code}:${f.range.start.line}`);
  assert.deepEqual(lines, [`SL003:${lineOf(guarded, 'return torch.log(p)', guarded.indexOf('def b'))}`, `SL003:${lineOf(guarded, 'q = torch.log(p)')}`]);
});

test('an editor session: a clip added in place, then removed, changes the finding as in a fresh check', async () => {
  const engine = await getEngine();
  const session = new EditSession();
  const clipped = guarded.replace('    return torch.log(p)\n\np =', '    p.clamp_(min=1e-6)\n    return torch.log(p)\n\np =');
  assert.notEqual(clipped, guarded);
  const module = guarded + 'p.clamp_(min=1e-6)\n';
  for (const text of [guarded, clipped, guarded, clipped.replace('  p.clamp_', '  p.clamp_'), module, guarded]) {
    const got = engine.check(text, { session }).findings.map((f) => `${f.code}:${f.range.start.line}`);
    const fresh = engine.check(text).findings.map((f) => `${f.code}:${f.range.start.line}`);
    assert.deepEqual(got, fresh, text);
  }
  assert.equal(engine.check(clipped).findings.length, 1, 'b clipped: only the module-level log');
  assert.equal(engine.check(module).findings.length, 1, 'the module-level name clipped: only b');
});

test('comments are found for the text asked about, also right after another text', () => {
  const a = 'x = 1  # one\ns = "# not a comment"\n';
  const b = '# two\ny = 2\n';
  const ca = findComments(a);
  assert.deepEqual(findComments(b), [{ start: 0, end: 5 }]);
  assert.deepEqual(findComments(a), ca);
  assert.deepEqual(ca, [{ start: 7, end: 12 }]);
  assert.deepEqual(findComments((' ' + b).slice(1)), [{ start: 0, end: 5 }], 'an equal text in another string');
});

test("filterNoqa with the caller's line index answers as without it; another text's index is not used", () => {
  const text = 'a = 1\nb = 2  # noqa: SL001\nc = 3  # noqa\n';
  const findings = [0, 1, 2].flatMap((line) => (['SL001', 'SL003'] as const).map((code) => ({ code, noqaLine: line })));
  const plain = filterNoqa(findings, text);
  assert.deepEqual(plain, [
    { code: 'SL001', noqaLine: 0 },
    { code: 'SL003', noqaLine: 0 },
    { code: 'SL003', noqaLine: 1 },
  ]);
  assert.deepEqual(filterNoqa(findings, text, undefined, new LineIndex(text)), plain);
  assert.deepEqual(filterNoqa(findings, text, undefined, new LineIndex('\n\n\n' + text)), plain);
});
