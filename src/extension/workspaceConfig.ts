// The `[tool.stable-loss]` lookup through VS Code's asynchronous file system API, for the web host
// and for documents the Node resolver cannot read (non-file: URIs). The same rules as the CLI's
// resolver (src/node/config.ts; one step of it is the core's `readPyproject`): the nearest
// pyproject.toml walking up from the document's folder that has our table, here stopping at the
// document's workspace folder root. Cached per folder until a pyproject.toml changes (`reset`). A
// broken file is one output-channel line and the defaults apply, as on desktop.
//
// The lookup is asynchronous and settings are read synchronously: `forDocument` answers from the
// cache (null while pending) and `ready` gives the pending lookup, which the diagnostics controller
// awaits before it checks, so no diagnostics are computed with a config that is not the project's.
import type * as vscode from 'vscode';
import { configErrorText, readPyproject, type ProjectConfig } from '../core/config';
import { displayPath } from './diagnostics';
import { locate, parentPath, type WorkspaceApi } from './workspaceFiles';

export interface ConfigSource {
  /** The project's config for `doc`, null for none (or, with `ready`, not read yet). */
  forDocument(doc: { uri: vscode.Uri }): ProjectConfig | null;
  /** A lookup still running for `doc` (await it before reading `forDocument`), undefined when done. */
  ready?(doc: { uri: vscode.Uri }): Promise<void> | undefined;
  /** Forget what was read (a pyproject.toml changed). */
  reset(): void;
}

type Found = { config: ProjectConfig | null };

export class WorkspaceProjectConfigs implements ConfigSource {
  /** folder key → its lookup (settled or not). */
  private readonly pending = new Map<string, Promise<Found>>();
  private readonly done = new Map<string, Found>();
  private readonly reported = new Set<string>();
  private generation = 0;

  constructor(
    private readonly ws: WorkspaceApi,
    private readonly log: { warn(m: string): void },
  ) {}

  reset(): void {
    this.generation++;
    this.pending.clear();
    this.done.clear();
    this.reported.clear();
  }

  forDocument(doc: { uri: vscode.Uri }): ProjectConfig | null {
    const start = this.start(doc.uri);
    if (!start) return null;
    const found = this.done.get(start.key);
    if (found) return found.config;
    void this.lookup(start.dir, start.stop);
    return null;
  }

  ready(doc: { uri: vscode.Uri }): Promise<void> | undefined {
    const start = this.start(doc.uri);
    if (!start || this.done.has(start.key)) return undefined;
    return this.lookup(start.dir, start.stop).then(() => undefined);
  }

  private start(uri: vscode.Uri): { dir: vscode.Uri; stop: string | undefined; key: string } | undefined {
    const loc = locate(this.ws, uri);
    if (!loc) return undefined;
    const stop = loc.stop?.path;
    return { dir: loc.dir, stop, key: folderKey(loc.dir, stop) };
  }

  private lookup(dir: vscode.Uri, stop: string | undefined): Promise<Found> {
    const key = folderKey(dir, stop);
    const known = this.done.get(key);
    if (known) return Promise.resolve(known);
    let p = this.pending.get(key);
    if (p) return p;
    const gen = this.generation;
    p = this.step(dir, stop).then((found) => {
      if (gen === this.generation) {
        this.done.set(key, found);
        this.pending.delete(key);
      }
      return found;
    });
    this.pending.set(key, p);
    return p;
  }

  private async step(dir: vscode.Uri, stop: string | undefined): Promise<Found> {
    const file = dir.with({ path: `${dir.path.replace(/\/+$/, '')}/pyproject.toml` });
    let text: string | null = null;
    try {
      text = new TextDecoder().decode(await this.ws.fs.readFile(file));
    } catch {
      text = null; // absent or unreadable: not a config for us
    }
    const r = readPyproject(text);
    const where = displayPath(file);
    if (r.kind === 'error') {
      this.once(`${configErrorText(where, r.error.line, r.error.column, r.error.message)} (using the defaults)`);
      return { config: null };
    }
    if (r.kind === 'config') {
      for (const w of r.warnings) this.once(`${where}: ${w}`);
      return { config: r.config };
    }
    const up = parentPath(dir.path);
    if (up === dir.path || (stop !== undefined && samePath(dir.path, stop))) return { config: null };
    return this.lookup(dir.with({ path: up }), stop);
  }

  private once(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.log.warn(message);
  }
}

function folderKey(dir: vscode.Uri, stop: string | undefined): string {
  return `${dir.toString()}\0${stop ?? ''}`;
}

function samePath(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** Desktop: the Node resolver for files on disk, the asynchronous lookup for every other document. */
export function byScheme(file: ConfigSource, other: ConfigSource): ConfigSource {
  return {
    forDocument: (doc) => (doc.uri.scheme === 'file' ? file : other).forDocument(doc),
    ready: (doc) => (doc.uri.scheme === 'file' ? file : other).ready?.(doc),
    reset: () => {
      file.reset();
      other.reset();
    },
  };
}
