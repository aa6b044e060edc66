// The one entry point every adapter calls: text (+ settings) in, plain data out.
import { analyze } from './analysis/interpret';
import { ProjectResolver, type ProjectHost } from './analysis/project';
import { Parsers, ParseTimeout, type GrammarName, type SyntaxNode, type SyntaxTree, type WasmLoader } from './parser';
import { DEFAULT_LIMITS } from './limits';
import { lowerPython } from './python/lower';
import { lowerPythonDirect } from './python/direct';
import { lowerTypeScript } from './typescript/lower';
import { isGeneratedScript, noqaView, scriptFix, scriptGrammar, scriptLanguageOf, TFJS_TRIGGER } from './typescript/support';
import { catalogue, ruleUrl } from './rules/catalogue';
import { rules as allRules } from './rules';
import type { Rule } from './rules/rule';
import { preconditions } from './rules/preconditions';
import { runRules } from './rules/run';
import { applySettings, isRuleEnabled } from './config';
import { LineIndex } from './fix/text';
import { filterNoqa } from './noqa';
import { defaultSettings, type AnalysisNote, type CheckResult, type Finding, type Settings } from './types';
import { hoverAt, literalsTooLarge, lowerForEval, scanNumericLists, sourceTooLarge, type Scanned, type TextRange, type EvalOptions, type HoverData, type HoverError } from './eval';
import type { Module } from './ir';
import type { EditSession } from './incremental';
import { getNumpyMath, limitOf } from './kernel';

export interface CheckOptions {
  /** Used for messages only; the core never reads files. */
  path?: string;
  settings?: Settings;
  /** Skip the textual prefilter (tests use it to prove the prefilter changes nothing). */
  noPrefilter?: boolean;
  /** The other files of the project (models defined in another module); needs `path`. */
  project?: ProjectHost;
  /** Files beyond these sizes are not analysed (a note says so): the answer stays bounded. */
  limits?: Partial<typeof DEFAULT_LIMITS>;
  /** `python` (default), or `typescript`/`tsx`/`javascript` (TensorFlow.js); without it, `path`'s extension decides. */
  language?: string;
  /**
   * Gives the tree of exactly this text in `grammarOf(options)`'s grammar, kept by the caller between
   * checks (an editor re-parses incrementally); called only when the text is parsed at all (not when
   * the prefilter or a limit answers). The engine reads the tree and never deletes it.
   */
  tree?: () => SyntaxTree;
  /**
   * An editor document's session, kept by the caller between checks of that document's versions
   * (Python only; ignored otherwise): the IR of top-level statements the edit did not reach, and the
   * analysis when the edit changed no IR but offsets, are reused (`incremental.ts`). The result is
   * the one a check without it gives.
   */
  session?: EditSession;
}

/** The tree-sitter grammar `check` parses a text with, for these options. */
export function grammarOf(options: Pick<CheckOptions, 'language' | 'path'> = {}): GrammarName {
  const script = options.language ? scriptGrammar(options.language) : scriptLanguageOf(options.path);
  return script?.grammar ?? 'python';
}

export { DEFAULT_LIMITS } from './limits';

interface HoverDocument {
  text: string;
  /** The numeric list literals read without the parser, and how many numbers they hold. */
  lists: Scanned[];
  numbers: number;
  /** Lowered on the first evaluation within the limits. */
  module: Module | undefined;
  lines: LineIndex;
  results: Map<string, HoverData | HoverError>;
}

/**
 * How many checks of planned files (`ProjectHost.plannedCheck`) may be in progress at once, one inside
 * another's import (each holds its module and analysis); beyond it an import is analysed as an import.
 */
const MAX_NESTED_CHECKS = 4;

export class Engine {
  /** One project index per host (its cache follows the texts the host returns). */
  private readonly projects = new WeakMap<ProjectHost, ProjectResolver>();
  /**
   * Results of planned files checked when first imported, each waiting for its own turn (per host and
   * path; taken once, when the text and settings are the same).
   */
  private readonly early = new WeakMap<ProjectHost, Map<string, { text: string; settings: Settings; result: CheckResult }>>();
  /** The planned files whose check is in progress (the outer one, and those inside its imports). */
  private readonly checking = new Set<string>();
  private hoverDoc: HoverDocument | undefined;

