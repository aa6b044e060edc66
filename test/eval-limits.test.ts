// Edge cases, refusals and limits of the hover evaluator: never a wrong number, never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, hover, hoverError } from './helpers/eval';
import { getEngine } from './helpers/engine';

const T = 'import torch\nimport torch.nn.functional as F\nimport numpy as np\n';

test('README edge cases: 1000 → tensor(1000.), -inf logits → inf / 0, all -inf → nan', async () => {
  const src = `${T}a = F.cross_entropy(torch.tensor([[1000., 0.]]), torch.tensor([1]))\nb = F.cross_entropy(torch.tensor([[-float('inf'), 0.]]), torch.tensor([0]))\nc = F.cross_entropy(torch.tensor([[-float('inf'), 0.]]), torch.tensor([1]))\nd = F.cross_entropy(torch.tensor([[-float('inf'), -float('inf')]]), torch.tensor([0]))\n`;
  const a = await hover(src, at(src, 'a ='));
  assert.equal(a.value, 1000);
  assert.equal(a.printed, 'tensor(1000.)');
  assert.ok(a.naive?.differs);
  assert.match(a.naive!.reason!, /overflows float32/);
  assert.equal((await hover(src, at(src, 'b ='))).value, Infinity);
  assert.equal((await hover(src, at(src, 'c ='))).printed, 'tensor(0.)');
  assert.ok(Number.isNaN((await hover(src, at(src, 'd ='))).value as number));
});

test('README: naive NumPy log-softmax of [1000., 0.] → [nan, -inf] with overflow; stable → [0, -1000]', async () => {
  const src = `${T}x = np.array([1000., 0.])\nr = np.log(np.exp(x) / np.sum(np.exp(x)))\n`;
  const h = await hover(src, at(src, 'r ='));
  const v = h.value as number[];
  assert.ok(Number.isNaN(v[0]!));
  assert.equal(v[1], -Infinity);
  assert.equal(h.printed, '[ nan -inf]');
  assert.ok(h.warnings.includes('overflow encountered in exp'));
  assert.equal(h.naive?.hovered, 'naive');
  assert.deepEqual(h.naive?.stable.value, [0, -1000]);
  assert.equal(h.naive?.differs, true);
});

test('not evaluable: unknown calls, the inside of loops, classes, branches on unknown values, in-place changes', async () => {
  const src = `${T}model = torch.nn.Linear(3, 2)
out = model(torch.tensor([[1.0, 2.0, 3.0]]))
total = 0.0
for i in range(3):
    total = total + i
after_loop = total
w = np.array([1.0, 2.0])
v = w
w[0] = 5.0
alias = v * 2
u = np.array([1.0, 2.0])
u += 1
grown = u
import random
if random.random() > 0.5:
    branch = 1.0
else:
    branch = 2.0
chosen = branch
`;
  assert.match((await hoverError(src, at(src, 'out ='))).error, /Linear/);
  // a bounded for loop over a range runs (test/eval-loops.test.ts has the loops that do not)
  assert.equal((await hover(src, at(src, 'after_loop ='))).value, 3);
  assert.match((await hoverError(src, at(src, 'total = total'))).error, /inside the loop/);
  assert.match((await hoverError(src, at(src, 'alias ='))).error, /modified in place/);
  assert.match((await hoverError(src, at(src, 'chosen ='))).error, /branch at line 18/);
  // u += 1 on an array: the new value is known (same dtype, same shape)
  assert.deepEqual((await hover(src, at(src, 'grown ='))).value, [2, 3]);
});

test('a value read before an in-place change keeps its value; a view of it does not', async () => {
  const src = `${T}a = np.array([1.0, 2.0])\ncopy = a * 1\nview = a\na += 10\n`;
  assert.deepEqual((await hover(src, at(src, 'copy ='))).value, [1, 2]);
  const after = `${src}r1 = copy\nr2 = view\n`;
  assert.match((await hoverError(after, at(after, 'r1 ='))).error, /in place|changed in place/);
  assert.match((await hoverError(after, at(after, 'r2 ='))).error, /in place|changed in place/);
});

