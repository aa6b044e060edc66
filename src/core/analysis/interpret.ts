// Value-kind analysis: an abstract interpreter over the analysis model. It walks statements in order
// (reassignment-aware, per scope), joins branches, iterates loops to a fixed point, summarises
// functions and classes of the file, and records the abstract value of every expression it visits.
// Library meaning comes only from ../knowledge tables.
import { argument, hasStarArgs, positional, unparen, type Arg, type Expr, type Module, type Stmt } from '../ir';
import { canonical as canonicalName, kerasActivationKinds, libraryRoots, layerApplyMethods, lookupApi as lookupApiName, methodArgsMustBeLiterals, methodsFor, modelSelfMethods, type ApiSpec, type Kind } from '../knowledge';
import {
  join,
  sameValue,
  Scope,
  TENSOR,
  UNKNOWN,
  type CallExpr,
  type ClassInfo,
  type ClassStmt,
  type Container,
  type DefStmt,
  type FunctionInfo,
  type TensorValue,
  type Value,
} from './values';
import { CalleeValues, ExprValues, type ExprValueTable } from './expr-map';

export interface Analysis {
  module: Module;
  /** The abstract value of each visited expression. */
  values: ExprValueTable;
  /** The value of the callee of each visited call. */
  callees: ExprValueTable<CallExpr>;
  /** Expressions bound to each assignment target name, per scope-level statement (for fixes). */
  functions: FunctionInfo[];
  classes: ClassInfo[];
  /** What calling a model value (Sequential/functional container, user model object) returns; unknown otherwise. */
  outputOf(model: Value): Value;
  /** Module-level bindings at the end of the file (what other files import). */
  globals: Map<string, Value>;
  /** The joined return value of a function value (unknown for anything else). */
  returnOf(fn: Value): Value;
  /**
   * With `AnalyzeOptions.track` (an editor session, ../incremental.ts): walks the top-level function
   * `def` again, whose body the caller has just replaced (same object, same name, parameters and
   * decorators), and says whether this analysis is now exactly what a fresh analysis of the new module
   * gives (see `PhaseTwoLog`). When it says false the analysis is spoilt: the caller analyses afresh.
   */
  rewalk?(def: DefStmt): boolean;
  /** Counts the re-walks (what rules keep per analysis is kept per generation). */
  generation?: number;
}

const MAX_LOOP_ITERATIONS = 3;
const MAX_CALL_DEPTH = 8;

// The knowledge tables are static: a qualified name's spec and canonical form are computed once (a
// miss scans every alias prefix). Bounded: cleared when it reaches MEMO_LIMIT names.
const MEMO_LIMIT = 20_000;
const apiMemo = new Map<string, ApiSpec | null>();
const canonicalMemo = new Map<string, string>();

function lookupApi(qname: string): ApiSpec | undefined {
  let r = apiMemo.get(qname);
  if (r === undefined) {
    if (apiMemo.size >= MEMO_LIMIT) apiMemo.clear();
    apiMemo.set(qname, (r = lookupApiName(qname) ?? null));
  }
  return r ?? undefined;
}

function canonical(qname: string): string {
  let r = canonicalMemo.get(qname);
  if (r === undefined) {
    if (canonicalMemo.size >= MEMO_LIMIT) canonicalMemo.clear();
    canonicalMemo.set(qname, (r = canonicalName(qname)));
  }
  return r;
}

/** How the analysis of one file sees the other files of the project (a project index provides it). */
export interface AnalyzeOptions {
  /**
   * The value of `name` imported from a project module (`from .models import Net`: module "models",
   * level 1), or of the module itself when `name` is null (`import pkg.models as m`); `*` gives a
   * module value whose members are the public names. Undefined when unknown.
   */
  resolveImport?(module: string, level: number, name: string | null): Value | undefined;
  /** Record what phase 2 reads and writes (`PhaseTwoLog`), so that `Analysis.rewalk` can work. */
  track?: boolean;
  /**
   * Asked once, when the module body has been walked (phase 1): true skips phase 2, the final walks
   * of the functions' bodies. For the project index's inert modules (./project.ts), whose functions'
   * values nothing reads; the bindings at the end of the module body are phase 1's either way unless
   * a function declares `global` (the project index does not ask then).
   */
  moduleBodyOnly?(): boolean;
}

/** Method names that give probabilities on any receiver the analysis does not know (`callMethod`). */
export const probabilityMethodNames: readonly string[] = ['predict_proba'];

/**
 * What phase 2 (the functions' walks after the module body, and the summaries the rules ask for
 * later) read and wrote of the state walks share: module globals (`global x` in a function), the
 * attributes of a class (`self.x = ...`) and the layers of a container (`model.add(...)`). The body of
 * a function is walked in phase 2 at a place in the order of the walks; an editor session that re-walks
 * one changed function last gets what a fresh analysis gets only when that place cannot matter:
 *  - no cell phase 2 read was written in phase 2 (every walk saw the state it would see at any other
 *    time), and no summary was cut short by recursion or the depth limit (whose answers depend on who
 *    asked first): then every summary is a function of the function alone, whenever it is computed;
 *  - the function was never summarised (nothing else depends on its body), and neither its old walk
 *    nor its new one wrote a shared cell or defined functions or classes (which would be walked, and
 *    listed, at other places).
 */
class PhaseTwoLog {
  on = false;
  readonly reads = new Set<unknown>();
  readonly writes = new Set<unknown>();
  /** Classes whose attributes are being collected (`ensureAttrs`): their own writes are not phase-2 writes. */
  readonly collecting = new Set<ClassInfo>();
  orderSensitive = false;
  writeCount = 0;
  /** Top-level functions whose last final walk wrote a shared cell or defined a function or class. */
  readonly impure = new Set<FunctionInfo>();

  read(cell: unknown): void {
    if (this.on) this.reads.add(cell);
  }

