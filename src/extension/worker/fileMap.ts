// The worker's side of the project index where it cannot read files itself (the web worker; non-file:
// documents): a map of the files the host read for it (`files` messages), and a `ProjectHost` over
// that map for one check. A lookup the map has no answer for is treated as absent and recorded in
// `wanted`; the check's answer carries it, the host reads those files and asks again, until nothing
// new is wanted. The resolution rules are the core's `ModuleFinder`, as on disk.
import { ModuleFinder, prefixedPosixPaths } from '../../core/analysis/modules';
import type { ProjectHost } from '../../core/analysis/project';
import type { FileEntry } from './protocol';

/** Beyond this much text the map starts again empty (what is still needed is asked for again). */
const MAX_MAP_CHARS = 64 * 2 ** 20;

export class FileMap {
  private readonly files = new Map<string, { exists: boolean; text: string | null }>();
  private chars = 0;

  set(entries: readonly FileEntry[]): void {
    for (const e of entries) {
      const old = this.files.get(e.path);
      if (old?.text) this.chars -= old.text.length;
      if (e.text) this.chars += e.text.length;
      this.files.set(e.path, { exists: e.exists, text: e.text });
    }
    if (this.chars > MAX_MAP_CHARS) {
      this.files.clear();
      this.chars = 0;
    }
  }

  /** Forgets each key and everything under it (a deleted folder is one event). */
  drop(keys: readonly string[]): void {
    for (const k of keys) {
      const under = k.endsWith('/') ? k : `${k}/`;
      for (const [path, e] of this.files) {
        if (path !== k && !path.startsWith(under)) continue;
        if (e.text) this.chars -= e.text.length;
        this.files.delete(path);
      }
    }
  }

  get size(): number {
    return this.files.size;
  }

  /** A project host for one check; `openText` gives open documents' current text (it wins over the file's). */
  project(files: { prefix: string; roots: readonly string[] }, openText: (path: string) => string | undefined): ProjectHost & { wanted: Set<string> } {
    const wanted = new Set<string>();
    const paths = prefixedPosixPaths(files.prefix);
    const finder = new ModuleFinder(
      {
        ...paths,
        read: (p) => {
          const e = this.files.get(p);
          if (!e) {
            wanted.add(p);
            return undefined;
          }
          return e.text === null ? undefined : (openText(p) ?? e.text);
        },
        exists: (p) => {
          const e = this.files.get(p);
          if (!e) wanted.add(p);
          return e?.exists ?? false;
        },
      },
      files.roots,
    );
    const resolved = new Map<string, { path: string; text: string } | undefined>();
    return {
      wanted,
      resolve(fromPath, module, level) {
        const dir = paths.dirname(fromPath);
        const key = `${dir}\0${level}\0${module}`;
        if (resolved.has(key)) return resolved.get(key);
        const r = finder.find(dir, module, level);
        resolved.set(key, r);
        return r;
      },
    };
  }
}
