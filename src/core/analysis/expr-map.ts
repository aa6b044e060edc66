// The analysis' expression → value tables (`values`, `callees`), stored on the IR nodes themselves.
// A `Map` keyed by node identity was the single most expensive line of the analysis on large files
// (hashing and rehashing millions of entries: ~9 % of `check` over dist-packages); a slot on the
// node is one property write. A node carries the slots of one table of each sort (its owner,
// normally the only analysis of its module); any other table that sets a value for the same node
// keeps it in its own `Map` instead, so several analyses of one module still see only their own. An
// editor session (../incremental.ts) keeps IR nodes across checks and retires the analysis it drops:
// the next analysis takes over its slots.
import type { Expr } from '../ir';
import type { CallExpr, Value } from './values';

/** What rules and tests read: the value recorded for an expression. */
export interface ExprValueTable<K extends Expr = Expr> {
  get(e: K): Value | undefined;
}

interface Slotted {
  __slOwner?: ExprValues;
  __slValue?: Value;
  __slCalleeOwner?: CalleeValues;
  __slCallee?: Value;
}

/** The value of each visited expression. */
export class ExprValues implements ExprValueTable {
  private others: Map<Expr, Value> | undefined;
  /** Set when no one reads this table again (an editor session dropped its analysis): its slots are free. */
  retired = false;

  get(e: Expr): Value | undefined {
    const n = e as Slotted;
    if (n.__slOwner === this) return n.__slValue;
    return this.others?.get(e);
  }

  set(e: Expr, v: Value): void {
    const n = e as Slotted;
    const owner = n.__slOwner;
    if (owner === this || owner === undefined || owner.retired) {
      n.__slOwner = this;
      n.__slValue = v;
    } else (this.others ??= new Map()).set(e, v);
  }
}

/** The value of the callee of each visited call (the same scheme, its own slots). */
export class CalleeValues implements ExprValueTable<CallExpr> {
  private others: Map<CallExpr, Value> | undefined;
  /** As `ExprValues.retired`. */
  retired = false;

  get(e: CallExpr): Value | undefined {
    const n = e as Slotted;
    if (n.__slCalleeOwner === this) return n.__slCallee;
    return this.others?.get(e);
  }

  set(e: CallExpr, v: Value): void {
    const n = e as Slotted;
    const owner = n.__slCalleeOwner;
    if (owner === this || owner === undefined || owner.retired) {
      n.__slCalleeOwner = this;
      n.__slCallee = v;
    } else (this.others ??= new Map()).set(e, v);
  }
}
