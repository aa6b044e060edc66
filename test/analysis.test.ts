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
