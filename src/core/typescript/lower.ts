// Front end: lowers a tree-sitter TypeScript / TSX / JavaScript tree into the analysis model (../ir.ts),
// so TensorFlow.js code feeds the same interpreter and rules as Python.
//
// Conventions (what JavaScript constructs become in the Python-shaped IR):
// - `import * as tf from '@tensorflow/tfjs'`, `import tf from ...`, `const tf = require(...)`,
//   `const tf = await import(...)` → `import tfjs as tf`; named imports and `const {a, b: c} = require(...)`
//   → `from tfjs import a, b as c`. The TF.js packages map to the module `tfjs` (knowledge/tfjs.ts);
//   any other module specifier becomes `npm:<specifier>`, which is never a library root (so
//   `require('torch')` in JavaScript is not PyTorch).
// - A call's last argument, when it is an object literal, becomes keyword arguments
//   (`tf.layers.dense({units: 10, activation: 'softmax'})` ≡ `dense(units=10, activation='softmax')`);
//   a spread (`{...cfg}`) or a computed key becomes a `**` argument, so the config is unknown.
// - Functions (declarations, expressions, arrows) become `def`s: a function expression used inside an
//   expression is hoisted as a `def` named `<fn@offset>` just before the statement, and the expression
//   refers to it by that name. Methods get an implicit first parameter `self`, and `this` is the name
//   `self` (the interpreter's convention for the receiver); `constructor` is `__init__`, and class fields
//   are assignments to `self.<field>` at the start of it. Static methods carry a `staticmethod` decorator.
// - `const {a, b: c} = obj` binds `a = obj.a`, `c = obj.b`; array patterns are tuples.
// - Type annotations are dropped; `x as T`, `x satisfies T`, `<T>x` and `x!` are transparent like
//   parentheses (a `paren` node around x).
// - `null`/`undefined` are `None`; `&&`/`||`/`??` are `and`/`or`; `===`/`!==` are comparisons.
// Half-typed code is normal: ERROR nodes are salvaged, nothing throws on an unexpected shape, and
// nesting deeper than MAX_DEPTH stays opaque.
import type { SyntaxNode } from '../parser';
import type { Arg, Expr, Module, Param, Span, Stmt } from '../ir';
import { tfjsPackages } from '../knowledge';
import { children, firstNamed, named, opaque } from '../syntax';

const MAX_DEPTH = 400;

export type ScriptLanguage = 'typescript' | 'javascript';

export function lowerTypeScript(root: SyntaxNode, language: ScriptLanguage = 'typescript'): Module {
  const l = new Lowerer();
  const body = l.block(root, 0);
  return { body, comments: collectComments(root), errors: l.errors, language };
}

/** The module name a module specifier binds: `tfjs` for TF.js packages, `npm:<spec>` otherwise. */
export function moduleName(specifier: string): string {
  return tfjsPackages[specifier] ?? `npm:${specifier}`;
}

type Assign = Extract<Stmt, { k: 'assign' }>;

class Lowerer {
  errors: Span[] = [];
  /** Function expressions met while lowering the current statement, hoisted before it. */
  private pending: Stmt[] = [];

  // ---- statements -------------------------------------------------------------------------

  block(node: SyntaxNode | null, depth: number): Stmt[] {
    const out: Stmt[] = [];
    if (!node) return out;
    for (const c of children(node)) this.stmtHoisting(c, out, depth + 1);
    return out;
  }

  /** Lower one statement; function expressions inside it are emitted first. */
  stmtHoisting(n: SyntaxNode, out: Stmt[], depth: number): void {
    const saved = this.pending;
    this.pending = [];
    const tmp: Stmt[] = [];
    try {
      this.stmt(n, tmp, depth);
    } finally {
      out.push(...this.pending, ...tmp);
      this.pending = saved;
    }
  }

  /** A statement or a block used as a body: `if (a) b;` and `if (a) { b; }`. */
  body(n: SyntaxNode | null, depth: number): Stmt[] {
    if (!n) return [];
    if (n.type === 'statement_block') return this.block(n, depth);
    const out: Stmt[] = [];
    this.stmtHoisting(n, out, depth + 1);
    return out;
  }

