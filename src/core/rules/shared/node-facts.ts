// Yes/no facts about IR nodes (the rules' gates, "holds a log call"), kept per analysis in slots on
// the nodes themselves, as the analysis keeps its values (../../analysis/expr-map.ts: a Map keyed by
// node identity costs more than most facts). Such a fact reads the IR and the analysis only
// (`FactContext`), so an answer holds as long as the node belongs to the same analysis (its values
// table): an editor's re-check that reuses the analysis reads it back, and so does one that re-walks
// a function (`Analysis.rewalk`: the new body's nodes are new, every other node keeps the values a
// fresh analysis gives it). A node of another analysis starts over.
import type { Expr } from '../../ir';
import type { FactContext } from '../rule';

interface Slots {
  __slFactOwner?: object;
  /** Bit i set: fact i is known for this node; its answer is bit i of `__slFactTrue`. */
  __slFactKnown?: number;
  __slFactTrue?: number;
}

/** A fact's slot: one bit of the node's two masks. */
export type FactBit = number;

let nextBit = 0;
const bitOf = new Map<unknown, FactBit>();

/** The bit that holds `fact`'s answers (one per fact; undefined once 31 are taken: then not kept). */
export function factBit(fact: unknown): FactBit | undefined {
  let bit = bitOf.get(fact);
  if (bit === undefined && nextBit < 31) bitOf.set(fact, (bit = 1 << nextBit++));
  return bit;
}

/** The kept answer of the fact at `bit` for `e` under this analysis, if any. */
export function readFact(bit: FactBit, e: Expr, facts: FactContext): boolean | undefined {
  const n = e as Slots;
  if (n.__slFactOwner !== facts.analysis.values || !((n.__slFactKnown as number) & bit)) return undefined;
  return ((n.__slFactTrue as number) & bit) !== 0;
}

export function writeFact(bit: FactBit, e: Expr, facts: FactContext, answer: boolean): void {
  const n = e as Slots;
  if (n.__slFactOwner !== facts.analysis.values) {
    n.__slFactOwner = facts.analysis.values;
    n.__slFactKnown = 0;
    n.__slFactTrue = 0;
  }
  n.__slFactKnown = (n.__slFactKnown as number) | bit;
  n.__slFactTrue = answer ? (n.__slFactTrue as number) | bit : (n.__slFactTrue as number) & ~bit;
}
