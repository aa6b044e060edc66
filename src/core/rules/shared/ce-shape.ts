// The shape of a hand-written cross-entropy (SL005): a negated sum/mean of `y * log(p)`, of
// `y * log(p) + (1 - y) * log(1 - p)`, or of `log(p[range(n), y])`. Purely syntactic over the analysis
// model plus the analysis' callees; whether the logs are safe is the rule's business. TF.js arithmetic
// calls (`tf.neg(tf.sum(tf.mul(y, tf.log(p))))`, `y.mul(p.log()).sum().neg()`) read as the operators
// they stand for (`asOperator`), and `tf.scalar(c)` as the number c.
import { unparen, type Expr } from '../../ir';
import { exprKey } from '../../analysis/interpret';
import type { CallExpr } from '../../analysis/values';
import type { FactContext } from '../rule';
import { asOperator, logOperand, mentions, reduceCall, scalarNumber } from './expr-shapes';

export interface LogTerm {
  /** The log call and its operand. */
  log: CallExpr;
  operand: Expr;
  /** Non-constant factors multiplied with the log (the targets), negations removed. */
  factors: Expr[];
  /** +1 or -1: the sign of the term in the whole expression. */
  sign: number;
}

export interface CeShape {
  kind: 'ce' | 'bce' | 'indexed';
  terms: LogTerm[];
  /** A sum/mean reduction is part of the expression. */
  reduced: boolean;
}

interface Walk {
  terms: LogTerm[];
  reduced: boolean;
}

/** Recognise `root` as a hand-written cross-entropy; undefined when it is anything else. */
export function ceShape(root: Expr, ctx: FactContext): CeShape | undefined {
  const w: Walk = { terms: [], reduced: false };
  if (!walk(root, 1, w, ctx) || w.terms.length === 0) return undefined;
  if (w.terms.some((t) => t.sign !== -1)) return undefined; // a log-likelihood, not its negation
  if (w.terms.length === 1) {
    const t = w.terms[0];
    if (t.factors.length > 0) {
      // -sum(y * log(p)): needs the reduction (an elementwise -c * log(x) is any log-density term),
      // and y must not be p (entropy -sum(p * log(p))) nor appear in it (KL: p * log(p / q)).
      if (!w.reduced || isEntropyLike(t)) return undefined;
      return { kind: 'ce', terms: w.terms, reduced: w.reduced };
    }
    // -log(p[...]): the probability of the target picked by indexing (the rule asks for evidence).
    return unparen(t.operand).k === 'subscript' ? { kind: 'indexed', terms: w.terms, reduced: w.reduced } : undefined;
  }
  if (w.terms.length === 2) {
    const [a, b] = w.terms;
    if (a.factors.length !== 1 || b.factors.length !== 1) return undefined;
    if (isComplementPair(a, b, ctx) || isComplementPair(b, a, ctx)) return { kind: 'bce', terms: w.terms, reduced: w.reduced };
  }
  return undefined;
}

/**
 * The gate of SL005 (`Rule.only`): `e` has a cross-entropy's shape (a fact of the IR and the
 * analysis: tried once per node and analysis, not on every check).
 */
export function hasCeShape(e: Expr, facts: FactContext): boolean {
  return ceShape(e, facts) !== undefined;
}

function walk(e: Expr, sign: number, w: Walk, ctx: FactContext): boolean {
  const x = asOperator(e, ctx);
  switch (x.k) {
    case 'unary':
      if (x.op === '-') return walk(x.operand, -sign, w, ctx);
      if (x.op === '+') return walk(x.operand, sign, w, ctx);
      return false;
    case 'call': {
      const operand = logOperand(x, ctx);
      if (operand) {
        w.terms.push({ log: x, operand, factors: [], sign });
        return true;
      }
      const r = reduceCall(x, ctx);
      if (!r || r.op === 'max') return false;
      w.reduced = true;
      return walk(r.input, sign, w, ctx);
    }
    case 'binop':
      return walkBinop(x, sign, w, ctx);
    default:
      return false;
  }
}

function walkBinop(x: Extract<Expr, { k: 'binop' }>, sign: number, w: Walk, ctx: FactContext): boolean {
  const ln = scalarNumber(x.left, ctx);
  const rn = scalarNumber(x.right, ctx);
  switch (x.op) {
    case '+':
      return walk(x.left, sign, w, ctx) && walk(x.right, sign, w, ctx);
    case '-':
      if (ln === 0) return walk(x.right, -sign, w, ctx);
      return walk(x.left, sign, w, ctx) && walk(x.right, -sign, w, ctx);
    case '/':
      // A normaliser (`/ n`, `/ len(y)`): it must not hold a log, and a negative literal flips the sign.
      if (hasLog(x.right, ctx) || rn === 0) return false;
      return walk(x.left, rn !== undefined && rn < 0 ? -sign : sign, w, ctx);
    case '@':
    case '*': {
      if (ln !== undefined) return x.op === '*' && ln !== 0 && walk(x.right, ln < 0 ? -sign : sign, w, ctx);
      if (rn !== undefined) return x.op === '*' && rn !== 0 && walk(x.left, rn < 0 ? -sign : sign, w, ctx);
      // (-1 / m) * sum(...), (1 / len(y)) * (...): a scalar normaliser with a literal numerator
      const ls = x.op === '*' ? normaliserSign(x.left, ctx) : undefined;
      if (ls !== undefined) return walk(x.right, ls * sign, w, ctx);
      const rs = x.op === '*' ? normaliserSign(x.right, ctx) : undefined;
      if (rs !== undefined) return walk(x.left, rs * sign, w, ctx);
      const lLog = hasLog(x.left, ctx);
      const rLog = hasLog(x.right, ctx);
      if (lLog === rLog) return false;
      const [logSide, factor] = lLog ? [x.left, x.right] : [x.right, x.left];
      let f = asOperator(factor, ctx);
      let s = sign;
      while (f.k === 'unary' && f.op === '-') {
        s = -s;
        f = asOperator(f.operand, ctx);
      }
      const inner: Walk = { terms: [], reduced: false };
      if (!walk(logSide, s, inner, ctx) || inner.terms.length !== 1) return false;
      inner.terms[0].factors.push(f);
      w.terms.push(inner.terms[0]);
      // y @ log(p): a dot product sums the products
      w.reduced ||= inner.reduced || x.op === '@';
      return true;
    }
    default:
      return false;
  }
}