  stmt(n: SyntaxNode, out: Stmt[], depth: number): void {
    const span = { s: n.startIndex, e: n.endIndex };
    if (depth > MAX_DEPTH) {
      this.errors.push(span);
      return;
    }
    if (n.isMissing) {
      this.errors.push(span);
      return;
    }
    switch (n.type) {
      case 'comment':
      case 'hash_bang_line':
      case 'empty_statement':
      case ';':
      case '{':
      case '}':
        return;
      case 'expression_statement': {
        for (const c of named(n)) {
          if (c.type === 'comment') continue;
          this.exprStatement(c, out, depth);
        }
        this.markErrors(n);
        return;
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const c of named(n)) if (c.type === 'variable_declarator') this.declarator(c, out, depth);
        this.markErrors(n);
        return;
      case 'return_statement': {
        const v = firstExpr(n);
        out.push({ k: 'return', value: v ? this.expr(v, depth) : undefined, ...span });
        return;
      }
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'function_signature':
      case 'function_expression':
      case 'generator_function':
      case 'arrow_function': {
        if (n.type === 'function_signature') return; // overload signature: no body
        const name = n.childForFieldName('name');
        out.push(this.def(n, name?.text ?? hiddenName(n), name?.startIndex ?? span.s, depth));
        return;
      }
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class':
        out.push(this.classDef(n, depth));
        return;
      case 'import_statement':
        this.importStatement(n, out);
        return;
      case 'export_statement': {
        const decl = n.childForFieldName('declaration');
        if (decl) {
          this.stmt(decl, out, depth + 1);
          return;
        }
        const value = n.childForFieldName('value');
        if (value) out.push({ k: 'expr', value: this.expr(value, depth), ...span });
        return;
      }
      case 'if_statement': {
        const branches: { test?: Expr; body: Stmt[] }[] = [];
        let cur: SyntaxNode | null = n;
        let guard = 0;
        while (cur && cur.type === 'if_statement' && guard++ < MAX_DEPTH) {
          const cond = cur.childForFieldName('condition');
          branches.push({ test: cond ? this.expr(cond, depth) : undefined, body: this.body(cur.childForFieldName('consequence'), depth) });
          const alt: SyntaxNode | null = cur.childForFieldName('alternative');
          if (!alt) {
            cur = null;
            break;
          }
          const inner = firstStmtChild(alt);
          if (inner && inner.type === 'if_statement') cur = inner;
          else {
            branches.push({ body: inner ? this.body(inner, depth) : [] });
            cur = null;
          }
        }
        out.push({ k: 'if', branches, ...span });
        return;
      }
      case 'switch_statement': {
        const value = n.childForFieldName('value');
        const branches: { test?: Expr; body: Stmt[] }[] = [];
        let hasDefault = false;
        const b = n.childForFieldName('body');
        const subject = value ? this.expr(value, depth) : undefined;
        for (const c of b ? named(b) : []) {
          if (c.type !== 'switch_case' && c.type !== 'switch_default') continue;
          const stmts: Stmt[] = [];
          for (const s of c.childrenForFieldName('body')) if (s) this.stmtHoisting(s, stmts, depth + 1);
          if (c.type === 'switch_default') hasDefault = true;
          const v = c.childForFieldName('value');
          branches.push({ test: v ? this.expr(v, depth) : subject, body: stmts });
        }
        // Cases are alternatives (fallthrough joins conservatively); without `default` none may run.
        if (hasDefault && branches.length) branches[branches.length - 1] = { body: branches[branches.length - 1].body };
        out.push({ k: 'if', branches, ...span });
        return;
      }
      case 'for_in_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        out.push({
          k: 'loop',
          target: left ? this.target(left, depth) : undefined,
          iter: right ? this.expr(right, depth) : undefined,
          body: this.body(n.childForFieldName('body'), depth),
          orelse: [],
          ...span,
        });
        return;
      }
      case 'for_statement': {
        const init = n.childForFieldName('initializer');
        if (init) this.stmtHoisting(init, out, depth + 1);
        const cond = n.childForFieldName('condition');
        const body = this.body(n.childForFieldName('body'), depth);
        const inc = n.childForFieldName('increment');
        if (inc) body.push({ k: 'expr', value: this.expr(inc, depth), s: inc.startIndex, e: inc.endIndex });
        const test = cond && cond.type !== ';' ? condition(cond) : null;
        out.push({ k: 'loop', test: test ? this.expr(test, depth) : undefined, body, orelse: [], ...span });
        return;
      }
      case 'while_statement':
      case 'do_statement': {
        const cond = n.childForFieldName('condition');
        out.push({ k: 'loop', test: cond ? this.expr(cond, depth) : undefined, body: this.body(n.childForFieldName('body'), depth), orelse: [], ...span });
        return;
      }
      case 'try_statement': {
        const handlers: { type?: Expr; name?: string; body: Stmt[] }[] = [];
        const h = n.childForFieldName('handler');
        if (h) {
          const p = h.childForFieldName('parameter');
          handlers.push({ name: p?.type === 'identifier' ? p.text : undefined, body: this.body(h.childForFieldName('body'), depth) });
        }
        const f = n.childForFieldName('finalizer');
        const final = f ? this.body(f.childForFieldName('body'), depth) : [];
        out.push({ k: 'try', body: this.body(n.childForFieldName('body'), depth), handlers, orelse: [], final, ...span });
        return;
      }
      case 'statement_block':
      case 'program':
        out.push(...this.block(n, depth));
        return;
      case 'labeled_statement': {
        const b = n.childForFieldName('body');
        if (b) this.stmt(b, out, depth + 1);
        return;
      }
      case 'internal_module':
      case 'module': {
        // namespace N { ... }: its statements run in order.
        const b = n.childForFieldName('body');
        if (b) out.push(...this.block(b, depth));
        return;
      }
      case 'ambient_declaration':
      case 'interface_declaration':
      case 'type_alias_declaration':
      case 'enum_declaration':
      case 'import_alias':
      case 'debugger_statement':
      case 'break_statement':
      case 'continue_statement':
        return;
      case 'ERROR': {
        this.errors.push(span);
        // Salvage what the parser could make of the broken region: statements and expressions inside.
        for (const c of children(n)) {
          if (isStatementType(c.type)) this.stmtHoisting(c, out, depth + 1);
          else if (c.isNamed && c.type !== 'comment' && isExpressionType(c.type)) this.exprStatement(c, out, depth);
        }
        return;
      }
      default: {
        if (!isStatementType(n.type) && n.isNamed && isExpressionType(n.type)) {
          this.exprStatement(n, out, depth); // `for (i = 0; ...)` initialisers
          return;
        }
        // throw, with, unknown statements: their expressions are still visited.
        this.markErrors(n);
        const exprs: Expr[] = [];
        for (const c of named(n)) {
          if (c.type === 'comment') continue;
          if (isStatementType(c.type)) this.stmtHoisting(c, out, depth + 1);
          else exprs.push(this.expr(c, depth));
        }
        if (exprs.length) out.push({ k: 'other', exprs, ...span });
      }
    }
  }

  /** An expression statement: assignments become `assign`, everything else `expr`. */
  exprStatement(c: SyntaxNode, out: Stmt[], depth: number): void {
    const span = { s: c.startIndex, e: c.endIndex };
    if (c.type === 'assignment_expression' || c.type === 'augmented_assignment_expression') {
      this.assignment(c, out, depth);
      return;
    }
    if (c.type === 'sequence_expression') {
      for (const x of named(c)) if (x.type !== 'comment') this.exprStatement(x, out, depth);
      return;
    }
    out.push({ k: 'expr', value: this.expr(c, depth), ...span });
  }

  assignment(n: SyntaxNode, out: Stmt[], depth: number): void {
    const span = { s: n.startIndex, e: n.endIndex };
    const targets: Expr[] = [];
    let cur: SyntaxNode | null = n;
    let op: string | undefined;
    let guard = 0;
    // a = b = value is nested: assignment(left a, right assignment(left b, right value)).
    while (cur && (cur.type === 'assignment_expression' || cur.type === 'augmented_assignment_expression') && guard++ < MAX_DEPTH) {
      const left = cur.childForFieldName('left');
      if (cur.type === 'augmented_assignment_expression') {
        const o = cur.childForFieldName('operator')?.text;
        // a ||= b, a &&= b, a ??= b: the target may keep its value.
        op = o === '||=' || o === '&&=' || o === '??=' ? '|=' : o;
      }
      const right: SyntaxNode | null = cur.childForFieldName('right');
      if (left && left.type === 'object_pattern' && !op) {
        // ({a, b} = obj): destructuring assignment
        if (targets.length === 0 && right && right.type !== 'assignment_expression') {
          this.objectPattern(left, right, out, depth, span);
          return;
        }
      }
      if (left) targets.push(this.target(left, depth));
      if (!right || (right.type !== 'assignment_expression' && right.type !== 'augmented_assignment_expression')) {
        const value = right ? this.expr(right, depth) : opaque({ s: span.e, e: span.e });
        out.push({ k: 'assign', targets, value, op, ...span });
        return;
      }
      cur = right;
    }
    out.push({ k: 'assign', targets, value: opaque({ s: span.e, e: span.e }), op, ...span });
  }

  declarator(n: SyntaxNode, out: Stmt[], depth: number): void {
    const span = { s: n.startIndex, e: n.endIndex };
    const name = n.childForFieldName('name');
    const value = n.childForFieldName('value');
    if (!name) return;
    if (!value) {
      // `let x;` is undefined
      if (name.type === 'identifier') out.push({ k: 'assign', targets: [this.target(name, depth)], value: { k: 'const', value: 'None', s: span.e, e: span.e }, ...span });
      return;
    }
    const inner = stripTypes(value);
    // const tf = require('@tensorflow/tfjs') / await import(...)
    const spec = requireSpecifier(inner);
    if (spec !== undefined) {
      if (name.type === 'identifier') {
        out.push({ k: 'import', names: [{ module: moduleName(spec), asname: name.text }], ...span });
        return;
      }
      if (name.type === 'object_pattern') {
        const names: { name: string; asname?: string }[] = [];
        for (const p of named(name)) {
          if (p.type === 'shorthand_property_identifier_pattern') names.push({ name: p.text });
          else if (p.type === 'pair_pattern') {
            const k = p.childForFieldName('key');
            const v = p.childForFieldName('value');
            if (k && v && v.type === 'identifier' && isPlainKey(k)) names.push({ name: keyText(k), asname: v.text });
          }
        }
        out.push({ k: 'from', module: moduleName(spec), level: 0, names, ...span });
        return;
      }
    }
    // const f = (x) => ...; const f = function () {...}: a def named after the variable.
    if (name.type === 'identifier' && isFunctionNode(inner)) {
      out.push(this.def(inner, name.text, name.startIndex, depth, span));
      return;
    }
    if (name.type === 'object_pattern') {
      this.objectPattern(name, value, out, depth, span);
      return;
    }
    out.push({ k: 'assign', targets: [this.target(name, depth)], value: this.expr(value, depth), ...span });
  }

  /** `{a, b: c, ...rest} = value`: a = value.a, c = value.b (when the value is a plain name chain). */
  objectPattern(pattern: SyntaxNode, value: SyntaxNode, out: Stmt[], depth: number, span: Span): void {
    const v = this.expr(value, depth);
    const copyable = isNameChain(v);
    if (!copyable) out.push({ k: 'expr', value: v, ...span });
    for (const p of named(pattern)) {
      const ps = { s: p.startIndex, e: p.endIndex };
      let key: string | undefined;
      let target: SyntaxNode | null = null;
      if (p.type === 'shorthand_property_identifier_pattern') {
        key = p.text;
        target = p;
      } else if (p.type === 'pair_pattern') {
        const k = p.childForFieldName('key');
        target = p.childForFieldName('value');
        if (k && isPlainKey(k)) key = keyText(k);
      } else if (p.type === 'object_assignment_pattern') {
        // {a = 1}: a default makes the value unknown
        target = p.childForFieldName('left');
      } else if (p.type === 'rest_pattern') {
        target = firstNamed(p);
      }
      if (!target) continue;
      if (target.type === 'assignment_pattern') {
        target = target.childForFieldName('left');
        key = undefined;
        if (!target) continue;
      }
      const t: Expr = target.type === 'shorthand_property_identifier_pattern' ? { k: 'name', id: target.text, s: target.startIndex, e: target.endIndex } : this.target(target, depth);
      const val: Expr = copyable && key !== undefined ? { k: 'attr', obj: v, attr: key, attrS: ps.s, ...ps } : opaque(ps);
      out.push({ k: 'assign', targets: [t], value: val, ...ps });
    }
  }

  importStatement(n: SyntaxNode, out: Stmt[]): void {
    const span = { s: n.startIndex, e: n.endIndex };
    if (children(n)[1]?.type === 'type') return; // import type {T} from ...
    const src = n.childForFieldName('source');
    const clause = named(n).find((c) => c.type === 'import_clause');
    const req = named(n).find((c) => c.type === 'import_require_clause');
    if (req) {
      // import tf = require('@tensorflow/tfjs')
      const id = named(req).find((c) => c.type === 'identifier');
      const s = named(req).find((c) => c.type === 'string');
      const spec = s ? stringText(s) : undefined;
      if (id && spec !== undefined) out.push({ k: 'import', names: [{ module: moduleName(spec), asname: id.text }], ...span });
      return;
    }
    const spec = src ? stringText(src) : undefined;
    if (!clause || spec === undefined) return;
    const module = moduleName(spec);
    const names: { name: string; asname?: string }[] = [];
    for (const c of named(clause)) {
      if (c.type === 'identifier') out.push({ k: 'import', names: [{ module, asname: c.text }], ...span }); // default import
      else if (c.type === 'namespace_import') {
        const id = named(c).find((x) => x.type === 'identifier');
        if (id) out.push({ k: 'import', names: [{ module, asname: id.text }], ...span });
      } else if (c.type === 'named_imports') {
        for (const s of named(c)) {
          if (s.type !== 'import_specifier') continue;
          if (children(s).some((x) => x.type === 'type')) continue; // import {type T}
          const nm = s.childForFieldName('name');
          const alias = s.childForFieldName('alias');
          if (nm) names.push({ name: nm.type === 'string' ? stringText(nm) ?? nm.text : nm.text, asname: alias?.text });
        }
      }
    }
    if (names.length) out.push({ k: 'from', module, level: 0, names, ...span });
  }

  def(n: SyntaxNode, name: string, nameS: number, depth: number, outer?: Span): Stmt {
    const span = outer ?? { s: n.startIndex, e: n.endIndex };
    const params = this.params(n, depth);
    const b = n.childForFieldName('body');
    let body: Stmt[];
    if (!b) body = [];
    else if (b.type === 'statement_block') body = this.block(b, depth);
    else {
      // x => expr: the expression is returned
      const saved = this.pending;
      this.pending = [];
      const value = this.expr(b, depth);
      body = [...this.pending, { k: 'return', value, s: b.startIndex, e: b.endIndex }];
      this.pending = saved;
    }
    return { k: 'def', name, nameS, params, body, decorators: [], ...span };
  }

  params(n: SyntaxNode, depth: number): Param[] {
    const out: Param[] = [];
    const single = n.childForFieldName('parameter');
    if (single) {
      out.push({ name: single.text, s: single.startIndex, e: single.endIndex });
      return out;
    }
    const ps = n.childForFieldName('parameters');
    if (!ps) return out;
    for (const c of named(ps)) {
      const span = { s: c.startIndex, e: c.endIndex };
      let pattern: SyntaxNode | null = c;
      let def: SyntaxNode | null = null;
      if (c.type === 'required_parameter' || c.type === 'optional_parameter') {
        pattern = c.childForFieldName('pattern');
        def = c.childForFieldName('value');
      } else if (c.type === 'assignment_pattern') {
        pattern = c.childForFieldName('left');
        def = c.childForFieldName('right');
      }
      if (!pattern) continue;
      if (pattern.type === 'this') continue; // function f(this: T)
      const d = def ? this.expr(def, depth) : undefined;
      if (pattern.type === 'identifier') out.push({ name: pattern.text, default: d, ...span });
      else if (pattern.type === 'rest_pattern') out.push({ name: firstNamed(pattern)?.text ?? '', star: '*', ...span });
      else if (pattern.type !== 'comment') out.push({ name: `<param@${span.s}>`, default: d, ...span }); // destructured: unknown
    }
    return out;
  }

  classDef(n: SyntaxNode, depth: number): Stmt {
    const span = { s: n.startIndex, e: n.endIndex };
    const name = n.childForFieldName('name');
    const bases: Arg[] = [];
    const decorators: Expr[] = [];
    for (const c of named(n)) {
      if (c.type === 'class_heritage') {
        for (const h of named(c)) {
          // TS: extends_clause(value); JS: class_heritage holds the expression directly.
          if (h.type === 'extends_clause') {
            const v = h.childForFieldName('value');
            if (v) bases.push({ value: this.expr(v, depth), s: v.startIndex, e: v.endIndex });
          } else if (h.type !== 'implements_clause' && h.type !== 'comment') bases.push({ value: this.expr(h, depth), s: h.startIndex, e: h.endIndex });
        }
      } else if (c.type === 'decorator') {
        const e = firstNamed(c);
        if (e) decorators.push(this.expr(e, depth));
      }
    }
    const body: Stmt[] = [];
    const fields: Assign[] = [];
    let init: Extract<Stmt, { k: 'def' }> | undefined;
    const b = n.childForFieldName('body');
    for (const m of b ? named(b) : []) {
      const ms = { s: m.startIndex, e: m.endIndex };
      if (m.type === 'method_definition' || m.type === 'abstract_method_signature' || m.type === 'method_signature') {
        const nm = m.childForFieldName('name');
        if (!nm || m.type !== 'method_definition') continue;
        const isStatic = children(m).some((x) => x.type === 'static');
        const mname = nm.text === 'constructor' ? '__init__' : nm.text;
        const saved = this.pending;
        this.pending = [];
        const d = this.def(m, mname, nm.startIndex, depth) as Extract<Stmt, { k: 'def' }>;
        body.push(...this.pending);
        this.pending = saved;
        if (isStatic) d.decorators = [{ k: 'name', id: 'staticmethod', s: ms.s, e: ms.s }];
        else d.params.unshift({ name: 'self', s: ms.s, e: ms.s });
        for (const x of named(m)) if (x.type === 'decorator') {
          const e = firstNamed(x);
          if (e) d.decorators.push(this.expr(e, depth));
        }
        if (mname === '__init__' && !isStatic) init = d;
        body.push(d);
      } else if (m.type === 'public_field_definition' || m.type === 'field_definition') {
        const isStatic = children(m).some((x) => x.type === 'static');
        const nm = m.childForFieldName('name') ?? m.childForFieldName('property');
        const v = m.childForFieldName('value');
        if (!nm || !v || isStatic) continue;
        const saved = this.pending;
        this.pending = [];
        const value = isFunctionNode(stripTypes(v)) ? opaque({ s: v.startIndex, e: v.endIndex }) : this.expr(v, depth);
        body.push(...this.pending);
        this.pending = saved;
        const self: Expr = { k: 'name', id: 'self', s: nm.startIndex, e: nm.startIndex };
        fields.push({ k: 'assign', targets: [{ k: 'attr', obj: self, attr: nm.text, attrS: nm.startIndex, s: nm.startIndex, e: nm.endIndex }], value, ...ms });
      } else if (m.type === 'class_static_block') {
        const bb = m.childForFieldName('body');
        if (bb) body.push(...this.block(bb, depth));
      }
    }
    if (fields.length) {
      // Field initialisers run at the start of the constructor.
      if (init) init.body.unshift(...fields);
      else body.unshift({ k: 'def', name: '__init__', nameS: span.s, params: [{ name: 'self', s: span.s, e: span.s }], body: fields, decorators: [], s: span.s, e: span.s });
    }
    return { k: 'class', name: name?.text ?? hiddenName(n), nameS: name?.startIndex ?? span.s, bases, body, decorators, ...span };
  }

  /** Assignment / declaration targets (patterns). */
  target(n: SyntaxNode, depth: number): Expr {
    const span = { s: n.startIndex, e: n.endIndex };
    switch (n.type) {
      case 'array_pattern':
        // [a, , c]: a hole binds nothing but keeps the positions
        return { k: 'list', elts: elements(n, (c) => this.target(c, depth), (s) => opaque(s)), ...span };
      case 'rest_pattern': {
        const v = firstNamed(n);
        return { k: 'star', inner: v ? this.target(v, depth) : opaque(span), ...span };
      }
      case 'assignment_pattern': {
        // [a = 1] = ...: a default makes the value unknown
        const l = n.childForFieldName('left');
        return { k: 'star', inner: l ? this.target(l, depth) : opaque(span), ...span };
      }
      case 'object_pattern': {
        // only in nested patterns (top-level ones are handled by objectPattern): every name unknown
        const elts: Expr[] = [];
        for (const c of named(n)) {
          const t = c.type === 'pair_pattern' ? c.childForFieldName('value') : c.type === 'rest_pattern' ? firstNamed(c) : c;
          if (t && t.type !== 'comment') elts.push(t.type === 'shorthand_property_identifier_pattern' ? { k: 'name', id: t.text, s: t.startIndex, e: t.endIndex } : this.target(t, depth));
        }
        return { k: 'tuple', elts: [...elts, { k: 'star', inner: opaque(span), ...span }], ...span };
      }
      case 'shorthand_property_identifier_pattern':
        return { k: 'name', id: n.text, ...span };
      default:
        return this.expr(n, depth);
    }
  }

  args(n: SyntaxNode, depth: number): Arg[] {
    const out: Arg[] = [];
    const kids = named(n).filter((c) => c.type !== 'comment');
    kids.forEach((c, i) => {
      const span = { s: c.startIndex, e: c.endIndex };
      if (c.type === 'spread_element') {
        const v = firstNamed(c);
        out.push({ star: '*', value: v ? this.expr(v, depth) : opaque(span), ...span });
      } else if (i === kids.length - 1 && c.type === 'object') out.push(...this.configArgs(c, depth));
      else out.push({ value: this.expr(c, depth), ...span });
    });
    return out;
  }

  /** The trailing object literal of a call as keyword arguments (see the conventions at the top). */
  configArgs(n: SyntaxNode, depth: number): Arg[] {
    const out: Arg[] = [];
    for (const c of named(n)) {
      const span = { s: c.startIndex, e: c.endIndex };
      if (c.type === 'pair') {
        const k = c.childForFieldName('key');
        const v = c.childForFieldName('value');
        const value = v ? this.expr(v, depth) : opaque(span);
        if (k && isPlainKey(k)) out.push({ name: keyText(k), value, ...span });
        else out.push({ star: '**', value, ...span }); // computed key
      } else if (c.type === 'shorthand_property_identifier') {
        out.push({ name: c.text, value: { k: 'name', id: c.text, ...span }, ...span });
      } else if (c.type === 'spread_element') {
        const v = firstNamed(c);
        out.push({ star: '**', value: v ? this.expr(v, depth) : opaque(span), ...span });
      } else if (c.type === 'method_definition') {
        const nm = c.childForFieldName('name');
        const fn = this.hoist(c, depth);
        if (nm && isPlainKey(nm)) out.push({ name: keyText(nm), value: fn, ...span });
        else out.push({ star: '**', value: fn, ...span });
      } else if (c.type !== 'comment') out.push({ star: '**', value: this.expr(c, depth), ...span });
    }
    return out;
  }

  /** A function expression inside an expression: a hoisted def, referred to by its hidden name. */
  hoist(n: SyntaxNode, depth: number): Expr {
    const name = hiddenName(n);
    const saved = this.pending;
    this.pending = [];
    const d = this.def(n, name, n.startIndex, depth);
    const inner = this.pending;
    this.pending = saved;
    this.pending.push(...inner, d);
    return { k: 'name', id: name, s: n.startIndex, e: n.endIndex };
  }

  // ---- expressions ------------------------------------------------------------------------

  expr(n: SyntaxNode, depth: number): Expr {
    const span = { s: n.startIndex, e: n.endIndex };
    depth++;
    if (depth > MAX_DEPTH) {
      this.errors.push(span);
      return opaque(span);
    }
    if (n.isMissing) {
      this.errors.push(span);
      return opaque(span);
    }
    switch (n.type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        if (n.text === 'undefined') return { k: 'const', value: 'None', ...span };
        return { k: 'name', id: n.text, ...span };
      case 'this':
        return { k: 'name', id: 'self', ...span };
      case 'null':
      case 'undefined':
        return { k: 'const', value: 'None', ...span };
      case 'true':
        return { k: 'const', value: 'True', ...span };
      case 'false':
        return { k: 'const', value: 'False', ...span };
      case 'member_expression': {
        const obj = n.childForFieldName('object');
        const prop = n.childForFieldName('property');
        if (!obj || !prop) return this.other(n, depth);
        return { k: 'attr', obj: this.expr(obj, depth), attr: prop.text, attrS: prop.startIndex, ...span };
      }
      case 'subscript_expression': {
        const obj = n.childForFieldName('object');
        const idx = n.childForFieldName('index');
        if (!obj) return this.other(n, depth);
        return { k: 'subscript', obj: this.expr(obj, depth), index: idx ? [this.expr(idx, depth)] : [], ...span };
      }
      case 'call_expression':
      case 'new_expression': {
        const fn = n.childForFieldName(n.type === 'new_expression' ? 'constructor' : 'function');
        const a = n.childForFieldName('arguments');
        if (!fn) return this.other(n, depth);
        if (fn.type === 'import') return this.other(n, depth); // import('x') outside a declaration
        if (a && a.type === 'template_string') {
          // tagged template: f`...`
          return { k: 'call', fn: this.expr(fn, depth), args: [{ value: this.expr(a, depth), s: a.startIndex, e: a.endIndex }], argsS: a.startIndex, argsE: a.endIndex, ...span };
        }
        const args = a ? this.args(a, depth) : [];
        return { k: 'call', fn: this.expr(fn, depth), args, argsS: a?.startIndex ?? span.e, argsE: a?.endIndex ?? span.e, ...span };
      }
      case 'binary_expression': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '?';
        if (!left || !right) return this.other(n, depth);
        if (COMPARE.has(op)) return { k: 'compare', ops: [op], operands: [this.expr(left, depth), this.expr(right, depth)], ...span };
        const irOp = op === '&&' ? 'and' : op === '||' || op === '??' ? 'or' : op;
        return { k: 'binop', op: irOp, left: this.expr(left, depth), right: this.expr(right, depth), ...span };
      }
      case 'unary_expression': {
        const arg = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.text ?? '?';
        if (!arg) return this.other(n, depth);
        return { k: 'unary', op: op === '!' ? 'not' : op, operand: this.expr(arg, depth), ...span };
      }
      case 'ternary_expression': {
        const c = n.childForFieldName('condition');
        const t = n.childForFieldName('consequence');
        const f = n.childForFieldName('alternative');
        if (!c || !t || !f) return this.other(n, depth);
        return { k: 'ifexp', test: this.expr(c, depth), body: this.expr(t, depth), orelse: this.expr(f, depth), ...span };
      }
      case 'parenthesized_expression': {
        const inner = named(n).filter((c) => c.type !== 'comment' && !isTypeNode(c.type));
        if (inner.length !== 1) return this.other(n, depth);
        return { k: 'paren', inner: this.expr(inner[0], depth), ...span };
      }
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression':
      case 'type_assertion': {
        // x as T, x satisfies T, x!, <T>x: transparent like parentheses (a fix that copies it keeps it)
        const inner = named(n).find((c) => c.type !== 'comment' && !isTypeNode(c.type));
        return inner ? { k: 'paren', inner: this.expr(inner, depth), ...span } : opaque(span);
      }
      case 'await_expression': {
        const inner = firstNamed(n);
        return { k: 'other', kids: inner ? [this.expr(inner, depth)] : [], ...span };
      }
      case 'number': {
        const v = parseJsNumber(n.text);
        if (v === undefined) return { k: 'other', kids: [], text: n.text, ...span };
        return { k: 'num', value: v, isFloat: /[.eE]/.test(n.text) && !/^0[xX]/.test(n.text), raw: n.text, ...span };
      }
      case 'string': {
        const v = stringText(n);
        return v === undefined ? this.other(n, depth) : { k: 'str', value: v, ...span };
      }
      case 'template_string': {
        if (named(n).some((c) => c.type === 'template_substitution')) return this.other(n, depth);
        let acc = '';
        for (const c of named(n)) acc += c.type === 'escape_sequence' ? unescape(c.text) : c.text;
        return { k: 'str', value: acc, ...span };
      }
      case 'array': {
        const elts = elements(
          n,
          (c) => {
            if (c.type !== 'spread_element') return this.expr(c, depth);
            const v = firstNamed(c);
            return { k: 'star', inner: v ? this.expr(v, depth) : opaque(span), s: c.startIndex, e: c.endIndex };
          },
          (s) => ({ k: 'const', value: 'None', ...s }), // [1, , 3]: a hole is undefined
        );
        return { k: 'list', elts, ...span };
      }
      case 'object': {
        const keys: (Expr | null)[] = [];
        const values: Expr[] = [];
        for (const a of this.configArgs(n, depth)) {
          keys.push(a.name !== undefined ? { k: 'str', value: a.name, s: a.s, e: a.s } : null);
          values.push(a.value);
        }
        return { k: 'dict', keys, values, ...span };
      }
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'generator_function':
        return this.hoist(n, depth);
      case 'class':
        this.pending.push(this.classDef(n, depth));
        return opaque(span);
      case 'assignment_expression':
      case 'augmented_assignment_expression': {
        // an assignment inside an expression: the targets are rebound to something unknown
        const stmts: Stmt[] = [];
        this.assignment(n, stmts, depth);
        const kids: Expr[] = [];
        for (const s of stmts) if (s.k === 'assign') kids.push(s.value);
        for (const s of stmts) if (s.k === 'assign') this.pending.push({ ...s, value: opaque({ s: s.value.s, e: s.value.e }) });
        return { k: 'other', kids, ...span };
      }
      case 'comment':
        return opaque(span);
      default:
        return this.other(n, depth);
    }
  }

  other(n: SyntaxNode, depth: number): Expr {
    if (n.type === 'ERROR' || n.isMissing) this.errors.push({ s: n.startIndex, e: n.endIndex });
    const kids: Expr[] = [];
    for (const c of named(n)) if (c.type !== 'comment' && !isTypeNode(c.type)) kids.push(this.expr(c, depth));
    return { k: 'other', kids, s: n.startIndex, e: n.endIndex };
  }

  markErrors(n: SyntaxNode): void {
    for (const c of children(n)) if (c.type === 'ERROR' || c.isMissing) this.errors.push({ s: c.startIndex, e: c.endIndex });
  }
}

