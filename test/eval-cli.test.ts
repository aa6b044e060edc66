// `stable-loss eval`, run in-process: JSON lines, non-finite numbers as strings, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/dispatch';
import { memoryIo } from '../src/cli/io';
import { evalCommand, offsetOf, toJson } from '../src/cli/commands/eval';
import { getEngine } from './helpers/engine';

const dir = mkdtempSync(join(tmpdir(), 'sl-eval-'));
const file = join(dir, 'ref.py');
writeFileSync(
  file,
  `import torch
import torch.nn as nn
import numpy as np

loss_fn = nn.CrossEntropyLoss()
logits = torch.tensor([[2.0, 4.0, 1.0]])
target = torch.tensor([1])
loss = loss_fn(logits, target)
x = np.array([1000., 0.])
naive = np.log(np.exp(x) / np.sum(np.exp(x)))
for i in range(2):
    acc = i
`,
);
const cmd = [evalCommand(getEngine)];

async function run(...argv: string[]) {
  const io = memoryIo(dir);
  const code = await main(['eval', ...argv], io, cmd);
  return { code, out: io.stdout, err: io.stderr };
}

test('eval: one JSON object per position with the library value, dtype, shape and Markdown', async () => {
  const r = await run('ref.py:8:1', `${file}:10:1`);
  assert.equal(r.code, 0, r.err);
  const [a, b] = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(a.position, 'ref.py:8:1');
  assert.equal(a.expression, 'loss');
  assert.equal(a.value, 0.1698460429906845);
  assert.equal(a.dtype, 'float32');
  assert.deepEqual(a.shape, []);
  assert.equal(a.printed, 'tensor(0.1698)');
  assert.match(a.markdown, /tensor\(0\.1698\)/);
  assert.ok('naive' in a);
  assert.deepEqual(b.value, ['nan', '-inf']);
  assert.equal(b.naive.stable.value[1], -1000);
});

test('eval: a position that is not evaluable gives {position, error} and exit 1', async () => {
  const r = await run('ref.py:12:5', 'ref.py:8:1');
  assert.equal(r.code, 1);
  const [a, b] = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(Object.keys(a), ['position', 'error']);
  assert.match(a.error, /loop/);
  assert.equal(b.value, 0.1698460429906845);
  const beyond = await run('ref.py:99:1');
  assert.equal(beyond.code, 1);
  assert.match(JSON.parse(beyond.out).error, /beyond the end of the file/);
});

test('eval: markdown output', async () => {
  const r = await run('ref.py:8:1', '--output-format', 'markdown');
  assert.equal(r.code, 0);
  assert.match(r.out, /^### ref\.py:8:1\n\n\*\*Stable Loss\*\* · `loss` · torch\.Tensor · float32/);
});

test('eval: usage errors exit 2', async () => {
  assert.equal((await run()).code, 2);
  assert.equal((await run('ref.py')).code, 2);
  assert.equal((await run('ref.py:0:1')).code, 2);
  assert.equal((await run('ref.py:1:1', '--output-format', 'xml')).code, 2);
  const missing = await run('nope.py:1:1');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read nope\.py/);
});

test('eval: offsets are UTF-16 columns, 1-based; CRLF lines', () => {
  assert.equal(offsetOf('ab\r\ncd', 2, 2), 5);
  assert.equal(offsetOf('é😀x\n', 1, 4), 3);
  assert.match(String(offsetOf('ab\n', 1, 9)), /beyond the end of line 1/);
});

test('eval: JSON numbers round-trip exactly; non-finite as strings; -0 kept', () => {
  assert.equal(toJson([0.1, 0.1698460429906845, NaN, Infinity, -Infinity, -0]), '[0.1,0.1698460429906845,"nan","inf","-inf",-0.0]');
  assert.equal(JSON.parse(toJson(0.16984601955628567)), 0.16984601955628567);
});
