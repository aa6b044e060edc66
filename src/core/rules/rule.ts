// What a rule is: metadata plus visitors over the analysis model. The runner walks the model once
// and dispatches each node to every rule that wants it; rules read values from the analysis and
// report spans (offsets) with optional fixes as data.
import type { Analysis } from '../analysis/interpret';
import type { CallExpr, Value } from '../analysis/values';
import type { Expr, Module, Span } from '../ir';
import type { Applicability, RuleCode, RuleMeta } from '../types';
import type { Imports } from './shared/imports';

export type BinopExpr = Extract<Expr, { k: 'binop' }>;
export type UnaryExpr = Extract<Expr, { k: 'unary' }>;

export interface EditSpan {
  s: number;
  e: number;
  content: string;
}

export interface FixData {
  applicability: Applicability;
  message: string;
  edits: EditSpan[];
}

export interface Report {
  code: RuleCode;
  message: string;
  span: Span;
  fix?: FixData;
  related?: { message: string; span: Span }[];
}

/**
 * What a gate (`Rule.only`) and the shape helpers it uses may read: the IR's structure and the
 * analysis' values and callees — no text, no claims. Gates must not read offsets either: an editor's
 * re-check that reuses the analysis (../incremental.ts) moves them and keeps the gates' answers.
 */
export interface FactContext {
  readonly module: Module;
  readonly analysis: Analysis;
  value(e: Expr): Value;
  callee(c: CallExpr): Value;
}

export interface RuleContext extends FactContext {
  readonly text: string;
  readonly imports: Imports;
  source(span: Span): string;
  /** True when a comment lies inside [s, e) but outside every kept span (a fix there would drop it). */
  dropsComment(span: Span, kept?: Span[]): boolean;
  report(r: Report): void;
  /** Spans already reported by another rule with this code (for "report the best one, not both"). */
  claim(code: RuleCode, span: Span): void;
  isClaimed(span: Span): boolean;
}

/** A necessary condition for a visitor to report or claim anything at a node (see `Rule.only`). */
export type Gate<E extends Expr> = (e: E, facts: FactContext) => boolean;

export interface Rule {
  meta: RuleMeta;
  call?(e: CallExpr, ctx: RuleContext): void;
  binop?(e: BinopExpr, ctx: RuleContext): void;
  unary?(e: UnaryExpr, ctx: RuleContext): void;
  /**
   * Gates: the visitor of a node kind runs only on the nodes its gate accepts. A gate is a necessary
   * condition (a node it rejects is one where the visitor would report and claim nothing), read from
   * the IR and the analysis alone (`FactContext`). The runner evaluates each distinct gate function
   * once per node and analysis, so rules that share a gate share its work, and an editor's re-check
   * that reuses the analysis evaluates none. Without a gate, the visitor sees every node of its kind.
   *
   * `within`: a necessary condition of the gates one level up: every node the rule's gates accept
   * lies in a top-level statement holding a call `within` accepts (a log call, for the rules about
   * logs). The runner asks the gates nothing about the nodes of a statement without one, and asks
   * `within` once per statement and analysis (it stops at the first call it accepts).
   */
  only?: { call?: Gate<CallExpr>; binop?: Gate<BinopExpr>; unary?: Gate<UnaryExpr>; within?: Gate<CallExpr> };
  /** Optional pass that runs before the others (for rules that claim spans). */
  priority?: number;
}

export function defineRule(code: RuleCode, meta: RuleMeta, visitors: Omit<Rule, 'meta'>): Rule {
  if (meta.code !== code) throw new Error(`rule ${code} has metadata of ${meta.code}`);
  return { meta, ...visitors };
}
