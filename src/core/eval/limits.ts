// Hard limits of one evaluation: interpreter steps, elements per array, recursion depth and a
// wall-clock deadline. Exceeding any of them ends the evaluation with "not evaluable", never a value.
import { NotEvaluable } from './values';

export interface EvalLimits {
  /** Expression nodes the interpreter may visit. */
  maxSteps: number;
  /** Elements any single array (or literal) may have. */
  maxElements: number;
  /** Elements summed over every array operation (work budget). */
  maxWork: number;
  /** Nesting of user function calls. */
  maxCallDepth: number;
  /** Nesting of expressions. */
  maxExprDepth: number;
  /** Milliseconds. */
  timeoutMs: number;
  /** Characters of source text evaluated at all (parsing a huge file is the slowest part). */
  maxSourceChars: number;
  /** Numbers written in the file's numeric list literals, all together (reading them is most of a cold hover). */
  maxLiteralNumbers: number;
}

export const DEFAULT_LIMITS: EvalLimits = {
  maxSteps: 200_000,
  maxElements: 1_000_000,
  maxWork: 50_000_000,
  maxCallDepth: 32,
  maxExprDepth: 200,
  timeoutMs: 2_000,
  maxSourceChars: 2_000_000,
  maxLiteralNumbers: 200_000,
};

/** The answer for a text too large to parse for a hover, before any parsing. */
export function sourceTooLarge(text: string, limits?: Partial<EvalLimits>): { error: string } | null {
  const max = limits?.maxSourceChars ?? DEFAULT_LIMITS.maxSourceChars;
  if (text.length <= max) return null;
  return { error: `too large: the file has ${text.length.toLocaleString('en-US')} characters (hover evaluation reads files up to ${max.toLocaleString('en-US')})` };
}

export class Budget {
  steps = 0;
  work = 0;
  callDepth = 0;
  exprDepth = 0;
  private readonly deadline: number;

  constructor(readonly limits: EvalLimits) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  step(): void {
    if (++this.steps > this.limits.maxSteps) throw new NotEvaluable(`too many steps (limit ${this.limits.maxSteps})`);
    if ((this.steps & 255) === 0 && Date.now() > this.deadline) throw new NotEvaluable(`took longer than ${this.limits.timeoutMs} ms`);
  }

  /** Charges an array operation producing `n` elements. */
  elements(n: number): void {
    if (n > this.limits.maxElements) throw new NotEvaluable(`too large: ${n.toLocaleString('en-US')} elements (limit ${this.limits.maxElements.toLocaleString('en-US')})`);
    this.work += n;
    if (this.work > this.limits.maxWork) throw new NotEvaluable(`too much work (more than ${this.limits.maxWork.toLocaleString('en-US')} element operations)`);
    if (Date.now() > this.deadline) throw new NotEvaluable(`took longer than ${this.limits.timeoutMs} ms`);
  }
}

/** The answer for a text whose numeric list literals hold more numbers than the limit, before any parsing. */
export function literalsTooLarge(numbers: number, limits?: Partial<EvalLimits>): { error: string } | null {
  const max = limits?.maxLiteralNumbers ?? DEFAULT_LIMITS.maxLiteralNumbers;
  if (numbers <= max) return null;
  return { error: `too large: the file's list literals hold ${numbers.toLocaleString('en-US')} numbers (hover evaluation reads up to ${max.toLocaleString('en-US')})` };
}
