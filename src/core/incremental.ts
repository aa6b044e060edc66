// The editor's re-analysis after an edit (issue #7): what a document's previous check lowered and
// analysed, kept by the caller (`CheckOptions.session`) and reused where the edit did not reach.
//
//  - Lowering, per top-level statement. The module's IR is the concatenation of its children's
//    (`lowerPythonTopLevel`). A child of the new tree that lies wholly before the edited range, or
//    wholly after it, with the same node type and the same (shifted) offsets as a child of the last
//    tree, has the same text; when that child lowered without syntax errors, its IR is reused (offsets
//    after the edit shifted in place by the edit's length change). Only the other children are read
//    from the tree (`flatten`) and lowered.
//  - Analysis, when the edit changed no IR but offsets (whitespace, line breaks, comments, `pass` for
//    `...`): the interpreter reads no offset, so its result on the new IR is the last one. The
//    re-lowered statements are compared with those they replace ignoring offsets; when all are equal,
//    the old IR objects are kept (the new offsets copied into them) and so is the analysis, whose
//    values are keyed by those objects. An analysis that asked the project index for another file is
//    never reused (that file may have changed).
//  - Or, when the only statement that changed is one top-level function's body: that function is
//    walked again alone (`Analysis.rewalk`, with an analysis made with `track`), when nothing else
//    can see its body and phase 2 of the analysis did not depend on the order of its walks
//    (`PhaseTwoLog` in analysis/interpret.ts says when).
//  - Rules and findings run on every check (they read the text); the rule runner keeps its node
//    lists and gate answers per top-level statement, so only changed statements are gated again.
//
// test/incremental.test.ts replays random edits on every Python fixture and on generated training
// scripts and compares each incremental check with a fresh one.
import type { Analysis, AnalyzeOptions } from './analysis/interpret';
import { CalleeValues, ExprValues } from './analysis/expr-map';
import type { Arg, Expr, Module, Param, Span, Stmt } from './ir';
import type { DefStmt } from './analysis/values';
import { hiddenComments, type SyntaxNode } from './parser';
import { lowerPython, lowerPythonTopLevel } from './python/lower';
import { childrenOf } from './syntax';
import { LineIndex } from './fix/text';
import { commonPrefix, commonSuffix } from './text-diff';

interface Piece {
  type: number;
  s: number;
  e: number;
  ir: Module;
  /** Holds the first comment of a hidden comment run (never reused). */
  run: boolean;
  /** The IR's offset holders, collected at the piece's first shift. */
  offsets?: Offsets;
}

/** What one session's last check kept; `reuse` counts what the last check reused (tests, logs). */
export class EditSession {
  private text: string | undefined;
  private pieces: Piece[] = [];
  private analysis: Analysis | undefined;
  /** Set when the last analysis asked the project index about another file. */
  private external = false;
  /** Whether the last analysis had a project resolver. */
  private resolver = false;
  readonly stats = { statementsReused: 0, statementsLowered: 0, analysisReused: false, functionRewalked: false, checks: 0 };

  /** The line index made for the last text (`lineIndex`), and the last two texts compared (`diff`). */
  private lines: LineIndex | undefined;
  private lastDiff: { a: string; b: string; pre: number; suf: number } | undefined;

  /** Whether a check of this session has lowered a text (the document is being analysed). */
  get active(): boolean {
    return this.text !== undefined;
  }

  /** Retires the last analysis (its values on the kept IR nodes are free for the next one). */
  private drop(): void {
    const a = this.analysis;
    this.analysis = undefined;
    if (a) for (const t of [a.values, a.callees]) if (t instanceof ExprValues || t instanceof CalleeValues) t.retired = true;
  }

