// The worker side of the protocol: keeps a copy of each open document (text + tree, updated from
// VS Code's content changes), answers check / fixAll / evaluate requests with the core engine, and
// checks the code cells of a notebook as one program. Runs wherever it is given an Engine and a
// `post` function: in a worker_threads worker, a Web Worker, or in-process (tests, benchmarks).
// No vscode, no Node: the Node-only project index comes in through `ServerOptions.projectFor`; where
// the host reads the files (`CheckParams.files`), the index runs over a map of what it sent (fileMap.ts).
import type { Engine } from '../../core';
import type { ProjectHost } from '../../core/analysis/project';
import { grammarOf } from '../../core/engine';
import { fixAll } from '../../core/fix/apply';
import { LineIndex } from '../../core/fix/text';
import { cellAt, notebookProgram, type Notebook, type NotebookProgram } from '../../core/notebook';
import type { CheckResult, Finding, Range } from '../../core/types';
import type { GrammarName, SyntaxTree } from '../../core/parser';
import type { EditSession } from '../../core/incremental';
import { minimalEdit } from '../fixes';
import { IncrementalText } from './document';
import { FileMap } from './fileMap';
import type { CheckAnswer, CheckParams, EvaluateAnswer, FixAllAnswer, HostMessage, RequestMessage, Target, WireFinding, WorkerMessage } from './protocol';

/** What the server needs of the core's Engine (the real one, or a test double without trees or hover). */
export type ServerEngine = Pick<Engine, 'check'> & Partial<Pick<Engine, 'evaluate' | 'parsers' | 'hasGrammar' | 'ensureGrammar'>>;

export interface ServerOptions {
  /** The project's other files for a Python file on disk (Node worker only); `openText` gives open documents' current text. */
  projectFor?: (roots: string[], openText: (path: string) => string | undefined) => ProjectHost | undefined;
  /** How queued requests are run later (after the messages already sent have arrived); setTimeout(0) by default. */
  later?: (f: () => void) => void;
}

interface OpenDoc {
  version: number;
  language: string;
  path?: string;
  text: IncrementalText;
  /** A change did not fit the text (a lost change): the host must send the text again. */
  desynced: boolean;
}

/** One code cell in the notebook program. */
interface ProgramCell {
  uri: string;
  version: number;
  /** The cell's index in the notebook (all cells), for messages. */
  index?: number;
  start: number;
  length: number;
  /** The cell's own text (the program has its magics blanked). */
  source: string;
}

interface Program {
  text: string;
  cells: ProgramCell[];
  incremental: IncrementalText;
}

class Stale {
  constructor(readonly resyncUri?: string) {}
}

export class AnalysisServer {
  private readonly docs = new Map<string, OpenDoc>();
  /** Texts arriving in pieces: the open message and the parts so far. */
  private readonly incoming = new Map<string, { open: Extract<HostMessage, { t: 'open' }>; parts: string[] }>();
  private readonly programs = new Map<string, IncrementalText>();
  /** Files the host read for the project index (`files` messages). */
  private readonly files = new FileMap();
  private readonly queue: RequestMessage[] = [];
  private readonly cancelled = new Set<number>();
  /** The last check of each target, reused by fixAll and repeated checks of the same version. */
  private readonly lastCheck = new Map<string, { key: string; answer: CheckAnswer; program?: Program; result: Finding[] }>();
  private scheduled = false;
  private readonly later: (f: () => void) => void;

  constructor(
    private readonly engine: ServerEngine,
    private readonly post: (m: WorkerMessage) => void,
    private readonly options: ServerOptions = {},
  ) {
    this.later = options.later ?? ((f) => void setTimeout(f, 0));
  }

  /** Handles one message from the host: document updates at once, requests queued (newest version wins). */
  receive(m: HostMessage): void {
    switch (m.t) {
      case 'init':
        return;
      case 'open': {
        this.docs.get(m.uri)?.text.dispose();
        this.docs.delete(m.uri);
        if (m.partial) {
          this.incoming.set(m.uri, { open: m, parts: [m.text] });
          return;
        }
        this.incoming.delete(m.uri);
        this.docs.set(m.uri, { version: m.version, language: m.language, path: m.path, text: new IncrementalText(m.text, grammarOf({ language: m.language, path: m.path })), desynced: false });
        return;
      }
      case 'append': {
        const inc = this.incoming.get(m.uri);
        if (!inc) return;
        inc.parts.push(m.text);
        if (m.done) this.receive({ ...inc.open, text: inc.parts.join(''), partial: false });
        return;
      }
      case 'change': {
        const d = this.docs.get(m.uri);
        if (!d) return;
        try {
          if (!d.desynced) for (const c of m.changes) d.text.applyChange(c);
        } catch {
          d.desynced = true;
        }
        if (d.text.text.length !== m.length) d.desynced = true;
        d.version = m.version;
        return;
      }
      case 'close': {
        this.incoming.delete(m.uri);
        this.docs.get(m.uri)?.text.dispose();
        this.docs.delete(m.uri);
        this.lastCheck.delete(m.uri);
        return;
      }
      case 'cancel':
        this.cancelled.add(m.id);
        return;
      case 'files':
        if (m.drop) this.files.drop(m.drop);
        if (m.set) this.files.set(m.set);
        return;
      default:
        this.queue.push(m);
        this.schedule();
    }
  }

