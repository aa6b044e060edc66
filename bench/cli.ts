// The CLI section of `npm run bench` (issue #7): `stable-loss check` over a real corpus — by default
// every Python file of Debian's /usr/lib/python3/dist-packages (installed, never committed) — with
// one thread and with N worker threads, against Ruff's WebAssembly build checking the same files
// with one thread and, for a fair comparison, on N worker threads too. Stable Loss runs as the real
// CLI in a child process (file discovery, reading, the project index, JSON output; peak RSS of the
// whole process); Ruff gets the texts already in memory (its time excludes reading the files).
//
//   node build/bench/cli.js [--corpus DIR ...] [--threads N] [--reps N]   (also part of `npm run bench`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { preconditions } from '../src/core/rules/preconditions';
import type { RuleCode } from '../src/core/types';
import { discoverFiles } from '../src/node/discover';
import { ConfigResolver } from '../src/node/config';
import { pyFiles } from './corpus';

export interface Row {
  name: string;
  value: string;
  note?: string;
}

const DEFAULT_CORPUS = '/usr/lib/python3/dist-packages';
const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
const RUFF = '@astral-sh/ruff-wasm-nodejs';

function countLines(t: string): number {
  let n = 1;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) n++;
  return n;
}

const fmt = (n: number, d = 2): string => n.toFixed(d);
const rate = (lines: number, s: number) => `${Math.round(lines / s).toLocaleString('en')} lines/s`;

/** One run of the built CLI; wall time and the peak RSS of the process (all its threads). */
function runCli(dirs: string[], cwd: string, threads: number, preload: string): { seconds: number; cpu: number; rssMiB: number; code: number | null; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, CLI, 'check', ...dirs, '--threads', String(threads), '--output-format', 'json', '--exit-zero', '--no-respect-gitignore'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 2 ** 20,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const seconds = (performance.now() - t0) / 1000;
  const m = /STABLE_LOSS_BENCH_MAXRSS=(\d+) CPU=(\d+)/.exec(r.stderr);
  return { seconds, cpu: m ? Number(m[2]) / 1e6 : NaN, rssMiB: m ? Math.round(Number(m[1]) / 1024) : NaN, code: r.status, stdout: r.stdout };
}

