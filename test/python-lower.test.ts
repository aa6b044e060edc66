// The Python lowering reads the tree through a flat, cursor-built copy (src/core/syntax.ts `flatten`).
// These tests prove it produces exactly the IR of the Node-object lowering it replaced (kept in
// test/helpers/python-lower-reference.ts), on every fixture, on notebooks' code, on hand-written
// edge cases, and with both ways of reading the tree (raw runtime calls and the public cursor).
// scripts/ir-equivalence.mjs runs the same comparison over a whole corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lowerPython } from '../src/core/python/lower';
import { lowerPythonDirect } from '../src/core/python/direct';
import type { Expr, Module } from '../src/core/ir';
import { notebookProgram, parseNotebook } from '../src/core/notebook';
import { flatten } from '../src/core/syntax';
import { getEngine } from './helpers/engine';
import { canonical, compareLowering, firstDifference } from './helpers/ir-equivalence';
import { lowerPythonReference } from './helpers/python-lower-reference';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (e.endsWith(ext)) out.push(p);
  }
  return out;
}

async function assertSame(label: string, text: string): Promise<void> {
  const { parsers } = await getEngine();
  const r = compareLowering(parsers, text);
  assert.ok(!r.reference.startsWith('throw:'), `${label}: the reference lowering threw: ${r.reference}`);
  assert.ok(r.same, `${label}: the IR differs ${firstDifference(r.reference, r.current)}`);
  // the public-cursor path reads the same tree
  const tree = parsers.parse('python', text);
  try {
    assert.equal(canonical(lowerPython(tree.rootNode, { portable: true })), r.current, `${label}: portable flatten differs`);
  } finally {
    tree.delete();
  }
}

test('the fixtures lower to the same IR as the reference lowering', async () => {
  const all = files(fixtures, '.py');
  assert.ok(all.length >= 20, `found only ${all.length} fixtures`);
  for (const f of all) await assertSame(f, readFileSync(f, 'utf8'));
});

test("notebooks' code lowers to the same IR as the reference lowering", async () => {
  let checked = 0;
  for (const f of files(fixtures, '.ipynb')) {
    let text: string;
    try {
      text = notebookProgram(parseNotebook(readFileSync(f, 'utf8'))).text;
    } catch {
      continue; // a broken notebook fixture (its JSON) has no code to lower
    }
    await assertSame(f, text);
    checked++;
  }
  assert.ok(checked >= 1);
});

const EDGE_CASES: Record<string, string> = {
  empty: '',
  'only a comment': '# hello',
  'leading blank lines and indentation errors': '\n\n   x = 1\n  y = 2\nz = 3\n',
  'broken code': 'def f(x:\n    return torch.log(F.softmax(x, 1)\nclass C(\nx = [1, 2\nfrom . import (a, b,\nimport\n',
  'missing tokens': 'if x\n    y = (1 + )\nfor in y: pass\nwith open(f) as: pass\nlambda: \nprint(x for x in)\n',
  'unicode offsets': '# 😀 astral\ns = "😀é" + \'\\n\\t\\x41\'\nt = f"{x!r:>10}" b"\\x00" rb"\\d"\nnäme = 1  # é\n𝔘 = 2\n',
  crlf: 'import torch\r\nx = torch.softmax(y, 1)\r\nif x:\r\n    z = 1\r\n',
  'statements of every kind':
    'from __future__ import annotations\nimport a.b as c, d\nfrom ..m import (x as y, z)\nfrom m import *\n@dec(1)\n@other\nclass K(B, metaclass=M):\n    """doc"""\n    a: int = 1\n    def m(self, p, /, q: int = 2, *args, r, s=3, **kw) -> int:\n        global g\n        nonlocal h\n        del a[0], b\n        a += 1; b = c = d\n        x, *y = z\n        assert x, "m"\n        raise E from e\n        return a, b\n    async def n(self):\n        async with a as (b, c), d:\n            await x\n        async for i in y:\n            yield i\nwhile x:\n    break\nelse:\n    continue\nfor i, j in k:\n    pass\nelse:\n    pass\ntry:\n    pass\nexcept (A, B) as e:\n    pass\nexcept* C:\n    pass\nelse:\n    pass\nfinally:\n    pass\nif a:\n    pass\nelif b:  # c\n    pass\nelse:\n    pass\nmatch p:\n    case [1, *r] if r:\n        pass\n    case {"k": v, **rest}:\n        pass\ntype T = list[int]\nprint >> f, x\nexec "code"\n',
  'expressions of every kind':
    'x = a.b(c, *d, e=f, **g)[1:2:3, ::, ...]\ny = -a ** ~b // c @ d if not e and f or g else h\nz = a < b <= c != d is not e not in f in g\nw = [i for i in r if i] + {k: v for k, v in m} | {1, 2} & {**d, 1: 2}\nv = lambda a, *b, c=1, **d: (a, b)\nu = (yield)\nt = 0x1F + 0o17 + 0b101 + 1_000 + 1e999 + 2j + 3.5 + 10L\ns = "a" "b" f"c{d}" """e""" r"\\n"\nr = (x := 5)\nq = a[b][c](d)(e).f\np = (  # comment\n    1)\no = f(# c\n  x)\nn = {  # c\n  1: 2}\n',
  'deep nesting (beyond the lowering depth limit)': 'y = ' + 'f('.repeat(420) + 'x' + ')'.repeat(420) + '\n' + 'z = ' + '['.repeat(420) + ']'.repeat(420) + '\n',
  'deep statement nesting': Array.from({ length: 150 }, (_, i) => ' '.repeat(i) + 'if x:\n').join('') + ' '.repeat(150) + 'pass\n',
};

