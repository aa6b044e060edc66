// Shared by SL002 and SL009: what a model outputs (and whether that is certain), where its final
// activation is, and the Keras `model.compile(loss=...)` call.
import type { Container, CallExpr, Producer, TensorValue, Value } from '../../analysis/values';
import { argument, forEachChild, hasStarArgs, unparen, type Arg, type Expr, type Span, type Stmt } from '../../ir';
import { canonical, kerasLossStrings, lookupApi, type LossFamily } from '../../knowledge';
import type { RuleContext } from '../rule';
import { forEachStmtExpr } from '../run';
import { isScript } from './script';

/** Methods that change a container's layers after construction (besides a top-level `add`). */
const MUTATORS = new Set(['append', 'insert', 'extend', 'add_module', 'register_module', 'pop', 'add']);

/** Every expression of the module, depth-first (statements in order). */
export function forEachExpr(ctx: RuleContext, f: (e: Expr) => void): void {
  const visit = (e: Expr): void => {
    f(e);
    forEachChild(e, visit);
  };
  forEachStmtExpr(ctx.module.body, visit);
}

/** The model value called at a producer's call site (`model(x)`, `model.forward(x)`, `model.predict(x)`). */
export function modelAtSite(p: Producer, ctx: RuleContext): Value | undefined {
  if (!p.site) return undefined;
  const fn = ctx.callee(p.site);
  if (fn.t === 'container' || fn.t === 'object') return fn;
  if (fn.t === 'method') return fn.self;
  if (fn.t === 'attr' && fn.obj.t === 'container') return fn.obj;
  return undefined;
}

/**
 * A container's layers are what the interpreter saw: no layer list mutation other than `model.add(...)`
 * statements in the block that builds the model (not in a branch or loop, which the interpreter's
 * shared layer list would merge), all before `use` when `use` is in that block.
 */
export function containerIsStable(c: Container, use: Span, ctx: RuleContext): boolean {
  if (c.output) return true;
  const body = blockOf(ctx.module.body, c.call);
  if (!body) return false;
  let ok = true;
  forEachExpr(ctx, (e) => {
    if (!ok) return;
    if (e.k === 'call') {
      const fn = ctx.callee(e);
      if (fn.t === 'attr' && fn.obj.t === 'container' && fn.obj.call === c.call && MUTATORS.has(fn.name)) {
        const topLevel = fn.name === 'add' && body.some((s) => s.k === 'expr' && unparen(s.value) === e);
        const inUseBlock = body.some((s) => s.s <= use.s && use.e <= s.e);
        if (!topLevel || (inUseBlock && e.s > use.s)) ok = false;
      }
    }
    if (e.k === 'subscript') {
      const v = ctx.value(e.obj);
      if (v.t === 'container' && v.call === c.call && isAssignTarget(ctx.module.body, e)) ok = false;
    }
  });
  return ok;
}

/** The output of a model value when it is a certain tensor kind (and the model is stable at `use`). */
export function certainOutput(model: Value, use: Span, ctx: RuleContext): TensorValue | undefined {
  if (model.t === 'container' && !containerIsStable(model, use, ctx)) return undefined;
  const out = ctx.analysis.outputOf(model);
  return out.t === 'tensor' && out.kind && out.producer && !out.producer.derived ? out : undefined;
}

/** Is a model producer's output certain (a Sequential container that was not mutated in a branch)? */
export function producerIsCertain(p: Producer, use: Span, ctx: RuleContext): boolean {
  const m = modelAtSite(p, ctx);
  if (m?.t === 'container') return containerIsStable(m, use, ctx);
  return true;
}

/** Where the final activation is: the `activation=` argument of a Keras layer, or the call itself. */
export function activationSpan(p: Producer): Span {
  if (p.spec && (p.spec.role === 'layer-class' || p.spec.role === 'activation-layer') && p.ctor) {
    const a = argument(p.ctor.args, p.spec.activation?.name, p.spec.activation?.pos);
    if (a) return { s: a.s, e: a.e };
    return { s: p.ctor.s, e: p.ctor.e };
  }
  return { s: p.call.s, e: p.call.e };
}

