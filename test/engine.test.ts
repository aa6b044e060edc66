import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEngine } from './helpers/engine';

test('a file that mentions no trigger word is not parsed; the prefilter changes no result', async () => {
  const engine = await getEngine();
  const plain = 'import torch\nx = torch.tensor(0.)\n';
  assert.equal(engine.check(plain).parsed, false);
  assert.equal(engine.check(plain, { noPrefilter: true }).parsed, true);
  const real = 'import torch\nimport torch.nn.functional as F\nx = torch.tensor([0.])\ny = torch.log(F.softmax(x, 0))\n';
  assert.equal(engine.check(real).parsed, true);
  assert.deepEqual(engine.check(real).findings, engine.check(real, { noPrefilter: true }).findings);
});

test('findings are plain data (structured-clone safe, no functions or cycles)', async () => {
  const engine = await getEngine();
  const r = engine.check('import torch\nimport torch.nn.functional as F\nx = torch.ones(2)\ny = torch.log(F.softmax(x, 0))\n');
  assert.equal(r.findings.length, 1);
  assert.deepEqual(structuredClone(r), r);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});
