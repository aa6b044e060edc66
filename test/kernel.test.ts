// Unit tests of the numeric kernel: the reference document's values, broadcasting and shape
// errors, limits, indexing, and the double-softmax gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as K from '../src/core/kernel';
import { tensor, scalar, KernelLimitError, ShapeError, KernelError } from '../src/core/kernel';

const NP: K.KernelOptions = { lib: 'numpy' };
const f64 = (v: K.Nested) => tensor(v, 'float64');

test('reference: PyTorch CrossEntropyLoss on [[2, 4, 1]], target 1 is 0.1698460429906845 (not 0.1429)', () => {
  const loss = K.crossEntropy(tensor([[2, 4, 1]]), tensor([1], 'int64'));
  assert.equal(loss.dtype, 'float32');
  assert.equal(loss.item(), 0.1698460429906845);
  assert.equal(K.formatTorch(loss), 'tensor(0.1698)');
});

test('reference: naive NumPy -np.sum(y_true * np.log(y_pred)) = 0.2231435513142097', () => {
  const y = tensor([0, 1, 0], 'int64');
  const p = f64([0.1, 0.8, 0.1]);
  const loss = K.neg(K.sum(K.mul(y, K.log(p, NP), NP), null, false, NP), NP);
  assert.equal(loss.item(), 0.2231435513142097);
  assert.equal(K.formatNumpyScalar(loss.item()), '0.2231435513142097');
  // shortcut -np.log(y_pred[1])
  assert.equal(K.neg(K.log(K.index(p, [1], NP), NP), NP).item(), 0.2231435513142097);
});

test('reference: stable_cross_entropy([2, 4, 1], 1) = 0.16984601955628548 in float64', () => {
  const run = (o: K.KernelOptions) => {
    const x = f64([2, 4, 1]);
    const shifted = K.sub(x, K.max(x, null, false, o), o);
    const lse = K.log(K.sum(K.exp(shifted, o), null, false, o), o);
    return K.neg(K.index(K.sub(shifted, lse, o), [1], o), o).item();
  };
  // NumPy with Intel SVML (AVX-512 CPUs, the reference machine): its exp(-2) is 1 ULP below the
  // correctly rounded value, and the kernel reproduces SVML bit for bit
  const svml = run({ lib: 'numpy', numpyMath: 'svml' });
  assert.equal(svml, 0.16984601955628548);
  assert.equal(K.formatNumpyScalar(svml), '0.16984601955628548');
  // NumPy through the C library (other CPUs; the kernel's default): correctly rounded exp/log
  assert.equal(run(NP), 0.16984601955628567);
  K.setNumpyMath('svml');
  try {
    assert.equal(run(NP), 0.16984601955628548);
  } finally {
    K.setNumpyMath('libm');
  }
});

test('reference: extreme logits', () => {
  assert.equal(K.crossEntropy(tensor([[1000, 0]]), tensor([1], 'int64')).item(), 1000);
  assert.equal(K.formatTorch(K.crossEntropy(tensor([[1000, 0]]), tensor([1], 'int64'))), 'tensor(1000.)');
  assert.equal(K.crossEntropy(tensor([[-Infinity, 0]]), tensor([0], 'int64')).item(), Infinity);
  assert.equal(K.crossEntropy(tensor([[-Infinity, 0]]), tensor([1], 'int64')).item(), 0);
  assert.ok(Number.isNaN(K.crossEntropy(tensor([[-Infinity, -Infinity]]), tensor([0], 'int64')).item()));
});

test('reference: naive np.log(np.exp(x) / np.sum(np.exp(x))) with x = [1000, 0] is [nan, -inf]', () => {
  const x = f64([1000, 0]);
  const e = K.exp(x, NP);
  assert.deepEqual(Array.from(e.data), [Infinity, 1]);
  const r = K.log(K.div(e, K.sum(e, null, false, NP), NP), NP);
  assert.ok(Number.isNaN(r.data[0]!));
  assert.equal(r.data[1], -Infinity);
  assert.equal(K.formatNumpyArray(r), '[ nan -inf]');
  // 0 * -inf = nan in the naive sum
  const y = tensor([0, 1], 'int64');
  const l = K.neg(K.sum(K.mul(y, K.log(f64([0, 1]), NP), NP), null, false, NP), NP);
  assert.ok(Number.isNaN(l.item()));
});

test('broadcasting follows NumPy rules and reports incompatible shapes', () => {
  assert.deepEqual(K.broadcastShapes([2, 1, 3], [4, 1]), [2, 4, 3]);
  assert.deepEqual(K.broadcastShapes([], [5]), [5]);
  const s = K.add(tensor([[1], [2]]), tensor([10, 20, 30]));
  assert.deepEqual(s.shape, [2, 3]);
  assert.deepEqual(Array.from(s.data), [11, 21, 31, 12, 22, 32]);
  assert.throws(() => K.broadcastShapes([2, 3], [4, 3]), ShapeError);
  assert.throws(() => K.mul(tensor([1, 2, 3]), tensor([1, 2])), /cannot be broadcast/);
});

