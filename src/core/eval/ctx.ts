// Per-evaluation state: limits, NumPy floating-point warnings seen, kernel options per library,
// and the autograd bookkeeping needed to print a torch tensor exactly (requires_grad / grad_fn).
import type { KernelOptions } from '../kernel';
import { Budget, type EvalLimits } from './limits';
import type { ArrayLib, ArrayValue, Value } from './values';

export class Ctx {
  readonly budget: Budget;
  readonly warnings = new Set<string>();
  /** How a value was computed, when it matters (shown with the hover). */
  readonly notes = new Set<string>();

  constructor(limits: EvalLimits) {
    this.budget = new Budget(limits);
  }

  kopts(lib: ArrayLib): KernelOptions {
    return { lib: lib === 'numpy' ? 'numpy' : 'torch', maxElements: this.budget.limits.maxElements };
  }

  warn(message: string): void {
    this.warnings.add(message);
  }

  note(message: string): void {
    this.notes.add(message);
  }

  /**
   * The autograd state of a torch result: a non-leaf with grad_fn `fn` when any input requires grad.
   * An unknown grad_fn is recorded as '?' (the printed form is then not claimed).
   */
  gradOf(lib: ArrayLib, inputs: Value[], fn: string | undefined): ArrayValue['grad'] {
    if (lib !== 'torch') return undefined;
    if (!inputs.some((v) => v.t === 'array' && v.grad)) return undefined;
    return { leaf: false, fn: fn ?? '?' };
  }
}
