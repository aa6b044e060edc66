// Ecosystem run: the analysis over every Python file of the given folders (default: Debian's
// dist-packages). Reports crashes (must be 0), internal errors, syntax-error files, time and every
// finding, for review. `npm run ecosystem -- [DIR ...] [--json out.json]`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';

function* pyFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* pyFiles(p);
    else if (e.isFile() && e.name.endsWith('.py')) yield p;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const dirs = args.filter((a, i) => !a.startsWith('--') && i !== jsonAt + 1 || jsonAt < 0 && !a.startsWith('--'));
  const roots = dirs.length ? dirs : ['/usr/lib/python3/dist-packages'];
  const engine = await Engine.create(nodeWasmLoader());
  let files = 0;
  let lines = 0;
  let parsed = 0;
  let syntaxErrors = 0;
  const crashes: string[] = [];
  const internal: string[] = [];
  const findings: { file: string; line: number; code: string; message: string; source: string; fix: string | null }[] = [];
  const t0 = performance.now();
  for (const root of roots) {
    for (const file of pyFiles(root)) {
      let text: string;
      try {
        if (statSync(file).size > 10 * 1024 * 1024) continue;
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      files++;
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
      try {
        const r = engine.check(text, { path: file });
        if (r.parsed) parsed++;
        for (const n of r.notes) {
          if (n.kind === 'internal-error') internal.push(`${file}: ${n.message}`);
          if (n.kind === 'syntax-error') syntaxErrors++;
        }
        for (const f of r.findings) {
          const lineText = text.split(/\r?\n/)[f.range.start.line] ?? '';
          findings.push({ file, line: f.range.start.line + 1, code: f.code, message: f.message, source: lineText.trim(), fix: f.fix ? f.fix.applicability : null });
        }
      } catch (e) {
        crashes.push(`${file}: ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary = { roots, files, lines, parsed, syntaxErrorFiles: syntaxErrors, crashes: crashes.length, internalErrors: internal.length, findings: findings.length, seconds: +seconds.toFixed(2), linesPerSecond: Math.round(lines / seconds), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  console.log(JSON.stringify(summary, null, 2));
  for (const c of crashes) console.log(`CRASH ${c}`);
  for (const i of internal) console.log(`INTERNAL ${i}`);
  for (const f of findings) console.log(`${f.file}:${f.line}: ${f.code} [fix:${f.fix ?? '-'}] ${f.source}`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ summary, findings, crashes, internal }, null, 2));
  if (crashes.length) process.exitCode = 1;
}

void main();
