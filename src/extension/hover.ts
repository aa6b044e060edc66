// Loss values on hover, from the core's evaluator, which runs in the analysis worker (for a
// notebook cell, with the cells above it as the program).
import type * as vscode from 'vscode';
import type { VSCode } from './api';
import { toMarkdown } from './convert';
import type { Log } from './diagnostics';
import { isChecked } from './languages';
import type { ExtensionSettings } from './settings';

/**
 * What the adapter reads of an evaluation: the markdown to show and the UTF-16 offsets of the
 * evaluated expression in the document. An `{ error }` answer (not evaluable here) shows nothing.
 */
export interface Evaluation {
  markdown?: string;
  span?: { s: number; e: number };
  error?: string;
}

export interface Evaluator {
  evaluate(doc: Doc, offset: number): Evaluation | null | undefined | Promise<Evaluation | null | undefined>;
}

/** The evaluator reads Python only. */
const EVALUATED_LANGUAGES = ['python'];

/** Whether an engine object has the core's `evaluate` (detected at run time). */
export function hasEvaluator(engine: unknown): boolean {
  return typeof (engine as { evaluate?: unknown } | null)?.evaluate === 'function';
}

type Doc = Pick<vscode.TextDocument, 'uri' | 'languageId' | 'getText' | 'offsetAt' | 'positionAt' | 'version'>;

export class StableLossHover implements vscode.HoverProvider {
  constructor(
    private readonly vs: VSCode,
    private readonly evaluator: Evaluator,
    private readonly settingsFor: (doc: Doc) => ExtensionSettings,
    private readonly log: Log,
  ) {}

  async provideHover(doc: Doc, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!isChecked(doc) || !EVALUATED_LANGUAGES.includes(doc.languageId)) return undefined;
    const s = this.settingsFor(doc);
    if (!s.enable || !s.hover) return undefined;
    try {
      const started = globalThis.performance?.now() ?? Date.now();
      const version = doc.version;
      const r = await this.evaluator.evaluate(doc, doc.offsetAt(position));
      this.log.debug(`evaluated at ${position.line + 1}:${position.character + 1} in ${((globalThis.performance?.now() ?? Date.now()) - started).toFixed(1)} ms`);
      if (!r || typeof r.markdown !== 'string' || r.markdown === '' || doc.version !== version) {
        if (r?.error) this.log.trace(`not evaluable at ${position.line + 1}:${position.character + 1}: ${r.error}`);
        return undefined;
      }
      const range = r.span ? new this.vs.Range(doc.positionAt(r.span.s), doc.positionAt(r.span.e)) : undefined;
      return new this.vs.Hover(toMarkdown(this.vs, r.markdown), range);
    } catch (e) {
      this.log.error(`hover evaluation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    }
  }
}
