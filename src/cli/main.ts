// `stable-loss` command line entry point (bundled to dist/cli.js): a thin adapter over the core.
// The same bundle is the body of `check`'s worker threads (started with `workerData.stableLossCheck`).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../core/engine';
import { nodeWasmLoader } from '../node/wasm';
import { main } from './dispatch';
import { processIo } from './io';
import { runPoolWorker, type PoolData } from './commands/check-pool';
import { isNotebook, isScript } from './commands/check-file';
import { setCheckWorkerScript } from './commands/check';

if (!isMainThread && parentPort && (workerData as PoolData | undefined)?.stableLossCheck) {
  const data = workerData as PoolData;
  void runPoolWorker(data, parentPort, () => Engine.create(nodeWasmLoader(), { lazy: !data.scripts }), (p) => isScript(p) || isNotebook(p));
} else {
  setCheckWorkerScript(__filename);
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); // the reader went away (| head)
    throw e;
  });
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`error: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
