// Shared by tests: one engine per test process, and small utilities over findings.
import { Engine, type Finding, type GrammarName } from '../../src/core';
import { syntaxErrorCount as countErrors } from '../../src/core/parser';
import { nodeWasmLoader } from '../../src/node/wasm';

let engine: Promise<Engine> | undefined;
export function getEngine(): Promise<Engine> {
  engine ??= Engine.create(nodeWasmLoader());
  return engine;
}

/** Apply one fix's edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { range: { startOffset: number; endOffset: number }; content: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.range.startOffset - a.range.startOffset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.startOffset) + e.content + out.slice(e.range.endOffset);
  return out;
}

/** Number of syntax-error regions tree-sitter finds (ERROR or MISSING nodes). */
export async function syntaxErrorCount(text: string, grammar: GrammarName = 'python'): Promise<number> {
  return countErrors((await getEngine()).parsers, grammar, text);
}

export function renderFinding(f: Finding): string {
  const r = f.range;
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${f.code} ${f.message}`;
}

/** A minimal unified-style diff of the changed lines (for snapshots). */
export function lineDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let ea = a.length - 1;
  let eb = b.length - 1;
  while (ea >= start && eb >= start && a[ea] === b[eb]) {
    ea--;
    eb--;
  }
  const out: string[] = [`@@ line ${start + 1} @@`];
  for (let i = start; i <= ea; i++) out.push(`- ${a[i]}`);
  for (let i = start; i <= eb; i++) out.push(`+ ${b[i]}`);
  return out.join('\n');
}
