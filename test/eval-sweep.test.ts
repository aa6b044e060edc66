// Hovering every token of every Python fixture (rule fixtures and hover fixtures) must answer with a
// value or a reason — never an internal error, never an exception — within the time limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEngine } from './helpers/engine';

const root = join(__dirname, '..', '..', 'test', 'fixtures');
const files = ['rules', 'eval'].flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.py')).map((f) => join(root, d, f)));

test('hover sweep: every token start of every fixture evaluates or says why not', async () => {
  const engine = await getEngine();
  let values = 0;
  let errors = 0;
  const internal: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const starts: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const prev = i === 0 ? ' ' : text[i - 1]!;
      if (/[\w.'"(\[]/.test(text[i]!) && !/[\w]/.test(prev)) starts.push(i);
    }
    // at most ~150 tokens per file (evenly spread) keeps the test fast; the eval fixtures fully
    const stride = f.includes('/eval/') ? 1 : Math.max(1, Math.ceil(starts.length / 150));
    for (let k = 0; k < starts.length; k += stride) {
      const i = starts[k]!;
      const t0 = Date.now();
      const r = engine.evaluate(text, i);
      const ms = Date.now() - t0;
      assert.ok(ms < 5000, `${f}@${i}: ${ms} ms`);
      if ('error' in r) {
        errors++;
        if (/internal error/.test(r.error)) internal.push(`${f.split('/').slice(-2).join('/')}@${i}: ${r.error}`);
      } else {
        values++;
        assert.ok(typeof r.markdown === 'string' && r.markdown.length > 0);
      }
    }
  }
  assert.deepEqual(internal.slice(0, 10), []);
  assert.ok(values > 100, `${values} values, ${errors} not evaluable`);
});
