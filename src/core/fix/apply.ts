// Applying the fixes that rules attach to findings. Edits are UTF-16 offset ranges into the text
// (`range.startOffset`, `range.endOffset`); the line/character half of a range is not read here.
// Pure: runs in web workers too.
import type { Finding, Fix } from '../types';

export interface ApplyResult {
  text: string;
  /** Indices (into the input list) of the fixes now in `text`; a fix identical to one applied counts as applied. */
  applied: number[];
  /** Indices of fixes left out: they touch or overlap an accepted fix (`overlap`), or their edits are out of range or overlap each other (`invalid`). */
  skipped: { index: number; reason: 'overlap' | 'invalid' }[];
}

interface Span {
  start: number;
  end: number;
}

/**
 * Applies the fixes that do not collide, in order of their first edit (then input order). A fix
 * whose edits touch or overlap an accepted fix's edits is skipped whole (a later pass can apply it
 * after re-linting), as Ruff does.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): ApplyResult {
  const order = fixes
    .map((fix, index) => ({ fix, index, first: Math.min(...fix.edits.map((e) => e.range.startOffset)) }))
    .sort((a, b) => a.first - b.first || a.index - b.index);
  const accepted: { span: Span; content: string; seq: number }[] = [];
  const taken: Span[] = [];
  const appliedKeys = new Set<string>();
  const applied: number[] = [];
  const skipped: ApplyResult['skipped'] = [];
  let seq = 0;
  for (const { fix, index } of order) {
    const edits = validEdits(fix, text.length);
    if (!edits) {
      skipped.push({ index, reason: 'invalid' });
      continue;
    }
    const key = JSON.stringify(edits.map((e) => [e.start, e.end, e.content]));
    if (appliedKeys.has(key)) {
      applied.push(index);
      continue;
    }
    if (edits.some((e) => taken.some((t) => e.start <= t.end && t.start <= e.end))) {
      skipped.push({ index, reason: 'overlap' });
      continue;
    }
    for (const e of edits) {
      accepted.push({ span: e, content: e.content, seq: seq++ });
      taken.push(e);
    }
    appliedKeys.add(key);
    applied.push(index);
  }
  accepted.sort((a, b) => a.span.start - b.span.start || a.seq - b.seq);
  let out = '';
  let pos = 0;
  for (const a of accepted) {
    out += text.slice(pos, a.span.start) + a.content;
    pos = a.span.end;
  }
  out += text.slice(pos);
  applied.sort((a, b) => a - b);
  skipped.sort((a, b) => a.index - b.index);
  return { text: out, applied, skipped };
}

/** The fix's edits sorted, or null when one is out of range or two overlap. */
function validEdits(fix: Fix, length: number): (Span & { content: string })[] | null {
  if (fix.edits.length === 0) return null;
  const edits = fix.edits
    .map((e) => ({ start: e.range.startOffset, end: e.range.endOffset, content: e.content }))
    .map((e, i) => ({ ...e, i }))
    .sort((a, b) => a.start - b.start || a.i - b.i);
  let prevEnd = -1;
  for (const e of edits) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end < e.start || e.end > length) return null;
    if (typeof e.content !== 'string') return null;
    if (e.start < prevEnd) return null;
    prevEnd = e.end;
  }
  return edits.map(({ start, end, content }) => ({ start, end, content }));
}

/** `safe` fixes always; `unsafe` ones only when asked. */
export function isFixAllowed(fix: Fix, unsafe: boolean): boolean {
  return fix.applicability === 'safe' || (unsafe && fix.applicability === 'unsafe');
}

export interface FixAllOptions {
  /** Apply `unsafe` fixes too (`--unsafe-fixes`). */
  unsafe?: boolean;
  /** Lint-and-fix rounds before giving up; 10 by default. */
  maxPasses?: number;
}

export interface FixAllResult {
  text: string;
  /** Findings fixed, over all passes. */
  applied: number;
  /** What was fixed, in order. */
  fixed: { code: Finding['code']; message: string }[];
  /** Passes that changed the text. */
  passes: number;
  /** False when fixable findings remain: the pass limit was hit, the fixes cycle, or none applies. */
  converged: boolean;
  /** The findings of the final text (from the last lint). */
  remaining: Finding[];
}

/**
 * Lint, apply the non-colliding allowed fixes, lint again, until no allowed fix remains or
 * `maxPasses` passes changed the text. `lint` is called at most maxPasses + 1 times.
 */
export function fixAll(text: string, lint: (text: string) => Finding[], options: FixAllOptions = {}): FixAllResult {
  const unsafe = options.unsafe ?? false;
  const maxPasses = options.maxPasses ?? 10;
  const seen = new Set<string>([text]);
  const fixed: FixAllResult['fixed'] = [];
  let current = text;
  let passes = 0;
  let stuck = false;
  for (;;) {
    const findings = lint(current);
    const fixable = findings.filter((f) => f.fix && isFixAllowed(f.fix, unsafe));
    if (fixable.length === 0) return { text: current, applied: fixed.length, fixed, passes, converged: true, remaining: findings };
    if (stuck || passes >= maxPasses) return { text: current, applied: fixed.length, fixed, passes, converged: false, remaining: findings };
    const r = applyFixes(current, fixable.map((f) => f.fix!));
    if (r.applied.length === 0 || r.text === current) {
      stuck = true;
      return { text: current, applied: fixed.length, fixed, passes, converged: false, remaining: findings };
    }
    for (const i of r.applied) fixed.push({ code: fixable[i]!.code, message: fixable[i]!.fix!.message });
    passes++;
    current = r.text;
    // A text seen before means the fixes undo each other: lint once more to report, then stop.
    if (seen.has(current)) stuck = true;
    seen.add(current);
  }
}
