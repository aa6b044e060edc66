// tree-sitter through @vscode/tree-sitter-wasm. The host supplies the wasm bytes (read from disk in
// Node, fetched in a browser), so this module does no I/O of its own and runs in Node and web workers.
import * as TreeSitter from '@vscode/tree-sitter-wasm';

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

export class Parsers {
  private readonly parsers = new Map<GrammarName, TreeSitter.Parser>();
  /** The last text parsed per grammar and (a copy of) its tree, for incremental re-parses. */
  private readonly last = new Map<GrammarName, { text: string; tree: SyntaxTree }>();

  private constructor(private readonly languages: Map<GrammarName, TreeSitter.Language>) {}

  static async create(load: WasmLoader, grammars: GrammarName[] = ['python']): Promise<Parsers> {
    const runtime = await load('tree-sitter.wasm');
    const options: Record<string, unknown> = { wasmBinary: runtime, locateFile: (f: string) => f };
    await TreeSitter.Parser.init(options as never);
    // Emscripten makes the options object the module: it now holds the runtime's exported functions.
    if (!rawModule && typeof options[RAW_CHECK] === 'function') rawModule = options;
    const languages = new Map<GrammarName, TreeSitter.Language>();
    for (const g of grammars) languages.set(g, await TreeSitter.Language.load(await load(`tree-sitter-${g}.wasm`)));
    return new Parsers(languages);
  }

  has(grammar: GrammarName): boolean {
    return this.languages.has(grammar);
  }

  /**
   * Parses `text`; pass the previous tree (already `edit`ed) for an incremental re-parse. With
   * `includedRanges` (UTF-16 offsets, ordered), only those parts of the text are read; the tree's
   * offsets are still those of the whole text. Without either, the last tree parsed for this grammar
   * is reused when `text` is an edit of the last text (an editor's re-analysis after a keystroke): the
   * edit is the differing middle of the two texts, and tree-sitter re-parses only around it.
   * `oldTree` null: a fresh parse that neither uses nor updates that last tree. A parse with included
   * ranges never does either. The caller owns (and deletes) the returned tree.
   */
  parse(grammar: GrammarName, text: string, oldTree?: SyntaxTree | null, includedRanges?: TreeSitter.Range[]): SyntaxTree {
    let p = this.parsers.get(grammar);
    if (!p) {
      const lang = this.languages.get(grammar);
      if (!lang) throw new Error(`grammar ${grammar} was not loaded`);
      p = new TreeSitter.Parser();
      p.setLanguage(lang);
      this.parsers.set(grammar, p);
    }
    if (includedRanges?.length) return checked(p.parse(text, oldTree ?? null, { includedRanges }));
    if (oldTree !== undefined) return checked(p.parse(text, oldTree));
    const last = this.last.get(grammar);
    if (last && last.text === text) return last.tree.copy();
    const edit = last ? textEdit(last.text, text) : undefined;
    let tree: SyntaxTree;
    if (last && edit) {
      const base = last.tree.copy();
      try {
        base.edit(edit);
        tree = checked(p.parse(text, base));
      } finally {
        base.delete();
      }
    } else tree = checked(p.parse(text, null));
    last?.tree.delete();
    this.last.set(grammar, { text, tree: tree.copy() });
    return tree;
  }
}

function checked(tree: SyntaxTree | null): SyntaxTree {
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/**
 * The edit that turns `before` into `after`: their common prefix and suffix are kept, the middle is
 * replaced. Undefined when the texts share less than half of `after` (not an edit of each other: a
 * fresh parse is as fast). Offsets are UTF-16 code units and never split a surrogate pair; points
 * count rows by '\n' and columns in code units, as web-tree-sitter does.
 */
export function textEdit(before: string, after: string): TreeSitter.Edit | undefined {
  const max = Math.min(before.length, after.length);
  let pre = 0;
  while (pre < max && before.charCodeAt(pre) === after.charCodeAt(pre)) pre++;
  let suf = 0;
  while (suf < max - pre && before.charCodeAt(before.length - 1 - suf) === after.charCodeAt(after.length - 1 - suf)) suf++;
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