/** A short description of the model for messages: `Net`, `the Sequential model`, `the Keras model`. */
export function modelName(p: Producer, ctx: RuleContext): string {
  const m = modelAtSite(p, ctx);
  if (m?.t === 'object') return `\`${m.cls.def.name}\``;
  if (p.description && p.description !== 'the last layer' && !p.description.includes('predict')) return `\`${p.description.split('.')[0]}\``;
  return 'the model';
}

// ---- Keras compile ----------------------------------------------------------------------------

export interface CompileLoss {
  call: CallExpr;
  lossArg: Arg;
  output: TensorValue;
  /** string: loss='sparse_categorical_crossentropy'; instance: a loss object; function: a loss function. */
  form: 'string' | 'instance' | 'function';
  family: LossFamily;
  fromLogits: boolean;
  /** For instances: the constructor. */
  ctor?: CallExpr;
  /** Canonical class/function name, or the string. */
  api: string;
}

/** `model.compile(..., loss=...)` on a Keras model whose output kind is certain, with a cross-entropy loss. */
export function compileLoss(call: CallExpr, ctx: RuleContext): CompileLoss | undefined {
  const fn = unparen(call.fn);
  if (fn.k !== 'attr' || fn.attr !== 'compile' || hasStarArgs(call.args)) return undefined;
  const model = ctx.value(fn.obj);
  const keras = (model.t === 'container' && model.framework === 'keras') || (model.t === 'object' && model.cls.callMethod === 'call');
  if (!keras) return undefined;
  const lossArg = argument(call.args, 'loss', 1);
  if (!lossArg) return undefined;
  const output = certainOutput(model, call, ctx);
  if (!output) return undefined;
  const lv = ctx.value(lossArg.value);
  if (lv.t === 'str') {
    const family = kerasLossStrings[lv.value];
    return family ? { call, lossArg, output, form: 'string', family, fromLogits: false, api: lv.value } : undefined;
  }
  if (lv.t === 'ref') {
    const spec = lookupApi(lv.qname);
    if (spec?.role !== 'loss') return undefined;
    // TF.js: a loss function passed as the loss (`loss: tf.losses.softmaxCrossEntropy`) has no
    // from_logits switch; what its prediction argument expects is fixed (logits for tf.losses.*).
    if (!spec.fromLogits && isScript(ctx) && spec.expects.length === 1) {
      return { call, lossArg, output, form: 'function', family: spec.family, fromLogits: spec.expects[0].kind === 'logits', api: canonical(lv.qname) };
    }
    if (!spec.fromLogits) return undefined;
    return { call, lossArg, output, form: 'function', family: spec.family, fromLogits: spec.fromLogits.default, api: canonical(lv.qname) };
  }
  if (lv.t === 'instance' && lv.spec.role === 'loss-class' && lv.spec.fromLogits) {
    const fl = literalFlag(lv.ctor, lv.spec.fromLogits);
    if (fl === undefined) return undefined;
    return { call, lossArg, output, form: 'instance', family: lv.spec.family, fromLogits: fl, ctor: lv.ctor, api: lv.qname };
  }
  return undefined;
}

/** The literal value of a boolean keyword (or its default when absent); undefined when not a literal. */
export function literalFlag(call: CallExpr, ref: { name: string; default: boolean; pos?: number }): boolean | undefined {
  if (hasStarArgs(call.args)) return undefined;
  const a = argument(call.args, ref.name, ref.pos);
  if (!a) return ref.default;
  const v = unparen(a.value);
  return v.k === 'const' && (v.value === 'True' || v.value === 'False') ? v.value === 'True' : undefined;
}

// ---- edits ------------------------------------------------------------------------------------

/** The edit that removes argument `a` of `call` with its separating comma (undefined if a comment would go). */
export function removeArgument(call: CallExpr, a: Arg, ctx: RuleContext): { s: number; e: number; content: string } | undefined {
  const i = call.args.indexOf(a);
  if (i < 0) return undefined;
  const span = i + 1 < call.args.length ? { s: a.s, e: call.args[i + 1].s } : i > 0 ? { s: call.args[i - 1].e, e: a.e } : { s: call.argsS + 1, e: call.argsE - 1 };
  if (ctx.dropsComment(span)) return undefined;
  return { ...span, content: '' };
}