  /**
   * The common prefix and suffix of two versions of the document's text: computed once per pair (the
   * line index and the lowering of one check both ask).
   */
  private diff(a: string, b: string): { pre: number; suf: number } {
    const d = this.lastDiff;
    if (d && d.a === a && d.b === b) return d;
    const pre = commonPrefix(a, b);
    const suf = commonSuffix(a, b, Math.min(a.length, b.length) - pre);
    this.lastDiff = { a, b, pre, suf };
    return this.lastDiff;
  }

  /**
   * The line index of `text`: after a keystroke, derived from the one made for the previous text
   * (`LineIndex.edited`: a copy of the line starts, not a scan of a long document).
   */
  lineIndex(text: string): LineIndex {
    const prev = this.lines;
    let li: LineIndex;
    if (!prev) li = new LineIndex(text);
    else if (prev.text === text) li = prev;
    else {
      const { pre, suf } = this.diff(prev.text, text);
      li = LineIndex.edited(prev, text, pre, prev.text.length - suf, text.length - suf);
    }
    return (this.lines = li);
  }

  /** Forgets everything (the next check lowers and analyses the whole text). */
  reset(): void {
    this.lines = undefined;
    this.lastDiff = undefined;
    this.drop();
    this.text = undefined;
    this.external = false;
    this.pieces = [];
  }

  /**
   * The IR of `text` (whose tree is `root`) and, when the last analysis holds for it, that analysis;
   * otherwise the caller analyses `module` with the `options` returned and passes the result to
   * `analysed`. On an exception the session forgets everything.
   */
  lower(text: string, root: SyntaxNode, options: AnalyzeOptions): { module: Module; analysis: Analysis | undefined; options: AnalyzeOptions } {
    try {
      return this.lowerUnsafe(text, root, options);
    } catch (e) {
      this.reset();
      throw e;
    }
  }