// ---- helpers ----------------------------------------------------------------------------------

const COMPARE = new Set(['<', '>', '<=', '>=', '==', '!=', '===', '!==', 'instanceof', 'in']);

/** The elements of an array or array pattern, with holes (`[a, , c]`) in place. */
function elements(n: SyntaxNode, element: (c: SyntaxNode) => Expr, hole: (s: Span) => Expr): Expr[] {
  const out: Expr[] = [];
  let filled = false;
  for (const c of children(n)) {
    if (c.type === ',') {
      if (!filled) out.push(hole({ s: c.startIndex, e: c.startIndex }));
      filled = false;
    } else if (c.isNamed && c.type !== 'comment') {
      out.push(element(c));
      filled = true;
    }
  }
  return out;
}

function hiddenName(n: SyntaxNode): string {
  return `<fn@${n.startIndex}>`;
}

function isFunctionNode(n: SyntaxNode): boolean {
  return n.type === 'arrow_function' || n.type === 'function_expression' || n.type === 'function' || n.type === 'generator_function';
}

/** Strip `as T`, `!`, `satisfies T` and parentheses around a value. */
function stripTypes(n: SyntaxNode): SyntaxNode {
  let cur = n;
  for (let i = 0; i < MAX_DEPTH; i++) {
    if (cur.type === 'as_expression' || cur.type === 'satisfies_expression' || cur.type === 'non_null_expression' || cur.type === 'type_assertion' || cur.type === 'parenthesized_expression') {
      const inner = named(cur).find((c) => c.type !== 'comment' && !isTypeNode(c.type));
      if (!inner) return cur;
      cur = inner;
    } else return cur;
  }
  return cur;
}

