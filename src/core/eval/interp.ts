// The bounded interpreter: expressions over concrete values, and statements executed in order.
// `for` loops over known iterables run iteration by iteration; a `while` loop, a loop with
// break/continue, or a branch whose condition is not evaluable makes the names it assigns unknown; an in-place change makes everything that may share memory with it unknown.
import { unparen, type Arg, type Expr, type Param, type Stmt } from '../ir';
import { canonical } from '../knowledge';
import { binary, truthy, unary } from './arith';
import type { Ctx } from './ctx';
import { Binding, Env, poison } from './env';
import { indexGradFn, indexItem, indexSequence, indexTensor, type IndexItem } from './indexing';
import { builtinValue, callBound, callBuiltin, callInstance, callRef, getAttr, iterItems } from './lib';
import { arr, NotEvaluable, NONE, describe, type CallArgs, type Value } from './values';
import { assignedNames, containsReturn, freeNames, mutationsOf, type DefStmt } from './syntax';

export class Interp {
  /** Notes for the reader (e.g. "assuming this branch runs"). */
  readonly notes: string[] = [];
  /** Statements are being executed inside `with torch.no_grad()` / `inference_mode()`. */
  private noGrad = false;
  /** `for` loops being run (see runFor). */
  private loopDepth = 0;

  /** What a `with` item does to evaluation: nothing, disables autograd, or something not modelled. */
  private contextKind(e: Expr, env: Env): 'none' | 'no-grad' | 'unknown' {
    const u = unparen(e);
    const fn = u.k === 'call' ? u.fn : u;
    let v: Value | undefined;
    try {
      v = this.expr(fn, env);
    } catch {
      return 'unknown';
    }
    if (v.t === 'builtin' && v.name === 'open') return 'none';
    if (v.t !== 'ref') return 'unknown';
    const q = canonical(v.qname);
    if (q === 'torch.no_grad' || q === 'torch.inference_mode') return 'no-grad';
    if (q === 'torch.enable_grad' || q === 'numpy.errstate' || q === 'warnings.catch_warnings' || q === 'open') return 'none';
    return 'unknown';
  }

  constructor(readonly ctx: Ctx, readonly text: string, readonly lineOf: (offset: number) => number) {}

  // ---- expressions --------------------------------------------------------------------------

  expr(e: Expr, env: Env): Value {
    const b = this.ctx.budget;
    b.step();
    if (++b.exprDepth > b.limits.maxExprDepth) {
      b.exprDepth--;
      throw new NotEvaluable(`expression nested too deeply (limit ${b.limits.maxExprDepth})`);
    }
    try {
      return this.exprInner(e, env);
    } catch (err) {
      if (err instanceof RangeError) throw new NotEvaluable('expression nested too deeply');
      throw err;
    } finally {
      b.exprDepth--;
    }
  }

