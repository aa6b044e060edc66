// Keeps the diagnostics of open documents current: checks on open and save at once, on edits after
// a debounce, drops work that a newer edit made stale, and remembers the findings of each
// document version for the code actions.
import type * as vscode from 'vscode';
import type { CheckOptions, CheckResult, Finding } from '../core';
import type { ProjectHost } from '../core/analysis/project';
import type { VSCode } from './api';
import { toDiagnostic } from './convert';
import { isChecked } from './languages';
import type { ExtensionSettings } from './settings';

/** What the adapter needs of the core's Engine (the real one, or a test double). */
export interface CoreEngine {
  check(text: string, options: CheckOptions): CheckResult;
}

export type Log = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

export interface Checked {
  version: number;
  text: string;
  findings: Finding[];
  diagnostics: vscode.Diagnostic[];
}

type Doc = Pick<vscode.TextDocument, 'uri' | 'version' | 'getText' | 'languageId' | 'isClosed'>;

export interface ControllerOptions {
  /** Delay before checking an edited document; 300 ms by default. */
  debounceMs?: number;
  /** The other files of the project (models defined in other modules), where the host can read them. */
  projectFor?: (doc: Pick<Doc, 'uri' | 'languageId'>) => ProjectHost | undefined;
}

export class DiagnosticsController {
  private engine: CoreEngine | undefined;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped by every request for a document; queued work for an older generation is dropped. */
  private readonly generations = new Map<string, number>();
  private readonly results = new Map<string, Checked>();
  private readonly findingOf = new WeakMap<vscode.Diagnostic, Finding>();

  readonly debounceMs: number;
  private readonly projectFor: ((doc: Pick<Doc, 'uri' | 'languageId'>) => ProjectHost | undefined) | undefined;

  constructor(
    private readonly vs: VSCode,
    private readonly enginePromise: Promise<CoreEngine>,
    private readonly collection: vscode.DiagnosticCollection,
    private readonly settingsFor: (doc: Doc) => ExtensionSettings,
    private readonly log: Log,
    options: ControllerOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 300;
    this.projectFor = options.projectFor;
    enginePromise.then(
      (e) => (this.engine = e),
      () => undefined, // reported once by whoever created the engine
    );
  }

  /** Checks `doc` after `delayMs` unless a newer request for it comes first. */
  schedule(doc: Doc, delayMs = this.debounceMs): void {
    if (!isChecked(doc)) return;
    const key = doc.uri.toString();
    const gen = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, gen);
    const old = this.timers.get(key);
    if (old !== undefined) clearTimeout(old);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.run(doc, key, gen);
    }, delayMs);
    this.timers.set(key, timer);
  }

  private async run(doc: Doc, key: string, gen: number): Promise<void> {
    try {
      await this.enginePromise;
    } catch {
      return;
    }
    if (this.generations.get(key) !== gen || doc.isClosed) return; // stale: a newer request is queued or ran
    this.current(doc);
  }

  /**
   * The findings of the document as it is now, checking it if the last result is for an older
   * version. Undefined while the engine loads, for documents not checked, and on errors.
   */
  current(doc: Doc): Checked | undefined {
    const key = doc.uri.toString();
    if (!isChecked(doc) || !this.engine) return undefined;
    const settings = this.settingsFor(doc);
    if (!settings.enable) {
      this.forget(doc.uri);
      return undefined;
    }
    const cached = this.results.get(key);
    if (cached && cached.version === doc.version) return cached;
    const text = doc.getText();
    const started = now();
    try {
      const findings = this.findings(text, doc, settings);
      const diagnostics = findings.map((f) => {
        const d = toDiagnostic(this.vs, f, doc.uri);
        this.findingOf.set(d, f);
        return d;
      });
      const checked: Checked = { version: doc.version, text, findings, diagnostics };
      this.results.set(key, checked);
      this.collection.set(doc.uri, diagnostics);
      this.log.debug(`checked ${displayPath(doc.uri)} v${doc.version} in ${(now() - started).toFixed(1)} ms: ${findings.length} finding(s)`);
      return checked;
    } catch (e) {
      this.forget(doc.uri);
      this.log.error(`checking ${displayPath(doc.uri)} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    }
  }

  /**
   * The core's findings for `text` (settings and `# noqa` applied by the core, as for the CLI);
   * also what fix-all re-checks between passes.
   */
  findings(text: string, doc: Pick<Doc, 'uri' | 'languageId'>, settings: ExtensionSettings): Finding[] {
    if (!this.engine) throw new Error('the Stable Loss engine is not loaded yet');
    const path = displayPath(doc.uri);
    const project = this.projectFor?.(doc);
    const r = this.engine.check(text, { path, language: doc.languageId, settings: settings.settings, ...(project ? { project } : {}) });
    for (const n of r.notes) (n.kind === 'internal-error' ? this.log.error : this.log.debug).call(this.log, `${path}: ${n.message}`);
    return r.findings;
  }

  /** The finding a diagnostic of ours was made from, matched by identity, else by code and range. */
  findingFor(doc: Doc, diagnostic: vscode.Diagnostic): Finding | undefined {
    const byIdentity = this.findingOf.get(diagnostic);
    const checked = this.current(doc);
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

  /**
   * Checks the other open documents again after the usual delay: a saved file may define what they
   * import (a model with a softmax output), so their findings can change without an edit of theirs.
   */
  recheckOthers(saved: Doc, open: readonly Doc[]): void {
    for (const doc of open) {
      if (doc.uri.toString() === saved.uri.toString() || !isChecked(doc)) continue;
      this.results.delete(doc.uri.toString());
      this.schedule(doc);
    }
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.results.delete(key);
    this.collection.delete(uri);
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

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

export function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
}
