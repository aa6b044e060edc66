// Front end: lowers a tree-sitter Python tree into the analysis model (../ir.ts).
// Half-typed code is normal: ERROR nodes are walked for whatever statements and expressions they
// still contain, and nothing here throws on an unexpected shape. Nesting deeper than MAX_DEPTH is
// kept opaque so pathological inputs cannot overflow the stack.
//
// The tree is first read into a flat array (`flatten` in ../syntax.ts, one cursor walk); the lowering
// then works on integer node handles, type ids compared as small integers and text sliced from the
// source. test/python-lower.test.ts and scripts/ir-equivalence.mjs prove the IR is the one the
// previous Node-object lowering produced (kept in test/helpers/python-lower-reference.ts).
import { hiddenComments, type SyntaxNode } from '../parser';
import type { Arg, Expr, Module, Param, Span, Stmt } from '../ir';
import { flatten, MISSING, NAMED, opaque, type FlatTree } from '../syntax';

const MAX_DEPTH = 400;

/** The node types the lowering distinguishes; every other type is `T.other`. */
const TYPE_NAMES = [
  'comment', 'expression_statement', 'assignment', 'augmented_assignment', 'return_statement', 'decorated_definition',
  'decorator', 'function_definition', 'class_definition', 'import_statement', 'dotted_name', 'aliased_import',
  'import_from_statement', 'relative_import', 'import_prefix', 'wildcard_import', 'future_import_statement',
  'if_statement', 'elif_clause', 'else_clause', 'for_statement', 'while_statement', 'with_statement', 'with_clause',
  'with_item', 'as_pattern', 'try_statement', 'except_clause', 'except_group_clause', 'block', 'finally_clause',
  'global_statement', 'nonlocal_statement', 'ERROR', 'module', 'identifier', 'typed_parameter', 'list_splat_pattern',
  'dictionary_splat_pattern', 'default_parameter', 'typed_default_parameter', 'keyword_argument', 'list_splat',
  'dictionary_splat', 'attribute', 'call', 'argument_list', 'subscript', 'slice', ':', 'binary_operator',
  'boolean_operator', 'unary_operator', 'not_operator', 'comparison_operator', 'integer', 'float', 'string',
  'concatenated_string', 'true', 'false', 'none', 'ellipsis', 'list', 'set', 'tuple', 'expression_list',
  'pattern_list', 'tuple_pattern', 'list_pattern', 'dictionary', 'pair', 'parenthesized_expression',
  'conditional_expression', 'lambda', 'string_start', 'string_content', 'escape_sequence', 'interpolation',
  'line_continuation',
] as const;
type TypeName = (typeof TYPE_NAMES)[number];
const T = Object.fromEntries(TYPE_NAMES.map((n, i) => [n, i + 1])) as Record<TypeName, number> & { other: 0 };
T.other = 0;

const FIELD_NAMES = [
  'definition', 'name', 'parameters', 'body', 'superclasses', 'alias', 'module_name', 'condition', 'consequence',
  'left', 'right', 'alternative', 'value', 'operator', 'object', 'attribute', 'function', 'arguments', 'subscript',
  'argument', 'key',
] as const;
type FieldName = (typeof FIELD_NAMES)[number];

const STATEMENT_TYPES = new Set([
  'expression_statement', 'return_statement', 'decorated_definition', 'function_definition', 'class_definition',
  'import_statement', 'import_from_statement', 'if_statement', 'for_statement', 'while_statement', 'with_statement',
  'try_statement', 'global_statement', 'nonlocal_statement', 'pass_statement', 'break_statement',
  'continue_statement', 'delete_statement', 'raise_statement', 'assert_statement', 'print_statement',
  'exec_statement', 'match_statement', 'type_alias_statement', 'future_import_statement',
]);
const NON_EXPRESSION = new Set(['block', 'comment', 'ERROR', 'keyword_argument', 'argument_list', 'parameters']);
const STATEMENT = 1;
const EXPRESSION = 2;

/** Per language: type id → T, type id → STATEMENT|EXPRESSION, field name → field id. */
interface Tables {
  kind: Uint8Array;
  cls: Uint8Array;
  field: Record<FieldName, number>;
}
const tablesByTypes = new WeakMap<readonly string[], Tables>();

