// The Python lowering as it was before the cursor-based rewrite (commit de6114b), kept only so tests
// and scripts/ir-equivalence.mjs can prove the new src/core/python/lower.ts produces an identical IR.
// Do not use outside tests; do not change (it is the reference). One change since: the module's comments
// are every comment node of the tree in source order (as lowerPython gives them since the direct front
// end, src/core/python/direct.ts), not the ones the walk happened to visit. And a second: a backslash
// line continuation is nothing in the IR (`f(a, \ b)` had three arguments, `return \ x` returned the
// continuation, `a, \ b` was a 3-tuple), as in lowerPython: `children`/`named` (src/core/syntax.ts)
// leave continuations out, and the argument list and first-named-child skips below are what is left
// of the first version of that change.
import type { SyntaxNode } from '../../src/core/parser';
import type { Arg, Expr, Module, Param, Span, Stmt } from '../../src/core/ir';
import { children, firstNamed, named, opaque } from '../../src/core/syntax';

const MAX_DEPTH = 400;

export function lowerPythonReference(root: SyntaxNode): Module {
  const l = new Lowerer();
  const body = l.block(root, 0);
  return { body, comments: everyComment(root), errors: l.errors };
}

function everyComment(root: SyntaxNode): Span[] {
  const out: Span[] = [];
  const c = root.walk();
  for (;;) {
    if (c.nodeType === 'comment') out.push({ s: c.startIndex, e: c.endIndex });
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
  }
}

class Lowerer {
  comments: Span[] = [];
  errors: Span[] = [];

  // ---- statements -------------------------------------------------------------------------

  block(node: SyntaxNode | null, depth: number): Stmt[] {
    const out: Stmt[] = [];
    if (!node) return out;
    const n = node.childCount;
    for (let i = 0; i < n; i++) {
      const c = node.child(i);
      if (c) this.stmt(c, out, depth + 1);
    }
    return out;
  }

