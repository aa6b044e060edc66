// Small helpers over tree-sitter nodes shared by the front ends (python/, typescript/).
import type { Expr, Span } from './ir';
import type { SyntaxNode } from './parser';

/** An expression the analysis knows nothing about (keeps the span for messages). */
export function opaque(span: Span): Expr {
  return { k: 'other', kids: [], s: span.s, e: span.e };
}

export function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const count = n.childCount;
  for (let i = 0; i < count; i++) {
    const c = n.child(i);
    if (c) out.push(c);
  }
  return out;
}

export function named(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const count = n.namedChildCount;
  for (let i = 0; i < count; i++) {
    const c = n.namedChild(i);
    if (c) out.push(c);
  }
  return out;
}

/** The first named child that is not a comment. */
export function firstNamed(n: SyntaxNode): SyntaxNode | null {
  const count = n.namedChildCount;
  for (let i = 0; i < count; i++) {
    const c = n.namedChild(i);
    if (c && c.type !== 'comment') return c;
  }
  return null;
}
