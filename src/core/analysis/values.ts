// Abstract values: what the analysis knows about an expression. Anything not known is `unknown`,
// and rules stay silent on unknowns.
import type { Expr, Stmt } from '../ir';
import type { ApiSpec, Framework, Kind } from '../knowledge';

export type CallExpr = Extract<Expr, { k: 'call' }>;
export type DefStmt = Extract<Stmt, { k: 'def' }>;
export type ClassStmt = Extract<Stmt, { k: 'class' }>;

/** Where probabilities (or logits) were produced. */
export interface Producer {
  /**
   * function: `F.softmax(x)`; method: `x.softmax(1)`; module: `nn.Softmax(dim=1)(x)`;
   * layer: a keras layer with an activation / nn.Linear; model: a model's output (forward, Sequential,
   * keras model); user-function: a function of this file that returns it; handwritten: exp(x)/sum(exp(x)).
   */
  via: 'function' | 'method' | 'module' | 'layer' | 'model' | 'user-function' | 'handwritten';
  /** The call that produced the value (in the function or module where it happens). */
  call: CallExpr;
  /** The activation's input (the logits), when known. */
  input?: Expr;
  /** Library knowledge about the producing call, when it is a library activation. */
  spec?: ApiSpec;
  /** Canonical qualified name (functions) or method name (methods) of the producer. */
  api?: string;
  /** For `module`: the constructor call (its `dim` argument). */
  ctor?: CallExpr;
  /** For `model` / `user-function`: the call site in this scope, and a description of the model. */
  site?: CallExpr;
  description?: string;
  /** Set when the value was indexed, sliced or otherwise derived from the produced tensor. */
  derived?: boolean;
  /** Set when the producer is in another file (its spans are that file's): where to point, never to edit. */
  external?: { path: string; range: import('../types').Range };
}

export interface TensorValue {
  t: 'tensor';
  kind?: Kind;
  producer?: Producer;
  framework?: Framework;
  /** Bounded away from zero (clip/clamp with a lower bound, `+ eps`). */
  guarded?: boolean;
  /** The result of a max reduction (for the max-shift of softmax). */
  isMax?: boolean;
  /** x - max(x). */
  shifted?: boolean;
  /** exp(input): the input expression, for the unstable-softmax pattern. */
  expOf?: Expr;
  /** sum of an exp: the exp's input expression. */
  sumOfExpOf?: Expr;
  /** 1 - sigmoid(x). */
  complement?: boolean;
}

export interface ClassInfo {
  def: ClassStmt;
  /** Library base (nn.Module, keras.Model) giving the method called when an instance is called. */
  callMethod?: 'forward' | 'call';
  bases: ClassInfo[];
  methods: Map<string, DefStmt>;
  /** Values assigned to `self.<name>` anywhere in the class's methods (joined). */
  attrs: Map<string, Value>;
  attrsReady: boolean;
}

export interface FunctionInfo {
  def: DefStmt;
  cls?: ClassInfo;
  /** Scope the function was defined in (closure). */
  scope: Scope;
}

export interface Container {
  t: 'container';
  /** Layers (for Sequential models, mutable through `.add`). */
  layers?: Value[];
  /** For functional models: the output value directly. */
  output?: Value;
  framework: Framework;
  call: CallExpr;
}

export type Value =
  | { t: 'unknown' }
  | TensorValue
  | { t: 'ref'; qname: string }
  | { t: 'instance'; qname: string; spec: ApiSpec; ctor: CallExpr }
  | Container
  | { t: 'function'; fn: FunctionInfo }
  | { t: 'class'; cls: ClassInfo }
  | { t: 'object'; cls: ClassInfo }
  | { t: 'method'; fn: FunctionInfo; self: Value }
  | { t: 'attr'; obj: Value; name: string }
  | { t: 'tuple'; items: Value[] }
  | { t: 'str'; value: string }
  | { t: 'num'; value: number }
  | { t: 'const'; value: string }
  /**
   * A class, function, object or module of another file of the project, summarised there: calling a
   * class gives an object; calling an object or a function gives `output` (with an external producer).
   */
  | { t: 'external'; kind: 'class' | 'function' | 'object' | 'module'; name: string; path: string; output?: Value; members?: Map<string, Value> };