for (const [name, text] of Object.entries(EDGE_CASES)) {
  test(`edge case lowers to the same IR as the reference: ${name}`, async () => {
    await assertSame(name, text);
  });
}

test('the flat tree mirrors the Node API (types, fields, spans, named and missing flags)', async () => {
  const { parsers } = await getEngine();
  const text = EDGE_CASES['missing tokens'] + EDGE_CASES['expressions of every kind'];
  const tree = parsers.parse('python', text);
  try {
    const flat = flatten(tree.rootNode);
    const portable = flatten(tree.rootNode, { portable: true });
    let i = 0;
    let missing = 0;
    const visit = (node: ReturnType<typeof tree.rootNode.child> & object, fieldName: string | null): void => {
      assert.equal(flat.types[flat.type[i]] || 'ERROR', node.type, `type of node ${i}`);
      assert.equal([flat.start[i], flat.end[i]].join(), [node.startIndex, node.endIndex].join(), `span of node ${i}`);
      assert.equal((flat.flags[i] & 1) === 1, node.isNamed, `named flag of node ${i} (${node.type})`);
      assert.equal((flat.flags[i] & 2) === 2, node.isMissing, `missing flag of node ${i} (${node.type})`);
      assert.equal(flat.fields[flat.field[i]] ?? null, fieldName, `field of node ${i} (${node.type})`);
      if (node.isMissing) missing++;
      i++;
      for (let c = 0; c < node.childCount; c++) visit(node.child(c) as typeof node, node.fieldNameForChild(c));
    };
    visit(tree.rootNode, null);
    assert.equal(flat.count, i);
    assert.ok(missing > 0, 'the text has MISSING nodes');
    for (const k of ['type', 'field', 'start', 'end', 'child', 'next', 'flags'] as const) assert.deepEqual(portable[k].slice(0, portable.count), flat[k].slice(0, flat.count), k);
  } finally {
    tree.delete();
  }
});

test('the reference lowering is the one the test compares against (sanity: the comparison can fail)', async () => {
  const { parsers } = await getEngine();
  const tree = parsers.parse('python', 'x = 1\n');
  try {
    const a = canonical(lowerPythonReference(tree.rootNode));
    const b = lowerPython(tree.rootNode);
    (b.body[0] as { e: number }).e++;
    assert.notEqual(canonical(b), a);
  } finally {
    tree.delete();
  }
});

test('the module lists every comment, in source order, wherever tree-sitter attached it', async () => {
  const { parsers } = await getEngine();
  // comments inside an operator, a parameter list, a `from __future__` import and a call's arguments
  const text = 'from __future__ import (annotations,  # a\n  division)\nx = (1 +  # b\n  2)\ndef f(a,  # c\n      b): pass\nf(1,  # d\n  2)  # e\n';
  const tree = parsers.parse('python', text);
  try {
    const got = lowerPython(tree.rootNode).comments.map((c) => text.slice(c.s, c.e));
    assert.deepEqual(got, ['# a', '# b', '# c', '# d', '# e']);
  } finally {
    tree.delete();
  }
});

/** The tree-sitter lowering of a text, with the test engine's parser. */
async function lowered(t: string): Promise<Module> {
  const engine = await getEngine();
  const tree = engine.parsers.parse('python', t);
  try {
    return lowerPython(tree.rootNode);
  } finally {
    tree.delete();
  }
}

test('a backslash line continuation is no call argument and no return value', async () => {
  const call = (await lowered('y = F.softmax(x, \\\n    dim=1)\n')).body[0];
  assert.ok(call?.k === 'assign' && call.value.k === 'call');
  assert.deepEqual(call.value.args.map((a) => (a.name ? `${a.name}=` : '') + (a.value.k === 'name' ? a.value.id : a.value.k)), ['x', 'dim=num']);
  const def = (await lowered('def g():\n    return \\\n        x\n')).body[0];
  assert.ok(def?.k === 'def' && def.body[0]?.k === 'return');
  assert.deepEqual(def.body[0].value && def.body[0].value.k === 'name' ? def.body[0].value.id : def.body[0].value?.k, 'x');
});

test('a backslash line continuation is nothing in the IR: no element, operand or kid (both front ends)', async () => {
  const kinds = (es: Expr[]) => es.map((e) => (e.k === 'name' ? e.id : e.k));
  for (const viaDirect of [false, true]) {
    const lower = async (t: string) => (viaDirect ? lowerPythonDirect(t) : lowered(t));
    const m = await lower('a, b = f(x), \\\n    g\nl = [p, \\\n     q]\nc = p == \\\n    q\nd = p if c \\\n    else q\ne = [i \\\n     for i in r]\nassert p, \\\n    q\n');
    assert.ok(m, 'the direct front end accepts it');
    const [unpack, list, compare, ifexp, comp, assertion] = m.body;
    assert.ok(unpack?.k === 'assign' && unpack.value.k === 'tuple');
    assert.deepEqual(kinds(unpack.value.elts), ['call', 'g']);
    assert.ok(list?.k === 'assign' && list.value.k === 'list');
    assert.deepEqual(kinds(list.value.elts), ['p', 'q']);
    assert.ok(compare?.k === 'assign' && compare.value.k === 'compare');
    assert.deepEqual(kinds(compare.value.operands), ['p', 'q']);
    assert.ok(ifexp?.k === 'assign');
    assert.equal(ifexp.value.k, 'ifexp');
    assert.ok(comp?.k === 'assign' && comp.value.k === 'other');
    assert.deepEqual(kinds(comp.value.kids), ['i', 'other']);
    assert.ok(assertion?.k === 'other');
    assert.deepEqual(kinds(assertion.exprs), ['p', 'q']);
  }
});
