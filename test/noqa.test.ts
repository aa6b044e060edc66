import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addNoqaEdit, addSlashNoqaEdit, filterNoqa, findComments, lexNoqa, NoqaIndex } from '../src/core/noqa';
import { applyFixes } from '../src/core/fix/apply';
import { findingAt } from './fixtures/cli/findings';

/** What a comment means: "all", the codes, or "error: ..."/"none". */
function lex(comment: string): string {
  const r = lexNoqa(comment, 0, comment.length);
  if (r.error) return `error: ${r.error.split(' (')[0]}`;
  if (!r.directive) return 'none';
  return r.directive.kind === 'all' ? 'all' : r.directive.codes.map((c) => c.code).join(',');
}

test('noqa comments are read as Ruff reads them', () => {
  const table: [string, string][] = [
    ['# noqa', 'all'],
    ['#noqa', 'all'],
    ['# NOQA', 'all'],
    ['# NoQA', 'all'],
    ['# noqa: SL001', 'SL001'],
    ['#noqa:SL001', 'SL001'],
    ['# noqa : SL001', 'SL001'],
    ['# noqa: SL001, SL003', 'SL001,SL003'],
    ['# noqa: SL001,SL003', 'SL001,SL003'],
    ['# noqa: SL001 SL003', 'SL001,SL003'],
    ['# noqa: SL001,,SL003', 'SL001,SL003'],
    ['# noqa: SL001SL003', 'SL001,SL003'],
    ['# NOQA: SL001', 'SL001'],
    ['# noqa: E501, SL002', 'E501,SL002'],
    ['# noqa: SL001 because the loss takes probabilities', 'SL001'],
    ['# noqa: SL001 # and a remark', 'SL001'],
    ['# noqa - a remark', 'all'],
    ['# noqa # remark', 'all'],
    ['# type: ignore # noqa: SL005', 'SL005'],
    ['# a remark # noqa', 'all'],
    ['# see the noqa docs', 'none'],
    ['# nothing here', 'none'],
    ['# noqa:', 'error: expected a comma-separated list of codes'],
    ['# noqa: sl001', 'error: expected a comma-separated list of codes'],
    ['# noqa: log-of-softmax', 'error: expected a comma-separated list of codes'],
    ['# noqa;SL001', 'error: expected `:` followed by a comma-separated list of codes'],
    ['# noqaSL001', 'error: expected `:` followed by a comma-separated list of codes'],
    ['# noqa: SL001abc', 'error: expected a code to be uppercase letters followed by digits only'],
    ['# noqa: SL001SLx', 'error: expected a code to be uppercase letters followed by digits only'],
  ];
  const got = table.map(([c]) => [c, lex(c)]);
  assert.deepEqual(got, table);
});

test('directive offsets cover the # to the last code', () => {
  const text = 'x = 1  # noqa: SL001, SL003 why';
  const r = lexNoqa(text, 7, text.length);
  assert.equal(r.directive?.kind, 'codes');
  assert.equal(text.slice(r.directive!.start, r.directive!.end), '# noqa: SL001, SL003');
});

test('findComments skips # inside strings, including triple-quoted ones over lines', () => {
  const text = [
    'a = "# noqa"  # real one',
    "b = '\\'#'  # two",
    's = """',
    '# noqa inside a docstring',
    '"""',
    "t = r'\\\\'  # after raw",
    'u = "unterminated # noqa',
    'v = 1 # end',
  ].join('\n');
  const comments = findComments(text).map((c) => text.slice(c.start, c.end));
  assert.deepEqual(comments, ['# real one', '# two', '# after raw', '# end']);
});

