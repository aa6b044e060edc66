// `stable-loss check`: find files, check each with the engine, apply settings and `# noqa`, fix
// when asked, print in the chosen format. Exit 0 clean, 1 findings remain, 2 an error.
import { scriptLanguageOf } from '../../core/typescript/support';
import type { Engine } from '../../core/engine';
import { settingsFrom, type RuleSelection } from '../../core/config';
import type { AnalysisNote, Settings } from '../../core/types';
import { ConfigFileError, ConfigResolver, type LoadedConfig } from '../../node/config';
import { discoverFiles, displayPath, type DiscoveredFile } from '../../node/discover';
import { FileSystemProject } from '../../node/project';
import { decodeSource } from '../../node/read';
import { dirname, resolve } from 'node:path';
import { chooseStyle } from '../color';
import type { Command } from '../command';
import { countFindings, formatFindings, isDocumentFormat, summary, type FileResult } from '../format';
import { LineIndex } from '../../core/fix/text';
import type { Io } from '../io';
import { CHECK_HELP, parseCheckOptions, type CheckOptions } from './check-options';
import { isNotebook, isScript, type Mode } from './check-file';
import { checkInPool, reportFile, type FileReport } from './check-pool';
import { availableParallelism } from 'node:os';
import { VERSION } from '../version';