/** `c / n` or `-(c / n)` with a literal c ≠ 0 and no log in n: the sign of c; otherwise undefined. */
function normaliserSign(e: Expr, ctx: FactContext): number | undefined {
  let x = asOperator(e, ctx);
  let sign = 1;
  while (x.k === 'unary' && x.op === '-') {
    sign = -sign;
    x = asOperator(x.operand, ctx);
  }
  if (x.k !== 'binop' || x.op !== '/' || hasLog(x.right, ctx)) return undefined;
  const c = scalarNumber(x.left, ctx);
  return c === undefined || c === 0 ? undefined : c < 0 ? -sign : sign;
}

/** Does the expression contain a log call (anywhere)? */
function hasLog(e: Expr, ctx: FactContext): boolean {
  const x = unparen(e);
  if (x.k === 'call' && logOperand(x, ctx)) return true;
  switch (x.k) {
    case 'binop':
      return hasLog(x.left, ctx) || hasLog(x.right, ctx);
    case 'unary':
      return hasLog(x.operand, ctx);
    case 'call':
      return hasLog(x.fn, ctx) || x.args.some((a) => hasLog(a.value, ctx));
    case 'attr':
      return hasLog(x.obj, ctx);
    case 'subscript':
      return hasLog(x.obj, ctx);
    default:
      return false;
  }
}

/** exprKey, extended to subscripts, slices and unary operators (`y[:, 0]`, `-x`). */
export function key(e: Expr): string | undefined {
  const x = unparen(e);
  switch (x.k) {
    case 'subscript': {
      const o = key(x.obj);
      const idx = x.index.map(key);
      return o === undefined || idx.some((i) => i === undefined) ? undefined : `${o}[${idx.join(',')}]`;
    }
    case 'slice': {
      const parts = [x.lower, x.upper, x.step].map((p) => (p ? key(p) : ''));
      return parts.some((p) => p === undefined) ? undefined : parts.join(':');
    }
    case 'unary': {
      const o = key(x.operand);
      return o === undefined ? undefined : `${x.op}(${o})`;
    }
    case 'binop': {
      const l = key(x.left);
      const r = key(x.right);
      return l === undefined || r === undefined ? undefined : `(${l}${x.op}${r})`;
    }
    case 'attr': {
      const o = key(x.obj);
      return o === undefined ? undefined : `${o}.${x.attr}`;
    }
    case 'call': {
      const f = key(x.fn);
      const args = x.args.map((a) => (a.star ? undefined : key(a.value)));
      if (f === undefined || args.some((a) => a === undefined)) return undefined;
      return `${f}(${x.args.map((a, i) => (a.name ? `${a.name}=${args[i]}` : args[i])).join(',')})`;
    }
    case 'str':
      return JSON.stringify(x.value);
    default:
      return exprKey(x);
  }
}

function isEntropyLike(t: LogTerm): boolean {
  const op = unparen(t.operand);
  const ok = key(op);
  for (const f of t.factors) {
    const fk = key(f);
    if (fk === undefined || ok === undefined) return true; // cannot tell them apart: not certain
    if (fk === ok || mentions(op, fk, key) || mentions(f, ok, key)) return true;
  }
  return false;
}

/** `1 - e` → e. */
function complementOf(e: Expr, ctx: FactContext): Expr | undefined {
  const x = asOperator(e, ctx);
  return x.k === 'binop' && x.op === '-' && scalarNumber(x.left, ctx) === 1 ? unparen(x.right) : undefined;
}

/** a = y * log(p), b = (1 - y) * log(1 - p). */
function isComplementPair(a: LogTerm, b: LogTerm, ctx: FactContext): boolean {
  const y = key(a.factors[0]);
  const p = key(a.operand);
  const ny = complementOf(b.factors[0], ctx);
  const np = complementOf(b.operand, ctx);
  if (y === undefined || p === undefined || !ny || !np) return false;
  return key(ny) === y && key(np) === p && y !== p;
}

/** `p[range(n), y]` / `p[np.arange(n), y]`: the probability of each row's target class. */
export function isClassGather(e: Expr): boolean {
  const x = unparen(e);
  if (x.k !== 'subscript' || x.index.length !== 2) return false;
  let first = unparen(x.index[0]);
  // list(range(n)): d2l's `y_hat[list(range(len(y_hat))), y]`
  if (first.k === 'call' && first.fn.k === 'name' && first.fn.id === 'list' && first.args.length === 1) first = unparen(first.args[0].value);
  if (first.k !== 'call') return false;
  const fn = unparen(first.fn);
  const name = fn.k === 'name' ? fn.id : fn.k === 'attr' ? fn.attr : '';
  return name === 'range' || name === 'arange';
}
