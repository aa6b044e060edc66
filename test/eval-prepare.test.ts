// Hover preparation: numeric list literals read without the parser give exactly the model the parser
// gives; anything else (strings, comments, subscripts, odd numbers) falls back to the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEngine } from './helpers/engine';
import { lowerPython } from '../src/core/python/lower';
import { lowerForEval, scanNumericLists, type TextRange } from '../src/core/eval/prepare';
import { hoverAt } from '../src/core/eval';
import type { Module } from '../src/core/ir';

async function lowerer(): Promise<(t: string, ranges?: TextRange[]) => Module> {
  const engine = await getEngine();
  return (t, ranges) => {
    const tree = engine.parsers.parse('python', t, undefined, ranges);
    try {
      return lowerPython(tree.rootNode);
    } finally {
      tree.delete();
    }
  };
}

const nums = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join(', ');

const CASES: Record<string, string> = {
  floats: `import torch\nx = torch.tensor([${nums(40, (i) => `${i % 7}.${i}`)}])\n`,
  negativesAndExponents: `x = [${nums(40, (i) => (i % 2 ? `-${i}e-3` : `${i}E+2`))}]\ny = x\n`,
  intsAndDots: `x = [${nums(40, (i) => (i % 3 === 0 ? `${i}.` : i % 3 === 1 ? `.${i}` : `${i}`))},]\n`,
  nested: `import numpy as np\nx = np.array([${nums(12, (i) => `[${i}.5, -${i}, 0.25]`)}])\n`,
  multiline: `x = [\n  ${nums(40, (i) => `${i}.0`).replace(/, /g, ',\n  ')}\n]\r\nz = 1\n`,
  twoLists: `a = [${nums(33, (i) => `${i}`)}]\nb = [${nums(50, (i) => `-${i}.5`)}]\nc = a\n`,
  inString: `s = "[${nums(40, (i) => `${i}`)}]"\nt = s\n`,
  inComment: `# [${nums(40, (i) => `${i}`)}]\nt = 1\n`,
  subscript: `import numpy as np\nx = np.zeros((50, 50))\ny = x[${nums(2, (i) => `${i}`)}]\nz = np.ones(40)[[${nums(40, (i) => `${i}`)}]]\n`,
  notPlain: `x = [${nums(40, (i) => `${i}`)}, 1_0]\ny = [${nums(40, (i) => `${i}`)}, 0x1f]\nz = [${nums(40, (i) => `${i}`)}, 1j]\nw = [${nums(40, (i) => `${i}`)}, 01]\n`,
  spaced: `x = [${nums(40, (i) => `- ${i}`)}]\ny = [${nums(40, (i) => `+${i}`)}]\n`,
  withComments: `x = [${nums(40, (i) => `${i}`)},  # tail\n 1]\n`,
  inDef: `def f():\n    return [${nums(40, (i) => `${i}.0`)}]\n\nr = f()\n`,
  unclosed: `x = [${nums(40, (i) => `${i}`)}\ny = 2\n`,
  unicode: `# héllo 😀 ${'\ud800'}\ns = 'ü😀'; t = [1, 2]\nx = [${nums(40, (i) => `${i}.5`)}]  # 😀\ny = [${nums(40, (i) => `-${i}`)}]\n`,
};

test('prepare: the model with list literals read without the parser equals the parser’s model', async () => {
  const lower = await lowerer();
  const skippedOnce = ['unicode', 'floats', 'negativesAndExponents', 'intsAndDots', 'nested', 'multiline', 'twoLists', 'inDef'];
  const fallsBack = ['inString', 'inComment', 'subscript'];
  for (const [name, text] of Object.entries(CASES)) {
    const seen: (TextRange[] | undefined)[] = [];
    const fast = lowerForEval(text, (t, ranges) => (seen.push(ranges), lower(t, ranges)));
    const full = lower(text);
    assert.deepEqual(JSON.parse(JSON.stringify(fast)), JSON.parse(JSON.stringify(full)), name);
    if (skippedOnce.includes(name)) assert.ok(seen.length === 1 && seen[0]!.length >= 2, `${name}: parsed once, list insides skipped`);
    if (fallsBack.includes(name)) assert.ok(seen.length === 2 && seen[0] && !seen[1], `${name}: parsed again in full`);
  }
});

test('prepare: which literals are read without the parser', () => {
  assert.equal(scanNumericLists(CASES.floats!).length, 1);
  assert.equal(scanNumericLists(CASES.nested!)[0]?.numbers, 36);
  assert.equal(scanNumericLists(CASES.twoLists!).length, 2);
  assert.equal(scanNumericLists(`x = [${nums(31, String)}]`).length, 0, 'short lists are parsed');
  assert.equal(scanNumericLists(CASES.notPlain!).length, 0);
  assert.equal(scanNumericLists(CASES.spaced!).length, 0);
  assert.equal(scanNumericLists(CASES.withComments!).length, 0);
});

