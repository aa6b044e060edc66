// Position → expression. The rule (docs/hover.md):
//  1. On an assigned name (`loss` in `loss = ...`, or a name in a tuple target): the value the name
//     has after the assignment.
//  2. Otherwise the innermost expression under the position, widened:
//     - a module name or library path (`np`, `np.log`, `nn.CrossEntropyLoss`) widens to the callee chain;
//     - a callee (`loss_fn` in `loss_fn(logits, target)`, `softmax` in `x.softmax(1)`) widens to the call;
//     - a literal (`2.0`, `'sum'`, `[2.0, 4.0]`) widens to the enclosing literal and then to the call
//       it is an argument of (`np.array([2.0, 4.0, 1.0])`, `nn.CrossEntropyLoss(reduction='sum')`);
//     - a slice or an unsupported construct widens to its parent.
import { forEachChild, unparen, type Expr, type Stmt } from '../ir';
import type { Value } from './values';

export type Target = { kind: 'expr'; expr: Expr } | { kind: 'name'; name: string; nameSpan: { s: number; e: number } } | { kind: 'none'; why: string };

function contains(e: { s: number; e: number }, off: number): boolean {
  return e.s <= off && off < e.e;
}

/** The chain of expressions from `root` down to the innermost one containing `off`. */
function chain(root: Expr, off: number): Expr[] {
  if (!contains(root, off)) return [];
  const out: Expr[] = [root];
  let cur = root;
  for (;;) {
    let next: Expr | undefined;
    forEachChild(cur, (c) => {
      if (!next && contains(c, off)) next = c;
    });
    if (!next) return out;
    out.push(next);
    cur = next;
  }
}

function rootsOf(s: Stmt): Expr[] {
  switch (s.k) {
    case 'assign':
      return [s.value];
    case 'expr':
      return [s.value];
    case 'return':
      return s.value ? [s.value] : [];
    case 'other':
      return s.exprs;
    case 'if':
      return s.branches.flatMap((b) => (b.test ? [b.test] : []));
    case 'loop':
      return [...(s.iter ? [s.iter] : []), ...(s.test ? [s.test] : [])];
    default:
      return [];
  }
}

function nameTarget(t: Expr, off: number): Target | null {
  const u = unparen(t);
  if (!contains(u, off)) return null;
  if (u.k === 'name') return { kind: 'name', name: u.id, nameSpan: { s: u.s, e: u.e } };
  if (u.k === 'tuple' || u.k === 'list') {
    for (const el of u.elts) {
      const r = nameTarget(el, off);
      if (r) return r;
    }
  }
  return { kind: 'none', why: 'an assignment into a subscript or attribute (in-place changes are not evaluated)' };
}

export function chooseTarget(s: Stmt, off: number, valueOf: (e: Expr) => Value | undefined): Target {
  if (s.k === 'assign') {
    for (const t of s.targets) {
      const r = nameTarget(t, off);
      if (r) return r;
    }
  }
  if (s.k === 'import' || s.k === 'from') return { kind: 'none', why: 'an import' };
  if (s.k === 'def') return { kind: 'none', why: `the definition of \`${s.name}\` (hover a call of it, or a line of its body)` };
  if (s.k === 'class') return { kind: 'none', why: 'a class definition' };
  for (const root of rootsOf(s)) {
    const c = chain(root, off);
    if (!c.length) continue;
    let i = c.length - 1;
    const parent = (j: number) => (j > 0 ? c[j - 1]! : undefined);
    const isModuleRef = (e: Expr) => {
      const v = valueOf(e);
      return !!v && v.t === 'ref';
    };
    // library paths: np → np.log → (call)
    while (i > 0 && parent(i)!.k === 'attr' && (parent(i) as Expr & { k: 'attr' }).obj === c[i] && isModuleRef(c[i]!)) i--;
    // the attribute name of a method call: x.softmax → the call
    const cur = c[i]!;
    const par = parent(i);
    if (par && par.k === 'call' && par.fn === cur) i--;
    else if (cur.k === 'attr' && off >= cur.attrS && par && par.k === 'call' && par.fn === cur) i--;
    // literals widen to the whole literal, then to the call they are an argument of
    const lit = (e: Expr) => e.k === 'num' || e.k === 'str' || e.k === 'const' || (e.k === 'unary' && unparen(e.operand).k === 'num');
    if (lit(c[i]!)) {
      while (i > 0 && (parent(i)!.k === 'unary' || parent(i)!.k === 'list' || parent(i)!.k === 'tuple' || parent(i)!.k === 'paren')) i--;
      const p = parent(i);
      if (p && p.k === 'call' && p.fn !== c[i]) i--;
    } else if ((c[i]!.k === 'list' || c[i]!.k === 'tuple') && parent(i)?.k === 'call' && (parent(i) as Expr & { k: 'call' }).fn !== c[i]) i--;
    while (i > 0 && (c[i]!.k === 'slice' || c[i]!.k === 'other' || c[i]!.k === 'paren')) i--;
    // a constructed module called at once: nn.CrossEntropyLoss()(logits, target) → the outer call
    while (i > 0 && c[i]!.k === 'call' && parent(i)!.k === 'call' && (parent(i) as Expr & { k: 'call' }).fn === c[i]) i--;
    return { kind: 'expr', expr: c[i]! };
  }
  return { kind: 'none', why: 'no expression at this position' };
}
