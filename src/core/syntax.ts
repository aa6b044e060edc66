// Small helpers over tree-sitter nodes shared by the front ends (python/, typescript/).
import type { Expr, Span } from './ir';
import { rawCursor, type SyntaxNode } from './parser';

/** An expression the analysis knows nothing about (keeps the span for messages). */
export function opaque(span: Span): Expr {
  return { k: 'other', kids: [], s: span.s, e: span.e };
}

/** The children of `n`, without (Python) backslash line continuations, which the IR never has. */
export function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const count = n.childCount;
  for (let i = 0; i < count; i++) {
    const c = n.child(i);
    if (c && c.type !== 'line_continuation') out.push(c);
  }
  return out;
}

/** The named children of `n`, without (Python) backslash line continuations. */
export function named(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const count = n.namedChildCount;
  for (let i = 0; i < count; i++) {
    const c = n.namedChild(i);
    if (c && c.type !== 'line_continuation') out.push(c);
  }
  return out;
}

/** The first named child that is not a comment or a (Python) backslash line continuation. */
export function firstNamed(n: SyntaxNode): SyntaxNode | null {
  const count = n.namedChildCount;
  for (let i = 0; i < count; i++) {
    const c = n.namedChild(i);
    if (c && c.type !== 'comment' && c.type !== 'line_continuation') return c;
  }
  return null;
}

// ---- flat trees -------------------------------------------------------------------------------
// Every call on a web-tree-sitter `Node` crosses into wasm and back (marshalling the node through the
// heap) and most allocate a new `Node` object; a lowering that asks for fields, types and text node
// by node spends more time there than in the parse. `flatten` reads the whole tree once with one
// `TreeCursor` into typed arrays (pre-order; each node's first child and next sibling), after which
// a front end walks plain integers: type ids, field ids, UTF-16 offsets, text sliced from the source.

/** Node flags in `FlatTree.flags`. */
export const NAMED = 1;
export const MISSING = 2;

export interface FlatTree {
  /** Number of nodes; node 0 is the root. */
  count: number;
  /** Type id (the language's symbol; `ERROR_TYPE` for ERROR nodes). */
  type: Uint16Array;
  /** Field id of the node in its parent (0: none); an id of `fields`. */
  field: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  /** First child, or -1. */
  child: Int32Array;
  /** Next sibling, or -1. */
  next: Int32Array;
  flags: Uint8Array;
  /** Type names by type id (as `Node.type`: an unnamed id is 'ERROR'). */
  types: readonly string[];
  /** Field names by field id (as `Language.fields`). */
  fields: readonly (string | null)[];
  /** The source text of the root node and its start offset: node i's text is `source.slice(start - base, end - base)`. */
  source: string;
  base: number;
}

export const ERROR_TYPE = 65535;

const namedTables = new WeakMap<object, Uint8Array>();

/** Per type id: 1 when nodes of that type are named (ERROR nodes are). */
function namedTable(language: SyntaxNode['tree']['language']): Uint8Array {
  let t = namedTables.get(language);
  if (!t) {
    t = new Uint8Array(65536);
    for (let id = 0; id < language.types.length; id++) if (language.types[id] !== undefined && language.nodeTypeIsNamed(id)) t[id] = 1;
    t[ERROR_TYPE] = 1;
    namedTables.set(language, t);
  }
  return t;
}

/**
 * Reads the tree under `root` into a `FlatTree` (one cursor walk, no `Node` objects). With the
 * runtime's raw cursor functions (`rawCursor`), the walk costs a few wasm calls per node; `portable`
 * (or a runtime without them) uses the public `TreeCursor`, which gives the same tree, slower.
 */
