// Naive vs stable beyond 1-D: batched (N, C) softmax/log-softmax written by hand, one-hot
// cross-entropy sums over a batch, and user cross-entropy functions called with a batch.
// Expected numbers from real NumPy 1.24 (AVX-512 machine, so the SVML model) and PyTorch 1.13.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, hover } from './helpers/eval';
import * as Kernel from '../src/core/kernel';

const T = 'import torch\nimport torch.nn.functional as F\nimport numpy as np\n';
const K = Kernel as unknown as { setNumpyMath: (m: 'svml' | 'libm') => void; getNumpyMath: () => 'svml' | 'libm' };

async function withSvml<R>(f: () => Promise<R>): Promise<R> {
  const before = K.getNumpyMath();
  K.setNumpyMath('svml');
  try {
    return await f();
  } finally {
    K.setNumpyMath(before);
  }
}

test('batched NumPy log(exp(z) / sum(exp(z), axis=1, keepdims=True)): the stable value per row, as NumPy computes it', async () => {
  const src = `${T}z = np.array([[2.0, 4.0, 1.0], [1000.0, 0.0, -5.0]])\nlp = np.log(np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True))\n`;
  const h = await withSvml(() => hover(src, at(src, 'lp =')));
  assert.equal(h.naive?.hovered, 'naive');
  assert.equal(h.naive?.differs, true);
  // shifted = z - z.max(1, keepdims=True); shifted - log(sum(exp(shifted), 1, keepdims=True))
  assert.deepEqual(h.naive?.stable.value, [[-2.1698460195562856, -0.16984601955628548, -3.1698460195562856], [0, -1000, -1005]]);
  assert.match(h.naive!.stable.formula, /along axis 1/);
  assert.match(h.naive!.reason!, /exp\(1000\) overflows float64/);
  const v = h.value as number[][];
  assert.ok(Number.isNaN(v[1]![0]!) && v[1]![1] === -Infinity);
});

test('batched torch exp(z) / exp(z).sum(dim=1, keepdim=True): torch.softmax(z, 1) as PyTorch computes it', async () => {
  const src = `${T}z = torch.tensor([[2.0, 4.0, 1.0], [100.0, 0.0, -5.0]])\np = torch.exp(z) / torch.exp(z).sum(dim=1, keepdim=True)\n`;
  const h = await hover(src, at(src, 'p ='));
  assert.deepEqual(h.value, [[0.11419519782066345, 0.8437947630882263, 0.04201006516814232], [NaN, 0, 0]]);
  assert.deepEqual(h.naive?.stable.value, [[0.11419519037008286, 0.8437947034835815, 0.04201006516814232], [1, 3.783505853677006e-44, 0]]);
  assert.match(h.naive!.reason!, /exp\(100\) overflows float32/);
});

test('batched softmax shapes the comparison refuses: a sum without keepdims is not compared; over all elements and along axis 0 are', async () => {
  const src = `${T}z = np.array([[2.0, 4.0], [1.0, 3.0]])\nbad = np.exp(z) / np.sum(np.exp(z), axis=1)\nall_ = np.exp(z) / np.sum(np.exp(z))\ncol = np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True)\n`;
  // (2, 2) / (2,) broadcasts over the wrong axis: no stable counterpart is claimed
  assert.equal((await hover(src, at(src, 'bad ='))).naive, null);
  // over all elements: the stable form shifts by the global maximum
  const all = await hover(src, at(src, 'all_ ='));
  assert.match(all.naive!.stable.formula, /over all elements/);
  assert.ok(!all.naive!.differs || /rounding only/.test(all.naive!.reason!), all.naive!.reason ?? '');
  const col = await hover(src, at(src, 'col ='));
  assert.match(col.naive!.stable.formula, /along axis 0/);
});

test('one-hot cross-entropy over a batch: -sum(Y * log(P)), -mean(sum(Y * log(P), axis=1)), 0 · log(0) = nan', async () => {
  const src = `${T}y = np.array([[0, 1, 0], [1, 0, 0]])
p = np.array([[0.1, 0.8, 0.1], [0.3, 0.5, 0.2]])
total = -np.sum(y * np.log(p))
per_row = -np.sum(y * np.log(p), axis=1)
q = np.array([[0.1, 0.8, 0.1], [0.3, 0.5, 0.0]])
avg = -np.mean(np.sum(y * np.log(q), axis=1))
meth = -(y * np.log(q)).sum(axis=1).mean()
`;
  const total = await hover(src, at(src, 'total ='));
  assert.equal(total.naive?.stable.formula, '-log(p[range(2), [1, 0]]).sum()');
  assert.equal(total.naive?.differs, false);
  const perRow = await hover(src, at(src, 'per_row ='));
  assert.equal(perRow.naive?.stable.formula, '-log(p[range(2), [1, 0]])');
  for (const name of ['avg =', 'meth =']) {
    const h = await withSvml(() => hover(src, at(src, name)));
    assert.ok(Number.isNaN(h.value as number), name); // NumPy: nan
    assert.equal(h.naive?.stable.value, 0.7135581778200728, name); // NumPy: -np.log(q[range(2), [1, 0]]).mean()
    assert.equal(h.naive?.differs, true);
    assert.match(h.naive!.reason!, /0 · log\(0\)/);
  }
  // not one-hot: no comparison
  const soft = `${T}y = np.array([[0.2, 0.8], [1.0, 0.0]])\np = np.array([[0.1, 0.9], [0.3, 0.7]])\nl = -np.sum(y * np.log(p))\n`;
  assert.equal((await hover(soft, at(soft, 'l ='))).naive, null);
});

test('a user cross-entropy function called with a batch: the reduction is read off its value; a naive textbook value beside it', async () => {
  const src = `${T}def cross_entropy_mean(logits, labels):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    lsm = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(lsm[range(len(labels)), labels])

def cross_entropy_sum(logits, labels):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    lsm = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(lsm[range(len(labels)), labels])

def cross_entropy_other(logits, labels):
    return np.float64(0.5) * np.sum(logits)

z = np.array([[2.0, 4.0, 1.0], [1000.0, 0.0, -5.0]])
y = np.array([1, 0])
m = cross_entropy_mean(z, y)
s = cross_entropy_sum(z, y)
o = cross_entropy_other(z, y)
`;
  const m = await hover(src, at(src, '\nm =', 1));
  assert.match(m.naive!.naive.formula, /\.mean\(\)$/);
  assert.equal(m.naive!.differs, true);
  assert.match(m.naive!.reason!, /overflows float64/);
  const s = await hover(src, at(src, '\ns =', 1));
  assert.match(s.naive!.naive.formula, /\.sum\(\)$/);
  // a function whose value is neither the mean nor the sum of the cross-entropies: no comparison
  assert.equal((await hover(src, at(src, '\no =', 1))).naive, null);
});
