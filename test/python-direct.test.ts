// The direct Python front end (src/core/python/direct.ts: text → IR without tree-sitter) must give
// exactly the IR of tree-sitter + lowerPython whenever it accepts a text, and decline what it does not
// model. Checked on every Python fixture and example, on hand-written snippets (each must be accepted
// and equal), on inputs it must decline, and on generated programs. scripts/ir-equivalence.mjs runs the
// same comparison over all of /usr/lib/python3/dist-packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { lowerPython } from '../src/core/python/lower';
import { lowerPythonDirect, lowerPythonDirectWhy } from '../src/core/python/direct';
import { getEngine } from './helpers/engine';
import { pyFiles } from './helpers/files';
import { canonical, firstDifference } from './helpers/ir-equivalence';

const root = join(__dirname, '..', '..');

async function treeSitterIR(text: string): Promise<string> {
  const { parsers } = await getEngine();
  const tree = parsers.parse('python', text);
  try {
    return canonical(lowerPython(tree.rootNode));
  } finally {
    tree.delete();
  }
}

/** Compares when the direct front end accepts; returns whether it did. */
async function assertSameWhenAccepted(label: string, text: string): Promise<boolean> {
  const direct = lowerPythonDirect(text);
  if (!direct) return false;
  const want = await treeSitterIR(text);
  const got = canonical(direct);
  assert.ok(got === want, `${label}: the direct IR differs ${firstDifference(want, got)}`);
  return true;
}

async function assertAcceptedAndSame(label: string, text: string): Promise<void> {
  const r = lowerPythonDirectWhy(text);
  assert.ok(r.module, `${label}: declined (${r.reason}): ${JSON.stringify(text)}`);
  assert.ok(await assertSameWhenAccepted(label, text));
}

test('direct front end: every Python fixture and example it accepts has tree-sitter\'s IR', async () => {
  const files = [...pyFiles(join(root, 'test', 'fixtures')), ...pyFiles(join(root, 'examples'))];
  assert.ok(files.length > 10);
  let accepted = 0;
  for (const f of files) if (await assertSameWhenAccepted(f, readFileSync(f, 'utf8'))) accepted++;
  assert.ok(accepted >= files.length - 3, `accepted only ${accepted} of ${files.length}`);
});

