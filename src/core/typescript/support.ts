// What the engine does differently for TypeScript/JavaScript: which files need analysis, how
// `// noqa` comments are read, and which fixes may be offered.
import type { Span } from '../ir';
import type { CommentRange } from '../noqa';
import type { EditSpan, Report } from '../rules/rule';
import type { ScriptLanguage } from './lower';
import type { GrammarName } from '../parser';

/** The language and grammar of a path by its extension; undefined for anything else (Python, notebooks). */
export function scriptLanguageOf(path: string | undefined): { language: ScriptLanguage; grammar: GrammarName } | undefined {
  const m = /\.([cm]?[jt]sx?)$/i.exec(path ?? '');
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  if (ext === 'tsx') return { language: 'typescript', grammar: 'tsx' };
  if (ext === 'ts' || ext === 'mts' || ext === 'cts') return { language: 'typescript', grammar: 'typescript' };
  if (ext === 'js' || ext === 'mjs' || ext === 'cjs' || ext === 'jsx') return { language: 'javascript', grammar: 'javascript' };
  return undefined;
}

/** The grammar for an explicit language name (`typescript`, `tsx`, `javascript`, `javascriptreact`...). */
export function scriptGrammar(language: string | undefined): { language: ScriptLanguage; grammar: GrammarName } | undefined {
  switch (language) {
    case 'typescript':
      return { language: 'typescript', grammar: 'typescript' };
    case 'tsx':
    case 'typescriptreact':
      return { language: 'typescript', grammar: 'tsx' };
    case 'javascript':
    case 'javascriptreact':
    case 'jsx':
      return { language: 'javascript', grammar: 'javascript' };
    default:
      return undefined;
  }
}

/** TorchFix-style prefilter: only files that import TensorFlow.js can produce a finding. */
export const TFJS_TRIGGER = /@tensorflow\/tfjs/;

/**
 * Scripts that are not source to fix: declaration files (`.d.ts`: no executable code) and minified
 * bundles (`.min.js`, or over 100 kB whose lines average over 1,000 characters: vendored, generated).
 */
export function isGeneratedScript(path: string | undefined, text: string): boolean {
  if (/\.d\.[cm]?tsx?$/i.test(path ?? '') || /[.-]min\.[cm]?js$/i.test(path ?? '')) return true;
  if (text.length < 100_000) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > 1_000;
}

/**
 * `// noqa: SL001` (and `/* noqa *\/`, `// stable-loss: noqa`) read by the Python-`#`-based noqa code:
 * a copy of the text of the same length where each comment opener is replaced by `# `, and the
 * comment ranges. Offsets and lines are unchanged. Block comments count only when they fit on one line.
 */
export function noqaView(text: string, comments: readonly Span[]): { text: string; comments: CommentRange[] } {
  if (!/noqa/i.test(text)) return { text, comments: [] };
  const parts: string[] = [];
  const ranges: CommentRange[] = [];
  let at = 0;
  for (const c of comments) {
    const opener = text.slice(c.s, c.s + 2);
    if (opener !== '//' && opener !== '/*') continue;
    let end = c.e;
    if (opener === '/*') {
      const body = text.slice(c.s, c.e);
      if (/[\r\n]/.test(body)) continue;
      end = c.e - 2; // without the closing */
    }
    parts.push(text.slice(at, c.s), '# ');
    at = c.s + 2;
    ranges.push({ start: c.s, end });
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), comments: ranges };
}

/**
 * Rules whose fixes are plain text operations valid in TypeScript/JavaScript: SL001 replaces an
 * argument with the activation's input; SL003/SL004 rename the activation to the table's fused log
 * variant (`tf.softmax` → `tf.logSoftmax`, `x.softmax()` → `x.logSoftmax()`) and keep its arguments;
 * SL005 writes its own TF.js call (`tf.losses.softmaxCrossEntropy(y, x)`, see `shared/ce-fix.ts`);
 * SL002 replaces a logits loss function in `model.compile({loss})` with the Layers API's string loss,
 * SL009 the other way round, SL006 writes `tf.logSumExp(x, axis)` (their TF.js fixes are built for
 * TF.js: `isScript` in the rules).
 * Other rules build Python text (keywords such as `from_logits=True`, imports): their findings are
 * reported without a fix until they learn TypeScript.
 */
const SCRIPT_FIXABLE = new Set(['SL001', 'SL002', 'SL003', 'SL004', 'SL005', 'SL006', 'SL009']);

/** The report's fix when it is valid in a TypeScript/JavaScript file; undefined otherwise. */
export function scriptFix(r: Report, text: string, comments: readonly Span[]): Report['fix'] {
  const fix = r.fix;
  if (!fix || !SCRIPT_FIXABLE.has(r.code)) return undefined;
  for (const e of fix.edits) {
    if (addsPythonImport(e)) return undefined; // the import helper writes Python imports
    // Python keyword arguments or literals in new text are not TypeScript
    if (/\b(True|False|None)\b|\w=(?![=>])/.test(e.content) && !sameTokens(text.slice(e.s, e.e), e.content)) return undefined;
    for (const c of comments) {
      if (c.s >= e.e) break;
      if (c.s >= e.s && c.e <= e.e && !e.content.includes(text.slice(c.s, c.e))) return undefined; // would drop a comment
    }
  }
  return fix;
}

function addsPythonImport(e: EditSpan): boolean {
  return /(^|\n)\s*(import\s+[\w.]+(\s+as\s+\w+)?|from\s+[\w.]+\s+import\s)\s*(\r?\n|$)/.test(e.content);
}

/** Every word of `content` already occurs in `before` (the edit only moves or drops existing text). */
function sameTokens(before: string, content: string): boolean {
  const have = new Set(before.match(/\w+/g) ?? []);
  return (content.match(/\w+/g) ?? []).every((w) => have.has(w));
}
