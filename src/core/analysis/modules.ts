// Where Python finds the file of an imported module, shared by every host of the project index (the
// CLI and desktop worker read the disk; the web worker a map of files the extension host read for
// it). Relative imports start from the importing file's package (`level` leading dots); absolute
// imports from the importing file's folder, then the folder above its outermost package, then the
// given roots. `pkg.mod` is `pkg/mod.py` or `pkg/mod/__init__.py`. Pure: paths and reads come from
// the host (`ModuleFiles`); this module only decides which files to look at, in which order.

/** Larger modules are not read (a generated file, data): their imports stay unknown. */
export const MAX_MODULE_BYTES = 2 * 1024 * 1024;

export interface ModuleFiles {
  /** The folder containing `path`; the path itself at the root. */
  dirname(path: string): string;
  join(dir: string, ...parts: string[]): string;
  /** The text of the regular file at `path`, or undefined (absent, a folder, unreadable, too large). */
  read(path: string): string | undefined;
  /** Whether anything (a file or a folder) is at `path`. */
  exists(path: string): boolean;
}

export class ModuleFinder {
  /** folder → the folder above its outermost package. */
  private readonly tops = new Map<string, string>();

  /** `roots`: extra folders absolute imports are searched from (the checked folders, the workspace folders). */
  constructor(
    private readonly files: ModuleFiles,
    private readonly roots: readonly string[] = [],
  ) {}

  /** The file `module` (with `level` leading dots) names from a file in `dir`, with its text. */
  find(dir: string, module: string, level: number): { path: string; text: string } | undefined {
    const parts = module ? module.split('.') : [];
    const bases: string[] = [];
    if (level > 0) {
      let base = dir;
      for (let i = 1; i < level; i++) base = this.files.dirname(base);
      bases.push(base);
    } else {
      bases.push(dir, this.packageTop(dir), ...this.roots);
    }
    for (const base of new Set(bases)) {
      const stem = parts.length ? this.files.join(base, ...parts) : base;
      for (const candidate of parts.length ? [`${stem}.py`, this.files.join(stem, '__init__.py')] : [this.files.join(base, '__init__.py')]) {
        const text = this.files.read(candidate);
        if (text !== undefined) return { path: candidate, text };
      }
    }
    return undefined;
  }

  /** The folder above the outermost package containing `dir` (where `import pkg.x` starts). */
  packageTop(dir: string): string {
    const cached = this.tops.get(dir);
    if (cached !== undefined) return cached;
    const up = this.files.dirname(dir);
    const top = up !== dir && this.files.exists(this.files.join(dir, '__init__.py')) ? this.packageTop(up) : dir;
    this.tops.set(dir, top);
    return top;
  }
}

/**
 * Path operations for files named by a URI's scheme and authority (`prefix`, e.g.
 * `vscode-vfs://github`) followed by its decoded POSIX path: what the web host's project index uses.
 */
export function prefixedPosixPaths(prefix: string): Pick<ModuleFiles, 'dirname' | 'join'> {
  const split = (p: string): string => (p.startsWith(prefix) ? p.slice(prefix.length) : p) || '/';
  return {
    dirname(p) {
      const path = split(p);
      const cut = path.replace(/\/+$/, '').lastIndexOf('/');
      return prefix + (cut <= 0 ? '/' : path.slice(0, cut));
    },
    join(dir, ...parts) {
      const path = split(dir);
      return prefix + (path.endsWith('/') ? path : `${path}/`) + parts.join('/');
    },
  };
}
