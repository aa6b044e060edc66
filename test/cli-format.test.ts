import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ansi, plain } from '../src/cli/color';
import { formatFindings, summary, countFindings, type FileResult, type FormatContext } from '../src/cli/format';
import { escapeData, escapeProperty } from '../src/cli/format/github';
import { displayWidth } from '../src/cli/format/text';
import { catalogue, ruleUrl } from '../src/core/rules/catalogue';
import type { Finding } from '../src/core/types';
import { edit, findingAt, fix, replace } from './fixtures/cli/findings';
import { matchSnapshot } from './fixtures/cli/snapshot';

// A file whose findings exercise columns: an astral character (2 UTF-16 units, 1 code point)
// and a tab before a finding, a finding over two lines, fixes with several edits.
const text = [
  'import torch',
  'label = "😀"; p = torch.log(torch.softmax(x, 1))',
  '\tloss = torch.nn.functional.cross_entropy(torch.softmax(z, dim=1),',
  '\t                                         y)',
  'q = -torch.sum(t * torch.log(r))',
  '',
].join('\n');

function findings(): Finding[] {
  return [
    findingAt(text, 'SL003', 'torch.log(torch.softmax(x, 1))', {
      message: 'log(softmax(x)) underflows to -inf',
      fix: fix([replace(text, 'torch.log(torch.softmax(x, 1))', 'torch.log_softmax(x, 1)')], 'safe', 'Use `log_softmax`'),
    }),
    findingAt(text, 'SL001', 'torch.softmax(z, dim=1),\n\t                                         y)', {
      message: 'cross_entropy expects logits, got probabilities: 100%, "really"',
      fix: fix(
        [replace(text, 'torch.softmax(z, dim=1)', 'z'), edit(text, text.indexOf('y)'), text.indexOf('y)') + 1, 'y')],
        'unsafe',
        'Pass the logits `z`',
      ),
    }),
    findingAt(text, 'SL010', 'torch.log(r)', { severity: 'info', message: 'log of probabilities that can be 0' }),
  ];
}

const files = (): FileResult[] => [{ path: '/project/src/train.py', display: 'src/train.py', text, findings: findings() }];
const ctx: FormatContext = { cwd: '/project', style: plain, unsafeFixes: false, version: '0.1.0' };

test('json: Ruff shape, 1-based rows, code-point columns, keys in Ruff order', () => {
  const out = formatFindings('json', files(), ctx);
  matchSnapshot('format.json', out);
  const items = JSON.parse(out);
  assert.deepEqual(Object.keys(items[0]), ['cell', 'code', 'end_location', 'filename', 'fix', 'location', 'message', 'noqa_row', 'url']);
  // Ordered by position: SL003 (line 2), SL001 (line 3), SL010 (line 5).
  assert.deepEqual(items.map((i: { code: string }) => i.code), ['SL003', 'SL001', 'SL010']);
  // "label = \"😀\"; p = " is 17 code points (18 UTF-16 units): the call starts at column 18.
  assert.deepEqual(items[0].location, { column: 18, row: 2 });
  assert.deepEqual(items[0].end_location, { column: 48, row: 2 });
  assert.deepEqual(items[1].location, { column: 43, row: 3 });
  // Line 4 is a tab, 41 spaces and "y)": the range ends after 44 characters.
  assert.deepEqual(items[1].end_location, { column: 45, row: 4 });
  assert.equal(items[1].fix.applicability, 'unsafe');
  assert.equal(items[1].fix.edits.length, 2);
  assert.equal(items[2].fix, null);
  assert.equal(items[2].noqa_row, 5);
  assert.equal(items[0].url, ruleUrl(catalogue[2]!));
  assert.equal(formatFindings('json', [], ctx), '[]\n');
});