  private exprInner(e: Expr, env: Env): Value {
    switch (e.k) {
      case 'paren':
        return this.expr(e.inner, env);
      case 'num':
        if (!e.isFloat) {
          if (!Number.isSafeInteger(e.value)) throw new NotEvaluable('integer literal outside ±2^53');
          return { t: 'int', v: e.value };
        }
        if (/[jJ]$/.test(e.raw)) throw new NotEvaluable('complex numbers are not evaluated');
        return { t: 'float', v: e.value };
      case 'str':
        return { t: 'str', v: e.value };
      case 'const':
        if (e.value === 'None') return NONE;
        if (e.value === 'Ellipsis') return { t: 'ref', qname: '...' };
        return { t: 'bool', v: e.value === 'True' };
      case 'name':
        return this.lookup(e.id, env, e);
      case 'attr':
        return getAttr(this, this.expr(e.obj, env), e.attr);
      case 'set':
        throw new NotEvaluable('sets are not evaluated');
      case 'list':
      case 'tuple': {
        const fast = literalList(e as Expr & { k: 'list' | 'tuple' }, this.ctx);
        if (fast) return fast;
        if (e.elts.some((x) => x.k === 'star')) throw new NotEvaluable('starred items are not evaluated');
        return { t: e.k, items: e.elts.map((x) => this.expr(x, env)) };
      }
      case 'binop': {
        if (e.op === 'and' || e.op === 'or') {
          const l = this.expr(e.left, env);
          const t = truthy(l);
          return (e.op === 'and') === t ? this.expr(e.right, env) : l;
        }
        return binary(this.ctx, e.op, this.expr(e.left, env), this.expr(e.right, env));
      }
      case 'unary':
        return unary(this.ctx, e.op, this.expr(e.operand, env));
      case 'compare': {
        let left = this.expr(e.operands[0]!, env);
        let result: Value = { t: 'bool', v: true };
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.expr(e.operands[i + 1]!, env);
          result = compare(this, e.ops[i]!, left, right);
          if (!(result.t === 'bool' && result.v) && result.t !== 'array') return result;
          left = right;
        }
        return result;
      }
      case 'ifexp':
        return truthy(this.expr(e.test, env)) ? this.expr(e.body, env) : this.expr(e.orelse, env);
      case 'lambda':
        if (env.outer) throw new NotEvaluable('a lambda inside a function is not evaluated');
        return { t: 'lambda', expr: e, env };
      case 'subscript':
        return this.subscript(e, env);
      case 'call':
        return this.call(e, env);
      case 'slice':
        throw new NotEvaluable('a slice outside an index');
      case 'dict':
        throw new NotEvaluable('dicts are not evaluated');
      case 'star':
        throw new NotEvaluable('starred expressions are not evaluated');
      case 'other':
        throw new NotEvaluable(`\`${this.text.slice(e.s, e.e).slice(0, 40)}\` is not evaluated (comprehensions, f-strings and similar are not supported)`);
    }
    throw new NotEvaluable('expression not evaluated');
  }

  lookup(id: string, env: Env, at?: Expr): Value {
    const b = env.lookup(id);
    if (b) {
      try {
        return b.get();
      } catch (err) {
        if (err instanceof NotEvaluable && at && !err.why.startsWith(`\`${id}\``)) throw new NotEvaluable(`\`${id}\`: ${err.why}`, err.span);
        throw err;
      }
    }
    if (id === '__name__' && !env.outer) return { t: 'str', v: '__main__' };
    const bi = builtinValue(id);
    if (bi) return bi;
    throw new NotEvaluable(`\`${id}\` is not defined before this point`);
  }

  private subscript(e: Expr & { k: 'subscript' }, env: Env): Value {
    const obj = this.expr(e.obj, env);
    const items: Value[] = [];
    const parts: IndexItem[] = [];
    const lib = obj.t === 'array' ? obj.lib : 'numpy';
    const rawItems = e.index.length === 1 && unparen(e.index[0]!).k === 'tuple' ? (unparen(e.index[0]!) as Expr & { k: 'tuple' }).elts : e.index;
    for (const ix of rawItems) {
      const u = unparen(ix);
      if (u.k === 'slice') {
        const num = (x?: Expr): number | null => {
          if (!x) return null;
          const v = this.expr(x, env);
          if (v.t === 'none') return null;
          if (v.t === 'int') return v.v;
          if (v.t === 'array' && v.x.ndim === 0 && v.x.dtype === 'int64') return v.x.data[0]!;
          throw new NotEvaluable('slice bounds must be integers');
        };
        parts.push({ k: 'slice', start: num(u.lower), stop: num(u.upper), step: num(u.step) });
        continue;
      }
      if (u.k === 'const' && u.value === 'Ellipsis') {
        parts.push({ k: 'ellipsis' });
        continue;
      }
      const v = this.expr(ix, env);
      if (v.t === 'tuple' && rawItems.length === 1 && obj.t === 'array') {
        for (const x of v.items) parts.push(indexItem(this.ctx, x, lib));
        continue;
      }
      items.push(v);
      parts.push(indexItem(this.ctx, v, lib));
    }
    if (obj.t === 'list' || obj.t === 'tuple' || obj.t === 'range') {
      if (parts.length !== 1) throw new NotEvaluable('multi-dimensional index on a Python sequence');
      return indexSequence(obj, parts[0]!);
    }
    if (obj.t !== 'array') throw new NotEvaluable(`cannot index ${describe(obj)}`);
    const out = indexTensor(this.ctx, obj.x, parts, obj.lib);
    return arr(obj.lib, out, {
      npScalar: obj.lib === 'numpy' && out.ndim === 0 && parts.every((p) => p.k === 'int' || p.k === 'array') ? true : undefined,
      grad: this.ctx.gradOf(obj.lib, [obj], indexGradFn(parts)),
      approx: obj.approx,
    });
  }

  args(args: Arg[], env: Env): CallArgs {
    const pos: Value[] = [];
    const kw = new Map<string, Value>();
    for (const a of args) {
      if (a.star) throw new NotEvaluable('*args / **kwargs in a call are not evaluated');
      const v = this.expr(a.value, env);
      if (a.name !== undefined) kw.set(a.name, v);
      else pos.push(v);
    }
    return { pos, kw };
  }

  private call(e: Expr & { k: 'call' }, env: Env): Value {
    const fn = this.expr(e.fn, env);
    const args = this.args(e.args, env);
    return this.apply(fn, args, env);
  }

  apply(fn: Value, args: CallArgs, env: Env): Value {
    switch (fn.t) {
      case 'ref':
        return callRef(this, canonical(fn.qname), args);
      case 'instance':
        return callInstance(this, fn, args);
      case 'bound':
        return callBound(this, fn.recv, fn.name, args);
      case 'builtin':
        return callBuiltin(this, fn.name, args);
      case 'function':
        return this.callUser(fn, args, globalsOf(env));
      case 'lambda': {
        const p = fn.expr.params;
        let le = Env.empty(() => globalsOf(env));
        le = this.bindParams(p, args, le, 'lambda', fn.env);
        return this.expr(fn.expr.body, le);
      }
      default:
        throw new NotEvaluable(`${describe(fn)} is not callable here`);
    }
  }

  // ---- user functions -----------------------------------------------------------------------

  callUser(fn: Value & { t: 'function' }, args: CallArgs, globals: Env): Value {
    const b = this.ctx.budget;
    if (fn.env.outer) throw new NotEvaluable(`\`${fn.def.name}\` is defined inside another function (closures are not evaluated)`);
    if (b.callDepth >= b.limits.maxCallDepth) throw new NotEvaluable(`recursion deeper than ${b.limits.maxCallDepth} calls`);
    b.callDepth++;
    try {
      let env = Env.empty(() => globals);
      env = bindLocals(fn.def, env);
      env = this.bindParams(fn.def.params, args, env, fn.def.name, fn.env);
      const r = this.exec(fn.def.body, env, 'function');
      return r.ret ?? NONE;
    } finally {
      b.callDepth--;
    }
  }

  bindParams(params: Param[], args: CallArgs, env: Env, name: string, defEnv: Env): Env {
    if (params.some((p) => p.star)) throw new NotEvaluable(`\`${name}\` takes *args/**kwargs (not evaluated)`);
    const used = new Set<string>();
    params.forEach((p, i) => {
      let v: Value | undefined;
      if (i < args.pos.length) v = args.pos[i];
      if (args.kw.has(p.name)) {
        if (v) throw new NotEvaluable(`TypeError: ${name}() got multiple values for argument '${p.name}'`);
        v = args.kw.get(p.name);
        used.add(p.name);
      }
      if (!v) {
        if (!p.default) throw new NotEvaluable(`TypeError: ${name}() missing required argument '${p.name}'`);
        v = this.expr(p.default, defEnv);
      }
      env = env.bind(Binding.value(p.name, v));
    });
    if (args.pos.length > params.length) throw new NotEvaluable(`TypeError: ${name}() takes ${params.length} positional arguments but ${args.pos.length} were given`);
    for (const k of args.kw.keys()) if (!used.has(k)) throw new NotEvaluable(`TypeError: ${name}() got an unexpected keyword argument '${k}'`);
    return env;
  }

  // ---- statements ---------------------------------------------------------------------------

  /**
   * Executes statements in order. With `stop`, returns at the simple statement containing that offset
   * (env = the environment before it). In a function, returns at `return` with its value.
   */
  exec(stmts: Stmt[], env: Env, mode: 'module' | 'function', stop?: number): { env: Env; at?: Stmt; ret?: Value } {
    for (const s of stmts) {
      this.ctx.budget.step();
      const inside = stop !== undefined && s.s <= stop && stop <= s.e;
      const line = this.lineOf(s.s) + 1;
      switch (s.k) {
        case 'assign':
        case 'expr':
        case 'return':
        case 'import':
        case 'from':
        case 'other':
          if (inside) return { env, at: s };
          break;
        default:
          break;
      }
      switch (s.k) {
        case 'assign':
          env = this.assign(s, env, line);
          break;
        case 'expr':
          env = this.applyMutations(s.value, env, line);
          break;
        case 'return':
          if (mode !== 'function') break;
          return { env, ret: s.value ? this.expr(s.value, env) : NONE };
        case 'import':
          for (const n of s.names) {
            if (n.asname) env = env.bind(Binding.value(n.asname, { t: 'ref', qname: n.module }));
            else {
              const root = n.module.split('.')[0]!;
              env = env.bind(Binding.value(root, { t: 'ref', qname: root }));
            }
          }
          break;
        case 'from':
          if (s.names === '*') break;
          for (const n of s.names) {
            const bound = n.asname ?? n.name;
            env = env.bind(s.level > 0 ? Binding.unknown(bound, `\`${bound}\` is imported from a local module (not evaluated)`) : Binding.value(bound, { t: 'ref', qname: `${s.module}.${n.name}` }));
          }
          break;
        case 'def': {
          const fnv: Value = { t: 'function', def: s, env };
          env = env.bind(s.decorators.length ? Binding.unknown(s.name, `\`${s.name}\` is decorated (not evaluated)`) : Binding.value(s.name, fnv));
          if (inside) return { env, at: s };
          break;
        }
        case 'class':
          env = env.bind(Binding.unknown(s.name, `\`${s.name}\` is a class (classes are not evaluated)`));
          if (inside) return { env, at: s };
          break;
        case 'if': {
          let taken = -1;
          let why = '';
          let testAt: Stmt | undefined;
          for (let i = 0; i < s.branches.length; i++) {
            const br = s.branches[i]!;
            if (!br.test) {
              taken = i;
              break;
            }
            if (inside && stop! >= br.test.s && stop! <= br.test.e) testAt = s;
            try {
              if (truthy(this.expr(br.test, env))) {
                taken = i;
                break;
              }
            } catch (err) {
              if (!(err instanceof NotEvaluable)) throw err;
              why = err.why;
              taken = -2;
              break;
            }
          }
          if (testAt) return { env, at: testAt };
          if (taken === -2) {
            const containing = s.branches.find((br) => inside && br.body.length && br.body[0]!.s <= stop! && stop! <= br.body[br.body.length - 1]!.e);
            if (containing) {
              this.notes.push(`assuming the branch at line ${line} runs (its condition is not evaluable: ${why})`);
              const r = this.exec(containing.body, env, mode, stop);
              if (r.at || r.ret) return r;
            }
            if (mode === 'function' && s.branches.some((br) => containsReturn(br.body))) throw new NotEvaluable(`the branch at line ${line} depends on a value that is not evaluable (${why})`);
            for (const n of assignedNames(s.branches.flatMap((br) => br.body))) env = env.bind(Binding.unknown(n, `\`${n}\` is assigned in a branch at line ${line} whose condition is not evaluable`));
            env = this.poisonMutations(s.branches.flatMap((br) => br.body), env, line);
            break;
          }
          if (inside) {
            const other = s.branches.find((br, i) => i !== taken && br.body.length && br.body[0]!.s <= stop! && stop! <= br.body[br.body.length - 1]!.e);
            if (other) throw new NotEvaluable(`this branch does not run (the condition at line ${line} decides otherwise)`);
          }
          if (taken >= 0) {
            const r = this.exec(s.branches[taken]!.body, env, mode, stop);
            if (r.at || r.ret) return r;
            env = r.env;
          }
          break;
        }
        case 'loop': {
          if (inside) {
            if (s.iter && stop! >= s.iter.s && stop! <= s.iter.e) return { env, at: s };
            throw new NotEvaluable(`inside the loop at line ${line}: values change from one iteration to the next (hover a name after the loop)`);
          }
          const ran = this.runFor(s, env, mode, line);
          if (ran) {
            env = ran;
            break;
          }
          if (mode === 'function' && containsReturn([...s.body, ...s.orelse])) throw new NotEvaluable(`the loop at line ${line} may return (loops are not evaluated)`);
          const names = assignedNames([...s.body, ...s.orelse]);
          if (s.target) for (const n of targetNames(s.target)) names.add(n);
          for (const n of names) env = env.bind(Binding.unknown(n, `\`${n}\` is assigned in the loop at line ${line} (loops are not evaluated)`));
          env = this.poisonMutations([...s.body, ...s.orelse], env, line);
          break;
        }
        case 'with': {
          for (const it of s.items) {
            if (it.target) for (const n of targetNames(it.target)) env = env.bind(Binding.unknown(n, `\`${n}\` is bound by a with statement`));
          }
          const kinds = s.items.map((it) => this.contextKind(it.expr, env));
          const unknown = kinds.findIndex((k) => k === 'unknown');
          if (unknown >= 0) {
            // autocast, device contexts, suppress(...) and the like change what runs: not modelled
            const what = this.text.slice(s.items[unknown]!.expr.s, s.items[unknown]!.expr.e).slice(0, 40);
            if (inside) throw new NotEvaluable(`inside \`with ${what}\` at line ${line} (its effect is not modelled)`);
            if (mode === 'function' && containsReturn(s.body)) throw new NotEvaluable(`the function returns inside \`with ${what}\` (not modelled)`);
            for (const n of assignedNames(s.body)) env = env.bind(Binding.unknown(n, `\`${n}\` is assigned inside \`with ${what}\` at line ${line} (its effect is not modelled)`));
            env = this.poisonMutations(s.body, env, line);
            break;
          }
          const prevNoGrad = this.noGrad;
          if (kinds.includes('no-grad')) this.noGrad = true;
          try {
            const r = this.exec(s.body, env, mode, stop);
            if (r.at || r.ret) return r;
            env = r.env;
          } finally {
            this.noGrad = prevNoGrad;
          }
          break;
        }
        case 'try': {
          if (inside) {
            const r = this.exec(s.body, env, mode, stop);
            if (r.at) return r;
            throw new NotEvaluable(`inside an exception handler at line ${line} (not evaluated)`);
          }
          const all = [...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.final];
          if (mode === 'function' && containsReturn(all)) throw new NotEvaluable(`the try statement at line ${line} may return (not evaluated)`);
          for (const n of assignedNames(all)) env = env.bind(Binding.unknown(n, `\`${n}\` is assigned in the try statement at line ${line} (not evaluated)`));
          env = this.poisonMutations(all, env, line);
          break;
        }
        case 'other': {
          const text = this.text.slice(s.s, s.e);
          if (/^(global|nonlocal)\b/.test(text)) {
            if (mode === 'function') throw new NotEvaluable(`\`${text.split(/\s/)[0]}\` declarations are not evaluated`);
            break;
          }
          if (/^raise\b/.test(text) && mode === 'function') throw new NotEvaluable(`the function raises at line ${line}`);
          if (/^del\b/.test(text)) {
            for (const e of s.exprs) for (const n of targetNames(e)) env = env.bind(Binding.unknown(n, `\`${n}\` was deleted at line ${line}`));
            break;
          }
          for (const e of s.exprs) env = this.applyMutations(e, env, line);
          break;
        }
      }
    }
    return { env };
  }

  /**
   * A `for` loop over a range, a list/tuple or an array, run iteration by iteration (each charged
   * to the step budget; the names the body assigns are computed at the end of every iteration, so
   * an accumulation never builds a chain of pending computations). Returns the environment after
   * the loop (and its `else` block), or null when the loop is not run: `while`, `break`/`continue`,
   * a `return` inside, a target other than names, or an iterable that is not evaluable.
   */
  private runFor(s: Stmt & { k: 'loop' }, env: Env, mode: 'module' | 'function', line: number): Env | null {
    if (!s.target || !s.iter || s.test) return null;
    const body = [...s.body, ...s.orelse];
    // break/continue/raise leave no statement in the model: the body's text tells (a word in a string counts too).
    if (containsReturn(body) || /\b(break|continue|raise|yield)\b/.test(this.text.slice(s.body[0]?.s ?? s.e, s.e))) return null;
    const target = unparen(s.target);
    const names = targetNames(target);
    if (!names.length || (target.k !== 'name' && !((target.k === 'tuple' || target.k === 'list') && target.elts.every((x) => unparen(x).k === 'name')))) return null;
    let items: Value[];
    try {
      const it = this.expr(s.iter, env);
      if (it.t === 'array' && it.grad) return null; // rows of a tensor that requires grad carry grad_fns not modelled here
      items = iterItems(this, it);
    } catch (err) {
      if (err instanceof NotEvaluable && !/^too large|^too many|^took longer|^too much/.test(err.why)) return null;
      throw err;
    }
    const iterDeps = this.depsOf(s.iter, env);
    const assigned = [...assignedNames(s.body)];
    this.loopDepth++;
    try {
      for (const item of items) {
        this.ctx.budget.step();
        if (target.k === 'name') env = env.bind(Binding.value(target.id, item, iterDeps));
        else {
          const elts = (target as Expr & { k: 'tuple' | 'list' }).elts;
          elts.forEach((el, i) => {
            const id = (unparen(el) as Expr & { k: 'name' }).id;
            env = env.bind(new Binding(id, () => unpack(item, i, elts.length), iterDeps));
          });
        }
        env = this.exec(s.body, env, mode).env;
        // Compute this iteration's values now (errors stay with their names, to be reported if read).
        for (const n of assigned) {
          try {
            env.lookup(n)?.get();
          } catch (err) {
            if (!(err instanceof NotEvaluable)) throw err;
          }
        }
      }
    } finally {
      this.loopDepth--;
    }
    if (!items.length) for (const n of names) if (!env.lookup(n)) env = env.bind(Binding.unknown(n, `\`${n}\` is not assigned: the loop at line ${line} runs no iteration`));
    return s.orelse.length ? this.exec(s.orelse, env, mode).env : env;
  }

  private assign(s: Stmt & { k: 'assign' }, env: Env, line: number): Env {
    const before = env;
    env = this.applyMutations(s.value, env, line);
    const deps = this.depsOf(s.value, before);
    if (s.op) {
      const t = unparen(s.targets[0]!);
      if (t.k !== 'name') return this.mutateTarget(t, env, line);
      const old = before.lookup(t.id);
      const op = s.op.slice(0, -1);
      const valueExpr = s.value;
      const nb = new Binding(t.id, () => {
        if (!old) throw new NotEvaluable(`\`${t.id}\` is not defined before line ${line}`);
        return inPlace(this, op, old.get(), this.expr(valueExpr, before));
      }, old ? [old, ...deps] : deps);
      // In a loop the old value is known by now: a number (NumPy scalars too), string or tuple is replaced, not changed.
      let replaced = !!old?.immutable;
      if (old && !replaced && this.loopDepth > 0) {
        try {
          const v = old.get();
          replaced = ['int', 'float', 'bool', 'str', 'none', 'tuple'].includes(v.t) || (v.t === 'array' && !!v.npScalar);
        } catch (err) {
          if (!(err instanceof NotEvaluable)) throw err;
        }
      }
      if (old && !replaced) env = poison(env, old, `\`${t.id}\` was changed in place at line ${line}; this value may share its memory`);
      return env.bind(nb);
    }
    const immutable = isImmutableLiteral(s.value);
    const noGrad = this.noGrad;
    const compute = (): Value => {
      const v = this.expr(s.value, before);
      // results computed under no_grad do not require grad (leaves created there still do)
      return noGrad && v.t === 'array' && v.grad && !v.grad.leaf ? { ...v, grad: undefined } : v;
    };
    let shared: Binding | null = null;
    for (const target of s.targets) {
      const t = unparen(target);
      if (t.k === 'name') {
        shared ??= new Binding(t.id, compute, deps, immutable, noGrad ? undefined : { expr: s.value, env: before });
        env = env.bind(shared.name === t.id ? shared : new Binding(t.id, () => shared!.get(), [shared], immutable));
      } else if (t.k === 'tuple' || t.k === 'list') {
        const whole: Binding = shared ?? new Binding('(tuple)', compute, deps, immutable);
        shared = whole;
        t.elts.forEach((el, i) => {
          const u = unparen(el);
          if (u.k === 'star') {
            for (const n of targetNames(u)) env = env.bind(Binding.unknown(n, `starred assignment targets are not evaluated`));
            return;
          }
          if (u.k !== 'name') {
            env = this.mutateTarget(u, env, line);
            return;
          }
          env = env.bind(new Binding(u.id, () => unpack(whole.get(), i, t.elts.length), [whole], immutable));
        });
      } else env = this.mutateTarget(t, env, line);
    }
    return env;
  }

  private mutateTarget(t: Expr, env: Env, line: number): Env {
    const root = rootName(t);
    if (!root) return env;
    const b = env.lookup(root);
    if (!b) return env;
    return poison(env, b, `\`${root}\` is modified in place at line ${line}`).bind(Binding.unknown(root, `\`${root}\` is modified in place at line ${line} (not evaluated)`));
  }

  /** Bindings read by an expression (and, for user functions it calls, the globals they read). */
  depsOf(e: Expr, env: Env): Binding[] {
    const out = new Set<Binding>();
    const seenFns = new Set<string>();
    const visit = (names: Iterable<string>) => {
      for (const n of names) {
        const b = env.lookup(n);
        if (!b) continue;
        out.add(b);
        let v: Value | undefined;
        try {
          v = b.immutable ? undefined : peekFunction(b);
        } catch {
          v = undefined;
        }
        if (v && v.t === 'function' && !seenFns.has(v.def.name)) {
          seenFns.add(v.def.name);
          visit(freeNames(v.def));
        }
      }
    };
    visit(namesIn(e));
    return [...out];
  }

  /** Calls in an expression statement that may change a name's value in place. */
  applyMutations(e: Expr, env: Env, line: number): Env {
    for (const m of mutationsOf(e, (id) => {
      const b = env.lookup(id);
      if (!b) return undefined;
      try {
        return b.get();
      } catch {
        return undefined;
      }
    })) {
      const b = env.lookup(m.root);
      if (!b || b.immutable) continue;
      env = poison(env, b, `\`${m.root}\` may be modified in place by \`${m.call}\` at line ${line}`).bind(Binding.unknown(m.root, `\`${m.root}\` may be modified in place by \`${m.call}\` at line ${line}`));
    }
    return env;
  }

  private poisonMutations(stmts: Stmt[], env: Env, line: number): Env {
    const visit = (ss: Stmt[]) => {
      for (const s of ss) {
        if (s.k === 'assign') {
          env = this.applyMutations(s.value, env, line);
          for (const t of s.targets) {
            const u = unparen(t);
            if (u.k !== 'name' && u.k !== 'tuple' && u.k !== 'list') env = this.mutateTarget(u, env, line);
          }
        } else if (s.k === 'expr') env = this.applyMutations(s.value, env, line);
        else if (s.k === 'if') s.branches.forEach((b) => visit(b.body));
        else if (s.k === 'loop' || s.k === 'with') visit(s.body);
        else if (s.k === 'try') visit([...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.final]);
      }
    };
    visit(stmts);
    return env;
  }
}

