// What a command may touch of the process: output streams, the environment and the cwd. Passing
// it in lets tests run commands in-process and read what they printed.
import { readFileSync } from 'node:fs';
export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** stdout is a terminal (colour and the like). */
  stdoutIsTTY: boolean;
  /** All of standard input (for `check -`). */
  readStdin(): Uint8Array;
}

export function processIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    readStdin: () => readFileSync(0),
  };
}

/** An Io that records output, for tests. */
export function memoryIo(cwd: string, env: Record<string, string | undefined> = {}, stdin = ''): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
    cwd,
    env,
    stdoutIsTTY: false,
    readStdin: () => new TextEncoder().encode(stdin),
  };
  return io;
}

/** Thrown for a bad command line: printed as one line, exit 2. */
export class UsageError extends Error {}
