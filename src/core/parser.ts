// tree-sitter through @vscode/tree-sitter-wasm. The host supplies the wasm bytes (read from disk in
// Node, fetched in a browser), so this module does no I/O of its own and runs in Node and web workers.
import { commonPrefix, commonSuffix } from './text-diff';
import * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { Span } from './ir';

export type SyntaxNode = TreeSitter.Node;
export type SyntaxTree = TreeSitter.Tree;

export type GrammarName = 'python' | 'typescript' | 'tsx' | 'javascript';

/** Returns the bytes of a wasm file shipped with the product, e.g. "tree-sitter-python.wasm". */
export type WasmLoader = (file: string) => Promise<Uint8Array>;

/**
 * The tree-sitter runtime's exported C functions (web-tree-sitter's cursor functions without their
 * JavaScript wrappers), when `Parsers.create` initialised the runtime; see `rawCursor`.
 */
let rawModule: Record<string, unknown> | undefined;
const RAW_CHECK = '_ts_tree_cursor_goto_first_child_wasm';

/**
 * The cursor functions of the runtime (web-tree-sitter 0.25's binding: each reads the cursor from the
 * runtime's transfer buffer; the moves write it back). A cursor marshalled there once can be walked
 * without the per-call marshalling of `TreeCursor`'s wrappers (which dominates a full-tree walk), as
 * long as nothing else uses the buffer meanwhile. `undefined` when the runtime does not have them;
 * callers then use the public `TreeCursor`.
 */
export interface RawCursor {
  gotoFirstChild(tree: number): number;
  gotoNextSibling(tree: number): number;
  gotoParent(tree: number): number;
  typeId(tree: number): number;
  fieldId(tree: number): number;
  startIndex(tree: number): number;
  endIndex(tree: number): number;
  isMissing(tree: number): number;
  delete(tree: number): void;
}

export function rawCursor(): RawCursor | undefined {
  const m = rawModule;
  if (!m) return undefined;
  const f = (name: string) => m[`_ts_tree_cursor_${name}_wasm`] as ((tree: number) => number) | undefined;
  const api = {
    gotoFirstChild: f('goto_first_child'),
    gotoNextSibling: f('goto_next_sibling'),
    gotoParent: f('goto_parent'),
    typeId: f('current_node_type_id'),
    fieldId: f('current_field_id'),
    startIndex: f('start_index'),
    endIndex: f('end_index'),
    isMissing: f('current_node_is_missing'),
    delete: f('delete'),
  };
  for (const v of Object.values(api)) if (typeof v !== 'function') return undefined;
  return api as RawCursor;
}

/** How long one parse may take (ms) before it is cancelled: 8 MiB of ordinary code parses in about 3 s here. */
export const PARSE_BUDGET_MS = 20_000;

/** A parse cancelled after `Parsers.parseBudgetMs`. */
export class ParseTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`parsing took longer than ${budgetMs >= 1000 ? `${budgetMs / 1000} s` : `${budgetMs} ms`}`);
  }
}

/**
 * The tree-sitter runtime is one wasm instance per JavaScript realm: web-tree-sitter keeps it in a
 * module variable, and a second instance (two `Parser.init` calls that overlap, before the first has
 * stored its instance) would leave trees of one instance walked with the other's functions (memory
 * access out of bounds). So every `Parsers.create` shares one initialisation; a failed one is retried
 * by the next call.
 */
let runtimeReady: Promise<void> | undefined;

function initRuntime(load: WasmLoader): Promise<void> {
  runtimeReady ??= (async () => {
    const runtime = await load('tree-sitter.wasm');
    const options: Record<string, unknown> = { wasmBinary: runtime, locateFile: (f: string) => f };
    await TreeSitter.Parser.init(options as never);
    // Emscripten makes the options object the module: it now holds the runtime's exported functions.
    if (typeof options[RAW_CHECK] === 'function') rawModule = options;
  })().catch((e: unknown) => {
    runtimeReady = undefined;
    throw e;
  });
  return runtimeReady;
}

