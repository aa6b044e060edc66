// Helpers for fixes that rewrite a producer (softmax/sigmoid call) or reuse its input.
import type { Analysis } from '../../analysis/interpret';
import type { CallExpr, Producer } from '../../analysis/values';
import { unparen, type Expr, type Span, type Stmt } from '../../ir';
import type { RuleContext } from '../rule';

/** The expression is the producer call itself (possibly parenthesised): `loss(F.softmax(x), y)`. */
export function isDirect(arg: Expr, p: Producer): boolean {
  return unparen(arg) === p.call;
}

/** A side-effect-free expression that can be copied: names and attribute chains of names. */
export function isCopyable(e: Expr): boolean {
  const x = unparen(e);
  if (x.k === 'name') return true;
  if (x.k === 'attr') return isCopyable(x.obj);
  return false;
}

/**
 * Text that denotes the producer's input at `use`: the input itself when the use is the producer
 * call, or a copy of the input when it is a plain name not rebound between producer and use.
 */
export function inputAt(useExpr: Expr, p: Producer, ctx: RuleContext): string | undefined {
  if (!p.input || p.derived || (p.via !== 'function' && p.via !== 'method' && p.via !== 'module')) return undefined;
  if (isDirect(useExpr, p)) return ctx.source(p.input);
  if (!isCopyable(p.input) || unparen(useExpr).k !== 'name') return undefined;
  if (useExpr.s < p.call.e) return undefined;
  const root = rootName(p.input);
  if (!root) return undefined;
  const fn = enclosingFunctionBody(ctx.analysis, p.call);
  const fnOfUse = enclosingFunctionBody(ctx.analysis, useExpr);
  if (fn !== fnOfUse) return undefined;
  // Every binding of the input's root name in that body must precede the producer.
  for (const off of assignmentsOf(fn ?? ctx.module.body, root)) if (off > p.call.s) return undefined;
  return ctx.source(p.input);
}

function rootName(e: Expr): string | undefined {
  const x = unparen(e);
  if (x.k === 'name') return x.id;
  if (x.k === 'attr') return rootName(x.obj);
  return undefined;
}

/** The body (statement list) of the innermost function containing the span, or undefined for module level. */
export function enclosingFunctionBody(a: Analysis, span: Span): Stmt[] | undefined {
  let best: Stmt[] | undefined;
  let bestSize = Infinity;
  for (const f of a.functions) {
    if (f.def.s <= span.s && span.e <= f.def.e && f.def.e - f.def.s < bestSize) {
      best = f.def.body;
      bestSize = f.def.e - f.def.s;
    }
  }
  return best;
}

/** Offsets of statements that (re)bind `name` in a body (not descending into nested functions/classes). */
function assignmentsOf(body: Stmt[], name: string): number[] {
  const out: number[] = [];
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      switch (s.k) {
        case 'assign':
          if (s.targets.some((t) => binds(t, name))) out.push(s.s);
          break;
        case 'if':
          s.branches.forEach((b) => visit(b.body));
          break;
        case 'loop':
          if (s.target && binds(s.target, name)) out.push(s.s);
          visit(s.body);
          visit(s.orelse);
          break;
        case 'with':
          if (s.items.some((i) => i.target && binds(i.target, name))) out.push(s.s);
          visit(s.body);
          break;
        case 'try':
          visit(s.body);
          s.handlers.forEach((h) => visit(h.body));
          visit(s.orelse);
          visit(s.final);
          break;
        case 'def':
        case 'class':
          if (s.name === name) out.push(s.s);
          break;
        case 'import':
          if (s.names.some((n) => (n.asname ?? n.module.split('.')[0]) === name)) out.push(s.s);
          break;
        case 'from':
          if (s.names === '*' || s.names.some((n) => (n.asname ?? n.name) === name)) out.push(s.s);
          break;
        default:
          break;
      }
    }
  };
  visit(body);
  return out;
}

function binds(t: Expr, name: string): boolean {
  const x = unparen(t);
  if (x.k === 'name') return x.id === name;
  if (x.k === 'attr') return binds(x.obj, name);
  if (x.k === 'tuple' || x.k === 'list') return x.elts.some((e) => binds(e, name));
  if (x.k === 'star') return binds(x.inner, name);
  return false;
}

/** The callee text to use for the fused log variant of a producer (F.softmax → F.log_softmax). */
export function logVariantCallee(p: Producer, ctx: RuleContext): { text: string; edits: { s: number; e: number; content: string }[] } | undefined {
  const spec = p.spec;
  if (!spec || spec.role !== 'activation' || !spec.logVariant) return undefined;
  const variantLeaf = spec.logVariant.split('.').pop() as string;
  if (p.via === 'method') {
    // x.softmax(1) → x.log_softmax(1): the method exists on tensors.
    return p.call.fn.k === 'attr' ? { text: `${ctx.source(p.call.fn.obj)}.${variantLeaf}`, edits: [] } : undefined;
  }
  if (p.via !== 'function') return undefined;
  const fn = unparen(p.call.fn);
  const api = p.api ?? '';
  const sameModule = api.split('.').slice(0, -1).join('.') === spec.logVariant.split('.').slice(0, -1).join('.');
  if (fn.k === 'attr' && sameModule) return { text: `${ctx.source(fn.obj)}.${variantLeaf}`, edits: [] };
  return ctx.imports.nameWithImport(spec.logVariant);
}

export function callSpan(c: CallExpr): Span {
  return { s: c.s, e: c.e };
}