  stmt(n: SyntaxNode, out: Stmt[], depth: number): void {
    const span = { s: n.startIndex, e: n.endIndex };
    if (depth > MAX_DEPTH) {
      this.errors.push(span);
      return;
    }
    switch (n.type) {
      case 'comment':
        this.comments.push(span);
        return;
      case 'expression_statement': {
        const kids = named(n);
        for (const c of kids) {
          if (c.type === 'comment') {
            this.comments.push({ s: c.startIndex, e: c.endIndex });
            continue;
          }
          if (c.type === 'assignment' || c.type === 'augmented_assignment') out.push(this.assignment(c, depth));
          else out.push({ k: 'expr', value: this.expr(c, depth), ...span });
        }
        return;
      }
      case 'return_statement': {
        const v = firstNamed(n);
        out.push({ k: 'return', value: v ? this.exprList(v, n, depth) : undefined, ...span });
        return;
      }
      case 'decorated_definition': {
        const decorators: Expr[] = [];
        for (const c of named(n)) {
          if (c.type === 'decorator') {
            const e = firstNamed(c);
            if (e) decorators.push(this.expr(e, depth));
          } else if (c.type === 'comment') this.comments.push({ s: c.startIndex, e: c.endIndex });
        }
        const def = n.childForFieldName('definition');
        if (def) {
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
      case 'function_definition': {
        const name = n.childForFieldName('name');
        out.push({
          k: 'def',
          name: name?.text ?? '',
          nameS: name?.startIndex ?? span.s,
          params: this.params(n.childForFieldName('parameters'), depth),
          body: this.block(n.childForFieldName('body'), depth),
          decorators: [],
          ...span,
        });
        return;
      }
      case 'class_definition': {
        const name = n.childForFieldName('name');
        const sup = n.childForFieldName('superclasses');
        out.push({
          k: 'class',
          name: name?.text ?? '',
          nameS: name?.startIndex ?? span.s,
          bases: sup ? this.args(sup, depth) : [],
          body: this.block(n.childForFieldName('body'), depth),
          decorators: [],
          ...span,
        });
        return;
      }
      case 'import_statement': {
        const names: { module: string; asname?: string }[] = [];
        for (const c of named(n)) {
          if (c.type === 'dotted_name') names.push({ module: dotted(c) });
          else if (c.type === 'aliased_import') {
            const m = c.childForFieldName('name');
            const a = c.childForFieldName('alias');
            if (m) names.push({ module: dotted(m), asname: a?.text });
          }
        }
        out.push({ k: 'import', names, ...span });
        return;
      }
      case 'import_from_statement': {
        const mod = n.childForFieldName('module_name');
        let module = '';
        let level = 0;
        if (mod?.type === 'relative_import') {
          for (const c of children(mod)) {
            if (c.type === 'import_prefix') level = c.text.length;
            else if (c.type === 'dotted_name') module = dotted(c);
          }
        } else if (mod) module = dotted(mod);
        let names: { name: string; asname?: string }[] | '*' = [];
        for (const c of named(n)) {
          if (c === mod || c.equals?.(mod as SyntaxNode)) continue;
          if (c.startIndex === mod?.startIndex) continue;
          if (c.type === 'wildcard_import') names = '*';
          else if (c.type === 'dotted_name' && names !== '*') names.push({ name: dotted(c) });
          else if (c.type === 'aliased_import' && names !== '*') {
            const m = c.childForFieldName('name');
            const a = c.childForFieldName('alias');
            if (m) names.push({ name: dotted(m), asname: a?.text });
          }
        }
        out.push({ k: 'from', module, level, names, ...span });
        return;
      }
      case 'future_import_statement':
        return;
      case 'if_statement': {
        const branches: { test?: Expr; body: Stmt[] }[] = [];
        const cond = n.childForFieldName('condition');
        branches.push({ test: cond ? this.expr(cond, depth) : undefined, body: this.block(n.childForFieldName('consequence'), depth) });
        for (const c of named(n)) {
          if (c.type === 'elif_clause') {
            const t = c.childForFieldName('condition');
            branches.push({ test: t ? this.expr(t, depth) : undefined, body: this.block(c.childForFieldName('consequence'), depth) });
          } else if (c.type === 'else_clause') {
            branches.push({ body: this.block(c.childForFieldName('body'), depth) });
          } else if (c.type === 'comment') this.comments.push({ s: c.startIndex, e: c.endIndex });
        }
        out.push({ k: 'if', branches, ...span });
        return;
      }
      case 'for_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const alt = n.childForFieldName('alternative');
        out.push({
          k: 'loop',
          target: left ? this.expr(left, depth) : undefined,
          iter: right ? this.exprList(right, n, depth) : undefined,
          body: this.block(n.childForFieldName('body'), depth),
          orelse: alt ? this.block(alt.childForFieldName('body'), depth) : [],
          ...span,
        });
        return;
      }
      case 'while_statement': {
        const cond = n.childForFieldName('condition');
        const alt = n.childForFieldName('alternative');
        out.push({
          k: 'loop',
          test: cond ? this.expr(cond, depth) : undefined,
          body: this.block(n.childForFieldName('body'), depth),
          orelse: alt ? this.block(alt.childForFieldName('body'), depth) : [],
          ...span,
        });
        return;
      }
      case 'with_statement': {
        const items: { expr: Expr; target?: Expr }[] = [];
        for (const c of named(n)) {
          if (c.type !== 'with_clause') continue;
          for (const item of named(c)) {
            if (item.type !== 'with_item') continue;
            const v = item.childForFieldName('value');
            if (!v) continue;
            if (v.type === 'as_pattern') {
              const inner = firstNamed(v);
              const alias = v.childForFieldName('alias');
              const target = alias ? firstNamed(alias) ?? alias : undefined;
              if (inner) items.push({ expr: this.expr(inner, depth), target: target ? this.expr(target, depth) : undefined });
            } else items.push({ expr: this.expr(v, depth) });
          }
        }
        out.push({ k: 'with', items, body: this.block(n.childForFieldName('body'), depth), ...span });
        return;
      }
      case 'try_statement': {
        const handlers: { type?: Expr; name?: string; body: Stmt[] }[] = [];
        let orelse: Stmt[] = [];
        let final: Stmt[] = [];
        for (const c of named(n)) {
          if (c.type === 'except_clause' || c.type === 'except_group_clause') {
            let type: Expr | undefined;
            let name: string | undefined;
            let body: Stmt[] = [];
            for (const d of named(c)) {
              if (d.type === 'block') body = this.block(d, depth);
              else if (d.type === 'as_pattern') {
                const inner = firstNamed(d);
                if (inner) type = this.expr(inner, depth);
                const alias = d.childForFieldName('alias');
                name = alias?.text;
              } else if (d.type === 'comment') this.comments.push({ s: d.startIndex, e: d.endIndex });
              else if (!type) type = this.expr(d, depth);
            }
            handlers.push({ type, name, body });
          } else if (c.type === 'else_clause') orelse = this.block(c.childForFieldName('body'), depth);
          else if (c.type === 'finally_clause') {
            const b = named(c).find((d) => d.type === 'block');
            final = this.block(b ?? null, depth);
          } else if (c.type === 'comment') this.comments.push({ s: c.startIndex, e: c.endIndex });
        }
        out.push({ k: 'try', body: this.block(n.childForFieldName('body'), depth), handlers, orelse, final, ...span });
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        out.push({ k: 'other', exprs: [], names: named(n).map((c) => c.text), global: n.type === 'global_statement', ...span });
        return;
      case 'ERROR': {
        this.errors.push(span);
        // Salvage what the parser could make of the broken region: statements and expressions inside.
        for (const c of children(n)) {
          if (isStatementType(c.type)) this.stmt(c, out, depth + 1);
          else if (c.type === 'comment') this.comments.push({ s: c.startIndex, e: c.endIndex });
          else if (c.isNamed && isExpressionType(c.type)) out.push({ k: 'expr', value: this.expr(c, depth), s: c.startIndex, e: c.endIndex });
        }
        return;
      }
      case 'block':
      case 'module':
        out.push(...this.block(n, depth));
        return;
      default: {
        if (n.hasError) this.markErrors(n);
        const exprs: Expr[] = [];
        for (const c of named(n)) {
          if (c.type === 'comment') this.comments.push({ s: c.startIndex, e: c.endIndex });
          else if (c.type === 'block') out.push(...this.block(c, depth));
          else if (isStatementType(c.type)) this.stmt(c, out, depth + 1);
          else exprs.push(this.expr(c, depth));
        }
        if (exprs.length) out.push({ k: 'other', exprs, ...span });
      }
    }
  }

  assignment(n: SyntaxNode, depth: number): Stmt {
    const span = { s: n.startIndex, e: n.endIndex };
    const targets: Expr[] = [];
    let cur: SyntaxNode | null = n;
    let op: string | undefined;
    // a = b = value is nested: assignment(left a, right assignment(left b, right value)).
    while (cur && (cur.type === 'assignment' || cur.type === 'augmented_assignment')) {
      const left = cur.childForFieldName('left');
      if (left) targets.push(this.expr(left, depth));
      if (cur.type === 'augmented_assignment') op = cur.childForFieldName('operator')?.text;
      const right: SyntaxNode | null = cur.childForFieldName('right');
      if (!right || (right.type !== 'assignment' && right.type !== 'augmented_assignment')) {
        const value = right ? this.exprList(right, cur, depth) : ({ k: 'other', kids: [], s: span.e, e: span.e } as Expr);
        return { k: 'assign', targets, value, op, ...span };
      }
      cur = right;
    }
    return { k: 'assign', targets, value: { k: 'other', kids: [], s: span.e, e: span.e }, op, ...span };
  }

  params(n: SyntaxNode | null, depth: number): Param[] {
    const out: Param[] = [];
    if (!n) return out;
    for (const c of named(n)) {
      const span = { s: c.startIndex, e: c.endIndex };
      switch (c.type) {
        case 'identifier':
          out.push({ name: c.text, ...span });
          break;
        case 'typed_parameter': {
          const id = firstNamed(c);
          if (id?.type === 'identifier') out.push({ name: id.text, ...span });
          else if (id?.type === 'list_splat_pattern') out.push({ name: firstNamed(id)?.text ?? '', star: '*', ...span });
          else if (id?.type === 'dictionary_splat_pattern') out.push({ name: firstNamed(id)?.text ?? '', star: '**', ...span });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = c.childForFieldName('name');
          const value = c.childForFieldName('value');
          out.push({ name: name?.text ?? '', default: value ? this.expr(value, depth) : undefined, ...span });
          break;
        }
        case 'list_splat_pattern':
          out.push({ name: firstNamed(c)?.text ?? '', star: '*', ...span });
          break;
        case 'dictionary_splat_pattern':
          out.push({ name: firstNamed(c)?.text ?? '', star: '**', ...span });
          break;
        default:
          break;
      }
    }
    return out;
  }

  args(n: SyntaxNode, depth: number): Arg[] {
    const out: Arg[] = [];
    for (const c of named(n)) {
      const span = { s: c.startIndex, e: c.endIndex };
      if (c.type === 'comment') {
        this.comments.push(span);
        continue;
      }
      if (c.type === 'line_continuation') continue;
      if (c.type === 'keyword_argument') {
        const name = c.childForFieldName('name');
        const value = c.childForFieldName('value');
        out.push({ name: name?.text ?? '', value: value ? this.expr(value, depth) : opaque(span), ...span });
      } else if (c.type === 'list_splat') {
        const v = firstNamed(c);
        out.push({ star: '*', value: v ? this.expr(v, depth) : opaque(span), ...span });
      } else if (c.type === 'dictionary_splat') {
        const v = firstNamed(c);
        out.push({ star: '**', value: v ? this.expr(v, depth) : opaque(span), ...span });
      } else out.push({ value: this.expr(c, depth), ...span });
    }
    return out;
  }

  // ---- expressions ------------------------------------------------------------------------

  /** `return a, b` / `x = a, b`: an expression_list is a tuple. */
  exprList(n: SyntaxNode, _parent: SyntaxNode, depth: number): Expr {
    return this.expr(n, depth);
  }

  expr(n: SyntaxNode, depth: number): Expr {
    const span = { s: n.startIndex, e: n.endIndex };
    depth++;
    if (depth > MAX_DEPTH) {
      this.errors.push(span);
      return opaque(span);
    }
    switch (n.type) {
      case 'identifier':
        return { k: 'name', id: n.text, ...span };
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const attr = n.childForFieldName('attribute');
        if (!obj || !attr) return this.other(n, depth);
        return { k: 'attr', obj: this.expr(obj, depth), attr: attr.text, attrS: attr.startIndex, ...span };
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        const a = n.childForFieldName('arguments');
        if (!fn) return this.other(n, depth);
        if (a && a.type === 'argument_list') {
          return { k: 'call', fn: this.expr(fn, depth), args: this.args(a, depth), argsS: a.startIndex, argsE: a.endIndex, ...span };
        }
        // f(x for x in y)
        const args: Arg[] = a ? [{ value: this.expr(a, depth), s: a.startIndex, e: a.endIndex }] : [];
        return { k: 'call', fn: this.expr(fn, depth), args, argsS: a?.startIndex ?? span.e, argsE: a?.endIndex ?? span.e, ...span };
      }
      case 'subscript': {
        const value = n.childForFieldName('value');
        if (!value) return this.other(n, depth);
        const index = n.childrenForFieldName('subscript').filter((c): c is SyntaxNode => !!c).map((c) => this.expr(c, depth));
        return { k: 'subscript', obj: this.expr(value, depth), index, ...span };
      }
      case 'slice': {
        // children: [lower] ':' [upper] [':' [step]]
        const parts: (Expr | undefined)[] = [undefined];
        for (const c of children(n)) {
          if (c.type === ':') parts.push(undefined);
          else if (c.isNamed && c.type !== 'comment') parts[parts.length - 1] = this.expr(c, depth);
        }
        return { k: 'slice', lower: parts[0], upper: parts[1], step: parts[2], ...span };
      }
      case 'binary_operator':
      case 'boolean_operator': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '?';
        if (!left || !right) return this.other(n, depth);
        return { k: 'binop', op, left: this.expr(left, depth), right: this.expr(right, depth), ...span };
      }
      case 'unary_operator': {
        const arg = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.text ?? '?';
        if (!arg) return this.other(n, depth);
        return { k: 'unary', op, operand: this.expr(arg, depth), ...span };
      }
      case 'not_operator': {
        const arg = n.childForFieldName('argument');
        if (!arg) return this.other(n, depth);
        return { k: 'unary', op: 'not', operand: this.expr(arg, depth), ...span };
      }
      case 'comparison_operator': {
        const operands: Expr[] = [];
        const ops: string[] = [];
        for (const c of children(n)) {
          if (c.isNamed && c.type !== 'comment') operands.push(this.expr(c, depth));
          else if (!c.isNamed) ops.push(c.text);
        }
        return { k: 'compare', ops, operands, ...span };
      }
      case 'integer':
      case 'float': {
        const raw = n.text;
        const value = parseNumber(raw);
        if (value === undefined) return { k: 'other', kids: [], text: raw, ...span };
        return { k: 'num', value, isFloat: n.type === 'float', raw, ...span };
      }
      case 'string': {
        const v = stringValue(n);
        if (v === undefined) return this.other(n, depth);
        return { k: 'str', value: v, ...span };
      }
      case 'concatenated_string': {
        let acc = '';
        for (const c of named(n)) {
          const v = c.type === 'string' ? stringValue(c) : undefined;
          if (v === undefined) return this.other(n, depth);
          acc += v;
        }
        return { k: 'str', value: acc, ...span };
      }
      case 'true':
        return { k: 'const', value: 'True', ...span };
      case 'false':
        return { k: 'const', value: 'False', ...span };
      case 'none':
        return { k: 'const', value: 'None', ...span };
      case 'ellipsis':
        return { k: 'const', value: 'Ellipsis', ...span };
      case 'list':
      case 'set':
      case 'tuple':
      case 'expression_list':
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern': {
        const k = n.type === 'list' || n.type === 'list_pattern' ? 'list' : n.type === 'set' ? 'set' : 'tuple';
        return { k, elts: this.namedExprs(n, depth), ...span };
      }
      case 'dictionary': {
        const keys: (Expr | null)[] = [];
        const values: Expr[] = [];
        for (const c of named(n)) {
          if (c.type === 'pair') {
            const key = c.childForFieldName('key');
            const value = c.childForFieldName('value');
            keys.push(key ? this.expr(key, depth) : null);
            values.push(value ? this.expr(value, depth) : opaque(span));
          } else if (c.type === 'dictionary_splat') {
            const v = firstNamed(c);
            keys.push(null);
            values.push(v ? this.expr(v, depth) : opaque(span));
          } else if (c.type === 'comment') this.comments.push({ s: c.startIndex, e: c.endIndex });
        }
        return { k: 'dict', keys, values, ...span };
      }
      case 'parenthesized_expression': {
        const inner = named(n).filter((c) => c.type !== 'comment');
        for (const c of named(n)) if (c.type === 'comment') this.comments.push({ s: c.startIndex, e: c.endIndex });
        if (inner.length !== 1) return this.other(n, depth);
        return { k: 'paren', inner: this.expr(inner[0], depth), ...span };
      }
      case 'conditional_expression': {
        const parts = named(n).filter((c) => c.type !== 'comment');
        if (parts.length !== 3) return this.other(n, depth);
        return { k: 'ifexp', body: this.expr(parts[0], depth), test: this.expr(parts[1], depth), orelse: this.expr(parts[2], depth), ...span };
      }
      case 'lambda': {
        const body = n.childForFieldName('body');
        return { k: 'lambda', params: this.params(n.childForFieldName('parameters'), depth), body: body ? this.expr(body, depth) : opaque(span), ...span };
      }
      case 'list_splat':
      case 'list_splat_pattern': {
        const v = firstNamed(n);
        return { k: 'star', inner: v ? this.expr(v, depth) : opaque(span), ...span };
      }
      case 'keyword_argument': {
        const v = n.childForFieldName('value');
        return v ? this.expr(v, depth) : opaque(span);
      }
      case 'comment':
        this.comments.push(span);
        return opaque(span);
      default:
        return this.other(n, depth);
    }
  }

  namedExprs(n: SyntaxNode, depth: number): Expr[] {
    const out: Expr[] = [];
    for (const c of named(n)) {
      if (c.type === 'comment') this.comments.push({ s: c.startIndex, e: c.endIndex });
      else out.push(this.expr(c, depth));
    }
    return out;
  }

  other(n: SyntaxNode, depth: number): Expr {
    if (n.type === 'ERROR' || n.isMissing) this.errors.push({ s: n.startIndex, e: n.endIndex });
    return { k: 'other', kids: this.namedExprs(n, depth), ...{ s: n.startIndex, e: n.endIndex } };
  }

  markErrors(n: SyntaxNode): void {
    for (const c of children(n)) {
      if (c.type === 'ERROR' || c.isMissing) this.errors.push({ s: c.startIndex, e: c.endIndex });
    }
  }
}

