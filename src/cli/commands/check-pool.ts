// `stable-loss check --threads N`: the files are checked by N worker threads, each with its own
// engine and project index, in contiguous batches (neighbouring files share imports, so one worker
// analyses a package's modules once). The workers return what the single-threaded loop would have
// computed for each file (`checkFile` + the `# noqa` problems), and the caller prints the outcomes
// in the files' order: the output is the same as with one thread.
//
// The worker is the CLI bundle itself (dist/cli.js) started with `workerData.stableLossCheck`.
import { Worker } from 'node:worker_threads';
import type { Settings } from '../../core/types';
import type { DiscoveredFile } from '../../node/discover';
import { FileSystemProject } from '../../node/project';
import { scriptLanguageOf } from '../../core/typescript/support';
import type { Engine } from '../../core/engine';
import { checkFile, isNotebook, type FileOutcome, type Mode } from './check-file';
import { NoqaIndex } from '../../core/noqa';
import { catalogue } from '../../core/rules/catalogue';

const KNOWN_CODES = new Set<string>(catalogue.map((r) => r.code));

/** What the caller prints for one file: the outcome and the `# noqa` problems of its text. */
export interface FileReport {
  outcome: FileOutcome;
  /** `line: message` pairs (1-based lines), only for Python files that were checked. */
  noqaProblems: { line: number; message: string }[];
}

/** A file as the workers need it (a DiscoveredFile without its config, which the settings replace). */
interface Job {
  path: string;
  display: string;
  root: string;
  explicit: boolean;
  settings: number;
}

export interface PoolData {
  stableLossCheck: true;
  /** TypeScript/JavaScript files are among those to check (the workers load their grammars). */
  scripts: boolean;
  roots: readonly string[];
  mode: Mode;
  unsafeFixes: boolean;
  settings: Settings[];
  /**
   * The Python files of this worker's share of the batches and their settings (indexes into
   * `settings`): `ProjectHost.plannedCheck`. Its own share only: a file another worker checks would be
   * checked twice if this one checked it when first imported.
   */
  planned: [path: string, settings: number][];
}

/**
 * The young generation of each checking thread. Lowering and analysing a module allocate millions of
 * short-lived objects that outlive V8's default 16 MiB semi-spaces (a module's IR lives until its
 * analysis ends) and get copied and promoted; 64 MiB semi-spaces (3 × 64 MiB young generation)
 * halved the garbage collector's share of `check` over dist-packages (17 % → 9 % of the profile).
 */
export const YOUNG_GENERATION_MB = 192;

type ToWorker = { batch: number; jobs: { i: number; job: Job }[] } | { stop: true };
/** A batch's reports come in one message when the batch is done (a message per file cost ~0.5 s over dist-packages). */
type FromWorker = { done: number; reports: { i: number; report: FileReport }[] } | { fatal: string };

/** The `# noqa` directive problems of a Python file's text (what `check` warns about). */
export function noqaProblems(path: string, text: string, isScriptOrNotebook: boolean): FileReport['noqaProblems'] {
  void path;
  if (isScriptOrNotebook) return [];
  const idx = NoqaIndex.build(text);
  return [...idx.problems, ...idx.unknownCodes(KNOWN_CODES)].map((p) => ({ line: p.line + 1, message: p.message }));
}

/** One file, as both the single-threaded loop and the workers do it. */
export function reportFile(file: DiscoveredFile | Job, ctx: Parameters<typeof checkFile>[1], skipNoqa: (path: string) => boolean): FileReport {
  const outcome = checkFile(file as DiscoveredFile, ctx);
  const report = { outcome, noqaProblems: outcome.result ? noqaProblems(file.path, outcome.result.text, skipNoqa(file.path)) : [] };
  // The formatters and the notes read a text only where a finding or a note points: without either
  // the text is not kept (nor copied from a worker thread to the main thread: 100 MB over dist-packages).
  const r = outcome.result;
  if (r && !r.findings.length && !outcome.notes.length) outcome.result = { ...r, text: '', ...(r.cells ? { cells: [] } : {}) };
  return report;
}

/**
 * Checks `files` on `threads` workers started from `script`; yields the reports in the files' order
 * as soon as each batch is done (a report waits only for its batch and the files before it).
 */
