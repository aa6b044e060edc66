// Shape helpers for the rules that recognise hand-written math (SL004, SL005, SL006, SL010): which
// call is a known exp / reduction, how its axis is written, how to negate an expression's text, and
// whether a value may already be shifted by something the analysis cannot see.
import { argument, forEachChild, unparen, type Arg, type Expr, type Stmt } from '../../ir';
import { canonical, lookupApi, methodsFor, tensorMethods, type Framework } from '../../knowledge';
import type { CallExpr } from '../../analysis/values';
import type { FactContext, RuleContext } from '../rule';
import { enclosingFunctionBody } from './producer';
import { isScript } from './script';

export interface ExpCall {
  call: CallExpr;
  input: Expr;
  /** `function`: np.exp(x); `method`: x.exp() (torch tensors only). */
  style: 'function' | 'method';
  framework: Framework;
  /** Canonical name of the exp function (for `function`). */
  api?: string;
}

/** `e` is an exp call (np.exp, torch.exp, tf.exp, jnp.exp, x.exp()) with its one input. */
export function expCall(e: Expr, ctx: FactContext): ExpCall | undefined {
  const c = unparen(e);
  if (c.k !== 'call') return undefined;
  const fn = ctx.callee(c);
  if (fn.t === 'ref') {
    const spec = lookupApi(fn.qname);
    if (spec?.role !== 'exp' || c.args.length !== 1) return undefined;
    const a = argument(c.args, spec.input.name, spec.input.pos);
    if (!a || a.star) return undefined;
    return { call: c, input: a.value, style: 'function', framework: spec.framework, api: canonical(fn.qname) };
  }
  if (fn.t === 'attr' && tensorMethods[fn.name]?.role === 'exp' && c.args.length === 0 && c.fn.k === 'attr') {
    return { call: c, input: c.fn.obj, style: 'method', framework: isScript(ctx) ? 'tfjs' : 'torch' };
  }
  return undefined;
}

/** If `call` is a log (torch.log, np.log, tf.math.log, x.log(), ...), the expression it takes the log of. */
export function logOperand(call: CallExpr, ctx: FactContext) {
  const fn = ctx.callee(call);
  if (fn.t === 'ref') {
    const spec = lookupApi(fn.qname);
    if (spec?.role !== 'log') return undefined;
    const a = call.args.find((x) => x.name === undefined && !x.star) ?? call.args.find((x) => x.name === spec.input.name);
    if (!a || call.args.length !== 1) return undefined; // out=, where= ... change the meaning: stay silent
    return a.value;
  }
  if (fn.t === 'attr' && tensorMethods[fn.name]?.role === 'log' && call.args.length === 0 && call.fn.k === 'attr') return call.fn.obj;
  return undefined;
}

export interface ReduceCall {
  call: CallExpr;
  op: 'sum' | 'mean' | 'max';
  input: Expr;
  style: 'function' | 'method';
  /** Known for functions (the table's library); for methods, the receiver decides. */
  framework?: Framework;
  /** The axis/dim argument, when given. */
  axis?: Arg;
  /** keepdims / keepdim argument, when given. */
  keepdims?: Arg;
  /** Arguments other than the input, the axis and keepdims (dtype=, out=, where=, ...). */
  others: Arg[];
}

/** `e` is a known reduction: np.sum / torch.mean / tf.reduce_sum / x.sum(...) / x.mean(...). */
export function reduceCall(e: Expr, ctx: FactContext): ReduceCall | undefined {
  const c = unparen(e);
  if (c.k !== 'call' || c.args.some((a) => a.star)) return undefined;
  const fn = ctx.callee(c);
  let input: Expr | undefined;
  let rest: Arg[];
  let style: 'function' | 'method';
  let framework: Framework | undefined;
  let op: 'sum' | 'mean' | 'max';
  let axisPos: number | undefined;
  if (fn.t === 'ref') {
    const spec = lookupApi(fn.qname);
    if (spec?.role !== 'reduce') return undefined;
    const a = argument(c.args, spec.input.name, spec.input.pos);
    if (!a) return undefined;
    input = a.value;
    rest = c.args.filter((x) => x !== a);
    style = 'function';
    framework = spec.framework;
    op = spec.op;
    axisPos = spec.axis?.pos;
  } else if (fn.t === 'attr' && methodsFor(ctx.module.language)[fn.name]?.role === 'reduce' && c.fn.k === 'attr') {
    const spec = methodsFor(ctx.module.language)[fn.name];
    if (spec.role !== 'reduce') return undefined;
    input = c.fn.obj;
    rest = c.args;
    style = 'method';
    op = spec.op;
    axisPos = 0;
  } else return undefined;
  // The axis is the first positional argument after the input, or a dim/axis keyword.
  const positionalRest = rest.filter((a) => a.name === undefined);
  const axis = rest.find((a) => a.name === 'axis' || a.name === 'dim') ?? (axisPos !== undefined ? positionalRest[0] : undefined);
  const keepdims = rest.find((a) => a.name === 'keepdims' || a.name === 'keepdim');
  const others = rest.filter((a) => a !== axis && a !== keepdims);
  return { call: c, op, input, style, framework, axis, keepdims, others };
}