test('filterNoqa drops only findings whose noqa line names their code (or is blanket)', () => {
  const text = [
    'loss = ce(softmax(x), y)  # noqa: SL001',
    'loss = ce(softmax(x), y)  # noqa: SL003',
    'p = log(softmax(x))  # NOQA',
    'q = log(softmax(x))',
    'msg = "# noqa: SL003"; r = log(softmax(x))',
  ].join('\n');
  const f1 = findingAt(text, 'SL001', 'softmax(x)');
  const f2 = { ...findingAt(text, 'SL001', 'softmax(x), y)  # noqa: SL003'), noqaLine: 1 };
  const f3 = findingAt(text, 'SL003', 'log(softmax(x))  # NOQA');
  const f4 = { ...findingAt(text, 'SL003', 'log(softmax(x))\n'), noqaLine: 3 };
  const f5 = { ...findingAt(text, 'SL003', 'log(softmax(x))', ), noqaLine: 4 };
  const kept = filterNoqa([f1, f2, f3, f4, f5], text).map((f) => `${f.code}@${f.noqaLine}`);
  assert.deepEqual(kept, ['SL001@1', 'SL003@3', 'SL003@4']);
});

test('the engine can pass its own comment ranges; text outside them is not a comment', () => {
  const text = 'x = f("# noqa")\n';
  const f = findingAt(text, 'SL003', 'f(');
  // With no comments from the engine the fallback scanner sees the string and finds none.
  assert.equal(filterNoqa([f], text).length, 1);
  // With a (deliberately wrong) comment range the engine's word is taken.
  assert.equal(filterNoqa([f], text, [{ start: 7, end: 13 }]).length, 0);
});

test('a noqa on another line does not suppress, the noqaLine decides', () => {
  const text = 'loss = ce(\n    softmax(x), y)  # noqa: SL001\n';
  const onFirst = findingAt(text, 'SL001', 'softmax(x)', { noqaLine: 0 });
  const onSecond = findingAt(text, 'SL001', 'softmax(x)', { noqaLine: 1 });
  assert.deepEqual(filterNoqa([onFirst, onSecond], text), [onFirst]);
});

test('file-level `# stable-loss: noqa` on its own line; inline it is a problem, not a suppression', () => {
  const all = '# stable-loss: noqa\np = log(softmax(x))\n';
  assert.equal(filterNoqa([findingAt(all, 'SL003', 'log(')], all).length, 0);
  const some = '# stable-loss: noqa: SL001\np = log(softmax(x))\nl = ce(softmax(x), y)\n';
  assert.deepEqual(
    filterNoqa([findingAt(some, 'SL003', 'log('), findingAt(some, 'SL001', 'softmax(x), y')], some).map((f) => f.code),
    ['SL003'],
  );
  const inline = 'p = log(softmax(x))  # stable-loss: noqa\n';
  const idx = NoqaIndex.build(inline);
  assert.equal(idx.suppresses('SL003', 0), false);
  assert.match(idx.problems[0]!.message, /own line/);
});

test('malformed directives and unknown SL codes are reported as problems', () => {
  const text = 'a = 1  # noqa:\nb = 2  # noqa: SL999, E501\n';
  const idx = NoqaIndex.build(text);
  assert.deepEqual(idx.problems.map((p) => p.line), [0]);
  assert.match(idx.problems[0]!.message, /invalid `# noqa` directive/);
  assert.deepEqual(idx.unknownCodes(new Set(['SL001'])), [{ line: 1, message: 'unknown rule code `SL999` in `# noqa`' }]);
});

/** Applies addNoqaEdit and returns the new line, or null. */
function added(text: string, line: number, codes: string[]): string | null {
  const e = addNoqaEdit(text, line, codes);
  if (!e) return null;
  return applyFixes(text, [{ applicability: 'safe', message: '', edits: [e] }]).text;
}

