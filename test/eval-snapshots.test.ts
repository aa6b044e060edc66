// Hover content snapshots: every "# hover: TOKEN" comment in test/fixtures/eval/*.py is hovered at
// TOKEN's first occurrence on that line; the Markdown (or the "not evaluable" reason) goes to the
// fixture's .snap. UPDATE_SNAPSHOTS=1 rewrites them after an intended change (review the diff).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEngine } from './helpers/engine';
import { renderError } from '../src/core';
import * as Kernel from '../src/core/kernel';

const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'eval');
const update = process.env.UPDATE_SNAPSHOTS === '1';

// NumPy's float64 exp/log depend on the CPU; the kernel models one (see docs/hover.md). Each fixture
// has a snapshot per model (<name>.<svml|libm>.snap); when the kernel can switch, both are checked.
const K = Kernel as unknown as { setNumpyMath?: (m: 'svml' | 'libm') => void; getNumpyMath?: () => 'svml' | 'libm' };
const models: ('svml' | 'libm')[] = K.setNumpyMath ? ['svml', 'libm'] : ['libm'];

for (const model of models)
for (const file of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
  test(`hover snapshot (${model}): ${file}`, async () => {
    const before = K.getNumpyMath?.();
    K.setNumpyMath?.(model);
    try {
      await snapshot(file, model);
    } finally {
      if (before) K.setNumpyMath?.(before);
    }
  });
}

async function snapshot(file: string, model: string): Promise<void> {
  {
    const engine = await getEngine();
    const text = readFileSync(join(dir, file), 'utf8');
    const out: string[] = [];
    let lineStart = 0;
    const lines = text.split('\n');
    lines.forEach((line, n) => {
      const m = /# hover: (\S+)/.exec(line);
      if (m) {
        const col = line.indexOf(m[1]!);
        assert.ok(col >= 0 && col < m.index, `line ${n + 1}: token ${m[1]} not found before the comment`);
        const r = engine.evaluate(text, lineStart + col);
        const pos = `${n + 1}:${col + 1} ${m[1]}`;
        out.push(`=== ${pos}\n${'error' in r ? renderError(m[1]!, r.error) : r.markdown}\n`);
      }
      lineStart += line.length + 1;
    });
    assert.ok(out.length > 0, 'the fixture has hover markers');
    const snapPath = join(dir, file.replace(/\.py$/, `.${model}.snap`));
    const snapshot = out.join('\n');
    if (update || (!existsSync(snapPath) && !process.env.CI)) writeFileSync(snapPath, snapshot);
    else assert.equal(snapshot, readFileSync(snapPath, 'utf8'), `snapshot ${snapPath} differs (UPDATE_SNAPSHOTS=1 to accept)`);
  }
}