  private lowerUnsafe(text: string, root: SyntaxNode, options: AnalyzeOptions): { module: Module; analysis: Analysis | undefined; options: AnalyzeOptions } {
    // A resolver now and none then (or the reverse) may change what imports are: not the same analysis.
    if ((options.resolveImport !== undefined) !== this.resolver) this.drop();
    const kids = childrenOf(root);
    // Comment runs hidden from tree-sitter (parser.ts): a child holding the first comment of a run
    // (which the run's hidden comments follow in the IR) is always lowered again.
    const hidden = hiddenComments(root.tree);
    const runStarts = hidden ? [...hidden.after.keys()].sort((a, b) => a - b) : [];
    const holdsRun = (s: number, e: number): boolean => {
      let lo = 0;
      let hi = runStarts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (runStarts[mid]! < s) lo = mid + 1;
        else hi = mid;
      }
      return lo < runStarts.length && runStarts[lo]! <= e;
    };
    const old = this.pieces;
    const before = this.text;
    // The edit: the texts' common prefix and suffix are kept; [pre, newEnd) replaces [pre, oldEnd).
    let pre = 0;
    let delta = 0;
    let newEnd = 0;
    if (before !== undefined) {
      const d = this.diff(before, text);
      pre = d.pre;
      const suf = d.suf;
      newEnd = text.length - suf;
      delta = text.length - before.length;
    }
    const byStart = new Map<number, Piece>();
    if (before !== undefined) for (const p of old) if (p.ir.errors.length === 0 && !p.run) byStart.set(p.s, p);
    const pieces: Piece[] = [];
    let reused = 0;
    const fresh: Piece[] = [];
    const used = new Set<Piece>();
    // The statements of the reused pieces (a re-lowered statement never stands in for one of them).
    const reusedStmts = new Set<Stmt>();
    if (before === undefined && kids.count > 0) {
      // A first check: one lowering of the whole tree (one flatten, faster than one per child), its
      // statements, comments and errors given to the child they start in (the last child starting at
      // or before them: a run's hidden comments follow its first comment, between children).
      const whole = lowerPython(root);
      for (let i = 0; i < kids.count; i++) {
        const p: Piece = { type: kids.type[i]!, s: kids.start[i]!, e: kids.end[i]!, ir: { body: [], comments: [], errors: [] }, run: runStarts.length > 0 && holdsRun(kids.start[i]!, kids.end[i]!) };
        fresh.push(p);
        pieces.push(p);
      }
      const owner = (at: number): Piece => {
        let lo = 0;
        let hi = pieces.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (pieces[mid]!.s <= at) lo = mid;
          else hi = mid - 1;
        }
        return pieces[lo]!;
      };
      for (const x of whole.body) owner(x.s).ir.body.push(x);
      for (const x of whole.comments) owner(x.s).ir.comments.push(x);
      for (const x of whole.errors) owner(x.s).ir.errors.push(x);
    }
    for (let i = 0; i < kids.count && pieces.length < kids.count; i++) {
      const s = kids.start[i]!;
      const e = kids.end[i]!;
      const type = kids.type[i]!;
      let p: Piece | undefined;
      const run = runStarts.length > 0 && holdsRun(s, e);
      if (run) {
        // lowered below
      } else if (before !== undefined && e < pre) {
        p = byStart.get(s);
        if (p && (p.e !== e || p.type !== type)) p = undefined;
      } else if (before !== undefined && s > newEnd) {
        p = byStart.get(s - delta);
        if (p && (p.e !== e - delta || p.type !== type)) p = undefined;
        if (p && delta !== 0) {
          shift(p, delta);
          p.s = s;
          p.e = e;
        }
      }
      if (p) {
        reused++;
        used.add(p);
        for (const x of p.ir.body) reusedStmts.add(x);
        pieces.push(p);
        continue;
      }
      const node = root.child(i);
      const ir = node ? lowerPythonTopLevel(node, { hidden }) : { body: [], comments: [], errors: [] };
      p = { type, s, e, ir, run };
      fresh.push(p);
      pieces.push(p);
    }
    // The analysis holds when the module's statements are the last ones but for offsets: at each
    // position the same (reused) statement, or a re-lowered one equal to the old one it replaces.
    let analysis: Analysis | undefined;
    // Or, with a tracked analysis, when one top-level function's body is all that changed: its new
    // body goes into the old `def` (whose name, parameters and decorators keep their values) and the
    // analysis walks it again, if that gives what a fresh analysis gives (`Analysis.rewalk`).
    let rewalk: DefStmt | undefined;
    if (this.analysis && !this.external) {
      const was = this.analysis.module.body;
      const now: { piece: Piece; index: number }[] = [];
      for (const p of pieces) for (let i = 0; i < p.ir.body.length; i++) now.push({ piece: p, index: i });
      let same = now.length === was.length;
      let changed = -1;
      for (let i = 0; same && i < now.length; i++) {
        const { piece, index } = now[i]!;
        const x = piece.ir.body[index]!;
        const old = was[i]!;
        if (x === old) continue;
        const fresh = !used.has(piece) && !reusedStmts.has(old);
        if (fresh && sameIgnoringOffsets(x, old)) continue;
        if (fresh && changed < 0 && this.analysis.rewalk && sameHeader(x, old)) changed = i;
        else same = false;
      }
      if (same) {
        for (let i = 0; i < now.length; i++) {
          const { piece, index } = now[i]!;
          const x = piece.ir.body[index]!;
          if (x === was[i]) continue;
          if (i === changed) {
            rewalk = adoptBody(x as DefStmt, was[i] as DefStmt);
            piece.ir.body[index] = rewalk;
            continue;
          }
          copyOffsets(x, was[i]);
          piece.ir.body[index] = was[i]!;
        }
        analysis = this.analysis;
      }
    }
    this.text = text;
    this.pieces = pieces;
    this.stats.checks++;
    this.stats.statementsReused = reused;
    this.stats.statementsLowered = fresh.length;
    const module: Module = { body: [], comments: [], errors: [] };
    for (const p of pieces) {
      for (const x of p.ir.body) module.body.push(x);
      for (const x of p.ir.comments) module.comments.push(x);
      for (const x of p.ir.errors) module.errors.push(x);
    }
    if (analysis) {
      // A re-walked function has new nodes: a new generation for what rules keep per analysis.
      analysis = rewalk ? { ...analysis, module, generation: (analysis.generation ?? 0) + 1 } : { ...analysis, module };
      if (rewalk && !analysis.rewalk?.(rewalk)) analysis = undefined;
    }
    this.stats.analysisReused = analysis !== undefined && !rewalk;
    this.stats.functionRewalked = analysis !== undefined && rewalk !== undefined;
    if (analysis) this.analysis = analysis;
    else this.drop();
    if (analysis) return { module, analysis, options };
    this.resolver = options.resolveImport !== undefined;
    return { module, analysis, options: this.watch(options) };
  }

  /** The options to analyse the module `lower` returned with: they note whether the analysis reads another file. */
  private watch(options: AnalyzeOptions): AnalyzeOptions {
    this.external = false;
    const resolve = options.resolveImport;
    if (!resolve) return { ...options, track: true };
    return {
      ...options,
      track: true,
      resolveImport: (module, level, name) => {
        this.external = true;
        return resolve(module, level, name);
      },
    };
  }

  analysed(analysis: Analysis): void {
    this.analysis = analysis;
  }
}

