// Subcommand dispatch for the `stable-loss` command line. Any usage mistake is one line on stderr
// and exit 2; an unexpected exception too, never a crash trace unless STABLE_LOSS_DEBUG is set.
import type { Command } from './command';
import { commands } from './commands';
import { UsageError, type Io } from './io';
import { VERSION } from './version';

function topHelp(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return `Stable Loss: finds numerically unsafe cross-entropy code in ML source and fixes it.

Usage: stable-loss <COMMAND> [OPTIONS]

Commands:
${list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     Show this help (stable-loss <COMMAND> --help for a command's)
  -V, --version  Show the version
`;
}

export async function main(argv: string[], io: Io, list: readonly Command[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    if (name === 'help' && rest[0]) {
      const c = list.find((x) => x.name === rest[0]);
      if (c) {
        io.out(c.help);
        return 0;
      }
    }
    io.out(topHelp(list));
    return name === undefined ? 2 : 0;
  }
  if (name === '-V' || name === '--version') {
    io.out(`stable-loss ${VERSION}\n`);
    return 0;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    const hint = name.startsWith('-') ? ' (options go after the command, e.g. `stable-loss check --fix`)' : '';
    io.err(`error: unknown command ${JSON.stringify(name)}${hint}; commands: ${list.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\nFor more information, try 'stable-loss ${command.name} --help'.\n`);
      return 2;
    }
    const detail = io.env['STABLE_LOSS_DEBUG'] && e instanceof Error ? e.stack : e instanceof Error ? e.message : String(e);
    io.err(`error: internal error: ${detail}\n`);
    return 2;
  }
}