function peekFunction(b: Binding): Value | undefined {
  const v = b.get();
  return v.t === 'function' ? v : undefined;
}

/** Names a function assigns are local for its whole body: reading one before it is assigned raises. */
export function bindLocals(def: DefStmt, env: Env): Env {
  for (const n of assignedNames(def.body)) env = env.bind(Binding.unknown(n, `UnboundLocalError: local variable '${n}' referenced before assignment`));
  return env;
}

export function globalsOf(env: Env): Env {
  return env.outer ? env.outer() : env;
}

function compare(it: Interp, op: string, a: Value, b: Value): Value {
  if (op === 'is' || op === 'is not') {
    if (a.t === 'none' || b.t === 'none') return { t: 'bool', v: (a.t === b.t) === (op === 'is') };
    throw new NotEvaluable('`is` comparison is not evaluated');
  }
  if (op === 'in' || op === 'not in') throw new NotEvaluable('`in` is not evaluated');
  if (a.t === 'str' && b.t === 'str') {
    if (op === '==') return { t: 'bool', v: a.v === b.v };
    if (op === '!=') return { t: 'bool', v: a.v !== b.v };
  }
  if (a.t === 'array' || b.t === 'array') return binary(it.ctx, op, a, b);
  if ((a.t === 'int' || a.t === 'float' || a.t === 'bool') && (b.t === 'int' || b.t === 'float' || b.t === 'bool')) {
    const x = a.t === 'bool' ? +a.v : a.v;
    const y = b.t === 'bool' ? +b.v : b.v;
    const r = op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : op === '>=' ? x >= y : op === '==' ? x === y : op === '!=' ? x !== y : null;
    if (r === null) throw new NotEvaluable(`comparison ${op}`);
    return { t: 'bool', v: r };
  }
  if (a.t === 'none' || b.t === 'none') {
    if (op === '==') return { t: 'bool', v: a.t === b.t };
    if (op === '!=') return { t: 'bool', v: a.t !== b.t };
  }
  throw new NotEvaluable(`comparison of ${describe(a)} and ${describe(b)} is not evaluated`);
}