// ---- IR offsets ---------------------------------------------------------------------------------
// The IR's offsets are the keys below (ir.ts: Span's s/e, attr's attrS, call's argsS/argsE, def and
// class nameS); everything else of an IR node is what the analysis may read.

const OFFSET = new Set(['s', 'e', 'attrS', 'argsS', 'argsE', 'nameS']);

type Node = Record<string, unknown>;

/**
 * Every object of a piece's IR that holds offsets, grouped by node kind (collected once, then shifted
 * group by group). Each group has its own loop (the `shift*` functions below): the property stores
 * of a loop then see one object shape, or a few, where one loop over every kind of node sees dozens
 * and goes megamorphic, which made shifting a 20,000-line script's IR 2.3x slower (a keystroke near
 * the top of a long file shifts nearly all of it).
 */
interface Offsets {
  /** Name expressions. */
  names: Span[];
  /** Numbers, strings, constants. */
  literals: Span[];
  /** Attribute expressions (`attrS` too). */
  attrs: (Span & { attrS: number })[];
  /** Calls (`argsS`, `argsE` too). */
  calls: (Span & { argsS: number; argsE: number })[];
  /** Call arguments, class bases and parameters. */
  args: Span[];
  /** Assignments. */
  assigns: Span[];
  /** Other statements. */
  statements: Span[];
  /** Functions and classes: `nameS` (their spans are with the statements). */
  defs: { nameS: number }[];
  /** Other expressions, comments and errors. */
  rest: Span[];
}

/** Adds `delta` to every offset in the piece's IR (statements, comments, errors), in place. */
function shift(p: Piece, delta: number): void {
  const o = (p.offsets ??= collectOffsets(p.ir));
  shiftNames(o.names, delta);
  shiftLiterals(o.literals, delta);
  shiftAttrs(o.attrs, delta);
  shiftCalls(o.calls, delta);
  shiftArgs(o.args, delta);
  shiftAssigns(o.assigns, delta);
  shiftStatements(o.statements, delta);
  shiftRest(o.rest, delta);
  const defs = o.defs;
  for (let i = 0; i < defs.length; i++) defs[i]!.nameS += delta;
}

