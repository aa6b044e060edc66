// `--output-format github`: GitHub Actions workflow commands, one annotation per finding:
// ::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=SL001 (name)::message
import type { Severity } from '../../core/types';
import { cellOf, location, sortedFindings, type FileResult } from './model';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes the message part (as @actions/core does). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: also `:` and `,`, which separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(files: readonly FileResult[]): string {
  let out = '';
  for (const { file, finding: f } of sortedFindings(files)) {
    const start = location(file, f.range.startOffset, f);
    const end = location(file, f.range.endOffset, f);
    const cell = cellOf(f);
    const props = [
      `file=${escapeProperty(file.display.split('\\').join('/'))}`,
      `line=${start.row}`,
      `col=${start.column}`,
      `endLine=${end.row}`,
      `endColumn=${end.column}`,
      `title=${escapeProperty(`${f.code} (${f.name})`)}`,
    ];
    out += `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(cell === undefined ? f.message : `cell ${cell + 1}: ${f.message}`)}\n`;
  }
  return out;
}
