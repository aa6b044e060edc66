// Files of the checkout the tests walk.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The .py files below `dir`, recursively, in sorted order. */
export function pyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...pyFiles(p));
    else if (e.endsWith('.py')) out.push(p);
  }
  return out;
}
