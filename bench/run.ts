// `npm run bench`: the benchmark suite (not a test). Measures, in one run on this machine:
//  1. CLI-path throughput over a real corpus (Debian's torch + numpy + scipy sources by default)
//     side by side with Ruff's WebAssembly build checking the same files in the same process;
//  2. editor latency: re-analysis after a one-character edit in generated 2,000- and 20,000-line
//     training scripts (p50/p95), and the cold analysis of the same files;
//  3. hover evaluation time for 10-, 1,000- and 100,000-element literals, cold and warm (bench/hover.ts);
//  4. activation: loading the extension bundle and the wasm grammar; the .vsix size if built.
// Writes bench/RESULTS.md. Options: --corpus DIR (repeatable), --quick (smaller samples).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import Module from 'node:module';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';
import { pyFiles } from './corpus';
import { hoverRows } from './hover';

const root = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const corpora = args.flatMap((a, i) => (args[i - 1] === '--corpus' ? [a] : []));
const DEFAULT_CORPUS = ['torch', 'numpy', 'scipy'].map((p) => join('/usr/lib/python3/dist-packages', p));

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

async function throughput(engine: Engine, rows: Row[]): Promise<void> {
  const dirs = corpora.length ? corpora : DEFAULT_CORPUS.filter(existsSync);
  if (!dirs.length) {
    rows.push({ name: 'CLI throughput', value: 'skipped', note: 'no corpus: apt-get install python3-torch python3-numpy python3-scipy' });
    return;
  }
  const files = dirs.flatMap((d) => [...pyFiles(d)]).filter((f) => statSync(f).size < 10 * 1024 * 1024);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const lines = texts.reduce((a, t) => a + countLines(t), 0);

  // Stable Loss: the same call the CLI makes per file (prefilter, parse, analysis, rules).
  for (const t of texts.slice(0, 50)) engine.check(t); // warm-up
  let parsed = 0;
  const rss0 = process.memoryUsage().rss;
  let t0 = performance.now();
  for (const t of texts) if (engine.check(t).parsed) parsed++;
  const ours = (performance.now() - t0) / 1000;
  const oursRss = process.memoryUsage().rss - rss0;

  // Ruff's wasm build, default rules, same files, same process.
  let ruff: number | undefined;
  let ruffVersion = '';
  try {
    const pkg = '@astral-sh/ruff-wasm-nodejs';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Workspace, PositionEncoding } = require(pkg) as { Workspace: any; PositionEncoding: any };
    ruffVersion = Workspace.version();
    const ws = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
    for (const t of texts.slice(0, 50)) ws.check(t);
    t0 = performance.now();
    for (const t of texts) {
      try {
        ws.check(t);
      } catch {
        // a file Ruff cannot check still took its time
      }
    }
    ruff = (performance.now() - t0) / 1000;
  } catch (e) {
    rows.push({ name: 'Ruff-wasm', value: 'unavailable', note: String(e) });
  }
  rows.push({ name: 'corpus', value: `${files.length} files, ${lines.toLocaleString('en')} lines`, note: dirs.join(', ') });
  rows.push({ name: 'Stable Loss (1 thread)', value: `${Math.round(lines / ours).toLocaleString('en')} lines/s`, note: `${fmt(ours)} s; parsed ${parsed} of ${files.length} files (${fmt((100 * parsed) / files.length, 1)} %); RSS +${Math.round(oursRss / 2 ** 20)} MiB` });
  if (ruff !== undefined) {
    rows.push({ name: `Ruff-wasm ${ruffVersion} (1 thread)`, value: `${Math.round(lines / ruff).toLocaleString('en')} lines/s`, note: `${fmt(ruff)} s` });
    rows.push({ name: 'ratio (Stable Loss / Ruff-wasm)', value: `${fmt(ruff / ours)}×`, note: 'target ≥ 3×' });
  }
}

function trainingScript(lines: number): string {
  const head = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport numpy as np\n\n';
  const block = (i: number) => `
class Net${i}(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(32, 10)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        h = self.drop(self.fc(x))
        return h


def train_${i}(model, data, epochs=3):
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        for x, y in data:
            logits = model(x)
            loss = criterion(logits, y)
            probs = F.softmax(logits, dim=1)
            acc = (probs.argmax(1) == y).float().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return acc
`;
  let out = head;
  for (let i = 0; countLines(out) < lines; i++) out += block(i);
  return out;
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
    rows.push({ name: `edit → diagnostics, ${n.toLocaleString('en')} lines`, value: `p50 ${fmt(pct(times, 50), 1)} ms, p95 ${fmt(pct(times, 95), 1)} ms`, note: `${edits} edits; full re-analysis (no incremental reuse yet); target ${size === 2000 ? '≤ 5' : '≤ 30'} ms p95; cold ${fmt(Math.min(...coldT), 1)} ms` });
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
  const t1 = performance.now();
  await Engine.create(nodeWasmLoader());
  rows.push({ name: 'engine start (tree-sitter runtime + Python grammar)', value: `${fmt(performance.now() - t1, 1)} ms`, note: 'activation target ≤ 50 ms (bundle + wasm)' });
  const vsix = existsSync(root) ? readdirSync(root).filter((f) => f.endsWith('.vsix')) : [];
  for (const v of vsix) rows.push({ name: `.vsix ${v}`, value: `${(statSync(join(root, v)).size / 2 ** 20).toFixed(2)} MB`, note: 'target ≤ 1.5 MB' });
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  await activation(rows);
  const engine = await Engine.create(nodeWasmLoader());
  await throughput(engine, rows);
  editorLatency(engine, rows);
  hover(engine, rows);
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
