// Long runs of comment-only lines are hidden from tree-sitter (the bundled Python grammar's scanner is
// quadratic on them; issue #8): tree-sitter reads the text with the inner lines of each run blanked,
// and the lowering puts the hidden comments back. These tests prove the IR and the findings are those
// of a plain parse (hiding off) on varied inputs and random edits, that a run inside a string or
// broken code falls back, that incremental re-parses (Parsers' last tree, the worker's documents) give
// fresh parses' trees, and that 20,000 comment lines are hidden (counted, not timed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Engine } from '../src/core';
import { COMMENT_RUN_MIN_LINES, hasHiddenComments, hideCommentRuns, type Parsers, type SyntaxTree } from '../src/core/parser';
import { lowerPython } from '../src/core/python/lower';
import { IncrementalText } from '../src/extension/worker/document';
import { canonical, firstDifference } from './helpers/ir-equivalence';
import { getEngine } from './helpers/engine';

const header = 'import torch\nimport torch.nn.functional as F\n';
const SL003 = 'z = torch.log(F.softmax(x, 1))';

/** `n` comment lines at `indent`, with noqa directives, non-ASCII and emoji among them. */
function run(indent: string, n: number, nl = '\n'): string {
  const body = ['# plain', '#', '# noqa: SL003', '# é 😀 ∑', '#   x = torch.log(F.softmax(x, 1))', '## """ not a string', "# it's"];
  return Array.from({ length: n }, (_, i) => `${indent}${body[i % body.length]} ${i}${nl}`).join('');
}

/** `n` comment lines cycling through the indentations. */
function alternate(indents: string[], n: number): string {
  return Array.from({ length: n }, (_, i) => `${indents[i % indents.length]}# line ${i}\n`).join('');
}

/** IR (canonical) with hiding on or off, a fresh parse either way. */
function ir(parsers: Parsers, text: string, hide: boolean): string {
  const min = parsers.commentRunMinLines;
  parsers.commentRunMinLines = hide ? COMMENT_RUN_MIN_LINES : Infinity;
  const tree = parsers.parse('python', text, null);
  try {
    return canonical(lowerPython(tree.rootNode));
  } finally {
    tree.delete();
    parsers.commentRunMinLines = min;
  }
}

function check(engine: Engine, text: string, hide: boolean) {
  const min = engine.parsers.commentRunMinLines;
  engine.parsers.commentRunMinLines = hide ? COMMENT_RUN_MIN_LINES : Infinity;
  try {
    return engine.check(text, { noPrefilter: true });
  } finally {
    engine.parsers.commentRunMinLines = min;
  }
}

/** Asserts hiding changes neither the IR nor the findings; returns the parser's counts for the hidden parse. */
function assertSame(engine: Engine, label: string, text: string): { hiddenLines: number; fallbacks: number } {
  const p = engine.parsers;
  const plain = ir(p, text, false);
  const before = { ...p.stats };
  const hidden = ir(p, text, true);
  const counts = { hiddenLines: p.stats.hiddenLines - before.hiddenLines, fallbacks: p.stats.fallbacks - before.fallbacks };
  assert.ok(plain === hidden, `${label}: IR differs ${firstDifference(plain, hidden)}`);
  assert.deepEqual(check(engine, text, true), check(engine, text, false), `${label}: findings differ`);
  return counts;
}

