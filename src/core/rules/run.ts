// The rule runner: one walk over the analysis model, dispatching each node to the rules that want it.
// Rules with a higher `priority` see a node first, so they can claim spans ("report the finding whose
// fix is best, not both").
import type { Analysis } from '../analysis/interpret';
import { UNKNOWN } from '../analysis/values';
import type { Expr, Span, Stmt } from '../ir';
import type { CallExpr } from '../analysis/values';
import type { RuleCode } from '../types';
import type { FactContext, Gate, Report, Rule, RuleContext } from './rule';
import { findComments, type CommentRange } from '../noqa';
import { collectImports, type Imports } from './shared/imports';

export function runRules(text: string, analysis: Analysis, rules: readonly Rule[]): Report[] {
  const reports: Report[] = [];
  const claims: { code: RuleCode; span: Span }[] = [];
  let comments: CommentRange[] | undefined; // found lazily: only fixes need them
  let imports: Imports | undefined; // likewise
  const ctx: RuleContext = {
    text,
    module: analysis.module,
    analysis,
    get imports() {
      return (imports ??= collectImports(analysis.module, text));
    },
    value: (e) => analysis.values.get(e) ?? UNKNOWN,
    callee: (c) => analysis.callees.get(c) ?? UNKNOWN,
    source: (s) => text.slice(s.s, s.e),
    dropsComment(span, kept = []) {
      comments ??= findComments(text);
      for (const c of comments) {
        if (c.start >= span.e) break;
        if (c.start >= span.s && c.end <= span.e && !kept.some((k) => c.start >= k.s && c.end <= k.e)) return true;
      }
      return false;
    },
    report: (r) => reports.push(r),
    claim: (code, span) => claims.push({ code, span }),
    isClaimed: (span) => claims.some((c) => c.span.s <= span.s && span.e <= c.span.e),
  };
  const ordered = [...rules].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  // The nodes (pre-order collected, each list in source order) are dispatched per priority tier, so
  // claims precede checks; within a tier, node by node, each node to the tier's rules in order.
  const nodes = nodesOf(analysis);
  const tiers = [...new Set(ordered.map((r) => r.priority ?? 0))];
  for (const tier of tiers) {
    const inTier = ordered.filter((r) => (r.priority ?? 0) === tier);
    for (const kind of KINDS) {
      const list = nodes[kind];
      const lanes: Lane[] = [];
      for (const r of inTier) {
        const visit = r[kind] as Lane['visit'] | undefined;
        if (visit) lanes.push({ visit, passed: passing(list, r.only?.[kind] as Gate<Expr> | undefined, r.only?.within, ctx) });
      }
      if (lanes.length) dispatch(list, lanes, ctx);
    }
  }
  return reports;
}

const KINDS = ['call', 'binop', 'unary'] as const;

/** One rule's visitor of a node kind, and the indexes (ascending) of the nodes its gate accepts (all without one). */
interface Lane {
  visit: (e: Expr, ctx: RuleContext) => void;
  passed: readonly number[] | undefined;
}

/** Calls each lane's visitor on its nodes, in node order and, at one node, in lane order. */
function dispatch(list: NodeList, lanes: Lane[], ctx: RuleContext): void {
  if (lanes.every((l) => l.passed === undefined)) {
    for (const n of allNodes(list)) for (const l of lanes) l.visit(n, ctx);
    return;
  }
  const nodes = lanes.some((l) => l.passed === undefined) ? allNodes(list) : undefined;
  const at = lanes.map(() => 0);
  const current = (i: number): number => {
    const p = lanes[i].passed;
    return p ? (at[i] < p.length ? p[at[i]] : Infinity) : at[i] < list.count ? at[i] : Infinity;
  };
  for (;;) {
    let next = Infinity;
    for (let i = 0; i < lanes.length; i++) next = Math.min(next, current(i));
    if (next === Infinity) return;
    const node = nodes ? nodes[next] : nodeAt(list, next);
    for (let i = 0; i < lanes.length; i++) {
      if (current(i) !== next) continue;
      lanes[i].visit(node, ctx);
      at[i]++;
    }
  }
}

/** All the list's nodes in order (made from the statements' lists on first use). */
function allNodes(list: NodeList): Expr[] {
  if (!list.nodes) {
    const nodes: Expr[] = [];
    for (const { list: block } of list.blocks!) for (const x of block.nodes) nodes.push(x);
    list.nodes = nodes;
  }
  return list.nodes;
}

