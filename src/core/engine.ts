// The one entry point every adapter calls: text (+ settings) in, plain data out.
import { analyze } from './analysis/interpret';
import { Parsers, type WasmLoader } from './parser';
import { lowerPython } from './python/lower';
import { catalogue, ruleUrl } from './rules/catalogue';
import { rules as allRules } from './rules';
import type { Rule } from './rules/rule';
import { runRules } from './rules/run';
import { LineIndex } from './text';
import { defaultSettings, type AnalysisNote, type CheckResult, type Finding, type RuleCode, type Settings } from './types';

export interface CheckOptions {
  /** Used for messages only; the core never reads files. */
  path?: string;
  settings?: Settings;
  /** Skip the textual prefilter (tests use it to prove the prefilter changes nothing). */
  noPrefilter?: boolean;
}

/**
 * Every rule needs at least one of these words in the file (a softmax/sigmoid producer, a log of
 * something, an exp for the softmax patterns). A file with none of them cannot produce a finding.
 */
const TRIGGER = /softmax|sigmoid|Softmax|Sigmoid|expit|log|exp\(|predict|Dense|Linear|Crossentropy|cross_entropy/;

export class Engine {
  private constructor(readonly parsers: Parsers, private readonly rules: readonly Rule[] = allRules) {}

  static async create(load: WasmLoader): Promise<Engine> {
    return new Engine(await Parsers.create(load, ['python']));
  }

  check(text: string, options: CheckOptions = {}): CheckResult {
    const settings = options.settings ?? defaultSettings;
    if (!options.noPrefilter && !TRIGGER.test(text)) return { findings: [], notes: [], parsed: false };
    const notes: AnalysisNote[] = [];
    const lines = new LineIndex(text);
    const tree = this.parsers.parse('python', text);
    try {
      const module = lowerPython(tree.rootNode);
      if (module.errors.length) {
        const first = module.errors[0];
        notes.push({ kind: 'syntax-error', message: `syntax error (analysed what parses)`, range: lines.range(first.s, first.e) });
      }
      const enabled = this.rules.filter((r) => isEnabled(r.meta.code, settings));
      const reports = runRules(text, analyze(module), enabled);
      const findings: Finding[] = [];
      const seen = new Set<string>();
      for (const r of reports) {
        const key = `${r.code}:${r.span.s}:${r.span.e}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const meta = catalogue.find((m) => m.code === r.code);
        if (!meta) continue;
        const severity = settings.severity[r.code] ?? meta.defaultSeverity;
        if (severity === 'off') continue;
        const range = lines.range(r.span.s, r.span.e);
        findings.push({
          code: r.code,
          name: meta.name,
          message: r.message,
          severity,
          range,
          fix: r.fix ? { applicability: r.fix.applicability, message: r.fix.message, edits: r.fix.edits.map((e) => ({ range: lines.range(e.s, e.e), content: e.content })) } : null,
          related: (r.related ?? []).map((x) => ({ message: x.message, range: lines.range(x.span.s, x.span.e) })),
          url: ruleUrl(meta),
          noqaLine: range.start.line,
        });
      }
      findings.sort((a, b) => a.range.startOffset - b.range.startOffset || a.code.localeCompare(b.code));
      return { findings, notes, parsed: true };
    } catch (e) {
      notes.push({ kind: 'internal-error', message: `internal error: ${e instanceof Error ? e.message : String(e)}` });
      return { findings: [], notes, parsed: true };
    } finally {
      tree.delete();
    }
  }
}

/** Ruff-style selection: the most specific matching prefix wins; ignore wins ties. */
export function isEnabled(code: RuleCode, s: Settings): boolean {
  const match = (list: string[]): number => Math.max(-1, ...list.filter((p) => code.startsWith(p.toUpperCase())).map((p) => p.length));
  const sel = s.select.length ? match(s.select) : 0;
  const ign = match(s.ignore);
  if (sel < 0) return false;
  return ign < sel || ign < 0;
}
