// A second Python front end: text → IR (../ir.ts) with a hand-written lexer and a recursive-descent
// parser, without tree-sitter. It produces exactly the `Module` that `lowerPython(parse(text))`
// produces (./lower.ts: same statements and expressions, UTF-16 spans, `other` nodes with the kids
// tree-sitter-python's named children give, every comment, no errors), or `undefined` when the text
// holds anything it does not model with certainty: a syntax error, Python 2 syntax, `match` and
// `type` statements (and `type`/`match` names where tree-sitter might read one), a star expression
// with an operator after it in brackets, raw f-string content made only of backslash pairs, a line
// continuation where tree-sitter would attach it to a node whose lowering reads it (other than as an
// element/operand/argument it models), non-ASCII outside strings and comments, ... The caller then
// parses with tree-sitter, so a bail is always safe;
// a different IR never is (it would change findings). The rules it mirrors, beyond Python's own:
//  - tree-sitter-python's precedences (`^` binds tighter than `&`; `await`/unary take a power operand);
//  - a block ends where the grammar's scanner puts its DEDENT: at the end of the last token or
//    comment before it, where comments indented at least as deep as the block stay in the block;
//  - extras (comments, line continuations) become children of the smallest node with tokens on both
//    sides; the lowering unlinks line continuations from the tree (./lower.ts), so one is nothing in
//    the IR; it is accepted where this parser has checked that tree-sitter parses around it as without
//    it (between string parts, in expression and pattern lists, comparisons, calls, collections,
//    comprehensions, conditional expressions, assert statements) and declined elsewhere;
//  - a list_splat in an argument list takes a whole expression (`f(*a + b)`), in brackets it does not.
// test/python-direct.test.ts and scripts/ir-equivalence.mjs prove the equality (fixtures, snippets,
// generated programs, all of /usr/lib/python3/dist-packages).
// The lexer allocates little per token: parallel typed arrays reused from text to text (a pool of
// one), operators as shared string literals, keywords flagged once (KW), plain integers without a
// regular expression; only names, numbers and comments get strings/objects of their own.
import type { Arg, Expr, Module, Param, Span, Stmt } from '../ir';
import { parseNumber } from './lower';

/** Why the direct front end declined a text (for statistics and tests). */
export interface DirectResult {
  module?: Module;
  reason?: string;
  /** Where it declined (the offset of the token being read), when known. */
  at?: number;
}

class Bail {
  at = -1;
  constructor(readonly reason: string) {}
}

function bail(reason: string): never {
  throw new Bail(reason);
}

/** The IR of a Python text, or undefined when the text needs tree-sitter (see the file comment). */
export function lowerPythonDirect(text: string): Module | undefined {
  return lowerPythonDirectWhy(text).module;
}

