import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unifiedDiff } from '../src/core/fix/diff';

const opts = { fromFile: 'train.py', toFile: 'train.py' };
const lines = (n: number, f = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');

test('equal texts have no diff', () => {
  assert.equal(unifiedDiff('a\n', 'a\n', opts), '');
  assert.equal(unifiedDiff('', '', opts), '');
});

test('one changed line in the middle: 3 lines of context', () => {
  const a = lines(10);
  const b = a.replace('line 5\n', 'line FIVE\n');
  assert.equal(
    unifiedDiff(a, b, opts),
    `--- train.py
+++ train.py
@@ -2,7 +2,7 @@
 line 2
 line 3
 line 4
-line 5
+line FIVE
 line 6
 line 7
 line 8
`,
  );
});

test('changes far apart make two hunks, close ones merge', () => {
  const a = lines(20);
  const far = a.replace('line 2\n', 'two\n').replace('line 18\n', 'eighteen\n');
  assert.equal(
    unifiedDiff(a, far, opts),
    `--- train.py
+++ train.py
@@ -1,5 +1,5 @@
 line 1
-line 2
+two
 line 3
 line 4
 line 5
@@ -15,6 +15,6 @@
 line 15
 line 16
 line 17
-line 18
+eighteen
 line 19
 line 20
`,
  );
  const near = a.replace('line 5\n', 'five\n').replace('line 11\n', 'eleven\n');
  const d = unifiedDiff(a, near, opts);
  assert.equal(d.match(/^@@/gm)?.length, 1, d);
  assert.match(d, /^@@ -2,13 \+2,13 @@$/m);
});

test('insertions, deletions and single-line hunk headers as diff -u writes them', () => {
  assert.equal(unifiedDiff('a\n', 'b\n', opts), '--- train.py\n+++ train.py\n@@ -1 +1 @@\n-a\n+b\n');
  assert.equal(unifiedDiff('', 'a\n', opts), '--- train.py\n+++ train.py\n@@ -0,0 +1 @@\n+a\n');
  assert.equal(unifiedDiff('a\nb\n', '', opts), '--- train.py\n+++ train.py\n@@ -1,2 +0,0 @@\n-a\n-b\n');
  assert.equal(
    unifiedDiff('import torch\nx = 1\n', 'import torch\nimport torch.nn.functional as F\nx = 1\n', opts),
    '--- train.py\n+++ train.py\n@@ -1,2 +1,3 @@\n import torch\n+import torch.nn.functional as F\n x = 1\n',
  );
});

test('a missing newline at the end of file is marked', () => {
  assert.equal(
    unifiedDiff('a\nb', 'a\nc', opts),
    '--- train.py\n+++ train.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
  );
  assert.equal(unifiedDiff('a\nb', 'a\nb\n', opts), '--- train.py\n+++ train.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
});

test('CRLF lines keep their \\r, as diff shows them', () => {
  assert.equal(unifiedDiff('a\r\nb\r\n', 'a\r\nc\r\n', opts), '--- train.py\n+++ train.py\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n');
});

test('random edits: every diff applies with patch(1) and reproduces the new text', (t) => {
  try {
    execFileSync('patch', ['--version'], { stdio: 'ignore' });
  } catch {
    t.skip('patch(1) is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sl-diff-'));
  try {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    for (let round = 0; round < 150; round++) {
      const a = Array.from({ length: Math.floor(rnd() * 25) }, () => `v${Math.floor(rnd() * 5)}`);
      const b = a.slice();
      for (let e = Math.floor(rnd() * 5); e > 0; e--) {
        const p = Math.floor(rnd() * (b.length + 1));
        const k = rnd();
        if (k < 0.4) b.splice(p, 1);
        else if (k < 0.8) b.splice(p, 0, `n${Math.floor(rnd() * 3)}`);
        else b[p] = 'changed';
      }
      const at = a.join('\n') + (rnd() < 0.5 ? '\n' : '');
      const bt = b.join('\n') + (rnd() < 0.5 ? '\n' : '');
      const d = unifiedDiff(at, bt, { fromFile: 'a', toFile: 'b' });
      if (at === bt) continue;
      writeFileSync(join(dir, 'a'), at);
      writeFileSync(join(dir, 'p'), d);
      execFileSync('patch', ['-s', '-o', join(dir, 'out'), join(dir, 'a'), join(dir, 'p')]);
      assert.equal(readFileSync(join(dir, 'out'), 'utf8'), bt, `${JSON.stringify(at)} -> ${JSON.stringify(bt)}\n${d}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
