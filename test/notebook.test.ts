// Jupyter notebooks: code cells analysed in order as one program, magics ignored, findings located
// in their cell, fixes rewriting only the affected cells inside the untouched JSON text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankMagics, checkNotebookWith, fixNotebookWith, NotebookError, notebookProgram, parseNotebook } from '../src/core/notebook';
import { getEngine } from './helpers/engine';

const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'notebooks');
const read = (f: string): string => readFileSync(join(dir, f), 'utf8');

test('magics and shell escapes become blank lines of the same length', () => {
  assert.equal(blankMagics('%matplotlib inline\nx = 1\n!ls -l\ny?\n'), '                  \nx = 1\n      \n  \n');
  assert.equal(blankMagics('%%time\nx = 1\n'), '      \n     \n');
  assert.equal(blankMagics('x = 1 % 2\n'), 'x = 1 % 2\n');
});

test('a softmax in one cell flowing into a loss four cells later is found, in its cell', async () => {
  const engine = await getEngine();
  const nb = parseNotebook(read('cross_cell.ipynb'));
  const findings = checkNotebookWith(nb, (t) => engine.check(t).findings);
  assert.deepEqual(
    findings.map((f) => [f.code, f.cell, f.range.start.line, f.range.start.character]),
    [
      ['SL001', 7, 1, 15],
      ['SL003', 7, 2, 8],
    ],
  );
  // the %%time cell is ignored as a whole: its loss_fn does not exist for the analysis
  assert.ok(!notebookProgram(nb).text.includes('%%time'));
});

test('fixes rewrite only the affected cell and keep the JSON byte for byte elsewhere', async () => {
  const engine = await getEngine();
  const json = read('cross_cell.ipynb');
  const r = fixNotebookWith(json, (t) => engine.check(t).findings);
  assert.equal(r.applied, 2);
  assert.deepEqual(r.changedCells, [7]);
  const before = parseNotebook(json);
  const after = parseNotebook(r.json);
  assert.equal(after.cells[7].source, 'loss_fn = nn.CrossEntropyLoss()\nloss = loss_fn(logits, target)\nlog_p = F.log_softmax(logits, dim=1)');
  // Everything before the changed cell's source is identical, outputs included.
  assert.equal(r.json.slice(0, before.cells[7].sourceSpan.start), json.slice(0, before.cells[7].sourceSpan.start));
  assert.equal(r.json.slice(after.cells[7].sourceSpan.end), json.slice(before.cells[7].sourceSpan.end));
  assert.ok(r.json.includes('"tensor([[0.1142, 0.8438, 0.0420]])"'));
  // Same layout as nbformat writes: one line per element, same indentation.
  assert.match(r.json.slice(after.cells[7].sourceSpan.start, after.cells[7].sourceSpan.end), /^\[\n {4}"loss_fn = nn.CrossEntropyLoss\(\)\\n",\n {4}"loss = loss_fn\(logits, target\)\\n",\n {4}"log_p = F.log_softmax\(logits, dim=1\)"\n {3}\]$/);
  // Fixing again changes nothing.
  assert.equal(fixNotebookWith(r.json, (t) => engine.check(t).findings).json, r.json);
});

test('a malformed notebook gives a clear error, never a crash', () => {
  assert.throws(() => parseNotebook(read('broken.ipynb')), (e: unknown) => e instanceof NotebookError && /invalid JSON at line 1/.test(e.message));
  assert.throws(() => parseNotebook('{"metadata": {}}'), /no "cells" array/);
  assert.throws(() => parseNotebook('[1, 2]'), /JSON object/);
  assert.throws(() => parseNotebook('{"cells": [{"cell_type": "code", "source": 3}]}'), /neither a string nor a list/);
  assert.throws(() => parseNotebook('['.repeat(100000)), /nested too deeply/);
});

test('related locations in another cell are in that cell, with the cell named', async () => {
  const engine = await getEngine();
  const nb = parseNotebook(read('cross_cell.ipynb'));
  const f = checkNotebookWith(nb, (t) => engine.check(t).findings).find((x) => x.code === 'SL001')!;
  assert.equal(f.related.length, 1);
  assert.equal(f.related[0].message, 'softmax applied here (cell 4)');
  const r = f.related[0].range;
  assert.deepEqual([r.start.line, r.start.character], [0, 8]);
  assert.equal(nb.cells[3].source.slice(r.startOffset, r.endOffset), 'F.softmax(logits, dim=1)');
});
