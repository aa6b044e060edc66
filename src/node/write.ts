// Writes fixed text back: a temporary file in the same folder, then a rename over the original,
// so a reader sees the old file or the new one, never half of one. The BOM, the file mode (and,
// where allowed, the owner) are kept; line endings are whatever the text has (the fixes match the
// file). A file whose real path lies outside the checked tree (a symlink pointing out) is refused,
// and so is one that changed on disk since it was read. On any failure the original is untouched.
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { osReason } from './read';

export interface WriteOptions {
  bom: boolean;
  /** Real paths of the checked trees; the file's real path must lie inside one. Omitted: no check. */
  roots?: readonly string[];
  /** Size and mtime when the file was read; a mismatch means someone else changed it. */
  expect?: { size: number; mtimeMs: number };
  /** Test hook: runs after the temporary file is written, before the rename. */
  beforeRename?: (tmpPath: string) => void;
}

export type WriteResult = { ok: true; path: string } | { ok: false; reason: string };

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export function writeFileAtomic(path: string, text: string, options: WriteOptions): WriteResult {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    return { ok: false, reason: osReason(e) };
  }
  if (options.roots && !options.roots.some((r) => isInside(r, real))) {
    return { ok: false, reason: `it resolves to ${real}, outside the checked tree; not written` };
  }
  let st;
  try {
    st = statSync(real);
  } catch (e) {
    return { ok: false, reason: osReason(e) };
  }
  if (!st.isFile()) return { ok: false, reason: 'not a regular file; not written' };
  if (options.expect && (st.size !== options.expect.size || st.mtimeMs !== options.expect.mtimeMs)) {
    return { ok: false, reason: 'changed on disk while it was being fixed; not written' };
  }
  const tmp = join(dirname(real), `.${basename(real)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.stable-loss.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    const bytes = Buffer.from(options.bom ? `\ufeff${text}` : text, 'utf8');
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(tmp, st.mode & 0o7777);
    try {
      chownSync(tmp, st.uid, st.gid);
    } catch {
      // Only root may give a file away; an ordinary user keeps their own files anyway.
    }
    options.beforeRename?.(tmp);
    renameSync(tmp, real);
    return { ok: true, path: real };
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    return { ok: false, reason: `${osReason(e)}; the file was left unchanged` };
  }
}