/** Ruff-wasm over `texts` on `threads` worker threads (each its own Workspace); seconds of wall time. */
async function ruffInWorkers(texts: string[], threads: number): Promise<{ seconds: number; cpu: number }> {
  const pkg = require.resolve(RUFF);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Workspace, PositionEncoding } = require(workerData.pkg);
    const ws = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
    for (const t of workerData.texts.slice(0, 20)) { try { ws.check(t); } catch {} }
    parentPort.postMessage('ready');
    parentPort.once('message', () => {
      for (const t of workerData.texts) { try { ws.check(t); } catch {} }
      parentPort.postMessage('done');
    });`;
  // Interleaved shares: equal work per thread without knowing file costs.
  const shares = Array.from({ length: threads }, (_, k) => texts.filter((_, i) => i % threads === k));
  const workers = shares.map((s) => new Worker(code, { eval: true, workerData: { pkg, texts: s } }));
  const once = (w: Worker, what: string) => new Promise<void>((res, rej) => {
    w.on('message', (m) => m === what && res());
    w.once('error', rej);
  });
  await Promise.all(workers.map((w) => once(w, 'ready')));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const done = workers.map((w) => once(w, 'done'));
  for (const w of workers) w.postMessage('go');
  await Promise.all(done);
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  await Promise.all(workers.map((w) => w.terminate()));
  return { seconds: s, cpu: (c.user + c.system) / 1e6 };
}

export async function cliThroughput(rows: Row[], opts: { corpora?: string[]; threads?: number; reps?: number } = {}): Promise<void> {
  const dirs = (opts.corpora?.length ? opts.corpora : [DEFAULT_CORPUS]).map((d) => resolve(d)).filter(existsSync);
  if (!dirs.length) {
    rows.push({ name: 'CLI throughput', value: 'skipped', note: `no corpus: ${DEFAULT_CORPUS} is missing (apt-get install python3-torch python3-numpy python3-scipy ...)` });
    return;
  }
  if (!existsSync(CLI)) {
    rows.push({ name: 'CLI throughput', value: 'skipped', note: `${CLI} is missing: npm run build` });
    return;
  }
  const threads = opts.threads ?? availableParallelism();
  // The files the CLI checks (its discovery: default excludes such as build/ and dist/ apply).
  const cwd = dirs[0]!;
  const discovered = discoverFiles(dirs, { cwd, extensions: ['.py'], configs: new ConfigResolver(cwd), gitignore: false }).files.map((f) => f.path);
  const all = dirs.flatMap((d) => [...pyFiles(d)]);
  const texts = discovered.map((f) => readFileSync(f, 'utf8'));
  const lines = texts.reduce((a, t) => a + countLines(t), 0);
  const codes = Object.keys(preconditions) as RuleCode[];
  let pre = 0;
  let preLines = 0;
  texts.forEach((t) => {
    if (codes.some((c) => preconditions[c](t, { project: true }))) {
      pre++;
      preLines += countLines(t);
    }
  });
  rows.push({
    name: 'corpus',
    value: `${texts.length.toLocaleString('en')} files, ${lines.toLocaleString('en')} lines`,
    note: `${dirs.join(', ')}: the ${texts.length} .py files \`check\` collects (of ${all.length}; the default excludes skip build/, dist/, ...)`,
  });
  rows.push({ name: 'files past the textual prefilter', value: `${pre} of ${texts.length} (${fmt((100 * pre) / texts.length, 1)} %)`, note: `${fmt((100 * preLines) / lines, 1)} % of the lines; these are parsed and analysed, and so are the project modules they import` });

  const scratch = mkdtempSync(join(tmpdir(), 'sl-bench-'));
  const preload = join(scratch, 'maxrss.js');
  // peak RSS and CPU time (user + system) of the whole process, all threads included
  writeFileSync(preload, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('STABLE_LOSS_BENCH_MAXRSS=' + process.resourceUsage().maxRSS + ' CPU=' + (u.user + u.system) + '\\n'); });\n");
  try {
    // Stable Loss: the CLI, 1 thread and N threads, alternated (the machine may be shared: A/B in one run).
    const one: number[] = [];
    const many: number[] = [];
    const cpuOne: number[] = [];
    const cpuMany: number[] = [];
    let rssOne = NaN;
    let rssMany = NaN;
    let same = true;
    let findings = 0;
    for (let rep = 0; rep < (opts.reps ?? 2); rep++) {
      const a = runCli(dirs, cwd, 1, preload);
      const b = threads > 1 ? runCli(dirs, cwd, threads, preload) : a;
      one.push(a.seconds);
      many.push(b.seconds);
      cpuOne.push(a.cpu);
      cpuMany.push(b.cpu);
      rssOne = a.rssMiB;
      rssMany = b.rssMiB;
      same &&= a.stdout === b.stdout && a.code === 0 && b.code === 0;
      findings = (JSON.parse(a.stdout) as unknown[]).length;
    }
    const s1 = Math.min(...one);
    const sN = Math.min(...many);
    const cpu1 = Math.min(...cpuOne);
    const cpuN = Math.min(...cpuMany);
    rows.push({ name: 'Stable Loss CLI, 1 thread', value: rate(lines, s1), note: `${fmt(s1)} s wall (best of ${one.length}; ${one.map((x) => fmt(x, 1)).join(', ')}), ${fmt(cpu1, 1)} s CPU; peak RSS ${rssOne} MiB; ${findings} findings` });
    if (threads > 1) rows.push({ name: `Stable Loss CLI, ${threads} threads`, value: rate(lines, sN), note: `${fmt(sN)} s wall (${many.map((x) => fmt(x, 1)).join(', ')}), ${fmt(cpuN, 1)} s CPU (all threads); peak RSS ${rssMany} MiB; output ${same ? 'identical to' : 'DIFFERENT from'} 1 thread` });

    // Ruff-wasm: default rules, same files.
    let ruff1: number | undefined;
    let ruffCpu1 = NaN;
    let ruffN: { seconds: number; cpu: number } | undefined;
    let version = '';
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Workspace, PositionEncoding } = require(RUFF) as { Workspace: any; PositionEncoding: any };
      version = Workspace.version();
      const ws = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
      for (const t of texts.slice(0, 20)) ws.check(t);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (const t of texts) {
        try {
          ws.check(t);
        } catch {
          // a file Ruff cannot check still took its time
        }
      }
      ruff1 = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      ruffCpu1 = (c.user + c.system) / 1e6;
      if (threads > 1) ruffN = await ruffInWorkers(texts, threads);
    } catch (e) {
      rows.push({ name: 'Ruff-wasm', value: 'unavailable', note: String(e) });
    }
    if (ruff1 !== undefined) {
      rows.push({ name: `Ruff-wasm ${version}, 1 thread`, value: rate(lines, ruff1), note: `${fmt(ruff1)} s wall, ${fmt(ruffCpu1, 1)} s CPU; texts already in memory` });
      if (ruffN !== undefined) rows.push({ name: `Ruff-wasm ${version}, ${threads} worker threads`, value: rate(lines, ruffN.seconds), note: `${fmt(ruffN.seconds)} s wall, ${fmt(ruffN.cpu, 1)} s CPU` });
      rows.push({ name: 'ratio, 1 thread each', value: `${fmt(ruff1 / s1)}×`, note: `target ≥ 3×; by CPU time ${fmt(ruffCpu1 / cpu1)}× (robust on a shared machine)` });
      if (threads > 1) rows.push({ name: `ratio, Stable Loss ${threads} threads / Ruff-wasm 1 thread`, value: `${fmt(ruff1 / sN)}×`, note: 'the issue\'s comparison (Ruff\'s own CLI is multi-threaded, its wasm build is not)' });
      if (ruffN !== undefined) rows.push({ name: `ratio, ${threads} threads each`, value: `${fmt(ruffN.seconds / sN)}×`, note: `by CPU time ${fmt(ruffN.cpu / cpuN)}×` });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Run on its own only when this file is the entry script: bundled into build/bench/run.js, `require.main
// === module` is true there too, and this block would run beside the suite (a second engine and a
// concurrent measurement).
if (/[\\/]cli\.js$/.test(process.argv[1] ?? '')) {
  const args = process.argv.slice(2);
  const corpora = args.flatMap((a, i) => (args[i - 1] === '--corpus' ? [a] : []));
  const t = args.indexOf('--threads');
  const r = args.indexOf('--reps');
  const rows: Row[] = [];
  void cliThroughput(rows, { corpora, ...(t >= 0 ? { threads: Number(args[t + 1]) } : {}), ...(r >= 0 ? { reps: Number(args[r + 1]) } : {}) }).then(() => {
    for (const r of rows) process.stdout.write(`| ${r.name} | ${r.value} | ${r.note ?? ''} |\n`);
  });
}
