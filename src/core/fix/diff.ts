// A unified diff between two texts, as `diff -u` prints it (without timestamps): `---`/`+++`
// headers, `@@ -l,n +l,n @@` hunks with 3 lines of context, `\ No newline at end of file`.
// Lines split at "\n"; a "\r" before it stays part of the line, as in diff. Pure.

export interface DiffOptions {
  /** Header labels, e.g. the path twice. */
  fromFile: string;
  toFile: string;
  /** Lines of context around each change; 3 by default. */
  context?: number;
}

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/** The unified diff of `a` → `b`; "" when they are equal. */
export function unifiedDiff(a: string, b: string, options: DiffOptions): string {
  if (a === b) return '';
  const context = options.context ?? 3;
  const al = splitLines(a);
  const bl = splitLines(b);
  const ops = diffLines(al, bl);
  const changes: number[] = [];
  ops.forEach((op, i) => op.kind !== ' ' && changes.push(i));
  if (changes.length === 0) return '';
  let out = `--- ${options.fromFile}\n+++ ${options.toFile}\n`;
  let i = 0;
  while (i < changes.length) {
    let j = i;
    while (j + 1 < changes.length && changes[j + 1]! - changes[j]! - 1 <= 2 * context) j++;
    const from = Math.max(0, changes[i]! - context);
    const to = Math.min(ops.length, changes[j]! + context + 1);
    out += hunk(ops.slice(from, to));
    i = j + 1;
  }
  return out;
}

function hunk(ops: Op[]): string {
  const first = ops[0]!;
  const aCount = ops.filter((o) => o.kind !== '+').length;
  const bCount = ops.filter((o) => o.kind !== '-').length;
  // `first.a`/`first.b`: 0-based index of the first line of each side in (or just after) the hunk.
  let out = `@@ -${range(first.a, aCount)} +${range(first.b, bCount)} @@\n`;
  for (const o of ops) {
    const nl = o.line.endsWith('\n');
    out += o.kind + (nl ? o.line : `${o.line}\n\\ No newline at end of file\n`);
  }
  return out;
}

/** `start,count`, `start` when count is 1; an empty range names the line before it. */
function range(index0: number, count: number): string {
  if (count === 0) return `${index0},0`;
  if (count === 1) return `${index0 + 1}`;
  return `${index0 + 1},${count}`;
}

/** Lines with their "\n" (the last may lack it). */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => `${l}\n`);
  const last = lines.length - 1;
  lines[last] = lines[last]!.slice(0, -1);
  if (lines[last] === '') lines.pop();
  return lines;
}

/** Myers' O((N+M)D) diff after trimming the common head and tail. */
function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ kind: ' ', line: a[k]!, a: k, b: k });
  ops.push(...myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head));
  for (let k = tail; k > 0; k--) {
    const ai = a.length - k;
    const bi = b.length - k;
    ops.push({ kind: ' ', line: a[ai]!, a: ai, b: bi });
  }
  return ops;
}

function myers(a: string[], b: string[], offset: number): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[k - 1 + max]! < v[k + 1 + max]!) ? v[k + 1 + max]! : v[k - 1 + max]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + max] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  trace.push(v.slice());
  // Walk back through the saved frontiers.
  const rev: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[k - 1 + max]! < vd[k + 1 + max]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[prevK + max]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      rev.push({ kind: ' ', line: a[x]!, a: x + offset, b: y + offset });
    }
    if (d === 0) break;
    if (x === prevX) {
      y--;
      rev.push({ kind: '+', line: b[y]!, a: x + offset, b: y + offset });
    } else {
      x--;
      rev.push({ kind: '-', line: a[x]!, a: x + offset, b: y + offset });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    rev.push({ kind: ' ', line: a[x]!, a: x + offset, b: y + offset });
  }
  return rev.reverse();
}