test('shape errors: ragged input, bad dims, cross_entropy target shapes', () => {
  assert.throws(() => tensor([[1, 2], [3]]), ShapeError);
  assert.throws(() => K.softmax(tensor([1, 2]), 2), /Dimension out of range/);
  assert.throws(() => K.sum(tensor([[1, 2]]), -3), ShapeError);
  assert.throws(() => K.crossEntropy(tensor([[1, 2, 3]]), tensor([1, 0], 'int64')), ShapeError);
  assert.throws(() => K.crossEntropy(tensor([[1, 2, 3]]), tensor([3], 'int64')), /out of bounds/);
  assert.throws(() => K.crossEntropy(tensor([[1, 2, 3]]), tensor([1], 'int64'), { weight: tensor([1, 2]) }), ShapeError);
  assert.throws(() => K.binaryCrossEntropy(tensor([1.5]), tensor([1])), KernelError);
  assert.throws(() => tensor([1, 2]).reshape([3]), ShapeError);
});

test('element limit: a clear KernelLimitError, never a hang', () => {
  const opts = { maxElements: 1000 };
  assert.throws(() => tensor(Array(1001).fill(0), 'float32', opts), KernelLimitError);
  // broadcasting that would create too many elements
  const a = tensor(Array(100).fill(1)).reshape([100, 1]);
  const b = tensor(Array(100).fill(1));
  assert.throws(() => K.add(a, b, opts), (e: unknown) => e instanceof KernelLimitError && e.elements === 10000 && e.limit === 1000);
  // default limit is 1e6
  assert.throws(() => K.full([1001, 1000], 0), KernelLimitError);
  // fancy indexing whose result would exceed the limit
  assert.throws(() => K.index(K.full([10], 1), [K.full([2000], 0, 'int64')], opts), KernelLimitError);
  // a reduction plan over a too-large input never starts
  assert.throws(() => K.sum(K.full([2000], 1), null, false, opts), KernelLimitError);
});