/** `require('x')`, `await import('x')`, `import('x')`: the specifier. */
function requireSpecifier(n: SyntaxNode): string | undefined {
  let c = n;
  if (c.type === 'await_expression') {
    const inner = firstNamed(c);
    if (!inner) return undefined;
    c = stripTypes(inner);
  }
  if (c.type !== 'call_expression') return undefined;
  const fn = c.childForFieldName('function');
  const a = c.childForFieldName('arguments');
  if (!fn || !a || !((fn.type === 'identifier' && fn.text === 'require') || fn.type === 'import')) return undefined;
  const args = named(a).filter((x) => x.type !== 'comment');
  if (args.length !== 1 || args[0].type !== 'string') return undefined;
  return stringText(args[0]);
}

function isNameChain(e: Expr): boolean {
  if (e.k === 'name') return true;
  if (e.k === 'attr') return isNameChain(e.obj);
  return false;
}

function isPlainKey(k: SyntaxNode): boolean {
  return k.type === 'property_identifier' || k.type === 'identifier' || k.type === 'string' || k.type === 'number';
}

function keyText(k: SyntaxNode): string {
  return k.type === 'string' ? stringText(k) ?? k.text : k.text;
}

function condition(n: SyntaxNode): SyntaxNode | null {
  // for (...; cond; ...): the condition field may be an expression statement
  if (n.type === 'expression_statement') return firstNamed(n);
  return n;
}

