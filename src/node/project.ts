// The Node side of the project index: resolves `from .models import Net`, `import pkg.models as m`
// and `from pkg import models` to files on disk, the way Python would find them from the importing
// file's package (relative imports) or from the top of its package tree and the given roots
// (absolute imports). Reads each file once per run; unreadable files are simply not resolved.
// Everything it learns from the disk is cached for the life of the object (one CLI run, one editor
// check): which folders are packages, which files exist, and each resolution, found or not. Which
// files are looked at, in which order, is the core's `ModuleFinder` (shared with the web host).
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MAX_MODULE_BYTES, ModuleFinder } from '../core/analysis/modules';
import type { ProjectHost } from '../core/analysis/project';
import type { Settings } from '../core/types';
import { readSource } from './read';

type Resolved = { path: string; text: string } | undefined;

export class FileSystemProject implements ProjectHost {
  private readonly texts = new Map<string, string | null>();
  /** path → is a regular file. */
  private readonly files = new Map<string, boolean>();
  /** Folder of the importing file → `${level}\0${module}` → the resolution. */
  private readonly resolved = new Map<string, Map<string, Resolved>>();
  /** Importing file → its folder (one `path.resolve` per file, and a folder string whose hash V8 keeps). */
  private readonly folders = new Map<string, string>();
  private readonly finder: ModuleFinder;

  /**
   * `roots`: extra folders absolute imports are searched from (the checked folders). `listFolders`:
   * answer "is there a file" from one listing per folder (many files checked with one index: the CLI).
   */
  constructor(
    roots: readonly string[] = [],
    private readonly listFolders = false,
    /** The Python files the run checks (absolute paths), with their settings: `ProjectHost.plannedCheck`. */
    private readonly planned?: ReadonlyMap<string, Settings>,
  ) {
    this.finder = new ModuleFinder(
      { dirname, join, read: (p) => this.read(p), exists: (p) => this.exists(p) },
      roots.map((r) => resolve(r)),
    );
  }

  plannedCheck(path: string): Settings | undefined {
    return this.planned?.get(path);
  }

  resolve(fromPath: string, module: string, level: number): Resolved {
    let dir = this.folders.get(fromPath);
    if (dir === undefined) this.folders.set(fromPath, (dir = dirname(resolve(fromPath))));
    let inDir = this.resolved.get(dir);
    if (!inDir) this.resolved.set(dir, (inDir = new Map()));
    const key = `${level}\0${module}`;
    if (inDir.has(key)) return inDir.get(key);
    const r = this.finder.find(dir, module, level);
    inDir.set(key, r);
    return r;
  }

  /**
   * With `listFolders`: folder → its entries (name → a regular file, a symbolic link, or something
   * else), listed once. Resolving the imports of many files probes many candidate paths (`x.py`,
   * `x/__init__.py`, from several folders), and one listing per folder answers them all instead of a
   * `stat` each (the CLI: 0.64 s of `stat` over dist-packages). An editor check resolves a few imports
   * with a fresh index: there a listing of a large folder would cost more than the stats it saves.
   */
  private readonly listings = new Map<string, Map<string, 'file' | 'link' | 'other'>>();

  private listing(dir: string): Map<string, 'file' | 'link' | 'other'> {
    let l = this.listings.get(dir);
    if (!l) {
      l = new Map();
      // Most candidate folders do not exist (`x/` for `x/__init__.py`): the parent's listing says so
      // without a failed system call (and the exception Node makes of it) per folder.
      const parent = dirname(dir);
      const name = basename(dir);
      const kind = parent !== dir && name ? this.listing(parent).get(name) : 'other';
      if (kind === 'other' || kind === 'link') {
        try {
          for (const d of readdirSync(dir, { withFileTypes: true })) l.set(d.name, d.isFile() ? 'file' : d.isSymbolicLink() ? 'link' : 'other');
        } catch {
          // not a folder, unreadable: nothing is found in it
        }
      }
      this.listings.set(dir, l);
    }
    return l;
  }

  private isFile(path: string): boolean {
    let f = this.files.get(path);
    if (f === undefined) {
      const name = basename(path);
      const kind = this.listFolders && name ? this.listing(dirname(path)).get(name) : 'link';
      if (kind === 'link') {
        // a link (or a root): what it points to decides
        try {
          f = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
        } catch {
          f = false;
        }
      } else f = kind === 'file';
      this.files.set(path, f);
    }
    return f;
  }

  private read(path: string): string | undefined {
    if (this.texts.has(path)) return this.texts.get(path) ?? undefined;
    let text: string | null = null;
    try {
      if (this.isFile(path)) {
        const src = readSource(path, MAX_MODULE_BYTES);
        if (src.ok) text = src.text;
      }
    } catch {
      text = null;
    }
    this.texts.set(path, text);
    return text ?? undefined;
  }

  private exists(path: string): boolean {
    const f = this.files.get(path);
    if (f === true) return true;
    const name = basename(path);
    if (this.listFolders && name) {
      const kind = this.listing(dirname(path)).get(name);
      if (kind === undefined) return false;
      if (kind !== 'link') return true;
    }
    try {
      return statSync(path, { throwIfNoEntry: false }) !== undefined;
    } catch {
      return false;
    }
  }
}