export class Parsers {
  private readonly parsers = new Map<GrammarName, TreeSitter.Parser>();
  /** The last text parsed per grammar and (a copy of) its tree, for incremental re-parses. */
  private readonly last = new Map<GrammarName, { text: string; seen: string; tree: SyntaxTree; shown: Shown | undefined }>();
  /** Counts for tests: parses, comment lines hidden from tree-sitter, re-parses after a failed check. */
  readonly stats = { parses: 0, hiddenLines: 0, fallbacks: 0 };
  /** Python comment runs of this many lines or more are hidden from tree-sitter (`Infinity`: none; tests and benchmarks compare). */
  commentRunMinLines = COMMENT_RUN_MIN_LINES;
  /**
   * A parse (with every re-parse its comment-run checks need) that takes longer than this is cancelled
   * and throws `ParseTimeout`: a bounded answer where tree-sitter is super-linear on an input no
   * workaround covers (a long comment run with quotes after an unterminated string re-parsed plain).
   */
  parseBudgetMs = PARSE_BUDGET_MS;
  private deadline = Infinity;

  private constructor(private readonly languages: Map<GrammarName, TreeSitter.Language>) {}

  static async create(load: WasmLoader, grammars: GrammarName[] = ['python']): Promise<Parsers> {
    await initRuntime(load);
    const languages = new Map<GrammarName, TreeSitter.Language>();
    for (const g of grammars) languages.set(g, await TreeSitter.Language.load(await load(`tree-sitter-${g}.wasm`)));
    return new Parsers(languages);
  }

  has(grammar: GrammarName): boolean {
    return this.languages.has(grammar);
  }

  /** Grammars being loaded after `create` (`add`): one load per grammar however often it is asked for. */
  private readonly adding = new Map<GrammarName, Promise<void>>();

  /** Loads one more grammar (a no-op when it is loaded); a failed load can be tried again. */
  add(load: WasmLoader, grammar: GrammarName): Promise<void> {
    if (this.languages.has(grammar)) return Promise.resolve();
    let p = this.adding.get(grammar);
    if (!p) {
      p = (async () => {
        const lang = await TreeSitter.Language.load(await load(`tree-sitter-${grammar}.wasm`));
        this.languages.set(grammar, lang);
      })().finally(() => this.adding.delete(grammar));
      this.adding.set(grammar, p);
    }
    return p;
  }

  /**
   * Parses `text`; pass the previous tree (already `edit`ed) for an incremental re-parse. With
   * `includedRanges` (UTF-16 offsets, ordered), only those parts of the text are read; the tree's
   * offsets are still those of the whole text. Without either, the last tree parsed for this grammar
   * is reused when `text` is an edit of the last text (an editor's re-analysis after a keystroke): the
   * edit is the differing middle of the two texts, and tree-sitter re-parses only around it.
   * `oldTree` null: a fresh parse that neither uses nor updates that last tree. A parse with included
   * ranges never does either. The caller owns (and deletes) the returned tree.
   *
   * Python: long runs of comment-only lines are hidden from tree-sitter (`hideCommentRuns`; the
   * grammar's scanner is quadratic on them): tree-sitter reads a same-length text in which the inner
   * lines of each run are spaces, the tree is checked (`failingRuns`) and re-parsed without the runs
   * that fail, and the hidden comments are kept with the tree (`hiddenComments`) for the lowering.
   * An `oldTree` that had hidden runs is not reused (its edits were made on the real text, not on
   * what tree-sitter saw); the editor's documents re-parse such trees with `reparse`.
   */
  parse(grammar: GrammarName, text: string, oldTree?: SyntaxTree | null, includedRanges?: TreeSitter.Range[]): SyntaxTree {
    const p = this.parser(grammar);
    const view = this.view(grammar, text);
    if (includedRanges?.length) {
      return this.shown(text, view, (seen, fresh) => this.within(p, seen, fresh ? null : (oldTree ?? null), includedRanges));
    }
    if (oldTree !== undefined) {
      if (oldTree && shownOf.has(oldTree)) oldTree = null;
      if (!oldTree || !view) return this.shown(text, view, (seen) => this.within(p, seen, oldTree ?? null));
      // The old tree saw the old text as it was; the lines hidden now must be read again.
      const base = oldTree.copy();
      try {
        markChanged(base, text, view.runs);
        return this.shown(text, view, (seen, fresh) => this.within(p, seen, fresh ? null : base));
      } finally {
        base.delete();
      }
    }
    const seen = view?.seen ?? text;
    const last = this.last.get(grammar);
    if (last && last.text === text && last.seen === seen) return withShown(last.tree.copy(), last.shown);
    const edit = last ? textEdit(last.seen, seen) : undefined;
    let tree: SyntaxTree;
    if (last && edit) {
      const base = last.tree.copy();
      try {
        base.edit(edit);
        tree = this.shown(text, view, (s, fresh) => this.within(p, s, fresh ? null : base));
      } finally {
        base.delete();
      }
    } else tree = this.shown(text, view, (s) => this.within(p, s, null));
    last?.tree.delete();
    const shown = shownOf.get(tree);
    this.last.set(grammar, { text, seen: shown?.seen ?? text, tree: tree.copy(), shown });
    return tree;
  }

