// One file of `stable-loss check`: read, lint (engine + settings + `# noqa`), and in the fixing
// modes fix, diff or add `# noqa`, writing atomically. Returns what to print; never throws for a
// bad file.
import type { ProjectHost } from '../../core/analysis/project';
import type { Engine } from '../../core/engine';
import { applySettings } from '../../core/config';
import { applyFixes, fixAll } from '../../core/fix/apply';
import { unifiedDiff } from '../../core/fix/diff';
import { addNoqaEdit, addSlashNoqaEdit } from '../../core/noqa';
import { checkNotebookWith, fixNotebookWith, NotebookError, parseNotebook, replaceCellSources, type Notebook } from '../../core/notebook';
import { LineIndex } from '../../core/fix/text';
import type { AnalysisNote, Finding, Fix, Settings } from '../../core/types';
import type { DiscoveredFile } from '../../node/discover';
import { readSource, type SourceFile, type Unreadable } from '../../node/read';
import { writeFileAtomic } from '../../node/write';
import type { FileResult } from '../format';

export type Mode = 'check' | 'fix' | 'fix-only' | 'diff' | 'add-noqa';

export interface FileContext {
  engine: Pick<Engine, 'check'>;
  settings: Settings;
  mode: Mode;
  unsafeFixes: boolean;
  /** Real paths of the checked trees: writes stay inside them. */
  roots: readonly string[];
  /** The other files of the project, for models and helpers defined in another module. */
  project?: ProjectHost;
  /** Reads the file (default: from disk); `check -` reads stdin. */
  read?: (path: string) => SourceFile | Unreadable;
  /** Takes the fixed text instead of writing the file (`check -` prints it); true when done. */
  output?: (text: string, bom: boolean) => boolean;
}

export function isNotebook(path: string): boolean {
  return /\.ipynb$/i.test(path);
}

/** TypeScript/JavaScript (TensorFlow.js), by extension, as the engine decides. */
export function isScript(path: string): boolean {
  return /\.[cm]?[jt]sx?$/i.test(path);
}

export interface FileOutcome {
  /** Present when the file was checked: its final text and remaining findings. */
  result?: FileResult;
  notes: AnalysisNote[];
  /** Findings fixed (written, or in the diff). */
  fixed: number;
  /** `# noqa` directives added. */
  noqaAdded: number;
  diff: string;
  /** One-line messages (without "error: "/"warning: " and the path). */
  errors: string[];
  warnings: string[];
}

export function checkFile(file: DiscoveredFile, ctx: FileContext): FileOutcome {
  const out: FileOutcome = { notes: [], fixed: 0, noqaAdded: 0, diff: '', errors: [], warnings: [] };
  const src = (ctx.read ?? readSource)(file.path);
  if (!src.ok) {
    if (src.kind === 'error') out.errors.push(src.reason);
    else out.warnings.push(`skipped: ${src.reason}`);
    return out;
  }
  const lint = (text: string): Finding[] => {
    const r = ctx.engine.check(text, { path: file.path, settings: ctx.settings, ...(ctx.project ? { project: ctx.project } : {}) });
    out.notes = r.notes;
    // The engine reads `# noqa` (`// noqa` in scripts) and applies the settings; applying them
    // again is idempotent and keeps severities right whatever the engine does.
    return applySettings(r.findings, ctx.settings);
  };
  const write = (text: string): boolean => {
    if (ctx.output) return ctx.output(text, src.bom);
    const w = writeFileAtomic(file.path, text, { bom: src.bom, roots: ctx.roots, expect: { size: src.size, mtimeMs: src.mtimeMs } });
    if (!w.ok) out.errors.push(`could not write the fixes: ${w.reason}`);
    return w.ok;
  };
  const done = (text: string, findings: Finding[]) => {
    out.result = { path: file.path, display: file.display, text, findings };
    return out;
  };
  try {
    if (isNotebook(file.path)) return checkNotebookFile(file, ctx, src.text, out, lint, write);
    if (ctx.mode === 'check') return done(src.text, lint(src.text));
    if (ctx.mode === 'add-noqa') {
      const findings = lint(src.text);
      const text = isScript(file.path) ? withScriptNoqa(src.text, findings) : withNoqa(src.text, findings);
      for (const line of text.skipped) out.warnings.push(`line ${line + 1}: has a comment or a template literal; add \`// noqa\` there by hand`);
      if (text.added && write(text.text)) out.noqaAdded = text.added;
      return done(src.text, findings);
    }
    const r = fixAll(src.text, lint, { unsafe: ctx.unsafeFixes });
    if (!r.converged && r.applied > 0) out.warnings.push(`fixes did not settle after ${r.passes} passes; fixable findings remain`);
    if (r.text === src.text) return done(src.text, r.remaining);
    if (ctx.mode === 'diff') {
      out.diff = unifiedDiff(src.text, r.text, { fromFile: file.display, toFile: file.display });
      out.fixed = r.applied;
      return done(r.text, r.remaining);
    }
    if (write(r.text)) {
      out.fixed = r.applied;
      return done(r.text, r.remaining);
    }
    return done(src.text, lint(src.text));
  } catch (e) {
    out.errors.push(`internal error while checking: ${e instanceof Error ? e.message : String(e)}`);
    return out;
  }
}

