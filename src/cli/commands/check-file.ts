// One file of `stable-loss check`: read, lint (engine + settings + `# noqa`), and in the fixing
// modes fix, diff or add `# noqa`, writing atomically. Returns what to print; never throws for a
// bad file.
import type { ProjectHost } from '../../core/analysis/project';
import type { Engine } from '../../core/engine';
import { applySettings } from '../../core/config';
import { applyFixes, fixAll } from '../../core/fix/apply';
import { unifiedDiff } from '../../core/fix/diff';
import { addNoqaEdit } from '../../core/noqa';
import { LineIndex } from '../../core/fix/text';
import type { AnalysisNote, Finding, Fix, Settings } from '../../core/types';
import type { DiscoveredFile } from '../../node/discover';
import { readSource } from '../../node/read';
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
  const src = readSource(file.path);
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
    const w = writeFileAtomic(file.path, text, { bom: src.bom, roots: ctx.roots, expect: { size: src.size, mtimeMs: src.mtimeMs } });
    if (!w.ok) out.errors.push(`could not write the fixes: ${w.reason}`);
    return w.ok;
  };
  const done = (text: string, findings: Finding[]) => {
    out.result = { path: file.path, display: file.display, text, findings };
    return out;
  };
  try {
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
 * TypeScript/JavaScript: appends `  // noqa: CODES` to lines without any comment or template
 * literal (whose insides a comment could land in); other lines are returned in `skipped`.
 */
export function withScriptNoqa(text: string, findings: readonly Finding[]): { text: string; added: number; skipped: number[] } {
  const byLine = new Map<number, string[]>();
  for (const f of findings) byLine.set(f.noqaLine, [...(byLine.get(f.noqaLine) ?? []), f.code]);
  const idx = new LineIndex(text);
  const fixes: Fix[] = [];
  const skipped: number[] = [];
  for (const [line, codes] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const content = idx.lineText(line);
    if (/\/\/|\/\*|\*\/|`/.test(content)) {
      skipped.push(line);
      continue;
    }
    const end = idx.lineStart(line) + content.trimEnd().length;
    const directive = `  // noqa: ${[...new Set(codes)].sort().join(', ')}`;
    fixes.push({ applicability: 'safe', message: 'Add noqa', edits: [{ range: idx.rangeOf(end, idx.lineStart(line) + content.length), content: directive }] });
  }
  const r = applyFixes(text, fixes);
  return { text: r.text, added: r.applied.length, skipped };
}
