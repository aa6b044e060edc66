// Split of one re-analysis after a one-character edit into its passes (issue #7), in-process:
// `node build/bench/profile-edit.js [lines...]`; with `--worker`, the editor rows of `npm run bench`
// (bench/editor.ts: through the analysis worker) alone. Not part of `npm run bench`.
import { performance } from 'node:perf_hooks';
import { EditSession, Engine } from '../src/core';
import { analyze } from '../src/core/analysis/interpret';
import { lowerPython } from '../src/core/python/lower';
import { flatten } from '../src/core/syntax';
import { runRules } from '../src/core/rules/run';
import { rules } from '../src/core/rules';
import { nodeWasmLoader } from '../src/node/wasm';
import { trainingScript } from './script';
import { editorBench, type Row } from './editor';
import { join } from 'node:path';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker')) {
    const rows: Row[] = [];
    // (without the host-blocking cases: they parse megabytes and would fill a profile of the edits)
    await editorBench(join(__dirname, '..', '..'), rows, trainingScript, process.argv.includes('--quick'), false);
    for (const r of rows) console.log(`${r.name}: ${r.value} (${r.note})`);
    return;
  }
  if (process.argv.includes('--session-only')) {
    const e = await Engine.create(nodeWasmLoader());
    const digit = process.argv.includes('--digit');
    for (const size of [2000, 20000]) {
      let cur = trainingScript(size);
      const session = new EditSession();
      e.check(cur, { session });
      const times: number[] = [];
      for (let i = 0; i < (size > 5000 ? 60 : 400); i++) {
        const at = cur.indexOf('lr=1e-3', Math.floor((cur.length * (i % 10)) / 10));
        cur = at < 0 ? cur : digit ? cur.slice(0, at + 7) + '3' + cur.slice(at + 7) : cur.slice(0, at) + ' ' + cur.slice(at);
        const c0 = process.cpuUsage();
        e.check(cur, { session });
        const c = process.cpuUsage(c0);
        times.push((c.user + c.system) / 1000);
      }
      console.log(`${size} lines, session check CPU ms: p50 ${pct(times, 50).toFixed(2)} p95 ${pct(times, 95).toFixed(2)}`);
      if (process.argv.includes('--by-position')) for (let k = 0; k < 10; k++) console.log(`  at ${k}/10 of the file: p50 ${pct(times.filter((_, i) => i % 10 === k), 50).toFixed(2)} max ${Math.max(...times.filter((_, i) => i % 10 === k)).toFixed(2)}`);
    }
    return;
  }
  const engine = await Engine.create(nodeWasmLoader());
  const whole = await Engine.create(nodeWasmLoader());
  const withSession = await Engine.create(nodeWasmLoader());
  // --digit: the edit types a digit into a number (the IR changes); default: a space (offsets only)
  const digit = process.argv.includes('--digit');
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const size of sizes.length ? sizes : [2000, 20000]) {
    let cur = trainingScript(size);
    const edits = size > 5000 ? 40 : 200;
    const t: Record<string, number[]> = { parse: [], flatten: [], lower: [], analyse: [], rules: [], check: [], session: [] };
    const session = new EditSession();
    let reused = 0;
    engine.check(cur);
    whole.check(cur);
    withSession.check(cur, { session });
    for (let i = 0; i < edits; i++) {
      const at = cur.indexOf('lr=1e-3', Math.floor((cur.length * (i % 10)) / 10));
      cur = at < 0 ? cur : digit ? cur.slice(0, at + 7) + '3' + cur.slice(at + 7) : cur.slice(0, at) + ' ' + cur.slice(at);
      let t0 = performance.now();
      const tree = engine.parsers.parse('python', cur);
      t.parse!.push(performance.now() - t0);
      t0 = performance.now();
      flatten(tree.rootNode);
      t.flatten!.push(performance.now() - t0);
      t0 = performance.now();
      const module = lowerPython(tree.rootNode);
      t.lower!.push(performance.now() - t0);
      t0 = performance.now();
      const a = analyze(module);
      t.analyse!.push(performance.now() - t0);
      t0 = performance.now();
      runRules(cur, a, rules);
      t.rules!.push(performance.now() - t0);
      tree.delete();
      // the whole check, by a second engine (whose parsers keep their own last text)
      t0 = performance.now();
      whole.check(cur);
      t.check!.push(performance.now() - t0);
      t0 = performance.now();
      withSession.check(cur, { session });
      t.session!.push(performance.now() - t0);
      if (session.stats.analysisReused) reused++;
    }
    console.log(`${size} lines (${digit ? 'digit' : 'space'} edits; analysis reused ${reused}/${edits}): ` + Object.entries(t).map(([k, v]) => `${k} p50 ${pct(v, 50).toFixed(2)} p95 ${pct(v, 95).toFixed(2)}`).join('; '));
  }
}
void main();
