// The Node side of the project index: resolves `from .models import Net`, `import pkg.models as m`
// and `from pkg import models` to files on disk, the way Python would find them from the importing
// file's package (relative imports) or from the top of its package tree and the given roots
// (absolute imports). Reads each file once per run; unreadable files are simply not resolved.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ProjectHost } from '../core/analysis/project';
import { readSource } from './read';

const MAX_MODULE_BYTES = 2 * 1024 * 1024;

export class FileSystemProject implements ProjectHost {
  private readonly texts = new Map<string, string | null>();

  /** `roots`: extra folders absolute imports are searched from (the checked folders). */
  constructor(private readonly roots: readonly string[] = []) {}

  resolve(fromPath: string, module: string, level: number): { path: string; text: string } | undefined {
    const parts = module ? module.split('.') : [];
    const bases: string[] = [];
    if (level > 0) {
      let base = dirname(resolve(fromPath));
      for (let i = 1; i < level; i++) base = dirname(base);
      bases.push(base);
    } else {
      bases.push(dirname(resolve(fromPath)), packageTop(dirname(resolve(fromPath))), ...this.roots.map((r) => resolve(r)));
    }
    for (const base of new Set(bases)) {
      const stem = join(base, ...parts);
      for (const candidate of parts.length ? [`${stem}.py`, join(stem, '__init__.py')] : [join(base, '__init__.py')]) {
        const text = this.read(candidate);
        if (text !== undefined) return { path: candidate, text };
      }
    }
    return undefined;
  }

  private read(path: string): string | undefined {
    if (this.texts.has(path)) return this.texts.get(path) ?? undefined;
    let text: string | null = null;
    try {
      if (existsSync(path) && statSync(path).isFile()) {
        const src = readSource(path, MAX_MODULE_BYTES);
        if (src.ok) text = src.text;
      }
    } catch {
      text = null;
    }
    this.texts.set(path, text);
    return text ?? undefined;
  }
}

/** The folder above the outermost package containing `dir` (where `import pkg.x` starts). */
function packageTop(dir: string): string {
  let d = dir;
  while (existsSync(join(d, '__init__.py'))) {
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return d;
}