/**
 * TF.js writes arithmetic as calls (tensors have no operators): `tf.mul(a, b)` and `a.mul(b)` are
 * `a * b`, `tf.neg(a)` and `a.neg()` are `-a`, `tf.add`, `tf.sub`, `tf.div` likewise (the tables'
 * `arith` role). The operator expression such a call stands for, spanning the call, so the rules that
 * read operator shapes read both spellings; any other expression comes back unparenthesised. The
 * operands are the call's own nodes (values and sources resolve); the new node itself has no value.
 * No Python API has the `arith` role: there this is `unparen`.
 */
export function asOperator(e: Expr, ctx: FactContext): Expr {
  const x = unparen(e);
  if (x.k !== 'call' || x.args.some((a) => a.star || a.name !== undefined)) return x;
  const fn = ctx.callee(x);
  let spec;
  let operands: Expr[];
  if (fn.t === 'ref') {
    spec = lookupApi(fn.qname);
    operands = x.args.map((a) => a.value);
  } else if (fn.t === 'attr' && x.fn.k === 'attr') {
    spec = methodsFor(ctx.module.language)[fn.name];
    operands = [x.fn.obj, ...x.args.map((a) => a.value)];
  } else return x;
  if (spec?.role !== 'arith') return x;
  if (spec.op === 'neg') return operands.length === 1 ? { k: 'unary', op: '-', operand: operands[0], s: x.s, e: x.e } : x;
  return operands.length === 2 ? { k: 'binop', op: spec.op, left: operands[0], right: operands[1], s: x.s, e: x.e } : x;
}

/** literalNumber, and TF.js's `tf.scalar(c)` of a literal c (also through a name: `const one = tf.scalar(1)`). */
export function scalarNumber(e: Expr, ctx: FactContext): number | undefined {
  const n = literalNumber(e);
  if (n !== undefined) return n;
  const x = unparen(e);
  if (x.k === 'name' && isScript(ctx)) {
    const v = ctx.value(x);
    if (v.t === 'num') return v.value;
  }
  if (x.k !== 'call' || x.args.length !== 1 || x.args[0].star || x.args[0].name !== undefined) return undefined;
  const fn = ctx.callee(x);
  return fn.t === 'ref' && canonical(fn.qname) === 'tfjs.scalar' ? literalNumber(x.args[0].value) : undefined;
}

/** A literal `True`. */
export function isTrue(a: Arg | undefined): boolean {
  const v = a && unparen(a.value);
  return !!v && v.k === 'const' && v.value === 'True';
}

