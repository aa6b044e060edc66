// Hover evaluation benchmark (not a test): `node build/bench/hover.js` on its own, or through
// `npm run bench` (bench/run.ts adds its rows to bench/RESULTS.md).
// Cold: every run hovers a text the engine has not seen (one literal value changed), so parsing,
// lowering and the module's evaluation all run. Warm: the same text hovered again (an editor asks
// again and again for one document version), which the engine answers from its per-text cache.
// The cold row also gives the minimum and the process CPU time per hover (less sensitive to a busy
// machine than wall-clock time).
import { Engine } from '../src/core';

export interface HoverRow {
  name: string;
  value: string;
  note?: string;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function literalText(n: number, salt: number): string {
  const values = Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 100 - 5);
  values[0] = salt / 1000;
  return `import torch\nimport torch.nn.functional as F\nlogits = torch.tensor([${values.join(', ')}])\nloss = F.log_softmax(logits, dim=0)\n`;
}

export function hoverRows(engine: Engine, quick = false): HoverRow[] {
  const rows: HoverRow[] = [];
  const fmt = (n: number): string => n.toFixed(2);
  for (const n of [10, 1_000, 100_000]) {
    const runs = n >= 100_000 ? (quick ? 3 : 5) : quick ? 20 : 50;
    // Warm-up (JIT) on other texts.
    for (let i = 0; i < 5; i++) engine.evaluate(literalText(Math.min(n, 1000), 999_000 + i), 0);
    const cold: number[] = [];
    const coldCpu: number[] = [];
    const warm: number[] = [];
    const other: number[] = [];
    let answer = '';
    for (let i = 0; i < runs; i++) {
      const text = literalText(n, i);
      const offset = text.indexOf('loss = ');
      const c0 = process.cpuUsage();
      let t0 = performance.now();
      const r = engine.evaluate(text, offset);
      cold.push(performance.now() - t0);
      const c1 = process.cpuUsage(c0);
      coldCpu.push((c1.user + c1.system) / 1000);
      answer = 'error' in r ? `error: ${r.error}` : String(r.printed).slice(0, 40);
      t0 = performance.now();
      engine.evaluate(text, offset);
      warm.push(performance.now() - t0);
      t0 = performance.now();
      engine.evaluate(text, text.indexOf('logits, dim'));
      other.push(performance.now() - t0);
    }
    const note = `${runs} runs; ${answer.startsWith('error') ? answer + '; ' : ''}target ≤ 2 ms at 1,000`;
    rows.push({ name: `hover, ${n.toLocaleString('en')} elements, cold (new text)`, value: `p50 ${fmt(pct(cold, 50))} ms, p95 ${fmt(pct(cold, 95))} ms`, note: `${note}; min ${fmt(Math.min(...cold))} ms; CPU time p50 ${fmt(pct(coldCpu, 50))} ms` });
    rows.push({ name: `hover, ${n.toLocaleString('en')} elements, same text, other position`, value: `p50 ${fmt(pct(other, 50))} ms, p95 ${fmt(pct(other, 95))} ms`, note: `${runs} runs; parsed text reused, value evaluated again` });
    rows.push({ name: `hover, ${n.toLocaleString('en')} elements, same text and position again`, value: `p50 ${fmt(pct(warm, 50))} ms, p95 ${fmt(pct(warm, 95))} ms`, note: `${runs} runs; answer reused` });
  }
  return rows;
}

// Run on its own only when this file is the entry script: bundled into build/bench/run.js, `require.main
// === module` is true there too, and this block would run beside the suite (a second engine and a
// concurrent measurement).
if (/[\\/]hover\.js$/.test(process.argv[1] ?? '')) {
  void (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { nodeWasmLoader } = require('../src/node/wasm') as typeof import('../src/node/wasm');
    const engine = await Engine.create(nodeWasmLoader());
    for (const r of hoverRows(engine, process.argv.includes('--quick'))) console.log(`${r.name.padEnd(48)} ${r.value.padEnd(30)} ${r.note ?? ''}`);
  })();
}