function inPlace(it: Interp, op: string, old: Value, rhs: Value): Value {
  if (old.t === 'list' && op === '+') {
    if (rhs.t !== 'list' && rhs.t !== 'tuple') throw new NotEvaluable('list += of a non-sequence');
    return { t: 'list', items: [...old.items, ...rhs.items] };
  }
  if (old.t === 'array' && old.grad?.leaf) throw new NotEvaluable('the library raises: a leaf Variable that requires grad is being used in an in-place operation');
  const r = binary(it.ctx, op, old, rhs);
  if (old.t === 'array' && !old.npScalar && r.t === 'array') {
    if (r.x.ndim !== old.x.ndim || r.x.shape.some((s, i) => s !== old.x.shape[i])) throw new NotEvaluable(`in-place ${op}= would change the shape (the library raises)`);
    const kind = (d: string) => (d === 'bool' ? 0 : d === 'int64' ? 1 : 2);
    if (kind(r.x.dtype) > kind(old.x.dtype)) throw new NotEvaluable(`in-place ${op}= cannot store ${r.x.dtype} results in a ${old.x.dtype} array (the library raises)`);
    return { ...r, x: r.x.astype(old.x.dtype), npScalar: undefined, grad: old.grad && 'leaf' in old.grad && old.grad.leaf ? old.grad : r.grad };
  }
  return r;
}

