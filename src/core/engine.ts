// The one entry point every adapter calls: text (+ settings) in, plain data out.
import { analyze } from './analysis/interpret';
import { Parsers, type SyntaxNode, type WasmLoader } from './parser';
import { lowerPython } from './python/lower';
import { catalogue, ruleUrl } from './rules/catalogue';
import { rules as allRules } from './rules';
import type { Rule } from './rules/rule';
import { runRules } from './rules/run';
import { applySettings, isRuleEnabled } from './config';
import { LineIndex } from './fix/text';
import { filterNoqa } from './noqa';
import { defaultSettings, type AnalysisNote, type CheckResult, type Finding, type Settings } from './types';

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
      const firstError = module.errors[0] ?? (tree.rootNode.hasError ? firstErrorSpan(tree.rootNode) : undefined);
      if (firstError) notes.push({ kind: 'syntax-error', message: 'syntax error (analysed what parses)', range: lines.rangeOf(firstError.s, firstError.e) });
      const enabled = this.rules.filter((r) => isRuleEnabled(r.meta.code, settings));
      const reports = runRules(text, analyze(module), enabled);
      const findings: Finding[] = [];
      const seen = new Set<string>();
      for (const r of reports) {
        const key = `${r.code}:${r.span.s}:${r.span.e}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const meta = catalogue.find((m) => m.code === r.code);
        if (!meta) continue;
        const severity = meta.defaultSeverity;
        const range = lines.rangeOf(r.span.s, r.span.e);
        findings.push({
          code: r.code,
          name: meta.name,
          message: r.message,
          severity,
          range,
          fix: r.fix ? { applicability: r.fix.applicability, message: r.fix.message, edits: r.fix.edits.map((e) => ({ range: lines.rangeOf(e.s, e.e), content: e.content })) } : null,
          related: (r.related ?? []).map((x) => ({ message: x.message, range: lines.rangeOf(x.span.s, x.span.e) })),
          url: ruleUrl(meta),
          noqaLine: range.start.line,
        });
      }
      findings.sort((a, b) => a.range.startOffset - b.range.startOffset || a.code.localeCompare(b.code));
      // noqa directives are read from the comments of the text (strings excluded), only when needed.
      return { findings: filterNoqa(applySettings(findings, settings), text), notes, parsed: true };
    } catch (e) {
      notes.push({ kind: 'internal-error', message: `internal error: ${e instanceof Error ? e.message : String(e)}` });
      return { findings: [], notes, parsed: true };
    } finally {
      tree.delete();
    }
  }
}

/** The first ERROR or MISSING node, descending only into subtrees that contain an error. */
function firstErrorSpan(root: SyntaxNode): { s: number; e: number } | undefined {
  let node: SyntaxNode | null = root;
  while (node) {
    if (node.type === 'ERROR' || node.isMissing) return { s: node.startIndex, e: node.endIndex };
    let next: SyntaxNode | null = null;
    for (const c of node.children) {
      if (c && (c.hasError || c.isMissing)) {
        next = c;
        break;
      }
    }
    node = next;
  }
  return undefined;
}