export async function* checkInPool(
  script: string,
  threads: number,
  files: readonly DiscoveredFile[],
  settingsOf: (f: DiscoveredFile) => Settings,
  data: Omit<PoolData, 'stableLossCheck' | 'settings' | 'scripts' | 'planned'>,
): AsyncGenerator<FileReport> {
  const settings: Settings[] = [];
  const index = new Map<Settings, number>();
  const jobs: Job[] = files.map((f) => {
    const s = settingsOf(f);
    let i = index.get(s);
    if (i === undefined) {
      index.set(s, (i = settings.length));
      settings.push(s);
    }
    return { path: f.path, display: f.display, root: f.root, explicit: f.explicit, settings: i };
  });
  // Contiguous batches: small enough to balance the load, big enough to keep a package together.
  const size = Math.max(4, Math.min(32, Math.ceil(jobs.length / (threads * 8))));
  const batches: { i: number; job: Job }[][] = [];
  for (let s = 0; s < jobs.length; s += size) batches.push(jobs.slice(s, s + size).map((job, k) => ({ i: s + k, job })));

  const reports: (FileReport | undefined)[] = new Array(jobs.length);
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const workers: Worker[] = [];
  let stopping = false;
  const poolData: Omit<PoolData, 'planned'> = { ...data, stableLossCheck: true, settings, scripts: files.some((f) => scriptLanguageOf(f.path) !== undefined) };
  // Each worker owns a contiguous share of the batches and takes them from the front; when its share
  // is done it takes from the back of the largest share left. A worker thus stays in one part of the
  // tree (one package's imports analysed by one project index) and no worker idles while work is left.
  const shares = Array.from({ length: threads }, (_, k) => ({ next: Math.floor((k * batches.length) / threads), end: Math.floor(((k + 1) * batches.length) / threads) }));
  const give = (w: Worker, k: number) => {
    let b: number | undefined;
    const own = shares[k]!;
    if (own.next < own.end) b = own.next++;
    else {
      const other = shares.reduce((a, x) => (x.end - x.next > a.end - a.next ? x : a));
      if (other.next < other.end) b = --other.end;
    }
    if (b !== undefined) w.postMessage({ batch: b, jobs: batches[b]! } satisfies ToWorker);
  };
  for (let t = 0; t < threads; t++) {
    const share = batches.slice(shares[t]!.next, shares[t]!.end).flat();
    const planned = share.flatMap(({ job: j }): [string, number][] => (scriptLanguageOf(j.path) === undefined && !isNotebook(j.path) ? [[j.path, j.settings]] : []));
    const w = new Worker(script, { workerData: { ...poolData, planned } satisfies PoolData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    workers.push(w);
    w.on('message', (m: FromWorker) => {
      if ('done' in m) {
        for (const { i, report } of m.reports) reports[i] = report;
        notify();
        give(w, t);
      } else {
        failure ??= new Error(m.fatal);
        notify();
      }
    });
    w.on('error', (e) => {
      failure ??= e instanceof Error ? e : new Error(String(e));
      notify();
    });
    w.on('exit', (code) => {
      if (code !== 0 && !stopping) {
        failure ??= new Error(`a checking thread exited with code ${code}`);
        notify();
      }
    });
  }
  try {
    workers.forEach((w, k) => {
      give(w, k);
      give(w, k); // two batches in flight per worker: no idle gap between batches
    });
    for (let i = 0; i < jobs.length; i++) {
      while (reports[i] === undefined) {
        if (failure) throw failure;
        await new Promise<void>((r) => (wake = r));
      }
      const r = reports[i]!;
      reports[i] = undefined;
      yield r;
    }
  } finally {
    stopping = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The worker side: an engine and a project index for this thread, then batches until stopped. */
export async function runPoolWorker(data: PoolData, port: { postMessage(m: FromWorker): void; on(ev: 'message', f: (m: ToWorker) => void): void }, createEngine: () => Promise<Pick<Engine, 'check'>>, skipNoqa: (path: string) => boolean): Promise<void> {
  let engine: Pick<Engine, 'check'>;
  try {
    engine = await createEngine();
  } catch (e) {
    port.postMessage({ fatal: e instanceof Error ? e.message : String(e) });
    return;
  }
  const project = new FileSystemProject(data.roots, true, new Map(data.planned.map(([path, s]) => [path, data.settings[s]!])));
  port.on('message', (m) => {
    if ('stop' in m) return;
    const reports = m.jobs.map(({ i, job }) => ({ i, report: reportFile(job, { engine, settings: data.settings[job.settings]!, mode: data.mode, unsafeFixes: data.unsafeFixes, roots: data.roots, project }, skipNoqa) }));
    port.postMessage({ done: m.batch, reports });
  });
}
