// Lowers every Python file under the given folders (default: /usr/lib/python3/dist-packages) with the
// current lowering (src/core/python/lower.ts) and with the reference lowering it replaced
// (test/helpers/python-lower-reference.ts), compares canonical serialisations of both IRs, and
// reports lowering throughput. Run with `node scripts/ir-equivalence.mjs [DIR...]`.
// Exit code 1 when any file differs.
import { readFileSync, statSync } from 'node:fs';
import { pyFiles } from '../bench/corpus';
import { Parsers } from '../src/core/parser';
import { nodeWasmLoader } from '../src/node/wasm';
import { compareLowering, firstDifference } from '../test/helpers/ir-equivalence';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirs = args.length ? args : ['/usr/lib/python3/dist-packages'];
  const parsers = await Parsers.create(nodeWasmLoader(), ['python']);
  let files = 0;
  let lines = 0;
  let differ = 0;
  let threw = 0;
  let refMs = 0;
  let curMs = 0;
  let parseMs = 0;
  for (const dir of dirs) {
    for (const f of pyFiles(dir)) {
      if (statSync(f).size > 8 * 2 ** 20) continue;
      const text = readFileSync(f, 'utf8');
      files++;
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
      lines++;
      const t0 = performance.now();
      parsers.parse('python', text).delete();
      parseMs += performance.now() - t0;
      // alternate which lowering runs first so neither always gets the warmer caches
      const r = compareLowering(parsers, text, files % 2 === 0);
      refMs += r.referenceMs;
      curMs += r.currentMs;
      if (r.reference.startsWith('throw:') || r.current.startsWith('throw:')) threw++;
      if (!r.same) {
        differ++;
        if (differ <= 10) console.log(`DIFFERS ${f} ${firstDifference(r.reference, r.current)}`);
      }
    }
  }
  const rate = (ms: number) => Math.round(lines / (ms / 1000)).toLocaleString('en');
  console.log(`${files} files, ${lines.toLocaleString('en')} lines under ${dirs.join(', ')}`);
  console.log(`identical IR: ${files - differ} of ${files} files; differing: ${differ}; a lowering threw on: ${threw}`);
  console.log(`parse:               ${(parseMs / 1000).toFixed(2)} s (${rate(parseMs)} lines/s)`);
  console.log(`reference lowering:  ${(refMs / 1000).toFixed(2)} s (${rate(refMs)} lines/s)`);
  console.log(`current lowering:    ${(curMs / 1000).toFixed(2)} s (${rate(curMs)} lines/s), ${(refMs / curMs).toFixed(2)}x`);
  process.exitCode = differ ? 1 : 0;
}

void main();
