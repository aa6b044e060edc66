// The Python files of a folder tree, in a stable order (for the benchmark and the ecosystem run).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function* pyFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* pyFiles(p);
    else if (e.isFile() && e.name.endsWith('.py')) yield p;
  }
}