function unpack(v: Value, i: number, n: number): Value {
  if (v.t === 'tuple' || v.t === 'list') {
    if (v.items.length !== n) throw new NotEvaluable(`ValueError: cannot unpack ${v.items.length} values into ${n} names`);
    return v.items[i]!;
  }
  throw new NotEvaluable(`cannot unpack ${describe(v)}`);
}

export function rootName(e: Expr): string | undefined {
  const u = unparen(e);
  if (u.k === 'name') return u.id;
  if (u.k === 'attr') return rootName(u.obj);
  if (u.k === 'subscript') return rootName(u.obj);
  if (u.k === 'call') return rootName(u.fn);
  return undefined;
}

export function targetNames(e: Expr): string[] {
  const u = unparen(e);
  if (u.k === 'name') return [u.id];
  if (u.k === 'tuple' || u.k === 'list') return u.elts.flatMap(targetNames);
  if (u.k === 'star') return targetNames(u.inner);
  return [];
}

function namesIn(e: Expr): Set<string> {
  const out = new Set<string>();
  const visit = (x: Expr) => {
    if (x.k === 'name') out.add(x.id);
    forEachChildExpr(x, visit);
  };
  visit(e);
  return out;
}

import { forEachChild as forEachChildExpr } from '../ir';

function isImmutableLiteral(e: Expr): boolean {
  const u = unparen(e);
  if (u.k === 'num' || u.k === 'str' || u.k === 'const') return true;
  if (u.k === 'unary') return isImmutableLiteral(u.operand);
  if (u.k === 'tuple') return u.elts.every(isImmutableLiteral);
  return false;
}

