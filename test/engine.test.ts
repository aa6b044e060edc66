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

test('on every rule fixture the prefilter changes no result', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const engine = await getEngine();
  const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'rules');
  let checked = 0;
  for (const f of readdirSync(dir).filter((x) => /\.(py|ts|js)$/.test(x))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const a = engine.check(text, { path: f }).findings;
    const b = engine.check(text, { path: f, noPrefilter: true }).findings;
    assert.deepEqual(a, b, f);
    // and per rule: with only that rule enabled, the rule's own findings survive the prefilter
    for (const code of new Set(b.map((x) => x.code))) {
      const only = { select: [code], ignore: [], severity: {} };
      assert.deepEqual(engine.check(text, { path: f, settings: only }).findings, engine.check(text, { path: f, settings: only, noPrefilter: true }).findings, `${f} ${code}`);
    }
    checked++;
  }
  assert.ok(checked >= 10);
});

test('preconditions: each text answers for itself (the per-text memo never leaks between texts)', async () => {
  const { preconditions } = await import('../src/core/rules/preconditions');
  const texts = ['import torch\nloss = F.cross_entropy(torch.log(p), y)\n', 'x = 1\n', 'y = np.exp(z) / np.exp(z).sum()\n', 'from torch import log\n', 'p = model.predict(x)\nq = log(p)\n', 'x = 1\n'];
  const codes = Object.keys(preconditions) as (keyof typeof preconditions)[];
  const answers = (t: string, project: boolean) => codes.map((c) => preconditions[c](t, { project }));
  const alone = texts.map((t) => [answers(t, false), answers(t, true)]);
  // interleaved, each text asked rule by rule after another text, and copies of the same content
  for (let round = 0; round < 2; round++) {
    texts.forEach((t, i) => {
      const copy = (' ' + t).slice(1);
      assert.deepEqual([answers(copy, false), answers(t, true)], alone[i], t);
    });
  }
  assert.deepEqual(alone[1]![0], codes.map(() => false));
  assert.equal(preconditions.SL006(texts[2]!, { project: false }), true);
  // an exp with no sum anywhere is no hand-written softmax or log-sum-exp
  assert.equal(preconditions.SL006('y = np.exp(z) / total\n', { project: false }), false);
  assert.equal(preconditions.SL010(texts[3]!, { project: true }), true);
  assert.equal(preconditions.SL010(texts[3]!, { project: false }), false);
});

test('preconditions: a Keras compile admits a file without a loss name; the regular expression modules\' compile does not', async () => {
  const { preconditions } = await import('../src/core/rules/preconditions');
  const loss = (t: string) => preconditions.SL002(t, { project: true });
  // a loss that comes from another module of the project (a ref re-exported there): only `compile` says so
  assert.equal(loss('from .losses import bce\nmodel.compile(optimizer="adam", loss=bce)\n'), true);
  assert.equal(loss('from .losses import bce\nmodel.compile("adam", bce)\n'), true);
  assert.equal(loss('net . compile (\n  "sgd", make_loss())\n'), true);
  // `re.compile` / `regex.compile` (a quarter of the files that matched nothing else) are no Keras models
  assert.equal(loss('import re\nPATTERN = re.compile(r"\\d+")\n'), false);
  assert.equal(loss('import regex\nP = regex.compile("a|b")\n'), false);
  // a model named `re` that is compiled with a loss keyword is still looked at
  assert.equal(loss('re.compile(optimizer="adam", loss=bce)\n'), true);
  assert.equal(loss('PATTERN = re.compile(r"x")\nmodel.compile(loss=bce)\n'), true);
});
