// Output format dispatch.
import { formatGithub } from './github';
import { formatJson } from './json';
import type { FileResult, FormatContext, OutputFormat } from './model';
import { formatSarif } from './sarif';
import { formatConcise, formatFull } from './text';

export { OUTPUT_FORMATS, type FileResult, type FormatContext, type OutputFormat } from './model';
export { countFindings, summary, type Counts } from './text';

export function formatFindings(format: OutputFormat, files: readonly FileResult[], ctx: FormatContext): string {
  switch (format) {
    case 'full':
      return formatFull(files, ctx);
    case 'concise':
      return formatConcise(files, ctx);
    case 'json':
      return formatJson(files);
    case 'sarif':
      return formatSarif(files, ctx);
    case 'github':
      return formatGithub(files);
  }
}

/** Formats whose output is one document: they print even when there is nothing to report. */
export function isDocumentFormat(format: OutputFormat): boolean {
  return format === 'json' || format === 'sarif';
}