/** The node at index `i` of the list, found through its statement's block when the list was not made. */
function nodeAt(list: NodeList, i: number): Expr {
  if (list.nodes) return list.nodes[i];
  const blocks = list.blocks!;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid].base <= i) lo = mid;
    else hi = mid - 1;
  }
  return blocks[lo].list.nodes[i - blocks[lo].base];
}

/**
 * The indexes of the nodes a gate accepts (undefined: no gate), kept with the node list. When the
 * list is its top-level statements' lists one after the other (the usual case), each statement's
 * answers are kept with the statement's nodes, so a new generation of the analysis (a re-walked
 * function) asks the gate only about the new function's nodes; and a statement without a call
 * `within` accepts (see `Rule.only`) is not asked about at all. (Gates that share a function share
 * their answers whatever their `within`: it is a necessary condition, it changes no answer.)
 */
function passing(list: NodeList, gate: Gate<Expr> | undefined, within: Gate<CallExpr> | undefined, facts: FactContext): readonly number[] | undefined {
  if (!gate) return undefined;
  let passed = list.passed.get(gate);
  if (passed) return passed;
  passed = [];
  if (list.blocks) {
    for (const { list: block, base, statement } of list.blocks) {
      const kept = (block.passed ??= new Map());
      let mine = kept.get(gate);
      if (!mine) kept.set(gate, (mine = within && !holds(statement, within, facts) ? NOTHING : accepted(block.nodes, gate, facts)));
      for (const i of mine) passed.push(base + i);
    }
  } else passed = accepted(allNodes(list), gate, facts);
  list.passed.set(gate, passed);
  return passed;
}

/** A gate's answer on a statement where it accepts nothing (never modified). */
const NOTHING: number[] = [];

/** Whether a top-level statement holds a call `within` accepts (kept with the statement's nodes). */
function holds(statement: StatementNodes, within: Gate<CallExpr>, facts: FactContext): boolean {
  const kept = (statement.holds ??= new Map());
  let answer = kept.get(within);
  if (answer === undefined) {
    answer = false;
    for (const c of statement.lists.call.nodes) {
      if (within(c as CallExpr, facts)) {
        answer = true;
        break;
      }
    }
    kept.set(within, answer);
  }
  return answer;
}

function accepted(nodes: readonly Expr[], gate: Gate<Expr>, facts: FactContext): number[] {
  const out: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (gate(nodes[i], facts)) out.push(i);
  return out;
}

interface NodeList {
  /**
   * The nodes in order. When the statements' lists follow each other in order (`blocks`), made only
   * if a rule without a gate asks for every node: a re-walked function's new analysis would otherwise
   * copy every node of the module on each keystroke.
   */
  nodes: Expr[] | undefined;
  count: number;
  /** Per gate, the indexes of the nodes it accepts (see `Rule.only`). */
  passed: Map<Gate<Expr>, number[]>;
  /** When `nodes` is the top-level statements' lists one after the other: where each one starts. */
  blocks: { list: StatementList; base: number; statement: StatementNodes }[] | undefined;
}

interface Nodes {
  call: NodeList;
  binop: NodeList;
  unary: NodeList;
  generation: number;
  /** Each top-level statement's nodes (see `nodesOf`). */
  statements: Map<Stmt, StatementNodes>;
}

/** A top-level statement's nodes of each kind in source order, and the gates' answers on them. */
interface StatementNodes {
  /** A `def`'s or `class`'s body when collected (a re-walk gives a top-level `def` a new one). */
  body: Stmt[] | undefined;
  lists: Record<(typeof KINDS)[number], StatementList>;
  /** Per `within` gate (see `Rule.only`), whether one of the statement's calls passes it. */
  holds?: Map<Gate<CallExpr>, boolean>;
}

interface StatementList {
  nodes: Expr[];
  /** Per gate, the indexes of the nodes it accepts (made on the first gate). */
  passed?: Map<Gate<Expr>, number[]>;
}

/**
 * The call, binary and unary nodes of the analysed module, each list in source order, with the
 * gates' answers. Kept per analysis (keyed by its values) and generation: an editor's re-check that
 * reuses the analysis (../incremental.ts: the same IR objects, offsets moved in order) gets the same
 * lists, and the gates (which read no offset) are not evaluated again. A new generation (a top-level
 * function re-walked with a new body; every other node keeps the values a fresh analysis gives it)
 * collects that function's nodes again, and the gates see only those.
 */
const nodesByAnalysis = new WeakMap<Analysis['values'], Nodes>();

