import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';

test('the engine parses Python and returns plain data', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  const r = engine.check('import torch\nx = torch.tensor(0.)\n');
  assert.equal(r.parsed, true);
  assert.deepEqual(r.notes, []);
});
