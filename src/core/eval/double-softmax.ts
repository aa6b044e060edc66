// SL001 situations: cross_entropy(softmax(z), y). The loss you get, the loss you meant
// (cross_entropy(z, y)), and both gradients with respect to z, as PyTorch computes them.
import * as K from '../kernel';
import { unparen, type Expr } from '../ir';
import { canonical } from '../knowledge';
import { bind, int, isNone, num, str } from './args';
import type { Env } from './env';
import type { Evaluated } from './evaluate';
import { LOSS_PARAMS, lossFunctionOf, runLoss } from './lib-torch';
import { kernel } from './ops';
import { present, type PlainValue } from './present';
import { torchStr } from './print-torch';
import { arr, NotEvaluable, type Value } from './values';

export interface Shown {
  value: PlainValue;
  printed: string | null;
}

export interface DoubleSoftmax {
  /** Source of the logits that are softmaxed twice. */
  logits: string;
  lossYouGet: Shown;
  lossYouMeant: Shown;
  /** d loss / d logits, as loss.sum().backward() leaves in logits.grad. */
  gradientYouGet: Shown;
  gradientYouMeant: Shown;
}

const F = 'torch.nn.functional';
const SOFTMAX = new Set(['torch.softmax', `${F}.softmax`, 'torch.special.softmax']);

function tryValue(ev: Evaluated, e: Expr, env: Env): Value | undefined {
  try {
    return ev.it.expr(e, env);
  } catch {
    return undefined;
  }
}

/** Follows names to the expression that produced them. */
function resolve(e: Expr, env: Env, depth = 0): { e: Expr; env: Env } {
  const u = unparen(e);
  if (u.k === 'name' && depth < 20) {
    const b = env.lookup(u.id);
    if (b?.source) return resolve(b.source.expr, b.source.env, depth + 1);
  }
  return { e: u, env };
}

/** z and the dim when `e` is softmax(z, dim) in any of its torch spellings. */
function softmaxOf(ev: Evaluated, e: Expr, env: Env): { z: Expr; dim: Value | undefined; env: Env } | null {
  const r = resolve(e, env);
  const u = r.e;
  if (u.k !== 'call') return null;
  const fn = tryValue(ev, u.fn, r.env);
  if (fn && fn.t === 'ref' && SOFTMAX.has(canonical(fn.qname))) {
    const z = u.args.find((a) => a.name === 'input') ?? u.args[0];
    const d = u.args.find((a) => a.name === 'dim') ?? (u.args[1] && !u.args[1].name ? u.args[1] : undefined);
    if (!z) return null;
    return { z: z.value, dim: d ? tryValue(ev, d.value, r.env) : undefined, env: r.env };
  }
  if (fn && fn.t === 'instance' && fn.qname === 'torch.nn.Softmax' && u.args[0]) return { z: u.args[0].value, dim: fn.args.kw.get('dim'), env: r.env };
  if (fn && fn.t === 'bound' && fn.name === 'softmax' && u.fn.k === 'attr') {
    const d = u.args.find((a) => a.name === 'dim') ?? u.args[0];
    return { z: u.fn.obj, dim: d ? tryValue(ev, d.value, r.env) : undefined, env: r.env };
  }
  return null;
}

function shown(v: Value): Shown {
  const p = present(v);
  return { value: p.value, printed: p.printed };
}

export function doubleSoftmaxOf(ev: Evaluated): DoubleSoftmax | undefined {
  const e = unparen(ev.expr!);
  if (e.k !== 'call') return undefined;
  const fn = tryValue(ev, e.fn, ev.env);
  const q = fn?.t === 'ref' ? canonical(fn.qname) : fn?.t === 'instance' ? lossFunctionOf(fn.qname) : undefined;
  if (q !== `${F}.cross_entropy`) return undefined;
  const inputArg = e.args.find((a) => a.name === 'input') ?? e.args[0];
  if (!inputArg || inputArg.name !== undefined && inputArg.name !== 'input') return undefined;
  const sm = softmaxOf(ev, inputArg.value, ev.env);
  if (!sm) return undefined;
  const z = tryValue(ev, sm.z, sm.env);
  if (!z || z.t !== 'array' || z.lib !== 'torch' || !K.isFloat(z.x.dtype)) return undefined;
  const classDim = z.x.ndim === 1 ? 0 : 1;
  const dim = sm.dim === undefined || isNone(sm.dim) ? (z.x.ndim === 0 || z.x.ndim === 1 || z.x.ndim === 3 ? 0 : 1) : int(sm.dim, 'dim');
  if ((dim < 0 ? dim + z.x.ndim : dim) !== classDim) return undefined;
  const args = ev.it.args(e.args, ev.env);
  const b = fn!.t === 'instance' ? { ...Object.fromEntries(fn!.args.kw), ...bind('loss', args, ['input', 'target'], []) } : bind(q, args, LOSS_PARAMS[q]!, []);
  const y = b.target;
  if (!y || y.t !== 'array') return undefined;
  const got = ev.value;
  const meant = runLoss(ev.it, q, { ...b, input: { ...z, grad: undefined } });
  const options: K.CrossEntropyOptions = {
    weight: isNone(b.weight) ? null : (b.weight as { x: K.Tensor }).x,
    ignoreIndex: int(b.ignore_index, 'ignore_index', -100),
    reduction: str(b.reduction, 'reduction', 'mean') as K.Reduction,
    labelSmoothing: num(b.label_smoothing, 'label_smoothing', 0),
  };
  const gGet = kernel(() => K.crossEntropyGrad(z.x, y.x, options, true));
  const gMeant = kernel(() => K.crossEntropyGrad(z.x, y.x, options, false));
  if (got.t !== 'array') throw new NotEvaluable('unexpected loss value');
  return {
    logits: ev.it.text.slice(sm.z.s, sm.z.e),
    lossYouGet: shown({ ...got, grad: undefined }),
    lossYouMeant: shown({ ...meant, grad: undefined }),
    gradientYouGet: { value: gGet.toNested() as PlainValue, printed: torchStr(gGet) },
    gradientYouMeant: { value: gMeant.toNested() as PlainValue, printed: torchStr(gMeant) },
  };
}

export { arr };
