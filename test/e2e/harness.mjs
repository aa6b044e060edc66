// Small helpers for the end-to-end run: polling with clear timeouts, timed steps with a screenshot on
// failure, a free port, code-server's lifecycle.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `fn` until it returns something truthy; throws a message naming `what` and the last value.
 * An error thrown by `fn` is retried, unless it is marked `fatal` (see `fatal()`).
 */
export async function poll(what, fn, { timeout = 30_000, interval = 200 } = {}) {
  const started = Date.now();
  let last;
  let lastError;
  while (Date.now() - started < timeout) {
    try {
      last = await fn();
      lastError = undefined;
      if (last) return last;
    } catch (e) {
      if (e.fatal) throw e;
      lastError = e;
    }
    await sleep(interval);
  }
  const detail = lastError ? `last error: ${lastError.message}` : `last value: ${JSON.stringify(last)}`;
  throw new Error(`timed out after ${(timeout / 1000).toFixed(0)} s waiting for ${what} (${detail})`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs steps in order, timing each; the first failure stops the run (later steps depend on it). */
export class Steps {
  constructor(artifacts, getPage) {
    this.artifacts = artifacts;
    this.getPage = getPage;
    this.results = [];
  }
  async run(name, fn) {
    const started = Date.now();
    process.stdout.write(`- ${name} ... `);
    try {
      const note = await fn();
      const ms = Date.now() - started;
      this.results.push({ name, status: 'pass', ms, note });
      process.stdout.write(`ok (${(ms / 1000).toFixed(1)} s)${note ? ` ${note}` : ''}\n`);
    } catch (e) {
      const ms = Date.now() - started;
      this.results.push({ name, status: 'fail', ms, error: e.message });
      process.stdout.write(`FAILED (${(ms / 1000).toFixed(1)} s)\n  ${e.message.split('\n').join('\n  ')}\n`);
      const page = this.getPage();
      if (page) {
        const shot = join(this.artifacts, `failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
        await page.screenshot({ path: shot }).then(
          () => process.stdout.write(`  screenshot: ${shot}\n`),
          () => undefined,
        );
      }
      throw e;
    }
  }
  skip(name, why) {
    this.results.push({ name, status: 'skip', ms: 0, note: why });
    process.stdout.write(`- ${name} ... SKIPPED: ${why}\n`);
  }
}

/** Starts a process in its own group, logging to `logFile`; `stop()` ends the group. */
export function startProcess(cmd, args, logFile, env = process.env) {
  const log = createWriteStream(logFile);
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  child.on('exit', () => (exited = true));
  return {
    child,
    get exited() {
      return exited;
    },
    async stop() {
      if (exited) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    },
  };
}

/** An error that stops a poll at once (e.g. the extension logged an error: waiting longer is pointless). */
export function fatal(message) {
  const e = new Error(message);
  e.fatal = true;
  return e;
}