// One loop per group, deliberately not shared (see `Offsets`).
function shiftNames(xs: Span[], d: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    x.s += d;
    x.e += d;
  }
}
function shiftLiterals(xs: Span[], d: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    x.s += d;
    x.e += d;
  }
}
function shiftArgs(xs: Span[], d: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    x.s += d;
    x.e += d;
  }
}
function shiftAssigns(xs: Span[], d: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    x.s += d;
    x.e += d;
  }
}
function shiftStatements(xs: Span[], d: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    x.s += d;
    x.e += d;
  }
}
function shiftRest(xs: Span[], d: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    x.s += d;
    x.e += d;
  }
}
function shiftAttrs(xs: (Span & { attrS: number })[], d: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    x.s += d;
    x.e += d;
    x.attrS += d;
  }
}
function shiftCalls(xs: (Span & { argsS: number; argsE: number })[], d: number): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    x.s += d;
    x.e += d;
    x.argsS += d;
    x.argsE += d;
  }
}

function collectOffsets(ir: Module): Offsets {
  const o: Offsets = { names: [], literals: [], attrs: [], calls: [], args: [], assigns: [], statements: [], defs: [], rest: [] };
  stmtsOffsets(ir.body, o);
  for (const x of ir.comments) o.rest.push(x);
  for (const x of ir.errors) o.rest.push(x);
  return o;
}

// One function per IR type, every field of ir.ts. test/incremental.test.ts compares shifted IR with fresh.
function stmtsOffsets(b: Stmt[], o: Offsets): void {
  for (let i = 0; i < b.length; i++) stmtOffsets(b[i]!, o);
}

function stmtOffsets(x: Stmt, o: Offsets): void {
  (x.k === 'assign' ? o.assigns : o.statements).push(x);
  switch (x.k) {
    case 'assign':
      exprsOffsets(x.targets, o);
      exprOffsets(x.value, o);
      return;
    case 'expr':
      exprOffsets(x.value, o);
      return;
    case 'return':
      if (x.value) exprOffsets(x.value, o);
      return;
    case 'def':
      o.defs.push(x);
      paramsOffsets(x.params, o);
      stmtsOffsets(x.body, o);
      exprsOffsets(x.decorators, o);
      return;
    case 'class':
      o.defs.push(x);
      argsOffsets(x.bases, o);
      stmtsOffsets(x.body, o);
      exprsOffsets(x.decorators, o);
      return;
    case 'import':
    case 'from':
      return;
    case 'if':
      for (const b of x.branches) {
        if (b.test) exprOffsets(b.test, o);
        stmtsOffsets(b.body, o);
      }
      return;
    case 'loop':
      if (x.target) exprOffsets(x.target, o);
      if (x.iter) exprOffsets(x.iter, o);
      if (x.test) exprOffsets(x.test, o);
      stmtsOffsets(x.body, o);
      stmtsOffsets(x.orelse, o);
      return;
    case 'with':
      for (const it of x.items) {
        exprOffsets(it.expr, o);
        if (it.target) exprOffsets(it.target, o);
      }
      stmtsOffsets(x.body, o);
      return;
    case 'try':
      stmtsOffsets(x.body, o);
      for (const h of x.handlers) {
        if (h.type) exprOffsets(h.type, o);
        stmtsOffsets(h.body, o);
      }
      stmtsOffsets(x.orelse, o);
      stmtsOffsets(x.final, o);
      return;
    case 'other':
      exprsOffsets(x.exprs, o);
      return;
  }
}

function exprsOffsets(xs: Expr[], o: Offsets): void {
  for (let i = 0; i < xs.length; i++) exprOffsets(xs[i]!, o);
}

function argsOffsets(xs: Arg[], o: Offsets): void {
  for (const a of xs) {
    o.args.push(a);
    exprOffsets(a.value, o);
  }
}

function paramsOffsets(xs: Param[], o: Offsets): void {
  for (const p of xs) {
    o.args.push(p);
    if (p.default) exprOffsets(p.default, o);
  }
}

