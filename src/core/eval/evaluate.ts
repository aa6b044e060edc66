// Evaluation at a position: run the module's straight-line code up to the statement under the
// position (lazily), pick the expression (target.ts), evaluate it, and describe the result.
// Inside a function body, the function is run with the arguments of its first call in the file.
import { forEachChild, unparen, type Expr, type Module, type Stmt } from '../ir';
import { Ctx } from './ctx';
import { Env } from './env';
import { bindLocals, Interp } from './interp';
import { DEFAULT_LIMITS, type EvalLimits } from './limits';
import { chooseTarget, type Target } from './target';
import { NotEvaluable, type Value } from './values';

export interface EvalOptions {
  limits?: Partial<EvalLimits>;
}

export interface Evaluated {
  it: Interp;
  value: Value;
  /** The evaluated expression (or the assigned name's value expression). */
  expr: Expr | null;
  span: { s: number; e: number };
  /** Where the value lives: the environment the expression was evaluated in. */
  env: Env;
  context: string | null;
}

export function evaluateAt(module: Module, text: string, offset: number, lineOf: (o: number) => number, options: EvalOptions = {}): Evaluated {
  const ctx = new Ctx({ ...DEFAULT_LIMITS, ...options.limits });
  const it = new Interp(ctx, text, lineOf);
  const r = it.exec(module.body, Env.empty(), 'module', offset);
  if (!r.at) throw new NotEvaluable('no statement at this position');
  if (r.at.k === 'def' && !(offset >= r.at.nameS && offset < r.at.nameS + r.at.name.length)) return inFunction(it, module, r.at, offset);
  if (r.at.k === 'class') throw new NotEvaluable('inside a class (methods are not evaluated)');
  return finish(it, r.at, r.env, offset, null);
}

function finish(it: Interp, at: Stmt, env: Env, offset: number, context: string | null): Evaluated {
  const target: Target = chooseTarget(at, offset, (e) => {
    const u = unparen(e);
    if (u.k !== 'name' && u.k !== 'attr') return undefined;
    try {
      return it.expr(u, env);
    } catch {
      return undefined;
    }
  });
  if (target.kind === 'none') throw new NotEvaluable(target.why);
  if (target.kind === 'name') {
    const after = it.exec([at], env, 'module').env;
    const b = after.lookup(target.name);
    if (!b) throw new NotEvaluable(`\`${target.name}\` is not bound`);
    const value = b.get();
    const src = b.source;
    return { it, value, expr: src?.expr ?? null, span: target.nameSpan, env: src?.env ?? env, context };
  }
  const value = it.expr(target.expr, env);
  return { it, value, expr: target.expr, span: { s: target.expr.s, e: target.expr.e }, env, context };
}

/** Calls of `name` at module level (outside function bodies), in order. */
function callsOf(module: Module, name: string): (Expr & { k: 'call' })[] {
  const out: (Expr & { k: 'call' })[] = [];
  const visitE = (e: Expr) => {
    if (e.k === 'call' && unparen(e.fn).k === 'name' && (unparen(e.fn) as { id: string }).id === name) out.push(e);
    if (e.k !== 'lambda') forEachChild(e, visitE);
  };
  const visitS = (ss: Stmt[]) => {
    for (const s of ss) {
      switch (s.k) {
        case 'assign':
          visitE(s.value);
          break;
        case 'expr':
          visitE(s.value);
          break;
        case 'other':
          s.exprs.forEach(visitE);
          break;
        case 'if':
          s.branches.forEach((b) => {
            if (b.test) visitE(b.test);
            visitS(b.body);
          });
          break;
        case 'with':
          visitS(s.body);
          break;
        default:
          break;
      }
    }
  };
  visitS(module.body);
  return out;
}

function inFunction(it: Interp, module: Module, def: Stmt & { k: 'def' }, offset: number): Evaluated {
  const calls = callsOf(module, def.name);
  if (!calls.length) throw new NotEvaluable(`inside \`${def.name}\`: its arguments are not known (it is not called in this file)`);
  const call = calls[0]!;
  const line = it.lineOf(call.s) + 1;
  const r = it.exec(module.body, Env.empty(), 'module', call.s);
  if (!r.at) throw new NotEvaluable(`the call of \`${def.name}\` at line ${line} is not reached`);
  const fn = it.lookup(def.name, r.env);
  if (fn.t !== 'function' || fn.def !== def) throw new NotEvaluable(`\`${def.name}\` at line ${line} is not this function`);
  const args = it.args(call.args, r.env);
  let fenv = bindLocals(def, Env.empty(() => r.env));
  fenv = it.bindParams(def.params, args, fenv, def.name, fn.env);
  const inner = it.exec(def.body, fenv, 'function', offset);
  if (!inner.at) throw new NotEvaluable(`this line of \`${def.name}\` is not reached by the call at line ${line}`);
  const context = `for the call \`${it.text.slice(call.s, call.e)}\` at line ${line}${calls.length > 1 ? ` (the first of ${calls.length} calls)` : ''}`;
  return finish(it, inner.at, inner.env, offset, context);
}