test('addNoqaEdit appends, merges, and leaves suppressed lines alone', () => {
  const table: [string, number, string[], string | null][] = [
    ['p = log(softmax(x))\n', 0, ['SL003'], 'p = log(softmax(x))  # noqa: SL003\n'],
    ['p = log(softmax(x))   \n', 0, ['SL003'], 'p = log(softmax(x))  # noqa: SL003\n'],
    ['p = log(softmax(x))\r\nq = 1\r\n', 0, ['SL003'], 'p = log(softmax(x))  # noqa: SL003\r\nq = 1\r\n'],
    ['p = log(softmax(x))', 0, ['SL003'], 'p = log(softmax(x))  # noqa: SL003'],
    ['p = log(softmax(x))  # why\n', 0, ['SL003'], 'p = log(softmax(x))  # why  # noqa: SL003\n'],
    ['p = log(softmax(x))  # noqa: SL004\n', 0, ['SL003'], 'p = log(softmax(x))  # noqa: SL003, SL004\n'],
    ['p = f(x)  # noqa: SL004 reason\n', 0, ['SL001'], 'p = f(x)  # noqa: SL001, SL004 reason\n'],
    ['p = f(x)  # noqa: E501\n', 0, ['SL001'], 'p = f(x)  # noqa: E501, SL001\n'],
    ['p = f(x)  # noqa: SL003\n', 0, ['SL003'], null],
    ['p = f(x)  # noqa\n', 0, ['SL003'], null],
    ['p = f(x)  # noqa:\n', 0, ['SL003'], 'p = f(x)  # noqa: SL003  # noqa:\n'],
    ['a = 1\np = f(x)\n', 1, ['SL003', 'SL001'], 'a = 1\np = f(x)  # noqa: SL001, SL003\n'],
    ['p = f(x) + \\\n    g(y)\n', 0, ['SL003'], null],
    ['s = """\ntext\n"""\n', 1, ['SL003'], null],
    ['a = 1\n', 5, ['SL003'], null],
  ];
  for (const [text, line, codes, want] of table) assert.equal(added(text, line, codes), want, JSON.stringify(text));
});

test('after addNoqaEdit the finding is suppressed', () => {
  const text = 'import torch\np = torch.log(torch.softmax(x, 1))  # keep\n';
  const f = findingAt(text, 'SL003', 'torch.log(');
  const fixed = added(text, f.noqaLine, [f.code])!;
  const again = findingAt(fixed, 'SL003', 'torch.log(');
  assert.deepEqual(filterNoqa([again], fixed), []);
});

test('addSlashNoqaEdit: // noqa for TypeScript/JavaScript lines', () => {
  const add = (text: string, line: number, codes: string[]) => {
    const e = addSlashNoqaEdit(text, line, codes);
    return e ? applyFixes(text, [{ applicability: 'safe', message: '', edits: [e] }]).text : null;
  };
  const table: [string, number, string[], string | null][] = [
    ['y = tf.log(tf.softmax(x));\n', 0, ['SL003'], 'y = tf.log(tf.softmax(x));  // noqa: SL003\n'],
    ['y = tf.log(tf.softmax(x));  \r\n', 0, ['SL003', 'SL001'], 'y = tf.log(tf.softmax(x));  // noqa: SL001, SL003\r\n'],
    ['y = f(x); // noqa: SL004\n', 0, ['SL003'], 'y = f(x); // noqa: SL003, SL004\n'],
    ['y = f(x); //NOQA: SL004 why\n', 0, ['SL003'], 'y = f(x); // noqa: SL003, SL004 why\n'],
    ['y = f(x); // noqa: SL003\n', 0, ['SL003'], null],
    ['y = f(x); // noqa\n', 0, ['SL003'], null],
    ['y = f(x); // noqa:\n', 0, ['SL003'], 'y = f(x); // noqa: SL003  // noqa:\n'],
    ['y = f(x); // a remark\n', 0, ['SL003'], null],
    ['y = f(`${x}`);\n', 0, ['SL003'], null],
    ['y = f(x); /* c */\n', 0, ['SL003'], null],
  ];
  for (const [text, line, codes, want] of table) assert.equal(add(text, line, codes), want, JSON.stringify(text));
});
