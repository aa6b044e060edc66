// The analysis model: a small, language-neutral syntax tree that front ends (tree-sitter Python,
// later TypeScript/JavaScript) lower into. The analysis, the rules and the evaluator read only this.
// Every node carries UTF-16 offsets [s, e) into the source text.

export interface Span {
  s: number;
  e: number;
}

export interface Arg extends Span {
  /** Keyword name, or undefined for a positional argument. */
  name?: string;
  star?: '*' | '**';
  value: Expr;
}

export type Expr =
  | (Span & { k: 'name'; id: string })
  | (Span & { k: 'attr'; obj: Expr; attr: string; attrS: number })
  | (Span & { k: 'call'; fn: Expr; args: Arg[]; argsS: number; argsE: number })
  | (Span & { k: 'subscript'; obj: Expr; index: Expr[] })
  | (Span & { k: 'slice'; lower?: Expr; upper?: Expr; step?: Expr })
  | (Span & { k: 'binop'; op: string; left: Expr; right: Expr })
  | (Span & { k: 'unary'; op: string; operand: Expr })
  | (Span & { k: 'compare'; ops: string[]; operands: Expr[] })
  | (Span & { k: 'num'; value: number; isFloat: boolean; raw: string })
  | (Span & { k: 'str'; value: string })
  | (Span & { k: 'const'; value: 'True' | 'False' | 'None' | 'Ellipsis' })
  | (Span & { k: 'list' | 'tuple' | 'set'; elts: Expr[] })
  | (Span & { k: 'dict'; keys: (Expr | null)[]; values: Expr[] })
  | (Span & { k: 'ifexp'; test: Expr; body: Expr; orelse: Expr })
  | (Span & { k: 'lambda'; params: Param[]; body: Expr })
  | (Span & { k: 'paren'; inner: Expr })
  | (Span & { k: 'star'; inner: Expr })
  /** Anything else (comprehensions, f-strings, await, error nodes): its sub-expressions only. */
  | (Span & { k: 'other'; kids: Expr[]; text?: string });

export interface Param extends Span {
  name: string;
  default?: Expr;
  star?: '*' | '**';
}

export type Stmt =
  | (Span & { k: 'assign'; targets: Expr[]; value: Expr; op?: string })
  | (Span & { k: 'expr'; value: Expr })
  | (Span & { k: 'return'; value?: Expr })
  | (Span & { k: 'def'; name: string; nameS: number; params: Param[]; body: Stmt[]; decorators: Expr[] })
  | (Span & { k: 'class'; name: string; nameS: number; bases: Arg[]; body: Stmt[]; decorators: Expr[] })
  | (Span & { k: 'import'; names: { module: string; asname?: string }[] })
  | (Span & { k: 'from'; module: string; level: number; names: { name: string; asname?: string }[] | '*' })
  | (Span & { k: 'if'; branches: { test?: Expr; body: Stmt[] }[] })
  | (Span & { k: 'loop'; target?: Expr; iter?: Expr; test?: Expr; body: Stmt[]; orelse: Stmt[] })
  | (Span & { k: 'with'; items: { expr: Expr; target?: Expr }[]; body: Stmt[] })
  | (Span & { k: 'try'; body: Stmt[]; handlers: { type?: Expr; name?: string; body: Stmt[] }[]; orelse: Stmt[]; final: Stmt[] })
  /** global/nonlocal/del/pass/raise/assert/...: expressions are still visited. */
  | (Span & { k: 'other'; exprs: Expr[]; names?: string[]; global?: boolean });

export interface Module {
  body: Stmt[];
  /** Comment spans, sorted (used by fixes: an edit never drops a comment; by noqa). */
  comments: Span[];
  /** Spans of syntax errors the parser recovered from. */
  errors: Span[];
  /** Source language (absent: Python). Selects the tensor method table (TF.js chained ops in TS/JS). */
  language?: 'python' | 'typescript' | 'javascript';
}

/** Strip redundant parentheses. */
export function unparen(e: Expr): Expr {
  while (e.k === 'paren') e = e.inner;
  return e;
}

/** Positional argument i (0-based), ignoring starred ones; undefined when absent. */
export function positional(args: Arg[], i: number): Arg | undefined {
  let n = 0;
  for (const a of args) {
    if (a.name !== undefined || a.star) continue;
    if (n === i) return a;
    n++;
  }
  return undefined;
}

export function keyword(args: Arg[], name: string): Arg | undefined {
  return args.find((a) => a.name === name);
}

/** Argument by keyword name or by position (the way Python binds a call). */
export function argument(args: Arg[], name: string | undefined, pos: number | undefined): Arg | undefined {
  if (name !== undefined) {
    const k = keyword(args, name);
    if (k) return k;
  }
  return pos === undefined ? undefined : positional(args, pos);
}

export function hasStarArgs(args: Arg[]): boolean {
  return args.some((a) => a.star !== undefined);
}

/** Visit every sub-expression of `e` (not e itself), depth-first. */
export function forEachChild(e: Expr, f: (c: Expr) => void): void {
  switch (e.k) {
    case 'attr':
      f(e.obj);
      break;
    case 'call':
      f(e.fn);
      for (const a of e.args) f(a.value);
      break;
    case 'subscript':
      f(e.obj);
      e.index.forEach(f);
      break;
    case 'slice':
      if (e.lower) f(e.lower);
      if (e.upper) f(e.upper);
      if (e.step) f(e.step);
      break;
    case 'binop':
      f(e.left);
      f(e.right);
      break;
    case 'unary':
      f(e.operand);
      break;
    case 'compare':
      e.operands.forEach(f);
      break;
    case 'list':
    case 'tuple':
    case 'set':
      e.elts.forEach(f);
      break;
    case 'dict':
      for (const k of e.keys) if (k) f(k);
      e.values.forEach(f);
      break;
    case 'ifexp':
      f(e.test);
      f(e.body);
      f(e.orelse);
      break;
    case 'lambda':
      for (const p of e.params) if (p.default) f(p.default);
      f(e.body);
      break;
    case 'paren':
    case 'star':
      f(e.inner);
      break;
    case 'other':
      e.kids.forEach(f);
      break;
    default:
      break;
  }
}