  write(cell: unknown): void {
    if (!this.on) return;
    this.writes.add(cell);
    this.writeCount++;
  }

  clean(): boolean {
    if (this.orderSensitive) return false;
    for (const w of this.writes) if (this.reads.has(w)) return false;
    return true;
  }
}

export function analyze(module: Module, options: AnalyzeOptions = {}): Analysis {
  const it = new Interpreter(module, options);
  it.run();
  const a: Analysis = { module, values: it.values, callees: it.callees, functions: it.functionList, classes: it.classList, outputOf: (m) => it.outputOf(m), globals: it.globals(), returnOf: (f) => it.returnOf(f) };
  if (it.log) a.rewalk = (def) => it.rewalk(def);
  return a;
}

class Interpreter {
  values = new ExprValues();
  callees = new CalleeValues();
  functionList: FunctionInfo[] = [];
  classList: ClassInfo[] = [];
  private readonly globalScope = new Scope(null, 'module');
  private readonly summaries = new Map<DefStmt, Value | 'pending'>();
  private readonly fnInfo = new Map<DefStmt, FunctionInfo>();
  private depth = 0;
  /** Return values collected for the function being summarised. */
  private returns: Value[] | null = null;
  /** The function whose body is being walked (for `self` attribute recording). */
  private currentClass: ClassInfo | undefined;
  /** With `options.track`: what phase 2 read and wrote. */
  readonly log: PhaseTwoLog | undefined;

  constructor(
    private readonly module: Module,
    private readonly options: AnalyzeOptions = {},
  ) {
    this.log = options.track ? new PhaseTwoLog() : undefined;
  }

  globals(): Map<string, Value> {
    return this.globalScope.vars;
  }

  returnOf(fn: Value): Value {
    return fn.t === 'function' ? this.summarize(fn.fn) : UNKNOWN;
  }

  run(): void {
    this.block(this.module.body, this.globalScope);
    if (this.options.moduleBodyOnly?.()) return;
    // Phase 2: walk every function body once more with the final module bindings, so rules see
    // the values as they are when the functions run (after the module body has executed). The
    // attributes of model classes are collected first, with those bindings: whichever function
    // first uses a model then sees what every other one sees.
    for (let i = 0; i < this.classList.length; i++) if (this.classList[i]!.callMethod) this.ensureAttrs(this.classList[i]!);
    const log = this.log;
    if (log) log.on = true;
    const topLevel = log ? new Set(this.module.body) : undefined;
    for (const fn of this.functionList) {
      if (!log || !topLevel!.has(fn.def)) {
        this.walkFunction(fn, true);
        continue;
      }
      const writes = log.writeCount;
      const defined = this.functionList.length + this.classList.length;
      this.walkFunction(fn, true);
      if (log.writeCount !== writes || this.functionList.length + this.classList.length !== defined) log.impure.add(fn);
    }
  }

  /** See `Analysis.rewalk`. */
  rewalk(def: DefStmt): boolean {
    const log = this.log;
    const fn = this.fnInfo.get(def);
    if (!log || !fn || fn.cls || log.impure.has(fn) || this.summaries.has(def) || !log.clean()) return false;
    const writes = log.writeCount;
    const defined = this.functionList.length + this.classList.length;
    this.walkFunction(fn, true);
    return log.writeCount === writes && this.functionList.length + this.classList.length === defined && !this.summaries.has(def) && log.clean();
  }

  // ---- statements -------------------------------------------------------------------------

  block(body: Stmt[], scope: Scope): void {
    for (const s of body) this.stmt(s, scope);
  }