const SNIPPETS: string[] = [
  // a backslash line continuation between arguments is no argument (either front end)
  'y = F.softmax(x, \\\n  dim=1)\n',
  'f(a, \\\n  b, \\\n  c=1)\n',
  '',
  '\n\n',
  '# only a comment',
  '\uFEFFimport torch\n',
  'x = 1\n',
  'x = 1',
  'x = 1;',
  'a = 1; b = 2\n',
  'import a.b.c as d, e\nfrom . import x\nfrom ..pkg.mod import (y as z, w,)\nfrom ...x import *\nfrom __future__ import annotations  # c\n',
  'from __future__ import (annotations,  # a\n  division)\n',
  // every statement kind
  'def f(a, b=1, *args, c, d: int = 2, e: str, **kw) -> int:\n    """doc"""\n    return a\n',
  'def g(a, /, b, *, c):\n    pass\n',
  'async def h():\n    async with a as b, c:\n        await x\n    async for i in y:\n        yield i\n',
  'class A(B, metaclass=M):\n    x: int = 3\n    y: int\n    def m(self):\n        self.z = 1\n',
  'class C: pass\nclass D(): pass\n',
  '@dec\n@dec.attr(1, k=2)\ndef f(): ...\n@d\nclass E:\n    pass\n',
  'if a:\n    b\nelif c:\n    d\nelse:\n    e\n',
  'if a: b\nelif c: d\nelse: e\n',
  'while x:\n    break\nelse:\n    continue\n',
  'for i, (j, k) in enumerate(z):\n    pass\nelse:\n    pass\n',
  'for *a, b in c: pass\n',
  'try:\n    x\nexcept E as e:\n    y\nexcept (A, B):\n    z\nexcept:\n    w\nelse:\n    v\nfinally:\n    u\n',
  'try:\n    x\nfinally:\n    y\n',
  'with open(f) as g, h:\n    pass\n',
  'global a, b\nnonlocal c\ndel a, b[1]\ndel (c)\nraise E from e\nraise\nassert x, "m"\nreturn\nreturn a, b,\n',
  'x += 1\ny //= 2\nz **= 3\na.b[c] @= d\n',
  'a = b = c = 1\na, b = b, a\n[a, b] = c\n(a, b) = c\na, = c\nx = yield\nx = yield a, b\ny = yield from z\n',
  'x = *a, *b\nprint(*a, **k)\n',
  // expressions
  'x = a if b else c if d else e\ny = lambda: 0\nz = lambda a, b=1, *c, **d: a + b\n',
  'x = not a == b\ny = a and not b or c\nz = a < b <= c != d in e not in f is g is not h\n',
  'x = a | b ^ c & d << e >> f + g - h * i / j // k % l @ m ** -n ** ~o\n',
  'x = -a ** b\ny = await_ = 1\n',
  'async def f():\n    x = await a ** b\n    return [i async for i in y]\n',
  'x = a[1]\ny = a[1:2, ::3, :, 4:]\nz = a[b][c](d).e\nw = a[1,]\n',
  'x = [i for i in a if i if not i for j in b]\ny = {k: v for k, v in d.items()}\nz = {i for i in s}\nw = (i for i in g)\nf(i for i in g)\nf((i for i in g), 1)\n',
  'x = {}\ny = {1: 2, **d, 3: 4,}\nz = {1, 2, *s}\nw = []\nv = ()\nu = (1,)\nt = (a)\n',
  'if (n := len(a)) > 10: pass\n',
  'x = 0x1F + 0o17 + 0b101 + 1_000 + 1.5 + .5 + 1. + 1e5 + 1E-5 + 1j + 1.5J + 00\n',
  'x = True, False, None, ...\n',
  // strings
  "x = 'a' \"b\" '''c''' \"\"\"d\"\"\" r'\\d+' b'\\x00' rb'x' Br'y' u'z'\n",
  "x = 'a\\nb\\'c\\\\'\ny = \"\"\"multi\nline\\\n\"\"\"\n",
  "x = ('a'  # comment\n     'b')\n",
  "x = ('a'\n     'b')\n",
  "x = 'a' \\\n    'b'\n",
  'x = f"a{b}c{d!r}e{f:>10}g{h=}{i:{j}.{k}f}{{lit}}\\n"\n',
  'x = f"{a + b}" f\'{c["k"]}\' "plain" f"{x:%Y-%m-%d}"\n',
  'x = f"{g(\'a\')}"\ny = f""\nz = f"{a, b}"\nw = f"{x:}"\n',
  'x = F"""{a}\n{b}"""\n',
  // non-BMP characters and UTF-16 offsets
  'x = "😀 \\u00e9 é"  # 😀 comment\ny = softmax(x)\n',
  '# 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\ns = "𝔘"; t = f"{s}𝔘"\n',
  // comments everywhere, blocks that end in comments
  'def f():\n    x = 1\n    # trailing\n\n  # shallower\n# module\ny = 2\n',
  'if a:\n    # lead\n    b  # same line\n    # t\nelse:  # after else\n    c\n',
  'def f(a,  # c\n      b):  # d\n    return (a +  # e\n            b)\n',
  'class A:\n    def f(self):\n        if x:\n            y\n        # c\n    # d\n# e\nz = 1\n',
  'x = [\n    1,  # one\n    2,\n    # end\n]\n',
  // line continuations where the lowering ignores them, or makes an operand of them
  'x = a + \\\n    b\nif a and \\\n        b:\n    pass\n',
  'from a import b, \\\n    c\nimport d, \\\n    e\nwith a as b, \\\n        c:\n    pass\n',
  'assert a == \\\n    b\nx = a \\\n    .b()\n',
  'f(a, \\\n  b)\nx = [1, \\\n     2]\ny = (1, \\\n     2)\nz = {1, \\\n     2}\nw = {1: \\\n     2, \\\n  3: 4}\n',
  'x = a if b \\\n    else c\ny = [i \\\n     for i in a \\\n     if i]\nz = f(i for i in \\\n      a)\n',
  'x = ( \\\n    a)\nreturn_ = 1\ndef f():\n    return a, \\\n        b\n',
  "x = r'\\\\' + r'\\'' + r'a\\\\'\ny = '\\N{BULLET} \\N{EM DASH}'\n",
  'x = (a\n     + b)\n',
  // tabs, CRLF
  'if a:\n\tb\n\tif c:\n\t\td\n',
  'x = 1\r\nif x:\r\n    y = 2  # c\r\n# d\r\n',
  'print(x)\nprint (a), b\nexec(code)\nmatch = re.match(p, s)\ntype(x)\nprint = 1\n',
  'x = a.match\ny = a.type\n',
  // star arguments take a whole expression
  'f(*a + b, *[x] * 3, *c if d else [], *e or g, **h)\nf(*lambda: x)\nf(*not a)\nf(*a.b[1] + c)\n',
  // line continuations after a comma: children of a pattern_list, an assert, an expression statement
  'a, b, \\\n  c = x\na, \\\n  *b = x\nx, \\\n  y[0] = a = b\na, \\\n  b = c, \\\n  d = x\na, \\\n  (b, \\\n c) = x\n',
  'for a, \\\n  b in c: pass\nx = [i for a, \\\n  b in c]\na, \\\n  b\nprint(a, \\\n  b), c\n',
  'assert a, \\\n    b\nassert \\\n  a\nassert a, \\\n  (b)\nassert a, \\\n  "b"\n',
  // raw f-strings with backslashes
  String.raw`x = rf"\s{a}\d" + rf"a\\{b}" + rf"\n\x41\"{a}" + rf"\N{a}" + rf"a\{{b}}\}}" + rf"a\"b{c}\dd"` + '\n',
  String.raw`x = rf"""\s` + '\n' + String.raw`\d{a}""" + rf"""a\\` + '\n' + String.raw`{b}""" + rf"""a"\s{b}""" + rf"""a\"\\{b}""" + rf"a\\"` + '\n',
  // a triple-quoted f-string's interpolation may hold strings in its quote
  'x = f"""{", ".join(a)}{b["c"]:>{w}}{"a" "b"}\n  {x} "{y}" {d["k"]!r}\n"""\n',
  // `type` and `match` as names
  'type, a = x\nclass A:\n    type: T\n    type: T = 1\nmatch["eq"] = eq\nmatch, funcs = f(x)\nmatch[0].x = 1\nmatch[a, b]\n',
  'match: int = 1\nmatch[x] += 1\ntype(x) == y\nmatch(a, b)\nmatch(a).b = c\nmatch[x]: int = 1\nmatch[x] = 1; y = 2\n',
];

