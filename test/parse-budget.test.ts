// A parse that takes longer than Parsers.parseBudgetMs is cancelled: the check answers with a
// `limit` note, hover with an error, and the parser is reset (the next parse is a fresh, correct one,
// not the cancelled one resumed). The input is the one tree-sitter-python is still slow on after the
// comment-run workaround: an unterminated string, then a long run of comment lines holding quotes
// (the run cannot be hidden safely, and the plain parse is super-linear: seconds at 8,000 lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/core';
import { PARSE_BUDGET_MS } from '../src/core/parser';
import { nodeWasmLoader } from '../src/node/wasm';

const SLOW = "import torch\nz = torch.log(torch.softmax(x, 1))\ns = 'abc\n" + '# don\'t "quote" {x}\n'.repeat(8_000) + 'y = 2\n';
const OK = 'import torch\nimport torch.nn.functional as F\nlp = torch.log(F.softmax(x, dim=1))\n';

test('a parse over its budget gives a bounded answer, and the parser is usable again', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  const expected = engine.check(OK).findings.map((f) => `${f.range.start.line}:${f.code}`);
  assert.deepEqual(expected, ['2:SL003']);
  engine.parsers.parseBudgetMs = 1;
  try {
    const r = engine.check(SLOW);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.notes, [{ kind: 'limit', message: 'not analysed: parsing took longer than 1 ms' }]);
    const h = engine.evaluate(`${SLOW}v = 1.5\n`, SLOW.length + 1);
    assert.deepEqual(h, { error: 'not evaluated: parsing took longer than 1 ms' });
  } finally {
    engine.parsers.parseBudgetMs = PARSE_BUDGET_MS;
  }
  // The next parses are fresh and right (a cancelled parse left in the parser would be resumed).
  assert.deepEqual(engine.check(OK).findings.map((f) => `${f.range.start.line}:${f.code}`), expected);
  const tree = engine.parsers.parse('python', OK, null);
  try {
    assert.equal(tree.rootNode.hasError, false);
    assert.equal(tree.rootNode.endIndex, OK.length);
  } finally {
    tree.delete();
  }
});
