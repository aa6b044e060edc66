// Finds the configuration for each file: the nearest pyproject.toml, walking up from the file's
// folder, that has a [tool.stable-loss] table (cached per folder), or the one file given with
// --config. A TOML syntax error stops the run (ConfigFileError); bad values are warnings, kept
// once per file for the caller to print.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { configErrorText, parseConfig, readPyproject, type ProjectConfig } from '../core/config';
import { osReason } from './read';

export interface LoadedConfig {
  /** The pyproject.toml, or null when none applies (defaults). */
  path: string | null;
  /** Relative exclude globs are resolved against this folder (the config's; the cwd for --config). */
  base: string;
  config: ProjectConfig | null;
}

export class ConfigFileError extends Error {
  constructor(
    readonly path: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly reason: string,
  ) {
    super(configErrorText(path, line, column, reason));
  }
}

export interface ConfigWarning {
  path: string;
  message: string;
}

export class ConfigResolver {
  private readonly byDir = new Map<string, LoadedConfig>();
  private readonly explicit: LoadedConfig | null;
  readonly warnings: ConfigWarning[] = [];

  /** `explicitPath`: --config; relative paths in it resolve against `cwd`, as Ruff does. */
  constructor(
    private readonly cwd: string,
    explicitPath?: string,
  ) {
    if (explicitPath === undefined) {
      this.explicit = null;
      return;
    }
    const path = resolve(cwd, explicitPath);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigFileError(path, null, null, `cannot read the config file: ${osReason(e)}`);
    }
    const config = this.parse(path, text);
    if (!config) this.warnings.push({ path, message: 'has no [tool.stable-loss] table; using the defaults' });
    this.explicit = { path, base: cwd, config: config ?? { severity: {}, extendExclude: [] } };
  }

  /** The configuration for files in `dir` (absolute). */
  forDir(dir: string): LoadedConfig {
    if (this.explicit) return this.explicit;
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    let found: LoadedConfig | null = null;
    const candidate = join(dir, 'pyproject.toml');
    let text: string | null = null;
    try {
      text = readFileSync(candidate, 'utf8');
    } catch {
      text = null; // absent or unreadable: not a config for us
    }
    // Only a file that mentions us can hold our table; others (even broken ones) are not ours.
    const r = readPyproject(text);
    if (r.kind === 'error') throw new ConfigFileError(candidate, r.error.line, r.error.column, r.error.message);
    if (r.kind === 'config') {
      for (const message of r.warnings) this.warnings.push({ path: candidate, message });
      found = { path: candidate, base: dir, config: r.config };
    }
    if (!found) {
      const parent = dirname(dir);
      found = parent === dir ? { path: null, base: this.cwd, config: null } : this.forDir(parent);
    }
    this.byDir.set(dir, found);
    return found;
  }

  private parse(path: string, text: string): ProjectConfig | null {
    const r = parseConfig(text.startsWith('\ufeff') ? text.slice(1) : text);
    if (!r.ok) throw new ConfigFileError(path, r.error.line, r.error.column, r.error.message);
    for (const message of r.warnings) this.warnings.push({ path, message });
    return r.config;
  }
}
