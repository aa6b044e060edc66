// Where a document is for the project features when the Node resolvers cannot read it (the web host;
// non-file: documents on desktop: vscode-vfs:, remote file systems, untitled documents next to a
// folder), and the extension host's side of the worker's project index there: it reads, with VS
// Code's asynchronous file system API, the files the worker asked for (`CheckAnswer.wanted`), within
// a budget, and tells the worker which files changed.
//
// Files are named by a key: the URI's `scheme://authority` (the prefix) followed by its decoded
// POSIX path, so the core's `ModuleFinder` can walk folders with plain string operations and a key
// is turned back into a URI without any encoding question.
import type * as vscode from 'vscode';
import { MAX_MODULE_BYTES } from '../core/analysis/modules';
import type { FileEntry } from './worker/protocol';

/** What this module needs of `vscode.workspace` (tests pass a fake). */
export interface WorkspaceApi {
  readonly fs: {
    stat(uri: vscode.Uri): Thenable<{ type: number; size: number }>;
    readFile(uri: vscode.Uri): Thenable<Uint8Array>;
  };
  readonly workspaceFolders: readonly { readonly uri: vscode.Uri }[] | undefined;
  getWorkspaceFolder(uri: vscode.Uri): { readonly uri: vscode.Uri } | undefined;
}

export interface ProjectLocation {
  /** `scheme://authority` of the document's files. */
  prefix: string;
  /** The document's key (an untitled document: as if it were at its workspace folder's root). */
  path: string;
  /** The document's folder: where the pyproject.toml lookup starts. */
  dir: vscode.Uri;
  /** Where the lookup stops: the workspace folder's root (undefined: the file system's root). */
  stop: vscode.Uri | undefined;
  /** Keys of the workspace folders in the same file system: where absolute imports are also searched. */
  roots: string[];
}

/** Schemes whose documents have no folder of their own in a file system. */
const NO_FOLDER = new Set(['vscode-notebook-cell', 'output', 'vscode-scm', 'git', 'gitfs']);

export function prefixOf(uri: vscode.Uri): string {
  return `${uri.scheme}://${uri.authority}`;
}

export function keyOf(uri: vscode.Uri): string {
  return prefixOf(uri) + uri.path;
}

export function locate(ws: Pick<WorkspaceApi, 'workspaceFolders' | 'getWorkspaceFolder'>, uri: vscode.Uri): ProjectLocation | undefined {
  if (NO_FOLDER.has(uri.scheme)) return undefined;
  let folder: vscode.Uri | undefined;
  let dir: vscode.Uri;
  let path: string;
  if (uri.scheme === 'untitled') {
    folder = ws.workspaceFolders?.[0]?.uri;
    if (!folder) return undefined;
    dir = folder;
    const name = uri.path.split('/').pop() || 'untitled';
    path = prefixOf(folder) + (folder.path.endsWith('/') ? folder.path : `${folder.path}/`) + name;
  } else {
    folder = ws.getWorkspaceFolder(uri)?.uri;
    dir = uri.with({ path: parentPath(uri.path) });
    path = keyOf(uri);
  }
  const prefix = prefixOf(dir);
  const roots = (ws.workspaceFolders ?? []).map((f) => f.uri).filter((u) => prefixOf(u) === prefix).map(keyOf);
  return { prefix, path, dir, stop: folder, roots };
}

export function parentPath(path: string): string {
  const cut = path.replace(/\/+$/, '').lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** How much one check may read for the project index (the worker keeps what it was sent). */
export interface ReadBudget {
  files: number;
  bytes: number;
}

export const CHECK_BUDGET: ReadBudget = { files: 256, bytes: 16 * 2 ** 20 };

const FILE = 1; // vscode.FileType.File (a bit: symbolic links to files are File | SymbolicLink)

export class WorkspaceFiles {
  constructor(
    private readonly ws: WorkspaceApi,
    private readonly uriOf: (base: vscode.Uri, path: string) => vscode.Uri = (base, path) => base.with({ path }),
  ) {}

  /**
   * Reads the wanted keys of `loc`'s file system (stat, then the text of regular files up to the
   * module size limit, UTF-8). A package's `__init__.py` that exists makes the one above it wanted
   * too (the package top is found in one round instead of one per level). Stops when `budget` is
   * spent; what was not read is simply not answered.
   */
  async read(loc: ProjectLocation, base: vscode.Uri, wanted: readonly string[], budget: ReadBudget): Promise<FileEntry[]> {
    const out: FileEntry[] = [];
    const seen = new Set<string>();
    const queue = [...wanted];
    while (queue.length && budget.files > 0) {
      const batch = queue.splice(0, 32).filter((k) => k.startsWith(loc.prefix) && !seen.has(k));
      for (const k of batch) seen.add(k);
      const entries = await Promise.all(batch.map((k) => this.entry(this.uriOf(base, k.slice(loc.prefix.length)), k, budget)));
      for (const e of entries) {
        if (!e) continue;
        out.push(e);
        if (e.exists && e.path.endsWith('/__init__.py')) {
          const pkg = parentPath(e.path.slice(loc.prefix.length));
          const up = parentPath(pkg);
          if (up !== pkg) queue.push(`${loc.prefix}${up === '/' ? '' : up}/__init__.py`);
        }
      }
    }
    return out;
  }

  private async entry(uri: vscode.Uri, path: string, budget: ReadBudget): Promise<FileEntry | undefined> {
    if (budget.files <= 0) return undefined;
    budget.files--;
    let st: { type: number; size: number };
    try {
      st = await this.ws.fs.stat(uri);
    } catch {
      return { path, exists: false, text: null };
    }
    if (!(st.type & FILE) || st.size > MAX_MODULE_BYTES || st.size > budget.bytes) return { path, exists: true, text: null };
    try {
      const bytes = await this.ws.fs.readFile(uri);
      budget.bytes -= bytes.length;
      return { path, exists: true, text: decodeModule(bytes) };
    } catch {
      return { path, exists: true, text: null };
    }
  }
}

/** As the CLI reads a module: UTF-8 (a BOM dropped), not binary (no NUL byte), within the size limit; else null. */
export function decodeModule(bytes: Uint8Array): string | null {
  if (bytes.length > MAX_MODULE_BYTES || bytes.indexOf(0) !== -1) return null;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    return null;
  }
}
