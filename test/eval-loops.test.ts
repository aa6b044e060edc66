// `for` loops in the evaluator: bounded loops over ranges, lists and arrays run iteration by
// iteration (accumulations, a hand-written cross-entropy); anything else stays "not evaluable".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, hover, hoverError } from './helpers/eval';
import { getEngine } from './helpers/engine';

const T = 'import torch\nimport torch.nn.functional as F\nimport numpy as np\n';

test('loops: accumulation over range, a list, tuple targets, nested loops, for-else', async () => {
  const src = `${T}total = 0.0
for i in range(5):
    total += i * 0.5
a = total
xs = [0.1, 0.2, 0.3]
s = 0
for x in xs:
    s = s + x
b = s
pairs = [(1, 2.0), (3, 4.0)]
acc = 0.0
for k, v in pairs:
    acc += k * v
c = acc
grid = 0
for i in range(3):
    for j in range(4):
        grid += i * j
d = grid
n = 0
for i in range(2):
    n += 1
else:
    n += 10
e = n
last = -1
for last in range(7):
    pass
f = last
`;
  assert.equal((await hover(src, at(src, '\na =', 1))).value, 5);
  assert.equal((await hover(src, at(src, '\nb =', 1))).value, 0.1 + 0.2 + 0.3);
  assert.equal((await hover(src, at(src, '\nc =', 1))).value, 1 * 2 + 3 * 4);
  assert.equal((await hover(src, at(src, '\nd =', 1))).value, 18);
  assert.equal((await hover(src, at(src, '\ne =', 1))).value, 12);
  assert.equal((await hover(src, at(src, '\nf =', 1))).value, 6);
});

test('loops: a hand-written loop cross-entropy over NumPy rows gives the value NumPy gives', async () => {
  const src = `${T}def loop_cross_entropy(logits, labels):
    total = 0.0
    for i in range(len(labels)):
        row = logits[i]
        shifted = row - np.max(row)
        log_probs = shifted - np.log(np.sum(np.exp(shifted)))
        total += -log_probs[labels[i]]
    return total / len(labels)

z = np.array([[2.0, 4.0, 1.0], [0.5, -1.25, 3.0], [1000.0, 0.0, -5.0]])
y = np.array([1, 2, 0])
loss = loop_cross_entropy(z, y)
`;
  const h = await hover(src, at(src, 'loss ='));
  // NumPy 1.24 (AVX-512 machine) prints 0.08727726671608475; the C-library exp/log model may differ in the last bits
  assert.ok(Math.abs((h.value as number) - 0.08727726671608475) < 1e-15, String(h.value));
  assert.equal(h.type, 'numpy.float64');
  assert.equal(h.dtype, 'float64');
});

test('loops: iterating an array gives its rows; accumulating arrays; torch tensors', async () => {
  const src = `${T}m = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
acc = np.zeros(2)
for row in m:
    acc = acc + row
a = acc
t = torch.tensor([1.0, 2.0, 3.0])
s = torch.tensor(0.0)
for v in t:
    s = s + v * v
b = s
`;
  assert.deepEqual((await hover(src, at(src, '\na =', 1))).value, [9, 12]);
  const b = await hover(src, at(src, 'b ='));
  assert.equal(b.value, 14);
  assert.equal(b.printed, 'tensor(14.)');
});

test('loops that are not run: while, break/continue, return inside, unknown iterables, inside the body', async () => {
  const src = `${T}import random
w = 0
while w < 3:
    w += 1
a = w
b0 = 0
for i in range(10):
    if i > 3:
        break
    b0 += i
b = b0
c0 = 0
for i in range(random.randint(1, 3)):
    c0 += 1
c = c0
def first_big(xs):
    for x in xs:
        if x > 1:
            return x
    return None
d = first_big([0.5, 2.0])
e0 = 0
for i in range(3):
    e0 += i
`;
  assert.match((await hoverError(src, at(src, 'a ='))).error, /loop at line 6/);
  assert.match((await hoverError(src, at(src, 'b ='))).error, /loop at line 10/);
  assert.match((await hoverError(src, at(src, 'c ='))).error, /loop at line 16/);
  assert.match((await hoverError(src, at(src, 'd ='))).error, /loop at line 20 may return/);
  assert.match((await hoverError(src, at(src, 'e0 += i'))).error, /inside the loop at line 26/);
});

test('loops respect the step limit and answer "too large" for huge ranges', async () => {
  const engine = await getEngine();
  const src = 'total = 0\nfor i in range(10000):\n    total += i\nr = total\n';
  const r = engine.evaluate(src, src.indexOf('r ='), { limits: { maxSteps: 2000 } });
  assert.ok('error' in r);
  assert.match(r.error, /too many steps/);
  // the step budget is what is under test, not the wall clock: a loaded machine must not fail it
  const ok = engine.evaluate(src, src.indexOf('r ='), { limits: { timeoutMs: 120_000 } });
  assert.ok(!('error' in ok) && ok.value === 49995000, JSON.stringify(ok).slice(0, 200));
  const huge = 'total = 0\nfor i in range(10**9):\n    total += i\nr = total\n';
  const t0 = Date.now();
  const h = engine.evaluate(huge, huge.indexOf('r ='));
  assert.ok('error' in h && /^too large|too much work|too many steps/.test(h.error), JSON.stringify(h));
  assert.ok(Date.now() - t0 < 10_000);
});