const N = COMMENT_RUN_MIN_LINES + 8;
/** hidden: whether the run is expected to be hidden (undefined: either; only the IR and findings are compared). */
const CASES: Record<string, { text: string; hidden?: boolean }> = {
  'top level, after a statement': { text: `${header}x = 1\n${run('', N)}${SL003}\n`, hidden: true },
  'top of the file': { text: `${run('', N)}${header}${SL003}\n`, hidden: true },
  'function body, then the body goes on': { text: `${header}def f(x):\n    y = 1\n${run('    ', N)}    ${SL003}\n    return z\n`, hidden: true },
  'function body, then a dedent': { text: `${header}def f(x):\n    y = 1\n${run('    ', N)}${SL003}\n`, hidden: true },
  'column 0 inside a function body': { text: `${header}def f(x):\n    y = 1\n${run('', N)}    ${SL003}\n`, hidden: true },
  'deeper than the body': { text: `${header}def f(x):\n    y = 1\n${run('        ', N)}    ${SL003}\n`, hidden: true },
  'class, method, three indents in a row': { text: `${header}class A:\n    def f(self, x):\n        y = 1\n${run('        ', N)}${run('    ', N)}${run('', N)}    def g(self):\n        ${SL003}\n${SL003}\n`, hidden: true },
  'between if and else': { text: `${header}if x:\n    y = 1\n${run('    ', N)}else:\n${run('', N)}    ${SL003}\n`, hidden: true },
  'between try and except, decorators': { text: `${header}try:\n    y = 1\n${run('', N)}except E:\n    pass\n@dec\n${run('', N)}def f():\n    ${SL003}\n`, hidden: true },
  'inside brackets': { text: `${header}loss = F.cross_entropy(\n    F.softmax(x, dim=1),\n${run('    ', N)}    y,\n)\n`, hidden: true },
  'inside a triple-quoted string (falls back)': { text: `${header}s = """\n${run('', N)}"""\n${SL003}\n`, hidden: false },
  'inside an f-string (falls back)': { text: `${header}s = f"""{x}\n${run('', N)}{y}"""\n${SL003}\n`, hidden: false },
  'CRLF': { text: `${header}x = 1\r\n${run('', N, '\r\n')}${SL003}\r\n`.replace(/(?<!\r)\n/g, '\r\n'), hidden: true },
  'tabs': { text: `${header}if x:\n\ty = 1\n${run('\t', N)}\t${SL003}\n`, hidden: true },
  'mixed tabs and spaces between runs': { text: `${header}if x:\n\ty = 1\n${run('\t', N)}${run('    ', N)}${run(' \t', N)}\t${SL003}\n`, hidden: true },
  'at the end of the file without a newline': { text: `${header}${SL003}\nx = 1\n${run('', N).slice(0, -1)}`, hidden: true },
  'at the end of an indented block at the end of the file': { text: `${header}def f():\n    ${SL003}\n${run('    ', N)}`, hidden: true },
  'after a backslash continuation': { text: `${header}x = 1 + \\\n${run('', N)}${SL003}\n`, hidden: true },
  'broken code around the run': { text: `${header}def f(:\n${run('    ', N)}  ${SL003}\nclass\n` },
  'in an unclosed bracket at the end': { text: `${header}${SL003}\nx = f(1,\n${run('  ', N)}` },
  'after a half-typed statement': { text: `${header}${SL003}\nif x ==\n${run('    ', N)}    y = 1\n` },
  'an unterminated triple-quoted string before the run, closed by a quote in it': { text: `${header}x = """\ny = 1\n${run('', N)}${SL003}\n` },
  'a one-quote string open before the run': { text: `${header}x = '\n${run('', N)}${SL003}\n` },
  'a one-quote string open before an indented run': { text: `${header}def f():\n    y = 1\n    '\n${run('    ', N)}    ${SL003}\n` },
  'an unclosed bracket before the run': { text: `${header}x = (\n${run('', N)}${SL003}\n` },
  'alternating indentation, then the body goes on': { text: `${header}def f(x):\n    y = 1\n${alternate(['', '    '], N)}    ${SL003}\n` },
  'alternating indentation, then a dedent': { text: `${header}def f(x):\n    y = 1\n${alternate(['    ', ''], N)}${SL003}\n`, hidden: true },
  'deeper, shallower, deeper again before a dedent': { text: `${header}class A:\n    def f(self):\n        y = 1\n${run('        ', 20)}${run('    ', 20)}${run('        ', 20)}${SL003}\n`, hidden: true },
  'shallower, deeper before the body goes on': { text: `${header}def f(x):\n    if x:\n        y = 1\n${run('', 20)}${run('        ', 20)}${run('    ', 20)}        ${SL003}\n`, hidden: true },
  'blank lines between the comments': { text: `${header}def f(x):\n    y = 1\n${run('    ', N).replace(/\n/g, '\n\n   \n')}    ${SL003}\n`, hidden: true },
  'blank lines between comments, then a dedent': { text: `${header}def f(x):\n    y = 1\n${run('    ', N).replace(/\n/g, '\n\t\n')}${run('', N).replace(/\n/g, '\r\n\r\n')}${SL003}\n`, hidden: true },
  'one line short of a run': { text: `${header}x = 1\n${run('', COMMENT_RUN_MIN_LINES - 1)}${SL003}\n`, hidden: false },
  'blank lines and trailing spaces inside the run': { text: `${header}x = 1\n${run('', N)}\n   \n${run('', N)}${SL003}\n`, hidden: true },
  'run with noqa for the following line only': { text: `${header}x = 1\n${run('', N)}${SL003}  # noqa: SL003\n${SL003}\n`, hidden: true },
};