test('direct front end: hand-written snippets are accepted and equal tree-sitter\'s IR', async () => {
  for (const [i, s] of SNIPPETS.entries()) await assertAcceptedAndSame(`snippet ${i}`, s);
});

test('direct front end: CRLF and tab-indented variants of the snippets', async () => {
  for (const [i, s] of SNIPPETS.entries()) {
    await assertSameWhenAccepted(`snippet ${i} (CRLF)`, s.replace(/\r?\n/g, '\r\n'));
    await assertSameWhenAccepted(`snippet ${i} (tabs)`, s.replace(/^( {4})+/gm, (m) => '\t'.repeat(m.length / 4)));
  }
});

const DECLINED: string[] = [
  'x = (1\n',
  'def f(:\n    pass\n',
  'if x:\npass\n',
  '  x = 1\n',
  'if x:\n        a\n    b\n',
  'print "hello"\n',
  'print >>f, x\n',
  'exec "code"\n',
  'x = `y`\n',
  'x = a <> b\n',
  'try:\n    pass\nexcept E, e:\n    pass\n',
  'match x:\n    case 1:\n        pass\n',
  'type X = int\n',
  'x = 0777\n',
  'x = 1L\n',
  'café = 1\n',
  'return \\\n    x\n',
  'x = "\\N{BULLET"\n',
  'with (a as b, c as d):\n    pass\n',
  'with a if b else c as d:\n    pass\n',
  'x = *a[0], b\n',
  'x = 1\n\x0cy = 2\n',
  'x = 1\ry = 2\n',
  'def f[T](x): pass\n',
  'async = 1\n',
  // type alias statements for tree-sitter (`type`, a bracket, an `=` later), match statements
  'type(x).y = 2\n',
  'type(x)[0] = 1\n',
  'type[0] = 1\n',
  'match[a]:\n    case 1: pass\n',
  'match (a):\n    case 1: pass\n',
  // raw f-string content made only of backslash steps (the grammar's scanner lexes it otherwise)
  String.raw`x = rf"\\{a}"` + '\n',
  String.raw`x = rf"{a}\\"` + '\n',
  String.raw`x = rf"\"{a}"` + '\n',
  String.raw`x = rf"\{a}"` + '\n',
  String.raw`x = rf"""a\""\"{b}"""` + '\n',
  'x = rf"\\u0041{a}\\\n{b}"\n',
  // quotes in an interpolation that could end a triple-quoted f-string
  'x = f"""{""}"""\n',
  'x = f"""{"a"""}"""\n',
  // a star argument, then a generator
  'f(*a, b for b in c)\n',
];

