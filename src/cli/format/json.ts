// `--output-format json`: Ruff's JSON shape, so tools that read Ruff's output read ours:
// a list of {cell, code, end_location, filename, fix, location, message, noqa_row, url};
// rows and columns 1-based, columns in Unicode code points.
import { ruleMeta, ruleUrl } from '../../core/rules/catalogue';
import { location, sortedFindings, type FileResult } from './model';

export function formatJson(files: readonly FileResult[]): string {
  const items = sortedFindings(files).map(({ file, finding: f }) => ({
    cell: null,
    code: f.code,
    end_location: location(file, f.range.endOffset),
    filename: file.path,
    fix: f.fix
      ? {
          applicability: f.fix.applicability,
          edits: [...f.fix.edits]
            .sort((a, b) => a.range.startOffset - b.range.startOffset)
            .map((e) => ({ content: e.content, end_location: location(file, e.range.endOffset), location: location(file, e.range.startOffset) })),
          message: f.fix.message,
        }
      : null,
    location: location(file, f.range.startOffset),
    message: f.message,
    noqa_row: f.noqaLine + 1,
    url: f.url || ruleUrl(ruleMeta(f.code)),
  }));
  return `${JSON.stringify(items, null, 2)}\n`;
}
