// Syntactic facts the interpreter needs: names a block assigns, whether it returns, a function's
// free names, and the calls that may change a value in place.
import { forEachChild, unparen, type Expr, type Stmt } from '../ir';
import type { Value } from './values';

export type DefStmt = Stmt & { k: 'def' };

function targetIds(e: Expr, out: Set<string>): void {
  const u = unparen(e);
  if (u.k === 'name') out.add(u.id);
  else if (u.k === 'tuple' || u.k === 'list') u.elts.forEach((x) => targetIds(x, out));
  else if (u.k === 'star') targetIds(u.inner, out);
}

/** Names bound anywhere in these statements (not inside nested functions/classes' bodies). */
export function assignedNames(stmts: Stmt[]): Set<string> {
  const out = new Set<string>();
  const visit = (ss: Stmt[]) => {
    for (const s of ss) {
      switch (s.k) {
        case 'assign':
          s.targets.forEach((t) => targetIds(t, out));
          break;
        case 'def':
        case 'class':
          out.add(s.name);
          break;
        case 'import':
          for (const n of s.names) out.add(n.asname ?? n.module.split('.')[0]!);
          break;
        case 'from':
          if (s.names !== '*') for (const n of s.names) out.add(n.asname ?? n.name);
          break;
        case 'if':
          s.branches.forEach((b) => visit(b.body));
          break;
        case 'loop':
          if (s.target) targetIds(s.target, out);
          visit(s.body);
          visit(s.orelse);
          break;
        case 'with':
          s.items.forEach((i) => i.target && targetIds(i.target, out));
          visit(s.body);
          break;
        case 'try':
          visit(s.body);
          s.handlers.forEach((h) => {
            if (h.name) out.add(h.name);
            visit(h.body);
          });
          visit(s.orelse);
          visit(s.final);
          break;
        case 'other':
          break;
        default:
          break;
      }
    }
  };
  visit(stmts);
  return out;
}

export function containsReturn(stmts: Stmt[]): boolean {
  for (const s of stmts) {
    if (s.k === 'return') return true;
    if (s.k === 'if' && s.branches.some((b) => containsReturn(b.body))) return true;
    if ((s.k === 'loop' || s.k === 'with') && containsReturn(s.body)) return true;
    if (s.k === 'loop' && containsReturn(s.orelse)) return true;
    if (s.k === 'try' && containsReturn([...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.final])) return true;
  }
  return false;
}

function exprsOf(s: Stmt): Expr[] {
  switch (s.k) {
    case 'assign':
      return [...s.targets, s.value];
    case 'expr':
      return [s.value];
    case 'return':
      return s.value ? [s.value] : [];
    case 'if':
      return s.branches.flatMap((b) => [...(b.test ? [b.test] : []), ...b.body.flatMap(exprsOf)]);
    case 'loop':
      return [...(s.target ? [s.target] : []), ...(s.iter ? [s.iter] : []), ...(s.test ? [s.test] : []), ...s.body.flatMap(exprsOf), ...s.orelse.flatMap(exprsOf)];
    case 'with':
      return [...s.items.flatMap((i) => [i.expr, ...(i.target ? [i.target] : [])]), ...s.body.flatMap(exprsOf)];
    case 'try':
      return [...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.final].flatMap(exprsOf);
    case 'def':
      return [...s.params.flatMap((p) => (p.default ? [p.default] : [])), ...s.body.flatMap(exprsOf)];
    case 'other':
      return s.exprs;
    default:
      return [];
  }
}

/** Names a function reads that it does not bind itself (its globals). */
export function freeNames(def: DefStmt): string[] {
  const local = assignedNames(def.body);
  for (const p of def.params) local.add(p.name);
  const out = new Set<string>();
  const visit = (e: Expr) => {
    if (e.k === 'name' && !local.has(e.id)) out.add(e.id);
    forEachChild(e, visit);
  };
  def.body.flatMap(exprsOf).forEach(visit);
  return [...out];
}

/** Methods that never change their receiver's values (or change only state the evaluator ignores). */
const PURE_METHODS = new Set([
  'item', 'tolist', 'numpy', 'detach', 'clone', 'copy', 'cpu', 'cuda', 'to', 'float', 'double', 'long', 'int', 'half', 'bool',
  'sum', 'mean', 'max', 'min', 'amax', 'amin', 'argmax', 'argmin', 'softmax', 'log_softmax', 'exp', 'log', 'log1p', 'sigmoid', 'abs', 'sqrt', 'neg',
  'size', 'dim', 'numel', 'view', 'reshape', 'unsqueeze', 'squeeze', 'flatten', 'astype', 'transpose', 't', 'clamp', 'clip', 'logsumexp', 'type',
  'backward', 'zero_grad', 'retain_grad', 'register_hook', 'format', 'join', 'split', 'strip', 'lower', 'upper', 'startswith', 'endswith', 'keys', 'values', 'items', 'get',
  'eval', 'parameters', 'named_parameters', 'state_dict', 'is_contiguous', 'contiguous', 'any', 'all', 'nonzero', 'count', 'index', 'std', 'var', 'prod',
]);

/** Builtins that do not change their arguments. */
const PURE_BUILTINS = new Set(['print', 'len', 'float', 'int', 'bool', 'str', 'repr', 'range', 'list', 'tuple', 'abs', 'min', 'max', 'sum', 'round', 'isinstance', 'type', 'sorted', 'enumerate', 'zip', 'dict', 'set', 'format', 'id', 'hash']);