function exprOffsets(x: Expr, o: Offsets): void {
  // Iterative along the first child (attribute and call chains, nested binary operators are deep).
  for (;;) {
    switch (x.k) {
      case 'name':
        o.names.push(x);
        return;
      case 'num':
      case 'str':
      case 'const':
        o.literals.push(x);
        return;
      case 'attr':
        o.attrs.push(x);
        x = x.obj;
        continue;
      case 'call':
        o.calls.push(x);
        argsOffsets(x.args, o);
        x = x.fn;
        continue;
      case 'subscript':
        o.rest.push(x);
        exprsOffsets(x.index, o);
        x = x.obj;
        continue;
      case 'slice':
        o.rest.push(x);
        if (x.lower) exprOffsets(x.lower, o);
        if (x.upper) exprOffsets(x.upper, o);
        if (x.step) exprOffsets(x.step, o);
        return;
      case 'binop':
        o.rest.push(x);
        exprOffsets(x.right, o);
        x = x.left;
        continue;
      case 'unary':
        o.rest.push(x);
        x = x.operand;
        continue;
      case 'compare':
        o.rest.push(x);
        exprsOffsets(x.operands, o);
        return;
      case 'list':
      case 'tuple':
      case 'set':
        o.rest.push(x);
        exprsOffsets(x.elts, o);
        return;
      case 'dict':
        o.rest.push(x);
        for (const k of x.keys) if (k) exprOffsets(k, o);
        exprsOffsets(x.values, o);
        return;
      case 'ifexp':
        o.rest.push(x);
        exprOffsets(x.test, o);
        exprOffsets(x.orelse, o);
        x = x.body;
        continue;
      case 'lambda':
        o.rest.push(x);
        paramsOffsets(x.params, o);
        x = x.body;
        continue;
      case 'paren':
      case 'star':
        o.rest.push(x);
        x = x.inner;
        continue;
      case 'other':
        o.rest.push(x);
        exprsOffsets(x.kids, o);
        return;
    }
  }
}

/** Whether two IR trees are equal but for their offsets. */
export function sameIgnoringOffsets(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameIgnoringOffsets(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Node;
  const y = b as Node;
  // (keys `__sl...` are an analysis' slots on the node, analysis/expr-map.ts: not IR)
  const kx = Object.keys(x).filter(notSlot);
  if (kx.length !== Object.keys(y).filter(notSlot).length) return false;
  for (const k of kx) {
    if (!(k in y)) return false;
    const u = x[k];
    const v = y[k];
    if (typeof u === 'number' && typeof v === 'number' && OFFSET.has(k)) continue;
    if (!sameIgnoringOffsets(u, v)) {
      // NaN-free IR: numbers, strings, booleans compare by value
      return false;
    }
  }
  return true;
}

function notSlot(k: string): boolean {
  return !k.startsWith('__sl');
}

/** Copies the offsets of `from` into `into` (equal but for offsets), in place. */
function copyOffsets(from: unknown, into: unknown): void {
  if (typeof from !== 'object' || from === null || typeof into !== 'object' || into === null) return;
  if (Array.isArray(from)) {
    const to = into as unknown[];
    for (let i = 0; i < from.length; i++) copyOffsets(from[i], to[i]);
    return;
  }
  const x = from as Node;
  const y = into as Node;
  for (const k in x) {
    const v = x[k];
    if (typeof v === 'number') {
      if (OFFSET.has(k)) y[k] = v;
    } else if (typeof v === 'object' && v !== null) copyOffsets(v, y[k]);
  }
}


/** Two top-level function definitions with the same name, parameters and decorators (offsets aside). */
function sameHeader(a: Stmt, b: Stmt): boolean {
  return a.k === 'def' && b.k === 'def' && a.name === b.name && sameIgnoringOffsets(a.params, b.params) && sameIgnoringOffsets(a.decorators, b.decorators);
}

/** The old definition `into` with the new one's body and offsets (its header nodes keep their values). */
function adoptBody(from: DefStmt, into: DefStmt): DefStmt {
  copyOffsets(from.params, into.params);
  copyOffsets(from.decorators, into.decorators);
  into.s = from.s;
  into.e = from.e;
  into.nameS = from.nameS;
  into.body = from.body;
  return into;
}
