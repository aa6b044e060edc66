// `--output-format sarif`: SARIF 2.1.0, as GitHub code scanning and other viewers read it.
// Paths inside the cwd are relative to %SRCROOT% (the cwd); columns are Unicode code points.
import { isAbsolute, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalogue, ruleUrl } from '../../core/rules/catalogue';
import type { Severity } from '../../core/types';
import { cellOf, location, sortedFindings, type FileResult, type FormatContext } from './model';
import type { Finding } from '../../core/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(files: readonly FileResult[], ctx: Pick<FormatContext, 'cwd' | 'version'>): string {
  const artifact = (file: FileResult) =>
    file.display === file.path
      ? { uri: pathToFileURL(file.path).href }
      : { uri: file.display.split('\\').join('/').split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  const region = (file: FileResult, start: number, end: number, f?: Finding) => {
    const s = location(file, start, f);
    const e = location(file, end, f);
    return { startLine: s.row, startColumn: s.column, endLine: e.row, endColumn: e.column };
  };
  const results = sortedFindings(files).map(({ file, finding: f }) => {
    const result: Record<string, unknown> = {
      ruleId: f.code,
      ruleIndex: catalogue.findIndex((r) => r.code === f.code),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(file), region: region(file, f.range.startOffset, f.range.endOffset, f) } }],
    };
    // (In a notebook a related range may lie in another cell, which SARIF cannot say: left out.)
    if (f.related.length && cellOf(f) === undefined) {
      result['relatedLocations'] = f.related.map((r, i) => ({
        id: i + 1,
        message: { text: r.message },
        physicalLocation: r.path
          ? // Another file: its text is not at hand, so lines and UTF-16 columns as the engine gave them.
            { artifactLocation: artifact({ path: r.path, display: displayOf(ctx.cwd, r.path), text: '', findings: [] }), region: { startLine: r.range.start.line + 1, startColumn: r.range.start.character + 1, endLine: r.range.end.line + 1, endColumn: r.range.end.character + 1 } }
          : { artifactLocation: artifact(file), region: region(file, r.range.startOffset, r.range.endOffset, f) },
      }));
    }
    if (f.fix) {
      result['fixes'] = [
        {
          description: { text: f.fix.message },
          artifactChanges: [
            {
              artifactLocation: artifact(file),
              replacements: f.fix.edits.map((e) => ({ deletedRegion: region(file, e.range.startOffset, e.range.endOffset, f), insertedContent: { text: e.content } })),
            },
          ],
        },
      ];
      result['properties'] = { applicability: f.fix.applicability };
    }
    const cell = cellOf(f);
    // SARIF has no notebook cells: regions count lines within the cell, named here (as Ruff does).
    if (cell !== undefined) result['properties'] = { ...(result['properties'] as object), cell: cell + 1 };
    return result;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'stable-loss',
            version: ctx.version,
            informationUri: 'https://github.com/stable-loss/stable-loss',
            rules: catalogue.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.summary },
              helpUri: ruleUrl(r),
              help: { text: `${r.summary} See ${ruleUrl(r)}` },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              properties: { fixable: r.fixable },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(ctx.cwd.endsWith('/') ? ctx.cwd : `${ctx.cwd}/`).href } },
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Relative to the cwd when inside it, else the path itself (then an absolute file URI is used). */
function displayOf(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