function nodesOf(analysis: Analysis): Nodes {
  const generation = analysis.generation ?? 0;
  const known = nodesByAnalysis.get(analysis.values);
  if (known && known.generation === generation) return known;
  const statements = new Map<Stmt, StatementNodes>();
  for (const s of analysis.module.body) {
    let mine = known?.statements.get(s);
    if (!mine || mine.body !== bodyOf(s)) mine = collect(s);
    statements.set(s, mine);
  }
  const list = (kind: (typeof KINDS)[number]): NodeList => {
    // The module's nodes in pre-order, stably sorted by offset: the statements' sorted lists one
    // after the other, unless one starts before the one above it ends (then sorted again).
    const blocks: NonNullable<NodeList['blocks']> = [];
    let end = -Infinity;
    let inOrder = true;
    let count = 0;
    for (const mine of statements.values()) {
      const l = mine.lists[kind];
      if (!l.nodes.length) continue;
      if (l.nodes[0].s < end) inOrder = false;
      end = l.nodes[l.nodes.length - 1].s;
      blocks.push({ list: l, base: count, statement: mine });
      count += l.nodes.length;
    }
    const list: NodeList = { nodes: undefined, count, passed: new Map(), blocks };
    if (inOrder) return list;
    const nodes = allNodes(list).sort((a, b) => a.s - b.s);
    return { nodes, count, passed: new Map(), blocks: undefined };
  };
  const nodes = { call: list('call'), binop: list('binop'), unary: list('unary'), generation, statements };
  nodesByAnalysis.set(analysis.values, nodes);
  return nodes;
}

/** Shared by every statement without nodes of a kind (never gated: its list is skipped). */
const NONE: StatementList = { nodes: [] };

function isSorted(nodes: Expr[]): boolean {
  for (let i = 1; i < nodes.length; i++) if (nodes[i].s < nodes[i - 1].s) return false;
  return true;
}

function bodyOf(s: Stmt): Stmt[] | undefined {
  return s.k === 'def' || s.k === 'class' ? s.body : undefined;
}

/** A top-level statement's call, binary and unary nodes, each list in pre-order stably sorted by offset. */
function collect(s: Stmt): StatementNodes {
  const found: Found = { calls: [], binops: [], unaries: [], stack: [] };
  collectStatements(s, found);
  const list = (nodes: Expr[]): StatementList => (nodes.length ? { nodes: isSorted(nodes) ? nodes : nodes.sort((a, b) => a.s - b.s) } : NONE);
  return { body: bodyOf(s), lists: { call: list(found.calls), binop: list(found.binops), unary: list(found.unaries) } };
}

interface Found {
  calls: Expr[];
  binops: Expr[];
  unaries: Expr[];
  /** The expressions still to visit (reused: no array per node). */
  stack: Expr[];
}

/**
 * The statement's expressions in the order `forEachStmtExpr` gives them, each walked in pre-order
 * with `forEachChild`'s order of children. Written out (no callback, no array of children per node):
 * it sees every node of the module on each fresh analysis.
 */
function collectStatements(top: Stmt, found: Found): void {
  const stmts: Stmt[] = [top];
  const pushBody = (b: Stmt[]): void => {
    for (let i = b.length - 1; i >= 0; i--) stmts.push(b[i]);
  };
  while (stmts.length) {
    const s = stmts.pop() as Stmt;
    switch (s.k) {
      case 'assign':
        for (const t of s.targets) collectExpr(t, found);
        collectExpr(s.value, found);
        break;
      case 'expr':
        collectExpr(s.value, found);
        break;
      case 'return':
        if (s.value) collectExpr(s.value, found);
        break;
      case 'def':
        for (const d of s.decorators) collectExpr(d, found);
        for (const p of s.params) if (p.default) collectExpr(p.default, found);
        pushBody(s.body);
        break;
      case 'class':
        for (const d of s.decorators) collectExpr(d, found);
        for (const b of s.bases) collectExpr(b.value, found);
        pushBody(s.body);
        break;
      case 'if':
        for (const b of s.branches) if (b.test) collectExpr(b.test, found);
        for (let i = s.branches.length - 1; i >= 0; i--) pushBody(s.branches[i].body);
        break;
      case 'loop':
        if (s.target) collectExpr(s.target, found);
        if (s.iter) collectExpr(s.iter, found);
        if (s.test) collectExpr(s.test, found);
        pushBody(s.orelse);
        pushBody(s.body);
        break;
      case 'with':
        for (const i of s.items) {
          collectExpr(i.expr, found);
          if (i.target) collectExpr(i.target, found);
        }
        pushBody(s.body);
        break;
      case 'try':
        pushBody(s.final);
        pushBody(s.orelse);
        for (let i = s.handlers.length - 1; i >= 0; i--) pushBody(s.handlers[i].body);
        for (const h of s.handlers) if (h.type) collectExpr(h.type, found);
        pushBody(s.body);
        break;
      case 'other':
        for (const e of s.exprs) collectExpr(e, found);
        break;
      default:
        break;
    }
  }
}

