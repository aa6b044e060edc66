// Environments: an immutable chain of bindings per scope. A binding's value is computed lazily
// (once) from the expression and the environment at its statement, so statements nobody asks
// about cost nothing. Bindings record which earlier bindings they read; an in-place mutation
// poisons every binding connected to the mutated one (they might share memory).
import { NotEvaluable, type Value } from './values';

let nextId = 0;

export class Binding {
  readonly id = nextId++;
  private state: { done: true; v: Value } | { done: true; err: NotEvaluable } | { done: false; busy: boolean } = { done: false, busy: false };

  constructor(
    readonly name: string,
    private readonly compute: () => Value,
    readonly deps: readonly Binding[],
    /** Literal numbers/strings cannot share memory with anything (never poisoned). */
    readonly immutable = false,
    /** The expression and environment the value comes from (to look through names). */
    readonly source?: { expr: import('../ir').Expr; env: Env },
  ) {}

  static value(name: string, v: Value, deps: readonly Binding[] = []): Binding {
    // numbers, strings, modules, functions and dtypes cannot be changed in place
    const fixed = ['int', 'float', 'bool', 'str', 'none', 'ref', 'function', 'builtin', 'dtype'].includes(v.t);
    return new Binding(name, () => v, deps, fixed);
  }

  static unknown(name: string, why: string): Binding {
    return new Binding(name, () => {
      throw new NotEvaluable(why);
    }, [], true);
  }

  get(): Value {
    const s = this.state;
    if (s.done) {
      if ('err' in s) throw s.err;
      return s.v;
    }
    if (s.busy) throw new NotEvaluable(`\`${this.name}\` depends on itself`);
    s.busy = true;
    try {
      const v = this.compute();
      this.state = { done: true, v };
      return v;
    } catch (e) {
      s.busy = false;
      if (e instanceof NotEvaluable) {
        this.state = { done: true, err: e };
      }
      throw e;
    }
  }
}

export class Env {
  private constructor(
    private readonly name: string | null,
    readonly binding: Binding | null,
    private readonly parent: Env | null,
    /** Where a lookup continues when this scope does not bind the name (function → globals). */
    readonly outer: (() => Env) | null,
  ) {}

  static empty(outer: (() => Env) | null = null): Env {
    return new Env(null, null, null, outer);
  }

  bind(b: Binding): Env {
    return new Env(b.name, b, this, this.outer);
  }

  /** The binding of `name` in this scope only. */
  local(name: string): Binding | undefined {
    for (let e: Env | null = this; e; e = e.parent) if (e.name === name) return e.binding!;
    return undefined;
  }

  lookup(name: string): Binding | undefined {
    return this.local(name) ?? this.outer?.().lookup(name);
  }

  /** Every binding visible in this scope (latest per name), most recent first. */
  visible(): Binding[] {
    const seen = new Set<string>();
    const out: Binding[] = [];
    for (let e: Env | null = this; e; e = e.parent) {
      if (e.name === null || seen.has(e.name)) continue;
      seen.add(e.name);
      out.push(e.binding!);
    }
    return out;
  }

  /** All bindings ever made in this scope chain (for poisoning). */
  all(): Binding[] {
    const out: Binding[] = [];
    for (let e: Env | null = this; e; e = e.parent) if (e.binding) out.push(e.binding);
    return out;
  }
}

/**
 * After an in-place change of `target`: every binding connected to it through reads (either way)
 * may share its memory, so every visible name bound to one of them becomes unknown.
 */
export function poison(env: Env, target: Binding, why: string): Env {
  const all = env.all();
  const group = new Set<Binding>([target]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const b of all) {
      if (b.immutable) continue;
      const linked = group.has(b) || b.deps.some((d) => group.has(d));
      if (linked && !group.has(b)) {
        group.add(b);
        grew = true;
      }
      if (group.has(b)) {
        for (const d of b.deps) {
          if (!d.immutable && !group.has(d)) {
            group.add(d);
            grew = true;
          }
        }
      }
    }
  }
  let out = env;
  for (const b of env.visible()) if (group.has(b)) out = out.bind(Binding.unknown(b.name, why));
  return out;
}