test('direct front end: declines syntax errors, Python 2, match, and what it does not model', async () => {
  for (const s of DECLINED) assert.equal(lowerPythonDirect(s), undefined, `accepted ${JSON.stringify(s)}`);
});

test('direct front end: very deep nesting is declined, not a stack overflow', () => {
  assert.equal(lowerPythonDirect(`x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`), undefined);
  assert.equal(lowerPythonDirect(`x = ${'-'.repeat(5000)}1\n`), undefined);
  let deep = '';
  for (let i = 0; i < 300; i++) deep += `${' '.repeat(i)}if x:\n`;
  deep += `${' '.repeat(300)}pass\n`;
  assert.equal(lowerPythonDirect(deep), undefined);
  // long chains nest in the IR too (the lowering makes what is beyond 400 levels opaque, with an error)
  assert.equal(lowerPythonDirect(`y = ${Array.from({ length: 2000 }, (_, i) => `a${i}`).join(' + ')}\n`), undefined);
  assert.equal(lowerPythonDirect(`y = a${'.b'.repeat(2000)}\n`), undefined);
  assert.equal(lowerPythonDirect(`y = a${'(1)'.repeat(2000)}\n`), undefined);
  assert.equal(lowerPythonDirect(`y = ${Array.from({ length: 2000 }, (_, i) => `a${i}`).join(' and ')}\n`), undefined);
  assert.ok(lowerPythonDirect(`y = ${Array.from({ length: 40 }, (_, i) => `a${i}`).join(' + ')}\n`));
});

// ---- generated programs ---------------------------------------------------------------------

const ATOMS = ['a', 'b.c', 'f(x)', 'g(*a, k=1, **kw)', 'x[1]', 'y[1:2]', '1', '2.5', '"s"', "f'{a}'", 'None', 'True', '[1, 2]', '(a, b)', '{a: b}', '{a}', '()', '[]', 'torch.softmax(x, dim=1)', '(a)'];
const BINOPS = [' + ', ' - ', ' * ', ' / ', ' // ', ' % ', ' ** ', ' @ ', ' | ', ' & ', ' ^ ', ' << ', ' >> ', ' and ', ' or ', ' < ', ' == ', ' is not ', ' not in ', ' in '];
const UNOPS = ['-', '+', '~', 'not ', 'await '];

const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { arbitrary: fc.constantFrom(...ATOMS), weight: 5 },
    { arbitrary: fc.tuple(tie('e'), fc.constantFrom(...BINOPS), tie('e')).map(([a, o, b]) => `${a}${o}${b}`), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom(...UNOPS), tie('e')).map(([o, a]) => `${o}${a}`), weight: 1 },
    { arbitrary: fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `${a} if ${b} else ${c}`), weight: 1 },
    { arbitrary: tie('e').map((a) => `(${a})`), weight: 1 },
    { arbitrary: tie('e').map((a) => `lambda q: ${a}`), weight: 1 },
    { arbitrary: fc.tuple(tie('e'), tie('e')).map(([a, b]) => `[${a} for i in ${b}]`), weight: 1 },
    { arbitrary: fc.tuple(tie('e'), tie('e')).map(([a, b]) => `h(${a}, ${b})`), weight: 1 },
    { arbitrary: tie('e').map((a) => `f"x{${a}}y"`), weight: 1 },
  ),
})).e as fc.Arbitrary<string>;