  stmt(s: Stmt, scope: Scope): void {
    switch (s.k) {
      case 'assign': {
        const v = this.expr(s.value, scope);
        for (const t of s.targets) this.bind(t, s.op ? augmented(v) : v, scope, s.value);
        return;
      }
      case 'expr':
        this.expr(s.value, scope);
        return;
      case 'return': {
        const v = s.value ? this.expr(s.value, scope) : { t: 'const' as const, value: 'None' };
        this.returns?.push(v);
        return;
      }
      case 'def': {
        for (const d of s.decorators) this.expr(d, scope);
        for (const p of s.params) if (p.default) this.expr(p.default, scope);
        const fn: FunctionInfo = this.fnInfo.get(s) ?? { def: s, scope, cls: scope.kind === 'class' ? this.currentClass : undefined };
        if (!this.fnInfo.has(s)) {
          this.fnInfo.set(s, fn);
          this.functionList.push(fn);
        }
        // A decorated function may be replaced by its decorator's result: only plain ones are known.
        scope.vars.set(s.name, s.decorators.length === 0 || s.decorators.every(isHarmlessDecorator) ? { t: 'function', fn } : UNKNOWN);
        return;
      }
      case 'class': {
        const cls = this.classInfo(s, scope);
        scope.vars.set(s.name, s.decorators.length ? UNKNOWN : { t: 'class', cls });
        return;
      }
      case 'import':
        for (const n of s.names) {
          const root = n.module.split('.')[0];
          if (n.asname) scope.vars.set(n.asname, this.moduleValue(n.module));
          else scope.vars.set(root, this.moduleValue(root));
        }
        return;
      case 'from': {
        if (s.level > 0 || !libraryRoots.has(s.module.split('.')[0])) {
          // Not a library we know: a project module (resolved by the project index, if any) or unknown.
          const resolve = this.options.resolveImport;
          if (s.names !== '*') for (const n of s.names) scope.vars.set(n.asname ?? n.name, resolve?.(s.module, s.level, n.name) ?? UNKNOWN);
          else {
            const mod = resolve?.(s.module, s.level, null);
            if (mod?.t === 'external' && mod.members) for (const [k, v] of mod.members) if (!k.startsWith('_')) scope.vars.set(k, v);
          }
          return;
        }
        if (s.names === '*') return;
        for (const n of s.names) scope.vars.set(n.asname ?? n.name, { t: 'ref', qname: `${s.module}.${n.name}` });
        return;
      }
      case 'if': {
        // Each branch runs on its own copy of the bindings; the branches' bindings are joined.
        const outs: Map<string, Value>[] = [];
        let hasElse = false;
        for (const b of s.branches) {
          if (b.test) this.expr(b.test, scope);
          else hasElse = true;
          const snapshot = scope.vars;
          scope.vars = new Map(snapshot);
          this.block(b.body, scope);
          outs.push(scope.vars);
          scope.vars = snapshot;
        }
        if (!hasElse) outs.push(scope.vars);
        scope.vars = joinMaps(outs);
        return;
      }
      case 'loop': {
        if (s.iter) this.expr(s.iter, scope);
        if (s.test) this.expr(s.test, scope);
        const before = scope.vars;
        let head = before;
        for (let i = 0; i < MAX_LOOP_ITERATIONS; i++) {
          scope.vars = new Map(head);
          if (s.target) this.bind(s.target, UNKNOWN, scope);
          if (s.test) this.expr(s.test, scope);
          this.block(s.body, scope);
          const next = joinMaps([before, scope.vars]);
          if (mapsEqual(next, head)) break;
          head = next;
          if (i === MAX_LOOP_ITERATIONS - 2) {
            // Last round: walk with the widened head so recorded values are the fixed point's.
            scope.vars = new Map(head);
            if (s.target) this.bind(s.target, UNKNOWN, scope);
            this.block(s.body, scope);
            head = joinMaps([before, scope.vars]);
            break;
          }
        }
        scope.vars = head === before ? new Map(head) : head;
        this.block(s.orelse, scope);
        return;
      }
      case 'with':
        for (const item of s.items) {
          this.expr(item.expr, scope);
          if (item.target) this.bind(item.target, UNKNOWN, scope);
        }
        this.block(s.body, scope);
        return;
      case 'try': {
        const before = scope.vars;
        scope.vars = new Map(before);
        this.block(s.body, scope);
        const afterBody = scope.vars;
        const outs = [afterBody];
        for (const h of s.handlers) {
          scope.vars = joinMaps([before, afterBody]);
          if (h.type) this.expr(h.type, scope);
          if (h.name) scope.vars.set(h.name, UNKNOWN);
          this.block(h.body, scope);
          outs.push(scope.vars);
        }
        scope.vars = afterBody;
        this.block(s.orelse, scope);
        outs[0] = scope.vars;
        scope.vars = joinMaps(outs);
        this.block(s.final, scope);
        return;
      }
      case 'other':
        if (s.names) for (const n of s.names) if (s.global) scope.globals.add(n);
        for (const e of s.exprs) this.expr(e, scope);
        return;
    }
  }

  bind(target: Expr, v: Value, scope: Scope, valueExpr?: Expr): void {
    const t = unparen(target);
    this.values.set(target, v);
    switch (t.k) {
      case 'name':
        if (scope.globals.has(t.id)) {
          scope.root().vars.set(t.id, v);
          this.log?.write(`g:${t.id}`);
        } else scope.vars.set(t.id, v);
        return;
      case 'tuple':
      case 'list': {
        const hasStar = t.elts.some((e) => e.k === 'star');
        t.elts.forEach((e, i) => {
          const item = !hasStar && v.t === 'tuple' && v.items.length === t.elts.length ? v.items[i] : UNKNOWN;
          this.bind(e, item, scope);
        });
        return;
      }
      case 'star':
        this.bind(t.inner, UNKNOWN, scope);
        return;
      case 'attr': {
        const obj = this.expr(t.obj, scope);
        if (obj.t === 'object' && t.obj.k === 'name' && t.obj.id === 'self') {
          const prev = obj.cls.attrs.get(t.attr);
          const next = prev === undefined ? v : join(prev, v);
          obj.cls.attrs.set(t.attr, next);
          if (this.log?.on && !this.log.collecting.has(obj.cls) && !equivalent(prev, next)) this.log.write(obj.cls);
        }
        return;
      }
      case 'subscript':
        this.expr(t.obj, scope);
        for (const i of t.index) this.expr(i, scope);
        return;
      default:
        void valueExpr;
        return;
    }
  }

  // ---- definitions ------------------------------------------------------------------------

  classInfo(s: ClassStmt, scope: Scope): ClassInfo {
    const bases: ClassInfo[] = [];
    let callMethod: 'forward' | 'call' | undefined;
    for (const b of s.bases) {
      const v = this.expr(b.value, scope);
      if (b.name !== undefined) continue;
      if (v.t === 'class') {
        bases.push(v.cls);
        callMethod ??= v.cls.callMethod;
      } else if (v.t === 'ref') {
        const spec = lookupApi(v.qname);
        if (spec?.role === 'model-base') callMethod = spec.method;
        else if (spec?.role === 'functional-model' || spec?.role === 'sequential') callMethod = 'call';
      }
    }
    const cls: ClassInfo = { def: s, bases, callMethod, methods: new Map(), attrs: new Map(), attrsReady: false };
    this.classList.push(cls);
    const body = new Scope(scope, 'class');
    const prevClass = this.currentClass;
    this.currentClass = cls;
    this.block(s.body, body);
    this.currentClass = prevClass;
    for (const st of s.body) if (st.k === 'def') cls.methods.set(st.name, st);
    return cls;
  }

  /** Make sure `self.<attr>` assignments of the class (and its bases) are collected. */
  ensureAttrs(cls: ClassInfo): void {
    if (cls.attrsReady) return;
    cls.attrsReady = true;
    this.log?.collecting.add(cls);
    for (const b of cls.bases) this.ensureAttrs(b);
    const init = cls.methods.get('__init__');
    const order = init ? [init, ...[...cls.methods.values()].filter((m) => m !== init)] : [...cls.methods.values()];
    // __init__ first (where layers are built), then the rest (build() in keras, setup() in flax).
    for (const m of order) {
      if (m.name === 'forward' || m.name === 'call') continue;
      const fn = this.fnInfo.get(m);
      if (fn) this.summarize(fn);
    }
    this.log?.collecting.delete(cls);
  }