test('sarif: 2.1.0 with the catalogue as rules, 1-based regions, levels from severities', () => {
  const out = formatFindings('sarif', files(), ctx);
  const sarif = JSON.parse(out);
  // The results only: the rules list follows the catalogue, checked below against it.
  matchSnapshot('format.sarif-results.json', `${JSON.stringify(sarif.runs[0].results, null, 2)}\n`);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.deepEqual(
    run.tool.driver.rules.map((r: { id: string; helpUri: string }) => [r.id, r.helpUri]),
    catalogue.map((r) => [r.code, ruleUrl(r)]),
  );
  assert.deepEqual(run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`), ['SL003:warning', 'SL001:error', 'SL010:note']);
  const loc = run.results[0].locations[0].physicalLocation;
  assert.deepEqual(loc.artifactLocation, { uri: 'src/train.py', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(loc.region, { startLine: 2, startColumn: 18, endLine: 2, endColumn: 48 });
  assert.equal(run.results[0].ruleIndex, 2);
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///project/');
});

test('github: workflow commands with escaped properties and message', () => {
  const out = formatFindings('github', files(), ctx);
  matchSnapshot('format.github', out);
  assert.equal(
    out.split('\n')[1],
    '::error file=src/train.py,line=3,col=43,endLine=4,endColumn=45,title=SL001 (probabilities-into-logits-loss)::cross_entropy expects logits, got probabilities: 100%25, "really"',
  );
  assert.equal(escapeData('a%b\r\nc'), 'a%25b%0D%0Ac');
  assert.equal(escapeProperty('x:y,z%'), 'x%3Ay%2Cz%25');
});

test('full text: header, excerpt with underline, help; concise: one line each', () => {
  const full = formatFindings('full', files(), ctx);
  matchSnapshot('format.full.txt', full);
  assert.match(full, /^src\/train\.py:2:18: SL003 \[\*\] log\(softmax\(x\)\) underflows to -inf$/m);
  // The unsafe fix is not marked fixable without --unsafe-fixes.
  assert.match(full, /^src\/train\.py:3:43: SL001 cross_entropy/m);
  const concise = formatFindings('concise', files(), ctx);
  assert.equal(
    concise,
    [
      'src/train.py:2:18: SL003 [*] log(softmax(x)) underflows to -inf',
      'src/train.py:3:43: SL001 cross_entropy expects logits, got probabilities: 100%, "really"',
      'src/train.py:5:20: SL010 log of probabilities that can be 0',
      '',
    ].join('\n'),
  );
  const unsafe = formatFindings('concise', files(), { ...ctx, unsafeFixes: true });
  assert.match(unsafe, /SL001 \[\*\] cross_entropy/);
});

test('the underline sits under the range, past tabs and wide characters', () => {
  const full = formatFindings('full', files(), ctx);
  const lines = full.split('\n');
  const src = lines.findIndex((l) => l.startsWith('2 | label'));
  const caret = lines[src + 1]!;
  // "label = "😀"; p = " is 18 columns wide (the emoji takes two).
  assert.equal(displayWidth('label = "😀"; p = '), 18);
  assert.equal(caret.indexOf('^') - '2 | '.length, 18);
  const tabLine = lines.findIndex((l) => l.startsWith('3 |'));
  assert.equal(lines[tabLine], '3 |     loss = torch.nn.functional.cross_entropy(torch.softmax(z, dim=1),');
  assert.equal(lines[tabLine + 1]!.indexOf('^') - '3 | '.length, 4 + 'loss = torch.nn.functional.cross_entropy('.length);
});

test('colour only when asked: codes coloured by severity', () => {
  const coloured = formatFindings('concise', files(), { ...ctx, style: ansi });
  assert.match(coloured, /\x1b\[1m\x1b\[33mSL003\x1b\[39m\x1b\[22m/);
  assert.match(coloured, /\x1b\[1m\x1b\[31mSL001/);
  assert.doesNotMatch(formatFindings('concise', files(), ctx), /\x1b/);
});

test('summary lines', () => {
  const f = files();
  assert.equal(summary(countFindings(f, 0, false), false), 'Found 3 errors (1 fixable with --fix; 1 hidden fix can be enabled with --unsafe-fixes).\n');
  assert.equal(summary(countFindings(f, 0, true), false), 'Found 3 errors (2 fixable with --fix).\n');
  assert.equal(summary(countFindings([], 0, false), false), 'All checks passed!\n');
  assert.equal(summary(countFindings([{ ...f[0]!, findings: [f[0]!.findings[2]!] }], 0, false), false), 'Found 1 error.\n');
  assert.equal(summary(countFindings([], 2, false), true), 'Found 2 errors (2 fixed, 0 remaining).\n');
  assert.equal(
    summary(countFindings([{ ...f[0]!, findings: [f[0]!.findings[1]!] }], 1, false), true),
    'Found 2 errors (1 fixed, 1 remaining).\n1 hidden fix can be enabled with --unsafe-fixes.\n',
  );
});

test('notebook findings: cell numbers (1-based) and rows within the cell, in every format', () => {
  const cells = ['# Title\n', 'import torch\nprobs = torch.softmax(z, 1)', 'q = 1\np = torch.log(torch.softmax(z, 1))'];
  const f = { ...findingAt(cells[2]!, 'SL003', 'torch.log(', { message: 'log of softmax' }), cell: 2 };
  const nb: FileResult[] = [{ path: '/project/a.ipynb', display: 'a.ipynb', text: '{"cells": []}', findings: [f], cells }];
  assert.equal(formatFindings('concise', nb, ctx), 'a.ipynb:cell 3:2:5: SL003 log of softmax\n');
  assert.match(formatFindings('full', nb, ctx), /^2 \| p = torch\.log\(torch\.softmax\(z, 1\)\)$/m);
  const [item] = JSON.parse(formatFindings('json', nb, ctx));
  assert.deepEqual([item.cell, item.location, item.noqa_row], [3, { column: 5, row: 2 }, 2]);
  assert.match(formatFindings('github', nb, ctx), /^::warning file=a\.ipynb,line=2,col=5,endLine=2,endColumn=15,title=SL003 \(log-of-softmax\)::cell 3: log of softmax$/m);
  const sarif = JSON.parse(formatFindings('sarif', nb, ctx)).runs[0].results[0];
  assert.deepEqual([sarif.locations[0].physicalLocation.region.startLine, sarif.properties.cell], [2, 3]);
});
