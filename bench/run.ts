// `npm run bench`: the benchmark suite (not a test). Measures, in one run on this machine:
//  1. CLI throughput over a real corpus (every Python file of Debian's dist-packages by default),
//     1 and N threads, side by side with Ruff's WebAssembly build on the same files (bench/cli.ts);
//  2. editor latency (bench/editor.ts): edit → diagnostics through the extension's real path (the
//     analysis worker, content changes, incremental re-parse) in generated 2,000- and 20,000-line
//     training scripts (p50/p95), and the longest extension-host blocking while large and
//     pathological files are analysed; the in-process engine.check after an edit for comparison;
//  3. hover evaluation time for 10-, 1,000- and 100,000-element literals, cold and warm (bench/hover.ts);
//  4. activation: loading the extension bundle and the wasm grammar; the .vsix size if built;
//  5. parsing long comment runs, hidden from tree-sitter and plain (bench/comment-runs.ts).
// Writes bench/RESULTS.md. Options: --corpus DIR (repeatable), --quick (smaller samples).
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import Module from 'node:module';
import { Parsers } from '../src/core/parser';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';
import { hoverRows } from './hover';
import { cliThroughput } from './cli';
import { editorBench } from './editor';
import { commentRunRows } from './comment-runs';
import { trainingScript } from './script';

const root = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const corpora = args.flatMap((a, i) => (args[i - 1] === '--corpus' ? [a] : []));

function countLines(t: string): number {
  let n = 1;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) n++;
  return n;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const fmt = (n: number, d = 2): string => n.toFixed(d);

interface Row {
  name: string;
  value: string;
  note?: string;
}

function editorLatency(engine: Engine, rows: Row[]): void {
  for (const size of [2_000, 20_000]) {
    const text = trainingScript(size);
    const n = countLines(text);
    const coldT: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      engine.check(text, { noPrefilter: true });
      coldT.push(performance.now() - t0);
    }
    const edits = quick ? 20 : size > 5000 ? 40 : 200;
    const times: number[] = [];
    let cur = text;
    for (let i = 0; i < edits; i++) {
      // a one-character edit somewhere in the middle (type and delete a space inside a line)
      const at = cur.indexOf('lr=1e-3', Math.floor((cur.length * (i % 10)) / 10));
      cur = at < 0 ? cur : cur.slice(0, at) + ' ' + cur.slice(at);
      const t0 = performance.now();
      engine.check(cur);
      times.push(performance.now() - t0);
    }
    rows.push({ name: `engine.check after an edit (no editor path), ${n.toLocaleString('en')} lines`, value: `p50 ${fmt(pct(times, 50), 1)} ms, p95 ${fmt(pct(times, 95), 1)} ms`, note: `${edits} edits; full re-analysis in-process (the editor path is below); target ${size === 2000 ? '≤ 5' : '≤ 30'} ms p95; cold ${fmt(Math.min(...coldT), 1)} ms` });
  }
}

function hover(engine: Engine, rows: Row[]): void {
  rows.push(...hoverRows(engine, quick));
}

async function activation(rows: Row[]): Promise<void> {
  const bundle = join(root, 'dist', 'extension.js');
  if (existsSync(bundle)) {
    // Load the bundle as VS Code would, with a stand-in for the `vscode` module.
    const M = Module as unknown as { _resolveFilename: (...a: unknown[]) => string; _cache: Record<string, unknown> };
    const orig = M._resolveFilename;
    M._resolveFilename = function (request: unknown, ...rest: unknown[]) {
      if (request === 'vscode') return 'vscode';
      return orig.call(this, request, ...rest);
    };
    M._cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: new Proxy({}, { get: () => new Proxy(function () {}, { get: () => ({}) }) }) };
    const t0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(bundle);
    const loadMs = performance.now() - t0;
    M._resolveFilename = orig;
    rows.push({ name: 'load dist/extension.js', value: `${fmt(loadMs, 1)} ms`, note: `${Math.round(statSync(bundle).size / 1024)} KiB` });
  }
  // The runtime is initialised once per process: first with the Python grammar alone, then the
  // engine's other grammars (what `Engine.create` loads besides).
  const t1 = performance.now();
  await Parsers.create(nodeWasmLoader(), ['python']);
  rows.push({ name: 'tree-sitter runtime + Python grammar', value: `${fmt(performance.now() - t1, 1)} ms`, note: 'activation target ≤ 50 ms (bundle + wasm); in the analysis worker, not the extension host; all the worker loads before its first Python check' });
  const engine = await Engine.create(nodeWasmLoader(), { lazy: true });
  const t2 = performance.now();
  for (const g of ['typescript', 'tsx', 'javascript'] as const) await engine.ensureGrammar(g);
  rows.push({ name: 'TypeScript, TSX and JavaScript grammars', value: `${fmt(performance.now() - t2, 1)} ms`, note: 'loaded by the worker when a TF.js document is first checked (each grammar on its own), not at start' });
  const vsix = existsSync(root) ? readdirSync(root).filter((f) => f.endsWith('.vsix')) : [];
  for (const v of vsix) rows.push({ name: `.vsix ${v}`, value: `${(statSync(join(root, v)).size / 2 ** 20).toFixed(2)} MB`, note: 'target ≤ 1.5 MB' });
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  await activation(rows);
  const engine = await Engine.create(nodeWasmLoader());
  await cliThroughput(rows, { corpora, ...(quick ? { reps: 1 } : {}) });
  editorLatency(engine, rows);
  await editorBench(root, rows, trainingScript, quick);
  hover(engine, rows);
  rows.push(...commentRunRows(engine, quick));
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const md = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.`,
    'Each number comes from one run of the script (no timing is asserted in tests).',
    '',
    '| benchmark | result | notes |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.note ?? ''} |`),
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'RESULTS.md'), md);
  process.stdout.write(md);
}

void main();
