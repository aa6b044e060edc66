// `stable-loss check` flags, parsed with node:util's parseArgs; every mistake is a UsageError.
import { parseArgs } from 'node:util';
import { selectorSpecificity } from '../../core/config';
import { UsageError } from '../io';
import { OUTPUT_FORMATS, type OutputFormat } from '../format';

export interface CheckOptions {
  paths: string[];
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  config?: string;
  stdinFilename?: string;
  exclude?: string[];
  extendExclude?: string[];
  respectGitignore: boolean;
  format: OutputFormat;
  fix: boolean;
  unsafeFixes: boolean;
  fixOnly: boolean;
  diff: boolean;
  addNoqa: boolean;
  exitZero: boolean;
  quiet: boolean;
  color?: boolean;
  /** --threads N; undefined = automatic. */
  threads?: number;
  help: boolean;
}

export const CHECK_HELP = `Check Python (and TensorFlow.js) files for numerically unsafe cross-entropy code.

Usage: stable-loss check [OPTIONS] [PATH ...]

Paths are files or folders (default: the current folder), or - for standard input. Folders
are searched for *.py, *.ipynb and TypeScript/JavaScript files (*.ts, *.tsx, *.js, ...: only
those importing @tensorflow/tfjs can have findings), skipping .gitignore'd files and the default
excludes (.git, .venv, venv, build, dist, node_modules, site-packages, ...). Files and folders
named on the command line are always checked.

Rule selection (codes, prefixes such as SL00, rule names, or ALL; comma-separated, repeatable):
      --select RULES          Enable exactly these rules (replaces the configured selection)
      --extend-select RULES   Enable these rules as well
      --ignore RULES          Disable these rules

Configuration:
      --config PATH           Use this pyproject.toml for every file instead of the nearest
                              one with a [tool.stable-loss] table
      --exclude GLOBS         Skip these files/folders (replaces the default excludes)
      --extend-exclude GLOBS  Skip these as well
      --no-respect-gitignore  Do not skip files that .gitignore files ignore
      --stdin-filename NAME   With -: the file name standard input stands for (language, config,
                              messages). With --fix/--fix-only/--add-noqa the result goes to
                              stdout and findings to stderr

Fixes:
      --fix                   Apply safe fixes, then report what remains
      --unsafe-fixes          Include unsafe fixes (they can change behaviour)
      --diff                  Print the fixes as unified diffs; change nothing (exit 1 if any)
      --fix-only              Apply fixes and report nothing else (exit 0 unless an error)
      --add-noqa              Add \`# noqa: CODE\` to every line with a finding (to adopt the
                              tool in an existing code base); exit 0 unless an error

Output:
      --output-format FORMAT  full (default), concise, json, sarif or github
      --exit-zero             Exit 0 even when findings remain
  -q, --quiet                 Print findings only, no summary
      --threads N             Check files on N threads (default: one per core for large runs;
                              1 = in this thread). The output is the same for any N
      --color / --no-color    Force colour on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help                  Show this help

Exit status: 0 nothing found, 1 findings remain (or --diff has a diff), 2 usage, configuration
or I/O error.
`;

export function parseCheckOptions(argv: string[]): CheckOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        select: { type: 'string', multiple: true },
        'extend-select': { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        config: { type: 'string' },
        'stdin-filename': { type: 'string' },
        exclude: { type: 'string', multiple: true },
        'extend-exclude': { type: 'string', multiple: true },
        'no-respect-gitignore': { type: 'boolean' },
        'output-format': { type: 'string' },
        fix: { type: 'boolean' },
        'no-fix': { type: 'boolean' },
        'unsafe-fixes': { type: 'boolean' },
        'no-unsafe-fixes': { type: 'boolean' },
        'fix-only': { type: 'boolean' },
        diff: { type: 'boolean' },
        'add-noqa': { type: 'boolean' },
        'exit-zero': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        threads: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(parseArgsMessage(e));
  }
  const v = parsed.values;
  const format = v['output-format'] ?? 'full';
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new UsageError(`invalid value ${JSON.stringify(format)} for --output-format (expected one of: full, concise, json, sarif, github)`);
  }
  const opts: CheckOptions = {
    paths: parsed.positionals.length ? parsed.positionals : ['.'],
    respectGitignore: !v['no-respect-gitignore'],
    format: (format === 'text' ? 'full' : format) as OutputFormat,
    fix: Boolean(v.fix) && !v['no-fix'],
    unsafeFixes: Boolean(v['unsafe-fixes']) && !v['no-unsafe-fixes'],
    fixOnly: Boolean(v['fix-only']),
    diff: Boolean(v.diff),
    addNoqa: Boolean(v['add-noqa']),
    exitZero: Boolean(v['exit-zero']),
    quiet: Boolean(v.quiet),
    help: Boolean(v.help),
  };
  if (opts.addNoqa && (opts.fix || opts.fixOnly || opts.diff)) throw new UsageError('--add-noqa cannot be used with --fix, --fix-only or --diff');
  if (v.color && v['no-color']) throw new UsageError('--color and --no-color cannot be used together');
  if (v.color) opts.color = true;
  if (v['no-color']) opts.color = false;
  const rules = (flag: string, values: string[] | undefined) => {
    if (!values) return undefined;
    const list = splitList(values);
    for (const s of list) {
      if (selectorSpecificity(s) === null) throw new UsageError(`invalid value ${JSON.stringify(s)} for --${flag}: not a rule code, prefix or name (see \`stable-loss rules\` or the docs)`);
    }
    return list;
  };
  const sel = rules('select', v.select);
  if (sel) opts.select = sel;
  const ext = rules('extend-select', v['extend-select']);
  if (ext) opts.extendSelect = ext;
  const ign = rules('ignore', v.ignore);
  if (ign) opts.ignore = ign;
  if (v.threads !== undefined) {
    if (!/^[0-9]+$/.test(v.threads) || Number(v.threads) < 1 || Number(v.threads) > 256) throw new UsageError(`invalid value ${JSON.stringify(v.threads)} for --threads (expected a number from 1 to 256)`);
    opts.threads = Number(v.threads);
  }
  if (v.config !== undefined) opts.config = v.config;
  if (v['stdin-filename'] !== undefined) opts.stdinFilename = v['stdin-filename'];
  if (opts.paths.includes('-') && opts.paths.length > 1) throw new UsageError('`-` (read standard input) cannot be combined with other paths');
  if (v.exclude) opts.exclude = splitList(v.exclude);
  if (v['extend-exclude']) opts.extendExclude = splitList(v['extend-exclude']);
  return opts;
}

function splitList(values: string[]): string[] {
  return values.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

function parseArgsMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // node's messages are long ("... To specify a positional argument starting with a '-' ..."); keep the first sentence.
  return msg.split('. ')[0]!.replace(/\.$/, '');
}