test('prepare: random numeric literals, laid out at random, give the parser’s model', async () => {
  const lower = await lowerer();
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const num = (): string => {
    const sign = rnd() < 0.4 ? '-' : '';
    const body = pick([() => String(Math.floor(rnd() * 1000)), () => (rnd() * 100).toFixed(3), () => `${Math.floor(rnd() * 9)}e${pick(['', '-', '+'])}${Math.floor(rnd() * 40)}`, () => `.${Math.floor(rnd() * 100)}`, () => `${Math.floor(rnd() * 100)}.`, () => '1e400', () => '123456789012345678901234'])();
    return sign + body;
  };
  const list = (depth: number): string => {
    const n = 1 + Math.floor(rnd() * (depth ? 4 : 40));
    const items = Array.from({ length: n }, () => (depth < 2 && rnd() < 0.1 ? list(depth + 1) : num()));
    const sep = (): string => pick([', ', ',', ' ,', ',\n  ', ' , \r\n']);
    return `[${pick(['', ' ', '\n'])}${items.map((x, i) => (i ? sep() : '') + x).join('')}${pick(['', ',', ' ', ',\n'])}]`;
  };
  for (let k = 0; k < 150; k++) {
    const text = `import numpy as np\nx = np.array(${list(0)})\ny = [${list(0)}, ${list(1)}]\nz = x\n`;
    const fast = lowerForEval(text, lower);
    assert.deepEqual(JSON.parse(JSON.stringify(fast)), JSON.parse(JSON.stringify(lower(text))), text);
  }
});

test('prepare: hovering through the engine gives the same answers as a full parse, from cold and again', async () => {
  const engine = await getEngine();
  const text = `import torch\nimport torch.nn.functional as F\nlogits = torch.tensor([${nums(64, (i) => `${(i % 9) - 4}.5`)}])\nloss = F.log_softmax(logits, dim=0)\nw = [${nums(40, String)}]\n`;
  const a = engine.evaluate(text, text.indexOf('loss ='));
  const b = engine.evaluate(text, text.indexOf('loss ='));
  assert.ok(!('error' in a));
  assert.equal(a, b, 'the answer for the same text and position is reused');
  // The same answers from the parser's own model of the text.
  const lower = await lowerer();
  for (const at of [text.indexOf('loss ='), text.indexOf('logits, dim'), text.indexOf('w ='), text.indexOf('4.5')]) {
    const fromEngine = engine.evaluate(text, at);
    const full = hoverAt(lower(text), text, at, (o) => text.slice(0, o).split('\n').length - 1);
    assert.deepEqual(JSON.parse(JSON.stringify(fromEngine)), JSON.parse(JSON.stringify(full)), String(at));
  }
  const c = engine.evaluate(text, text.indexOf('logits, dim'));
  assert.ok(!('error' in c) && c.shape[0] === 64);
  const d = engine.evaluate(text, text.indexOf('w ='));
  assert.ok(!('error' in d) && (d.value as number[])[39] === 39);
});

test('prepare: more literal numbers than the limit answer "too large" before parsing', async () => {
  const engine = await getEngine();
  const text = `import numpy as np\nx = np.array([${nums(5000, (i) => `${i}.0`)}])\ny = 1.5\n`;
  const r = engine.evaluate(text, text.indexOf('y ='), { limits: { maxLiteralNumbers: 4000 } });
  assert.ok('error' in r);
  assert.match(r.error, /too large: the file's list literals hold 5,000 numbers \(hover evaluation reads up to 4,000\)/);
  const ok = engine.evaluate(text, text.indexOf('y ='));
  assert.ok(!('error' in ok) && ok.value === 1.5);
});

test('prepare: long literals pasted at random places of the examples (strings, comments, broken code): the engine answers as with a full parse (120 runs)', async () => {
  const engine = await getEngine();
  const lower = await lowerer();
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = join(__dirname, '..', '..', 'examples');
  const bases = readdirSync(dir).filter((f) => f.endsWith('.py')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
  let seed = 977;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const literal = (): string => {
    const n = 32 + rnd(40);
    const rows = rnd(3) === 0 ? 4 : 0;
    const num = () => `${rnd(2) ? '-' : ''}${rnd(100)}.${rnd(1000)}`;
    if (rows) return `[${Array.from({ length: rows }, () => `[${Array.from({ length: n / 4 + 8 }, num).join(', ')}]`).join(',\n ')}]`;
    return `[${Array.from({ length: n }, num).join(', ')}]`;
  };
  let compared = 0;
  for (let k = 0; k < 120; k++) {
    const base = bases[rnd(bases.length)]!;
    const at = rnd(base.length + 1);
    const form = rnd(4);
    const lit = literal();
    const insert = form === 0 ? `\nx_lit = np.array(${lit})\n` : form === 1 ? lit : form === 2 ? `"${lit}"` : `# ${lit}\n`;
    const text = base.slice(0, at) + insert + base.slice(at);
    const offsets = [rnd(text.length + 1), text.indexOf('x_lit'), text.indexOf(lit) + 3].filter((o) => o >= 0);
    for (const offset of offsets) {
      const fromEngine = engine.evaluate(text, offset);
      const full = hoverAt(lower(text), text, offset, (o) => text.slice(0, o).split('\n').length - 1);
      assert.deepEqual(JSON.parse(JSON.stringify(fromEngine)), JSON.parse(JSON.stringify(full)), `offset ${offset}\n${text}`);
      compared++;
    }
  }
  assert.ok(compared >= 240);
});

test('prepare: odd number shapes in a long list (exponent without digits, leading zeros, a lone point) give the parser’s model', async () => {
  const lower = await lowerer();
  const odd = ['1e', '1e+', '1.e5', '1.5e-', '00', '007', '0.', '.5e3', '5.e-3', '0e0', '1E5', '1_0', '0x1F', '1j', '.e1', '1..2', '-0', '- 1', '1e5e5'];
  for (const o of odd) {
    const items = Array.from({ length: 40 }, (_, i) => (i === 20 ? o : String(i * 1.5)));
    const text = `import numpy as np\nx = np.array([${items.join(', ')}])\n`;
    const fast = lowerForEval(text, lower);
    assert.deepEqual(JSON.parse(JSON.stringify(fast)), JSON.parse(JSON.stringify(lower(text))), o);
  }
});
