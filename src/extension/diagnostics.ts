// Keeps the diagnostics of open documents current. The analysis runs in a worker (./worker): this
// class keeps the worker's copy of each document in step, checks on open and save at once and on
// edits after a short debounce, drops answers that a newer edit made stale, and remembers the
// findings of each document version for the code actions. The code cells of a notebook are
// checked together, as one program; each cell gets its own findings.
import type * as vscode from 'vscode';
import { DEFAULT_LIMITS } from '../core/limits';
import type { Finding } from '../core';
import type { VSCode } from './api';
import { toDiagnostic } from './convert';
import { isChecked } from './languages';
import type { ExtensionSettings } from './settings';
import type { AnalysisClient } from './worker/client';
import type { CheckAnswer, CheckParams, EvaluateAnswer, FixAllAnswer, Target, TextChange } from './worker/protocol';
import { CHECK_BUDGET, type ProjectLocation, type WorkspaceFiles } from './workspaceFiles';

export type Log = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

export interface Checked {
  version: number;
  /** The versions of everything the result depends on (a notebook: all its code cells). */
  sig: string;
  findings: Finding[];
  diagnostics: vscode.Diagnostic[];
}

export type Doc = Pick<vscode.TextDocument, 'uri' | 'version' | 'getText' | 'languageId' | 'isClosed' | 'lineCount' | 'offsetAt'>;

/** A notebook as the controller needs it: its URI and its code cells' documents, in order. */
export interface NotebookInfo {
  uri: vscode.Uri;
  cells: { index: number; document: Doc }[];
}

export interface ControllerOptions {
  /** Delay before checking an edited document; 150 ms by default. */
  debounceMs?: number;
  /** The workspace folders on disk whose files the worker may read for a document (the project index), if any. */
  rootsFor?: (doc: Pick<Doc, 'uri' | 'languageId'>) => string[] | undefined;
  /** The notebook whose code cell `doc` is, if it is one. */
  notebookFor?: (doc: Pick<Doc, 'uri'>) => NotebookInfo | undefined;
  /**
   * The project index over files this host reads for the worker, for Python documents `rootsFor`
   * does not cover (the web host; non-file: documents): where a document is, and the reader.
   */
  workspaceFiles?: { locate(doc: Pick<Doc, 'uri'>): ProjectLocation | undefined; files: WorkspaceFiles };
  /** A `[tool.stable-loss]` lookup still running for the document: awaited before it is checked. */
  configReady?: (doc: Pick<Doc, 'uri'>) => Promise<unknown> | undefined;
}

/** Rounds of "read what the worker wanted, check again" per check (each round is one import level deeper). */
const MAX_ROUNDS = 12;

export class DiagnosticsController {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped by every request for a document; queued work for an older generation is dropped. */
  private readonly generations = new Map<string, number>();
  private readonly results = new Map<string, Checked>();
  private readonly findingOf = new WeakMap<vscode.Diagnostic, Finding>();
  private readonly inflight = new Map<string, { sig: string; promise: Promise<void> }>();
  private readonly tooLargeLogged = new Set<string>();
  private readonly budgetLogged = new Set<string>();

  readonly debounceMs: number;

  constructor(
    private readonly vs: VSCode,
    readonly client: AnalysisClient,
    private readonly collection: vscode.DiagnosticCollection,
    private readonly settingsFor: (doc: Pick<Doc, 'uri' | 'languageId'>) => ExtensionSettings,
    private readonly log: Log,
    private readonly options: ControllerOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 150;
  }

  // ---- keeping the worker's documents in step ----------------------------------------------------

