// ANSI styling for the text formats, on only when stdout is a terminal (or forced), and never
// with NO_COLOR set or --no-color.
import type { Io } from './io';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export const ansi: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  cyan: wrap(36, 39),
  green: wrap(32, 39),
};

const id = (s: string) => s;
export const plain: Style = { bold: id, dim: id, red: id, yellow: id, blue: id, cyan: id, green: id };

/** `flag`: true for --color, false for --no-color, undefined to decide from the terminal. */
export function chooseStyle(io: Io, flag: boolean | undefined): Style {
  if (flag !== undefined) return flag ? ansi : plain;
  if (io.env['NO_COLOR']) return plain;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return ansi;
  return io.stdoutIsTTY && io.env['TERM'] !== 'dumb' ? ansi : plain;
}