  findMethod(cls: ClassInfo, name: string, seen = new Set<ClassInfo>()): DefStmt | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    const m = cls.methods.get(name);
    if (m) return m;
    for (const b of cls.bases) {
      const r = this.findMethod(b, name, seen);
      if (r) return r;
    }
    return undefined;
  }

  findAttr(cls: ClassInfo, name: string, seen = new Set<ClassInfo>()): Value | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    this.ensureAttrs(cls);
    this.log?.read(cls);
    const v = cls.attrs.get(name);
    if (v !== undefined) return v;
    for (const b of cls.bases) {
      const r = this.findAttr(b, name, seen);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  /** The joined return value of a function (memoised; recursion gives unknown). */
  summarize(fn: FunctionInfo): Value {
    const memo = this.summaries.get(fn.def);
    if (memo === 'pending') {
      if (this.log?.on) this.log.orderSensitive = true;
      return UNKNOWN;
    }
    if (memo !== undefined) return memo;
    if (this.depth >= MAX_CALL_DEPTH) {
      if (this.log?.on) this.log.orderSensitive = true;
      return UNKNOWN;
    }
    this.summaries.set(fn.def, 'pending');
    const result = this.walkFunction(fn, false);
    this.summaries.set(fn.def, result);
    return result;
  }

  walkFunction(fn: FunctionInfo, final: boolean): Value {
    const scope = new Scope(fn.scope, 'function');
    fn.def.params.forEach((p, i) => {
      const self = i === 0 && fn.cls && !isStaticMethod(fn.def) ? { t: 'object' as const, cls: fn.cls } : UNKNOWN;
      scope.vars.set(p.name, self);
    });
    const savedReturns = this.returns;
    const savedClass = this.currentClass;
    this.returns = [];
    this.currentClass = fn.cls;
    this.depth++;
    try {
      this.block(fn.def.body, scope);
      const rs = this.returns;
      if (final) return UNKNOWN;
      if (rs.length === 0) return { t: 'const', value: 'None' };
      return rs.reduce((a, b) => join(a, b));
    } finally {
      this.depth--;
      this.returns = savedReturns;
      this.currentClass = savedClass;
    }
  }

  outputOf(model: Value): Value {
    if (model.t === 'container') return this.containerOutput(model);
    if (model.t !== 'object' || !model.cls.callMethod) return UNKNOWN;
    const m = this.findMethod(model.cls, model.cls.callMethod);
    const info = m && this.fnInfo.get(m);
    return info ? this.summarize(info) : UNKNOWN;
  }

  containerOutput(c: Container): Value {
    this.log?.read(c);
    return containerOutput(c, this.values);
  }

  /** A name read from a function: a read of the module's binding when no function scope binds it. */
  noteRead(name: string, scope: Scope): void {
    let s: Scope | null = scope;
    while (s) {
      if (s.globals.has(name) || s.kind === 'module') {
        this.log!.read(`g:${name}`);
        return;
      }
      if (s.vars.has(name)) return;
      s = s.parent;
      while (s && s.kind === 'class') s = s.parent;
    }
  }

  moduleValue(qname: string): Value {
    if (libraryRoots.has(qname.split('.')[0])) return { t: 'ref', qname };
    // Another module: the project index knows it, or it is opaque (its functions are not tensor methods).
    return this.options.resolveImport?.(qname, 0, null) ?? { t: 'external', kind: 'module', name: qname, path: '', members: new Map() };
  }

  // ---- expressions ------------------------------------------------------------------------

  expr(e: Expr, scope: Scope): Value {
    const v = this.evalExpr(e, scope);
    this.values.set(e, v);
    return v;
  }

  evalExpr(e: Expr, scope: Scope): Value {
    switch (e.k) {
      case 'name':
        if (this.log?.on) this.noteRead(e.id, scope);
        return scope.lookup(e.id) ?? UNKNOWN;
      case 'attr': {
        const obj = this.expr(e.obj, scope);
        return this.attribute(obj, e.attr);
      }
      case 'call':
        return this.call(e, scope);
      case 'subscript': {
        const obj = this.expr(e.obj, scope);
        const idx = e.index.map((i) => this.expr(i, scope));
        if (obj.t === 'tuple' && e.index.length === 1 && idx[0].t === 'num') {
          const i = idx[0].value;
          return obj.items[i < 0 ? obj.items.length + i : i] ?? UNKNOWN;
        }
        if (obj.t === 'tensor') return derive(obj);
        return UNKNOWN;
      }
      case 'binop':
        return this.binop(e, scope);
      case 'unary': {
        const v = this.expr(e.operand, scope);
        if (e.op === '-' && v.t === 'num') return { t: 'num', value: -v.value };
        return v.t === 'tensor' ? TENSOR : UNKNOWN;
      }
      case 'paren':
        return this.expr(e.inner, scope);
      case 'num':
        return { t: 'num', value: e.value };
      case 'str':
        return { t: 'str', value: e.value };
      case 'const':
        return { t: 'const', value: e.value };
      case 'tuple':
      case 'list':
        return { t: 'tuple', items: e.elts.map((x) => this.expr(x, scope)) };
      case 'ifexp': {
        this.expr(e.test, scope);
        return join(this.expr(e.body, scope), this.expr(e.orelse, scope));
      }
      case 'lambda': {
        // Visit the body for rules; its parameters are unknown.
        const inner = new Scope(scope, 'function');
        for (const p of e.params) {
          if (p.default) this.expr(p.default, scope);
          inner.vars.set(p.name, UNKNOWN);
        }
        this.expr(e.body, inner);
        return UNKNOWN;
      }
      case 'compare':
        for (const o of e.operands) this.expr(o, scope);
        return UNKNOWN;
      case 'slice':
        if (e.lower) this.expr(e.lower, scope);
        if (e.upper) this.expr(e.upper, scope);
        if (e.step) this.expr(e.step, scope);
        return UNKNOWN;
      case 'set':
        for (const x of e.elts) this.expr(x, scope);
        return UNKNOWN;
      case 'dict':
        for (const k of e.keys) if (k) this.expr(k, scope);
        for (const v of e.values) this.expr(v, scope);
        return UNKNOWN;
      case 'star':
        this.expr(e.inner, scope);
        return UNKNOWN;
      case 'other': {
        // Comprehensions and friends bind their own names: evaluate children in a child scope.
        const inner = new Scope(scope, 'function');
        for (const k of e.kids) this.expr(k, inner);
        return UNKNOWN;
      }
    }
  }

  attribute(obj: Value, name: string): Value {
    switch (obj.t) {
      case 'ref':
        return { t: 'ref', qname: `${obj.qname}.${name}` };
      case 'external':
        if (obj.kind === 'module') {
          const known = obj.members?.get(name) ?? this.options.resolveImport?.(`${obj.name}.${name}`, 0, null);
          // an attribute of an opaque module is opaque too: a function or submodule, never a tensor
          return known ?? (obj.path === '' ? { ...obj, name: `${obj.name}.${name}` } : UNKNOWN);
        }
        if (obj.kind === 'object' && (name === 'forward' || name === 'call' || name === 'predict')) return { ...obj, kind: 'function' };
        return UNKNOWN;
      case 'object': {
        const a = this.findAttr(obj.cls, name);
        if (a !== undefined) return a;
        const m = this.findMethod(obj.cls, name);
        if (m) {
          const fn = this.fnInfo.get(m);
          if (fn) return { t: 'method', fn, self: obj };
        }
        if (obj.cls.callMethod && modelSelfMethods.has(name)) return { t: 'attr', obj, name };
        return UNKNOWN;
      }
      case 'class':
      case 'function':
      case 'method':
      case 'num':
        // TF.js: `tf.scalar(1)` evaluates to the number, and `tf.scalar(1).sub(p)` is `1 - p`.
        return methodArgsMustBeLiterals(this.module.language) ? { t: 'attr', obj, name } : UNKNOWN;
      case 'str':
      case 'const':
        return UNKNOWN;
      default:
        return { t: 'attr', obj, name };
    }
  }

  binop(e: Extract<Expr, { k: 'binop' }>, scope: Scope): Value {
    const l = this.expr(e.left, scope);
    const r = this.expr(e.right, scope);
    return this.binopValue(e.op, l, r, e);
  }

  /** The value of `l op r`: binary operators, and arithmetic calls (`tf.sub(a, b)`) at `e`. */
  binopValue(op: string, l: Value, r: Value, e: Expr): Value {
    if (l.t === 'num' && r.t === 'num') {
      const v = arith(op, l.value, r.value);
      return v === undefined ? UNKNOWN : { t: 'num', value: v };
    }
    const lt = l.t === 'tensor' ? l : undefined;
    const rt = r.t === 'tensor' ? r : undefined;
    if (op === '-') {
      // x - max(x): the max shift that makes exp safe.
      if (rt?.isMax) return { t: 'tensor', shifted: true };
      // 1 - sigmoid(x) is sigmoid(-x): still a sigmoid probability, marked as the complement.
      if (l.t === 'num' && l.value === 1 && rt?.kind === 'prob-sigmoid' && !rt.complement) {
        return { t: 'tensor', kind: 'prob-sigmoid', producer: rt.producer, complement: true, guarded: rt.guarded };
      }
    }
    if (op === '+') {
      // p + eps keeps p away from zero (any constant or name: precision first, we assume it is an epsilon).
      const p = lt?.kind ? lt : rt?.kind ? rt : undefined;
      const other = p === lt ? r : l;
      if (p && (other.t === 'num' || other.t === 'unknown')) return { t: 'tensor', guarded: true };
    }
    if (op === '/') {
      // exp(x) / sum(exp(x)): a softmax written by hand.
      if (lt?.expOf && rt?.sumOfExpOf && sameText(lt.expOf, rt.sumOfExpOf, this.values)) {
        return { t: 'tensor', kind: 'prob-softmax', producer: { via: 'handwritten', call: asCall(e) } };
      }
    }
    return lt || rt ? TENSOR : UNKNOWN;
  }

  call(e: CallExpr, scope: Scope): Value {
    const fn = this.expr(e.fn, scope);
    this.callees.set(e, fn);
    const args = e.args.map((a) => this.expr(a.value, scope));
    if (hasStarArgs(e.args) && fn.t !== 'ref') return UNKNOWN;
    const argVal = (a: Arg | undefined): Value => (a ? args[e.args.indexOf(a)] ?? UNKNOWN : UNKNOWN);
    switch (fn.t) {
      case 'ref': {
        const spec = lookupApi(fn.qname);
        if (!spec) return UNKNOWN;
        return this.applySpec(spec, canonical(fn.qname), e, argVal, undefined, 'function');
      }
      case 'instance':
        return this.callInstance(fn, e, argVal);
      case 'container':
        return modelOutput(this.containerOutput(fn), e, 'model');
      case 'function': {
        this.depth++;
        const r = this.summarize(fn.fn);
        this.depth--;
        return modelOutput(r, e, 'user-function', fn.fn.def.name);
      }
      case 'class': {
        this.ensureAttrs(fn.cls);
        return { t: 'object', cls: fn.cls };
      }
      case 'object': {
        const m = fn.cls.callMethod ? this.findMethod(fn.cls, fn.cls.callMethod) : this.findMethod(fn.cls, '__call__');
        const info = m && this.fnInfo.get(m);
        if (!info) return UNKNOWN;
        return modelOutput(this.summarize(info), e, 'model', `${fn.cls.def.name}.${m.name}`);
      }
      case 'method': {
        const r = this.summarize(fn.fn);
        const name = fn.fn.def.name;
        const isModelCall = fn.self.t === 'object' && (name === 'forward' || name === 'call');
        return modelOutput(r, e, isModelCall ? 'model' : 'user-function', fn.fn.cls ? `${fn.fn.cls.def.name}.${name}` : name);
      }
      case 'attr':
        return this.callMethod(fn.obj, fn.name, e, argVal);
      case 'external':
        if (fn.kind === 'class') return { ...fn, kind: 'object' };
        if (fn.kind === 'object') return modelOutput(fn.output ?? UNKNOWN, e, 'model', fn.name);
        if (fn.kind === 'function') return modelOutput(fn.output ?? UNKNOWN, e, fn.output?.t === 'tensor' && fn.output.producer?.via === 'model' ? 'model' : 'user-function', fn.name);
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  /** `receiver.name(...)` where the receiver is not a library module or a user object. */
  callMethod(obj: Value, name: string, e: CallExpr, argVal: (a: Arg | undefined) => Value): Value {
    if (obj.t === 'container') {
      if (name === 'add' && obj.layers) {
        obj.layers.push(argVal(argument(e.args, 'layer', 0)));
        this.log?.write(obj);
        return UNKNOWN;
      }
      if (name === 'predict' || name === 'predict_on_batch' || name === 'predictOnBatch' || name === '__call__' || layerApplyMethods[obj.framework] === name) return modelOutput(this.containerOutput(obj), e, 'model');
      return modelSelfMethods.has(name) ? obj : UNKNOWN;
    }
    if (obj.t === 'object' && modelSelfMethods.has(name)) return obj; // model.to(device) is the model
    if (obj.t === 'instance' && layerApplyMethods[obj.spec.framework] === name) return this.callInstance(obj, e, argVal); // layer.apply(x)
    if (obj.t === 'instance' || obj.t === 'object' || obj.t === 'function' || obj.t === 'class') return UNKNOWN;
    if (probabilityMethodNames.includes(name)) return { t: 'tensor', kind: 'prob', producer: { via: 'model', call: e, site: e, description: 'predict_proba' } };
    const spec = methodsFor(this.module.language)[name];
    // A receiver we know nothing about is a tensor only if the call looks like a tensor method:
    // `x.softmax(1)`, `x.log()`; `helper.softmax(x)` or `mylib.log(p)` are someone else's functions.
    const literalOnly = methodArgsMustBeLiterals(this.module.language) || (obj.t !== 'tensor' && (spec?.role === 'activation' || spec?.role === 'log' || spec?.role === 'exp'));
    if (!spec || (spec.role !== 'arith' && literalOnly && !e.args.every((a) => isLiteral(a.value)))) return obj.t === 'tensor' ? TENSOR : UNKNOWN;
    return this.applySpec(spec, name, e, argVal, obj, 'method');
  }

  applySpec(spec: ApiSpec, api: string, e: CallExpr, argVal: (a: Arg | undefined) => Value, receiver: Value | undefined, via: 'function' | 'method'): Value {
    const input = (): { expr?: Expr; value: Value } => {
      if (receiver !== undefined && 'input' in spec && spec.input.pos === undefined && spec.input.name === undefined) {
        return { expr: e.fn.k === 'attr' ? e.fn.obj : undefined, value: receiver };
      }
      const a = 'input' in spec ? argument(e.args, spec.input.name, spec.input.pos) : undefined;
      return { expr: a?.value, value: argVal(a) };
    };
    switch (spec.role) {
      case 'activation': {
        const { expr } = input();
        const kind: Kind = spec.produces === 'logsigmoid' ? 'logprob' : spec.produces;
        return { t: 'tensor', kind, framework: spec.framework, producer: { via, call: e, input: expr, spec, api } };
      }
      case 'log':
        return TENSOR;
      case 'exp': {
        const { expr, value } = input();
        if (!expr) return TENSOR;
        return value.t === 'tensor' && value.shifted ? TENSOR : { t: 'tensor', expOf: expr };
      }
      case 'reduce': {
        const { value } = input();
        if (spec.op === 'max') return { t: 'tensor', isMax: true };
        if (spec.op === 'sum' && value.t === 'tensor' && value.expOf) return { t: 'tensor', sumOfExpOf: value.expOf };
        return TENSOR;
      }
      case 'guard': {
        const { value } = input();
        const lower = spec.lower ? argument(e.args, spec.lower.name, spec.lower.pos) : undefined;
        const bounded = lower !== undefined && !(lower.value.k === 'const' && lower.value.value === 'None');
        if (value.t === 'tensor') return { ...value, guarded: value.guarded || bounded, producer: value.producer ? { ...value.producer, derived: true } : undefined };
        return { t: 'tensor', guarded: bounded };
      }
      case 'same-values': {
        // squeeze/view/float/...: the same values in another shape or dtype (probabilities stay probabilities).
        const { value } = input();
        return value.t === 'tensor' ? derive(value) : via === 'method' ? UNKNOWN : TENSOR;
      }
      case 'arith': {
        const a = receiver !== undefined ? receiver : argVal(positional(e.args, 0));
        const b = argVal(positional(e.args, receiver !== undefined ? 0 : 1));
        if (spec.op === 'neg' && a.t === 'num') return { t: 'num', value: -a.value };
        // The pattern rules read these syntactically on operators; for calls the value says them:
        // a negated exponent (`exp(-x)`, `exp(-0.5 * d)`: a kernel or softmin, not a softmax), and an
        // offset by a non-constant, which may be a shift the analysis cannot name (`tf.sub(x, lse)`).
        if (spec.op === 'neg' || ((spec.op === '*' || spec.op === '/') && a.t === 'num' && a.value < 0)) return { t: 'tensor', shifted: true };
        const v = this.binopValue(spec.op, a, b, e);
        if ((spec.op === '-' || spec.op === '+') && a.t !== 'num' && b.t !== 'num' && !(v.t === 'tensor' && (v.kind || v.guarded))) return { t: 'tensor', shifted: true };
        return v;
      }
      case 'scalar': {
        const { value } = input();
        return value.t === 'num' ? value : TENSOR;
      }
      case 'returns-callback': {
        const pos = e.args.filter((a) => a.name === undefined && !a.star);
        const f = argVal(pos[pos.length - 1]);
        if (f.t !== 'function') return UNKNOWN;
        this.depth++;
        const r = this.summarize(f.fn);
        this.depth--;
        return modelOutput(r, e, 'user-function', `${api.split('.').pop()}(...)`);
      }
      case 'logsumexp':
      case 'loss':
        return TENSOR;
      case 'probabilities':
        return { t: 'tensor', kind: 'prob', producer: { via: 'model', call: e, site: e, description: api } };
      case 'loss-class':
      case 'activation-class':
      case 'layer-class':
      case 'activation-layer':
        return { t: 'instance', qname: api, spec, ctor: e };
      case 'sequential': {
        if (spec.layers === 'varargs') {
          if (e.args.some((a) => a.name !== undefined || a.star)) return UNKNOWN;
          return { t: 'container', layers: e.args.map((a) => argVal(a)), framework: spec.framework, call: e };
        }
        const a = argument(e.args, spec.layers.name, spec.layers.pos);
        if (!a) return { t: 'container', layers: [], framework: spec.framework, call: e };
        const v = argVal(a);
        return v.t === 'tuple' ? { t: 'container', layers: [...v.items], framework: spec.framework, call: e } : UNKNOWN;
      }
      case 'functional-model': {
        const a = argument(e.args, spec.outputs.name, spec.outputs.pos);
        return a ? { t: 'container', output: argVal(a), framework: spec.framework, call: e } : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  callInstance(inst: Extract<Value, { t: 'instance' }>, e: CallExpr, argVal: (a: Arg | undefined) => Value): Value {
    const spec = inst.spec;
    const x = argument(e.args, undefined, 0);
    switch (spec.role) {
      case 'activation-class': {
        const kind: Kind = spec.produces === 'logsigmoid' ? 'logprob' : spec.produces;
        return { t: 'tensor', kind, framework: spec.framework, producer: { via: 'module', call: e, input: x?.value, spec, api: inst.qname, ctor: inst.ctor } };
      }
      case 'layer-class': {
        const kind = layerKind(inst, this.values);
        if (!kind) return TENSOR;
        return { t: 'tensor', kind, framework: spec.framework, producer: { via: 'layer', call: e, input: x?.value, spec, api: inst.qname, ctor: inst.ctor } };
      }
      case 'activation-layer': {
        const kind = activationKind(inst.ctor, spec.activation, this.values);
        if (!kind) return TENSOR;
        return { t: 'tensor', kind, framework: spec.framework, producer: { via: 'layer', call: e, input: x?.value, spec, api: inst.qname, ctor: inst.ctor } };
      }
      default:
        void argVal;
        return TENSOR;
    }
  }
}

// ---- helpers ----------------------------------------------------------------------------------

/** A literal argument: a number (possibly negated), a boolean, None, or a list/tuple of those. */
function isLiteral(e: Expr): boolean {
  const x = unparen(e);
  if (x.k === 'num' || x.k === 'const') return true;
  if (x.k === 'unary' && x.op === '-') return unparen(x.operand).k === 'num';
  if (x.k === 'list' || x.k === 'tuple') return x.elts.every(isLiteral);
  return false;
}

function augmented(v: Value): Value {
  return v.t === 'tensor' ? TENSOR : UNKNOWN;
}

function derive(v: TensorValue): Value {
  if (!v.kind) return TENSOR;
  return { t: 'tensor', kind: v.kind, framework: v.framework, guarded: v.guarded, complement: v.complement, producer: v.producer ? { ...v.producer, derived: true } : undefined };
}

function joinMaps(maps: Map<string, Value>[]): Map<string, Value> {
  // Keys in the order they first appear; a key unbound on a path is left out of that path's join
  // (using it there would raise). Each key's values are joined in the order of the maps. The first
  // map is copied natively (most scopes are mostly the same across branches) and later maps write
  // only the keys they bind to something else.
  const out = new Map<string, Value>(maps[0]);
  for (let j = 1; j < maps.length; j++) {
    for (const [k, v] of maps[j]) {
      const acc = out.get(k);
      if (acc === undefined) out.set(k, v);
      else if (acc !== v) out.set(k, join(acc, v));
    }
  }
  return out;
}

function mapsEqual(a: Map<string, Value>, b: Map<string, Value>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!sameValue(v, b.get(k))) return false;
  return true;
}

function arith(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    default:
      return undefined;
  }
}

function isHarmlessDecorator(d: Expr): boolean {
  const t = unparen(d);
  const name = t.k === 'name' ? t.id : t.k === 'attr' ? t.attr : t.k === 'call' && t.fn.k === 'attr' ? t.fn.attr : t.k === 'call' && t.fn.k === 'name' ? t.fn.id : '';
  return ['staticmethod', 'classmethod', 'property', 'jit', 'no_grad', 'inference_mode', 'function', 'wraps', 'abstractmethod', 'override', 'torch_function'].includes(name);
}

function isStaticMethod(d: DefStmt): boolean {
  return d.decorators.some((x) => x.k === 'name' && x.id === 'staticmethod');
}

/** The value a model/function call produces at the call site: probabilities keep their origin. */
function modelOutput(r: Value, site: CallExpr, via: 'model' | 'user-function', description?: string): Value {
  if (r.t !== 'tensor' || !r.kind) return r.t === 'tensor' ? TENSOR : r.t === 'tuple' ? r : UNKNOWN;
  if (!r.producer) return { t: 'tensor', kind: r.kind, framework: r.framework };
  // A model stays a model even when reached through a helper function.
  const keepVia = r.producer.via === 'model' ? 'model' : via;
  return { ...r, producer: { ...r.producer, via: keepVia, site, description: r.producer.description ?? description } };
}

function containerOutput(c: Container, values: ExprValueTable | undefined): Value {
  if (c.output) return c.output;
  const last = c.layers?.[c.layers.length - 1];
  if (!last || last.t !== 'instance') return UNKNOWN;
  const spec = last.spec;
  const kind: Kind | undefined =
    spec.role === 'activation-class'
      ? spec.produces === 'logsigmoid'
        ? 'logprob'
        : spec.produces
      : spec.role === 'layer-class'
        ? layerKind(last, values)
        : spec.role === 'activation-layer'
          ? activationKind(last.ctor, spec.activation, values)
          : undefined;
  if (!kind) return UNKNOWN;
  return { t: 'tensor', kind, framework: spec.framework, producer: { via: 'model', call: last.ctor, spec, api: last.qname, ctor: last.ctor, description: 'the last layer' } };
}

/** nn.Linear → logits; keras Dense(activation=...) → by activation. */
function layerKind(inst: Extract<Value, { t: 'instance' }>, values: ExprValueTable | undefined): Kind | undefined {
  const spec = inst.spec;
  if (spec.role !== 'layer-class') return undefined;
  if (!spec.activation) return 'logits';
  if (hasStarArgs(inst.ctor.args)) return undefined; // Dense(10, **cfg): the activation may be in cfg
  const a = argument(inst.ctor.args, spec.activation.name, spec.activation.pos);
  if (!a) return 'logits';
  return activationKind(inst.ctor, spec.activation, values);
}

function activationKind(ctor: CallExpr, ref: { name?: string; pos?: number }, values: ExprValueTable | undefined): Kind | undefined {
  const a = argument(ctor.args, ref.name, ref.pos);
  if (!a) return undefined;
  const v = unparen(a.value);
  if (v.k === 'const' && v.value === 'None') return 'logits';
  if (v.k === 'str') return kerasActivationKinds[v.value];
  const val = values?.get(a.value);
  if (val?.t === 'ref') {
    const spec = lookupApi(val.qname);
    if (spec?.role === 'activation' && spec.produces !== 'logsigmoid') return spec.produces;
    const last = canonical(val.qname).split('.').pop() ?? '';
    if (/^tensorflow\.keras\.activations\./.test(canonical(val.qname))) return kerasActivationKinds[last];
  }
  return undefined;
}

/** Two expressions denote the same value: the same name bound to the same value, or equal text. */
function sameText(a: Expr, b: Expr, values: ExprValueTable): boolean {
  const x = unparen(a);
  const y = unparen(b);
  if (x.k === 'name' && y.k === 'name') return x.id === y.id && sameValue(values.get(x), values.get(y));
  return exprKey(x) !== undefined && exprKey(x) === exprKey(y);
}

/** A structural key for simple expressions (names, attributes, subscripts by constants). */
export function exprKey(e: Expr): string | undefined {
  const x = unparen(e);
  switch (x.k) {
    case 'name':
      return x.id;
    case 'attr': {
      const o = exprKey(x.obj);
      return o === undefined ? undefined : `${o}.${x.attr}`;
    }
    case 'num':
      return x.raw;
    case 'binop': {
      const l = exprKey(x.left);
      const r = exprKey(x.right);
      return l === undefined || r === undefined ? undefined : `(${l}${x.op}${r})`;
    }
    case 'call': {
      const f = exprKey(x.fn);
      if (f === undefined) return undefined;
      const args: string[] = [];
      for (const a of x.args) {
        const k = exprKey(a.value);
        if (k === undefined) return undefined;
        args.push(a.name ? `${a.name}=${k}` : k);
      }
      return `${f}(${args.join(',')})`;
    }
    default:
      return undefined;
  }
}

function asCall(e: Expr): CallExpr {
  // The producer of a hand-written softmax is the division; rules treat `handwritten` producers as
  // having no call to rewrite, so a synthetic call node pointing at the division's span is enough.
  // Offsets are read from the division: an editor's incremental analysis (../incremental.ts) shifts
  // the IR in place and keeps this value, which must follow.
  return {
    k: 'call',
    fn: e,
    args: [],
    get argsS() {
      return e.e;
    },
    get argsE() {
      return e.e;
    },
    get s() {
      return e.s;
    },
    get e() {
      return e.e;
    },
  } as CallExpr;
}

/** Whether two values of a class attribute say the same (a join that changed nothing). */
function equivalent(a: Value | undefined, b: Value): boolean {
  if (a === b) return true;
  if (!a || a.t !== 'tensor' || b.t !== 'tensor') return false;
  const p = a.producer;
  const q = b.producer;
  const sameProducer = p === q || (!!p && !!q && p.call === q.call && p.via === q.via && p.input === q.input && p.spec === q.spec && p.api === q.api && p.ctor === q.ctor && p.site === q.site && p.description === q.description && !!p.derived === !!q.derived && p.external === q.external);
  return (
    sameProducer &&
    a.kind === b.kind &&
    a.framework === b.framework &&
    !!a.guarded === !!b.guarded &&
    !!a.isMax === !!b.isMax &&
    !!a.shifted === !!b.shifted &&
    a.expOf === b.expOf &&
    a.sumOfExpOf === b.sumOfExpOf &&
    !!a.complement === !!b.complement
  );
}
