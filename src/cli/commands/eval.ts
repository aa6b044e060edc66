// `stable-loss eval FILE:LINE:COLUMN ...`: the hover value at each position, computed by the
// core's evaluator (no Python is run). JSON: one object per line; Markdown: the hover content.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine, HoverData, HoverError } from '../../core';
import { renderError } from '../../core';
import type { Command } from '../command';
import { UsageError, type Io } from '../io';

const HELP = `Show the value the libraries would compute for the expression at each position.

Usage: stable-loss eval FILE:LINE:COLUMN [FILE:LINE:COLUMN ...] [--output-format json|markdown]

LINE and COLUMN are 1-based; COLUMN counts UTF-16 code units (as editors do).
The expression is the smallest one under the position (a callee or a literal argument widens to the
call; an assigned name gives its new value); see docs/hover.md.

Options:
      --output-format <FORMAT>  json (default: one object per line) or markdown
  -h, --help                    Show this help

Exit status: 0 every position evaluated, 1 some position is not evaluable, 2 usage or I/O error.
Non-finite numbers are written as the strings "nan", "inf", "-inf" in JSON.
`;

interface Position {
  text: string;
  file: string;
  line: number;
  column: number;
}

function parsePosition(arg: string): Position {
  const m = /^(.*):(\d+):(\d+)$/.exec(arg);
  if (!m || !m[1]) throw new UsageError(`invalid position ${JSON.stringify(arg)} (expected FILE:LINE:COLUMN, 1-based)`);
  const line = Number(m[2]);
  const column = Number(m[3]);
  if (line < 1 || column < 1) throw new UsageError(`invalid position ${JSON.stringify(arg)} (LINE and COLUMN start at 1)`);
  return { text: arg, file: m[1], line, column };
}

/** UTF-16 offset of a 1-based line/column, or a reason why there is none. */
export function offsetOf(text: string, line: number, column: number): number | string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return `line ${line} is beyond the end of the file (${l} lines)`;
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  if (column - 1 > end - start) return `column ${column} is beyond the end of line ${line} (${end - start} characters)`;
  return start + column - 1;
}

/** JSON with non-finite numbers as "nan"/"inf"/"-inf" and -0 kept; numbers round-trip exactly. */
export function toJson(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '"nan"';
    if (!Number.isFinite(v)) return v > 0 ? '"inf"' : '"-inf"';
    return Object.is(v, -0) ? '-0.0' : JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function jsonRecord(position: string, r: HoverData | HoverError): Record<string, unknown> {
  if ('error' in r) return { position, error: r.error };
  const { span: _span, ...rest } = r;
  void _span;
  return {
    position,
    expression: rest.expression,
    value: rest.value,
    dtype: rest.dtype,
    shape: rest.shape,
    type: rest.type,
    printed: rest.printed,
    full: rest.full,
    exact: rest.exact,
    warnings: rest.warnings,
    notes: rest.notes,
    naive: rest.naive,
    table: rest.table,
    doubleSoftmax: rest.doubleSoftmax,
    markdown: rest.markdown,
  };
}

export function evalCommand(createEngine: () => Promise<Engine>): Command {
  return {
    name: 'eval',
    summary: 'Show the value an expression computes (what hover shows), for FILE:LINE:COLUMN positions',
    help: HELP,
    async run(argv: string[], io: Io): Promise<number> {
      let parsed;
      try {
        parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { 'output-format': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message.split('. ')[0]! : String(e));
      }
      if (parsed.values.help) {
        io.out(HELP);
        return 0;
      }
      const format = parsed.values['output-format'] ?? 'json';
      if (format !== 'json' && format !== 'markdown') throw new UsageError(`invalid value ${JSON.stringify(format)} for --output-format (expected json or markdown)`);
      if (!parsed.positionals.length) throw new UsageError('no position given (expected FILE:LINE:COLUMN)');
      const positions = parsed.positionals.map(parsePosition);
      const texts = new Map<string, string>();
      for (const p of positions) {
        if (texts.has(p.file)) continue;
        const path = isAbsolute(p.file) ? p.file : resolve(io.cwd, p.file);
        try {
          texts.set(p.file, readFileSync(path, 'utf8'));
        } catch (e) {
          io.err(`error: cannot read ${p.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
          return 2;
        }
      }
      const engine = await createEngine();
      let failed = 0;
      const blocks: string[] = [];
      for (const p of positions) {
        const text = texts.get(p.file)!;
        const off = offsetOf(text, p.line, p.column);
        const r: HoverData | HoverError = typeof off === 'string' ? { error: off } : engine.evaluate(text, off);
        if ('error' in r) failed++;
        if (format === 'json') io.out(`${toJson(jsonRecord(p.text, r))}\n`);
        else blocks.push(`### ${p.text}\n\n${'error' in r ? renderError(p.text, r.error) : r.markdown}\n`);
      }
      if (format === 'markdown') io.out(blocks.join('\n'));
      return failed ? 1 : 0;
    },
  };
}