function dotted(n: SyntaxNode): string {
  return n.text.replace(/\s+/g, '');
}

const STATEMENT_TYPES = new Set([
  'expression_statement', 'return_statement', 'decorated_definition', 'function_definition', 'class_definition',
  'import_statement', 'import_from_statement', 'if_statement', 'for_statement', 'while_statement', 'with_statement',
  'try_statement', 'global_statement', 'nonlocal_statement', 'pass_statement', 'break_statement',
  'continue_statement', 'delete_statement', 'raise_statement', 'assert_statement', 'print_statement',
  'exec_statement', 'match_statement', 'type_alias_statement', 'future_import_statement',
]);

function isStatementType(t: string): boolean {
  return STATEMENT_TYPES.has(t);
}

const NON_EXPRESSION = new Set(['block', 'comment', 'ERROR', 'keyword_argument', 'argument_list', 'parameters']);
function isExpressionType(t: string): boolean {
  return !NON_EXPRESSION.has(t) && !t.endsWith('_clause');
}

/** Python numeric literal → number (ints beyond 2^53 lose precision, as float() would). */
function parseNumber(raw: string): number | undefined {
  const t = raw.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return undefined; // complex
  if (/^0[xX][0-9a-fA-F]+[lL]?$/.test(t)) return parseInt(t.slice(2).replace(/[lL]$/, ''), 16);
  if (/^0[oO][0-7]+$/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB][01]+$/.test(t)) return parseInt(t.slice(2), 2);
  const v = Number(t.replace(/[lL]$/, ''));
  return Number.isNaN(v) ? undefined : v;
}

/** The value of a plain string literal (no interpolation); undefined when it cannot be known. */
function stringValue(n: SyntaxNode): string | undefined {
  let prefix = '';
  let acc = '';
  for (const c of children(n)) {
    if (c.type === 'string_start') prefix = c.text.replace(/["']+$/, '').toLowerCase();
    else if (c.type === 'string_content') acc += c.text;
    else if (c.type === 'escape_sequence') acc += unescape(c.text);
    else if (c.type === 'interpolation') return undefined;
  }
  if (prefix.includes('f') || prefix.includes('b')) return prefix.includes('f') ? undefined : acc;
  return acc;
}

function unescape(s: string): string {
  const m: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\\\': '\\', "\\'": "'", '\\"': '"', '\\r': '\r', '\\0': '\0' };
  return m[s] ?? s;
}