test('hidden comment runs: the IR and the findings are those of a plain parse', async () => {
  const engine = await getEngine();
  for (const [label, { text, hidden }] of Object.entries(CASES)) {
    const counts = assertSame(engine, label, text);
    if (hidden) assert.ok(counts.hiddenLines > 0, `${label}: expected hidden lines, got ${JSON.stringify(counts)}`);
    else if (hidden === false) assert.equal(counts.hiddenLines, 0, `${label}: expected nothing hidden`);
  }
});

test('the comparison can fail: dropping the hidden comments changes the IR', async () => {
  const engine = await getEngine();
  const text = CASES['top level, after a statement'].text;
  const tree = engine.parsers.parse('python', text, null);
  try {
    assert.ok(hasHiddenComments(tree));
    const module = lowerPython(tree.rootNode);
    const flat = tree.rootNode.descendantsOfType('comment').length;
    assert.equal(module.comments.length, N);
    assert.equal(flat, 2, 'tree-sitter saw only the first and the last comment of the run');
    assert.notEqual(canonical({ ...module, comments: module.comments.slice(0, 2) }), ir(engine.parsers, text, false));
  } finally {
    tree.delete();
  }
});

test('hideCommentRuns: same length and lines, only inner comment lines blanked, runs cut at their shallowest comments', () => {
  const text = `x = 1\n${run('', 40, '\r\n')}${run('  ', 40)}y = 2\n`;
  const v = hideCommentRuns(text)!;
  assert.equal(v.seen.length, text.length);
  assert.equal(v.seen.split('\n').length, text.split('\n').length);
  assert.equal(v.runs.length, 2, 'cut at the last comment at column 0');
  const lines = text.split('\n');
  const seenLines = v.seen.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const blanked = (i >= 2 && i <= 39) || (i >= 41 && i <= 79);
    assert.equal(seenLines[i], blanked ? ' '.repeat(lines[i].length) : lines[i], `line ${i}`);
  }
  assert.deepEqual(v.runs[0].first, { s: 6, e: 6 + lines[1].length });
  assert.equal(v.runs[0].hidden.length, 38);
  assert.equal(v.runs[1].first, v.runs[0].last, "the first run's last comment starts the second");
  assert.equal(v.runs[1].hidden.length, 39);
  assert.equal(hideCommentRuns(`x = 1\n${run('', 31)}`), undefined);
  assert.equal(hideCommentRuns(`x = 1\n${run('', 20)}${run(' ', 11)}`), undefined, '31 comment lines');
  assert.equal(hideCommentRuns(`x = 1\n${run('', 40)}\0`), undefined, 'a NUL anywhere: nothing hidden');
  // cut at the first and the last shallowest comment (a tab counts 8 columns)
  const hiddenOf = (t: string) => hideCommentRuns(t)?.runs.map((r) => r.hidden.length);
  assert.deepEqual(hiddenOf(`x = 1\n${run('    ', 20)}${run('', 20)}`), [19, 18]);
  assert.deepEqual(hiddenOf(`x = 1\n${run('\t', 20)}${run('       ', 20)}`), [19, 18]);
  assert.deepEqual(hiddenOf(`x = 1\n${run('       ', 20)}${run('\t', 20)}`), [18, 19]);
  assert.deepEqual(hiddenOf(`x = 1\n${run('    ', 10)}${run('', 20)}${run('  ', 10)}`), [9, 18, 9]);
  assert.deepEqual(hiddenOf(`x = 1\n${alternate(['    ', ''], 40)}`), [37]);
  // blank lines (spaces, tabs, CR, form feed) inside a run stay as they are
  const gaps = `x = 1\n${run('', 40).replace(/\n/g, '\n \t\f\r\n')}`;
  const g = hideCommentRuns(gaps)!;
  assert.equal(g.runs[0].hidden.length, 38);
  assert.equal(g.seen.replace(/[^\n]/g, '').length, gaps.replace(/[^\n]/g, '').length);
  assert.ok(g.seen.includes('\n \t\f\r\n'));
});