/** Library functions that change an argument in place without a trailing underscore. */
const LIB_IN_PLACE = new Set(['shuffle', 'copyto', 'put', 'place', 'putmask', 'fill_diagonal', 'at', 'put_along_axis', 'seed', 'manual_seed']);
function libInPlace(name: string): boolean {
  return name.endsWith('_') || LIB_IN_PLACE.has(name);
}

export interface Mutation {
  root: string;
  call: string;
}

function rootOf(e: Expr): string | undefined {
  const u = unparen(e);
  if (u.k === 'name') return u.id;
  if (u.k === 'attr' || u.k === 'subscript') return rootOf(u.obj);
  return undefined;
}

/**
 * Calls in `e` that may change a named value in place: methods ending in `_` (add_, fill_), list
 * methods, unknown methods and functions given a name (they might change it), `out=` arguments.
 * `valueOf` tells library modules and user functions apart (may return undefined when unknown).
 */
export function mutationsOf(e: Expr, valueOf: (id: string) => Value | undefined): Mutation[] {
  const out: Mutation[] = [];
  const argRoots = (call: Expr & { k: 'call' }, label: string) => {
    for (const a of call.args) {
      const r = rootOf(a.value);
      if (r) out.push({ root: r, call: label });
    }
  };
  const visit = (x: Expr) => {
    if (x.k === 'lambda') return;
    if (x.k === 'call') {
      const fn = unparen(x.fn);
      const label = fnLabel(fn);
      const outArg = x.args.find((a) => a.name === 'out');
      if (outArg) {
        const r = rootOf(outArg.value);
        if (r) out.push({ root: r, call: label });
      }
      if (fn.k === 'attr') {
        const root = rootOf(fn.obj);
        const rv = root ? valueOf(root) : undefined;
        if (rv && rv.t === 'ref') {
          // a library function: pure unless it is an in-place one (name ending in `_`)
          if (libInPlace(fn.attr)) argRoots(x, label);
        } else if (!PURE_METHODS.has(fn.attr)) {
          if (root) out.push({ root, call: label });
          argRoots(x, label);
        }
      } else if (fn.k === 'name') {
        const v = valueOf(fn.id);
        if (v && v.t === 'ref') {
          if (libInPlace(fn.id)) argRoots(x, label);
        } else if (v && v.t === 'function') {
          if (!isPureFunction(v.def)) argRoots(x, label);
        } else if (v && v.t === 'instance') {
          // calling a loss module / layer built from a library class: pure
        } else if (!(PURE_BUILTINS.has(fn.id) && (!v || v.t === 'builtin'))) argRoots(x, label);
      } else argRoots(x, label);
    }
    forEachChild(x, visit);
  };
  visit(e);
  return out;
}

function fnLabel(fn: Expr): string {
  if (fn.k === 'name') return `${fn.id}(...)`;
  if (fn.k === 'attr') return `${fnLabel(fn.obj).replace(/\(\.\.\.\)$/, '')}.${fn.attr}(...)`;
  return 'a call';
}

const pureCache = new WeakMap<DefStmt, boolean>();

/** A function that assigns no subscripts/attributes, has no augmented assignment and no global/nonlocal. */
export function isPureFunction(def: DefStmt): boolean {
  const c = pureCache.get(def);
  if (c !== undefined) return c;
  let pure = true;
  const visitStmts = (ss: Stmt[]) => {
    for (const s of ss) {
      if (s.k === 'assign') {
        if (s.op) pure = false;
        for (const t of s.targets) {
          const u = unparen(t);
          if (u.k === 'attr' || u.k === 'subscript') pure = false;
          if ((u.k === 'tuple' || u.k === 'list') && u.elts.some((el) => unparen(el).k !== 'name')) pure = false;
        }
      }
      if (s.k === 'other' && (s.names?.length ?? 0) > 0) pure = false;
      if (s.k === 'def' || s.k === 'class') pure = false;
      if (s.k === 'if') s.branches.forEach((b) => visitStmts(b.body));
      if (s.k === 'loop' || s.k === 'with') visitStmts(s.body);
      if (s.k === 'try') visitStmts([...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.final]);
    }
  };
  visitStmts(def.body);
  if (pure) {
    const local = new Set(def.params.map((p) => p.name));
    for (const x of def.body.flatMap(exprsOf)) {
      // any call that could change a parameter (or anything) in place
      if (mutationsOf(x, () => undefined).some((m) => local.has(m.root) || true)) {
        // unknown callees: be conservative unless every call is to a method known to be pure
        if (!callsArePure(x)) pure = false;
      }
    }
  }
  pureCache.set(def, pure);
  return pure;
}

/** Every call in e is a pure method, a pure builtin, or an attribute call on a module-like name (np.x, torch.x, F.x). */
function callsArePure(e: Expr): boolean {
  let ok = true;
  const visit = (x: Expr) => {
    if (x.k === 'call') {
      const fn = unparen(x.fn);
      if (x.args.some((a) => a.name === 'out')) ok = false;
      if (fn.k === 'attr') {
        if (libInPlace(fn.attr)) ok = false;
        else if (!PURE_METHODS.has(fn.attr) && !isModuleLike(fn.obj)) ok = false;
      } else if (fn.k === 'name') {
        if (!PURE_BUILTINS.has(fn.id)) ok = false;
      } else ok = false;
    }
    forEachChild(x, visit);
  };
  visit(e);
  return ok;
}

const MODULE_NAMES = new Set(['np', 'numpy', 'torch', 'F', 'nn', 'functional', 'tf', 'jnp', 'jax', 'scipy', 'special', 'math', 'keras']);
function isModuleLike(e: Expr): boolean {
  const u = unparen(e);
  if (u.k === 'name') return MODULE_NAMES.has(u.id);
  if (u.k === 'attr') return isModuleLike(u.obj);
  return false;
}
