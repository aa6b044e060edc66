// Lowers every Python file under the given folders (default: /usr/lib/python3/dist-packages) with the
// current lowering (src/core/python/lower.ts) and with the reference lowering it replaced
// (test/helpers/python-lower-reference.ts), compares canonical serialisations of both IRs, and
// reports lowering throughput. Run with `node scripts/ir-equivalence.mjs [DIR...]`.
// Files with long comment runs (which the parser hides from tree-sitter, src/core/parser.ts) are also
// lowered from a parse with the runs hidden, and that IR is compared with the plain parse's.
// Every file is also lowered by the direct front end (src/core/python/direct.ts, no tree-sitter): the
// script reports the files it accepts, the accepted files whose IR differs from tree-sitter's (must be
// 0), its bail-out reasons, and the throughput of both paths on the accepted files.
// Exit code 1 when any file differs.
import { readFileSync, statSync } from 'node:fs';
import { pyFiles } from '../bench/corpus';
import { COMMENT_RUN_MIN_LINES, hideCommentRuns, Parsers } from '../src/core/parser';
import { lowerPython } from '../src/core/python/lower';
import { lowerPythonDirectWhy } from '../src/core/python/direct';
import { canonical } from '../test/helpers/ir-equivalence';
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
  const runs = { files: 0, runs: 0, hiddenLines: 0, differ: 0, fallbacks: 0, plainMs: 0, hiddenMs: 0 };
  const direct = { accepted: 0, lines: 0, differ: 0, ms: 0, treeMs: 0, allMs: 0, reasons: new Map<string, number>(), reasonLines: new Map<string, number>() };
  // IR_EQ_DECLINED=1 lists every declined file with its line count and full reason
  const listDeclined = !!process.env.IR_EQ_DECLINED;
  const acceptedFiles: string[] = [];
  for (const dir of dirs) {
    for (const f of pyFiles(dir)) {
      if (statSync(f).size > 8 * 2 ** 20) continue;
      const text = readFileSync(f, 'utf8');
      files++;
      let fileLines = 1;
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) fileLines++;
      lines += fileLines;
      const t0 = performance.now();
      parsers.parse('python', text).delete();
      const parsed = performance.now() - t0;
      parseMs += parsed;
      // alternate which lowering runs first so neither always gets the warmer caches
      const r = compareLowering(parsers, text, files % 2 === 0);
      const t1 = performance.now();
      const d = lowerPythonDirectWhy(text);
      const dMs = performance.now() - t1;
      direct.allMs += dMs;
      if (d.module) {
        direct.accepted++;
        acceptedFiles.push(f);
        for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) direct.lines++;
        direct.lines++;
        direct.ms += dMs;
        direct.treeMs += parsed + r.currentMs;
        const got = canonical(d.module);
        if (got !== r.current) {
          direct.differ++;
          differ++;
          console.log(`DIFFERS (direct front end) ${f} ${firstDifference(r.current, got)}`);
        }
      } else {
        const reason = (d.reason ?? '?').replace(/^line continuation .*/, 'line continuation');
        direct.reasons.set(reason, (direct.reasons.get(reason) ?? 0) + 1);
        direct.reasonLines.set(reason, (direct.reasonLines.get(reason) ?? 0) + fileLines);
        if (listDeclined) {
          const line = d.at !== undefined && d.at >= 0 ? text.slice(0, d.at).split('\n').length : '?';
          console.log(`DECLINED ${fileLines} ${f}:${line}: ${d.reason}`);
        }
      }
      refMs += r.referenceMs;
      curMs += r.currentMs;
      if (r.reference.startsWith('throw:') || r.current.startsWith('throw:')) threw++;
      const view = hideCommentRuns(text);
      if (view) {
        runs.files++;
        runs.runs += view.runs.length;
        const before = { ...parsers.stats };
        let t = performance.now();
        const tree = parsers.parse('python', text, null);
        runs.hiddenMs += performance.now() - t;
        runs.hiddenLines += parsers.stats.hiddenLines - before.hiddenLines;
        runs.fallbacks += parsers.stats.fallbacks - before.fallbacks;
        const hidden = canonical(lowerPython(tree.rootNode));
        tree.delete();
        parsers.commentRunMinLines = Infinity;
        t = performance.now();
        parsers.parse('python', text, null).delete();
        runs.plainMs += performance.now() - t;
        parsers.commentRunMinLines = COMMENT_RUN_MIN_LINES;
        if (hidden !== r.current) {
          runs.differ++;
          differ++;
          console.log(`DIFFERS (hidden comment runs) ${f} ${firstDifference(r.current, hidden)}`);
        }
      }
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
  console.log(`comment runs hidden: ${runs.runs} runs (${runs.hiddenLines.toLocaleString('en')} lines) in ${runs.files} files; IR differing from a plain parse: ${runs.differ}; re-parses after a failed check: ${runs.fallbacks}`);
  console.log(`  those files' fresh parses: plain ${(runs.plainMs / 1000).toFixed(2)} s, runs hidden ${(runs.hiddenMs / 1000).toFixed(2)} s`);
  // Throughput on the accepted files, each path in a pass of its own (the per-file times above run
  // beside the reference lowering, whose garbage the collector may charge to the next timed call).
  const timed = (f: (text: string) => void): number => {
    const t0 = performance.now();
    for (const file of acceptedFiles) f(readFileSync(file, 'utf8'));
    return performance.now() - t0;
  };
  const passTree = timed((text) => {
    const tree = parsers.parse('python', text);
    lowerPython(tree.rootNode);
    tree.delete();
  });
  const passDirect = timed((text) => void lowerPythonDirectWhy(text));
  const passRead = timed(() => undefined);
  const drate = (ms: number) => Math.round(direct.lines / (ms / 1000)).toLocaleString('en');
  console.log(`direct front end: accepted ${direct.accepted} of ${files} files (${((100 * direct.accepted) / files).toFixed(1)} %), IR differing from tree-sitter's: ${direct.differ}`);
  console.log(`  on the accepted files (${direct.lines.toLocaleString('en')} lines): tree-sitter parse + lowering ${(direct.treeMs / 1000).toFixed(2)} s (${drate(direct.treeMs)} lines/s), direct ${(direct.ms / 1000).toFixed(2)} s (${drate(direct.ms)} lines/s), ${(direct.treeMs / direct.ms).toFixed(1)}x`);
  console.log(`  direct on all files (bails included): ${(direct.allMs / 1000).toFixed(2)} s`);
  console.log(`  separate passes over the accepted files (reading excluded: ${(passRead / 1000).toFixed(2)} s): tree-sitter parse + lowering ${((passTree - passRead) / 1000).toFixed(2)} s (${drate(passTree - passRead)} lines/s), direct ${((passDirect - passRead) / 1000).toFixed(2)} s (${drate(passDirect - passRead)} lines/s), ${((passTree - passRead) / (passDirect - passRead)).toFixed(1)}x`);
  const declinedLines = [...direct.reasonLines.values()].reduce((a, b) => a + b, 0);
  console.log(`  declined: ${files - direct.accepted} files, ${declinedLines.toLocaleString('en')} lines (${((100 * declinedLines) / lines).toFixed(1)} % of the lines)`);
  console.log(`  bail-out reasons (files, lines): ${[...direct.reasons].sort((a, b) => (direct.reasonLines.get(b[0]) ?? 0) - (direct.reasonLines.get(a[0]) ?? 0)).map(([k, v]) => `${k}: ${v} (${(direct.reasonLines.get(k) ?? 0).toLocaleString('en')})`).join(', ')}`);
  process.exitCode = differ ? 1 : 0;
}

void main();
