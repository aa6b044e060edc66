// Gates shared by several rules (`Rule.only`): cheap necessary conditions read from the IR and the
// analysis, evaluated once per node and analysis by the runner. Each one names what every finding
// of its rules needs; the rules' visitors still check everything themselves.
import { unparen } from '../../ir';
import type { CallExpr } from '../../analysis/values';
import type { FactContext } from '../rule';
import { logOperand } from './expr-shapes';
import { lossCall } from './loss';

/**
 * SL001, SL002, SL007, SL008, SL009: a Keras `.compile(...)` call, or a loss call with an argument
 * whose value is a tensor of a known kind with its producer (each of these findings is about such an
 * argument: probabilities, sigmoid output or logits, and where they were produced).
 */
export function mayMisfeedLoss(call: CallExpr, facts: FactContext): boolean {
  const fn = unparen(call.fn);
  if (fn.k === 'attr' && fn.attr === 'compile') return true;
  const loss = lossCall(call, facts);
  return loss !== undefined && loss.args.some((a) => a.value.t === 'tensor' && a.value.kind !== undefined && !!a.value.producer);
}

/** SL003, SL004, SL010: a log of unguarded probabilities (softmax, sigmoid or other) with a producer. */
export function isLogOfProbabilities(call: CallExpr, facts: FactContext): boolean {
  const operand = logOperand(call, facts);
  if (!operand) return false;
  const v = facts.value(operand);
  return v.t === 'tensor' && !v.guarded && !!v.producer && (v.kind === 'prob' || v.kind === 'prob-softmax' || v.kind === 'prob-sigmoid');
}

/**
 * The `within` of the rules about logs (SL003, SL004, SL005, SL010; see `Rule.only`): a log call.
 * Every node their gates accept holds one (SL005: a cross-entropy's terms are log calls inside it).
 */
export function isLogCall(call: CallExpr, facts: FactContext): boolean {
  return logOperand(call, facts) !== undefined;
}