function firstStmtChild(n: SyntaxNode): SyntaxNode | null {
  for (const c of named(n)) if (c.type !== 'comment') return c;
  return null;
}

function firstExpr(n: SyntaxNode): SyntaxNode | null {
  for (const c of named(n)) if (c.type !== 'comment') return c;
  return null;
}

function isTypeNode(t: string): boolean {
  return t.endsWith('_type') || t === 'type_annotation' || t === 'type_arguments' || t === 'type_identifier' || t === 'predefined_type' || t === 'type_parameters';
}

const STATEMENT_TYPES = new Set([
  'expression_statement', 'lexical_declaration', 'variable_declaration', 'return_statement', 'function_declaration',
  'generator_function_declaration', 'class_declaration', 'abstract_class_declaration', 'import_statement',
  'export_statement', 'if_statement', 'switch_statement', 'for_statement', 'for_in_statement', 'while_statement',
  'do_statement', 'try_statement', 'statement_block', 'labeled_statement', 'throw_statement', 'break_statement',
  'continue_statement', 'empty_statement', 'debugger_statement', 'with_statement', 'interface_declaration',
  'type_alias_declaration', 'enum_declaration', 'ambient_declaration', 'internal_module', 'function_signature',
]);

function isStatementType(t: string): boolean {
  return STATEMENT_TYPES.has(t);
}