function tables(tree: FlatTree): Tables {
  let t = tablesByTypes.get(tree.types);
  if (!t) {
    const kind = new Uint8Array(65536);
    const cls = new Uint8Array(65536);
    const index = new Map<string, number>(TYPE_NAMES.map((n, i) => [n, i + 1]));
    for (let id = 0; id < 65536; id++) {
      const name = tree.types[id] || 'ERROR'; // as Node.type
      kind[id] = index.get(name) ?? 0;
      cls[id] = (STATEMENT_TYPES.has(name) ? STATEMENT : 0) | (!NON_EXPRESSION.has(name) && !name.endsWith('_clause') ? EXPRESSION : 0);
    }
    const field = {} as Record<FieldName, number>;
    // as Node.childForFieldName: an unknown name (-1) matches no child
    for (const f of FIELD_NAMES) field[f] = tree.fields.indexOf(f);
    t = { kind, cls, field };
    tablesByTypes.set(tree.types, t);
  }
  return t;
}

/** `portable`: read the tree through the public cursor API only (tests compare both ways). */
export function lowerPython(root: SyntaxNode, options: { portable?: boolean } = {}): Module {
  const flat = withoutLineContinuations(flatten(root, options));
  // Comment runs hidden from tree-sitter (../parser.ts): the tree's text has spaces there; the IR gets
  // the real text and, after the comment each run follows, its hidden comments (as a plain parse).
  const hidden = hiddenComments(root.tree);
  if (hidden) flat.source = hidden.text.slice(flat.base, flat.base + flat.source.length);
  const l = new Lowerer(flat);
  const body = l.block(0, 0);
  return { body, comments: withHidden(allComments(flat), hidden), errors: l.errors };
}

/**
 * Lowers one child of the module node (a top-level statement, comment or ERROR region) as
 * `lowerPython` lowers it within the module: the module's body, comments and errors are the
 * concatenation of its children's (the editor's incremental lowering, ../incremental.ts, relies on it).
 */
export function lowerPythonTopLevel(node: SyntaxNode, options: { portable?: boolean; hidden?: ReturnType<typeof hiddenComments> } = {}): Module {
  const flat = withoutLineContinuations(flatten(node, options));
  const hidden = options.hidden;
  if (hidden) flat.source = hidden.text.slice(flat.base, flat.base + flat.source.length);
  const l = new Lowerer(flat);
  const body: Stmt[] = [];
  l.stmt(0, body, 1);
  return { body, comments: withHidden(allComments(flat), hidden), errors: l.errors };
}

/**
 * The flat tree with every backslash line continuation unlinked from its siblings. tree-sitter-python
 * makes `\` + newline a named extra node wherever it occurs: among call arguments, list, tuple and
 * `a, b` elements, comparison operands, a statement's children. The IR has no place for one, and as
 * an element it became an `other` node (`a, b = f(x), \` + newline + `g(y)` was a 3-tuple, so the
 * unpacking gave unknowns). The direct front end never makes one either.
 */
function withoutLineContinuations(flat: FlatTree): FlatTree {
  const kind = tables(flat).kind;
  const { type, child, next } = flat;
  let any = false;
  for (let i = 0; i < flat.count && !any; i++) if (kind[type[i]] === T.line_continuation) any = true;
  if (!any) return flat;
  const skip = (c: number): number => {
    while (c >= 0 && kind[type[c]] === T.line_continuation) c = next[c];
    return c;
  };
  for (let i = 0; i < flat.count; i++) {
    child[i] = skip(child[i]);
    next[i] = skip(next[i]);
  }
  return flat;
}

/**
 * Every comment node of the tree, in source order (the flat tree is in pre-order). The lowering's
 * walk misses comments inside nodes it does not descend into (an operator, a parameter list, a
 * `from __future__` import), so the module's list is taken from the whole tree: complete and sorted,
 * and a front end without a tree (./direct.ts) gives the same list by recording every comment token.
 */
function allComments(flat: FlatTree): Span[] {
  const out: Span[] = [];
  const kind = tables(flat).kind;
  for (let i = 0; i < flat.count; i++) if (kind[flat.type[i]] === T.comment) out.push({ s: flat.start[i], e: flat.end[i] });
  return out;
}

/** The comments of the tree with, after the comment each hidden run follows, the run's hidden comments (as a plain parse gives them). */
function withHidden(comments: Span[], hidden: ReturnType<typeof hiddenComments>): Span[] {
  if (!hidden) return comments;
  const out: Span[] = [];
  for (const c of comments) {
    out.push(c);
    const more = hidden.after.get(c.s);
    if (more) for (const m of more) out.push({ s: m.s, e: m.e });
  }
  return out;
}

