// Golden vectors from real PyTorch 1.13.1 / NumPy 1.24 (scripts/golden/gen_kernel.py): every
// element must be within 1 ULP and every non-finite value identical (nan vs inf vs -inf).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCase, tally, type Comparison, type GoldenFile } from '../scripts/golden/harness';

const dir = join(__dirname, '..', '..', 'test', 'golden', 'kernel');
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('print'));

/**
 * Known deviations beyond 1 ULP, each capped (count of elements > 1 ULP and the largest ULP
 * distance) so any regression fails. Documented in docs/kernel-accuracy.md.
 */
const KNOWN: Record<string, { over: number; maxUlp: number }> = {
  // none at present: every golden element is within 1 ULP
};

test('golden files exist', () => {
  assert.ok(files.length >= 5, `found ${files.join(', ')}`);
});

for (const f of files) {
  const group = f.replace(/\.json$/, '');
  test(`golden: ${group}`, () => {
    const g = JSON.parse(readFileSync(join(dir, f), 'utf8')) as GoldenFile;
    assert.ok(g.cases.length > 0);
    const comps: Comparison[] = [];
    g.cases.forEach((c, i) => comps.push(...runCase(group, c, i)));
    const problems: string[] = [];
    for (const t of tally(comps)) {
      const k = KNOWN[t.key];
      if (t.shape) problems.push(`${t.key}: ${t.shape} shape/dtype mismatches`);
      if (t.nonfinite) problems.push(`${t.key}: ${t.nonfinite} non-finite mismatches`);
      if (t.over > (k?.over ?? 0) || t.maxUlp > (k?.maxUlp ?? 1)) {
        const worst = comps.filter((c) => c.key === t.key && c.ulps.some((u) => u > 1)).slice(0, 3).map((c) => c.caseIndex);
        problems.push(`${t.key}: ${t.over} elements > 1 ULP (max ${t.maxUlp}), cases ${worst.join(', ')}`);
      }
    }
    for (const key of Object.keys(KNOWN)) {
      if (key.startsWith(group + '/')) {
        const t = tally(comps).find((x) => x.key === key);
        if (!t || t.over < KNOWN[key]!.over) problems.push(`${key}: known deviation no longer occurs; tighten KNOWN`);
      }
    }
    assert.deepEqual(problems, []);
  });
}