export function flatten(root: SyntaxNode, options: { portable?: boolean } = {}): FlatTree {
  const language = root.tree.language;
  const isNamed = namedTable(language);
  const source = root.text;
  const base = root.startIndex;
  let cap = Math.max(16, root.descendantCount + 1);
  let type = new Uint16Array(cap);
  let field = new Uint16Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let child = new Int32Array(cap);
  let next = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  let count = 0;
  const grow = (): void => {
    cap *= 2;
    const more = <A extends Uint16Array | Int32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    type = more(type, (n) => new Uint16Array(n));
    field = more(field, (n) => new Uint16Array(n));
    start = more(start, (n) => new Int32Array(n));
    end = more(end, (n) => new Int32Array(n));
    child = more(child, (n) => new Int32Array(n));
    next = more(next, (n) => new Int32Array(n));
    flags = more(flags, (n) => new Uint8Array(n));
  };
  const raw = options.portable ? undefined : rawCursor();
  const cursor = root.walk();
  // The walk: pre-order; `parents` holds the open ancestors' indices.
  const walk = (
    record: () => number,
    firstChild: () => boolean,
    nextSibling: () => boolean,
    parent: () => boolean,
  ): void => {
    const parents: number[] = [];
    let cur = record();
    for (;;) {
      if (firstChild()) {
        const c = record();
        child[cur] = c;
        parents.push(cur);
        cur = c;
        continue;
      }
      for (;;) {
        if (nextSibling()) {
          const s = record();
          next[cur] = s;
          cur = s;
          break;
        }
        if (!parents.length || !parent()) return;
        cur = parents.pop() as number;
      }
    }
  };
  if (raw) {
    const tree = (root.tree as unknown as Record<number, number>)[0];
    // Any getter marshals the cursor into the transfer buffer, where the raw calls read and move it.
    void cursor.currentFieldId;
    try {
      walk(
        () => {
          if (count === cap) grow();
          const i = count++;
          const t = raw.typeId(tree);
          const s = raw.startIndex(tree);
          const e = raw.endIndex(tree);
          type[i] = t;
          field[i] = raw.fieldId(tree);
          start[i] = s;
          end[i] = e;
          child[i] = -1;
          next[i] = -1;
          // Only zero-width nodes can be MISSING: ask only for them.
          flags[i] = isNamed[t] | (s === e && raw.isMissing(tree) ? MISSING : 0);
          return i;
        },
        () => raw.gotoFirstChild(tree) === 1,
        () => raw.gotoNextSibling(tree) === 1,
        () => raw.gotoParent(tree) === 1,
      );
    } finally {
      // The buffer holds the moved cursor (the wrapper's copy may point at freed memory): free that one.
      raw.delete(tree);
    }
  } else {
    try {
      walk(
        () => {
          if (count === cap) grow();
          const i = count++;
          const t = cursor.nodeTypeId;
          const s = cursor.startIndex;
          const e = cursor.endIndex;
          type[i] = t;
          field[i] = cursor.currentFieldId;
          start[i] = s;
          end[i] = e;
          child[i] = -1;
          next[i] = -1;
          flags[i] = isNamed[t] | (s === e && cursor.nodeIsMissing ? MISSING : 0);
          return i;
        },
        () => cursor.gotoFirstChild(),
        () => cursor.gotoNextSibling(),
        () => cursor.gotoParent(),
      );
    } finally {
      cursor.delete();
    }
  }
  return { count, type, field, start, end, child, next, flags, types: language.types, fields: language.fields, source, base };
}

/** The children of `root` (type id, UTF-16 offsets), read with one cursor and no `Node` objects. */
export interface Children {
  count: number;
  type: number[];
  start: number[];
  end: number[];
}

export function childrenOf(root: SyntaxNode, options: { portable?: boolean } = {}): Children {
  const out: Children = { count: 0, type: [], start: [], end: [] };
  const raw = options.portable ? undefined : rawCursor();
  const cursor = root.walk();
  if (raw) {
    const tree = (root.tree as unknown as Record<number, number>)[0];
    void cursor.currentFieldId;
    try {
      if (raw.gotoFirstChild(tree) !== 1) return out;
      do {
        out.type.push(raw.typeId(tree));
        out.start.push(raw.startIndex(tree));
        out.end.push(raw.endIndex(tree));
        out.count++;
      } while (raw.gotoNextSibling(tree) === 1);
    } finally {
      raw.delete(tree);
    }
    return out;
  }
  try {
    if (!cursor.gotoFirstChild()) return out;
    do {
      out.type.push(cursor.nodeTypeId);
      out.start.push(cursor.startIndex);
      out.end.push(cursor.endIndex);
      out.count++;
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
  return out;
}
