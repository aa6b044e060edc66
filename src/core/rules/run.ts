// The rule runner: one walk over the analysis model, dispatching each node to the rules that want it.
// Rules with a higher `priority` see a node first, so they can claim spans ("report the finding whose
// fix is best, not both").
import type { Analysis } from '../analysis/interpret';
import { UNKNOWN } from '../analysis/values';
import { forEachChild, type Expr, type Span, type Stmt } from '../ir';
import type { RuleCode } from '../types';
import type { Report, Rule, RuleContext } from './rule';
import { findComments, type CommentRange } from '../noqa';
import { collectImports } from './shared/imports';

export function runRules(text: string, analysis: Analysis, rules: readonly Rule[]): Report[] {
  const reports: Report[] = [];
  const claims: { code: RuleCode; span: Span }[] = [];
  let comments: CommentRange[] | undefined; // found lazily: only fixes need them
  const ctx: RuleContext = {
    text,
    module: analysis.module,
    analysis,
    imports: collectImports(analysis.module, text),
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
  const onCall = ordered.filter((r) => r.call);
  const onBinop = ordered.filter((r) => r.binop);
  const onUnary = ordered.filter((r) => r.unary);

  // Collect nodes first (pre-order), then dispatch per priority tier so claims precede checks.
  const { calls, binops, unaries } = nodesOf(analysis);

  const tiers = [...new Set(ordered.map((r) => r.priority ?? 0))];
  for (const tier of tiers) {
    const inTier = (r: Rule) => (r.priority ?? 0) === tier;
    const callRules = onCall.filter(inTier);
    const binopRules = onBinop.filter(inTier);
    const unaryRules = onUnary.filter(inTier);
    if (callRules.length) for (const c of calls) for (const r of callRules) r.call?.(c as never, ctx);
    if (binopRules.length) for (const b of binops) for (const r of binopRules) r.binop?.(b as never, ctx);
    if (unaryRules.length) for (const u of unaries) for (const r of unaryRules) r.unary?.(u as never, ctx);
  }
  return reports;
}

interface Nodes {
  calls: Expr[];
  binops: Expr[];
  unaries: Expr[];
}

/**
 * The call, binary and unary nodes of the analysed module, each list in source order. Kept per
 * analysis (keyed by its values and generation): an editor's re-check that reuses the analysis (../incremental.ts:
 * the same IR objects, offsets moved in order) gets the same lists.
 */
const nodesByAnalysis = new WeakMap<Analysis['values'], Nodes & { generation: number }>();

function nodesOf(analysis: Analysis): Nodes {
  const known = nodesByAnalysis.get(analysis.values);
  if (known && known.generation === (analysis.generation ?? 0)) return known;
  const calls: Expr[] = [];
  const binops: Expr[] = [];
  const unaries: Expr[] = [];
  const visitExpr = (e: Expr): void => {
    // Iterative to keep deep nesting off the call stack.
    const stack: Expr[] = [e];
    while (stack.length) {
      const x = stack.pop() as Expr;
      if (x.k === 'call') calls.push(x);
      else if (x.k === 'binop') binops.push(x);
      else if (x.k === 'unary') unaries.push(x);
      const kids: Expr[] = [];
      forEachChild(x, (c) => kids.push(c));
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  };
  forEachStmtExpr(analysis.module.body, visitExpr);
  calls.sort((a, b) => a.s - b.s);
  binops.sort((a, b) => a.s - b.s);
  unaries.sort((a, b) => a.s - b.s);
  const nodes = { calls, binops, unaries, generation: analysis.generation ?? 0 };
  nodesByAnalysis.set(analysis.values, nodes);
  return nodes;
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
