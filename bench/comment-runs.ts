// Pathological input for the bundled Python grammar (issue #8): tree-sitter-python 0.25.0's scanner is
// quadratic on a run of comment-only lines that follows a statement. The parser hides such runs from
// tree-sitter (src/core/parser.ts); this measures a fresh parse with the runs shown (plain: what
// tree-sitter alone costs) and hidden, for 1k/4k/20k comment lines after a statement and in a function
// body, and engine.check on a 1.3 MB file of emoji comment lines after one SL003 line.
// Part of `npm run bench`; alone: `node build/bench/comment-runs.js [--quick] [--plain-20k]` (prints, writes nothing).
import { Engine } from '../src/core';
import { COMMENT_RUN_MIN_LINES } from '../src/core/parser';
import { nodeWasmLoader } from '../src/node/wasm';

export interface CommentRunRow {
  name: string;
  value: string;
  note?: string;
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** The best of `reps` runs of `f`, in ms. */
function best(reps: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

export function commentRunRows(engine: Engine, quick = false, plainAll = false): CommentRunRow[] {
  const p = engine.parsers;
  const rows: CommentRunRow[] = [];
  const parse = (text: string, hide: boolean): number => {
    p.commentRunMinLines = hide ? COMMENT_RUN_MIN_LINES : Infinity;
    try {
      return best(hide ? 3 : 1, () => p.parse('python', text, null).delete());
    } finally {
      p.commentRunMinLines = COMMENT_RUN_MIN_LINES;
    }
  };
  const sizes = [1_000, 4_000, 20_000];
  for (const [where, make] of [
    ['after a statement', (n: number) => 'x = 1\n' + '# c\n'.repeat(n)],
    ['in a function body', (n: number) => 'def f():\n    x = 1\n' + '    # c\n'.repeat(n) + '    return x\n'],
  ] as const) {
    for (const n of sizes) {
      const text = make(n);
      // The plain parse of 20,000 lines takes 75–100 s here (worse than quadratic from 4,000 lines on):
      // it runs only with --plain-20k.
      const plain = n > 4_000 && !plainAll ? undefined : parse(text, false);
      const hidden = parse(text, true);
      rows.push({
        name: `parse, ${n.toLocaleString('en')} comment lines ${where}`,
        value: `${fmt(hidden)} (runs hidden); plain ${plain === undefined ? 'not run (minutes; --plain-20k runs it)' : fmt(plain)}`,
        note: `fresh parse; plain = tree-sitter shown every comment (tree-sitter-python 0.25.0's scanner is quadratic on the run)${plain !== undefined ? `; ${(plain / hidden).toFixed(0)}×` : ''}`,
      });
    }
  }
  // The file of issue #8: one SL003 line, then 1.3 MB of emoji comment lines.
  const big = 'import torch\nimport torch.nn.functional as F\nz = torch.log(F.softmax(x, 1))\n' + '# 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\n'.repeat(14_500);
  const mb = Buffer.byteLength(big) / 1e6;
  const findings: string[] = [];
  const ms = best(quick ? 1 : 3, () => {
    findings.length = 0;
    for (const f of engine.check(big).findings) findings.push(f.code);
  });
  rows.push({
    name: `engine.check, ${mb.toFixed(1)} MB (UTF-8) of emoji comment lines after one SL003 line`,
    value: fmt(ms),
    note: `findings: ${findings.join(', ') || 'none'}; before the runs were hidden: 54 s (stable-loss check, issue #8)`,
  });
  return rows;
}

// Run on its own only when this file is the entry script: bundled into build/bench/run.js, `require.main
// === module` is true there too, and this block ran beside the whole benchmark.
if (/[\\/]comment-runs\.js$/.test(process.argv[1] ?? '')) {
  void (async () => {
    const engine = await Engine.create(nodeWasmLoader());
    for (const r of commentRunRows(engine, process.argv.includes('--quick'), process.argv.includes('--plain-20k'))) console.log(`| ${r.name} | ${r.value} | ${r.note ?? ''} |`);
  })();
}