  private constructor(
    readonly parsers: Parsers,
    private readonly rules: readonly Rule[] = allRules,
    private readonly load?: WasmLoader,
  ) {}

  /**
   * Lowers a Python text (other files of the project; hover's evaluation): with the direct front end
   * (./python/direct.ts), or, when it declines the text or only parts of the text are to be read
   * (tree-sitter's included ranges), with tree-sitter.
   */
  private lowerText(text: string, includedRanges?: TextRange[]): Module {
    if (!includedRanges) {
      const direct = lowerPythonDirect(text);
      if (direct) return direct;
    }
    const tree = this.parsers.parse('python', text, undefined, includedRanges);
    try {
      return lowerPython(tree.rootNode);
    } finally {
      tree.delete();
    }
  }

  private resolver(host: ProjectHost): ProjectResolver {
    let r = this.projects.get(host);
    if (!r) this.projects.set(host, (r = new ProjectResolver(host, (t) => this.lowerText(t), undefined, host.plannedCheck ? (target) => this.checkFirst(host, target) : undefined)));
    return r;
  }

  /**
   * A planned file first imported while another file is checked: checked now, as its own turn would
   * check it (depth 0, its own settings), so that its facts for importers come from that analysis
   * (`RootAnalysis.remember`) and its turn gets the result without lowering and analysing it again.
   * Not when the prefilter says no rule can fire (its import analysis is cheaper, often inert), inside
   * a check of itself (an import cycle), or beyond MAX_NESTED_CHECKS.
   */
  private checkFirst(host: ProjectHost, target: { path: string; text: string }): boolean {
    const settings = host.plannedCheck?.(target.path);
    if (!settings || this.checking.has(target.path) || this.checking.size >= MAX_NESTED_CHECKS) return false;
    let early = this.early.get(host);
    if (early?.has(target.path)) return false;
    const result = this.check(target.text, { path: target.path, settings, project: host });
    if (!result.parsed || result.notes.some((n) => n.kind === 'internal-error')) return false;
    if (!early) this.early.set(host, (early = new Map()));
    early.set(target.path, { text: target.text, settings, result });
    return true;
  }

  /**
   * An engine with every grammar loaded; with `lazy`, with Python's only, the others loaded by
   * `ensureGrammar` when a document needs them (the analysis worker: it answers the first Python
   * check without waiting for the three TypeScript/JavaScript grammars, about twice as long to load).
   */
  static async create(load: WasmLoader, options: { lazy?: boolean } = {}): Promise<Engine> {
    if (options.lazy) return new Engine(await Parsers.create(load, ['python']), allRules, load);
    return new Engine(await Parsers.create(load, ['python', 'typescript', 'tsx', 'javascript']));
  }

  /** Whether `check` can parse this grammar now (`ensureGrammar` loads it). */
  hasGrammar(grammar: GrammarName): boolean {
    return this.parsers.has(grammar);
  }

  /** Loads a grammar a lazily created engine does not have yet. */
  ensureGrammar(grammar: GrammarName): Promise<void> {
    if (this.parsers.has(grammar)) return Promise.resolve();
    if (!this.load) return Promise.reject(new Error(`grammar ${grammar} was not loaded`));
    return this.parsers.add(this.load, grammar);
  }

  check(text: string, options: CheckOptions = {}): CheckResult {
    const { path, project } = options;
    const settings = project && path !== undefined ? project.plannedCheck?.(path) : undefined;
    // A planned file (the CLI's): its result if it was checked when first imported, else checked now,
    // its facts remembered for the files that import it later.
    if (!settings || !project || path === undefined || settings !== (options.settings ?? defaultSettings) || options.noPrefilter || options.limits || options.language || options.tree || options.session) {
      return this.checkText(text, options);
    }
    const early = this.early.get(project)?.get(path);
    if (early) {
      this.early.get(project)!.delete(path);
      if (early.text === text && early.settings === settings) return early.result;
    }
    this.checking.add(path);
    try {
      return this.checkText(text, options, true);
    } finally {
      this.checking.delete(path);
    }
  }