  /** Open documents, for tests. */
  document(uri: string): { version: number; text: string; stats: IncrementalText['stats'] } | undefined {
    const d = this.docs.get(uri);
    return d && { version: d.version, text: d.text.text, stats: d.text.stats };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.later(() => {
      this.scheduled = false;
      const next = this.queue.shift();
      if (next) this.run(next);
      if (this.queue.length) this.schedule();
    });
  }

  /** Runs one request now and posts its answer. */
  run(req: RequestMessage): void {
    if (this.cancelled.delete(req.id)) return this.post({ t: 'stale', id: req.id });
    const grammar = this.grammarFor(req);
    if (this.engine.hasGrammar && this.engine.ensureGrammar && !this.engine.hasGrammar(grammar)) {
      // A lazily created engine (serve.ts) loads a grammar when a document first needs it; the
      // request runs once it is loaded, first in the queue, while other requests go on meanwhile.
      this.engine.ensureGrammar(grammar).then(
        () => {
          this.queue.unshift(req);
          this.schedule();
        },
        (e: unknown) => this.post({ t: 'failed', id: req.id, message: `the ${grammar} grammar could not be loaded: ${e instanceof Error ? e.message : String(e)}` }),
      );
      return;
    }
    this.post({ t: 'busy', id: req.id });
    try {
      const value = req.t === 'check' ? this.check(req) : req.t === 'fixAll' ? this.fixAll(req, req.unsafe) : this.evaluate(req.target, req.offset);
      this.post({ t: 'done', id: req.id, value });
    } catch (e) {
      if (e instanceof Stale) this.post(e.resyncUri ? { t: 'resync', id: req.id, uri: e.resyncUri } : { t: 'stale', id: req.id });
      else this.post({ t: 'failed', id: req.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }

  /** The grammar a request parses with: Python for notebooks and hovers, else its document's. */
  private grammarFor(req: RequestMessage): GrammarName {
    if (req.t === 'evaluate' || req.target.notebook) return 'python';
    return this.docs.get(req.target.uri)?.text.grammar ?? grammarOf({ language: req.language, path: req.path });
  }

  // ---- documents and notebook programs -----------------------------------------------------------

  /** The document at exactly `version`; Stale when a newer one arrived, a resync when the copy is missing or broken. */
  private doc(uri: string, version: number): OpenDoc {
    const d = this.docs.get(uri);
    if (!d || d.desynced || d.version < version) throw new Stale(uri);
    if (d.version > version) throw new Stale();
    return d;
  }

  private program(target: Target): Program {
    const nb = target.notebook!;
    const cells = nb.cells.map((c) => ({ ref: c, doc: this.doc(c.uri, c.version) }));
    const notebook: Notebook = { cells: cells.map((c, index) => ({ index, kind: 'code', source: c.doc.text.text, sourceSpan: { start: 0, end: 0 }, sourceIsArray: false })) };
    const p: NotebookProgram = notebookProgram(notebook);
    let incremental = this.programs.get(nb.uri);
    if (!incremental) this.programs.set(nb.uri, (incremental = new IncrementalText(p.text, 'python')));
    else incremental.setText(p.text);
    return {
      text: p.text,
      incremental,
      cells: p.cells.map((c) => ({ uri: cells[c.index].ref.uri, version: cells[c.index].ref.version, index: cells[c.index].ref.index, start: c.start, length: c.length, source: cells[c.index].doc.text.text })),
    };
  }

  // ---- check -----------------------------------------------------------------------------------

  private check(p: CheckParams): CheckAnswer {
    const started = now();
    const key = checkKey(p);
    // A check that reads other files (the project index) is never reused: those files may have changed.
    const last = p.roots || p.files ? undefined : this.lastCheck.get(p.target.uri);
    if (p.target.notebook) {
      const program = this.program(p.target);
      if (last?.key === key) return { ...last.answer, parse: 'reused', ms: now() - started };
      const before = { ...program.incremental.stats };
      const checks = program.incremental.session.stats.checks;
      const r = this.engine.check(program.text, { path: p.path, language: 'python', settings: p.settings, ...this.projectOf(p), ...this.treeOf(program.incremental) });
      const answer: CheckAnswer = { files: inCells(program, r.findings), notes: r.notes, parse: parseKind(before, program.incremental.stats), ...analysisKind(checks, program.incremental.session), ms: 0 };
      answer.ms = now() - started;
      for (const c of program.cells) this.lastCheck.set(c.uri, { key, answer, program, result: r.findings });
      return answer;
    }
    const d = this.doc(p.target.uri, p.target.version);
    if (last?.key === key) return { ...last.answer, parse: 'reused', ms: now() - started };
    const before = { ...d.text.stats };
    const checks = d.text.session.stats.checks;
    const wanted = new Set<string>();
    const r = this.checkText(d.text.text, p, this.treeOf(d.text), wanted);
    const answer: CheckAnswer = { files: [{ uri: p.target.uri, version: d.version, findings: r.findings }], notes: r.notes, parse: parseKind(before, d.text.stats), ...analysisKind(checks, d.text.session), ms: 0 };
    if (wanted.size) answer.wanted = [...wanted];
    answer.ms = now() - started;
    this.lastCheck.set(p.target.uri, { key, answer, result: r.findings });
    return answer;
  }

  /** The `tree` option for a document's text, when the engine parses with tree-sitter. */
  private treeOf(t: IncrementalText): { tree?: () => SyntaxTree; session?: EditSession } {
    const parsers = this.engine.parsers;
    return parsers ? { tree: () => t.tree(parsers), session: t.session } : {};
  }

  private checkText(text: string, p: CheckParams, incremental: { tree?: () => SyntaxTree; session?: EditSession } = {}, wanted?: Set<string>): CheckResult {
    if (p.files && p.language === 'python') {
      const project = this.files.project(p.files, (path) => this.openText(path));
      const r = this.engine.check(text, { path: p.files.path, language: p.language, settings: p.settings, project, ...incremental });
      for (const w of project.wanted) wanted?.add(w);
      return r;
    }
    return this.engine.check(text, { path: p.path, language: p.language, settings: p.settings, ...this.projectOf(p), ...incremental });
  }

  /** The project index over files on disk (the desktop worker), for a Python document or notebook with roots. */
  private projectOf(p: CheckParams): { project?: ProjectHost } {
    const project = p.roots && p.path !== undefined && p.language === 'python' ? this.options.projectFor?.(p.roots, (path) => this.openText(path)) : undefined;
    return project ? { project } : {};
  }

  private openText(path: string): string | undefined {
    for (const d of this.docs.values()) if (d.path === path && !d.desynced) return d.text.text;
    return undefined;
  }

  // ---- fix all ---------------------------------------------------------------------------------

  private fixAll(p: CheckParams, unsafe: boolean): FixAllAnswer {
    const first = this.check(p).files.find((f) => f.uri === p.target.uri)?.findings ?? [];
    if (p.target.notebook) {
      const program = this.program(p.target);
      const i = program.cells.findIndex((c) => c.uri === p.target.uri);
      if (i < 0) return { edit: null, applied: 0, passes: 0, converged: true };
      const original = program.cells[i].source;
      const lint = (t: string): Finding[] => {
        if (t === original) return first as Finding[];
        const nb: Notebook = { cells: program.cells.map((c, index) => ({ index, kind: 'code', source: index === i ? t : c.source, sourceSpan: { start: 0, end: 0 }, sourceIsArray: false })) };
        const np = notebookProgram(nb);
        const prog: Program = { text: np.text, incremental: program.incremental, cells: np.cells.map((c) => ({ ...program.cells[c.index], start: c.start, length: c.length, source: nb.cells[c.index].source })) };
        const r = this.engine.check(np.text, { path: p.path, language: 'python', settings: p.settings, ...this.projectOf(p) });
        return (inCells(prog, r.findings).find((f) => f.uri === p.target.uri)?.findings ?? []) as Finding[];
      };
      return fixAnswer(original, lint, unsafe);
    }
    const d = this.doc(p.target.uri, p.target.version);
    const text = d.text.text;
    return fixAnswer(text, (t) => (t === text ? (first as Finding[]) : this.checkText(t, p).findings), unsafe);
  }

  // ---- evaluate --------------------------------------------------------------------------------

  private evaluate(target: Target, offset: number): EvaluateAnswer {
    if (target.notebook) {
      const program = this.program(target);
      const cell = program.cells.find((c) => c.uri === target.uri);
      if (!cell) return { error: 'not a code cell of the notebook' };
      if (!this.engine.evaluate) return { error: 'this engine does not evaluate' };
      // (The engine keeps its own model of the last text evaluated: hovering around reuses it.)
      const r = this.engine.evaluate(program.text, cell.start + Math.min(offset, cell.length));
      const span = r.span && r.span.s >= cell.start && r.span.e <= cell.start + cell.length ? { s: r.span.s - cell.start, e: r.span.e - cell.start } : undefined;
      return { ...('markdown' in r ? { markdown: r.markdown } : {}), ...('error' in r ? { error: r.error } : {}), ...(span ? { span } : {}) };
    }
    const d = this.doc(target.uri, target.version);
    if (d.text.grammar !== 'python') return { error: 'only Python is evaluated' };
    if (!this.engine.evaluate) return { error: 'this engine does not evaluate' };
    const r = this.engine.evaluate(d.text.text, offset);
    return { ...('markdown' in r ? { markdown: r.markdown } : {}), ...('error' in r ? { error: r.error } : {}), ...(r.span ? { span: r.span } : {}) };
  }
}

function fixAnswer(text: string, lint: (t: string) => Finding[], unsafe: boolean): FixAllAnswer {
  const r = fixAll(text, lint, { unsafe });
  const e = minimalEdit(text, r.text);
  return { edit: e && { start: e.start, end: e.end, content: e.content }, applied: r.applied, passes: r.passes, converged: r.converged };
}

/** The program's findings located in their cells: ranges, fix edits and related locations in cell coordinates. */
function inCells(program: Program, findings: readonly Finding[]): CheckAnswer['files'] {
  const files = program.cells.map((c) => ({ uri: c.uri, version: c.version, findings: [] as WireFinding[] }));
  const np: NotebookProgram = { text: program.text, cells: program.cells.map((c, index) => ({ index, start: c.start, length: c.length })) };
  const indexes = new Map<number, LineIndex>();
  const lines = (i: number): LineIndex => {
    let li = indexes.get(i);
    if (!li) indexes.set(i, (li = new LineIndex(program.cells[i].source)));
    return li;
  };
  const locate = (r: Range): { cell: number; range: Range } | undefined => {
    const at = cellAt(np, r.startOffset);
    if (!at) return undefined;
    const c = program.cells[at.index];
    const s = r.startOffset - c.start;
    const e = Math.min(r.endOffset - c.start, c.length);
    return { cell: at.index, range: lines(at.index).rangeOf(s, Math.max(s, e)) };
  };
  for (const f of findings) {
    const at = locate(f.range);
    if (!at) continue;
    const cell = program.cells[at.cell];
    // A fix is kept only when all its edits are inside this cell and touch no blanked magic.
    const fixEdits = f.fix?.edits.map((e) => {
      const s = e.range.startOffset - cell.start;
      const en = e.range.endOffset - cell.start;
      if (s < 0 || en > cell.source.length || cell.source.slice(s, en) !== program.text.slice(e.range.startOffset, e.range.endOffset)) return undefined;
      return { content: e.content, range: lines(at.cell).rangeOf(s, en) };
    });
    const fix = f.fix && fixEdits && fixEdits.every((e) => e !== undefined) ? { ...f.fix, edits: fixEdits as NonNullable<(typeof fixEdits)[number]>[] } : null;
    const related = f.related.flatMap((r) => {
      if (r.path !== undefined) return [r];
      const where = locate(r.range);
      if (!where) return [];
      const other = program.cells[where.cell];
      return where.cell === at.cell ? [{ ...r, range: where.range }] : [{ ...r, range: where.range, uri: other.uri, message: `${r.message} (cell ${(other.index ?? where.cell) + 1})` }];
    });
    files[at.cell].findings.push({ ...f, range: at.range, fix, related, noqaLine: at.range.start.line });
  }
  return files;
}

function checkKey(p: CheckParams): string {
  const nb = p.target.notebook ? p.target.notebook.cells.map((c) => `${c.uri}@${c.version}`).join('|') : `${p.target.uri}@${p.target.version}`;
  return JSON.stringify([nb, p.settings, p.path, p.language, p.roots ?? null, p.files ?? null]);
}

/** How this check's analysis was made, when the session lowered the text (`checks` counted before it). */
function analysisKind(checks: number, session: EditSession): Pick<CheckAnswer, 'analysis'> {
  const s = session.stats;
  if (s.checks === checks) return {};
  return { analysis: s.analysisReused ? 'reused' : s.functionRewalked ? 'function' : 'full' };
}

function parseKind(before: { incremental: number; full: number }, after: { incremental: number; full: number }): CheckAnswer['parse'] {
  if (after.incremental > before.incremental) return 'incremental';
  if (after.full > before.full) return 'full';
  return 'none';
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
