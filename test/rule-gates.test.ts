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
import { forEachStmtExpr, runRules } from '../src/core/rules/run';
import { forEachChild, type Expr } from '../src/core/ir';
import type { CallExpr } from '../src/core/analysis/values';
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

test('`within`: a statement without a call it accepts is not asked about; the answers are the same', async () => {
  const text = 'import torch\na = f(x) - g(y)\nb = torch.log(p) * y - h(q)\ndef k(z):\n    return -torch.log(z) * m(z)\nc = -w\n';
  const analysis = await analysed('t.py', text);
  const asked: string[] = [];
  const seen: string[] = [];
  const isLog = (c: CallExpr): boolean => c.fn.k === 'attr' && c.fn.attr === 'log';
  const probe = defineRule('SL005', ruleMeta('SL005'), {
    only: {
      binop: (e) => {
        asked.push(text.slice(e.s, e.e));
        return e.op === '*';
      },
      unary: () => {
        asked.push('unary');
        return true;
      },
      within: isLog,
    },
    binop: (e, ctx) => void seen.push(ctx.source(e)),
    unary: (e, ctx) => void seen.push(ctx.source(e)),
  });
  runRules(text, analysis, [probe]);
  // `a = ...` and `c = -w` hold no log call: their nodes are not asked about (binops first, then unaries)
  assert.deepEqual(asked, ['torch.log(p) * y - h(q)', 'torch.log(p) * y', '-torch.log(z) * m(z)', 'unary']);
  assert.deepEqual(seen, ['torch.log(p) * y', '-torch.log(z) * m(z)', '-torch.log(z)']);
  // the same rule without `within` sees the same nodes, and `-w` (its gate, unlike its `within`, accepts it)
  seen.length = 0;
  const unseeded = defineRule('SL005', ruleMeta('SL005'), { ...probe, only: { binop: (e) => e.op === '*', unary: () => true } });
  runRules(text, await analysed('t.py', text), [unseeded]);
  assert.deepEqual(seen, ['torch.log(p) * y', '-torch.log(z) * m(z)', '-torch.log(z)', '-w']);
});

test("the visitors see each kind's nodes in pre-order, stably sorted by offset, on every fixture", async () => {
  const dir = join(root, 'test', 'fixtures', 'rules');
  const files = [...readdirSync(dir).filter((f) => /\.(py|ts|js)$/.test(f)).map((f) => join(dir, f)), ...pyFiles(join(root, 'examples'))];
  // every kind of expression and statement that holds expressions
  const every = [
    '@d(f(1) + -2)',
    'class C(B(g(3)), metaclass=m(-4)):',
    '    def h(self, a=k(5) * 6, *b, c=-l(7)):',
    '        return {n(8): -o(9), **p(10 + 11)}, [q(12) for r in s(13) if t(14) < -15], u(*v(16), **w(17))',
    'x = lambda a=y(18) - 19: -z(20) if aa(21) else bb(22) ** 23',
    'cc[dd(24):ee(25) + 26:-ff(27), gg(28)] = hh(29) or not ii(30)',
    'for jj in kk(31) * 32:',
    '    with ll(33) as mm[nn(34)], oo(35):',
    '        try:',
    '            pp = f"{qq(36) - 37}"',
    '        except rr(38) as ss:',
    '            assert tt(39), -uu(40)',
    '        else:',
    '            del vv[ww(41)]',
    '        finally:',
    '            yield xx(42) @ yy(43)',
    'while zz(44) % 45:',
    '    raise ab(46) from -ac(47)',
    'if ad(48) & ~ae(49): af = ag(50)',
    'elif ah(51): ai -= -aj(52)',
    'else: ak = (al(53), *am(54))',
    '',
  ].join('\n');
  let nodes = 0;
  for (const f of [...files, 'every.py']) {
    const text = f === 'every.py' ? every : readFileSync(f, 'utf8');
    const analysis = await analysed(f, text);
    if (f === 'every.py') assert.equal(analysis.module.body.filter((s) => s.k === 'other' && s.exprs.length === 0).length, 0, 'no statement lowered to nothing');
    const want: Record<string, Expr[]> = { call: [], binop: [], unary: [] };
    const visit = (e: Expr): void => {
      if (e.k === 'call' || e.k === 'binop' || e.k === 'unary') want[e.k].push(e);
      forEachChild(e, visit);
    };
    forEachStmtExpr(analysis.module.body, visit);
    for (const k of Object.keys(want)) want[k].sort((a, b) => a.s - b.s);
    const got: Record<string, Expr[]> = { call: [], binop: [], unary: [] };
    const all = defineRule('SL001', ruleMeta('SL001'), {
      call: (e) => void got.call.push(e),
      binop: (e) => void got.binop.push(e),
      unary: (e) => void got.unary.push(e),
    });
    runRules(text, analysis, [all]);
    for (const k of Object.keys(want)) assert.ok(got[k].length === want[k].length && got[k].every((e, i) => e === want[k][i]), `${f}: ${k}`);
    if (f === 'every.py') assert.equal(got.call.length, 47, 'every call of every.py');
    nodes += got.call.length + got.binop.length + got.unary.length;
  }
  assert.ok(nodes > 1000, `${nodes} nodes`);
});
