// Writes package.json's `contributes.configuration` from the rule catalogue
// (src/extension/settingsSchema.ts). `--check` only compares and exits 1 when package.json is stale.
// Only that one key is replaced; the rest of package.json is left as it is.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({
  entryPoints: [join(root, 'src/extension/settingsSchema.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  packages: 'external',
  logLevel: 'warning',
});
const { configurationSchema } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
const expected = configurationSchema();

const file = join(root, 'package.json');
const text = readFileSync(file, 'utf8');
const pkg = JSON.parse(text);
const current = pkg.contributes?.configuration;
if (JSON.stringify(current) === JSON.stringify(expected)) {
  console.log('package.json contributes.configuration is up to date');
  process.exit(0);
}
if (process.argv.includes('--check')) {
  console.error('package.json contributes.configuration is out of date: run `npm run gen-settings`');
  process.exit(1);
}
pkg.contributes = { ...pkg.contributes, configuration: expected };
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`wrote contributes.configuration (${Object.keys(expected.properties).length} settings) to package.json`);
