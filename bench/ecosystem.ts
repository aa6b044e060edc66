// Ecosystem run (issue #8): the analysis over every Python file of the given folders (default:
// Debian's dist-packages), then the real CLI's `--fix --unsafe-fixes` over temporary copies of the
// files that have fixable findings, checking that no fixed file gained a parse error (tree-sitter,
// and CPython's own compiler through `/usr/bin/python3` + py_compile; a file the compiler rejected
// before the fix does not count). The originals are only read, never written.
//
//   npm run ecosystem -- [DIR ...] [--json out.json] [--md bench/ECOSYSTEM.md | --no-md] [--no-fix]
//
// Prints a summary table and every finding (for review); writes the summary to bench/ECOSYSTEM.md.
// Exit code 1 when a file crashed the engine, produced an internal error, or gained a parse error.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';
import { syntaxErrorCount } from '../src/core/parser';
import { readSource } from '../src/node/read';
import { pyFiles } from './corpus';

const PYTHON = '/usr/bin/python3';
const CLI = resolve(__dirname, '../../dist/cli.js');

interface Args {
  roots: string[];
  json?: string;
  md: string | null;
  fix: boolean;
}

function parseArgs(argv: string[]): Args {
  const roots: string[] = [];
  let json: string | undefined;
  let md: string | null = resolve(__dirname, '../../bench/ECOSYSTEM.md');
  let fix = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = argv[++i];
    else if (a === '--md') md = resolve(argv[++i] ?? '');
    else if (a === '--no-md') md = null;
    else if (a === '--no-fix') fix = false;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else roots.push(resolve(a));
  }
  return { roots: roots.length ? roots : ['/usr/lib/python3/dist-packages'], json, md, fix };
}

/** Number of ERROR / MISSING nodes tree-sitter finds. */
function syntaxErrors(engine: Engine, text: string): number {
  return syntaxErrorCount(engine.parsers, 'python', text);
}