/** Extensions collected from folders: Python, Jupyter notebooks, and TypeScript/JavaScript (TensorFlow.js). */
export const CHECKED_EXTENSIONS = ['.py', '.ipynb', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** `needs.scripts`: whether TypeScript/JavaScript files are among those to check (the grammars they need). */
export type EngineFactory = (needs?: { scripts: boolean }) => Promise<Pick<Engine, 'check'>>;

export function checkCommand(createEngine: EngineFactory): Command {
  return {
    name: 'check',
    summary: 'Check files for unsafe cross-entropy code (and fix it)',
    help: CHECK_HELP,
    run: (argv, io) => runCheck(parseCheckOptions(argv), io, createEngine),
  };
}

export async function runCheck(opts: CheckOptions, io: Io, createEngine: EngineFactory): Promise<number> {
  if (opts.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  const warn = (msg: string) => io.err(`warning: ${msg}\n`);
  const error = (msg: string) => io.err(`error: ${msg}\n`);

  let configs: ConfigResolver;
  let discovered;
  const stdin = opts.paths.length === 1 && opts.paths[0] === '-';
  try {
    configs = new ConfigResolver(io.cwd, opts.config);
    discovered = stdin
      ? stdinFile(io, configs, opts.stdinFilename)
      : discoverFiles(opts.paths, {
      cwd: io.cwd,
      extensions: CHECKED_EXTENSIONS,
      configs,
      ...(opts.exclude ? { exclude: opts.exclude } : {}),
      ...(opts.extendExclude ? { extendExclude: opts.extendExclude } : {}),
      gitignore: opts.respectGitignore,
    });
  } catch (e) {
    if (e instanceof ConfigFileError) {
      error(`${displayPath(io.cwd, e.path)}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}: ${e.reason}`);
      return 2;
    }
    throw e;
  }
  for (const w of configs.warnings) warn(`${displayPath(io.cwd, w.path)}: ${w.message}`);
  let failed = false;
  for (const e of discovered.errors) {
    error(`${e.path}: ${e.reason}`);
    failed = true;
  }
  if (discovered.files.length === 0 && !failed) warn('no Python, notebook or TypeScript/JavaScript files found under the given paths');

  const cli: RuleSelection = {};
  if (opts.select) cli.select = opts.select;
  if (opts.extendSelect) cli.extendSelect = opts.extendSelect;
  if (opts.ignore) cli.ignore = opts.ignore;
  const settingsCache = new Map<LoadedConfig, Settings>();
  const settingsFor = (c: LoadedConfig): Settings => {
    let s = settingsCache.get(c);
    if (!s) settingsCache.set(c, (s = settingsFrom([c.config ?? {}, cli], c.config?.severity ?? {})));
    return s;
  };

  const mode: Mode = opts.addNoqa ? 'add-noqa' : opts.diff ? 'diff' : opts.fixOnly ? 'fix-only' : opts.fix ? 'fix' : 'check';
  const results: FileResult[] = [];
  const roots = [...new Set(discovered.files.map((f) => f.root))];
  let fixed = 0;
  let diffs = 0;
  let noqaAdded = 0;
  // Every Python file the run checks, with its settings: one imported by another is checked when first
  // imported, and analysed once (`ProjectHost.plannedCheck`). Not with stdin (its text is not the disk's).
  const planned = stdin ? undefined : new Map(discovered.files.filter((f) => !isScript(f.path) && !isNotebook(f.path)).map((f) => [f.path, settingsFor(f.config)]));
  const project = new FileSystemProject(roots, true, planned);
  // `check -`: the source comes from stdin; a fixed (or noqa'd) result goes to stdout.
  let stdinText: string | null = null;
  const stdinIo = stdin
    ? {
        read: () => {
          const src = decodeSource(io.readStdin());
          if (src.ok) stdinText = (src.bom ? '\ufeff' : '') + src.text;
          return src;
        },
        output: (text: string, bom: boolean) => {
          stdinText = (bom ? '\ufeff' : '') + text;
          return true;
        },
      }
    : {};
  const skipNoqa = (path: string) => isScript(path) || isNotebook(path);
  const handle = (file: DiscoveredFile, { outcome: o, noqaProblems }: FileReport) => {
    for (const w of o.warnings) warn(`${file.display}: ${w}`);
    for (const e of o.errors) error(`${file.display}: ${e}`);
    if (o.errors.length) failed = true;
    fixed += o.fixed;
    noqaAdded += o.noqaAdded;
    if (o.diff) {
      io.out(o.diff);
      diffs++;
    }
    if (!o.result) return;
    reportNotes(io, file, isNotebook(file.path) ? null : o.result.text, o.notes);
    for (const p of noqaProblems) io.err(`warning: ${file.display}:${p.line}: ${p.message}\n`);
    results.push(o.result);
  };
  const threads = stdin ? 1 : threadCount(opts.threads, discovered.files.length);
  // A large run checks on worker threads even with one thread: a worker gets a larger young
  // generation (YOUNG_GENERATION_MB in check-pool.ts), which the main thread cannot be given once
  // started; the main thread only prints.
  if (workerScript && (threads > 1 || (!stdin && discovered.files.length >= FILES_PER_THREAD))) {
    let i = 0;
    for await (const r of checkInPool(workerScript, threads, discovered.files, (f) => settingsFor(f.config), { roots, mode, unsafeFixes: opts.unsafeFixes })) handle(discovered.files[i++]!, r);
  } else {
    const engine = await createEngine({ scripts: discovered.files.some((f) => scriptLanguageOf(f.path) !== undefined) });
    for (const file of discovered.files) {
      handle(file, reportFile(file, { engine, settings: settingsFor(file.config), mode, unsafeFixes: opts.unsafeFixes, roots, project, ...stdinIo }, skipNoqa));
    }
  }

  // With stdin, the fixing modes print the resulting source on stdout, and the findings on stderr.
  const rewritesStdin = stdin && (mode === 'fix' || mode === 'fix-only' || mode === 'add-noqa');
  if (rewritesStdin && stdinText !== null) io.out(stdinText);
  const report = rewritesStdin ? io.err : io.out;
  const counts = countFindings(results, fixed, opts.unsafeFixes);
  const errors = (n: number) => (n === 1 ? '1 error' : `${n} errors`);
  if (mode === 'diff') {
    if (!opts.quiet) io.err(diffs ? `Would fix ${errors(fixed)}.\n` : 'No fixes available.\n');
    return failed ? 2 : diffs ? 1 : 0;
  }
  if (mode === 'fix-only') {
    if (!opts.quiet) io.err(fixed ? `Fixed ${errors(fixed)}.\n` : 'No fixes applied.\n');
    return failed ? 2 : 0;
  }
  if (mode === 'add-noqa') {
    if (!opts.quiet) io.err(`Added ${noqaAdded === 1 ? '1 noqa directive' : `${noqaAdded} noqa directives`}.\n`);
    return failed ? 2 : 0;
  }
  const style = chooseStyle(io, opts.color);
  const ctx = { cwd: io.cwd, style, unsafeFixes: opts.unsafeFixes, version: VERSION };
  if (counts.remaining > 0 || isDocumentFormat(opts.format)) report(formatFindings(opts.format, results, ctx));
  if (!opts.quiet && (opts.format === 'full' || opts.format === 'concise')) report(summary(counts, opts.fix));
  if (failed) return 2;
  return counts.remaining > 0 && !opts.exitZero ? 1 : 0;
}

/** `text` null: the notes' ranges are not in the file's text (a notebook's program); no position. */
/** The one "file" of `check -`: named by --stdin-filename (default stdin.py, shown as "-"). */
function stdinFile(io: Io, configs: ConfigResolver, name: string | undefined): { files: DiscoveredFile[]; errors: [] } {
  const path = resolve(io.cwd, name ?? 'stdin.py');
  return { files: [{ path, display: name ?? '-', root: io.cwd, explicit: true, config: configs.forDir(dirname(path)) }], errors: [] };
}

function reportNotes(io: Io, file: DiscoveredFile, text: string | null, notes: AnalysisNote[]): void {
  if (!notes.length) return;
  const idx = text === null ? null : new LineIndex(text);
  for (const n of notes) {
    const loc = idx && n.range ? idx.codePointLocation(n.range.startOffset) : null;
    const where = loc ? `:${loc.row}:${loc.column}` : '';
    io.err(`warning: ${file.display}${where}: ${n.message}\n`);
  }
}

/** The CLI bundle (dist/cli.js), set by its entry point: the body of the worker threads. */
let workerScript: string | undefined;
export function setCheckWorkerScript(path: string | undefined): void {
  workerScript = path;
}

/** Files per thread below which another thread costs more (start-up: ~0.2 s) than it saves. */
export const FILES_PER_THREAD = 200;

/** `--threads N` as given (never more than the files), or automatic: one per core, given enough files. */
export function threadCount(requested: number | undefined, files: number): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, files));
  return Math.max(1, Math.min(availableParallelism(), Math.floor(files / FILES_PER_THREAD)));
}