/** A list/tuple display made only of number literals: evaluated without a step per element. */
function literalList(e: Expr & { k: 'list' | 'tuple' | 'set' }, ctx: Ctx): Value | null {
  let count = 0;
  const limit = ctx.budget.limits.maxElements;
  const ok = (x: Expr): boolean => {
    const u = x.k === 'paren' ? unparen(x) : x;
    if (u.k === 'list' || u.k === 'tuple') return u.elts.every(ok);
    if (++count > limit) throw new NotEvaluable(`too large: a literal of more than ${limit.toLocaleString('en-US')} elements (limit ${limit.toLocaleString('en-US')})`);
    if (u.k === 'num') return !/[jJ]$/.test(u.raw) && (u.isFloat || Number.isSafeInteger(u.value));
    if (u.k === 'unary' && (u.op === '-' || u.op === '+')) return unparen(u.operand).k === 'num' && ok(u.operand);
    if (u.k === 'const') return u.value === 'True' || u.value === 'False';
    return false;
  };
  if (!ok(e)) return null;
  ctx.budget.elements(count);
  const conv = (x: Expr): Value => {
    const u = unparen(x);
    if (u.k === 'list' || u.k === 'tuple') return { t: u.k, items: u.elts.map(conv) };
    if (u.k === 'num') return u.isFloat ? { t: 'float', v: u.value } : { t: 'int', v: u.value };
    if (u.k === 'unary') {
      const v = conv(u.operand) as { t: 'int' | 'float'; v: number };
      return u.op === '-' ? { t: v.t, v: -v.v } : v;
    }
    return { t: 'bool', v: (u as { value: string }).value === 'True' };
  };
  return conv(e);
}

export type { DefStmt };
