// Shared by the loss rules (SL001, SL002, SL007, SL008, SL009): which arguments of a loss call expect
// which kind, whatever the call style (function, loss module instance, Keras loss with from_logits).
import { canonical, lookupApi, type ApiSpec, type Expects, type Framework, type LossFamily } from '../../knowledge';
import { argument, unparen, type Arg } from '../../ir';
import type { CallExpr, Value } from '../../analysis/values';
import type { FactContext, RuleContext } from '../rule';

export interface LossArgument {
  arg: Arg;
  expected: Expects['kind'];
  value: Value;
}

export interface LossCall {
  call: CallExpr;
  family: LossFamily;
  framework: Framework;
  /** Canonical qualified name of the loss function or class. */
  api: string;
  /** `function`: F.cross_entropy(...); `instance`: nn.CrossEntropyLoss()(...). */
  style: 'function' | 'instance';
  /** For instances: the constructor call. */
  ctor?: CallExpr;
  /** The `from_logits` switch when the API has one (and it is a literal). */
  fromLogits?: boolean;
  args: LossArgument[];
}

/** Resolve a call to a loss, or undefined when it is not one the tables know (or a flag is not literal). */
export function lossCall(call: CallExpr, ctx: FactContext): LossCall | undefined {
  const fn = ctx.callee(call);
  let spec: ApiSpec | undefined;
  let api: string;
  let style: 'function' | 'instance';
  let ctor: CallExpr | undefined;
  if (fn.t === 'ref') {
    spec = lookupApi(fn.qname);
    api = canonical(fn.qname);
    style = 'function';
  } else if (fn.t === 'instance') {
    spec = fn.spec;
    api = fn.qname;
    style = 'instance';
    ctor = fn.ctor;
  } else return undefined;
  if (!spec || (spec.role !== 'loss' && spec.role !== 'loss-class')) return undefined;
  if (style === 'function' && spec.role !== 'loss') return undefined;
  if (style === 'instance' && spec.role !== 'loss-class') return undefined;
  const expects = spec.role === 'loss' ? spec.expects : spec.call;
  let fromLogits: boolean | undefined;
  if (spec.fromLogits) {
    const where = spec.role === 'loss' ? call : ctor;
    if (!where) return undefined;
    const a = argument(where.args, spec.fromLogits.name, spec.fromLogits.pos);
    if (where.args.some((x) => x.star)) return undefined;
    if (!a) fromLogits = spec.fromLogits.default;
    else {
      const v = unparen(a.value);
      if (v.k === 'const' && (v.value === 'True' || v.value === 'False')) fromLogits = v.value === 'True';
      else return undefined; // not a literal: unknown, stay silent
    }
  }
  const args: LossArgument[] = [];
  for (const ex of expects) {
    const a = argument(call.args, ex.arg.name, ex.arg.pos);
    if (!a) continue;
    const expected = fromLogits === true && ex.kind === 'prob' ? 'logits' : ex.kind;
    args.push({ arg: a, expected, value: ctx.value(a.value) });
  }
  return { call, family: spec.family, framework: spec.framework, api, style, ctor, fromLogits, args };
}

/** A short name for messages: `F.cross_entropy`, `nn.CrossEntropyLoss`, `CategoricalCrossentropy`. */
export function lossLabel(l: LossCall, ctx: RuleContext): string {
  const target = l.style === 'function' ? l.call.fn : l.ctor?.fn;
  const text = target ? ctx.source(target) : l.api;
  return text.length <= 60 ? text : l.api.split('.').pop() ?? l.api;
}

export function kindLabel(kind: string | undefined): string {
  switch (kind) {
    case 'prob-softmax':
      return 'softmax probabilities';
    case 'prob-sigmoid':
      return 'sigmoid probabilities';
    case 'prob':
      return 'probabilities';
    case 'logprob':
      return 'log-probabilities';
    case 'logits':
      return 'logits';
    default:
      return 'values';
  }
}