/** A numeric literal (possibly negated), as a number. */
export function literalNumber(e: Expr): number | undefined {
  const x = unparen(e);
  if (x.k === 'num') return x.value;
  if (x.k === 'unary' && x.op === '-') {
    const v = literalNumber(x.operand);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

/** Expression kinds that bind tighter than unary minus (so `-` can be prefixed without parentheses). */
function isAtom(e: Expr): boolean {
  return e.k === 'name' || e.k === 'attr' || e.k === 'call' || e.k === 'subscript' || e.k === 'paren' || e.k === 'num' || e.k === 'list' || e.k === 'tuple';
}

/** Source text of `-(e)`: `-x`, `-f(x)`, `-(a + b)`, and `x` for `-x`. */
export function negatedText(e: Expr, ctx: RuleContext): string {
  if (e.k === 'unary' && e.op === '-') return ctx.source(e.operand);
  return isAtom(e) ? `-${ctx.source(e)}` : `-(${ctx.source(e)})`;
}

/**
 * The input of an exp may already be shifted by something the interpreter does not track: a
 * subtraction or addition of a non-constant (`x - lse`, `x + b`), or a name bound (anywhere in its
 * function) to such an expression or updated in place (`x -= x.max()`). Precision first: then silent.
 */
export function mayBeShifted(input: Expr, ctx: RuleContext): boolean {
  const x = unparen(input);
  if (isOffset(x)) return true;
  if (x.k !== 'name') return false;
  const body = enclosingFunctionBody(ctx.analysis, x) ?? ctx.module.body;
  let found = false;
  visitAssignments(body, x.id, (s) => {
    if (s.op === '-=' || s.op === '+=' || isOffset(unparen(s.value))) found = true;
  });
  return found;
}

function isOffset(x: Expr): boolean {
  return x.k === 'binop' && (x.op === '-' || x.op === '+') && literalNumber(x.right) === undefined && literalNumber(x.left) === undefined;
}

type AssignStmt = Extract<Stmt, { k: 'assign' }>;

function visitAssignments(body: Stmt[], name: string, f: (s: AssignStmt) => void): void {
  for (const s of body) {
    switch (s.k) {
      case 'assign':
        if (s.targets.some((t) => binds(t, name))) f(s);
        break;
      case 'if':
        s.branches.forEach((b) => visitAssignments(b.body, name, f));
        break;
      case 'loop':
        visitAssignments(s.body, name, f);
        visitAssignments(s.orelse, name, f);
        break;
      case 'with':
        visitAssignments(s.body, name, f);
        break;
      case 'try':
        visitAssignments(s.body, name, f);
        s.handlers.forEach((h) => visitAssignments(h.body, name, f));
        visitAssignments(s.orelse, name, f);
        visitAssignments(s.final, name, f);
        break;
      default:
        break;
    }
  }
}

function binds(t: Expr, name: string): boolean {
  const x = unparen(t);
  if (x.k === 'name') return x.id === name;
  if (x.k === 'tuple' || x.k === 'list') return x.elts.some((e) => binds(e, name));
  if (x.k === 'star') return binds(x.inner, name);
  return false;
}

/**
 * The name may be clipped in place somewhere in its function: `np.clip(p, eps, 1, out=p)` /
 * `np.clip(p, eps, 1 - eps, p)` / any call with `out=p`, or an in-place tensor method
 * (`p.clamp_(min=eps)`, `p.clip_(...)`, `p.add_(eps)`), or `p += eps`. The interpreter does not
 * track mutation, so a log of `p` is then not certainly unguarded: precision first, silent.
 */
export function mayBeGuardedInPlace(e: Expr, ctx: RuleContext): boolean {
  const x = unparen(e);
  if (x.k !== 'name') return false;
  // The answer depends on the scope's statements and the analysis only: kept per analysis, scope and
  // name (a scope walk per log otherwise: quadratic in a script's top level). A function's scope is
  // its body (a re-walk gives one a new body); the module's top level holds no def or class body.
  const fnBody = enclosingFunctionBody(ctx.analysis, x);
  let scopes = guardedInPlace.get(ctx.analysis.values);
  if (!scopes) guardedInPlace.set(ctx.analysis.values, (scopes = new Map()));
  let names = scopes.get(fnBody ?? MODULE_SCOPE);
  if (!names) scopes.set(fnBody ?? MODULE_SCOPE, (names = new Map()));
  let answer = names.get(x.id);
  if (answer === undefined) names.set(x.id, (answer = nameMayBeGuardedInPlace(fnBody ?? ctx.module.body, x.id, ctx)));
  return answer;
}

const guardedInPlace = new WeakMap<object, Map<Stmt[] | typeof MODULE_SCOPE, Map<string, boolean>>>();
const MODULE_SCOPE = {};

function nameMayBeGuardedInPlace(body: Stmt[], id: string, ctx: FactContext): boolean {
  let found = false;
  visitAssignments(body, id, (s) => {
    if (s.op === '+=' || s.op === '-=' || isOffset(unparen(s.value))) found = true;
  });
  if (found) return true;
  const isName = (a: Expr): boolean => {
    const v = unparen(a);
    return v.k === 'name' && v.id === id;
  };
  const mutates = (call: CallExpr): boolean => {
    if (call.args.some((a) => a.name === 'out' && isName(a.value))) return true;
    if (call.fn.k === 'attr' && /^(clamp|clip|clamp_min|add|maximum)_$/.test(call.fn.attr) && isName(call.fn.obj)) return true;
    // np.clip(p, lo, hi, p): the same name as input and positional out
    if (call.args.filter((a) => a.name === undefined && !a.star && isName(a.value)).length < 2) return false;
    const fn = ctx.callee(call);
    return fn.t === 'ref' && lookupApi(fn.qname)?.role === 'guard';
  };
  let hit = false;
  forEachExprInScope(body, (e) => {
    if (!hit && e.k === 'call' && mutates(e)) hit = true;
  });
  return hit;
}

/**
 * Every expression of a scope's statements (a function body, or the module's top level), depth-first,
 * without entering nested functions and classes (another scope's names are other variables).
 */
export function forEachExprInScope(body: Stmt[], f: (e: Expr) => void): void {
  const visit = (e: Expr): void => {
    f(e);
    forEachChild(e, visit);
  };
  const stmts = (b: Stmt[]): void => {
    for (const s of b) {
      switch (s.k) {
        case 'assign':
          s.targets.forEach(visit);
          visit(s.value);
          break;
        case 'expr':
          visit(s.value);
          break;
        case 'return':
          if (s.value) visit(s.value);
          break;
        case 'if':
          for (const br of s.branches) {
            if (br.test) visit(br.test);
            stmts(br.body);
          }
          break;
        case 'loop':
          if (s.target) visit(s.target);
          if (s.iter) visit(s.iter);
          if (s.test) visit(s.test);
          stmts(s.body);
          stmts(s.orelse);
          break;
        case 'with':
          for (const i of s.items) visit(i.expr);
          stmts(s.body);
          break;
        case 'try':
          stmts(s.body);
          for (const h of s.handlers) stmts(h.body);
          stmts(s.orelse);
          stmts(s.final);
          break;
        case 'other':
          s.exprs.forEach(visit);
          break;
        default:
          break; // def / class / import: another scope, or no expressions
      }
    }
  };
  stmts(body);
}

/**
 * A side-effect-free expression whose text can be repeated, binding at least as tightly as `*`:
 * names, attributes, numbers, subscripts by such, and `* / // % ** @` / unary minus of such
 * (`z / T`, `x[:, 0]`, `self.scale * h`). Calls are never repeated.
 */
export function isPureProduct(e: Expr): boolean {
  const x = unparen(e);
  switch (x.k) {
    case 'name':
    case 'num':
      return true;
    case 'attr':
      return isPureProduct(x.obj);
    case 'subscript':
      return isPureProduct(x.obj) && x.index.every((i) => (unparen(i).k === 'slice' ? isPureSlice(unparen(i)) : isPureProduct(i)));
    case 'binop':
      return ['*', '/', '//', '%', '**', '@'].includes(x.op) && isPureProduct(x.left) && isPureProduct(x.right);
    case 'unary':
      return x.op === '-' && isPureProduct(x.operand);
    default:
      return false;
  }
}

function isPureSlice(e: Expr): boolean {
  if (e.k !== 'slice') return false;
  return [e.lower, e.upper, e.step].every((p) => p === undefined || isPureProduct(p));
}

/** Does `e` contain a sub-expression structurally equal to `key` (see exprKey)? */
export function mentions(e: Expr, key: string, keyOf: (e: Expr) => string | undefined): boolean {
  if (keyOf(e) === key) return true;
  const x = unparen(e);
  switch (x.k) {
    case 'binop':
      return mentions(x.left, key, keyOf) || mentions(x.right, key, keyOf);
    case 'unary':
      return mentions(x.operand, key, keyOf);
    case 'call':
      return mentions(x.fn, key, keyOf) || x.args.some((a) => mentions(a.value, key, keyOf));
    case 'subscript':
      return mentions(x.obj, key, keyOf) || x.index.some((i) => mentions(i, key, keyOf));
    case 'attr':
      return mentions(x.obj, key, keyOf);
    default:
      return false;
  }
}