  private checkText(text: string, options: CheckOptions, planned = false): CheckResult {
    const settings = options.settings ?? defaultSettings;
    const script = options.language ? scriptGrammar(options.language) : scriptLanguageOf(options.path);
    const enabled = this.rules.filter((r) => isRuleEnabled(r.meta.code, settings));
    // Prefilter: parse only a file some enabled rule could fire on (rules/preconditions.ts).
    const pre = { project: options.project !== undefined };
    // An editor session that analysed this document before skips the prefilter's scan of the whole
    // text: the prefilter never changes a result (it only saves parsing), and the session re-parses
    // and re-lowers only what the edit touched.
    const prefilter = !options.noPrefilter && !(options.session?.active && !script);
    if (prefilter && (script ? !TFJS_TRIGGER.test(text) : !enabled.some((r) => preconditions[r.meta.code](text, pre)))) return { findings: [], notes: [], parsed: false };
    if (script && isGeneratedScript(options.path, text)) return { findings: [], notes: [], parsed: false };
    const notes: AnalysisNote[] = [];
    // An editor session derives the line index from the previous text's (a keystroke changes a few lines).
    const lines = options.session && !script ? options.session.lineIndex(text) : new LineIndex(text);
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    if (text.length > limits.maxChars || lines.lineCount > limits.maxLines) {
      const what = text.length > limits.maxChars ? `${(text.length / 2 ** 20).toFixed(1)} MiB of text (limit ${(limits.maxChars / 2 ** 20).toFixed(1)} MiB)` : `${lines.lineCount.toLocaleString('en')} lines (limit ${limits.maxLines.toLocaleString('en')})`;
      return { findings: [], notes: [{ kind: 'limit', message: `not analysed: ${what}` }], parsed: false };
    }
    // Python without an editor's tree or session (the CLI): the direct front end, no tree-sitter, when
    // it accepts the text (its IR is the one tree-sitter's lowering gives, without syntax errors).
    const direct = !script && !options.tree && !options.session ? lowerPythonDirect(text) : undefined;
    let tree: SyntaxTree | undefined;
    if (!direct) {
      try {
        tree = options.tree ? options.tree() : this.parsers.parse(script?.grammar ?? 'python', text);
      } catch (e) {
        // tree-sitter super-linear on this text: a bounded answer instead of a wait (Parsers.parseBudgetMs)
        if (e instanceof ParseTimeout) return { findings: [], notes: [{ kind: 'limit', message: `not analysed: ${e.message}` }], parsed: false };
        throw e;
      }
    }
    try {
      const project = options.project && options.path !== undefined && !script ? this.resolver(options.project) : undefined;
      // A planned file's own analysis also keeps its facts for the files that import it later.
      const root = project && planned && options.path !== undefined ? project.rootOptions(options.path) : undefined;
      const analyzeOptions = root?.options ?? (project && options.path !== undefined ? project.options(options.path) : {});
      const session = script ? undefined : options.session;
      const incremental = tree && session?.lower(text, tree.rootNode, analyzeOptions);
      const module = direct ?? (incremental ? incremental.module : script ? lowerTypeScript(tree!.rootNode, script.language) : lowerPython(tree!.rootNode));
      const firstError = module.errors[0] ?? (tree?.rootNode.hasError ? firstErrorSpan(tree.rootNode) : undefined);
      if (firstError) notes.push({ kind: 'syntax-error', message: 'syntax error (analysed what parses)', range: lines.rangeOf(notInCrlf(text, firstError.s), notInCrlf(text, firstError.e)) });
      let analysis = incremental?.analysis;
      if (!analysis) {
        analysis = analyze(module, incremental ? incremental.options : analyzeOptions);
        session?.analysed(analysis);
      }
      const reports = runRules(text, analysis, enabled);
      if (root && options.path !== undefined) root.remember({ path: options.path, text }, module, analysis);
      const findings: Finding[] = [];
      const seen = new Set<string>();
      for (const r of reports) {
        const key = `${r.code}:${r.span.s}:${r.span.e}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const meta = catalogue.find((m) => m.code === r.code);
        if (!meta) continue;
        const severity = meta.defaultSeverity;
        if (r.span.s < 0) continue;
        const range = lines.rangeOf(r.span.s, r.span.e);
        // Spans at negative offsets are producers in other files: pointed at, never edited.
        const external = (s: number) => (s < 0 ? project?.externals.get(-s) : undefined);
        if (script) r.fix = scriptFix(r, text, module.comments);
        const fixOk = r.fix && r.fix.edits.every((e) => e.s >= 0 && e.e <= text.length);
        findings.push({
          code: r.code,
          name: meta.name,
          message: r.message,
          severity,
          range,
          fix: r.fix && fixOk ? { applicability: r.fix.applicability, message: r.fix.message, edits: r.fix.edits.map((e) => ({ range: lines.rangeOf(e.s, e.e), content: e.content })) } : null,
          related: (r.related ?? []).flatMap((x) => {
            if (x.span.s >= 0) return [{ message: x.message, range: lines.rangeOf(x.span.s, x.span.e) }];
            const ext = external(x.span.s);
            return ext ? [{ message: x.message, range: ext.range, path: ext.path }] : [];
          }),
          url: ruleUrl(meta),
          noqaLine: range.start.line,
        });
      }
      findings.sort((a, b) => a.range.startOffset - b.range.startOffset || a.code.localeCompare(b.code));
      // noqa directives are read from the comments of the text (strings excluded), only when needed.
      const view = script ? noqaView(text, module.comments) : undefined;
      return { findings: view ? filterNoqa(applySettings(findings, settings), view.text, view.comments) : filterNoqa(applySettings(findings, settings), text, undefined, lines), notes, parsed: true };
    } catch (e) {
      options.session?.reset();
      notes.push({ kind: 'internal-error', message: `internal error: ${e instanceof Error ? e.message : String(e)}` });
      return { findings: [], notes, parsed: true };
    } finally {
      if (tree && !options.tree) tree.delete();
    }
  }

  /**
   * The value of the expression at `offset` (UTF-16) of a Python text, as hover data, or
   * `{ error }` saying why it is not evaluable. Never runs Python: values come from the kernel.
   */
  evaluate(text: string, offset: number, options: EvalOptions = {}): HoverData | HoverError {
    const tooLarge = sourceTooLarge(text, options.limits);
    if (tooLarge) return tooLarge;
    const doc = this.hoverDocument(text);
    const literals = literalsTooLarge(doc.numbers, options.limits);
    if (literals) return literals;
    let module: Module;
    try {
      module = doc.module ??= lowerForEval(text, (t, ranges) => this.lowerText(t, ranges), doc.lists);
    } catch (e) {
      if (e instanceof ParseTimeout) return { error: `not evaluated: ${e.message}` };
      throw e;
    }
    // The kernel's process-wide switches (which NumPy exp/log; the element limit) are part of the key.
    const key = `${offset}|${getNumpyMath()}|${limitOf()}|${JSON.stringify(options)}`;
    const known = doc.results.get(key);
    if (known) return known;
    const r = hoverAt(module, text, offset, (o) => doc.lines.positionAt(o).line, options);
    // A deadline depends on the machine's load: that answer is not kept.
    if (!('error' in r && /^took longer/.test(r.error))) {
      if (doc.results.size >= 256) doc.results.clear();
      doc.results.set(key, r);
    }
    return r;
  }

  /**
   * The parsed and lowered text for hover evaluation, kept for the last text seen: an editor asks
   * again and again about one document version (the same position, or others). Answers are kept
   * per position too, so callers must treat them as read-only.
   */
  private hoverDocument(text: string): HoverDocument {
    if (this.hoverDoc?.text === text) return this.hoverDoc;
    const lists = scanNumericLists(text);
    const numbers = lists.reduce((a, l) => a + l.numbers, 0);
    this.hoverDoc = { text, lists, numbers, module: undefined, lines: new LineIndex(text), results: new Map() };
    return this.hoverDoc;
  }

}

/** Error nodes can end between `\r` and `\n`; a range never splits a line break. */
function notInCrlf(text: string, offset: number): number {
  return offset > 0 && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10 ? offset - 1 : offset;
}

/** The first ERROR or MISSING node, descending only into subtrees that contain an error. */
function firstErrorSpan(root: SyntaxNode): { s: number; e: number } | undefined {
  let node: SyntaxNode | null = root;
  while (node) {
    if (node.type === 'ERROR' || node.isMissing) return { s: node.startIndex, e: node.endIndex };
    let next: SyntaxNode | null = null;
    for (const c of node.children) {
      if (c && (c.hasError || c.isMissing)) {
        next = c;
        break;
      }
    }
    node = next;
  }
  return undefined;
}