export const UNKNOWN: Value = { t: 'unknown' };
export const TENSOR: TensorValue = { t: 'tensor' };

/** Lexical scope: a function's locals, a class body, or the module. */
export class Scope {
  /** The bindings; branches and loops replace the map (a copy per path) rather than copy into it. */
  vars = new Map<string, Value>();
  /** Names declared `global` in this function scope. */
  readonly globals = new Set<string>();
  constructor(readonly parent: Scope | null, readonly kind: 'module' | 'function' | 'class') {}

  lookup(name: string): Value | undefined {
    if (this.globals.has(name)) return this.root().vars.get(name);
    const v = this.vars.get(name);
    if (v !== undefined) return v;
    // Class bodies are not visible from nested functions (Python's rule).
    let p = this.parent;
    while (p && p.kind === 'class') p = p.parent;
    return p?.lookup(name);
  }

  root(): Scope {
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }
}

export function isTensorKind(v: Value | undefined, ...kinds: Kind[]): v is TensorValue {
  return !!v && v.t === 'tensor' && v.kind !== undefined && kinds.includes(v.kind);
}

/** Least upper bound: equal facts survive, anything else becomes unknown. */
export function join(a: Value | undefined, b: Value | undefined): Value {
  if (a === undefined) return b ?? UNKNOWN;
  if (b === undefined || a === b) return a;
  if (a.t === 'tensor' && b.t === 'tensor') {
    const out: TensorValue = { t: 'tensor' };
    if (a.kind && a.kind === b.kind) {
      out.kind = a.kind;
      out.producer = a.producer && b.producer && a.producer.call === b.producer.call ? a.producer : a.producer && b.producer && a.producer.via === b.producer.via && a.producer.via === 'model' ? a.producer : undefined;
      if (!out.producer && a.producer && b.producer) out.producer = { ...a.producer, derived: true };
    }
    if (a.guarded && b.guarded) out.guarded = true;
    if (a.shifted && b.shifted) out.shifted = true;
    if (a.framework === b.framework) out.framework = a.framework;
    return out;
  }
  if (a.t === 'ref' && b.t === 'ref' && a.qname === b.qname) return a;
  if (a.t === 'instance' && b.t === 'instance' && a.ctor === b.ctor) return a;
  if (a.t === 'function' && b.t === 'function' && a.fn.def === b.fn.def) return a;
  if (a.t === 'class' && b.t === 'class' && a.cls === b.cls) return a;
  if (a.t === 'object' && b.t === 'object' && a.cls === b.cls) return a;
  if (a.t === 'container' && b.t === 'container' && a.call === b.call) return a;
  if (a.t === 'str' && b.t === 'str' && a.value === b.value) return a;
  if (a.t === 'num' && b.t === 'num' && a.value === b.value) return a;
  if (a.t === 'const' && b.t === 'const' && a.value === b.value) return a;
  if (a.t === 'tuple' && b.t === 'tuple' && a.items.length === b.items.length) return { t: 'tuple', items: a.items.map((x, i) => join(x, b.items[i])) };
  // Both tensors of no shared fact, or different things: nothing certain remains.
  return a.t === 'tensor' || b.t === 'tensor' ? TENSOR : UNKNOWN;
}

export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.t !== b.t) return false;
  if (a.t === 'tensor' && b.t === 'tensor') return a.kind === b.kind && a.guarded === b.guarded && a.shifted === b.shifted && a.producer?.call === b.producer?.call;
  if (a.t === 'ref' && b.t === 'ref') return a.qname === b.qname;
  return false;
}
