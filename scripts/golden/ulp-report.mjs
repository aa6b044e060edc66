#!/usr/bin/env node
// ULP distribution of the numeric kernel against the golden vectors (test/golden/kernel/*.json).
//   node scripts/golden/ulp-report.mjs           prints the markdown table
//   node scripts/golden/ulp-report.mjs --write   also replaces the table in docs/kernel-accuracy.md
// Bundles scripts/golden/harness.ts (and the kernel) with esbuild into a temporary file first.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'ulp-report-'));
const out = join(tmp, 'harness.mjs');
await build({ entryPoints: [join(root, 'scripts/golden/harness.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
const { runCase, tally } = await import(pathToFileURL(out).href);
rmSync(tmp, { recursive: true, force: true });

const dir = join(root, 'test/golden/kernel');
const rows = [];
const sources = {};
for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('print')).sort()) {
  const group = f.replace(/\.json$/, '');
  const g = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  sources[group] = g.source;
  const comps = [];
  g.cases.forEach((c, i) => comps.push(...runCase(group, c, i)));
  rows.push(...tally(comps));
}
const lines = [
  '| group / op / dtype | source | cases | elements | 0 ULP | 1 ULP | > 1 ULP | max ULP | non-finite mismatch |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
const tot = { cases: 0, elements: 0, ulp0: 0, ulp1: 0, over: 0, nonfinite: 0 };
for (const r of rows) {
  const group = r.key.split('/')[0];
  lines.push(`| ${r.key} | ${sources[group]} | ${r.cases} | ${r.elements} | ${r.ulp0} | ${r.ulp1} | ${r.over} | ${r.maxUlp} | ${r.nonfinite + r.shape} |`);
  for (const k of Object.keys(tot)) tot[k] += r[k] ?? 0;
}
lines.push(`| **total** | | ${tot.cases} | ${tot.elements} | ${tot.ulp0} | ${tot.ulp1} | ${tot.over} | | ${tot.nonfinite} |`);
const table = lines.join('\n');
console.log(table);
if (process.argv.includes('--write')) {
  const doc = join(root, 'docs/kernel-accuracy.md');
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- ulp-table:start -->';
  const end = '<!-- ulp-table:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < 0) throw new Error(`markers ${start} / ${end} not found in ${doc}`);
  writeFileSync(doc, text.slice(0, a + start.length) + '\n' + table + '\n' + text.slice(b));
  console.error(`updated ${doc}`);
}