test('20,000 comment lines after a statement and inside a function body: hidden, same findings', async () => {
  const engine = await getEngine();
  const p = engine.parsers;
  for (const [label, text, line] of [
    ['after a statement', `${header}${SL003}\n${'# c\n'.repeat(20_000)}${SL003}\n`, 20_003],
    ['inside a function body', `${header}def f(x):\n    ${SL003}\n${'    # 😀 c\n'.repeat(20_000)}    ${SL003}\n    return z\n`, 20_004],
  ] as const) {
    const before = { ...p.stats };
    // through tree-sitter (the editor's path: a tree is given; the CLI's direct front end needs no parse)
    const parsed = p.parse('python', text);
    let r;
    try {
      r = engine.check(text, { noPrefilter: true, tree: () => parsed });
    } finally {
      parsed.delete();
    }
    assert.deepEqual(r.findings.map((f) => [f.code, f.range.start.line]), [['SL003', line - 20_001], ['SL003', line]], label);
    assert.equal(p.stats.hiddenLines - before.hiddenLines, 19_998, `${label}: tree-sitter was shown blank lines`);
    assert.equal(p.stats.fallbacks, before.fallbacks);
    assert.deepEqual(engine.check(text, { noPrefilter: true }).findings, r.findings, `${label}: the direct front end's check`);
    const tree = p.parse('python', text, null);
    try {
      assert.equal(lowerPython(tree.rootNode).comments.length, 20_000);
    } finally {
      tree.delete();
    }
  }
});

// ---- incremental re-parses ---------------------------------------------------------------------

const BASE = `${header}def f(x):\n    y = 1\n${run('    ', 34)}    ${SL003}\n${run('', 33)}x = 2\n`;
const SNIPPETS = ['#', '# c\n', '\n', '    ', '"""', "'''", "'", '"', 'f"""{', '}', "# it's\n", 'x = """\n', 'x = 1\n', '(', ')', '\\', '\r\n', '😀', `${run('', 3)}`, `${run('    ', 34)}`, 'def g():\n', '\t'];

/**
 * Incremental and fresh trees are compared on texts without syntax errors only: tree-sitter's
 * incremental re-parse of broken code can recover differently from a fresh parse (seen with hiding
 * off as well, e.g. `(MISSING _newline)` against an `ERROR` node). The IR of a fresh parse is always
 * compared with a plain parse's.
 */
function sameTrees(a: SyntaxTree, b: SyntaxTree, label: string): void {
  if (b.rootNode.hasError) return;
  assert.equal(shapeOf(a), shapeOf(b), label);
  assert.equal(canonical(lowerPython(a.rootNode)), canonical(lowerPython(b.rootNode)), label);
}

function shapeOf(tree: { rootNode: { toString(): string } }): string {
  return tree.rootNode.toString();
}

