// The rules' gates (`Rule.only`) are necessary conditions: running every rule without its gates
// gives the same reports (findings, fixes, claims between rules) on every fixture; and the runner
// evaluates a gate once per node and analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEngine } from './helpers/engine';
import { pyFiles } from './helpers/files';
import { analyze, type Analysis } from '../src/core/analysis/interpret';
import { lowerPython } from '../src/core/python/lower';
import { lowerTypeScript } from '../src/core/typescript/lower';
import { scriptLanguageOf } from '../src/core/typescript/support';
import { rules } from '../src/core/rules';
import { runRules } from '../src/core/rules/run';
import { defineRule, type Rule } from '../src/core/rules/rule';
import { ruleMeta } from '../src/core/rules/catalogue';

const root = join(__dirname, '..', '..');

async function analysed(path: string, text: string): Promise<Analysis> {
  const engine = await getEngine();
  const script = scriptLanguageOf(path);
  const tree = engine.parsers.parse(script?.grammar ?? 'python', text);
  try {
    return analyze(script ? lowerTypeScript(tree.rootNode, script.language) : lowerPython(tree.rootNode));
  } finally {
    tree.delete();
  }
}

test('every rule reports the same without its gates, on every fixture and example', async () => {
  const ungated: Rule[] = rules.map((r) => ({ ...r, only: undefined }));
  assert.ok(rules.every((r) => r.only), 'every rule has gates');
  const dir = join(root, 'test', 'fixtures', 'rules');
  const files = [
    ...readdirSync(dir).filter((f) => /\.(py|ts|js)$/.test(f)).map((f) => join(dir, f)),
    ...pyFiles(join(root, 'examples')),
    ...pyFiles(join(root, 'test', 'fixtures', 'analysis')),
    join(root, 'test', 'fixtures', 'typescript', 'kinds.ts'),
  ];
  let reports = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // a fresh analysis for each run: the gated run must not profit from the ungated one
    const without = runRules(text, await analysed(f, text), ungated);
    const gated = runRules(text, await analysed(f, text), rules);
    assert.deepEqual(gated, without, f);
    reports += gated.length;
  }
  assert.ok(reports > 100, `${reports} reports`);
});

test('a gate runs once per node and analysis; its visitor sees only the nodes it accepts, in order', async () => {
  const text = 'import torch\na = torch.log(x)\nb = f(g(y))\nc = torch.log(torch.exp(z))\n';
  const analysis = await analysed('t.py', text);
  let asked = 0;
  const seen: string[] = [];
  const probe = defineRule('SL003', ruleMeta('SL003'), {
    only: {
      call: (c) => {
        asked++;
        return c.fn.k === 'attr' && c.fn.attr === 'log';
      },
    },
    call: (c, ctx) => void seen.push(ctx.source(c)),
  });
  runRules(text, analysis, [probe]);
  assert.equal(asked, 5); // torch.log(x), f(...), g(y), torch.log(...), torch.exp(z)
  assert.deepEqual(seen, ['torch.log(x)', 'torch.log(torch.exp(z))']);
  runRules(text, analysis, [probe]);
  assert.equal(asked, 5, 'the second run over the same analysis asks no gate');
  assert.equal(seen.length, 4);
  // a new analysis of the same text asks again
  runRules(text, await analysed('t.py', text), [probe]);
  assert.equal(asked, 10);
});

test('a new generation of the analysis (a re-walked function) asks the gates only about the new body', async () => {
  const text = 'import torch\ndef f(x):\n    return torch.log(x)\ny = g(torch.log(z))\ndef h(w):\n    return k(w)\n';
  const analysis = await analysed('t.py', text);
  const asked: string[] = [];
  const seen: string[] = [];
  const probe = defineRule('SL003', ruleMeta('SL003'), {
    only: {
      call: (c) => {
        asked.push(c.fn.k === 'attr' ? c.fn.attr : c.fn.k === 'name' ? c.fn.id : '?');
        return c.fn.k === 'attr' && c.fn.attr === 'log';
      },
    },
    call: (c, ctx) => void seen.push(ctx.source(c)),
  });
  runRules(text, analysis, [probe]);
  assert.deepEqual(asked, ['log', 'g', 'log', 'k']);
  // h's body replaced in place, as ../src/core/incremental.ts does before `Analysis.rewalk`
  const text2 = text.replace('return k(w)', 'return torch.log(w)');
  const fresh = await analysed('t.py', text2);
  const h = analysis.module.body[3];
  const h2 = fresh.module.body[3];
  assert.ok(h?.k === 'def' && h2?.k === 'def');
  h.body = h2.body;
  asked.length = 0;
  seen.length = 0;
  runRules(text2, { ...analysis, generation: 1 }, [probe]);
  assert.deepEqual(asked, ['log'], 'only the new body is asked');
  assert.deepEqual(seen, ['torch.log(x)', 'torch.log(z)', 'torch.log(w)']);
});