  /**
   * Re-parses the text `oldText` became (`text`) from `oldTree`, the tree this object returned for
   * `oldText`, not edited since: the edit is computed on what tree-sitter saw of both texts, so it
   * also covers lines hidden or shown again (an editor document whose tree has hidden comment runs).
   */
  reparse(grammar: GrammarName, oldTree: SyntaxTree, oldText: string, text: string): SyntaxTree {
    const p = this.parser(grammar);
    const view = this.view(grammar, text);
    const edit = textEdit(shownOf.get(oldTree)?.seen ?? oldText, view?.seen ?? text);
    if (!edit) return this.shown(text, view, (seen) => this.within(p, seen, null));
    const base = oldTree.copy();
    try {
      base.edit(edit);
      return this.shown(text, view, (seen, fresh) => this.within(p, seen, fresh ? null : base));
    } finally {
      base.delete();
    }
  }

  /** One tree-sitter parse, cancelled at the deadline of the current `shown` call. */
  private within(p: TreeSitter.Parser, seen: string, old: SyntaxTree | null, includedRanges?: TreeSitter.Range[]): SyntaxTree {
    const deadline = this.deadline;
    const progressCallback = deadline === Infinity ? undefined : () => Date.now() > deadline;
    const tree = p.parse(seen, old, includedRanges ? { includedRanges, progressCallback } : { progressCallback });
    if (tree) return tree;
    p.reset(); // a cancelled parse would otherwise be resumed by the next one
    if (Date.now() > deadline) throw new ParseTimeout(this.parseBudgetMs);
    throw new Error('tree-sitter returned no tree');
  }

  private view(grammar: GrammarName, text: string): CommentRunView | undefined {
    return grammar === 'python' && this.commentRunMinLines !== Infinity ? hideCommentRuns(text, this.commentRunMinLines) : undefined;
  }

  private parser(grammar: GrammarName): TreeSitter.Parser {
    let p = this.parsers.get(grammar);
    if (!p) {
      const lang = this.languages.get(grammar);
      if (!lang) throw new Error(`grammar ${grammar} was not loaded`);
      p = new TreeSitter.Parser();
      p.setLanguage(lang);
      this.parsers.set(grammar, p);
    }
    return p;
  }

  /**
   * Parses what tree-sitter is shown of `text` (`view`: hidden comment runs) and checks the tree:
   * - every hidden run must lie between two comments that are siblings outside any ERROR node
   *   (`failingRuns`); a run that does not is shown again;
   * - when the tree has a syntax error before a run, the run might be in a string that tree-sitter's
   *   error recovery did not keep (an unterminated string that a quote on a hidden line would have
   *   closed), so its lines with quotes, backslashes or braces are shown again (`splitRun`): the lines
   *   still hidden then cannot end, continue or open anything in a string.
   * A run that fails is cut into pieces of one indentation (comments of one indentation in a row are
   * always siblings), and shown if a piece fails again; a third failure shows everything (`fresh`: the
   * old tree, if any, must not be used after the first attempt). Records the hidden comments with the tree.
   */
  private shown(text: string, view: CommentRunView | undefined, parse: (seen: string, fresh: boolean) => SyntaxTree): SyntaxTree {
    this.stats.parses++;
    this.deadline = Number.isFinite(this.parseBudgetMs) ? Date.now() + this.parseBudgetMs : Infinity;
    if (!view) return parse(text, false);
    let runs = view.runs;
    let seen = view.seen;
    for (let attempt = 0; ; attempt++) {
      const tree = parse(seen, attempt > 0);
      const failing = new Set(failingRuns(tree.rootNode, runs));
      const errorAt = tree.rootNode.hasError ? firstErrorStart(tree.rootNode) : Infinity;
      const risky = new Set(runs.filter((r) => r.first.e > errorAt && !failing.has(r) && !stringNeutral(text, r)));
      if (!failing.size && !risky.size) {
        this.stats.hiddenLines += runs.reduce((n, r) => n + r.hidden.length, 0);
        return withShown(tree, { text, seen, runs });
      }
      tree.delete();
      this.stats.fallbacks++;
      if (attempt >= 2) return parse(text, true);
      // a failing run is cut where the indentation changes, then (failing again) shown
      const minHidden = this.commentRunMinLines - 2;
      runs = runs.flatMap((r) => (failing.has(r) ? (attempt === 0 ? sameIndentPieces(text, r, minHidden) : []) : risky.has(r) ? splitRun(text, r) : [r]));
      if (!runs.length) return parse(text, true);
      seen = blankRuns(text, runs);
    }
  }
}

