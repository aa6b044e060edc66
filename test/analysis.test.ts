// Value-kind analysis, shown on source: test/fixtures/analysis/*.py use `reveal(expr)  # kind: K`
// (Pyright's reveal_type idea). Each reveal is checked against the analysis of the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../src/core/analysis/interpret';
import { lowerPython } from '../src/core/python/lower';
import { forEachStmtExpr } from '../src/core/rules/run';
import { forEachChild, type Expr } from '../src/core/ir';
import { getEngine } from './helpers/engine';

const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'analysis');

for (const file of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
  test(`analysis ${file}`, async () => {
    const engine = await getEngine();
    const text = readFileSync(join(dir, file), 'utf8');
    const tree = engine.parsers.parse('python', text);
    const module = lowerPython(tree.rootNode);
    tree.delete();
    const a = analyze(module);
    const reveals: Expr[] = [];
    const visit = (e: Expr): void => {
      if (e.k === 'call' && e.fn.k === 'name' && e.fn.id === 'reveal') reveals.push(e);
      forEachChild(e, visit);
    };
    forEachStmtExpr(module.body, visit);
    const problems: string[] = [];
    let checked = 0;
    for (const r of reveals) {
      if (r.k !== 'call') continue;
      const lineEnd = text.indexOf('\n', r.e);
      const line = text.slice(text.lastIndexOf('\n', r.s) + 1, lineEnd < 0 ? text.length : lineEnd);
      const m = /# kind: ([\w-]+)/.exec(line);
      if (!m) {
        problems.push(`no "# kind:" on: ${line.trim()}`);
        continue;
      }
      const v = a.values.get(r.args[0].value);
      const kind = v && v.t === 'tensor' && v.kind ? v.kind : 'unknown';
      checked++;
      if (kind !== m[1]) problems.push(`expected ${m[1]} got ${kind}: ${line.trim()}`);
    }
    assert.ok(checked >= 10, 'the fixture must reveal something');
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}

// The value tables live on the IR nodes (analysis/expr-map.ts): a second analysis of the same module
// (here with a project module that makes `helper()` softmax probabilities) keeps its own values, and
// the first analysis still answers with its own.
test('two analyses of one module keep their own values and callees', async () => {
  const engine = await getEngine();
  const text = 'import torch\nfrom .models import helper\np = helper()\nq = torch.log(p)\n';
  const tree = engine.parsers.parse('python', text);
  const module = lowerPython(tree.rootNode);
  tree.delete();
  const first = analyze(module);
  const softmax = analyze(lowerPython(engine.parsers.parse('python', 'import torch\ndef helper():\n    return torch.softmax(x, 1)\n').rootNode));
  const helper = softmax.globals.get('helper')!;
  const second = analyze(module, { resolveImport: (_m, _l, name) => (name === 'helper' ? { t: 'external', kind: 'function', name: 'helper', path: 'models.py', output: softmax.returnOf(helper) } : undefined) });
  const call = (module.body[2] as Extract<(typeof module.body)[number], { k: 'assign' }>).value;
  assert.equal(call.k, 'call');
  const kind = (v: ReturnType<typeof first.values.get>) => (v?.t === 'tensor' ? v.kind : v?.t);
  assert.equal(kind(first.values.get(call)), 'unknown');
  assert.equal(kind(second.values.get(call)), 'prob-softmax');
  assert.equal(first.callees.get(call as Extract<typeof call, { k: 'call' }>)?.t, 'unknown');
  assert.equal(second.callees.get(call as Extract<typeof call, { k: 'call' }>)?.t, 'external');
  // A third analysis, as the first: still independent of the second.
  const third = analyze(module);
  assert.equal(kind(third.values.get(call)), 'unknown');
  assert.equal(kind(second.values.get(call)), 'prob-softmax');
});
