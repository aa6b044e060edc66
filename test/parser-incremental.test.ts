// Parsers.parse re-parses incrementally when a text is an edit of the last one (the editor's case).
// These tests prove the incremental tree is the tree a fresh parse gives, over sequences of edits
// on every fixture (typing, deleting, line breaks, brackets, quotes, non-BMP characters, CRLF), and
// check the edit computation itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parsers, textEdit, type SyntaxTree } from '../src/core/parser';
import { flatten } from '../src/core/syntax';
import { nodeWasmLoader } from '../src/node/wasm';
import { pyFiles } from './helpers/files';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');


/** The whole tree as text: every node's type, field, span and flags, in order. */
function shape(tree: SyntaxTree): string {
  const f = flatten(tree.rootNode);
  return (['type', 'field', 'start', 'end', 'child', 'next', 'flags'] as const).map((k) => Array.from(f[k].slice(0, f.count)).join(',')).join('|');
}

test('incremental re-parses give the trees of fresh parses, over random edit sequences on every fixture', async () => {
  const parsers = await Parsers.create(nodeWasmLoader(), ['python']);
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const snippets = ['x', ' ', '(', ')', ':', '\n', '"', "'", '😀', '    ', '\n    ', 'if x:\n', '#', '\\', '[', 'é', '\r\n', 'def ', ',', '=', '"""'];
  let edits = 0;
  for (const file of pyFiles(fixtures)) {
    let text = readFileSync(file, 'utf8');
    parsers.parse('python', text).delete();
    for (let k = 0; k < 15; k++) {
      const at = rnd(text.length + 1);
      text = rnd(4) === 0 ? text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + rnd(20))) : text.slice(0, at) + snippets[rnd(snippets.length)] + text.slice(at);
      const incremental = parsers.parse('python', text);
      const fresh = parsers.parse('python', text, null);
      try {
        assert.equal(shape(incremental), shape(fresh), `${file}: edit ${k} at ${at}`);
      } finally {
        incremental.delete();
        fresh.delete();
      }
      edits++;
    }
  }
  assert.ok(edits >= 300);
});

test('the same text twice gives the same tree; an unrelated text is parsed afresh', async () => {
  const parsers = await Parsers.create(nodeWasmLoader(), ['python']);
  const a = 'import torch\nx = torch.softmax(y, 1)\n';
  const t1 = parsers.parse('python', a);
  const t2 = parsers.parse('python', a);
  assert.equal(shape(t1), shape(t2));
  t1.delete(); // the caller's trees are independent of the parser's copy
  assert.equal(shape(t2), shape(parsers.parse('python', a, null)));
  t2.delete();
  const b = 'def f(x):\n    return x\n';
  const t3 = parsers.parse('python', b);
  assert.equal(shape(t3), shape(parsers.parse('python', b, null)));
  t3.delete();
});

test('textEdit: the differing middle, with rows and UTF-16 columns, never inside a surrogate pair', () => {
  assert.deepEqual(textEdit('abc\ndef\n', 'abc\ndXef\n'), {
    startIndex: 5,
    oldEndIndex: 5,
    newEndIndex: 6,
    startPosition: { row: 1, column: 1 },
    oldEndPosition: { row: 1, column: 1 },
    newEndPosition: { row: 1, column: 2 },
  });
  // deletion across a line break
  assert.deepEqual(textEdit('ab\ncd\nef', 'ab\nef'), {
    startIndex: 3,
    oldEndIndex: 6,
    newEndIndex: 3,
    startPosition: { row: 1, column: 0 },
    oldEndPosition: { row: 2, column: 0 },
    newEndPosition: { row: 1, column: 0 },
  });
  // 😀 and 😁 share their high surrogate: the edit starts before the pair, not between its halves
  const e = textEdit('x = "😀" + 1\n', 'x = "😁" + 1\n');
  assert.equal(e?.startIndex, 5);
  assert.equal(e?.oldEndIndex, 7);
  // a shared low surrogate is not split either
  const l = textEdit('\ud83d\ude00 tail of the text', '\ud83e\ude00 tail of the text');
  assert.equal(l?.startIndex, 0);
  assert.equal(l?.oldEndIndex, 2);
  // texts that are not edits of each other
  assert.equal(textEdit('import torch\n', 'def f(): pass\n'), undefined);
});