/** The edit that sets keyword `name=value` on `call` (replacing a given value, or appending). */
export function setKeyword(call: CallExpr, name: string, value: string, pos: number | undefined, ctx: RuleContext): { s: number; e: number; content: string } | undefined {
  if (hasStarArgs(call.args)) return undefined;
  const a = argument(call.args, name, pos);
  if (a) return { s: a.value.s, e: a.value.e, content: value };
  const last = call.args[call.args.length - 1];
  if (!last) return { s: call.argsS + 1, e: call.argsS + 1, content: `${name}=${value}` };
  void ctx;
  return { s: last.e, e: last.e, content: `, ${name}=${value}` };
}

/**
 * The constructor of a loss instance can be rewritten without touching other calls: it is written
 * inline at `use` (`nn.BCELoss()(p, y)`, `compile(loss=X())`), or bound once to a name or `self.attr`
 * that is read only at `use`.
 */
export function ctorIsExclusive(ctor: CallExpr, useExpr: Expr, ctx: RuleContext): boolean {
  if (unparen(useExpr) === ctor) return true;
  const target = assignedTo(ctx.module.body, ctor);
  if (!target) return false;
  const t = unparen(target);
  if (t.k !== 'name' && t.k !== 'attr') return false;
  const reads: Expr[] = [];
  let writes = 0;
  forEachExpr(ctx, (e) => {
    const same = t.k === 'name' ? e.k === 'name' && e.id === t.id : e.k === 'attr' && e.attr === t.attr;
    if (!same) return;
    if (isAssignTarget(ctx.module.body, e)) writes++;
    else reads.push(e);
  });
  // `self.loss_fn` is read as an attr whose object is also a name: count attrs only for attr targets.
  return writes === 1 && reads.length === 1 && reads[0] === unparen(useExpr);
}

/** The single target of an assignment statement whose value is `value`. */
function assignedTo(body: Stmt[], value: Expr): Expr | undefined {
  let found: Expr | undefined;
  walkStmts(body, (s) => {
    if (s.k === 'assign' && !s.op && unparen(s.value) === value && s.targets.length === 1) found = s.targets[0];
  });
  return found;
}

function isAssignTarget(body: Stmt[], e: Expr): boolean {
  let hit = false;
  walkStmts(body, (s) => {
    if (hit) return;
    if (s.k === 'assign' && s.targets.some((t) => contains(t, e))) hit = true;
  });
  return hit;
}

function contains(t: Expr, e: Expr): boolean {
  if (t === e) return true;
  const x = unparen(t);
  if (x.k === 'tuple' || x.k === 'list') return x.elts.some((y) => contains(y, e));
  if (x.k === 'star') return contains(x.inner, e);
  return x === e;
}

/** The statement list holding the statement that contains `e` (innermost). */
function blockOf(body: Stmt[], e: Span): Stmt[] | undefined {
  for (const s of body) {
    if (!(s.s <= e.s && e.e <= s.e)) continue;
    for (const inner of childBlocks(s)) {
      const r = blockOf(inner, e);
      if (r) return r;
    }
    return body;
  }
  return undefined;
}

function childBlocks(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'def':
    case 'class':
      return [s.body];
    case 'if':
      return s.branches.map((b) => b.body);
    case 'loop':
      return [s.body, s.orelse];
    case 'with':
      return [s.body];
    case 'try':
      return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.final];
    default:
      return [];
  }
}

export function walkStmts(body: Stmt[], f: (s: Stmt) => void): void {
  for (const s of body) {
    f(s);
    for (const b of childBlocks(s)) walkStmts(b, f);
  }
}

/** The call that has `e` as a direct positional argument, with its index. */
export function parentCall(ctx: RuleContext, e: Expr): { call: CallExpr; index: number } | undefined {
  let out: { call: CallExpr; index: number } | undefined;
  forEachExpr(ctx, (x) => {
    if (out || x.k !== 'call') return;
    const i = x.args.findIndex((a) => a.value === e);
    if (i >= 0) out = { call: x, index: i };
  });
  return out;
}
