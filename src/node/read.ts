// Reads a source file for checking: UTF-8 only (a BOM is remembered and stripped), never throws.
// Binary files (NUL bytes), undecodable bytes and files over the size limit come back as a
// one-line reason for the caller to print, so one bad file never stops a run.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface SourceFile {
  ok: true;
  /** The text without its BOM; line endings as in the file. */
  text: string;
  bom: boolean;
  /** What the file was when read, so a writer can notice it changed since. */
  size: number;
  mtimeMs: number;
}

export interface Unreadable {
  ok: false;
  /** `skipped`: not a text file we check (binary, not UTF-8, too large); `error`: the OS refused. */
  kind: 'skipped' | 'error';
  /** One line, without the path, e.g. "not valid UTF-8 (invalid byte at offset 12)". */
  reason: string;
}

const BOM = [0xef, 0xbb, 0xbf];

export function readSource(path: string, maxBytes = MAX_FILE_BYTES): SourceFile | Unreadable {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { ok: false, kind: 'error', reason: osReason(e) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, kind: 'error', reason: 'is a directory' };
    if (st.size > maxBytes) return { ok: false, kind: 'skipped', reason: `larger than ${formatBytes(maxBytes)} (${formatBytes(st.size)})` };
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return decodeSource(buf.subarray(0, got), st.mtimeMs);
  } catch (e) {
    return { ok: false, kind: 'error', reason: osReason(e) };
  } finally {
    closeSync(fd);
  }
}

/** Decodes bytes read from a file or stdin: UTF-8 with an optional BOM; NUL bytes mean binary. */
export function decodeSource(bytes: Uint8Array, mtimeMs = 0, maxBytes = MAX_FILE_BYTES): SourceFile | Unreadable {
  if (bytes.length > maxBytes) return { ok: false, kind: 'skipped', reason: `larger than ${formatBytes(maxBytes)} (${formatBytes(bytes.length)})` };
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, kind: 'skipped', reason: `binary file (NUL byte at offset ${nul})` };
  const bom = bytes.length >= 3 && BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return { ok: false, kind: 'skipped', reason: `not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(body) + (bom ? 3 : 0)})` };
  }
  return { ok: true, text, bom, size: bytes.length, mtimeMs };
}

/** Offset of the first byte that breaks UTF-8 (only called once decoding failed). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let min = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    if (i + n >= b.length && n > 0) return i;
    let cp = n === 1 ? c & 0x1f : n === 2 ? c & 0x0f : c & 0x07;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (n >= 2 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return i;
    i += n + 1;
  }
  return b.length;
}

export function osReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return err?.code ? `${err.code}: ${err.message}` : String(e);
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MB` : `${n} bytes`;
}