test('property: random edits on texts with comment runs; Parsers\' incremental tree and IR are a fresh parse\'s, and the IR a plain parse\'s', async () => {
  const engine = await getEngine();
  const p = engine.parsers;
  fc.assert(
    fc.property(fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 60 }), text: fc.constantFrom(...SNIPPETS) }), { minLength: 1, maxLength: 8 }), (edits) => {
      let text = BASE;
      p.parse('python', text).delete();
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.text + text.slice(Math.min(text.length, at + e.len));
        const inc = p.parse('python', text);
        const fresh = p.parse('python', text, null);
        try {
          sameTrees(inc, fresh, 'Parsers.parse');
        } finally {
          inc.delete();
          fresh.delete();
        }
      }
      const plain = ir(p, text, false);
      const hidden = ir(p, text, true);
      assert.ok(plain === hidden, firstDifference(plain, hidden));
    }),
    { numRuns: 150, seed: 8 },
  );
});

test('property: the worker\'s documents (IncrementalText) over comment runs give fresh parses\' trees and findings', async () => {
  const engine = await getEngine();
  const p = engine.parsers;
  fc.assert(
    fc.property(fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 60 }), text: fc.constantFrom(...SNIPPETS) }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (edits, every, startShort) => {
      // startShort: the document starts without a long run and gets one by the edits (or not)
      const start = startShort ? `${header}x = 1\n${run('', 30)}${SL003}\n` : BASE;
      const doc = new IncrementalText(start, 'python');
      try {
        doc.tree(p);
        let text = start;
        edits.forEach((e, i) => {
          const at = e.at % (text.length + 1);
          if (at > 0 && /[\ud800-\udbff\r]/.test(text[at - 1]!)) return;
          let len = Math.min(e.len, text.length - at);
          while (len > 0 && /[\ud800-\udbff\r]/.test(text[at + len - 1]!)) len--;
          const before = text;
          text = text.slice(0, at) + e.text + text.slice(at + len);
          const rows = (s: string) => s.split('\n');
          const startRows = rows(before.slice(0, at));
          const endRows = rows(before.slice(0, at + len));
          doc.applyChange({ offset: at, length: len, text: e.text, start: { line: startRows.length - 1, character: startRows[startRows.length - 1].length }, end: { line: endRows.length - 1, character: endRows[endRows.length - 1].length } });
          if (i % every === 0) doc.tree(p);
        });
        const tree = doc.tree(p);
        const fresh = p.parse('python', text, null);
        try {
          sameTrees(tree, fresh, 'IncrementalText');
        } finally {
          fresh.delete();
        }
        if (!tree.rootNode.hasError) assert.deepEqual(engine.check(text, { noPrefilter: true, tree: () => tree }), check(engine, text, false));
        const plain = ir(p, text, false);
        const hidden = ir(p, text, true);
        assert.ok(plain === hidden, firstDifference(plain, hidden));
      } finally {
        doc.dispose();
      }
    }),
    { numRuns: 100, seed: 9 },
  );
});

test('a run growing to the threshold and shrinking below it, typed line by line in a document', async () => {
  const engine = await getEngine();
  const p = engine.parsers;
  let text = `${header}x = 1\n${SL003}\n`;
  const doc = new IncrementalText(text, 'python');
  try {
    doc.tree(p);
    const at = `${header}x = 1\n`.length;
    const line = '# c\n';
    const rows = (n: number) => ({ line: n, character: 0 });
    for (let k = 0; k < COMMENT_RUN_MIN_LINES + 2; k++) {
      doc.applyChange({ offset: at, length: 0, text: line, start: rows(3), end: rows(3) });
      text = text.slice(0, at) + line + text.slice(at);
      const tree = doc.tree(p);
      assert.equal(hasHiddenComments(tree), k + 1 >= COMMENT_RUN_MIN_LINES, `${k + 1} lines`);
      assert.equal(canonical(lowerPython(tree.rootNode)), ir(p, text, false), `${k + 1} lines`);
    }
    for (let k = COMMENT_RUN_MIN_LINES + 2; k > 0; k--) {
      doc.applyChange({ offset: at, length: line.length, text: '', start: rows(3), end: rows(4) });
      text = text.slice(0, at) + text.slice(at + line.length);
      const tree = doc.tree(p);
      assert.equal(canonical(lowerPython(tree.rootNode)), ir(p, text, false), `${k - 1} lines`);
    }
  } finally {
    doc.dispose();
  }
});
