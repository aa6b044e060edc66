// `--output-format json`: Ruff's JSON shape, so tools that read Ruff's output read ours:
// a list of {cell, code, end_location, filename, fix, location, message, noqa_row, url};
// rows and columns 1-based, columns in Unicode code points; in a notebook `cell` is the 1-based
// cell number and rows count within the cell, as in Ruff.
import { ruleMeta, ruleUrl } from '../../core/rules/catalogue';
import { cellOf, location as at, sortedFindings, type FileResult } from './model';

export function formatJson(files: readonly FileResult[]): string {
  const items = sortedFindings(files).map(({ file, finding: f }) => {
    const location = (offset: number) => at(file, offset, f);
    const cell = cellOf(f);
    return {
    cell: cell === undefined ? null : cell + 1,
    code: f.code,
    end_location: location(f.range.endOffset),
    filename: file.path,
    fix: f.fix
      ? {
          applicability: f.fix.applicability,
          edits: [...f.fix.edits]
            .sort((a, b) => a.range.startOffset - b.range.startOffset)
            .map((e) => ({ content: e.content, end_location: location(e.range.endOffset), location: location(e.range.startOffset) })),
          message: f.fix.message,
        }
      : null,
    location: location(f.range.startOffset),
    message: f.message,
    noqa_row: f.noqaLine + 1,
    url: f.url || ruleUrl(ruleMeta(f.code)),
    };
  });
  return `${JSON.stringify(items, null, 2)}\n`;
}
