// `stable-loss` command line entry point (bundled to dist/cli.js): a thin adapter over the core.
import { main } from './dispatch';
import { processIo } from './io';

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
