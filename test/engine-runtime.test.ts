// Engines created at the same time (two Engine.create calls that overlap, as when two modules of a
// process each start one) share the one tree-sitter runtime. web-tree-sitter keeps its wasm instance
// in a module variable; two overlapping initialisations used to make two instances, and trees of one
// were walked with the other's functions ("memory access out of bounds", or wrong findings). This file
// runs in its own process (node --test), so these are the process's first engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';

const SOURCE = 'import torch\nimport torch.nn.functional as F\nlp = torch.log(F.softmax(x, dim=1))\nloss = F.cross_entropy(F.softmax(x, dim=1), y)\n';

test('engines created concurrently share one runtime and each checks correctly', async () => {
  const engines = await Promise.all([Engine.create(nodeWasmLoader()), Engine.create(nodeWasmLoader()), Engine.create(nodeWasmLoader())]);
  for (let round = 0; round < 3; round++) {
    for (const [i, engine] of engines.entries()) {
      // a different text each time, so no engine re-parses incrementally from its last one
      const text = `${'\n'.repeat(round * 3 + i)}${SOURCE}`;
      const codes = engine.check(text).findings.map((f) => `${f.range.start.line - (round * 3 + i)}:${f.code}`);
      assert.deepEqual(codes, ['2:SL003', '3:SL001'], `engine ${i}, round ${round}`);
    }
  }
});