const SPACES = fc.constantFrom('', '  # c', ' \\\n    + 1', '');
const simple: fc.Arbitrary<string> = fc.oneof(
  expr.map((e) => `x = ${e}`),
  expr.map((e) => `${e}`),
  expr.map((e) => `return ${e}`),
  fc.tuple(expr, expr).map(([a, b]) => `x, y = ${a}, ${b}`),
  expr.map((e) => `x += ${e}`),
  fc.constant('pass'),
);

function block(depth: number): fc.Arbitrary<string[]> {
  const stmt: fc.Arbitrary<string[]> =
    depth <= 0
      ? fc.tuple(simple, SPACES).map(([s, c]) => [s + c])
      : fc.oneof(
          { arbitrary: fc.tuple(simple, SPACES).map(([s, c]) => [s + c]), weight: 4 },
          { arbitrary: fc.tuple(expr, block(depth - 1)).map(([e, b]) => [`if ${e}:`, ...b.map((l) => `    ${l}`)]), weight: 1 },
          { arbitrary: fc.tuple(expr, block(depth - 1), block(depth - 1)).map(([e, b, c]) => [`while ${e}:`, ...b.map((l) => `    ${l}`), 'else:', ...c.map((l) => `    ${l}`)]), weight: 1 },
          { arbitrary: block(depth - 1).map((b) => ['def f(a, b=1):', ...b.map((l) => `    ${l}`)]), weight: 1 },
          { arbitrary: fc.tuple(block(depth - 1), fc.constantFrom('# c', '  # c', '    # c', '')).map(([b, c]) => ['class K(B):', ...b.map((l) => `    ${l}`), c]), weight: 1 },
          { arbitrary: fc.tuple(block(depth - 1), block(depth - 1)).map(([b, c]) => ['try:', ...b.map((l) => `    ${l}`), 'except E as e:', ...c.map((l) => `    ${l}`)]), weight: 1 },
        );
  return fc.array(stmt, { minLength: 1, maxLength: 4 }).map((xs) => xs.flat());
}

test('direct front end: generated programs (property): accepted ones have tree-sitter\'s IR', async () => {
  const { parsers } = await getEngine();
  let accepted = 0;
  fc.assert(
    fc.property(block(2), fc.constantFrom('\n', '\r\n'), (lines, nl) => {
      const text = lines.join(nl) + nl;
      const direct = lowerPythonDirect(text);
      if (!direct) return true;
      accepted++;
      const tree = parsers.parse('python', text);
      try {
        const want = canonical(lowerPython(tree.rootNode));
        const got = canonical(direct);
        if (got !== want) throw new Error(`differs for ${JSON.stringify(text)} ${firstDifference(want, got)}`);
      } finally {
        tree.delete();
      }
      return true;
    }),
    { numRuns: 300, seed: 7 },
  );
  assert.ok(accepted > 50, `only ${accepted} generated programs accepted`);
});

test('direct front end: mutated fixtures (token soup) never crash it, and what it accepts is tree-sitter\'s IR', async () => {
  const text = readFileSync(join(root, 'test', 'fixtures', pyFiles(join(root, 'test', 'fixtures'))[0]!.slice(join(root, 'test', 'fixtures').length + 1)), 'utf8');
  const pieces = ['(', ')', '[', ']', ':', '\n', '    ', '"', "'", '\\\n', '#', 'if ', 'else', ',', '*', '=', 'f"{', '}', 'lambda', '\t', '\r\n'];
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.constantFrom(...pieces), fc.nat({ max: 3 }), async (at, piece, del) => {
      const i = at % (text.length + 1);
      const mutated = text.slice(0, i) + piece + text.slice(i + del);
      await assertSameWhenAccepted('mutated', mutated);
    }),
    { numRuns: 200, seed: 11 },
  );
});
