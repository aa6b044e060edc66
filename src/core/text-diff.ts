// Where two versions of a text differ: their common prefix and suffix (an editor's re-parse and
// re-lowering reuse what lies outside). Whole chunks are compared first: two slices compare as one
// native memory comparison, far faster than a loop over characters on a long document.

const CHUNK = 1024;

/** The length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= max && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the longest common suffix of `a` and `b`, at most `limit`. */
export function commonSuffix(a: string, b: string, limit: number): number {
  const al = a.length;
  const bl = b.length;
  let n = 0;
  while (n + CHUNK <= limit && a.slice(al - n - CHUNK, al - n) === b.slice(bl - n - CHUNK, bl - n)) n += CHUNK;
  while (n < limit && a.charCodeAt(al - 1 - n) === b.charCodeAt(bl - 1 - n)) n++;
  return n;
}