/** The text with a `# noqa: CODES` on the noqa line of every finding (merged per line). */
export function withNoqa(text: string, findings: readonly Finding[]): { text: string; added: number; skipped: number[] } {
  const byLine = new Map<number, string[]>();
  for (const f of findings) byLine.set(f.noqaLine, [...(byLine.get(f.noqaLine) ?? []), f.code]);
  const fixes: Fix[] = [];
  for (const [line, codes] of byLine) {
    const edit = addNoqaEdit(text, line, codes);
    if (edit) fixes.push({ applicability: 'safe', message: 'Add noqa', edits: [edit] });
  }
  if (!fixes.length) return { text, added: 0, skipped: [] };
  const r = applyFixes(text, fixes);
  return { text: r.text, added: r.applied.length, skipped: [] };
}

/**
 * TypeScript/JavaScript: `// noqa: CODES` per line (see addSlashNoqaEdit); lines it cannot edit
 * safely (another comment, a template literal) come back in `skipped`.
 */
export function withScriptNoqa(text: string, findings: readonly Finding[]): { text: string; added: number; skipped: number[] } {
  const byLine = new Map<number, string[]>();
  for (const f of findings) byLine.set(f.noqaLine, [...(byLine.get(f.noqaLine) ?? []), f.code]);
  const idx = new LineIndex(text);
  const fixes: Fix[] = [];
  const skipped: number[] = [];
  for (const [line, codes] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const edit = addSlashNoqaEdit(text, line, codes);
    if (edit) fixes.push({ applicability: 'safe', message: 'Add noqa', edits: [edit] });
    else if (!/noqa/i.test(idx.lineText(line))) skipped.push(line);
  }
  const r = applyFixes(text, fixes);
  return { text: r.text, added: r.applied.length, skipped };
}

/**
 * A Jupyter notebook: its code cells are checked as one program; findings, fixes and `# noqa`
 * live in cells (the result carries the cell sources for the formatters); fixes and added noqa
 * rewrite only the changed cells' sources inside the JSON, which is written back whole.
 */
function checkNotebookFile(
  file: DiscoveredFile,
  ctx: FileContext,
  json: string,
  out: FileOutcome,
  lint: (text: string) => Finding[],
  write: (text: string) => boolean,
): FileOutcome {
  const parse = (text: string): Notebook | null => {
    try {
      return parseNotebook(text);
    } catch (e) {
      if (e instanceof NotebookError) {
        out.warnings.push(`skipped: not a notebook we can read: ${e.message}`);
        return null;
      }
      throw e;
    }
  };
  const nb = parse(json);
  if (!nb) return out;
  if (nb.language && nb.language.toLowerCase() !== 'python') return out; // an R or Julia notebook: nothing of ours
  const done = (text: string, book: Notebook) => {
    out.result = { path: file.path, display: file.display, text, findings: checkNotebookWith(book, lint), cells: book.cells.map((c) => c.source) };
    return out;
  };
  if (ctx.mode === 'check') return done(json, nb);
  if (ctx.mode === 'add-noqa') {
    const findings = checkNotebookWith(nb, lint);
    const changes = new Map<number, string>();
    for (const cell of new Set(findings.map((f) => f.cell))) {
      const r = withNoqa(nb.cells[cell]!.source, findings.filter((f) => f.cell === cell));
      if (r.added) {
        changes.set(cell, r.text);
        out.noqaAdded += r.added;
      }
    }
    if (changes.size && !write(replaceCellSources(json, nb, changes))) out.noqaAdded = 0;
    return done(json, nb);
  }
  const r = fixNotebookWith(json, lint, { unsafe: ctx.unsafeFixes });
  if (r.json === json) return done(json, nb);
  const fixedBook = parse(r.json);
  if (!fixedBook) return out;
  if (ctx.mode === 'diff') {
    out.diff = unifiedDiff(json, r.json, { fromFile: file.display, toFile: file.display });
    out.fixed = r.applied;
    return done(r.json, fixedBook);
  }
  if (!write(r.json)) return done(json, nb);
  out.fixed = r.applied;
  return done(r.json, fixedBook);
}
