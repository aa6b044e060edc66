// Hover data: the value under the cursor as plain data, plus (for losses) the naive formula's value,
// a per-class table, and the double-softmax comparison with gradients. Markdown by ./markdown.ts.
import * as K from '../kernel';
import type { Module } from '../ir';
import { compare, type Comparison } from './naive';
import { doubleSoftmaxOf, type DoubleSoftmax } from './double-softmax';
import { evaluateAt, type EvalOptions } from './evaluate';
import { renderMarkdown } from './markdown';
import { present, type Presented } from './present';
import { tableFor, type Table } from './table';
import { NotEvaluable } from './values';
import { cpuNote } from './ops';

/** The presented value (value, dtype, type, shape, printed, full, exact) plus what the hover adds. */
export interface HoverData extends Presented {
  /** Source text of the evaluated expression (or the assigned name). */
  expression: string;
  /** UTF-16 offsets of that expression. */
  span: { s: number; e: number };
  /** NumPy floating-point warnings the computation raises (overflow, divide by zero, invalid value). */
  warnings: string[];
  /** How the value was obtained (e.g. "for the call f(x) at line 12"; "assuming the branch ... runs"). */
  notes: string[];
  naive: Comparison | null;
  table?: Table;
  doubleSoftmax?: DoubleSoftmax;
  markdown: string;
}

export interface HoverError {
  error: string;
  span?: { s: number; e: number };
}

export function hoverAt(module: Module, text: string, offset: number, lineOf: (o: number) => number, options: EvalOptions = {}): HoverData | HoverError {
  try {
    const ev = evaluateAt(module, text, offset, lineOf, options);
    const p = present(ev.value);
    const formula = p.type === 'tf.Tensor' || p.type === 'jax.Array';
    const approxNote = formula
      ? 'Computed from the documented formula (the kernel\'s TensorFlow/Keras/optax implementation); TensorFlow and JAX use their own exp/log and summation order, so their result may differ in the last digits. No TensorFlow/JAX was available to check.'
      : cpuNote();
    const notes = [...(p.exact ? [] : [approxNote]), ...ev.it.ctx.notes, ...(ev.context ? [ev.context] : []), ...ev.it.notes];
    let naive: Comparison | null = null;
    let table: Table | undefined;
    let ds: DoubleSoftmax | undefined;
    // The extras are best effort: a failure there never hides the value.
    try {
      naive = ev.expr ? compare(ev, options) : null;
    } catch (e) {
      if (!(e instanceof NotEvaluable)) throw e;
    }
    try {
      ds = ev.expr ? doubleSoftmaxOf(ev) : undefined;
    } catch (e) {
      if (!(e instanceof NotEvaluable)) throw e;
    }
    if (ds) naive = null; // the double softmax section says more than a textbook comparison
    try {
      table = ds ? undefined : tableFor(ev);
    } catch (e) {
      if (!(e instanceof NotEvaluable)) throw e;
    }
    const data: Omit<HoverData, 'markdown'> = {
      expression: text.slice(ev.span.s, ev.span.e),
      span: ev.span,
      ...p,
      warnings: [...ev.it.ctx.warnings],
      notes,
      naive,
      ...(table ? { table } : {}),
      ...(ds ? { doubleSoftmax: ds } : {}),
    };
    return { ...data, markdown: renderMarkdown(data) };
  } catch (e) {
    if (e instanceof NotEvaluable) return { error: e.why, ...(e.span ? { span: e.span } : {}) };
    // A bug here must not take the hover (or the CLI) down, and must never become a number.
    if (e instanceof RangeError && /call stack/i.test(e.message)) return { error: 'expression nested too deeply' };
    // A kernel limit or shape error reached outside a `kernel(...)` wrapper still means what it says.
    if (e instanceof K.KernelLimitError) return { error: `too large: ${e.elements.toLocaleString('en-US')} elements (limit ${e.limit.toLocaleString('en-US')})` };
    if (e instanceof K.ShapeError || e instanceof K.KernelError) return { error: `the library raises: ${e.message}` };
    return { error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}