/** Characters that matter inside a string literal (ending or continuing it, or an f-string field). */
const STRING_SENSITIVE = /['"\\{}]/;

function stringNeutral(text: string, r: HiddenRun): boolean {
  return !r.hidden.length || !STRING_SENSITIVE.test(text.slice(r.hidden[0].s, r.last.s));
}

/**
 * `r` less its hidden lines with string-sensitive characters: those lines are shown and cut the run;
 * each part is cut again by indentation (`pieces`).
 */
function splitRun(text: string, r: HiddenRun): HiddenRun[] {
  const out: HiddenRun[] = [];
  let part: Span[] = [r.first];
  for (const h of [...r.hidden, r.last]) {
    part.push(h);
    if (h !== r.last && !STRING_SENSITIVE.test(text.slice(h.s, h.e))) continue;
    out.push(...pieces(part, part.map((c) => indentOf(text, c)), 1));
    part = [h];
  }
  return out;
}

/** Start of the first ERROR or MISSING node in document order. */
function firstErrorStart(root: SyntaxNode): number {
  const cursor = root.walk();
  try {
    for (;;) {
      const n = cursor.currentNode;
      if (n.type === 'ERROR' || n.isMissing) return n.startIndex;
      if (n.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return Infinity;
    }
  } finally {
    cursor.delete();
  }
}

/** What tree-sitter was shown of a Python text: the text with the inner lines of long comment runs blanked. */
interface Shown {
  text: string;
  seen: string;
  runs: HiddenRun[];
}

/** The trees this module returned whose text had hidden comment runs. */
const shownOf = new WeakMap<SyntaxTree, Shown>();

function withShown(tree: SyntaxTree, shown: Shown | undefined): SyntaxTree {
  if (shown?.runs.length) shownOf.set(tree, shown);
  return tree;
}

/**
 * The comments of `tree`'s text that tree-sitter was not shown, by the start of the (shown) comment
 * each run follows, and the real text (the tree's own text has spaces there). Undefined for a tree
 * with none.
 */
export function hiddenComments(tree: SyntaxTree): { text: string; after: Map<number, Span[]> } | undefined {
  const shown = shownOf.get(tree);
  if (!shown) return undefined;
  return { text: shown.text, after: new Map(shown.runs.map((r) => [r.first.s, r.hidden])) };
}

/** Whether tree-sitter was shown `tree`'s text with comment runs hidden (see `Parsers.reparse`). */
export function hasHiddenComments(tree: SyntaxTree): boolean {
  return shownOf.has(tree);
}

/** A run of comment-only lines whose inner lines are hidden: the first and last comments stay. */
export interface HiddenRun {
  first: Span;
  last: Span;
  hidden: Span[];
}

export interface CommentRunView {
  /** The text with every hidden line's characters (all but the `\n`) replaced by spaces. */
  seen: string;
  runs: HiddenRun[];
}

/**
 * Runs of at least this many comment-only lines have their inner comment lines hidden from tree-sitter. The
 * grammar's scanner (tree-sitter-python 0.25.0) is quadratic on a run that follows a statement: 32
 * lines take about 0.1 ms, 256 lines 12 ms, 1,000 lines 0.4 s.
 */
export const COMMENT_RUN_MIN_LINES = 32;

/**
 * Finds runs of comment-only lines (spaces and tabs, then `#`; blank lines may come between) and
 * blanks the comment lines between a first and a last comment of a run (same length; `\n` kept), when
 * when a run has at least `minLines` comments. Which comments may be hidden follows the grammar's
 * scanner: at each line end it measures the indentation of the next comment and of the next code line
 * (a space counts 1, a tab 8) and closes a block (DEDENT) before a comment only if both are below the
 * current block's. So between a first comment F and a last comment L that end up siblings in the tree
 * of the blanked text (checked after parsing, `failingRuns`), comments indented at least as deep as F
 * or as L close no block in the plain parse either (F stays in its block only if it, or the next code
 * line, is indented at least as deep as the block; likewise L): they are siblings of F and L too. A run
 * is cut at the first and the last of its shallowest comments (`pieces`).
 * Undefined when nothing is hidden. A text with a NUL character is left alone (tree-sitter ends a
 * comment there).
 */
export function hideCommentRuns(text: string, minLines = COMMENT_RUN_MIN_LINES): CommentRunView | undefined {
  if (text.length < minLines * 2 || !text.includes('#') || text.includes('\0')) return undefined;
  const runs: HiddenRun[] = [];
  let comments: Span[] = []; // the comments of the current run
  let indents: number[] = []; // their indentation, as the scanner measures it
  const close = (): void => {
    if (comments.length >= minLines) runs.push(...pieces(comments, indents, 1));
    comments = [];
    indents = [];
  };
  for (let ls = 0; ; ) {
    const nl = text.indexOf('\n', ls);
    const le = nl < 0 ? text.length : nl;
    let i = ls;
    let indent = 0;
    for (let c = text.charCodeAt(i); i < le && (c === 32 || c === 9); c = text.charCodeAt(++i)) indent += c === 9 ? 8 : 1;
    if (i < le && text.charCodeAt(i) === 35 /* # */) {
      comments.push({ s: i, e: le });
      indents.push(indent);
    } else {
      // a blank line (spaces, tabs, \r, \f) neither ends a run nor is part of one
      for (let c = text.charCodeAt(i); i < le && (c === 32 || c === 9 || c === 13 || c === 12); c = text.charCodeAt(++i));
      if (i < le && comments.length) close();
    }
    if (nl < 0) break;
    ls = nl + 1;
  }
  close();
  if (!runs.length) return undefined;
  return { seen: blankRuns(text, runs), runs };
}

/**
 * Cuts a run of comments (with their indentations) into pieces whose hidden comments are indented at
 * least as deep as the shallower of the piece's first and last comments: at the first and the last
 * of the run's shallowest comments. Keeps the pieces that hide something, if they hide `minHidden`
 * comments in all.
 */
function pieces(comments: readonly Span[], indents: readonly number[], minHidden: number): HiddenRun[] {
  let m = Infinity;
  for (const i of indents) m = Math.min(m, i);
  const cuts = [...new Set([0, indents.indexOf(m), indents.lastIndexOf(m), comments.length - 1])].sort((a, b) => a - b);
  const out: HiddenRun[] = [];
  let hidden = 0;
  for (let k = 1; k < cuts.length; k++) {
    const [a, b] = [cuts[k - 1], cuts[k]];
    if (b - a < 2) continue;
    out.push({ first: comments[a], last: comments[b], hidden: comments.slice(a + 1, b) });
    hidden += b - a - 1;
  }
  return hidden >= Math.max(1, minHidden) ? out : [];
}

/** The pieces of `r` whose comments have one indentation, hiding at least `minHidden` comments. */
function sameIndentPieces(text: string, r: HiddenRun, minHidden: number): HiddenRun[] {
  const all = [r.first, ...r.hidden, r.last];
  const out: HiddenRun[] = [];
  for (let i = 0; i < all.length; ) {
    const ind = indentOf(text, all[i]);
    let j = i;
    while (j + 1 < all.length && indentOf(text, all[j + 1]) === ind) j++;
    if (j - i - 1 >= Math.max(1, minHidden)) out.push({ first: all[i], last: all[j], hidden: all.slice(i + 1, j) });
    i = j + 1;
  }
  return out;
}

/** The indentation of the line of a comment, as the grammar's scanner measures it (space 1, tab 8). */
function indentOf(text: string, c: Span): number {
  let n = 0;
  for (let i = text.lastIndexOf('\n', c.s) + 1; i < c.s; i++) n += text.charCodeAt(i) === 9 ? 8 : 1;
  return n;
}

/** `text` with the lines of the runs' hidden comments blanked (all but `\n` → space; same length). */
function blankRuns(text: string, runs: readonly HiddenRun[]): string {
  const spaces: string[] = [];
  let out = '';
  let at = 0;
  for (const r of runs) {
    for (const h of r.hidden) {
      const ls = text.lastIndexOf('\n', h.s) + 1;
      const n = h.e - ls;
      out += text.slice(at, ls) + (spaces[n] ??= ' '.repeat(n));
      at = h.e;
    }
  }
  return out + text.slice(at);
}

/**
 * The runs whose first and last comments are not comment nodes of exactly their spans, next to each
 * other under one parent, outside any ERROR node or string and without a syntax error in the nearest other
 * sibling on either side (a run inside a string, or in broken code): the tree might not be the
 * unblanked text's tree there.
 */
export function failingRuns(root: SyntaxNode, runs: readonly HiddenRun[]): HiddenRun[] {
  const out: HiddenRun[] = [];
  for (const r of runs) {
    const a = root.descendantForIndex(r.first.s, r.first.e);
    const b = a?.nextSibling;
    let ok = !!a && !!b && isComment(a, r.first) && isComment(b, r.last);
    // (tree-sitter lets a one-quote string span lines, with comments in it, and recovers errors.)
    for (let n = a?.parent; ok && n; n = n.parent) if (n.type === 'ERROR' || n.type === 'string' || n.type === 'interpolation') ok = false;
    // Error recovery next to the run may depend on how many comments it skips: none next to it.
    let prev = ok ? a!.previousSibling : null;
    while (prev && prev.type === 'comment') prev = prev.previousSibling;
    let next = ok ? b!.nextSibling : null;
    while (next && next.type === 'comment') next = next.nextSibling;
    if (!ok || prev?.hasError || prev?.isMissing || next?.hasError || next?.isMissing) out.push(r);
  }
  return out;
}

function isComment(n: SyntaxNode, span: Span): boolean {
  return n.type === 'comment' && n.startIndex === span.s && n.endIndex === span.e && !n.isMissing;
}

/** Marks the lines hidden in `text` as changed in `tree` (an old tree already edited to `text`'s offsets). */
function markChanged(tree: SyntaxTree, text: string, runs: readonly HiddenRun[]): void {
  let row = 0;
  let lineStart = 0;
  const point = (offset: number): TreeSitter.Point => {
    for (let i = text.indexOf('\n', lineStart); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
      row++;
      lineStart = i + 1;
    }
    return { row, column: offset - lineStart };
  };
  for (const r of runs) {
    const ps = point(r.first.e);
    const pe = point(r.last.s);
    tree.edit({ startIndex: r.first.e, oldEndIndex: r.last.s, newEndIndex: r.last.s, startPosition: ps, oldEndPosition: pe, newEndPosition: pe });
  }
}

/**
 * The edit that turns `before` into `after`: their common prefix and suffix are kept, the middle is
 * replaced. Undefined when the texts share less than half of `after` (not an edit of each other: a
 * fresh parse is as fast). Offsets are UTF-16 code units and never split a surrogate pair; points
 * count rows by '\n' and columns in code units, as web-tree-sitter does.
 */
export function textEdit(before: string, after: string): TreeSitter.Edit | undefined {
  const max = Math.min(before.length, after.length);
  let pre = commonPrefix(before, after);
  let suf = commonSuffix(before, after, max - pre);
  if (pre > 0 && isHighSurrogate(after.charCodeAt(pre - 1))) pre--;
  if (suf > 0 && isLowSurrogate(after.charCodeAt(after.length - suf))) suf--;
  if (pre + suf < after.length / 2) return undefined;
  const oldEnd = before.length - suf;
  const newEnd = after.length - suf;
  return {
    startIndex: pre,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(after, pre),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Row and UTF-16 column of `offset` (rows split at `\n`, as tree-sitter counts them). */
export function pointAt(text: string, offset: number): TreeSitter.Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** Number of syntax-error regions (ERROR or MISSING nodes) in a text, for checks that fixes parse. */
export function syntaxErrorCount(parsers: Parsers, grammar: GrammarName, text: string): number {
  const tree = parsers.parse(grammar, text);
  const cursor = tree.walk();
  try {
    let n = 0;
    for (;;) {
      const node = cursor.currentNode;
      if (node.type === 'ERROR' || node.isMissing) n++;
      // only subtrees that contain an error are entered
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return n;
    }
  } finally {
    cursor.delete();
    tree.delete();
  }
}
