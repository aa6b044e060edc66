// Property tests of the notebook reader and fixer (issue #8): random text and JSON mutations of the
// fixture notebooks. parseNotebook returns or throws NotebookError (never another error); what it
// reads agrees with JSON.parse; checking and fixing never throw anything else, and a fix changes
// only cell sources, leaving the rest of the document as it was. Deterministic seeds; a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkNotebookWith, fixNotebookWith, NotebookError, notebookProgram, parseNotebook } from '../src/core/notebook';
import { getEngine } from './helpers/engine';

const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'notebooks');
const notebooks = readdirSync(dir)
  .filter((f) => f.endsWith('.ipynb'))
  .sort()
  .map((f) => readFileSync(join(dir, f), 'utf8'));

type M = (t: string) => string;
const at = (n: number, t: string) => n % (t.length + 1);
const textMutation: fc.Arbitrary<M> = fc.oneof(
  fc.nat().map((n): M => (t) => t.slice(0, at(n, t))),
  fc.tuple(fc.nat(), fc.nat({ max: 30 })).map(([n, k]): M => (t) => t.slice(0, at(n, t)) + t.slice(at(n, t) + k)),
  fc.tuple(fc.nat(), fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\\u', '\\ud800', '\n', '\u0000', '\ufeff', 'null', '1e400', '-', '0', '"source"', '"cells"', '[[[[', '%%time\\n', '\ud800')).map(
    ([n, s]): M => (t) => t.slice(0, at(n, t)) + s + t.slice(at(n, t)),
  ),
  fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 200 })).map(([a, b, k]): M => (t) => {
    const i = at(a, t);
    return t.slice(0, i) + t.slice(at(b, t), at(b, t) + k) + t.slice(i);
  }),
);

const validJson = notebooks.filter((t) => {
  try {
    JSON.parse(t.replace(/^\ufeff/, ''));
    return true;
  } catch {
    return false;
  }
});

/** Structural mutation: a random node of the parsed document replaced by random JSON. */
function replaceAt(doc: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || doc === null || typeof doc !== 'object') return value;
  const keys = Object.keys(doc as object);
  if (keys.length === 0) return value;
  const key = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(doc) ? ([...doc] as unknown as Record<string, unknown>) : { ...(doc as Record<string, unknown>) };
  copy[key] = replaceAt((doc as Record<string, unknown>)[key], path.slice(1), value);
  return copy;
}
const structural = fc
  .tuple(fc.nat({ max: validJson.length - 1 }), fc.array(fc.nat(), { minLength: 0, maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(0, 1, 2, '\t'))
  .map(([k, path, value, indent]) => JSON.stringify(replaceAt(JSON.parse(validJson[k]!.replace(/^\ufeff/, '')), path, value), null, indent));

const mutatedText = fc
  .tuple(fc.nat({ max: notebooks.length - 1 }), fc.array(textMutation, { minLength: 1, maxLength: 3 }))
  .map(([k, ms]) => ms.reduce((t, m) => m(t), notebooks[k]!));

const anyNotebookText = fc.oneof(mutatedText, structural, fc.string({ unit: 'binary', maxLength: 200 }), fc.json({ maxDepth: 4 }));

/** The document without the cells' sources (what a fix must leave alone). */
function withoutSources(doc: unknown): unknown {
  const d = doc as { cells?: { source?: unknown }[] };
  if (!d || typeof d !== 'object' || !Array.isArray(d.cells)) return doc;
  return { ...d, cells: d.cells.map((c) => (c && typeof c === 'object' ? { ...c, source: null } : c)) };
}

test('notebooks: parseNotebook returns or throws NotebookError; checking and fixing never throw anything else (400 runs)', async () => {
  const engine = await getEngine();
  const lint = (t: string) => engine.check(t).findings;
  let parsed = 0;
  let rejected = 0;
  let fixed = 0;
  await fc.assert(
    fc.asyncProperty(anyNotebookText, fc.boolean(), async (text, unsafe) => {
      let nb;
      try {
        nb = parseNotebook(text);
      } catch (e) {
        assert.ok(e instanceof NotebookError, `parseNotebook threw ${e instanceof Error ? e.stack : String(e)}`);
        assert.ok((e as Error).message.length > 0);
        rejected++;
        return;
      }
      parsed++;
      // What it read agrees with JSON.parse when JSON.parse accepts the text.
      let doc: { cells: { source: string | string[] }[] } | undefined;
      try {
        doc = JSON.parse(text.replace(/^\ufeff/, ''));
      } catch {
        doc = undefined;
      }
      if (doc) {
        assert.deepEqual(nb.cells.map((c) => c.source), doc.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)));
      }
      notebookProgram(nb);
      checkNotebookWith(nb, lint);
      const r = fixNotebookWith(text, lint, { unsafe });
      if (r.applied > 0) {
        fixed++;
        assert.notEqual(r.json, text);
        const after = parseNotebook(r.json);
        assert.equal(after.cells.length, nb.cells.length);
        nb.cells.forEach((c, i) => {
          if (!r.changedCells.includes(i)) assert.equal(after.cells[i]!.source, c.source, `cell ${i} untouched`);
        });
        if (doc) assert.deepEqual(withoutSources(JSON.parse(r.json.replace(/^\ufeff/, ''))), withoutSources(doc), 'only sources change');
      } else assert.equal(r.json, text);
    }),
    { seed: 0x1ab, numRuns: 400, includeErrorInReport: true },
  );
  assert.ok(parsed > 40 && rejected > 40 && fixed > 5, `parsed ${parsed}, rejected ${rejected}, fixed ${fixed}`);
});

test('notebooks: nesting deeper than the reader allows is a NotebookError, not a stack overflow', () => {
  for (const open of ['[', '{"a":']) {
    const deep = open.repeat(100_000);
    assert.throws(() => parseNotebook(deep), NotebookError);
    assert.throws(() => parseNotebook(`{"cells": ${deep}`), NotebookError);
  }
});