export function lowerPythonDirectWhy(text: string): DirectResult {
  // the top-level token arrays are reused from call to call (taken out of the pool while in use)
  const estimate = Math.max(POOL_MIN_TOKENS, 64 + (text.length >> 2));
  const toks = pool ?? new Tokens(estimate);
  pool = undefined;
  toks.reserve(estimate);
  try {
    lex(text, toks);
    const body = new Parser(text, toks, toks.lcOkArray()).module();
    return { module: { body, comments: toks.comments, errors: [] } };
  } catch (e) {
    if (e instanceof Bail) return { reason: e.reason, at: e.at };
    if (e instanceof RangeError) return { reason: 'too deep' };
    return { reason: `internal: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    toks.release();
    if (toks.capacity <= POOL_MAX_TOKENS) pool = toks;
  }
}

/** Token arrays kept for the next text (up to this capacity, ~6 MB with `val` and `lcOk`: a huge file's arrays are not kept). */
let pool: Tokens | undefined;
const POOL_MAX_TOKENS = 1 << 18;
/** The capacity the pooled arrays start with (a small first text would otherwise make them grow again and again). */
const POOL_MIN_TOKENS = 1 << 16;

// ---- lexer ----------------------------------------------------------------------------------

const NAME = 1;
const NUM = 2;
const STR = 3;
const OP = 4;
const NEWLINE = 5;
const INDENT = 6;
const DEDENT = 7;
const EOF = 8;

/** Token flags. */
const LC = 1; // a line continuation comes before this token
const CM = 2; // a comment comes before this token (since the previous token)
const FSTR = 4; // f-string
const KW = 8; // NAME: a keyword (KEYWORDS)

/** The token list: parallel typed arrays (grown by doubling), token i's fields at index i. */
class Tokens {
  count = 0;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  flags: Uint8Array;
  /** STR: length of the prefix plus the opening quote(s); of the closing quote(s). */
  open: Int32Array;
  close: Uint8Array;
  /** NAME/OP text, NUM raw text, STR lower-case prefix (OP texts are the shared literals of `lexOp`). */
  val: string[];
  /** Line continuations before tokens (by token index). */
  lc = new Map<number, Span>();
  /** STR with FSTR: the f-string's IR (an `other` node with its parts). */
  fexpr = new Map<number, Expr>();
  comments: Span[] = [];

  private lcOk: Uint8Array | undefined;

  constructor(private cap: number) {
    // Appended to by `push` (in the lexer's optimised code), never filled ahead: filling a large
    // array slot by slot in cold code cost ~8 ms per doubling and per huge file (~200 ns a slot).
    this.val = [];
    this.kind = new Uint8Array(cap);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.open = new Int32Array(cap);
    this.close = new Uint8Array(cap);
  }

  get capacity(): number {
    return this.cap;
  }

  push(kind: number, s: number, e: number, val: string, flags: number): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.start[i] = s;
    this.end[i] = e;
    this.flags[i] = flags;
    this.val[i] = val;
    return i;
  }

  /** A zeroed byte per token and one more (the parser's `lcOk`), reused while the capacity allows. */
  lcOkArray(): Uint8Array {
    const n = this.count + 1;
    if (!this.lcOk || this.lcOk.length < n) this.lcOk = new Uint8Array(Math.max(n, this.cap + 1));
    else this.lcOk.fill(0, 0, n);
    return this.lcOk;
  }

  /** Forgets the text's tokens (the arrays stay for the next text; `open` is written for every STR). */
  release(): void {
    this.count = 0;
    if (this.lc.size) this.lc = new Map();
    if (this.fexpr.size) this.fexpr = new Map();
    this.comments = [];
  }

  /** Room for `n` tokens at least (a text's estimate: one allocation instead of doubling again and again). */
  reserve(n: number): void {
    if (n > this.cap) this.resize(2 ** Math.ceil(Math.log2(n)));
  }

  private grow(): void {
    this.resize(this.cap * 2);
  }

  private resize(cap: number): void {
    this.cap = cap;
    const g = <A extends Uint8Array | Int32Array>(a: A, make: (n: number) => A): A => {
      const b = make(this.cap);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind, (n) => new Uint8Array(n));
    this.start = g(this.start, (n) => new Int32Array(n));
    this.end = g(this.end, (n) => new Int32Array(n));
    this.flags = g(this.flags, (n) => new Uint8Array(n));
    this.open = g(this.open, (n) => new Int32Array(n));
    this.close = g(this.close, (n) => new Uint8Array(n));
  }
}

const PREFIXES = new Set(['', 'r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf']);

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}
/** r u b f, either case */
function isPrefixChar(c: number): boolean {
  const l = c | 32;
  return l === 114 || l === 117 || l === 98 || l === 102;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isDigits(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (!isDigit(s.charCodeAt(k))) return false;
  return s.length > 0;
}

const NUMBER = /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?)/y;

function lex(text: string, t: Tokens): void {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const indents = [0];
  const brackets: number[] = [];
  let atLineStart = true;
  let lineHasCode = false;
  let lastEnd = 0;
  let lineEnd = -1; // P0: where the last logical line ended (its NEWLINE), -1 before the first
  let pendingFlags = 0;
  let pendingLcS = 0;
  let pendingLcE = 0;
  // the comment lines since the last logical line: their indentation and end
  const commentIndent: number[] = [];
  const commentEnd: number[] = [];

  const push = (kind: number, s: number, e: number, val: string): void => {
    const real = kind < NEWLINE; // NAME NUM STR OP
    const j = t.push(kind, s, e, val, real ? pendingFlags : 0);
    if (real && pendingFlags & LC) t.lc.set(j, { s: pendingLcS, e: pendingLcE });
    if (real) {
      pendingFlags = 0;
      pendingLcS = pendingLcE = 0;
      lastEnd = e;
      lineHasCode = true;
    }
  };

  /** Indentation of the next code line (or EOF, indent 0) against the stack, as the grammar's scanner does. */
  const indentTo = (indent: number, eof: boolean): void => {
    if (lineEnd < 0) {
      if (indent > 0) bail('indented first line');
      commentIndent.length = commentEnd.length = 0;
      return;
    }
    const nc = commentIndent.length;
    for (let k = 0; k <= nc; k++) {
      const pos = k === 0 ? lineEnd : commentEnd[k - 1]!;
      const fci = k < nc ? commentIndent[k]! : -1;
      while (indent < indents[indents.length - 1]! && fci < indents[indents.length - 1]!) {
        indents.pop();
        push(DEDENT, pos, pos, '');
      }
    }
    commentIndent.length = commentEnd.length = 0;
    const top = indents[indents.length - 1]!;
    if (indent > top) {
      if (eof) bail('indent at end');
      indents.push(indent);
      push(INDENT, lineEnd, lineEnd, '');
    } else if (indent !== top) bail('dedent to an unknown level');
  };

  try {
    while (i < n) {
      let c = text.charCodeAt(i);
      if (atLineStart) {
        let col = 0;
        let spaces = false;
        let j = i;
        for (; j < n; j++) {
          const d = text.charCodeAt(j);
          if (d === 32) {
            col++;
            spaces = true;
          } else if (d === 9) {
            if (spaces) bail('tab after spaces');
            col += 8;
          } else break;
        }
        if (j >= n) {
          i = j;
          break;
        }
        const d = text.charCodeAt(j);
        if (d === 10) {
          i = j + 1;
          continue;
        }
        if (d === 13) {
          if (text.charCodeAt(j + 1) !== 10) bail('carriage return');
          i = j + 2;
          continue;
        }
        if (d === 35) {
          let k = j;
          while (k < n && text.charCodeAt(k) !== 10) k++;
          t.comments.push({ s: j, e: k });
          commentIndent.push(col);
          commentEnd.push(k);
          pendingFlags |= CM;
          i = k;
          continue;
        }
        if (d === 92) bail('line continuation at the start of a line');
        indentTo(col, false);
        atLineStart = false;
        i = j;
        c = d;
      }
      if (c === 32 || c === 9) {
        i++;
        continue;
      }
      if (c === 10 || c === 13) {
        if (c === 13 && text.charCodeAt(i + 1) !== 10) bail('carriage return');
        i += c === 13 ? 2 : 1;
        if (brackets.length) continue;
        if (!lineHasCode) bail('empty logical line');
        push(NEWLINE, lastEnd, lastEnd, '');
        lineEnd = lastEnd;
        lineHasCode = false;
        atLineStart = true;
        continue;
      }
      if (c === 35) {
        let k = i;
        while (k < n && text.charCodeAt(k) !== 10) k++;
        t.comments.push({ s: i, e: k });
        pendingFlags |= CM;
        lastEnd = k;
        i = k;
        continue;
      }
      if (c === 92) {
        let k = i + 1;
        if (text.charCodeAt(k) === 13) k++;
        if (text.charCodeAt(k) !== 10) bail('backslash');
        k++;
        if (pendingFlags & LC) bail('two line continuations');
        pendingFlags |= LC;
        pendingLcS = i;
        pendingLcE = k;
        // the next line must hold code (a continuation into a blank or comment line is unusual)
        let m = k;
        while (m < n && (text.charCodeAt(m) === 32 || text.charCodeAt(m) === 9)) m++;
        const d = m < n ? text.charCodeAt(m) : -1;
        if (d === -1 || d === 10 || d === 13 || d === 35 || d === 92) bail('line continuation into an empty line');
        i = k;
        continue;
      }
      // strings (with prefixes)
      let p = i;
      while (p < n && p - i < 2 && isPrefixChar(text.charCodeAt(p))) p++;
      const q = text.charCodeAt(p);
      if (q === 34 || q === 39) {
        // (a prefix cannot be the tail of a name: names are read whole)
        const prefix = p === i ? '' : text.slice(i, p).toLowerCase();
        if (!PREFIXES.has(prefix)) bail(`string prefix ${prefix}`);
        i = lexString(text, i, p, prefix, push, t);
        continue;
      }
      i = lexSimple(text, i, c, push, brackets, t);
    }
  } catch (e) {
    if (e instanceof Bail && e.at < 0) e.at = i;
    throw e;
  }
  if (brackets.length) bail('unclosed bracket');
  if (pendingFlags & LC) bail('line continuation at the end');
  if (lineHasCode) {
    push(NEWLINE, lastEnd, lastEnd, '');
    lineEnd = lastEnd;
  }
  indentTo(0, true);
  push(EOF, n, n, '');
}

/** A name, number or operator at i (not a string, not whitespace); returns the offset after it. */
function lexSimple(text: string, i: number, c: number, push: (kind: number, s: number, e: number, val: string) => void, brackets: number[], t: Tokens): number {
  const n = text.length;
  if (isIdStart(c)) {
    let k = i + 1;
    while (k < n && isIdPart(text.charCodeAt(k))) k++;
    if (k < n && text.charCodeAt(k) >= 0x80) bail('non-ASCII identifier');
    const name = text.slice(i, k);
    push(NAME, i, k, name);
    if (KEYWORDS.has(name)) t.flags[t.count - 1]! |= KW;
    return k;
  }
  if (isDigit(c)) {
    // plain digits (most numbers): no regular expression
    let k = i + 1;
    while (k < n && isDigit(text.charCodeAt(k))) k++;
    const d = text.charCodeAt(k);
    if (!(k < n && (isIdPart(d) || d === 46 || d >= 0x80))) {
      const raw = text.slice(i, k);
      if (c === 48 && k - i > 1 && /[1-9]/.test(raw)) bail('old octal');
      push(NUM, i, k, raw);
      return k;
    }
  }
  if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) bail('number');
    const k = i + m[0].length;
    const d = text.charCodeAt(k);
    if (k < n && (isIdPart(d) || d === 46 || d >= 0x80)) bail('number followed by a name');
    const raw = m[0];
    if (/^0\d/.test(raw) && !/[.eEjJ]/.test(raw) && /[1-9]/.test(raw)) bail('old octal');
    push(NUM, i, k, raw);
    return k;
  }
  if (c >= 0x80) bail('non-ASCII');
  const op = lexOp(text, i, c);
  if (c === 40 || c === 91 || c === 123) brackets.push(c);
  else if (c === 41 || c === 93 || c === 125) {
    const open = brackets.pop();
    if (open === undefined || open !== (c === 41 ? 40 : c === 93 ? 91 : 123)) bail('unbalanced brackets');
  }
  push(OP, i, i + op.length, op);
  return i + op.length;
}

/** The operator at i (first character c) as a shared string literal (no slice per token). */
function lexOp(text: string, i: number, c: number): string {
  const c2 = text.charCodeAt(i + 1);
  switch (c) {
    case 40:
      return '(';
    case 41:
      return ')';
    case 91:
      return '[';
    case 93:
      return ']';
    case 123:
      return '{';
    case 125:
      return '}';
    case 44:
      return ',';
    case 59:
      return ';';
    case 126:
      return '~';
    case 46:
      return c2 === 46 && text.charCodeAt(i + 2) === 46 ? '...' : '.';
    case 58:
      return c2 === 61 ? ':=' : ':';
    case 61:
      return c2 === 61 ? '==' : '=';
    case 33:
      if (c2 === 61) return '!=';
      break;
    case 43:
      return c2 === 61 ? '+=' : '+';
    case 45:
      return c2 === 61 ? '-=' : c2 === 62 ? '->' : '-';
    case 42:
      if (c2 === 42) return text.charCodeAt(i + 2) === 61 ? '**=' : '**';
      return c2 === 61 ? '*=' : '*';
    case 47:
      if (c2 === 47) return text.charCodeAt(i + 2) === 61 ? '//=' : '//';
      return c2 === 61 ? '/=' : '/';
    case 37:
      return c2 === 61 ? '%=' : '%';
    case 64:
      return c2 === 61 ? '@=' : '@';
    case 38:
      return c2 === 61 ? '&=' : '&';
    case 124:
      return c2 === 61 ? '|=' : '|';
    case 94:
      return c2 === 61 ? '^=' : '^';
    case 60:
      if (c2 === 60) return text.charCodeAt(i + 2) === 61 ? '<<=' : '<<';
      if (c2 === 62) bail('<>');
      return c2 === 61 ? '<=' : '<';
    case 62:
      if (c2 === 62) return text.charCodeAt(i + 2) === 61 ? '>>=' : '>>';
      return c2 === 61 ? '>=' : '>';
    default:
      break;
  }
  bail(`character ${JSON.stringify(text[i])}`);
}

/** The tokens of an f-string interpolation's expression text [s, e) (one line, no comments), then EOF. */
function lexInterpolation(text: string, s: number, e: number): Tokens {
  const t = new Tokens(16);
  const brackets: number[] = [];
  const push = (kind: number, a: number, b: number, val: string): void => {
    t.push(kind, a, b, val, 0);
  };
  let i = s;
  while (i < e) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    let p = i;
    while (p < e && p - i < 2 && isPrefixChar(text.charCodeAt(p))) p++;
    const q = text.charCodeAt(p);
    if (q === 34 || q === 39) {
      const prefix = text.slice(i, p).toLowerCase();
      if (!PREFIXES.has(prefix)) bail(`string prefix ${prefix}`);
      i = lexString(text, i, p, prefix, push, t);
      if (i > e) bail('string in an interpolation');
      continue;
    }
    i = lexSimple(text, i, c, push, brackets, t);
  }
  if (i !== e || brackets.length) bail('interpolation');
  push(EOF, e, e, '');
  return t;
}

const ESCAPE = /\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|\d{1,3}|\r?\n|['"abfrntv\\])/y;

/**
 * An f-string from its quote at p: its IR as the lowering makes it from tree-sitter's `string` node
 * (`other` with the named children: string_start, string_content (kids: its escape sequences and
 * `{{`/`}}`), interpolation (kids: expression, type_conversion, format_specifier), string_end).
 */
function lexFString(text: string, i: number, p: number, raw: boolean, ql: number): { expr: Expr; end: number } {
  const n = text.length;
  const q = text.charCodeAt(p);
  const triple = ql === 3;
  const kids: Expr[] = [{ k: 'other', kids: [], s: i, e: p + ql }];
  let contentStart = -1;
  let contentKids: Expr[] = [];
  const flush = (end: number): void => {
    if (contentStart >= 0) kids.push({ k: 'other', kids: contentKids, s: contentStart, e: end });
    contentStart = -1;
    contentKids = [];
  };
  const content = (k: number): void => {
    if (contentStart < 0) contentStart = k;
  };
  // raw: whether the content since contentStart is only backslash steps (`\\`, `\<quote>`, `\x`'s
  // backslash, each with a newline after it), which the grammar's scanner does not count as content:
  // such a run before `{`, `}`, a quote or the end is lexed otherwise (escape sequences, folded into
  // string_end, ...), not modelled
  let steps = false;
  // (in a triple-quoted string the scanner ends a content token at a quote: the next one starts after it)
  let afterQuote = false;
  let k = p + ql;
  for (;;) {
    if (k >= n) bail('unterminated string');
    const ch = text.charCodeAt(k);
    if (ch === 92 && raw) {
      // a raw f-string's backslash is content (no escape_sequence node); it keeps a following
      // backslash or quote from ending the string, not a brace from opening an interpolation
      const d = text.charCodeAt(k + 1);
      if (d === 10 || d === 13 || k + 1 >= n) bail('backslash-newline in a raw f-string');
      if (contentStart < 0 || afterQuote) steps = true;
      afterQuote = false;
      content(k);
      k += d === 92 || d === q ? 2 : 1;
      const e = text.charCodeAt(k);
      if (e === 10 || e === 13) {
        if (!triple) bail('newline in a string');
        if (e === 13 && text.charCodeAt(k + 1) !== 10) bail('carriage return');
        k += e === 13 ? 2 : 1;
      }
      continue;
    }
    if (steps) {
      if (ch === 123 || ch === 125 || ch === q) bail('raw f-string content of backslashes only');
      steps = false;
    }
    afterQuote = ch === q;
    if (ch === 92) {
      ESCAPE.lastIndex = k;
      const m = ESCAPE.exec(text);
      content(k);
      if (m) {
        contentKids.push({ k: 'other', kids: [], s: k, e: k + m[0].length });
        k += m[0].length;
      } else {
        const d = text.charCodeAt(k + 1);
        if (d === 123 || d === 125 || d === 78 || d === 13 || d === 10 || k + 1 >= n) bail('f-string escape');
        k++;
      }
      continue;
    }
    if (ch === 123 || ch === 125) {
      if (text.charCodeAt(k + 1) === ch) {
        content(k);
        contentKids.push({ k: 'other', kids: [], s: k, e: k + 2 });
        k += 2;
        continue;
      }
      if (ch === 125) bail('single } in an f-string');
      flush(k);
      const r = interpolation(text, k, q, triple);
      kids.push(r.expr);
      k = r.end;
      continue;
    }
    if (ch === q && (!triple || (text.charCodeAt(k + 1) === q && text.charCodeAt(k + 2) === q))) {
      flush(k);
      kids.push({ k: 'other', kids: [], s: k, e: k + ql });
      return { expr: { k: 'other', kids, s: i, e: k + ql }, end: k + ql };
    }
    if (ch === 10 || ch === 13) {
      if (!triple) bail('newline in a string');
      if (ch === 13 && text.charCodeAt(k + 1) !== 10) bail('carriage return');
    }
    if (ch === 0) bail('NUL in a string');
    content(k);
    k++;
  }
}

/** `{expression[=][!c][:spec]}` at k: the interpolation's `other` node and the offset after it. */
function interpolation(text: string, k: number, q: number, triple: boolean): { expr: Expr; end: number } {
  const n = text.length;
  let j = k + 1;
  let depth = 0;
  // the end of the expression: `}`, `!x`, `:` or a self-documenting `=` outside brackets
  for (;;) {
    if (j >= n) bail('unterminated interpolation');
    const ch = text.charCodeAt(j);
    // (in a triple-quoted f-string a string in the expression may use its quote character, not three of them)
    if (ch === 10 || ch === 13 || ch === 35 || ch === 92 || (ch === q && (!triple || text.charCodeAt(j + 1) === q))) bail('interpolation text');
    if (ch === 34 || ch === 39) {
      let m = j + 1;
      while (m < n && text.charCodeAt(m) !== ch) {
        const d = text.charCodeAt(m);
        if (d === 10 || d === 13 || d === 92 || d === q || d === 123 || d === 125) bail('string in an interpolation');
        m++;
      }
      if (m >= n) bail('unterminated interpolation');
      j = m + 1;
      continue;
    }
    if (ch === 40 || ch === 91 || ch === 123) depth++;
    else if (ch === 41 || ch === 93 || (ch === 125 && depth > 0)) depth--;
    else if (depth === 0) {
      if (ch === 125) break;
      if (ch === 33) {
        if (text.charCodeAt(j + 1) === 61) {
          j += 2;
          continue;
        }
        break;
      }
      if (ch === 58) {
        if (text.charCodeAt(j + 1) === 61) bail(':= in an interpolation');
        break;
      }
      if (ch === 61) {
        const before = text.charCodeAt(j - 1);
        const after = text.charCodeAt(j + 1);
        if (after === 61 || before === 61 || before === 33 || before === 60 || before === 62) {
          j += after === 61 ? 2 : 1;
          continue;
        }
        break;
      }
    }
    if (depth < 0) bail('interpolation brackets');
    j++;
  }
  const exprText = text.slice(k + 1, j);
  if (!exprText.trim()) bail('empty interpolation');
  if (triple && exprText.includes(q === 34 ? '""' : "''")) bail('quotes in an interpolation');
  const toks = lexInterpolation(text, k + 1, j);
  const expr = new Parser(text, toks).fExpression();
  const kids: Expr[] = [expr];
  if (text.charCodeAt(j) === 61) {
    j++;
    while (text.charCodeAt(j) === 32) j++;
  }
  if (text.charCodeAt(j) === 33) {
    const c = text.charCodeAt(j + 1);
    if (!(c >= 97 && c <= 122)) bail('conversion');
    kids.push({ k: 'other', kids: [], s: j, e: j + 2 });
    j += 2;
  }
  if (text.charCodeAt(j) === 58) {
    const s = j;
    j++;
    const spec: Expr[] = [];
    for (;;) {
      if (j >= n) bail('unterminated format specifier');
      const ch = text.charCodeAt(j);
      if (ch === 125) break;
      if (ch === 123) {
        const r = interpolation(text, j, q, triple);
        spec.push(r.expr);
        j = r.end;
        continue;
      }
      if (ch === 10 || ch === 13 || ch === 92 || ch === q || ch === 34 || ch === 39) bail('format specifier');
      j++;
    }
    kids.push({ k: 'other', kids: spec, s, e: j });
  }
  if (text.charCodeAt(j) !== 125) bail('interpolation end');
  return { expr: { k: 'other', kids, s: k, e: j + 1 }, end: j + 1 };
}

function lexString(text: string, i: number, p: number, prefix: string, push: (kind: number, s: number, e: number, val: string) => void, t: Tokens): number {
  const n = text.length;
  if (prefix.includes('f')) {
    const q0 = text.charCodeAt(p);
    const ql0 = text.charCodeAt(p + 1) === q0 && text.charCodeAt(p + 2) === q0 ? 3 : 1;
    const r = lexFString(text, i, p, prefix.includes('r'), ql0);
    push(STR, i, r.end, prefix);
    const last = t.count - 1;
    t.flags[last]! |= FSTR;
    t.fexpr.set(last, r.expr);
    return r.end;
  }
  const raw = prefix.includes('r');
  const bytes = prefix.includes('b');
  const q = text.charCodeAt(p);
  const triple = text.charCodeAt(p + 1) === q && text.charCodeAt(p + 2) === q;
  const ql = triple ? 3 : 1;
  let k = p + ql;
  for (;;) {
    if (k >= n) bail('unterminated string');
    const ch = text.charCodeAt(k);
    if (ch === 92) {
      const d = text.charCodeAt(k + 1);
      if (raw) {
        k++;
        if (d === q || d === 92) k++;
        else if (d === 13) {
          if (text.charCodeAt(k + 1) !== 10) bail('carriage return');
          k += 2;
        } else if (d === 10) k++;
        continue;
      }
      if (d === 13) {
        if (text.charCodeAt(k + 2) !== 10) bail('carriage return');
        k += 3;
        continue;
      }
      if (d === 78 && !bytes) {
        // \N{name}: tree-sitter's escape runs to the next `}`; accepted when that is on this line, in the string
        let m = k + 2;
        if (text.charCodeAt(m) !== 123) bail('\\N escape');
        while (m < n && text.charCodeAt(m) !== 125) {
          const c = text.charCodeAt(m);
          if (c === q || c === 10 || c === 13 || c === 92) bail('\\N escape');
          m++;
        }
        if (m >= n) bail('\\N escape');
        k = m + 1;
        continue;
      }
      if (k + 1 >= n) bail('unterminated string');
      k += 2;
      continue;
    }
    if (ch === q) {
      if (!triple) {
        k++;
        break;
      }
      if (text.charCodeAt(k + 1) === q && text.charCodeAt(k + 2) === q) {
        k += 3;
        break;
      }
      k++;
      continue;
    }
    if (ch === 10 || ch === 13) {
      if (!triple) bail('newline in a string');
      if (ch === 13 && text.charCodeAt(k + 1) !== 10) bail('carriage return');
      k++;
      continue;
    }
    if (ch === 0) bail('NUL in a string');
    k++;
  }
  // tree-sitter's scanner folds a raw string's content made only of `\\`, `\<quote>`, `\<newline>`
  // pairs into string_end: the string has no string_content, its value is ''
  const foldedIntoEnd = raw && k - ql > p + ql && new RegExp(`^(?:\\\\(?:\\\\|${q === 34 ? '"' : "'"}|\\r?\\n))+$`).test(text.slice(p + ql, k - ql));
  push(STR, i, k, prefix);
  const last = t.count - 1;
  t.open[last] = foldedIntoEnd ? k - i - ql : p - i + ql;
  t.close[last] = ql;
  return k;
}

// ---- parser ---------------------------------------------------------------------------------

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield',
]);

const BINARY: Record<string, number> = {
  '|': 14, '&': 15, '^': 16, '<<': 17, '>>': 17, '+': 18, '-': 18, '*': 19, '@': 19, '/': 19, '%': 19, '//': 19, '**': 21,
};
const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '@=', '//=', '%=', '**=', '>>=', '<<=', '&=', '^=', '|=']);
/** Tokens that end an element list (a trailing comma before them). */
const CLOSERS = new Set([')', ']', '}', '=', ':', ';']);
const MAX_DEPTH = 150;

class Parser {
  private i = 0;
  private depth = 0;
  private readonly kind: Uint8Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly val: string[];
  private readonly flags: Uint8Array;
  /** Tokens before which a line continuation is known to land in a node whose lowering ignores it. */
  private readonly lcOk: Uint8Array;

  constructor(private readonly src: string, private readonly t: Tokens, lcOk: Uint8Array = new Uint8Array(t.count + 1)) {
    this.kind = t.kind;
    this.start = t.start;
    this.end = t.end;
    this.val = t.val;
    this.flags = t.flags;
    this.lcOk = lcOk;
  }

  // ---- tokens -------------------------------------------------------------------------------

  private op(v: string, j = this.i): boolean {
    return this.kind[j] === OP && this.val[j] === v;
  }

  private kw(v: string, j = this.i): boolean {
    return this.kind[j] === NAME && this.val[j] === v;
  }

  /** Consumes the current token; a line continuation before it must have been allowed. */
  private next(): number {
    const j = this.i;
    // (before a string the grammar's scanner skips a line continuation while looking for the string's start: no node)
    if (this.flags[j]! & LC && !this.lcOk[j] && this.kind[j] !== STR) bail(`line continuation ${this.val[j - 1]} _ ${this.kind[j] === NAME || this.kind[j] === OP ? this.val[j] : this.kind[j]}`);
    if (this.kind[j] === EOF) bail('unexpected end');
    this.i++;
    return j;
  }

  private expectOp(v: string): number {
    if (!this.op(v)) bail(`expected ${v}`);
    return this.next();
  }

  private expectKw(v: string): number {
    if (!this.kw(v)) bail(`expected ${v}`);
    return this.next();
  }

  /** Allow a line continuation before token j (and before the token after it). */
  private allow(j: number, after = true): void {
    this.lcOk[j] = 1;
    if (after) this.lcOk[j + 1] = 1;
  }

  /**
   * Allows a line continuation before token j inside a node whose children the lowering reads (a
   * comparison's operands, a call's arguments, a collection's elements, a comprehension's parts): it
   * is nothing in the IR, as the tree-sitter lowering unlinks continuations from the tree (./lower.ts
   * `withoutLineContinuations`). Whether there is one.
   */
  private allowLc(j: number): boolean {
    if (!(this.flags[j]! & LC) || this.kind[j] === STR) return false;
    this.lcOk[j] = 1;
    return true;
  }

  private prevEnd(): number {
    return this.end[this.i - 1]!;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) bail('too deep');
  }

  private isName(j = this.i): boolean {
    return this.kind[j] === NAME && !(this.flags[j]! & KW);
  }

  /** Whether the current token can start an expression. */
  private startsExpr(j = this.i): boolean {
    const k = this.kind[j];
    if (k === NUM || k === STR) return true;
    if (k === NAME) {
      const v = this.val[j]!;
      return !(this.flags[j]! & KW) || v === 'None' || v === 'True' || v === 'False' || v === 'not' || v === 'lambda' || v === 'await';
    }
    if (k === OP) {
      const v = this.val[j]!;
      return v === '(' || v === '[' || v === '{' || v === '-' || v === '+' || v === '~' || v === '*' || v === '...';
    }
    return false;
  }

  /** Whether the logical line from the current token holds the operator v. */
  private lineHas(v: string): boolean {
    for (let j = this.i; this.kind[j] !== NEWLINE && this.kind[j] !== EOF; j++) if (this.op(v, j)) return true;
    return false;
  }

  /** Whether the logical line from the current token ends with the operator v. */
  private lineEndsWith(v: string): boolean {
    let j = this.i;
    while (this.kind[j] !== NEWLINE && this.kind[j] !== EOF) j++;
    return j > this.i && this.op(v, j - 1);
  }

  private endOfSimple(j = this.i): boolean {
    return this.kind[j] === NEWLINE || this.op(';', j);
  }

  // ---- statements ---------------------------------------------------------------------------

  /** An f-string interpolation's expression (`_f_expression`): the whole token list. */
  fExpression(): Expr {
    const e = this.kw('yield') ? this.yieldExpr() : this.expressions();
    if (this.kind[this.i] !== EOF) bail('interpolation expression');
    return e;
  }

  module(): Stmt[] {
    const out: Stmt[] = [];
    try {
      while (this.kind[this.i] !== EOF) this.statement(out);
    } catch (e) {
      if (e instanceof Bail && e.at < 0) e.at = this.start[this.i]!;
      throw e;
    }
    return out;
  }

  private statement(out: Stmt[]): void {
    this.enter();
    const k = this.kind[this.i];
    if (k === INDENT || k === DEDENT) bail('unexpected indent');
    if (k === NAME) {
      switch (this.val[this.i]) {
        case 'if':
          this.ifStatement(out);
          this.depth--;
          return;
        case 'while':
          this.whileStatement(out);
          this.depth--;
          return;
        case 'for':
          this.forStatement(out, this.start[this.i]!);
          this.depth--;
          return;
        case 'try':
          this.tryStatement(out);
          this.depth--;
          return;
        case 'with':
          this.withStatement(out, this.start[this.i]!);
          this.depth--;
          return;
        case 'def':
          out.push(this.functionDef(this.start[this.i]!));
          this.depth--;
          return;
        case 'class':
          out.push(this.classDef());
          this.depth--;
          return;
        case 'async': {
          const s = this.start[this.i]!;
          this.next();
          if (this.kw('def')) out.push(this.functionDef(s));
          else if (this.kw('for')) this.forStatement(out, s);
          else if (this.kw('with')) this.withStatement(out, s);
          else bail('async');
          this.depth--;
          return;
        }
        case 'match':
        case 'type':
        case 'print':
        case 'exec': {
          // soft keywords and Python 2 statements: only the unambiguous uses as a name
          const v = this.val[this.i]!;
          const nk = this.kind[this.i + 1];
          const nv = this.val[this.i + 1]!;
          let plain = nk === NEWLINE || (nk === OP && (nv === '=' || nv === '.' || AUGMENTED.has(nv) || (nv === '(' && v !== 'match')));
          if (nk === OP && (v === 'type' || v === 'match')) {
            // `type, a = x`, `type: T`; `match[k] = v`: not a type alias (`type X = Y`, where X may
            // start with a bracket: tree-sitter reads `type(x).y = 2` as one) nor a match statement
            // (its line ends with the `:`)
            if (nv === ',' || nv === ':') plain = true;
            else if (nv === '(' || nv === '[') plain = v === 'type' ? !this.lineHas('=') : !this.lineEndsWith(':');
          }
          if (!plain) bail(`statement starting with ${v}`);
          break;
        }
        default:
          break;
      }
    } else if (k === OP && this.val[this.i] === '@') {
      this.decorated(out);
      this.depth--;
      return;
    }
    this.simpleStatements(out);
    this.depth--;
  }

  /** Simple statements up to and with their NEWLINE; returns the NEWLINE's offset. */
  private simpleStatements(out: Stmt[]): number {
    for (;;) {
      this.simpleStatement(out);
      if (this.op(';')) {
        this.next();
        if (this.kind[this.i] === NEWLINE) break;
        continue;
      }
      if (this.kind[this.i] !== NEWLINE) bail('expected the end of the statement');
      break;
    }
    const nl = this.start[this.i]!;
    this.i++;
    return nl;
  }

  private simpleStatement(out: Stmt[]): void {
    const j = this.i;
    const s = this.start[j]!;
    if (this.kind[j] === NAME) {
      switch (this.val[j]) {
        case 'pass':
        case 'break':
        case 'continue':
          this.next();
          return;
        case 'return': {
          this.next();
          if (this.endOfSimple()) {
            out.push({ k: 'return', value: undefined, s, e: this.prevEnd() });
            return;
          }
          const value = this.expressions();
          out.push({ k: 'return', value, s, e: value.e });
          return;
        }
        case 'del': {
          this.next();
          const v = this.expressions();
          out.push({ k: 'other', exprs: [v], s, e: v.e });
          return;
        }
        case 'raise': {
          this.next();
          const exprs: Expr[] = [];
          if (!this.endOfSimple()) {
            exprs.push(this.expressions());
            if (this.kw('from')) {
              this.next();
              exprs.push(this.expression());
            }
          }
          if (exprs.length) out.push({ k: 'other', exprs, s, e: this.prevEnd() });
          return;
        }
        case 'assert': {
          this.next();
          // (assert_statement lowers every named child: a line continuation in it is an expression)
          const exprs: Expr[] = [];
          this.allowLc(this.i);
          exprs.push(this.expression());
          while (this.op(',')) {
            this.next();
            this.allowLc(this.i);
            exprs.push(this.expression());
          }
          out.push({ k: 'other', exprs, s, e: this.prevEnd() });
          return;
        }
        case 'global':
        case 'nonlocal': {
          const global = this.val[j] === 'global';
          this.next();
          const names: string[] = [];
          for (;;) {
            if (!this.isName()) bail('global');
            names.push(this.val[this.next()]!);
            if (!this.op(',')) break;
            this.next();
          }
          out.push({ k: 'other', exprs: [], names, global, s, e: this.prevEnd() });
          return;
        }
        case 'import':
          out.push(this.importStatement());
          return;
        case 'from': {
          const st = this.fromStatement();
          if (st) out.push(st);
          return;
        }
        default:
          break;
      }
    }
    this.expressionStatement(out);
  }

  private expressionStatement(out: Stmt[]): void {
    const s = this.start[this.i]!;
    if (this.kw('yield')) {
      const y = this.yieldExpr();
      if (!this.endOfSimple()) bail('yield statement');
      out.push({ k: 'expr', value: y, s, e: y.e });
      return;
    }
    const first = this.starOrExpr(true);
    let elts: Expr[] | undefined;
    if (this.op(',')) {
      elts = [first];
      // a line continuation after a comma is a child of the pattern_list (an assignment's left side)
      // or of the expression_statement: an element, or an expression statement, in the IR
      while (this.op(',')) {
        this.next();
        if (!this.startsExpr()) break;
        this.allowLc(this.i);
        elts.push(this.starOrExpr(true));
      }
    }
    if (this.op('=')) {
      const left = elts ? ({ k: 'tuple', elts, s, e: this.prevEnd() } as Expr) : first;
      this.pattern(left, !!elts);
      const targets: Expr[] = [left];
      let value: Expr;
      for (;;) {
        this.allow(this.i);
        this.next();
        const rhs = this.rightHandSide();
        if (this.op('=')) {
          this.pattern(rhs, rhs.k === 'tuple' && !this.isParenthesised(rhs));
          targets.push(rhs);
          continue;
        }
        value = rhs;
        break;
      }
      if (AUGMENTED.has(this.val[this.i]!) && this.kind[this.i] === OP) bail('augmented assignment in a chain');
      out.push({ k: 'assign', targets, value, op: undefined, s, e: value.e });
      return;
    }
    if (!elts && this.op(':')) {
      this.pattern(first, false);
      this.allow(this.i);
      this.next();
      this.expression(); // the annotation (not in the IR)
      let value: Expr;
      let e = this.prevEnd();
      if (this.op('=')) {
        this.allow(this.i);
        this.next();
        value = this.rightHandSide();
        e = value.e;
        if (this.op('=')) bail('annotated chain');
      } else value = { k: 'other', kids: [], s: e, e };
      out.push({ k: 'assign', targets: [first], value, op: undefined, s, e });
      return;
    }
    if (!elts && this.kind[this.i] === OP && AUGMENTED.has(this.val[this.i]!)) {
      this.pattern(first, false);
      const op = this.val[this.i]!;
      this.allow(this.i);
      this.next();
      const value = this.rightHandSide();
      if (this.op('=') || (this.kind[this.i] === OP && AUGMENTED.has(this.val[this.i]!))) bail('augmented chain');
      out.push({ k: 'assign', targets: [first], value, op, s, e: value.e });
      return;
    }
    if (!this.endOfSimple()) bail('expected the end of an expression statement');
    if (elts) {
      const e = this.prevEnd();
      for (const x of elts) out.push({ k: 'expr', value: x, s, e });
    } else {
      if (first.k === 'star') bail('star statement');
      out.push({ k: 'expr', value: first, s, e: first.e });
    }
  }

  /** Parenthesized tuples (a plain Set: the parser lives no longer than its text's lowering). */
  private parenthesised: Set<Expr> | undefined;
  private isParenthesised(e: Expr): boolean {
    return !!this.parenthesised?.has(e);
  }

  /** An assignment target as tree-sitter's `pattern` reads it (the IR is the expression's). */
  private pattern(e: Expr, _list: boolean): void {
    switch (e.k) {
      case 'other':
        bail('target other');
      // eslint-disable-next-line no-fallthrough
      case 'name':
      case 'attr':
      case 'subscript':
        return;
      case 'tuple':
      case 'list':
        for (const x of e.elts) this.pattern(x, false);
        return;
      case 'star':
        if (e.inner.k === 'name' || e.inner.k === 'attr' || e.inner.k === 'subscript') return;
        bail('star target');
      // eslint-disable-next-line no-fallthrough
      default:
        bail(`target ${e.k}`);
    }
  }

  private rightHandSide(): Expr {
    if (this.kw('yield')) return this.yieldExpr();
    return this.expressions();
  }

  /** `_expressions`: an expression, or a tuple without parentheses (`a, b`, `a,`). */
  private expressions(): Expr {
    const first = this.starOrExpr(true);
    if (!this.op(',')) {
      if (first.k === 'star') bail('lone star');
      return first;
    }
    const elts = [first];
    // (an expression_list lowers every named child: a line continuation in it is an element)
    while (this.op(',')) {
      this.next();
      this.allowLc(this.i);
      if (!this.startsExpr()) break;
      elts.push(this.starOrExpr(true));
      this.allowLc(this.i);
    }
    return { k: 'tuple', elts, s: first.s, e: this.prevEnd() };
  }

  private importStatement(): Stmt {
    const s = this.start[this.i]!;
    this.allow(this.i);
    this.next();
    const names: { module: string; asname?: string }[] = [];
    for (;;) {
      const module = this.dottedName();
      if (this.kw('as')) {
        this.allow(this.i);
        this.next();
        if (!this.isName()) bail('import alias');
        names.push({ module, asname: this.val[this.next()]! });
      } else names.push({ module });
      if (!this.op(',')) break;
      this.allow(this.i);
      this.next();
    }
    return { k: 'import', names, s, e: this.prevEnd() };
  }

  private dottedName(): string {
    if (!this.isName()) bail('dotted name');
    let name = this.val[this.next()]!;
    while (this.op('.')) {
      if (this.flags[this.i]! & (LC | CM) || this.flags[this.i + 1]! & (LC | CM)) bail('dotted name');
      this.next();
      if (!this.isName()) bail('dotted name');
      name += '.' + this.val[this.next()]!;
    }
    return name;
  }

  private fromStatement(): Stmt | undefined {
    const s = this.start[this.i]!;
    this.allow(this.i);
    this.next();
    let level = 0;
    let module = '';
    let prev = -1;
    while (this.op('.') || this.op('...')) {
      if (prev >= 0 && this.start[this.i] !== this.end[prev]) bail('spaced dots');
      if (this.flags[this.i]! & (LC | CM) && prev >= 0) bail('dots');
      level += this.val[this.i]!.length;
      prev = this.next();
    }
    if (!this.kw('import')) module = this.dottedName();
    const future = level === 0 && module === '__future__';
    this.allow(this.i);
    this.expectKw('import');
    let names: { name: string; asname?: string }[] | '*' = [];
    if (this.op('*')) {
      if (future) bail('future *');
      this.next();
      names = '*';
    } else {
      const paren = this.op('(');
      if (paren) {
        this.allow(this.i);
        this.next();
      }
      for (;;) {
        const name = this.dottedName();
        if (this.kw('as')) {
          this.allow(this.i);
          this.next();
          if (!this.isName()) bail('import alias');
          names.push({ name, asname: this.val[this.next()]! });
        } else names.push({ name });
        if (!this.op(',')) break;
        this.allow(this.i);
        this.next();
        if (paren && this.op(')')) break;
      }
      if (paren) {
        this.allow(this.i, false);
        this.expectOp(')');
      }
    }
    if (future) return undefined;
    return { k: 'from', module, level, names, s, e: this.prevEnd() };
  }

  /** `:` and the suite after a compound statement's header: its statements and where it ends. */
  private suite(): { body: Stmt[]; end: number } {
    this.allow(this.i, false);
    this.expectOp(':');
    const body: Stmt[] = [];
    if (this.kind[this.i] === NEWLINE) {
      this.i++;
      if (this.kind[this.i] !== INDENT) bail('expected an indented block');
      this.i++;
      while (this.kind[this.i] !== DEDENT) {
        if (this.kind[this.i] === EOF) bail('unexpected end');
        this.statement(body);
      }
      const end = this.start[this.i]!;
      this.i++;
      return { body, end };
    }
    const end = this.simpleStatements(body);
    return { body, end };
  }

  private ifStatement(out: Stmt[]): void {
    const s = this.start[this.i]!;
    this.allow(this.i + 1, false);
    this.next();
    const test = this.expression();
    let { body, end } = this.suite();
    const branches: { test?: Expr; body: Stmt[] }[] = [{ test, body }];
    while (this.kw('elif')) {
      this.allow(this.i + 1, false);
      this.next();
      const t = this.expression();
      ({ body, end } = this.suite());
      branches.push({ test: t, body });
    }
    if (this.kw('else')) {
      this.next();
      ({ body, end } = this.suite());
      branches.push({ body });
    }
    out.push({ k: 'if', branches, s, e: end });
  }

  private elseClause(): { body: Stmt[]; end: number } | undefined {
    if (!this.kw('else')) return undefined;
    this.next();
    return this.suite();
  }

  private whileStatement(out: Stmt[]): void {
    const s = this.start[this.i]!;
    this.allow(this.i + 1, false);
    this.next();
    const test = this.expression();
    const b = this.suite();
    const alt = this.elseClause();
    out.push({ k: 'loop', test, body: b.body, orelse: alt ? alt.body : [], s, e: alt ? alt.end : b.end });
  }

  private forStatement(out: Stmt[], s: number): void {
    this.allow(this.i + 1, false);
    this.expectKw('for');
    const target = this.targets();
    this.allow(this.i);
    this.expectKw('in');
    const iter = this.expressions();
    const b = this.suite();
    const alt = this.elseClause();
    out.push({ k: 'loop', target, iter, body: b.body, orelse: alt ? alt.body : [], s, e: alt ? alt.end : b.end });
  }

  /** A for target: `_left_hand_side` (a pattern or a pattern list). */
  private targets(): Expr {
    const first = this.targetItem();
    if (!this.op(',')) {
      this.pattern(first, false);
      return first;
    }
    const elts = [first];
    while (this.op(',')) {
      this.next();
      if (this.kw('in')) break;
      this.allowLc(this.i);
      elts.push(this.targetItem());
    }
    const e: Expr = { k: 'tuple', elts, s: first.s, e: this.prevEnd() };
    this.pattern(e, true);
    return e;
  }

  private targetItem(): Expr {
    if (this.op('*')) {
      const s = this.start[this.i]!;
      this.next();
      const inner = this.postfix();
      if (inner.k !== 'name') bail('star target with trailers');
      return { k: 'star', inner, s, e: inner.e };
    }
    return this.postfix();
  }

  private tryStatement(out: Stmt[]): void {
    const s = this.start[this.i]!;
    this.next();
    const b = this.suite();
    let end = b.end;
    const handlers: { type?: Expr; name?: string; body: Stmt[] }[] = [];
    let orelse: Stmt[] = [];
    let final: Stmt[] = [];
    while (this.kw('except')) {
      this.allow(this.i + 1, false);
      this.next();
      if (this.op('*')) bail('except*');
      let type: Expr | undefined;
      let name: string | undefined;
      if (!this.op(':')) {
        type = this.expression();
        if (this.kw('as')) {
          if (type.k === 'ifexp' || type.k === 'lambda') bail('as after a conditional');
          this.next();
          if (!this.isName() || !this.op(':', this.i + 1)) bail('except alias');
          name = this.val[this.next()]!;
        } else if (this.op(',')) bail('except E, e');
      }
      const h = this.suite();
      end = h.end;
      handlers.push({ type, name, body: h.body });
    }
    const alt = this.elseClause();
    if (alt) {
      if (!handlers.length) bail('try else without except');
      orelse = alt.body;
      end = alt.end;
    }
    if (this.kw('finally')) {
      this.next();
      const f = this.suite();
      final = f.body;
      end = f.end;
    } else if (!handlers.length) bail('try without except');
    out.push({ k: 'try', body: b.body, handlers, orelse, final, s, e: end });
  }

  private withStatement(out: Stmt[], s: number): void {
    this.allow(this.i + 1, false);
    this.expectKw('with');
    if (this.op('(')) bail('with (');
    const items: { expr: Expr; target?: Expr }[] = [];
    for (;;) {
      const expr = this.expression();
      if (this.kw('as')) {
        // tree-sitter's as_pattern binds tighter than a conditional or a lambda: `a if b else c as t`
        if (expr.k === 'ifexp' || expr.k === 'lambda') bail('as after a conditional');
        this.allow(this.i);
        this.next();
        const target = this.targetItem();
        if (target.k === 'star') bail('with star target');
        this.pattern(target, false);
        if (!this.op(',') && !this.op(':')) bail('with target');
        items.push({ expr, target });
      } else items.push({ expr });
      if (!this.op(',')) break;
      this.allow(this.i);
      this.next();
    }
    const b = this.suite();
    out.push({ k: 'with', items, body: b.body, s, e: b.end });
  }

  private functionDef(s: number): Stmt {
    this.expectKw('def');
    if (!this.isName()) bail('def name');
    const nameTok = this.next();
    if (!this.op('(')) bail('def (');
    this.allow(this.i);
    this.next();
    const params = this.parameters(')');
    this.allow(this.i, false);
    this.expectOp(')');
    if (this.op('->')) {
      this.allow(this.i);
      this.next();
      this.expression();
    }
    const b = this.suite();
    return { k: 'def', name: this.val[nameTok]!, nameS: this.start[nameTok]!, params, body: b.body, decorators: [], s, e: b.end };
  }

  private classDef(): Stmt {
    const s = this.start[this.i]!;
    this.next();
    if (!this.isName()) bail('class name');
    const nameTok = this.next();
    let bases: Arg[] = [];
    if (this.op('[')) bail('type parameters');
    if (this.op('(')) {
      this.allow(this.i, false);
      const a = this.argumentList();
      if (a.generator) bail('class generator');
      bases = a.args;
    }
    const b = this.suite();
    return { k: 'class', name: this.val[nameTok]!, nameS: this.start[nameTok]!, bases, body: b.body, decorators: [], s, e: b.end };
  }

  private decorated(out: Stmt[]): void {
    const s = this.start[this.i]!;
    const decorators: Expr[] = [];
    while (this.op('@')) {
      this.next();
      decorators.push(this.expression());
      if (this.kind[this.i] !== NEWLINE) bail('decorator');
      this.i++;
    }
    let d: Stmt;
    if (this.kw('def')) d = this.functionDef(this.start[this.i]!);
    else if (this.kw('class')) d = this.classDef();
    else if (this.kw('async') && this.kw('def', this.i + 1)) {
      const as = this.start[this.i]!;
      this.next();
      d = this.functionDef(as);
    } else bail('decorated');
    if (d.k === 'def' || d.k === 'class') {
      d.decorators = decorators;
      d.s = s;
    }
    out.push(d);
  }

  /** Parameters up to `closer` (`)` for def, `:` for lambda). */
  private parameters(closer: string): Param[] {
    const out: Param[] = [];
    const typed = closer === ')';
    while (!this.op(closer)) {
      const s = this.start[this.i]!;
      if (this.op('*') || this.op('**')) {
        const star = this.val[this.i] as '*' | '**';
        this.allow(this.i, false);
        this.next();
        if (star === '*' && (this.op(',') || this.op(closer))) {
          // keyword separator: not in the IR
        } else {
          if (!this.isName()) bail('star parameter');
          const name = this.val[this.next()]!;
          if (typed && this.op(':')) {
            this.allow(this.i);
            this.next();
            this.expression();
          }
          if (this.op('=')) bail('star default');
          out.push({ name, star, s, e: this.prevEnd() });
        }
      } else if (this.op('/')) {
        this.allow(this.i, false);
        this.next();
      } else if (this.isName()) {
        this.allow(this.i, false);
        const name = this.val[this.next()]!;
        if (typed && this.op(':')) {
          this.allow(this.i);
          this.next();
          this.expression();
        }
        if (this.op('=')) {
          this.allow(this.i);
          this.next();
          const d = this.expression();
          out.push({ name, default: d, s, e: d.e });
        } else out.push({ name, s, e: this.prevEnd() });
      } else bail('parameter');
      if (!this.op(',')) break;
      this.allow(this.i);
      this.next();
    }
    if (!this.op(closer)) bail('parameters');
    return out;
  }

  // ---- expressions --------------------------------------------------------------------------

  /** tree-sitter's `expression`: lambda, conditional, named expression, or an `or` test. */
  private expression(): Expr {
    this.enter();
    let r: Expr;
    if (this.kw('lambda')) r = this.lambda();
    else if (this.isName() && this.op(':=', this.i + 1)) {
      const j = this.next();
      const name: Expr = { k: 'name', id: this.val[j]!, s: this.start[j]!, e: this.end[j]! };
      this.next();
      const value = this.expression();
      r = { k: 'other', kids: [name, value], s: name.s, e: value.e };
    } else {
      r = this.orTest();
      if (this.kw('if')) {
        this.allowLc(this.i);
        this.next();
        this.allowLc(this.i);
        const test = this.orTest();
        if (!this.kw('else')) bail('expected else');
        this.allowLc(this.i);
        this.next();
        this.allowLc(this.i);
        const orelse = this.expression();
        r = { k: 'ifexp', body: r, test, orelse, s: r.s, e: orelse.e };
      }
    }
    this.depth--;
    return r;
  }

  private lambda(): Expr {
    const s = this.start[this.i]!;
    this.allow(this.i + 1, false);
    this.next();
    const params = this.parameters(':');
    this.allow(this.i);
    this.next();
    const body = this.expression();
    return { k: 'lambda', params, body, s, e: body.e };
  }

  private orTest(): Expr {
    const depth = this.depth;
    let left = this.andTest();
    while (this.kw('or')) {
      this.enter(); // a chain nests in the IR (the lowering stops at 400 levels)
      this.allow(this.i);
      this.next();
      const right = this.andTest();
      left = { k: 'binop', op: 'or', left, right, s: left.s, e: right.e };
    }
    this.depth = depth;
    return left;
  }

  private andTest(): Expr {
    const depth = this.depth;
    let left = this.notTest();
    while (this.kw('and')) {
      this.enter();
      this.allow(this.i);
      this.next();
      const right = this.notTest();
      left = { k: 'binop', op: 'and', left, right, s: left.s, e: right.e };
    }
    this.depth = depth;
    return left;
  }

  private notTest(): Expr {
    if (this.kw('not')) {
      const s = this.start[this.i]!;
      this.allow(this.i + 1, false);
      this.next();
      this.enter();
      const operand = this.notTest();
      this.depth--;
      return { k: 'unary', op: 'not', operand, s, e: operand.e };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const first = this.binary(14);
    let ops: string[] | undefined;
    let operands: Expr[] | undefined;
    for (;;) {
      const j = this.i;
      let width: number;
      if (this.kind[j] === OP) {
        // (operator texts are the shared literals of lexOp: these compare by reference)
        const v = this.val[j];
        if (v === '<' || v === '>' || v === '==' || v === '>=' || v === '<=' || v === '!=') width = 1;
        else break;
      } else if (this.kind[j] !== NAME) break;
      else if (this.kw('in')) width = 1;
      else if (this.kw('not') && this.kw('in', j + 1)) width = 2;
      else if (this.kw('is')) width = this.kw('not', j + 1) ? 2 : 1;
      else break;
      if (width === 2 && this.flags[j + 1]! & (LC | CM)) bail('not in / is not');
      if (!ops) {
        ops = [];
        operands = [first];
      }
      this.allowLc(j);
      this.next();
      if (width === 2) this.next();
      ops.push(width === 2 ? this.src.slice(this.start[j]!, this.end[j + 1]!) : this.val[j]!);
      this.allowLc(this.i);
      operands!.push(this.binary(14));
    }
    if (!ops) return first;
    const last = operands![operands!.length - 1]!;
    return { k: 'compare', ops, operands: operands!, s: first.s, e: last.e };
  }

  /** Binary operators of precedence ≥ min (tree-sitter-python's table; `**` is right-associative). */
  private binary(min: number): Expr {
    this.enter();
    const depth = this.depth;
    let left = this.unary();
    for (;;) {
      if (this.kind[this.i] !== OP) break;
      const op = this.val[this.i]!;
      const p = BINARY[op];
      if (p === undefined || p < min) break;
      this.enter();
      this.allow(this.i);
      this.next();
      const right = op === '**' ? this.binary(p) : this.binary(p + 1);
      left = { k: 'binop', op, left, right, s: left.s, e: right.e };
    }
    this.depth = depth - 1;
    return left;
  }

  private unary(): Expr {
    const j = this.i;
    if (this.kind[j] === OP && (this.val[j] === '-' || this.val[j] === '+' || this.val[j] === '~')) {
      this.allow(j + 1, false);
      this.next();
      const operand = this.binary(21);
      return { k: 'unary', op: this.val[j]!, operand, s: this.start[j]!, e: operand.e };
    }
    if (this.kw('await')) {
      this.next();
      const operand = this.binary(21);
      return { k: 'other', kids: [operand], s: this.start[j]!, e: operand.e };
    }
    return this.postfix();
  }

  /** An atom with its trailers (attribute, call, subscript). */
  private postfix(): Expr {
    this.enter();
    const depth = this.depth;
    let e = this.atom();
    for (;;) {
      this.enter();
      if (this.op('.')) {
        this.allow(this.i);
        this.next();
        if (!this.isName()) bail('attribute name');
        const a = this.next();
        e = { k: 'attr', obj: e, attr: this.val[a]!, attrS: this.start[a]!, s: e.s, e: this.end[a]! };
      } else if (this.op('(')) {
        this.allow(this.i, false);
        const a = this.argumentList();
        e = { k: 'call', fn: e, args: a.args, argsS: a.s, argsE: a.e, s: e.s, e: a.e };
      } else if (this.op('[')) {
        this.allow(this.i);
        this.next();
        const index: Expr[] = [];
        for (;;) {
          index.push(this.subscriptItem());
          if (!this.op(',')) break;
          this.allow(this.i);
          this.next();
          if (this.op(']')) break;
        }
        this.allow(this.i, false);
        this.expectOp(']');
        e = { k: 'subscript', obj: e, index, s: e.s, e: this.prevEnd() };
      } else break;
    }
    this.depth = depth - 1;
    return e;
  }

  private subscriptItem(): Expr {
    if (this.op('*')) bail('star in subscript');
    const s = this.start[this.i]!;
    let lower: Expr | undefined;
    if (!this.op(':')) {
      lower = this.expression();
      if (!this.op(':')) return lower;
    }
    const parts: (Expr | undefined)[] = [lower];
    while (this.op(':') && parts.length < 3) {
      this.next();
      parts.push(undefined);
      if (!this.op(':') && !this.op(',') && !this.op(']')) parts[parts.length - 1] = this.expression();
    }
    if (this.op(':')) bail('slice');
    return { k: 'slice', lower: parts[0], upper: parts[1], step: parts[2], s, e: this.prevEnd() };
  }

  /** `(` arguments `)`; a lone generator argument is the call's `generator_expression`. */
  private argumentList(): { args: Arg[]; s: number; e: number; generator: boolean } {
    const s = this.start[this.i]!;
    this.next();
    const args: Arg[] = [];
    let generator = false;
    // a line continuation between arguments is a child of argument_list, which the lowering skips (it
    // is no argument); one before a generator argument is declined (not modelled)
    let continuations = 0;
    const lcArg = (j: number): void => {
      if (this.allowLc(j)) continuations++;
    };
    for (;;) {
      lcArg(this.i);
      if (this.op(')')) break;
      const j = this.i;
      const as = this.start[j]!;
      if (this.op('*') || this.op('**')) {
        const star = this.val[j] as '*' | '**';
        this.next();
        // (in an argument list a list_splat takes a whole expression: `*a + b`, `*a if c else d`)
        const value = this.expression();
        if (!this.op(',') && !this.op(')')) bail('star argument');
        args.push({ star, value, s: as, e: value.e });
      } else if (this.isName() && this.op('=', j + 1)) {
        this.next();
        this.allow(this.i);
        this.next();
        const value = this.expression();
        args.push({ name: this.val[j]!, value, s: as, e: value.e });
      } else {
        const value = this.expression();
        if (this.kw('for') || (this.kw('async') && this.kw('for', this.i + 1))) {
          if (args.length || continuations) bail('generator after arguments');
          const kids = [value, ...this.comprehension()];
          if (!this.op(')')) bail('generator argument');
          this.next();
          const g: Expr = { k: 'other', kids, s, e: this.prevEnd() };
          return { args: [{ value: g, s, e: g.e }], s, e: g.e, generator: true };
        }
        args.push({ value, s: as, e: value.e });
      }
      lcArg(this.i);
      if (!this.op(',')) break;
      this.next();
    }
    this.expectOp(')');
    return { args, s, e: this.prevEnd(), generator };
  }

  /** for_in_clause / if_clause nodes after a comprehension's body. */
  private comprehension(): Expr[] {
    const out: Expr[] = [];
    // (line continuations between clauses, before the closing bracket and inside a clause: nothing in the IR)
    for (;;) {
      this.allowLc(this.i);
      const s = this.start[this.i]!;
      if (this.kw('async') && this.kw('for', this.i + 1)) this.next();
      if (this.kw('for')) {
        this.next();
        const kids: Expr[] = [];
        this.allowLc(this.i);
        const left = this.targets();
        kids.push(left);
        this.allowLc(this.i);
        this.expectKw('in');
        this.allowLc(this.i);
        if (this.kw('lambda')) bail('lambda in a for clause');
        const right = this.orTest();
        kids.push(right);
        if (this.op(',')) bail('for clause list');
        out.push({ k: 'other', kids, s, e: right.e });
      } else if (this.kw('if')) {
        this.next();
        const kids: Expr[] = [];
        this.allowLc(this.i);
        if (this.kw('lambda')) bail('lambda in an if clause');
        const cond = this.orTest();
        kids.push(cond);
        if (this.kw('else')) bail('conditional in an if clause');
        out.push({ k: 'other', kids, s, e: cond.e });
      } else return out;
    }
  }

  /** An element of a list, tuple, set or expression list: an expression or `*expr`. */
  private starOrExpr(bare = false): Expr {
    if (this.op('*')) {
      const s = this.start[this.i]!;
      this.next();
      const inner = this.postfix();
      // outside brackets tree-sitter reads `*a[0]` as (*a)[0]
      if (bare && inner.k !== 'name') bail('star expression with trailers');
      const nk = this.kind[this.i];
      const nv = this.val[this.i]!;
      if (!(nk === NEWLINE || (nk === OP && (nv === ',' || CLOSERS.has(nv))) || this.kw('in'))) bail('star expression');
      return { k: 'star', inner, s, e: inner.e };
    }
    return this.expression();
  }

  private yieldExpr(): Expr {
    const s = this.start[this.i]!;
    this.next();
    if (this.kw('from')) {
      this.next();
      const v = this.expression();
      return { k: 'other', kids: [v], s, e: v.e };
    }
    if (!this.startsExpr()) return { k: 'other', kids: [], s, e: this.prevEnd() };
    const v = this.expressions();
    return { k: 'other', kids: [v], s, e: v.e };
  }

  private atom(): Expr {
    const j = this.i;
    const s = this.start[j]!;
    switch (this.kind[j]) {
      case NAME: {
        const v = this.val[j]!;
        if (v === 'True' || v === 'False' || v === 'None') {
          this.next();
          return { k: 'const', value: v, s, e: this.end[j]! };
        }
        if (this.flags[j]! & KW) bail(`keyword ${v}`);
        this.next();
        return { k: 'name', id: v, s, e: this.end[j]! };
      }
      case NUM: {
        this.next();
        const raw = this.val[j]!;
        if (isDigits(raw)) return { k: 'num', value: Number(raw), isFloat: false, raw, s, e: this.end[j]! }; // as parseNumber
        const value = parseNumber(raw);
        if (value === undefined) return { k: 'other', kids: [], text: raw, s, e: this.end[j]! };
        const isFloat = !/^0[xXoObB]/.test(raw) && /[.eE]/.test(raw);
        return { k: 'num', value, isFloat, raw, s, e: this.end[j]! };
      }
      case STR:
        return this.strings();
      case OP:
        break;
      default:
        bail('expected an expression');
    }
    const v = this.val[j]!;
    if (v === '...') {
      this.next();
      return { k: 'const', value: 'Ellipsis', s, e: this.end[j]! };
    }
    if (v === '(') return this.parenthesized();
    if (v === '[') return this.listDisplay();
    if (v === '{') return this.braceDisplay();
    bail(`unexpected ${v}`);
  }

  /** One string or implicitly concatenated strings. */
  private strings(): Expr {
    const first = this.i;
    const parts: Expr[] = [];
    let plain = true;
    let value = '';
    for (;;) {
      const j = this.i;
      const s = this.start[j]!;
      const e = this.end[j]!;
      if (j > first && this.flags[j]! & CM) plain = false;
      this.next();
      const f = this.flags[j]! & FSTR ? this.t.fexpr.get(j) : undefined;
      if (f) {
        plain = false;
        parts.push(f);
      } else {
        const content = this.src.slice(s + this.t.open[j]!, e - this.t.close[j]!);
        value += content;
        parts.push({ k: 'str', value: content, s, e });
      }
      if (this.kind[this.i] !== STR) break;
    }
    const s = this.start[first]!;
    const e = this.prevEnd();
    if (this.i - first === 1) return parts[0]!;
    if (plain) return { k: 'str', value, s, e };
    return { k: 'other', kids: parts, s, e };
  }

  /** After a collection's first element: `, element`… up to `closer` (line continuations between elements are nothing in the IR). */
  private elements(elts: Expr[], closer: string): void {
    for (;;) {
      this.allowLc(this.i);
      if (!this.op(',')) break;
      this.next();
      this.allowLc(this.i);
      if (this.op(closer)) break;
      elts.push(this.starOrExpr());
    }
    this.expectOp(closer);
  }

  private isFor(): boolean {
    return this.kw('for') || (this.kw('async') && this.kw('for', this.i + 1));
  }

  private parenthesized(): Expr {
    const s = this.start[this.i]!;
    this.next();
    const lead = this.allowLc(this.i);
    if (this.op(')')) {
      if (lead) bail('line continuation in ()');
      this.next();
      return this.mark({ k: 'tuple', elts: [], s, e: this.prevEnd() });
    }
    if (this.kw('yield')) {
      if (lead) bail('line continuation before yield');
      const y = this.yieldExpr();
      this.expectOp(')');
      return { k: 'paren', inner: y, s, e: this.prevEnd() };
    }
    const first = this.starOrExpr();
    const elts = [first];
    if (first.k !== 'star' && this.isFor()) {
      const kids = [...elts, ...this.comprehension()];
      this.expectOp(')');
      return { k: 'other', kids, s, e: this.prevEnd() };
    }
    this.allowLc(this.i);
    if (this.op(')')) {
      if (first.k === 'star') bail('parenthesized star');
      this.next();
      return { k: 'paren', inner: first, s, e: this.prevEnd() };
    }
    if (!this.op(',')) bail('expected , or )');
    this.elements(elts, ')');
    return this.mark({ k: 'tuple', elts, s, e: this.prevEnd() });
  }

  private mark(e: Expr): Expr {
    (this.parenthesised ??= new Set()).add(e);
    return e;
  }

  private listDisplay(): Expr {
    const s = this.start[this.i]!;
    this.next();
    this.allowLc(this.i);
    if (this.op(']')) {
      this.next();
      return { k: 'list', elts: [], s, e: this.prevEnd() };
    }
    if (this.kw('yield')) bail('yield in a list');
    const first = this.starOrExpr();
    const elts = [first];
    if (first.k !== 'star' && this.isFor()) {
      const kids = [...elts, ...this.comprehension()];
      this.expectOp(']');
      return { k: 'other', kids, s, e: this.prevEnd() };
    }
    this.elements(elts, ']');
    return { k: 'list', elts, s, e: this.prevEnd() };
  }

  private braceDisplay(): Expr {
    const s = this.start[this.i]!;
    this.next();
    // (a dictionary's lowering reads only its pairs and splats: a line continuation there is ignored)
    const lead = this.allowLc(this.i);
    if (this.op('}')) {
      if (lead) bail('line continuation in {}');
      this.next();
      return { k: 'dict', keys: [], values: [], s, e: this.prevEnd() };
    }
    if (this.kw('yield')) bail('yield in a set');
    if (this.op('**')) return this.dictRest(s, [], []);
    const first = this.starOrExpr();
    if (first.k !== 'star' && this.op(':')) {
      this.allow(this.i);
      this.next();
      const value = this.expression();
      if (this.isFor()) {
        const pair: Expr = { k: 'other', kids: [first, value], s: first.s, e: value.e };
        const kids = [pair, ...this.comprehension()];
        this.expectOp('}');
        return { k: 'other', kids, s, e: this.prevEnd() };
      }
      return this.dictRest(s, [first], [value]);
    }
    const elts = [first];
    if (first.k !== 'star' && this.isFor()) {
      const kids = [...elts, ...this.comprehension()];
      this.expectOp('}');
      return { k: 'other', kids, s, e: this.prevEnd() };
    }
    this.elements(elts, '}');
    return { k: 'set', elts, s, e: this.prevEnd() };
  }

  private dictRest(s: number, keys: (Expr | null)[], values: Expr[]): Expr {
    for (;;) {
      if (keys.length) {
        if (!this.op(',')) break;
        this.allow(this.i);
        this.next();
        if (this.op('}')) break;
      }
      if (this.op('**')) {
        this.next();
        const v = this.expression();
        keys.push(null);
        values.push(v);
      } else {
        const k = this.expression();
        this.allow(this.i);
        this.expectOp(':');
        const v = this.expression();
        keys.push(k);
        values.push(v);
      }
    }
    this.allow(this.i, false);
    this.expectOp('}');
    return { k: 'dict', keys, values, s, e: this.prevEnd() };
  }
}