test('library errors are reported, not computed: bad target, int input, in-place dtype change', async () => {
  const src = `${T}e1 = F.cross_entropy(torch.tensor([[1.0, 2.0]]), torch.tensor([5]))\ne2 = F.cross_entropy(torch.tensor([[1, 2]]), torch.tensor([0]))\nq = np.array([1, 2])\nq += 1.5\ne3 = q\n`;
  assert.match((await hoverError(src, at(src, 'e1 ='))).error, /out of bounds/);
  assert.match((await hoverError(src, at(src, 'e2 ='))).error, /floating point/);
  assert.match((await hoverError(src, at(src, 'e3 ='))).error, /float64|raises/);
});

test('precision follows the library: float32 for torch, float64 for NumPy, dtype= honoured', async () => {
  const src = `${T}a = torch.tensor([0.1])\nb = np.array([0.1])\nc = torch.tensor([0.1], dtype=torch.float64)\nd = torch.tensor([1, 2])\n`;
  const a = await hover(src, at(src, 'a ='));
  assert.equal((a.value as number[])[0], Math.fround(0.1));
  assert.equal(a.dtype, 'float32');
  assert.equal((await hover(src, at(src, 'b ='))).dtype, 'float64');
  const c = await hover(src, at(src, 'c ='));
  assert.equal(c.printed, 'tensor([0.1000], dtype=torch.float64)');
  assert.equal((await hover(src, at(src, 'd ='))).dtype, 'int64');
});

test('TensorFlow/JAX: literals exact; losses from the formula marked ≈; other kernels refused', async () => {
  const src = `import tensorflow as tf
import jax.numpy as jnp
import optax
x = tf.constant([1.0, 2.5])
y = x * 2.0
z = tf.nn.softmax(x)
k = tf.keras.losses.sparse_categorical_crossentropy([1], tf.constant([[2.0, 4.0, 1.0]]), from_logits=True)
s = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=tf.constant([[2.0, 4.0, 1.0]]))
c = tf.keras.losses.CategoricalCrossentropy()(tf.constant([[0.0, 1.0, 0.0]]), tf.constant([[0.1, 0.8, 0.1]]))
o = optax.softmax_cross_entropy_with_integer_labels(jnp.array([[2.0, 4.0, 1.0]]), [1])
p = tf.nn.softmax_cross_entropy_with_logits(tf.constant([[0.0, 1.0]]), tf.constant([[1.0, 2.0]]))
j = jnp.array([0.1, 0.2])
`;
  const x = await hover(src, at(src, 'x ='));
  assert.equal(x.dtype, 'float32');
  assert.equal(x.exact, true);
  assert.deepEqual((await hover(src, at(src, 'y ='))).value, [2, 5]);
  assert.match((await hoverError(src, at(src, 'z ='))).error, /not reproduced bit for bit/);
  for (const name of ['k =', 's =', 'o =']) {
    const h = await hover(src, at(src, name));
    assert.equal(h.exact, false, name);
    assert.equal(h.printed, null, name);
    assert.ok(Math.abs((h.value as number[])[0]! - 0.1698460429906845) < 1e-6, `${name} ${String(h.value)}`);
    assert.match(h.markdown, /documented formula/);
  }
  const c = await hover(src, at(src, 'c ='));
  assert.ok(Math.abs((c.value as number) - 0.2231435513142097) < 1e-6, String(c.value));
  assert.match((await hoverError(src, at(src, 'p ='))).error, /by keyword/);
  assert.equal((await hover(src, at(src, 'j ='))).dtype, 'float32');
});

