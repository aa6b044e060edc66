// `stable-loss` command line: a thin adapter over the core.
import { readFileSync } from 'node:fs';
import { Engine } from '../core';
import { nodeWasmLoader } from '../node/wasm';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...paths] = argv;
  if (cmd !== 'check') {
    process.stderr.write('usage: stable-loss check [PATH ...]\n');
    return 2;
  }
  const engine = await Engine.create(nodeWasmLoader());
  let found = 0;
  for (const p of paths) {
    const r = engine.check(readFileSync(p, 'utf8'), { path: p });
    for (const f of r.findings) {
      found++;
      process.stdout.write(`${p}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.code} ${f.message}\n`);
    }
  }
  return found ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`stable-loss: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  },
);