test('indexing: slices with negative indices and steps, fancy indexing p[range(n), y]', () => {
  const x = f64([0, 1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(K.index(x, [K.slice(null, null, -1)], NP).data), [5, 4, 3, 2, 1, 0]);
  assert.deepEqual(Array.from(K.index(x, [K.slice(-4, -1)], NP).data), [2, 3, 4]);
  assert.deepEqual(Array.from(K.index(x, [K.slice(5, 0, -2)], NP).data), [5, 3, 1]);
  assert.throws(() => K.index(x, [K.slice(null, null, -1)]), /step must be greater than zero/); // torch
  const p = f64([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]);
  const picked = K.index(p, [K.range(3), [1, 0, 1]], NP);
  assert.deepEqual(Array.from(picked.data), [0.9, 0.8, 0.7]);
  assert.deepEqual(K.index(p, ['...', -1], NP).shape, [3]);
  assert.deepEqual(K.index(p, [null, K.slice(), 0], NP).shape, [1, 3]);
  assert.throws(() => K.index(p, [3], NP), /out of bounds/);
});

test('reductions: dims, keepdim, negative dims, argmax first occurrence, NaN propagation', () => {
  const x = tensor([[1, 5, 5], [7, -2, NaN]]);
  assert.deepEqual(Array.from(K.argmax(x, 1).data), [1, 2]);
  assert.deepEqual(K.max(x, -1, true).shape, [2, 1]);
  assert.ok(Number.isNaN(K.max(x, 1).data[1]!));
  assert.deepEqual(Array.from(K.sum(tensor([[1, 2], [3, 4]]), 0).data), [4, 6]);
  assert.deepEqual(Array.from(K.mean(tensor([[1, 2], [3, 4]]), [0, 1]).data), [2.5]);
});

test('float32 emulation: every op rounds to float32', () => {
  const r = K.add(tensor([0.1]), tensor([0.2]));
  assert.equal(r.item(), Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  // SLEEF's expf flushes exp(x) to 0 below -104 (glibc would give a subnormal)
  assert.equal(K.exp(tensor([-104.5])).item(), 0);
  assert.equal(K.exp(tensor([-104.5]), NP).item(), Math.fround(Math.exp(-104.5)));
  assert.equal(K.exp(tensor([88.8])).item(), Infinity);
});

test('gradients: cross-entropy is softmax - onehot; double softmax shrinks it through the Jacobian', () => {
  const z = tensor([[2, 4, 1]]);
  const y = tensor([1], 'int64');
  const g = K.crossEntropyGrad(z, y);
  const p = K.softmax(z, 1);
  assert.ok(Math.abs(g.data[1]! - (p.data[1]! - 1)) < 1e-7);
  assert.ok(Math.abs(g.data[0]! - p.data[0]!) < 1e-7);
  const gd = K.crossEntropyGrad(z, y, {}, true);
  const norm = (t: K.Tensor) => Math.hypot(...Array.from(t.data));
  // the extra softmax's Jacobian shrinks the gradient (here by about a third)
  assert.ok(norm(gd) < norm(g), `double-softmax gradient ${norm(gd)} vs ${norm(g)}`);
  // chain rule by hand: gz = J_softmax(z)^T (softmax(p) - onehot), p = softmax(z)
  const pz = Array.from(K.softmax(z, 1).data);
  const q = Array.from(K.softmax(K.softmax(z, 1), 1).data);
  const gp = q.map((v, i) => v - (i === 1 ? 1 : 0));
  const dot = gp.reduce((a, v, i) => a + v * pz[i]!, 0);
  pz.forEach((pi, i) => assert.ok(Math.abs(gd.data[i]! - pi * (gp[i]! - dot)) < 1e-6));
  // sums to zero over classes (softmax Jacobian rows sum to 0)
  assert.ok(Math.abs(gd.data[0]! + gd.data[1]! + gd.data[2]!) < 1e-7);
});

test('TF/Keras/optax: clipping and from_logits', () => {
  // Keras clips probabilities to [1e-7, 1 - 1e-7]: log(0) never reaches -inf
  const l = K.kerasCategoricalCrossentropy(f64([[0, 1, 0]]), f64([[1, 0, 0]]));
  assert.ok(Math.abs(l.item() - -Math.log(1e-7)) < 1e-9);
  const logits = f64([[2, 4, 1]]);
  const a = K.kerasSparseCategoricalCrossentropy(tensor([1], 'int64'), logits, { fromLogits: true }).item();
  const b = K.optaxSoftmaxCrossEntropyWithIntegerLabels(logits, tensor([1], 'int64')).item();
  const c = K.tfSparseSoftmaxCrossEntropyWithLogits(tensor([1], 'int64'), logits).item();
  assert.ok(Math.abs(a - 0.16984601955628548) < 1e-15 && Math.abs(b - a) < 1e-15 && Math.abs(c - a) < 1e-15);
});

test('ulpDistance', () => {
  assert.equal(K.ulpDistance(1, 1, 'float64'), 0);
  assert.equal(K.ulpDistance(1, 1 + Number.EPSILON, 'float64'), 1);
  assert.equal(K.ulpDistance(0, -0, 'float32'), 0);
  assert.equal(K.ulpDistance(Math.fround(1), Math.fround(1 + 2 ** -23), 'float32'), 1);
  assert.equal(K.ulpDistance(-Number.MIN_VALUE, Number.MIN_VALUE, 'float64'), 2);
  assert.equal(K.ulpDistance(NaN, NaN, 'float32'), 0);
  assert.equal(K.ulpDistance(NaN, Infinity, 'float32'), Infinity);
  assert.equal(K.ulpDistance(Infinity, -Infinity, 'float64'), Infinity);
  assert.equal(K.ulpDistance(scalar(3).item(), 3, 'float32'), 0);
});

test('registry: the evaluator calls Python functions by qualified name', () => {
  const { callPython, callLossModule, py, formatValue, fromPython } = K;
  const logits = [[py(2.0, 'float'), py(4.0, 'float'), py(1.0, 'float')]];
  const ce = callPython('torch.nn.functional.cross_entropy', [logits, [py(1)]]);
  assert.equal(formatValue(ce, 'torch'), 'tensor(0.1698)');
  const mod = callLossModule('torch.nn.CrossEntropyLoss', { label_smoothing: py(0.1) }, logits, [py(1)]) as K.Tensor;
  const direct = K.crossEntropy(tensor([[2, 4, 1]]), tensor([1], 'int64'), { labelSmoothing: 0.1 });
  assert.equal(mod.item(), direct.item());
  // dtype inference as torch.tensor / np.array
  assert.equal(fromPython([py(1), py(2)], 'torch').dtype, 'int64');
  assert.equal(fromPython([py(1), py(2.5)], 'torch').dtype, 'float32');
  assert.equal(fromPython([py(1), py(2.5)], 'numpy').dtype, 'float64');
  assert.equal(fromPython([py(true), py(false)], 'numpy').dtype, 'bool');
  // naive NumPy: np.exp(x) / np.sum(np.exp(x)) with x = [1000., 0.] -> [nan 0.]
  const x = [py(1000, 'float'), py(0, 'float')];
  const e = callPython('numpy.exp', [x]);
  const sm = callPython('numpy.divide', [e, callPython('numpy.sum', [e])]);
  assert.equal(formatValue(sm, 'numpy'), '[nan  0.]');
  assert.equal(formatValue(callPython('numpy.log', [sm]), 'numpy'), '[ nan -inf]');
  // keyword arguments and module constructors
  const bce = callPython('torch.nn.functional.binary_cross_entropy_with_logits', [[py(0.5)], [py(1.0)]], { reduction: 'sum' });
  assert.equal(formatValue(bce, 'torch'), 'tensor(0.4741)');
  assert.throws(() => callPython('torch.frobnicate', []), /does not evaluate/);
});
