// The hover content as Markdown, shared by the CLI (`stable-loss eval --output-format markdown`)
// and the editor. Input is the plain hover data; nothing is recomputed here.
import type { Comparison } from './naive';
import type { DoubleSoftmax } from './double-softmax';
import type { HoverData } from './hover';
import type { PlainValue } from './present';
import type { Table } from './table';

function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s.replace(/\n/g, ' ')}${pad}${ticks}`;
}

function block(s: string): string {
  return '```text\n' + s + '\n```';
}

function short(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const s = x.toPrecision(6);
  if (s.includes('e')) return s.replace(/\.?0+e/, 'e');
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function plainShort(v: PlainValue): string {
  if (Array.isArray(v)) return `[${v.map(plainShort).join(', ')}]`;
  if (typeof v === 'number') return short(v);
  return String(v);
}

function clip(s: string, n = 400): string {
  return s.length > n ? `${s.slice(0, n)} …` : s;
}

function naiveSection(c: Comparison): string {
  const shown = (x: Comparison['naive']) => (x.printed !== null ? x.printed : plainShort(x.value));
  if (c.naive.printed !== null && c.naive.printed === c.stable.printed && (!c.differs || /^rounding only/.test(c.reason ?? ''))) {
    const other = c.hovered === 'naive' ? `stable form ${code(clip(c.stable.formula, 120))}` : `naive formula ${code(clip(c.naive.formula, 120))}`;
    return `The ${other} prints the same here${c.differs ? ` (${(c.reason ?? '').replace(/^rounding only: /, '')})` : ''}.`;
  }
  const lines = [`**Naive vs stable**${c.differs ? '' : ' (same value)'}`, '', `- naive: ${code(clip(c.naive.formula, 120))} → ${code(clip(shown(c.naive), 160))}${c.hovered === 'naive' ? ' *(this code)*' : ''}`, `- stable: ${code(clip(c.stable.formula, 120))} → ${code(clip(shown(c.stable), 160))}${c.hovered === 'stable' ? ' *(this code)*' : ''}`];
  if (c.reason) lines.push(`- why: ${c.reason}`);
  return lines.join('\n');
}

function doubleSection(d: DoubleSoftmax): string {
  const p = (x: { value: PlainValue; printed: string | null }) => code(clip(x.printed ?? plainShort(x.value), 160));
  return [
    `**Softmax applied twice** — \`cross_entropy\` applies log_softmax itself, so its input should be the logits ${code(d.logits)}, not their softmax.`,
    '',
    `| | loss | gradient w.r.t. ${code(d.logits)} |`,
    '|---|---|---|',
    `| you get | ${p(d.lossYouGet)} | ${p(d.gradientYouGet)} |`,
    `| you meant | ${p(d.lossYouMeant)} | ${p(d.gradientYouMeant)} |`,
  ].join('\n');
}

function tableSection(t: Table): string {
  const head = `| ${t.columns.join(' | ')} |`;
  const sep = `|${t.columns.map(() => '---').join('|')}|`;
  const rows = t.rows.map((r, i) => {
    const cells = r.map((x, j) => (j === 0 ? String(x) : short(x)));
    if (t.highlight === i) return `| **${cells[0]}** (target) | ${cells.slice(1).map((c) => `**${c}**`).join(' | ')} |`;
    return `| ${cells.join(' | ')} |`;
  });
  return [`*${t.caption}*`, '', head, sep, ...rows].join('\n');
}

export function renderMarkdown(h: Omit<HoverData, 'markdown'>): string {
  const parts: string[] = [];
  const shape = h.shape.length ? `shape (${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''})` : 'scalar';
  parts.push(`**Stable Loss** · ${code(clip(h.expression, 80))} · ${h.type} · ${h.dtype} · ${shape}`);
  if (h.printed !== null) parts.push(block(clip(h.printed, 2000)));
  else parts.push(`≈ ${code(clip(plainShort(h.value), 400))}`);
  const numeric = typeof h.value === 'number';
  if (numeric && h.full !== h.printed) parts.push(`exact value: ${code(h.full)}`);
  if (h.warnings.length) parts.push(`⚠ NumPy warns: ${h.warnings.map((w) => code(`RuntimeWarning: ${w}`)).join(', ')}`);
  if (h.doubleSoftmax) parts.push(doubleSection(h.doubleSoftmax));
  if (h.naive) parts.push(naiveSection(h.naive));
  if (h.table) parts.push(tableSection(h.table));
  if (h.notes.length) parts.push(h.notes.map((n) => `*${n}*`).join('  \n'));
  return parts.join('\n\n');
}

export function renderError(expressionOrPosition: string, why: string): string {
  return `**Stable Loss** · ${code(expressionOrPosition)} · not evaluable: ${why}`;
}