/** py_compile over many files in one interpreter: path → null (compiles) or the error's first line. */
function pyCompile(paths: string[], scratch: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (!paths.length) return out;
  const list = join(scratch, 'compile-list.txt');
  writeFileSync(list, paths.join('\n'));
  const script = [
    'import json, os, py_compile, sys, tempfile',
    'res = {}',
    'd = tempfile.mkdtemp()',
    'for i, p in enumerate(open(sys.argv[1], encoding="utf-8").read().split("\\n")):',
    '    try:',
    '        py_compile.compile(p, cfile=os.path.join(d, "%d.pyc" % i), doraise=True)',
    '        res[p] = None',
    '    except py_compile.PyCompileError as e:',
    '        res[p] = (e.exc_type_name + ": " + str(e.exc_value)).splitlines()[0][:200]',
    '    except Exception as e:',
    '        res[p] = type(e).__name__ + ": " + str(e).splitlines()[0][:200]',
    'json.dump(res, sys.stdout)',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script, list], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${PYTHON} py_compile failed: ${r.stderr || r.error}`);
  for (const [p, v] of Object.entries(JSON.parse(r.stdout) as Record<string, string | null>)) out.set(p, v);
  return out;
}

interface FindingRow {
  file: string;
  line: number;
  code: string;
  fix: 'safe' | 'unsafe' | null;
  source: string;
}

interface FixRow {
  file: string;
  copy: string;
  original: string;
  changed: boolean;
  tsBefore: number;
  tsAfter: number;
  pyBefore: string | null;
  pyAfter: string | null;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const engine = await Engine.create(nodeWasmLoader());
  let files = 0;
  let lines = 0;
  let bytes = 0;
  let parsed = 0;
  let syntaxErrorFiles = 0;
  let skipped = 0;
  let limitNotes = 0;
  const crashes: string[] = [];
  const internal: string[] = [];
  const findings: FindingRow[] = [];
  const fixable = new Set<string>();
  const slowest: { file: string; ms: number; lines: number }[] = [];
  const started = new Date();
  const load0 = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const root of args.roots) {
    for (const file of pyFiles(root)) {
      const src = readSource(file);
      if (!src.ok) {
        skipped++;
        continue;
      }
      const text = src.text;
      files++;
      bytes += text.length;
      let n = 1;
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
      if (text.endsWith('\n')) n--;
      lines += n;
      const s = performance.now();
      try {
        const r = engine.check(text, { path: file });
        if (r.parsed) parsed++;
        for (const note of r.notes) {
          if (note.kind === 'internal-error') internal.push(`${file}: ${note.message}`);
          else if (note.kind === 'syntax-error') syntaxErrorFiles++;
          else if (note.kind === 'limit') limitNotes++;
        }
        let lineTexts: string[] | undefined;
        for (const f of r.findings) {
          lineTexts ??= text.split(/\r\n|\r|\n/);
          findings.push({ file, line: f.range.start.line + 1, code: f.code, fix: f.fix ? f.fix.applicability : null, source: (lineTexts[f.range.start.line] ?? '').trim() });
          if (f.fix) fixable.add(file);
        }
      } catch (e) {
        crashes.push(`${file}: ${e instanceof Error ? e.stack : String(e)}`);
      }
      const ms = performance.now() - s;
      if (slowest.length < 5 || ms > slowest[slowest.length - 1]!.ms) {
        slowest.push({ file, ms, lines: n });
        slowest.sort((a, b) => b.ms - a.ms);
        slowest.length = Math.min(slowest.length, 5);
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const load1 = loadavg()[0]!;

  // ---- fixes on temporary copies --------------------------------------------------------------
  const fixRows: FixRow[] = [];
  let fixSeconds = 0;
  let cliFixed = 0;
  let cliExit: number | null = null;
  let cliStderr = '';
  if (args.fix && fixable.size) {
    const scratch = mkdtempSync(join(tmpdir(), 'stable-loss-ecosystem-'));
    try {
      const fixedDir = join(scratch, 'fixed');
      const origDir = join(scratch, 'orig');
      mkdirSync(fixedDir);
      mkdirSync(origDir);
      [...fixable].sort().forEach((file, i) => {
        const name = `${String(i).padStart(4, '0')}_${basename(file)}`;
        copyFileSync(file, join(fixedDir, name));
        copyFileSync(file, join(origDir, name));
        fixRows.push({ file, copy: join(fixedDir, name), original: join(origDir, name), changed: false, tsBefore: 0, tsAfter: 0, pyBefore: null, pyAfter: null });
      });
      const f0 = performance.now();
      const r = spawnSync(process.execPath, [CLI, 'check', '--fix', '--unsafe-fixes', '--output-format', 'concise', '.'], { cwd: fixedDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      fixSeconds = (performance.now() - f0) / 1000;
      cliExit = r.status;
      cliStderr = r.stderr;
      const m = /\((\d+) fixed, \d+ remaining\)/.exec(r.stdout + r.stderr);
      cliFixed = m ? Number(m[1]) : 0;
      const compiled = pyCompile(fixRows.flatMap((row) => [row.original, row.copy]), scratch);
      for (const row of fixRows) {
        const before = readFileSync(row.original, 'utf8');
        const after = readFileSync(row.copy, 'utf8');
        row.changed = before !== after;
        row.tsBefore = syntaxErrors(engine, before);
        row.tsAfter = syntaxErrors(engine, after);
        row.pyBefore = compiled.get(row.original) ?? null;
        row.pyAfter = compiled.get(row.copy) ?? null;
      }
      // The originals were only copied: prove it (same size and content as the copies' sources).
      for (const row of fixRows) {
        if (readFileSync(row.file, 'utf8') !== readFileSync(row.original, 'utf8')) throw new Error(`${row.file} changed during the run`);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const changed = fixRows.filter((r) => r.changed);
  const tsGained = fixRows.filter((r) => r.tsAfter > r.tsBefore);
  const pyGained = fixRows.filter((r) => r.pyBefore === null && r.pyAfter !== null);
  const pyBrokenBefore = fixRows.filter((r) => r.pyBefore !== null);

  const byCode = new Map<string, { n: number; safe: number; unsafe: number }>();
  for (const f of findings) {
    const c = byCode.get(f.code) ?? { n: 0, safe: 0, unsafe: 0 };
    c.n++;
    if (f.fix) c[f.fix]++;
    byCode.set(f.code, c);
  }
  const summary = {
    date: started.toISOString(),
    machine: `${cpus()[0]?.model ?? '?'} ×${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}, Node ${process.version}`,
    roots: args.roots,
    files,
    skipped,
    lines,
    mbytes: +(bytes / 1e6).toFixed(1),
    parsed,
    syntaxErrorFiles,
    limitNotes,
    crashes: crashes.length,
    internalErrors: internal.length,
    findings: findings.length,
    filesWithFindings: new Set(findings.map((f) => f.file)).size,
    filesWithFixes: fixable.size,
    seconds: +seconds.toFixed(2),
    cpuSeconds: +cpuSeconds.toFixed(2),
    loadAverage: [+load0.toFixed(1), +load1.toFixed(1)],
    linesPerSecond: Math.round(lines / seconds),
    linesPerCpuSecond: Math.round(lines / cpuSeconds),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    fix: args.fix
      ? { cliExit, fixesApplied: cliFixed, filesChanged: changed.length, seconds: +fixSeconds.toFixed(2), treeSitterGained: tsGained.length, pyCompileGained: pyGained.length, notCompilingBefore: pyBrokenBefore.length }
      : null,
  };

  const table: [string, string][] = [
    ['files (parsed after prefilter)', `${files.toLocaleString('en-US')} (${parsed.toLocaleString('en-US')})`],
    ['lines', lines.toLocaleString('en-US')],
    ['time (wall; CPU of this process)', `${summary.seconds} s; ${summary.cpuSeconds} s`],
    ['lines/s (wall; per CPU second)', `${summary.linesPerSecond.toLocaleString('en-US')}; ${summary.linesPerCpuSecond.toLocaleString('en-US')}`],
    ['1-minute load average (start, end)', `${summary.loadAverage[0]}, ${summary.loadAverage[1]} on ${cpus().length} CPUs`],
    ['peak RSS', `${summary.peakRssMiB} MiB`],
    ['crashes', String(crashes.length)],
    ['internal errors', String(internal.length)],
    ['files with a syntax-error note', String(syntaxErrorFiles)],
    ['unreadable/skipped files', String(skipped)],
    ['findings (files)', `${findings.length} (${summary.filesWithFindings})`],
  ];
  if (summary.fix) {
    table.push(
      ['files with fixable findings', String(fixable.size)],
      ['`--fix --unsafe-fixes`: fixes applied (files changed)', `${cliFixed} (${changed.length}), exit ${cliExit}, ${summary.fix.seconds} s`],
      ['files that gained a tree-sitter error', String(tsGained.length)],
      ['files that gained a py_compile error', `${pyGained.length} (${pyBrokenBefore.length} did not compile before; not counted)`],
    );
  }
  const tableText = table.map(([k, v]) => `${k.padEnd(56)} ${v}`).join('\n');
  console.log(tableText);
  for (const c of crashes) console.log(`CRASH ${c}`);
  for (const i of internal) console.log(`INTERNAL ${i}`);
  for (const r of tsGained) console.log(`GAINED tree-sitter errors ${r.tsBefore} -> ${r.tsAfter}: ${r.file}`);
  for (const r of pyGained) console.log(`GAINED py_compile error: ${r.file}: ${r.pyAfter}`);
  if (cliExit !== null && cliExit > 1) console.log(`CLI exit ${cliExit}: ${cliStderr.trim()}`);
  for (const f of findings) console.log(`${f.file}:${f.line}: ${f.code} [fix:${f.fix ?? '-'}] ${f.source}`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ summary, findings, crashes, internal, fixes: fixRows }, null, 2));

  if (args.md) {
    const md: string[] = [
      '# Ecosystem run',
      '',
      `Generated by \`npm run ecosystem\` (bench/ecosystem.ts) on ${summary.date} — do not edit by hand.`,
      '',
      `Machine: ${summary.machine}.`,
      `Roots: ${args.roots.map((r) => `\`${r}\``).join(', ')}.`,
      '',
      '| measure | value |',
      '|---|---|',
      ...table.map(([k, v]) => `| ${k} | ${v} |`),
      '',
      '## Findings by rule',
      '',
      '| rule | findings | safe fix | unsafe fix |',
      '|---|---|---|---|',
      ...[...byCode].sort(([a], [b]) => a.localeCompare(b)).map(([code, c]) => `| ${code} | ${c.n} | ${c.safe} | ${c.unsafe} |`),
      '',
      '## Slowest files',
      '',
      '| file | lines | ms |',
      '|---|---|---|',
      ...slowest.map((s) => `| \`${s.file}\` | ${s.lines} | ${s.ms.toFixed(0)} |`),
      '',
      '## Method',
      '',
      '- Every `.py` file under the roots is read as the CLI reads it (BOM stripped; binary, invalid UTF-8 and files over 10 MB skipped) and checked with the default settings. A crash is an exception out of `Engine.check`; an internal error is an `internal-error` note.',
      '- Files with at least one fixable finding are copied to a temporary folder and fixed there by `node dist/cli.js check --fix --unsafe-fixes`; the originals are only read.',
      '- Each fixed copy is compared with its original: tree-sitter ERROR/MISSING node counts, and `py_compile` with `/usr/bin/python3` (a file that did not compile before the fix is not counted).',
      '',
    ];
    if (crashes.length || internal.length || tsGained.length || pyGained.length) {
      md.push('## Problems', '', ...crashes.map((c) => `- crash: ${c.split('\n')[0]}`), ...internal.map((i) => `- internal: ${i}`), ...tsGained.map((r) => `- gained a tree-sitter error: \`${r.file}\``), ...pyGained.map((r) => `- gained a py_compile error: \`${r.file}\`: ${r.pyAfter}`), '');
    }
    writeFileSync(args.md, md.join('\n'));
    console.log(`wrote ${args.md}`);
  }
  if (crashes.length || internal.length || tsGained.length || pyGained.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exitCode = 2;
});