const NON_EXPRESSION = new Set(['comment', 'ERROR', 'arguments', 'formal_parameters', 'statement_block', 'type_annotation']);
function isExpressionType(t: string): boolean {
  return !NON_EXPRESSION.has(t) && !t.endsWith('_clause') && !isTypeNode(t);
}

/** JavaScript numeric literal → number; undefined for BigInt (`10n`) and malformed literals. */
export function parseJsNumber(raw: string): number | undefined {
  const t = raw.replace(/_/g, '');
  if (/n$/.test(t)) return undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[oO][0-7]+$/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB][01]+$/.test(t)) return parseInt(t.slice(2), 2);
  if (/^0[0-7]+$/.test(t)) return parseInt(t.slice(1), 8); // legacy octal
  const v = Number(t);
  return Number.isNaN(v) ? undefined : v;
}

/** The value of a string literal node ('...' or "..."); undefined when it cannot be known. */
function stringText(n: SyntaxNode): string | undefined {
  if (n.type !== 'string') return undefined;
  let acc = '';
  for (const c of named(n)) {
    if (c.type === 'string_fragment') acc += c.text;
    else if (c.type === 'escape_sequence') acc += unescape(c.text);
    else if (c.type === 'html_character_reference') return undefined;
  }
  return acc;
}

function unescape(s: string): string {
  const m: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\\\': '\\', "\\'": "'", '\\"': '"', '\\r': '\r', '\\0': '\0', '\\`': '`', '\\$': '$' };
  return m[s] ?? s.slice(1);
}

/** Every comment node of the tree (iteratively: no recursion on deep trees), sorted. */
export function collectComments(root: SyntaxNode): Span[] {
  const out: Span[] = [];
  const cursor = root.walk();
  try {
    let done = false;
    while (!done) {
      // the cursor's own getters: no Node objects are marshalled for the walk
      const type = cursor.nodeType;
      if (type === 'comment' || type === 'html_comment') out.push({ s: cursor.startIndex, e: cursor.endIndex });
      else if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
      }
    }
  } finally {
    cursor.delete();
  }
  return out;
}
