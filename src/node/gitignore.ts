// .gitignore patterns (gitignore(5)) and exclude globs, compiled to regular expressions.
// Matching is on "/"-separated paths relative to the directory the pattern belongs to.
// Walkers check every directory before entering it, which gives git's rule that nothing inside
// an ignored directory can be re-included.

export interface IgnoreRule {
  /** The line as written, for messages. */
  source: string;
  negate: boolean;
  /** Pattern ended with "/": matches directories only. */
  dirOnly: boolean;
  /** No "/" except at the end: matches the entry's own name at any depth. */
  basename: boolean;
  regex: RegExp;
}

/** Parses a .gitignore file; blank lines and comments give no rule. */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const r = compilePattern(raw, true);
    if (r) rules.push(r);
  }
  return rules;
}

/**
 * Compiles one pattern. With `gitignore`, `#` starts a comment, `!` negates and trailing spaces
 * are dropped unless escaped; otherwise (exclude globs) the text is a plain glob.
 */
export function compilePattern(line: string, gitignore: boolean): IgnoreRule | null {
  let p = line;
  if (gitignore) {
    if (p.startsWith('#')) return null;
    // Trailing spaces are dropped unless the last one is escaped with a backslash.
    let end = p.length;
    while (end > 0 && p[end - 1] === ' ' && !(end > 1 && p[end - 2] === '\\')) end--;
    p = p.slice(0, end);
  } else p = p.trim();
  if (p === '') return null;
  let negate = false;
  if (gitignore && p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  }
  if (!gitignore && p.startsWith('./')) p = p.slice(2);
  let dirOnly = false;
  while (p.length > 1 && p.endsWith('/') && !p.endsWith('\\/')) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  if (p === '' || p === '/') return null;
  const basename = !p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  return { source: line, negate, dirOnly, basename, regex: new RegExp(`^${globBody(p)}$`) };
}

/** The regex source for a glob: `*` and `?` stay within a path segment, `**` spans segments. */
export function globBody(pattern: string): string {
  const segs = pattern.split('/');
  let out = '';
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (seg === '**') {
      if (segs.length === 1) out += '.*';
      else if (i === 0) out += '(?:.*/)?'; // leading **/: any depth, including none
      else if (last) out += '.*'; // trailing /**: everything inside
      else out += '(?:.*/)?'; // a/**/b: zero or more directories
      continue;
    }
    out += segment(seg);
    if (!last) out += '/';
  }
  return out;
}

function segment(seg: string): string {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) out += escape(seg[++i]!);
    else if (c === '*') {
      while (seg[i + 1] === '*') i++; // "**" inside a segment is a plain "*"
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const cls = charClass(seg, i);
      if (cls) {
        out += cls.regex;
        i = cls.end;
      } else out += '\\[';
    } else out += escape(c);
  }
  return out;
}

/** `[abc]`, `[a-z]`, `[!x]`/`[^x]` starting at `start`; null when unclosed. */
function charClass(seg: string, start: number): { regex: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (seg[i] === '!' || seg[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  for (; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === ']' && !first) return { regex: negate ? `[^/${body}]` : `[${body}]`, end: i };
    first = false;
    if (c === '\\' && i + 1 < seg.length) body += `\\${seg[++i]}`;
    else if (c === '-' && body !== '' && seg[i + 1] !== ']') body += '-';
    else body += /[\]\\^-]/.test(c) ? `\\${c}` : c;
  }
  return null;
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** Whether `rule` matches `rel` (relative to the rule's directory, "/"-separated). */
export function ruleMatches(rule: IgnoreRule, rel: string, isDir: boolean): boolean {
  if (rule.dirOnly && !isDir) return false;
  const subject = rule.basename ? rel.slice(rel.lastIndexOf('/') + 1) : rel;
  return rule.regex.test(subject);
}

/** Rules of one .gitignore (or exclude list) and the directory they are relative to. */
export interface IgnoreLayer {
  /** Absolute directory, "/"-separated; "" for rules that match names anywhere (basename rules). */
  base: string;
  rules: IgnoreRule[];
}

/**
 * Whether the layers ignore `path` (absolute, "/"-separated). Outer layers come first; the last
 * matching rule of all decides, so a deeper .gitignore overrides a shallower one.
 */
export function isIgnored(layers: readonly IgnoreLayer[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    let rel = path;
    if (layer.base !== '') {
      const prefix = layer.base.endsWith('/') ? layer.base : `${layer.base}/`;
      if (!path.startsWith(prefix)) continue;
      rel = path.slice(prefix.length);
    }
    for (const rule of layer.rules) if (ruleMatches(rule, rel, isDir)) ignored = !rule.negate;
  }
  return ignored;
}