/** A node handle (index into the flat tree); -1 is "no node". */
type N = number;

class Lowerer {
  comments: Span[] = [];
  errors: Span[] = [];
  private readonly kindOf: Uint8Array;
  private readonly cls: Uint8Array;
  private readonly F: Record<FieldName, number>;
  private readonly type: Uint16Array;
  private readonly fieldOf: Uint16Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly child: Int32Array;
  private readonly next: Int32Array;
  private readonly flags: Uint8Array;

  constructor(private readonly t: FlatTree) {
    const tb = tables(t);
    this.kindOf = tb.kind;
    this.cls = tb.cls;
    this.F = tb.field;
    this.type = t.type;
    this.fieldOf = t.field;
    this.start = t.start;
    this.end = t.end;
    this.child = t.child;
    this.next = t.next;
    this.flags = t.flags;
  }

  // ---- the tree ---------------------------------------------------------------------------

  private k(n: N): number {
    return this.kindOf[this.type[n]];
  }

  private isNamed(n: N): boolean {
    return (this.flags[n] & NAMED) !== 0;
  }

  private isErrorOrMissing(n: N): boolean {
    return this.k(n) === T.ERROR || (this.flags[n] & MISSING) !== 0;
  }

  private text(n: N): string {
    const b = this.t.base;
    return this.t.source.slice(this.start[n] - b, this.end[n] - b);
  }

  private span(n: N): Span {
    return { s: this.start[n], e: this.end[n] };
  }

  private comment(n: N): void {
    this.comments.push({ s: this.start[n], e: this.end[n] });
  }

  /** As Node.childForFieldName: the first child with that field. */
  private field(n: N, f: number): N {
    if (n < 0 || f <= 0) return -1;
    for (let c = this.child[n]; c >= 0; c = this.next[c]) if (this.fieldOf[c] === f) return c;
    return -1;
  }

  private named(n: N): N[] {
    const out: N[] = [];
    for (let c = this.child[n]; c >= 0; c = this.next[c]) if (this.flags[c] & NAMED) out.push(c);
    return out;
  }

  /** The first named child that is not a comment (line continuations are unlinked). */
  private firstNamed(n: N): N {
    for (let c = this.child[n]; c >= 0; c = this.next[c]) if (this.flags[c] & NAMED && this.k(c) !== T.comment) return c;
    return -1;
  }

  // ---- statements -------------------------------------------------------------------------

  block(node: N, depth: number): Stmt[] {
    const out: Stmt[] = [];
    if (node < 0) return out;
    for (let c = this.child[node]; c >= 0; c = this.next[c]) this.stmt(c, out, depth + 1);
    return out;
  }

