// In-process tests of the CLI pieces that need no engine: colour choice, subcommand dispatch,
// option parsing, the --add-noqa text transform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ansi, chooseStyle, plain } from '../src/cli/color';
import type { Command } from '../src/cli/command';
import { parseCheckOptions } from '../src/cli/commands/check-options';
import { withNoqa } from '../src/cli/commands/check-file';
import { memoryIo, UsageError } from '../src/cli/io';
import { main } from '../src/cli/dispatch';
import { findingAt } from './fixtures/cli/findings';

test('colour: on for a terminal, off for pipes, NO_COLOR wins, FORCE_COLOR and flags force', () => {
  const io = (tty: boolean, env: Record<string, string> = {}) => ({ ...memoryIo('/', env), stdoutIsTTY: tty });
  assert.equal(chooseStyle(io(true), undefined), ansi);
  assert.equal(chooseStyle(io(false), undefined), plain);
  assert.equal(chooseStyle(io(true, { NO_COLOR: '1' }), undefined), plain);
  assert.equal(chooseStyle(io(true, { TERM: 'dumb' }), undefined), plain);
  assert.equal(chooseStyle(io(false, { FORCE_COLOR: '1' }), undefined), ansi);
  assert.equal(chooseStyle(io(false, { FORCE_COLOR: '0' }), undefined), plain);
  assert.equal(chooseStyle(io(true), false), plain);
  assert.equal(chooseStyle(io(false, { NO_COLOR: '1' }), true), ansi);
});

test('a subcommand is a Command in the list: dispatch, help, usage errors, internal errors', async () => {
  const calls: string[][] = [];
  const fake: Command = {
    name: 'eval',
    summary: 'Evaluate things',
    help: 'eval help\n',
    async run(argv) {
      calls.push(argv);
      if (argv[0] === 'bad') throw new UsageError('bad flag');
      if (argv[0] === 'boom') throw new Error('kaput');
      return 0;
    },
  };
  const io = memoryIo('/');
  assert.equal(await main(['eval', 'x', '--y'], io, [fake]), 0);
  assert.deepEqual(calls, [['x', '--y']]);
  assert.equal(await main(['--help'], io, [fake]), 0);
  assert.match(io.stdout, /^  eval  Evaluate things$/m);
  assert.equal(await main(['help', 'eval'], io, [fake]), 0);
  assert.match(io.stdout, /eval help/);
  const err = memoryIo('/');
  assert.equal(await main(['eval', 'bad'], err, [fake]), 2);
  assert.equal(err.stderr, "error: bad flag\nFor more information, try 'stable-loss eval --help'.\n");
  const boom = memoryIo('/');
  assert.equal(await main(['eval', 'boom'], boom, [fake]), 2);
  assert.equal(boom.stderr, 'error: internal error: kaput\n');
});

test('check options: lists split on commas and repeat; text is full; defaults', () => {
  const o = parseCheckOptions(['--select', 'SL001,SL003', '--select=SL00', '--ignore', 'log-of-softmax', '--output-format', 'text', 'a.py', 'src']);
  assert.deepEqual(o.select, ['SL001', 'SL003', 'SL00']);
  assert.deepEqual(o.ignore, ['log-of-softmax']);
  assert.equal(o.format, 'full');
  assert.deepEqual(o.paths, ['a.py', 'src']);
  const d = parseCheckOptions([]);
  assert.deepEqual(d.paths, ['.']);
  assert.equal(d.fix, false);
  assert.equal(d.select, undefined);
  assert.equal(parseCheckOptions(['--fix', '--no-fix']).fix, false);
  assert.throws(() => parseCheckOptions(['--extend-select', 'XX1']), UsageError);
  assert.throws(() => parseCheckOptions(['--add-noqa', '--diff']), /--add-noqa cannot be used with/);
});

test('withNoqa merges codes per noqa line and skips lines already suppressed', () => {
  const text = 'a = log(softmax(x))\nb = ce(softmax(z), y)  # noqa\nc = 1\n';
  const findings = [findingAt(text, 'SL003', 'log('), findingAt(text, 'SL001', 'softmax(x)'), findingAt(text, 'SL001', 'softmax(z)')];
  assert.deepEqual(withNoqa(text, findings), { text: 'a = log(softmax(x))  # noqa: SL001, SL003\nb = ce(softmax(z), y)  # noqa\nc = 1\n', added: 1, skipped: [] });
  assert.deepEqual(withNoqa(text, []), { text, added: 0, skipped: [] });
});