  /** VS Code's content changes of a document: sent to the worker (it re-parses incrementally). */
  changed(doc: Doc, changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    const key = doc.uri.toString();
    if (!this.client.isSynced(key)) return;
    const wire: TextChange[] = changes.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text, start: { line: c.range.start.line, character: c.range.start.character }, end: { line: c.range.end.line, character: c.range.end.character } }));
    this.client.change(key, doc, wire, lengthOf(this.vs, doc));
  }

  /** Checks `doc` (for a notebook cell: its notebook) after `delayMs` unless a newer request for it comes first. */
  schedule(doc: Doc, delayMs = this.debounceMs): void {
    if (!isChecked(doc)) return;
    const key = this.scheduleKey(doc);
    const gen = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, gen);
    const old = this.timers.get(key);
    if (old !== undefined) clearTimeout(old);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (this.generations.get(key) !== gen || doc.isClosed) return; // stale
      this.current(doc).catch((e: unknown) => this.log.error(`checking ${displayPath(doc.uri)} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    }, delayMs);
    this.timers.set(key, timer);
  }

  private scheduleKey(doc: Pick<Doc, 'uri'>): string {
    return this.options.notebookFor?.(doc)?.uri.toString() ?? doc.uri.toString();
  }

  /**
   * The findings of the document as it is now, checking it (in the worker) if the last result is
   * for an older version. Undefined for documents not checked, too large, and on errors.
   */
  async current(doc: Doc): Promise<Checked | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const key = doc.uri.toString();
      if (!isChecked(doc) || doc.isClosed) return undefined;
      // (Again after the wait: a pyproject.toml change may have started a new lookup meanwhile.)
      for (let wait = this.options.configReady?.(doc), n = 0; wait && n < 5; wait = this.options.configReady?.(doc), n++) await wait;
      if (doc.isClosed) return undefined;
      const settings = this.settingsFor(doc);
      if (!settings.enable) {
        this.forget(doc.uri);
        return undefined;
      }
      const sig = this.signature(doc);
      const cached = this.results.get(key);
      if (cached && cached.sig === sig) return cached;
      await this.run(doc, settings);
      const now = this.results.get(key);
      if (now && now.sig === this.signature(doc)) return now;
      if (this.signature(doc) === sig) return undefined; // not checked (too large, an error): nothing newer to wait for
    }
    return undefined;
  }

  /** The versions a document's findings depend on: its own, or those of its notebook's code cells. */
  private signature(doc: Doc): string {
    const nb = this.options.notebookFor?.(doc);
    return nb ? nb.cells.map((c) => `${c.document.uri.toString()}@${c.document.version}`).join('|') : `${doc.uri.toString()}@${doc.version}`;
  }

  /** Checks a document or its notebook once; concurrent calls for the same versions share the work. */
  private run(doc: Doc, settings: ExtensionSettings): Promise<void> {
    const nb = this.options.notebookFor?.(doc);
    const docs = nb ? nb.cells.map((c) => c.document) : [doc];
    const key = nb ? nb.uri.toString() : doc.uri.toString();
    const sig = this.signature(doc) + JSON.stringify(settings.settings);
    const running = this.inflight.get(key);
    if (running && running.sig === sig) return running.promise;
    const promise = this.runOnce(doc, nb, docs, settings, this.signature(doc)).finally(() => {
      if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
    });
    this.inflight.set(key, { sig, promise });
    return promise;
  }

  private async runOnce(doc: Doc, nb: NotebookInfo | undefined, docs: Doc[], settings: ExtensionSettings, sig: string): Promise<void> {
    for (const d of docs) if (!this.syncDoc(d)) return;
    const request = this.params(doc, nb, settings);
    const path = request.path ?? doc.uri.toString();
    let answer;
    try {
      answer = await this.client.check({ t: 'check', ...request }, versions(docs));
      // The worker's project index asked for files it has not seen: read them, check again.
      const loc = request.files && this.locate(doc);
      const budget = { ...CHECK_BUDGET };
      for (let round = 0; loc && answer.ok && answer.value.wanted?.length; round++) {
        if (round >= MAX_ROUNDS || budget.files <= 0 || budget.bytes <= 0) {
          if (!this.budgetLogged.has(doc.uri.toString())) {
            this.budgetLogged.add(doc.uri.toString());
            this.log.info(`${path}: the project index stopped reading other files (${round} rounds, ${CHECK_BUDGET.files - budget.files} files); modules not read are unknown`);
          }
          break;
        }
        const entries = await this.options.workspaceFiles!.files.read(loc, loc.dir, answer.value.wanted, budget);
        if (docs.some((d) => d.isClosed) || this.signature(doc) !== sig) return;
        this.client.files(entries);
        answer = await this.client.check({ t: 'check', ...request }, versions(docs));
      }
    } catch (e) {
      for (const d of docs) this.forget(d.uri);
      this.log.error(`checking ${path} failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (!answer.ok) return; // a newer version arrived: its own check follows
    if (docs.some((d) => d.isClosed) || this.signature(doc) !== sig) return; // changed meanwhile: a newer check follows
    this.apply(answer.value, docs, path, sig);
  }

  /** Sends the document to the worker if it does not have this version; false (and a log line once) when it is too large. */
  private syncDoc(d: Doc): boolean {
    const key = d.uri.toString();
    const size = tooLarge(this.vs, d);
    if (size) {
      if (!this.tooLargeLogged.has(key)) {
        this.tooLargeLogged.add(key);
        this.log.info(`${displayPath(d.uri)}: not analysed: ${size}`);
      }
      this.client.close(key);
      this.results.delete(key);
      this.collection.delete(d.uri);
      return false;
    }
    this.tooLargeLogged.delete(key);
    this.client.sync(key, d, this.locate(d)?.path ?? (d.uri.scheme === 'file' ? d.uri.fsPath : undefined));
    return true;
  }

  /** Where a Python document is for the host-read project index, when it has one (not for notebook cells, not where `rootsFor` applies). */
  private locate(doc: Pick<Doc, 'uri' | 'languageId'>): ProjectLocation | undefined {
    const wf = this.options.workspaceFiles;
    if (!wf || doc.languageId !== 'python' || this.options.rootsFor?.(doc)) return undefined;
    return wf.locate(doc);
  }

  /** Whether checks of `doc` read other files (then a saved or changed file can change its findings). */
  usesProject(doc: Pick<Doc, 'uri' | 'languageId'>): boolean {
    const nb = this.options.notebookFor?.(doc);
    if (nb) return this.notebookRoots(nb) !== undefined;
    return this.options.rootsFor?.(doc) !== undefined || this.locate(doc) !== undefined;
  }

  /** A notebook on disk reads the other files of its project as a .py file beside it does. */
  private notebookRoots(nb: NotebookInfo): string[] | undefined {
    return this.options.rootsFor?.({ uri: nb.uri, languageId: 'python' });
  }

  private params(doc: Doc, nb: NotebookInfo | undefined, settings: ExtensionSettings): CheckParams {
    const target: Target = { uri: doc.uri.toString(), version: doc.version };
    if (nb) target.notebook = { uri: nb.uri.toString(), cells: nb.cells.map((c) => ({ uri: c.document.uri.toString(), version: c.document.version, index: c.index })) };
    const roots = nb ? this.notebookRoots(nb) : this.options.rootsFor?.(doc);
    const loc = nb || roots ? undefined : this.locate(doc);
    const files = loc && { prefix: loc.prefix, path: loc.path, roots: loc.roots };
    return { target, settings: settings.settings, path: displayPath(nb ? nb.uri : doc.uri), language: nb ? 'python' : doc.languageId, ...(roots ? { roots } : {}), ...(files ? { files } : {}) };
  }

  private apply(answer: CheckAnswer, docs: Doc[], path: string, sig: string): void {
    for (const n of answer.notes) {
      const line = `${path}: ${n.message}`;
      if (n.kind === 'internal-error') this.log.error(line);
      else if (n.kind === 'limit') this.log.info(line);
      else this.log.debug(line);
    }
    let count = 0;
    for (const file of answer.files) {
      const d = docs.find((x) => x.uri.toString() === file.uri);
      if (!d || d.isClosed || d.version !== file.version) continue;
      const findings = file.findings as Finding[];
      const base = this.options.notebookFor?.(d)?.uri ?? d.uri;
      const diagnostics = file.findings.map((f) => {
        const diag = toDiagnostic(this.vs, f, d.uri, base);
        this.findingOf.set(diag, f as Finding);
        return diag;
      });
      count += findings.length;
      this.results.set(file.uri, { version: file.version, sig, findings, diagnostics });
      this.collection.set(d.uri, diagnostics);
    }
    this.log.debug(`checked ${path} in ${answer.ms.toFixed(1)} ms (${answer.parse} parse${answer.analysis ? `, ${answer.analysis} analysis` : ''}): ${count} finding(s)`);
  }

  // ---- what the code actions and the hover ask for ------------------------------------------------

  /** The finding a diagnostic of ours was made from, matched by identity, else by code and range. */
  async findingFor(doc: Doc, diagnostic: vscode.Diagnostic): Promise<Finding | undefined> {
    const byIdentity = this.findingOf.get(diagnostic);
    const checked = await this.current(doc);
    if (!checked) return undefined;
    if (byIdentity && checked.findings.includes(byIdentity)) return byIdentity;
    const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    return checked.findings.find(
      (f) =>
        f.code === code &&
        f.range.start.line === diagnostic.range.start.line &&
        f.range.start.character === diagnostic.range.start.character &&
        f.range.end.line === diagnostic.range.end.line &&
        f.range.end.character === diagnostic.range.end.character,
    );
  }

  /** Every allowed fix applied in passes (in the worker), as one replacement of the document's text at `doc.version`. */
  async fixAll(doc: Doc, settings: ExtensionSettings): Promise<FixAllAnswer | undefined> {
    if (!isChecked(doc) || !settings.enable) return undefined;
    const nb = this.options.notebookFor?.(doc);
    const docs = nb ? nb.cells.map((c) => c.document) : [doc];
    for (const d of docs) if (!this.syncDoc(d)) return undefined;
    const a = await this.client.fixAll({ t: 'fixAll', unsafe: settings.unsafeFixes, ...this.params(doc, nb, settings) }, versions(docs));
    return a.ok ? a.value : undefined;
  }

  /** The hover value at `offset` of a Python document or notebook cell (notebooks: with the cells above it). */
  async evaluate(doc: Doc, offset: number): Promise<EvaluateAnswer | undefined> {
    const nb = this.options.notebookFor?.(doc);
    const docs = nb ? nb.cells.map((c) => c.document) : [doc];
    for (const d of docs) if (!this.syncDoc(d)) return undefined;
    const target = this.params(doc, nb, this.settingsFor(doc)).target;
    const a = await this.client.evaluate({ t: 'evaluate', target, offset }, versions(docs));
    return a.ok ? a.value : undefined;
  }

  /**
   * Checks the other open documents again after the usual delay: a saved file may define what they
   * import (a model with a softmax output), so their findings can change without an edit of theirs.
   */
  recheckOthers(saved: Pick<Doc, 'uri'>, open: readonly Doc[]): void {
    this.recheck(open.filter((doc) => doc.uri.toString() !== saved.uri.toString()));
  }

  /** Checks these documents again after the usual delay, even at the same version (files they read changed). */
  recheck(docs: readonly Doc[]): void {
    for (const doc of docs) {
      if (!isChecked(doc)) continue;
      this.results.delete(doc.uri.toString());
      this.schedule(doc);
    }
  }

  /** A document was closed (or is no longer checked): its diagnostics go, and the worker forgets it. */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.results.delete(key);
    this.collection.delete(uri);
  }

  closed(uri: vscode.Uri): void {
    this.forget(uri);
    this.client.close(uri.toString());
    this.tooLargeLogged.delete(uri.toString());
  }

  /** Forgets every result (settings changed); callers re-schedule the open documents. */
  reset(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.results.clear();
    this.collection.clear();
  }

  dispose(): void {
    this.reset();
  }
}

function versions(docs: readonly Doc[]): Map<string, number> {
  return new Map(docs.map((d) => [d.uri.toString(), d.version]));
}

/** The document's length in UTF-16 units, without copying its text (VS Code clamps a position past the end). */
export function lengthOf(vs: VSCode, doc: Pick<Doc, 'lineCount' | 'offsetAt'>): number {
  return doc.offsetAt(new vs.Position(doc.lineCount, 0));
}

/** Why a document is not sent to the worker at all (over the core's limits), decided without reading its text. */
export function tooLarge(vs: VSCode, doc: Pick<Doc, 'lineCount' | 'offsetAt'>): string | undefined {
  if (doc.lineCount > DEFAULT_LIMITS.maxLines) return `${doc.lineCount.toLocaleString('en')} lines (limit ${DEFAULT_LIMITS.maxLines.toLocaleString('en')})`;
  const chars = lengthOf(vs, doc);
  if (chars > DEFAULT_LIMITS.maxChars) return `${(chars / 2 ** 20).toFixed(1)} MiB of text (limit ${(DEFAULT_LIMITS.maxChars / 2 ** 20).toFixed(1)} MiB)`;
  return undefined;
}

export function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
}