  stmt(n: N, out: Stmt[], depth: number): void {
    const span = this.span(n);
    if (depth > MAX_DEPTH) {
      this.errors.push(span);
      return;
    }
    const F = this.F;
    const kind = this.k(n);
    switch (kind) {
      case T.comment:
        this.comments.push(span);
        return;
      case T.expression_statement: {
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          const ck = this.k(c);
          if (ck === T.comment) {
            this.comment(c);
            continue;
          }
          if (ck === T.assignment || ck === T.augmented_assignment) out.push(this.assignment(c, depth));
          else out.push({ k: 'expr', value: this.expr(c, depth), s: span.s, e: span.e });
        }
        return;
      }
      case T.return_statement: {
        const v = this.firstNamed(n);
        out.push({ k: 'return', value: v >= 0 ? this.expr(v, depth) : undefined, s: span.s, e: span.e });
        return;
      }
      case T.decorated_definition: {
        const decorators: Expr[] = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          const ck = this.k(c);
          if (ck === T.decorator) {
            const e = this.firstNamed(c);
            if (e >= 0) decorators.push(this.expr(e, depth));
          } else if (ck === T.comment) this.comment(c);
        }
        const def = this.field(n, F.definition);
        if (def >= 0) {
          const before = out.length;
          this.stmt(def, out, depth);
          const d = out[before];
          if (d && (d.k === 'def' || d.k === 'class')) {
            d.decorators = decorators;
            d.s = span.s;
          }
        }
        return;
      }
      case T.function_definition: {
        const name = this.field(n, F.name);
        out.push({
          k: 'def',
          name: name >= 0 ? this.text(name) : '',
          nameS: name >= 0 ? this.start[name] : span.s,
          params: this.params(this.field(n, F.parameters), depth),
          body: this.block(this.field(n, F.body), depth),
          decorators: [],
          s: span.s,
          e: span.e,
        });
        return;
      }
      case T.class_definition: {
        const name = this.field(n, F.name);
        const sup = this.field(n, F.superclasses);
        out.push({
          k: 'class',
          name: name >= 0 ? this.text(name) : '',
          nameS: name >= 0 ? this.start[name] : span.s,
          bases: sup >= 0 ? this.args(sup, depth) : [],
          body: this.block(this.field(n, F.body), depth),
          decorators: [],
          s: span.s,
          e: span.e,
        });
        return;
      }
      case T.import_statement: {
        const names: { module: string; asname?: string }[] = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          const ck = this.k(c);
          if (ck === T.dotted_name) names.push({ module: this.dotted(c) });
          else if (ck === T.aliased_import) {
            const m = this.field(c, F.name);
            const a = this.field(c, F.alias);
            if (m >= 0) names.push({ module: this.dotted(m), asname: a >= 0 ? this.text(a) : undefined });
          }
        }
        out.push({ k: 'import', names, s: span.s, e: span.e });
        return;
      }
      case T.import_from_statement: {
        const mod = this.field(n, F.module_name);
        let module = '';
        let level = 0;
        if (mod >= 0 && this.k(mod) === T.relative_import) {
          for (let c = this.child[mod]; c >= 0; c = this.next[c]) {
            const ck = this.k(c);
            if (ck === T.import_prefix) level = this.end[c] - this.start[c];
            else if (ck === T.dotted_name) module = this.dotted(c);
          }
        } else if (mod >= 0) module = this.dotted(mod);
        let names: { name: string; asname?: string }[] | '*' = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          if (c === mod) continue;
          if (mod >= 0 && this.start[c] === this.start[mod]) continue;
          const ck = this.k(c);
          if (ck === T.wildcard_import) names = '*';
          else if (ck === T.dotted_name && names !== '*') names.push({ name: this.dotted(c) });
          else if (ck === T.aliased_import && names !== '*') {
            const m = this.field(c, F.name);
            const a = this.field(c, F.alias);
            if (m >= 0) names.push({ name: this.dotted(m), asname: a >= 0 ? this.text(a) : undefined });
          }
        }
        out.push({ k: 'from', module, level, names, s: span.s, e: span.e });
        return;
      }
      case T.future_import_statement:
        return;
      case T.if_statement: {
        const branches: { test?: Expr; body: Stmt[] }[] = [];
        const cond = this.field(n, F.condition);
        branches.push({ test: cond >= 0 ? this.expr(cond, depth) : undefined, body: this.block(this.field(n, F.consequence), depth) });
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          const ck = this.k(c);
          if (ck === T.elif_clause) {
            const t = this.field(c, F.condition);
            branches.push({ test: t >= 0 ? this.expr(t, depth) : undefined, body: this.block(this.field(c, F.consequence), depth) });
          } else if (ck === T.else_clause) {
            branches.push({ body: this.block(this.field(c, F.body), depth) });
          } else if (ck === T.comment) this.comment(c);
        }
        out.push({ k: 'if', branches, s: span.s, e: span.e });
        return;
      }
      case T.for_statement: {
        const left = this.field(n, F.left);
        const right = this.field(n, F.right);
        const alt = this.field(n, F.alternative);
        out.push({
          k: 'loop',
          target: left >= 0 ? this.expr(left, depth) : undefined,
          iter: right >= 0 ? this.expr(right, depth) : undefined,
          body: this.block(this.field(n, F.body), depth),
          orelse: alt >= 0 ? this.block(this.field(alt, F.body), depth) : [],
          s: span.s,
          e: span.e,
        });
        return;
      }
      case T.while_statement: {
        const cond = this.field(n, F.condition);
        const alt = this.field(n, F.alternative);
        out.push({
          k: 'loop',
          test: cond >= 0 ? this.expr(cond, depth) : undefined,
          body: this.block(this.field(n, F.body), depth),
          orelse: alt >= 0 ? this.block(this.field(alt, F.body), depth) : [],
          s: span.s,
          e: span.e,
        });
        return;
      }
      case T.with_statement: {
        const items: { expr: Expr; target?: Expr }[] = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c) || this.k(c) !== T.with_clause) continue;
          for (let item = this.child[c]; item >= 0; item = this.next[item]) {
            if (!this.isNamed(item) || this.k(item) !== T.with_item) continue;
            const v = this.field(item, F.value);
            if (v < 0) continue;
            if (this.k(v) === T.as_pattern) {
              const inner = this.firstNamed(v);
              const alias = this.field(v, F.alias);
              let target = -1;
              if (alias >= 0) {
                const a = this.firstNamed(alias);
                target = a >= 0 ? a : alias;
              }
              if (inner >= 0) items.push({ expr: this.expr(inner, depth), target: target >= 0 ? this.expr(target, depth) : undefined });
            } else items.push({ expr: this.expr(v, depth) });
          }
        }
        out.push({ k: 'with', items, body: this.block(this.field(n, F.body), depth), s: span.s, e: span.e });
        return;
      }
      case T.try_statement: {
        const handlers: { type?: Expr; name?: string; body: Stmt[] }[] = [];
        let orelse: Stmt[] = [];
        let final: Stmt[] = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          const ck = this.k(c);
          if (ck === T.except_clause || ck === T.except_group_clause) {
            let type: Expr | undefined;
            let name: string | undefined;
            let body: Stmt[] = [];
            for (let d = this.child[c]; d >= 0; d = this.next[d]) {
              if (!this.isNamed(d)) continue;
              const dk = this.k(d);
              if (dk === T.block) body = this.block(d, depth);
              else if (dk === T.as_pattern) {
                const inner = this.firstNamed(d);
                if (inner >= 0) type = this.expr(inner, depth);
                const alias = this.field(d, F.alias);
                name = alias >= 0 ? this.text(alias) : undefined;
              } else if (dk === T.comment) this.comment(d);
              else if (!type) type = this.expr(d, depth);
            }
            handlers.push({ type, name, body });
          } else if (ck === T.else_clause) orelse = this.block(this.field(c, F.body), depth);
          else if (ck === T.finally_clause) {
            let b = -1;
            for (let d = this.child[c]; d >= 0 && b < 0; d = this.next[d]) if (this.isNamed(d) && this.k(d) === T.block) b = d;
            final = this.block(b, depth);
          } else if (ck === T.comment) this.comment(c);
        }
        out.push({ k: 'try', body: this.block(this.field(n, F.body), depth), handlers, orelse, final, s: span.s, e: span.e });
        return;
      }
      case T.global_statement:
      case T.nonlocal_statement:
        out.push({ k: 'other', exprs: [], names: this.named(n).map((c) => this.text(c)), global: kind === T.global_statement, s: span.s, e: span.e });
        return;
      case T.ERROR: {
        this.errors.push(span);
        // Salvage what the parser could make of the broken region: statements and expressions inside.
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          const cls = this.cls[this.type[c]];
          if (cls & STATEMENT) this.stmt(c, out, depth + 1);
          else if (this.k(c) === T.comment) this.comment(c);
          else if (this.isNamed(c) && cls & EXPRESSION) out.push({ k: 'expr', value: this.expr(c, depth), s: this.start[c], e: this.end[c] });
        }
        return;
      }
      case T.block:
      case T.module:
        out.push(...this.block(n, depth));
        return;
      default: {
        this.markErrors(n);
        const exprs: Expr[] = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          const ck = this.k(c);
          if (ck === T.comment) this.comment(c);
          else if (ck === T.block) out.push(...this.block(c, depth));
          else if (this.cls[this.type[c]] & STATEMENT) this.stmt(c, out, depth + 1);
          else exprs.push(this.expr(c, depth));
        }
        if (exprs.length) out.push({ k: 'other', exprs, s: span.s, e: span.e });
      }
    }
  }

  assignment(n: N, depth: number): Stmt {
    const span = this.span(n);
    const F = this.F;
    const targets: Expr[] = [];
    let cur = n;
    let op: string | undefined;
    // a = b = value is nested: assignment(left a, right assignment(left b, right value)).
    for (;;) {
      const ck = this.k(cur);
      if (ck !== T.assignment && ck !== T.augmented_assignment) break;
      const left = this.field(cur, F.left);
      if (left >= 0) targets.push(this.expr(left, depth));
      if (ck === T.augmented_assignment) {
        const o = this.field(cur, F.operator);
        op = o >= 0 ? this.text(o) : undefined;
      }
      const right = this.field(cur, F.right);
      const rk = right >= 0 ? this.k(right) : 0;
      if (right < 0 || (rk !== T.assignment && rk !== T.augmented_assignment)) {
        const value = right >= 0 ? this.expr(right, depth) : ({ k: 'other', kids: [], s: span.e, e: span.e } as Expr);
        return { k: 'assign', targets, value, op, s: span.s, e: span.e };
      }
      cur = right;
    }
    return { k: 'assign', targets, value: { k: 'other', kids: [], s: span.e, e: span.e }, op, s: span.s, e: span.e };
  }

  /** The text of the first named non-comment child, or ''. */
  private firstNamedText(n: N): string {
    const c = this.firstNamed(n);
    return c >= 0 ? this.text(c) : '';
  }

  params(n: N, depth: number): Param[] {
    const out: Param[] = [];
    if (n < 0) return out;
    const F = this.F;
    for (let c = this.child[n]; c >= 0; c = this.next[c]) {
      if (!this.isNamed(c)) continue;
      const span = this.span(c);
      switch (this.k(c)) {
        case T.identifier:
          out.push({ name: this.text(c), s: span.s, e: span.e });
          break;
        case T.typed_parameter: {
          const id = this.firstNamed(c);
          const ik = id >= 0 ? this.k(id) : -1;
          if (ik === T.identifier) out.push({ name: this.text(id), s: span.s, e: span.e });
          else if (ik === T.list_splat_pattern) out.push({ name: this.firstNamedText(id), star: '*', s: span.s, e: span.e });
          else if (ik === T.dictionary_splat_pattern) out.push({ name: this.firstNamedText(id), star: '**', s: span.s, e: span.e });
          break;
        }
        case T.default_parameter:
        case T.typed_default_parameter: {
          const name = this.field(c, F.name);
          const value = this.field(c, F.value);
          out.push({ name: name >= 0 ? this.text(name) : '', default: value >= 0 ? this.expr(value, depth) : undefined, s: span.s, e: span.e });
          break;
        }
        case T.list_splat_pattern:
          out.push({ name: this.firstNamedText(c), star: '*', s: span.s, e: span.e });
          break;
        case T.dictionary_splat_pattern:
          out.push({ name: this.firstNamedText(c), star: '**', s: span.s, e: span.e });
          break;
        default:
          break;
      }
    }
    return out;
  }

  args(n: N, depth: number): Arg[] {
    const out: Arg[] = [];
    const F = this.F;
    for (let c = this.child[n]; c >= 0; c = this.next[c]) {
      if (!this.isNamed(c)) continue;
      const span = this.span(c);
      const ck = this.k(c);
      if (ck === T.comment) {
        this.comments.push(span);
        continue;
      }
      if (ck === T.keyword_argument) {
        const name = this.field(c, F.name);
        const value = this.field(c, F.value);
        out.push({ name: name >= 0 ? this.text(name) : '', value: value >= 0 ? this.expr(value, depth) : opaque(span), s: span.s, e: span.e });
      } else if (ck === T.list_splat) {
        const v = this.firstNamed(c);
        out.push({ star: '*', value: v >= 0 ? this.expr(v, depth) : opaque(span), s: span.s, e: span.e });
      } else if (ck === T.dictionary_splat) {
        const v = this.firstNamed(c);
        out.push({ star: '**', value: v >= 0 ? this.expr(v, depth) : opaque(span), s: span.s, e: span.e });
      } else out.push({ value: this.expr(c, depth), s: span.s, e: span.e });
    }
    return out;
  }

  // ---- expressions ------------------------------------------------------------------------

  expr(n: N, depth: number): Expr {
    const span = this.span(n);
    depth++;
    if (depth > MAX_DEPTH) {
      this.errors.push(span);
      return opaque(span);
    }
    const F = this.F;
    const kind = this.k(n);
    switch (kind) {
      case T.identifier:
        return { k: 'name', id: this.text(n), s: span.s, e: span.e };
      case T.attribute: {
        const obj = this.field(n, F.object);
        const attr = this.field(n, F.attribute);
        if (obj < 0 || attr < 0) return this.other(n, depth);
        return { k: 'attr', obj: this.expr(obj, depth), attr: this.text(attr), attrS: this.start[attr], s: span.s, e: span.e };
      }
      case T.call: {
        const fn = this.field(n, F.function);
        const a = this.field(n, F.arguments);
        if (fn < 0) return this.other(n, depth);
        if (a >= 0 && this.k(a) === T.argument_list) {
          return { k: 'call', fn: this.expr(fn, depth), args: this.args(a, depth), argsS: this.start[a], argsE: this.end[a], s: span.s, e: span.e };
        }
        // f(x for x in y)
        const args: Arg[] = a >= 0 ? [{ value: this.expr(a, depth), s: this.start[a], e: this.end[a] }] : [];
        return { k: 'call', fn: this.expr(fn, depth), args, argsS: a >= 0 ? this.start[a] : span.e, argsE: a >= 0 ? this.end[a] : span.e, s: span.s, e: span.e };
      }
      case T.subscript: {
        const value = this.field(n, F.value);
        if (value < 0) return this.other(n, depth);
        const index: Expr[] = [];
        const f = F.subscript;
        if (f > 0) for (let c = this.child[n]; c >= 0; c = this.next[c]) if (this.fieldOf[c] === f) index.push(this.expr(c, depth));
        return { k: 'subscript', obj: this.expr(value, depth), index, s: span.s, e: span.e };
      }
      case T.slice: {
        // children: [lower] ':' [upper] [':' [step]]
        const parts: (Expr | undefined)[] = [undefined];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          const ck = this.k(c);
          if (ck === T[':']) parts.push(undefined);
          else if (this.isNamed(c) && ck !== T.comment) parts[parts.length - 1] = this.expr(c, depth);
        }
        return { k: 'slice', lower: parts[0], upper: parts[1], step: parts[2], s: span.s, e: span.e };
      }
      case T.binary_operator:
      case T.boolean_operator: {
        const left = this.field(n, F.left);
        const right = this.field(n, F.right);
        const o = this.field(n, F.operator);
        const op = o >= 0 ? this.text(o) : '?';
        if (left < 0 || right < 0) return this.other(n, depth);
        return { k: 'binop', op, left: this.expr(left, depth), right: this.expr(right, depth), s: span.s, e: span.e };
      }
      case T.unary_operator: {
        const arg = this.field(n, F.argument);
        const o = this.field(n, F.operator);
        const op = o >= 0 ? this.text(o) : '?';
        if (arg < 0) return this.other(n, depth);
        return { k: 'unary', op, operand: this.expr(arg, depth), s: span.s, e: span.e };
      }
      case T.not_operator: {
        const arg = this.field(n, F.argument);
        if (arg < 0) return this.other(n, depth);
        return { k: 'unary', op: 'not', operand: this.expr(arg, depth), s: span.s, e: span.e };
      }
      case T.comparison_operator: {
        const operands: Expr[] = [];
        const ops: string[] = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (this.isNamed(c)) {
            if (this.k(c) !== T.comment) operands.push(this.expr(c, depth));
          } else ops.push(this.text(c));
        }
        return { k: 'compare', ops, operands, s: span.s, e: span.e };
      }
      case T.integer:
      case T.float: {
        const raw = this.text(n);
        const value = parseNumber(raw);
        if (value === undefined) return { k: 'other', kids: [], text: raw, s: span.s, e: span.e };
        return { k: 'num', value, isFloat: kind === T.float, raw, s: span.s, e: span.e };
      }
      case T.string: {
        const v = this.stringValue(n);
        if (v === undefined) return this.other(n, depth);
        return { k: 'str', value: v, s: span.s, e: span.e };
      }
      case T.concatenated_string: {
        let acc = '';
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          const v = this.k(c) === T.string ? this.stringValue(c) : undefined;
          if (v === undefined) return this.other(n, depth);
          acc += v;
        }
        return { k: 'str', value: acc, s: span.s, e: span.e };
      }
      case T.true:
        return { k: 'const', value: 'True', s: span.s, e: span.e };
      case T.false:
        return { k: 'const', value: 'False', s: span.s, e: span.e };
      case T.none:
        return { k: 'const', value: 'None', s: span.s, e: span.e };
      case T.ellipsis:
        return { k: 'const', value: 'Ellipsis', s: span.s, e: span.e };
      case T.list:
      case T.set:
      case T.tuple:
      case T.expression_list:
      case T.pattern_list:
      case T.tuple_pattern:
      case T.list_pattern: {
        const k = kind === T.list || kind === T.list_pattern ? 'list' : kind === T.set ? 'set' : 'tuple';
        return { k, elts: this.namedExprs(n, depth), s: span.s, e: span.e };
      }
      case T.dictionary: {
        const keys: (Expr | null)[] = [];
        const values: Expr[] = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          const ck = this.k(c);
          if (ck === T.pair) {
            const key = this.field(c, F.key);
            const value = this.field(c, F.value);
            keys.push(key >= 0 ? this.expr(key, depth) : null);
            values.push(value >= 0 ? this.expr(value, depth) : opaque(span));
          } else if (ck === T.dictionary_splat) {
            const v = this.firstNamed(c);
            keys.push(null);
            values.push(v >= 0 ? this.expr(v, depth) : opaque(span));
          } else if (ck === T.comment) this.comment(c);
        }
        return { k: 'dict', keys, values, s: span.s, e: span.e };
      }
      case T.parenthesized_expression: {
        let inner = -1;
        let count = 0;
        for (let c = this.child[n]; c >= 0; c = this.next[c]) {
          if (!this.isNamed(c)) continue;
          if (this.k(c) === T.comment) this.comment(c);
          else if (count++ === 0) inner = c;
        }
        if (count !== 1) return this.other(n, depth);
        return { k: 'paren', inner: this.expr(inner, depth), s: span.s, e: span.e };
      }
      case T.conditional_expression: {
        const parts: N[] = [];
        for (let c = this.child[n]; c >= 0; c = this.next[c]) if (this.isNamed(c) && this.k(c) !== T.comment) parts.push(c);
        if (parts.length !== 3) return this.other(n, depth);
        return { k: 'ifexp', body: this.expr(parts[0], depth), test: this.expr(parts[1], depth), orelse: this.expr(parts[2], depth), s: span.s, e: span.e };
      }
      case T.lambda: {
        const body = this.field(n, F.body);
        return { k: 'lambda', params: this.params(this.field(n, F.parameters), depth), body: body >= 0 ? this.expr(body, depth) : opaque(span), s: span.s, e: span.e };
      }
      case T.list_splat:
      case T.list_splat_pattern: {
        const v = this.firstNamed(n);
        return { k: 'star', inner: v >= 0 ? this.expr(v, depth) : opaque(span), s: span.s, e: span.e };
      }
      case T.keyword_argument: {
        const v = this.field(n, F.value);
        return v >= 0 ? this.expr(v, depth) : opaque(span);
      }
      case T.comment:
        this.comments.push(span);
        return opaque(span);
      default:
        return this.other(n, depth);
    }
  }

  namedExprs(n: N, depth: number): Expr[] {
    const out: Expr[] = [];
    for (let c = this.child[n]; c >= 0; c = this.next[c]) {
      if (!this.isNamed(c)) continue;
      if (this.k(c) === T.comment) this.comment(c);
      else out.push(this.expr(c, depth));
    }
    return out;
  }

  other(n: N, depth: number): Expr {
    if (this.isErrorOrMissing(n)) this.errors.push(this.span(n));
    return { k: 'other', kids: this.namedExprs(n, depth), s: this.start[n], e: this.end[n] };
  }

  /** ERROR and MISSING children of a statement the lowering does not model. */
  markErrors(n: N): void {
    for (let c = this.child[n]; c >= 0; c = this.next[c]) if (this.isErrorOrMissing(c)) this.errors.push(this.span(c));
  }

  private dotted(n: N): string {
    return this.text(n).replace(/\s+/g, '');
  }

  /** The value of a plain string literal (no interpolation); undefined when it cannot be known. */
  private stringValue(n: N): string | undefined {
    let prefix = '';
    let acc = '';
    for (let c = this.child[n]; c >= 0; c = this.next[c]) {
      const ck = this.k(c);
      if (ck === T.string_start) prefix = this.text(c).replace(/["']+$/, '').toLowerCase();
      else if (ck === T.string_content) acc += this.text(c);
      else if (ck === T.escape_sequence) acc += unescape(this.text(c));
      else if (ck === T.interpolation) return undefined;
    }
    if (prefix.includes('f') || prefix.includes('b')) return prefix.includes('f') ? undefined : acc;
    return acc;
  }
}

/** Python numeric literal → number (ints beyond 2^53 lose precision, as float() would). */
export function parseNumber(raw: string): number | undefined {
  const t = raw.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return undefined; // complex
  if (/^0[xX][0-9a-fA-F]+[lL]?$/.test(t)) return parseInt(t.slice(2).replace(/[lL]$/, ''), 16);
  if (/^0[oO][0-7]+$/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB][01]+$/.test(t)) return parseInt(t.slice(2), 2);
  const v = Number(t.replace(/[lL]$/, ''));
  return Number.isNaN(v) ? undefined : v;
}

const UNESCAPE: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\\\': '\\', "\\'": "'", '\\"': '"', '\\r': '\r', '\\0': '\0' };
function unescape(s: string): string {
  return UNESCAPE[s] ?? s;
}
