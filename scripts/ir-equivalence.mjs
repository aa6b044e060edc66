// Bundles scripts/ir-equivalence.ts (it imports the core and the test helpers) and runs it:
//   node scripts/ir-equivalence.mjs [DIR...]
// proves the Python lowering produces the same IR as the reference lowering over a corpus.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'scripts', 'ir-equivalence.js');
await build({ entryPoints: [join(root, 'scripts', 'ir-equivalence.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