/** The expression's call, binary and unary nodes in pre-order (iterative: deep nesting stays off the call stack). */
function collectExpr(root: Expr, found: Found): void {
  const stack = found.stack;
  stack.push(root);
  while (stack.length) {
    const x = stack.pop() as Expr;
    // Children pushed last to first, so they pop in `forEachChild`'s order.
    switch (x.k) {
      case 'attr':
        stack.push(x.obj);
        break;
      case 'call':
        found.calls.push(x);
        for (let i = x.args.length - 1; i >= 0; i--) stack.push(x.args[i].value);
        stack.push(x.fn);
        break;
      case 'subscript':
        for (let i = x.index.length - 1; i >= 0; i--) stack.push(x.index[i]);
        stack.push(x.obj);
        break;
      case 'slice':
        if (x.step) stack.push(x.step);
        if (x.upper) stack.push(x.upper);
        if (x.lower) stack.push(x.lower);
        break;
      case 'binop':
        found.binops.push(x);
        stack.push(x.right);
        stack.push(x.left);
        break;
      case 'unary':
        found.unaries.push(x);
        stack.push(x.operand);
        break;
      case 'compare':
        for (let i = x.operands.length - 1; i >= 0; i--) stack.push(x.operands[i]);
        break;
      case 'list':
      case 'tuple':
      case 'set':
        for (let i = x.elts.length - 1; i >= 0; i--) stack.push(x.elts[i]);
        break;
      case 'dict':
        for (let i = x.values.length - 1; i >= 0; i--) stack.push(x.values[i]);
        for (let i = x.keys.length - 1; i >= 0; i--) {
          const k = x.keys[i];
          if (k) stack.push(k);
        }
        break;
      case 'ifexp':
        stack.push(x.orelse);
        stack.push(x.body);
        stack.push(x.test);
        break;
      case 'lambda':
        stack.push(x.body);
        for (let i = x.params.length - 1; i >= 0; i--) {
          const d = x.params[i].default;
          if (d) stack.push(d);
        }
        break;
      case 'paren':
      case 'star':
        stack.push(x.inner);
        break;
      case 'other':
        for (let i = x.kids.length - 1; i >= 0; i--) stack.push(x.kids[i]);
        break;
      default:
        break;
    }
  }
}

export function forEachStmtExpr(body: Stmt[], f: (e: Expr) => void): void {
  const stack: Stmt[] = [...body].reverse();
  while (stack.length) {
    const s = stack.pop() as Stmt;
    const push = (b: Stmt[]): void => {
      for (let i = b.length - 1; i >= 0; i--) stack.push(b[i]);
    };
    switch (s.k) {
      case 'assign':
        s.targets.forEach(f);
        f(s.value);
        break;
      case 'expr':
        f(s.value);
        break;
      case 'return':
        if (s.value) f(s.value);
        break;
      case 'def':
        s.decorators.forEach(f);
        for (const p of s.params) if (p.default) f(p.default);
        push(s.body);
        break;
      case 'class':
        s.decorators.forEach(f);
        for (const b of s.bases) f(b.value);
        push(s.body);
        break;
      case 'if':
        for (const b of s.branches) if (b.test) f(b.test);
        for (let i = s.branches.length - 1; i >= 0; i--) push(s.branches[i].body);
        break;
      case 'loop':
        if (s.target) f(s.target);
        if (s.iter) f(s.iter);
        if (s.test) f(s.test);
        push(s.orelse);
        push(s.body);
        break;
      case 'with':
        for (const i of s.items) {
          f(i.expr);
          if (i.target) f(i.target);
        }
        push(s.body);
        break;
      case 'try':
        push(s.final);
        push(s.orelse);
        for (let i = s.handlers.length - 1; i >= 0; i--) push(s.handlers[i].body);
        for (const h of s.handlers) if (h.type) f(h.type);
        push(s.body);
        break;
      case 'other':
        s.exprs.forEach(f);
        break;
      default:
        break;
    }
  }
}
