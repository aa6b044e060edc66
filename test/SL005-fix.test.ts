// SL005's fix (F.cross_entropy on the logits) is reachable only when SL003 is not enabled: with SL003
// on, SL003 reports the log of the softmax (its fix is safe) and SL005 stays silent. These table tests
// run with SL005 alone, check the exact fixed text, that it parses, and that the finding is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, getEngine, syntaxErrorCount } from './helpers/engine';

const only = { select: ['SL005'], ignore: [], severity: {} };
const head = 'import torch\nimport torch.nn.functional as F\n\nx = torch.randn(4, 3)\ny = torch.softmax(torch.randn(4, 3), 1)\n';

const cases: { name: string; code: string; fixed?: string }[] = [
  {
    name: 'sum over everything → reduction="sum"',
    code: 'loss = -torch.sum(y * torch.log(F.softmax(x, dim=1)))\n',
    fixed: 'loss = F.cross_entropy(x, y, reduction="sum")\n',
  },
  {
    name: 'per-sample sum, batch mean, through a variable → default reduction',
    code: 'p = torch.softmax(x, 1)\nloss = -(y * torch.log(p)).sum(dim=1).mean()\n',
    fixed: 'p = torch.softmax(x, 1)\nloss = F.cross_entropy(x, y)\n',
  },
  {
    name: 'negation inside the mean, method softmax',
    code: 'loss = torch.mean(-torch.sum(y * torch.log(x.softmax(dim=1)), dim=1))\n',
    fixed: 'loss = F.cross_entropy(x, y)\n',
  },
  { name: 'softmax over dim -1: the class dim of cross_entropy is 1, no fix', code: 'loss = -torch.sum(y * torch.log(F.softmax(x, dim=-1)))\n' },
  { name: 'mean over all elements divides by N * C: no reduction matches, no fix', code: 'loss = -torch.mean(y * torch.log(F.softmax(x, dim=1)))\n' },
  { name: 'probabilities of unknown origin: no logits, no fix', code: 'def f(p, y):\n    return -torch.sum(y * torch.log(p))\n' },
];

for (const c of cases) {
  test(`SL005 fix: ${c.name}`, async () => {
    const engine = await getEngine();
    const text = head + c.code;
    const findings = engine.check(text, { settings: only }).findings;
    assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
    const f = findings[0];
    assert.equal(f.code, 'SL005');
    if (c.fixed === undefined) {
      assert.equal(f.fix, null);
      return;
    }
    assert.ok(f.fix);
    assert.equal(f.fix.applicability, 'unsafe');
    const out = applyEdits(text, f.fix.edits);
    assert.equal(out, head + c.fixed);
    assert.equal(await syntaxErrorCount(out), 0);
    assert.deepEqual(engine.check(out, { settings: only }).findings, []);
  });
}

test('SL005 with SL003 enabled: only SL003 reports the log of the softmax', async () => {
  const engine = await getEngine();
  const text = head + cases[0].code;
  assert.deepEqual(
    engine.check(text).findings.map((f) => f.code),
    ['SL003'],
  );
});
