// Limits found by the fuzz/reliability work: iteration over huge ranges is charged before it is
// built, and kernel limits reached in broadcasting answer "too large", never "internal error".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEngine } from './helpers/engine';

const at = (text: string, needle: string) => text.indexOf(needle);

test('sum/min/max/list over range(10**9) answer "too large" at once', async () => {
  const e = await getEngine();
  for (const src of ['x = sum(range(10**9))\n', 'x = max(range(10**9))\n', 'x = list(range(10**7))\n']) {
    const t0 = Date.now();
    const r = e.evaluate(src, at(src, 'x')) as { error?: string };
    assert.match(r.error ?? '', /^too large: /, src);
    assert.ok(Date.now() - t0 < 5000, `${src} took ${Date.now() - t0} ms`);
  }
  const ok = 'x = sum(range(10))\n';
  assert.equal((e.evaluate(ok, 0) as { value?: unknown }).value, 45);
});

test('broadcasting beyond the element limit is "too large", not an internal error', async () => {
  const e = await getEngine();
  for (const src of ['import numpy as np\nx = np.ones((1000, 1)) + np.ones(1001)\n', 'import torch\nx = torch.ones(1000, 1) * torch.ones(1001)\n']) {
    const r = e.evaluate(src, at(src, 'x =')) as { error?: string };
    assert.match(r.error ?? '', /^too large: 1,001,000 elements/, src);
  }
});
