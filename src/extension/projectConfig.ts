// The Node host's `[tool.stable-loss]` lookup: the nearest pyproject.toml above a file on disk (the
// CLI's resolver), re-read after any pyproject.toml is saved. A broken file is reported once in the
// output channel and the defaults apply; it never stops checking.
import { dirname } from 'node:path';
import type * as vscode from 'vscode';
import type { ProjectConfig } from '../core/config';
import { ConfigFileError, ConfigResolver } from '../node/config';

export class ProjectConfigs {
  private resolver: ConfigResolver | undefined;
  private readonly reported = new Set<string>();

  constructor(private readonly log: { warn(m: string): void }) {}

  /** Forget what was read (after a pyproject.toml changed). */
  reset(): void {
    this.resolver = undefined;
    this.reported.clear();
  }

  forDocument(doc: { uri: vscode.Uri }): ProjectConfig | null {
    if (doc.uri.scheme !== 'file') return null;
    const dir = dirname(doc.uri.fsPath);
    this.resolver ??= new ConfigResolver(dir);
    try {
      const found = this.resolver.forDir(dir);
      for (const w of this.resolver.warnings.splice(0)) this.once(`${w.path}: ${w.message}`);
      return found.config;
    } catch (e) {
      this.once(e instanceof ConfigFileError ? `${e.message} (using the defaults)` : `reading pyproject.toml: ${String(e)}`);
      return null;
    }
  }

  private once(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.log.warn(message);
  }
}
