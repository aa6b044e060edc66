// Pathological inputs get a bounded answer, never a crash (issue: reliability). Timing is not asserted
// here (benchmarks measure speed); these prove termination without exceptions or stack overflows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEngine } from './helpers/engine';

const header = 'import torch\nimport torch.nn.functional as F\n';

test('5,000-deep nested calls and brackets', async () => {
  const e = await getEngine();
  const calls = header + 'y = ' + 'f('.repeat(5000) + 'x' + ')'.repeat(5000) + '\nz = torch.log(F.softmax(x, 1))\n';
  const r1 = e.check(calls);
  assert.deepEqual(r1.notes.filter((n) => n.kind === 'internal-error'), []);
  assert.deepEqual(r1.findings.map((f) => f.code), ['SL003']);
  const brackets = header + 'y = ' + '['.repeat(5000) + ']'.repeat(5000) + '\n' + 'w = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n';
  const r2 = e.check(brackets + 'z = torch.log(F.softmax(x, 1))\n');
  assert.deepEqual(r2.notes.filter((n) => n.kind === 'internal-error'), []);
  assert.deepEqual(r2.findings.map((f) => f.code), ['SL003']);
  const ops = header + 'y = ' + Array.from({ length: 20000 }, (_, i) => `a${i}`).join(' + ') + '\nz = torch.log(F.softmax(x, 1))\n';
  const r3 = e.check(ops);
  assert.deepEqual(r3.notes.filter((n) => n.kind === 'internal-error'), []);
  assert.deepEqual(r3.findings.map((f) => f.code), ['SL003']);
});

test('200,000 lines and a 10 MB file: a bounded answer with a clear note', async () => {
  const e = await getEngine();
  const many = header + 'x = torch.randn(2, 3)\n'.repeat(200_000) + 'z = torch.log(F.softmax(x, 1))\n';
  const r = e.check(many);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.notes.map((n) => [n.kind, n.message]), [['limit', 'not analysed: 200,004 lines (limit 100,000)']]);
  const big = header + '# ' + 'x'.repeat(10 * 2 ** 20) + '\nz = torch.log(F.softmax(x, 1))\n';
  assert.deepEqual(e.check(big).notes.map((n) => n.kind), ['limit']);
  assert.match(e.check(big).notes[0].message, /^not analysed: 10\.0 MiB of text \(limit 8\.0 MiB\)$/);
});

test('30,000 lines and a 1 MB single line are analysed', async () => {
  const e = await getEngine();
  const many = header + 'x = torch.randn(2, 3)\n'.repeat(30_000) + 'z = torch.log(F.softmax(x, 1))\n';
  assert.deepEqual(e.check(many).findings.map((f) => [f.code, f.range.start.line]), [['SL003', 30_002]]);
  const long = header + 'x = [' + '1.0, '.repeat(200_000) + ']\nz = torch.log(F.softmax(x, 1))\n';
  assert.ok(long.length > 1_000_000);
  assert.deepEqual(e.check(long).findings.map((f) => f.code), ['SL003']);
});

test('empty, binary-looking and broken text', async () => {
  const e = await getEngine();
  assert.deepEqual(e.check('').findings, []);
  assert.deepEqual(e.check('\u0000\u0001\u0002softmax\u0000log(').findings, []);
  const broken = header + 'def f(:\n  return torch.log(F.softmax(x, 1)\nclass\n';
  const r = e.check(broken);
  assert.ok(r.notes.some((n) => n.kind === 'syntax-error'));
  assert.deepEqual(r.notes.filter((n) => n.kind === 'internal-error'), []);
  // Half-typed code: what parses is still analysed.
  const half = header + 'z = torch.log(F.softmax(x, 1))\nloss = F.cross_entropy(F.softmax(x, dim=1), y\n';
  assert.deepEqual(e.check(half).findings.map((f) => f.code), ['SL003']);
});
