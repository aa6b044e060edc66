// Shared by test/python-lower.test.ts and scripts/ir-equivalence.ts: lowers a text with the current
// Python lowering and with the reference (the Node-object lowering it replaced) and compares a
// canonical serialisation of both IRs.
import type { Module } from '../../src/core/ir';
import type { Parsers } from '../../src/core/parser';
import { lowerPython } from '../../src/core/python/lower';
import { lowerPythonReference } from './python-lower-reference';

/**
 * Canonical text of a value: object keys sorted, a key present with `undefined` kept (as `~`), numbers
 * exact (NaN, ±Infinity and -0 distinguished). Stricter than JSON.stringify, which drops both.
 */
export function canonical(v: unknown): string {
  if (v === undefined) return '~';
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  throw new Error(`unexpected ${typeof v} in the IR`);
}

export interface LowerComparison {
  same: boolean;
  /** The canonical IRs (or `throw: message` when a lowering threw). */
  reference: string;
  current: string;
  referenceMs: number;
  currentMs: number;
}

function run(f: () => Module): { text: string; ms: number } {
  const t0 = performance.now();
  let text: string;
  try {
    const m = f();
    const ms = performance.now() - t0;
    return { text: canonical(m), ms };
  } catch (e) {
    text = `throw: ${e instanceof Error ? e.message : String(e)}`;
  }
  return { text, ms: performance.now() - t0 };
}

/** Parses `text` once and lowers the tree with both lowerings (in the order given). */
export function compareLowering(parsers: Parsers, text: string, referenceFirst = true): LowerComparison {
  // A plain parse: the reference lowering does not know the comment runs the parser hides.
  const min = parsers.commentRunMinLines;
  parsers.commentRunMinLines = Infinity;
  let tree: ReturnType<Parsers['parse']>;
  try {
    tree = parsers.parse('python', text);
  } finally {
    parsers.commentRunMinLines = min;
  }
  try {
    const ref = () => run(() => lowerPythonReference(tree.rootNode));
    const cur = () => run(() => lowerPython(tree.rootNode));
    let r: { text: string; ms: number };
    let c: { text: string; ms: number };
    if (referenceFirst) {
      r = ref();
      c = cur();
    } else {
      c = cur();
      r = ref();
    }
    return { same: r.text === c.text, reference: r.text, current: c.text, referenceMs: r.ms, currentMs: c.ms };
  } finally {
    tree.delete();
  }
}

/** The first place two canonical texts differ, with some context (for messages). */
export function firstDifference(a: string, b: string, context = 120): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - context);
  return `at ${i}:\n  reference: …${a.slice(from, i + context)}…\n  current:   …${b.slice(from, i + context)}…`;
}
