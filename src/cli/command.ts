// A subcommand: `stable-loss <name> ...`. Adding one is adding a file that exports a Command and
// listing it in commands/index.ts.
import type { Io } from './io';

export interface Command {
  name: string;
  /** One line for `stable-loss --help`. */
  summary: string;
  /** Full help for `stable-loss <name> --help`. */
  help: string;
  /** Returns the exit code: 0 clean, 1 findings, 2 usage, configuration or I/O error. */
  run(argv: string[], io: Io): Promise<number>;
}
