// Executable truth for the fixes (issue: "a fix that is always right"). For every program in
// test/truth/cases/, the fixer (all fixes, unsafe included, in passes) must produce exactly the fixed
// program that scripts/truth/gen_truth.py ran under real PyTorch/NumPy, and that run must show the
// fixed program computes the expected stable value while the original does not.
// After changing a fix: UPDATE_TRUTH=1 npm test (writes test/truth/fixed/), then
// /usr/bin/python3 scripts/truth/gen_truth.py, then review both diffs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixAll } from '../src/core/fix/apply';
import { getEngine } from './helpers/engine';

const root = join(__dirname, '..', '..');
const casesDir = join(root, 'test', 'truth', 'cases');
const fixedDir = join(root, 'test', 'truth', 'fixed');
const golden = JSON.parse(readFileSync(join(root, 'test', 'golden', 'truth.json'), 'utf8')) as {
  cases: { case: string; fixedSha256: string; fixedMatchesExpected: boolean; originalMatchesExpected: boolean }[];
};

const cases = readdirSync(casesDir).filter((f) => f.endsWith('.py')).sort();

test('every truth case was run under real PyTorch/NumPy', () => {
  assert.deepEqual(golden.cases.map((c) => c.case).sort(), cases);
});

for (const name of cases) {
  test(`fix of ${name} is the verified program`, async () => {
    const engine = await getEngine();
    const original = readFileSync(join(casesDir, name), 'utf8');
    const r = fixAll(original, (t) => engine.check(t).findings, { unsafe: true });
    assert.ok(r.applied > 0, `no fix applied to ${name}`);
    assert.ok(r.converged, `fixes of ${name} did not converge`);
    if (process.env.UPDATE_TRUTH === '1') writeFileSync(join(fixedDir, name), r.text);
    const rec = golden.cases.find((c) => c.case === name);
    assert.ok(rec, `${name} missing from test/golden/truth.json`);
    assert.equal(createHash('sha256').update(r.text).digest('hex'), rec.fixedSha256, `the fixer no longer produces the verified program for ${name}`);
    assert.equal(readFileSync(join(fixedDir, name), 'utf8'), r.text);
    assert.equal(rec.fixedMatchesExpected, true, `${name}: the fixed program does not compute the expected value`);
    assert.equal(rec.originalMatchesExpected, false, `${name}: the original already computes the expected value (not a bug)`);
  });
}