test('position rules: callee → call, module path → call, literal → constructor call, keyword → call', async () => {
  const src = `${T}logits = torch.tensor([[2.0, 4.0, 1.0]])\np = F.softmax(logits, dim=1)\n`;
  assert.equal((await hover(src, at(src, 'F.softmax'))).expression, 'F.softmax(logits, dim=1)');
  assert.equal((await hover(src, at(src, 'softmax(logits'))).expression, 'F.softmax(logits, dim=1)');
  assert.equal((await hover(src, at(src, 'dim='))).expression, 'F.softmax(logits, dim=1)');
  assert.equal((await hover(src, at(src, '4.0'))).expression, 'torch.tensor([[2.0, 4.0, 1.0]])');
  assert.equal((await hover(src, at(src, 'logits, dim'))).expression, 'logits');
  assert.equal((await hover(src, at(src, 'p ='))).expression, 'p');
});

function literal(n: number): string {
  const xs = Array.from({ length: n }, (_, i) => ((i % 97) / 10).toFixed(1));
  return `import numpy as np\nx = np.array([${xs.join(', ')}])\n`;
}

test('limits: a 10^6-element literal answers quickly (too large, or a value within limits), never hangs', async () => {
  const engine = await getEngine();
  const src = literal(1_000_001);
  const t0 = Date.now();
  const r = engine.evaluate(src, src.indexOf('x ='));
  const ms = Date.now() - t0;
  assert.ok('error' in r, 'over the limits');
  assert.match((r as { error: string }).error, /too large/);
  assert.ok(ms < 5_000, `${ms} ms`);
  // within the source limit, the element limit answers: a literal larger than maxElements
  const mid = literal(2000);
  const small = engine.evaluate(mid, mid.indexOf('x ='), { limits: { maxElements: 1000 } });
  assert.match((small as { error: string }).error, /too large: a literal of more than 1,000 elements/);
  const ok = engine.evaluate(mid, mid.indexOf('x ='));
  assert.ok(!('error' in ok) && ok.shape[0] === 2000);
});

test('limits: steps, recursion depth and time are bounded', async () => {
  const engine = await getEngine();
  const rec = 'def f(n):\n    return f(n + 1)\n\nr = f(0)\n';
  const a = engine.evaluate(rec, rec.indexOf('r ='));
  assert.match((a as { error: string }).error, /recursion deeper than 32/);
  const many = `x = 0\n${Array.from({ length: 3000 }, () => 'x = x + 1').join('\n')}\ny = x\n`;
  const b = engine.evaluate(many, many.indexOf('y ='), { limits: { maxSteps: 1000 } });
  assert.match((b as { error: string }).error, /too many steps/);
  const c = engine.evaluate(many, many.indexOf('y ='));
  assert.deepEqual((c as { value: number }).value, 3000);
});

test('scopes and contexts: UnboundLocalError, starred targets, no_grad, unmodelled with-contexts', async () => {
  const src = `${T}x = 1.0
def f():
    y = x
    x = 2.0
    return y
r1 = f()
b = 5
a, *b = [1, 2, 3]
r2 = b
z = torch.tensor([[2.0, 4.0, 1.0]], requires_grad=True)
with torch.no_grad():
    inside = F.cross_entropy(z, torch.tensor([1]))
r3 = inside
outside = F.cross_entropy(z, torch.tensor([1]))
with torch.autocast('cpu'):
    cast = F.softmax(z, dim=1)
r4 = cast
`;
  assert.match((await hoverError(src, at(src, 'r1 ='))).error, /UnboundLocalError/);
  assert.match((await hoverError(src, at(src, 'r2 ='))).error, /starred/);
  assert.equal((await hover(src, at(src, 'r3 ='))).printed, 'tensor(0.1698)');
  assert.equal((await hover(src, at(src, 'outside ='))).printed, 'tensor(0.1698, grad_fn=<NllLossBackward0>)');
  assert.match((await hoverError(src, at(src, 'r4 ='))).error, /autocast.*not modelled/);
});
