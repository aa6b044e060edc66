// What a command may touch of the process: output streams, the environment and the cwd. Passing
// it in lets tests run commands in-process and read what they printed.
export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** stdout is a terminal (colour and the like). */
  stdoutIsTTY: boolean;
}

export function processIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
  };
}

/** An Io that records output, for tests. */
export function memoryIo(cwd: string, env: Record<string, string | undefined> = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
    cwd,
    env,
    stdoutIsTTY: false,
  };
  return io;
}

/** Thrown for a bad command line: printed as one line, exit 2. */
export class UsageError extends Error {}
