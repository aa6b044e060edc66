// Pathological inputs get a bounded answer, never a crash (issue: reliability). Timing is not asserted
// here (benchmarks measure speed); these prove termination without exceptions or stack overflows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { getEngine } from './helpers/engine';

const header = 'import torch\nimport torch.nn.functional as F\n';

test('5,000-deep nested calls and brackets', async () => {
  const e = await getEngine();
  const calls = header + 'y = ' + 'f('.repeat(5000) + 'x' + ')'.repeat(5000) + '\nz = torch.log(F.softmax(x, 1))\n';
  const r1 = e.check(calls);
  assert.deepEqual(r1.notes.filter((n) => n.kind === 'internal-error'), []);
  assert.deepEqual(r1.findings.map((f) => f.code), ['SL003']);
  const brackets = header + 'y = ' + '['.repeat(5000) + ']'.repeat(5000) + '\n' + 'w = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n';
  const r2 = e.check(brackets + 'z = torch.log(F.softmax(x, 1))\n');
  assert.deepEqual(r2.notes.filter((n) => n.kind === 'internal-error'), []);
  assert.deepEqual(r2.findings.map((f) => f.code), ['SL003']);
  const ops = header + 'y = ' + Array.from({ length: 20000 }, (_, i) => `a${i}`).join(' + ') + '\nz = torch.log(F.softmax(x, 1))\n';
  const r3 = e.check(ops);
  assert.deepEqual(r3.notes.filter((n) => n.kind === 'internal-error'), []);
  assert.deepEqual(r3.findings.map((f) => f.code), ['SL003']);
});

test('200,000 lines and a 10 MB file: a bounded answer with a clear note', async () => {
  const e = await getEngine();
  const many = header + 'x = torch.randn(2, 3)\n'.repeat(200_000) + 'z = torch.log(F.softmax(x, 1))\n';
  const r = e.check(many);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.notes.map((n) => [n.kind, n.message]), [['limit', 'not analysed: 200,004 lines (limit 100,000)']]);
  const big = header + '# ' + 'x'.repeat(10 * 2 ** 20) + '\nz = torch.log(F.softmax(x, 1))\n';
  assert.deepEqual(e.check(big).notes.map((n) => n.kind), ['limit']);
  assert.match(e.check(big).notes[0].message, /^not analysed: 10\.0 MiB of text \(limit 8\.0 MiB\)$/);
});

test('30,000 lines and a 1 MB single line are analysed', async () => {
  const e = await getEngine();
  const many = header + 'x = torch.randn(2, 3)\n'.repeat(30_000) + 'z = torch.log(F.softmax(x, 1))\n';
  assert.deepEqual(e.check(many).findings.map((f) => [f.code, f.range.start.line]), [['SL003', 30_002]]);
  const long = header + 'x = [' + '1.0, '.repeat(200_000) + ']\nz = torch.log(F.softmax(x, 1))\n';
  assert.ok(long.length > 1_000_000);
  assert.deepEqual(e.check(long).findings.map((f) => f.code), ['SL003']);
});

test('empty, binary-looking and broken text', async () => {
  const e = await getEngine();
  assert.deepEqual(e.check('').findings, []);
  assert.deepEqual(e.check('\u0000\u0001\u0002softmax\u0000log(').findings, []);
  const broken = header + 'def f(:\n  return torch.log(F.softmax(x, 1)\nclass\n';
  const r = e.check(broken);
  assert.ok(r.notes.some((n) => n.kind === 'syntax-error'));
  assert.deepEqual(r.notes.filter((n) => n.kind === 'internal-error'), []);
  // Half-typed code: what parses is still analysed.
  const half = header + 'z = torch.log(F.softmax(x, 1))\nloss = F.cross_entropy(F.softmax(x, dim=1), y\n';
  assert.deepEqual(e.check(half).findings.map((f) => f.code), ['SL003']);
});

// ---- issue #8 additions: the CLI on huge files, broken configs and notebooks; evaluate limits -----

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const SL003 = header + 'z = torch.log(F.softmax(x, 1))\n';

function cliIn(files: Record<string, string | Buffer>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stable-loss-path-')));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.split(dir + sep).join('') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('CLI: a 9 MB and an 11 MB file get one clear stderr line each, the other files are checked, exit is not 2', () => {
  const nine = header + '# ' + 'x'.repeat(9_000_000) + '\n' + SL003;
  const eleven = header + '# ' + 'x'.repeat(11 * 2 ** 20) + '\n' + SL003;
  const r = cliIn({ 'nine.py': nine, 'eleven.py': eleven, 'ok.py': SL003 }, 'check', '--output-format', 'concise', '.');
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(':')[0]), ['ok.py', 'Found 1 error (1 fixable with --fix).'].map((l) => l.split(':')[0]));
  const lines = r.stderr.trim().split('\n').sort();
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0]!, /^warning: eleven\.py: skipped: larger than 10 MB \(\d+(\.\d)? MB\)$/);
  assert.match(lines[1]!, /^warning: nine\.py: not analysed: 8\.6 MiB of text \(limit 8\.0 MiB\)$/);
  // Only huge files: nothing to report, still not an error exit.
  const only = cliIn({ 'eleven.py': eleven }, 'check', '--fix', '.');
  assert.equal(only.code, 0, only.stderr);
  assert.match(only.stderr, /^warning: eleven\.py: skipped: larger than 10 MB/);
});

test('CLI: a malformed notebook is skipped with one line; a good one next to it is checked', () => {
  const good = JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, source: SL003.split(/(?<=\n)/), outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
  const bad = ['{"cells": [ {"cell_type": "code", "source": "x = 1"', '{"cells": [{"cell_type": "code", "source": 3}]}', '[]', '', '{"cells": ' + '['.repeat(10_000)];
  const files: Record<string, string> = { 'good.ipynb': good };
  bad.forEach((b, i) => (files[`bad${i}.ipynb`] = b));
  const r = cliIn(files, 'check', '--output-format', 'concise', '.');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^good\.ipynb:cell 1:3:5: SL003 /m);
  const err = r.stderr.trim().split('\n').sort();
  assert.deepEqual(err.map((l) => l.replace(/skipped: .*/, 'skipped: <reason>')), bad.map((_, i) => `warning: bad${i}.ipynb: skipped: <reason>`));
});

test('CLI: pyproject.toml errors in a nested folder or via --config stop the run with one line naming file and line', () => {
  const nested = cliIn({ 'sub/pyproject.toml': '[tool.stable-loss]\nselect = ["SL001"\n', 'sub/a.py': SL003, 'b.py': SL003 }, 'check', '.');
  assert.equal(nested.code, 2, nested.stdout + nested.stderr);
  assert.equal(nested.stdout, '');
  assert.match(nested.stderr, /^error: sub\/pyproject\.toml:3:\d+: invalid TOML: [^\n]+\n$/);
  const explicit = cliIn({ 'conf.toml': '[tool.stable-loss]\nignore = "SL0\n', 'a.py': SL003 }, 'check', '--config', 'conf.toml', '.');
  assert.equal(explicit.code, 2, explicit.stdout + explicit.stderr);
  assert.match(explicit.stderr, /^error: conf\.toml:2:\d+: invalid TOML: [^\n]+\n$/);
  // Unknown keys, also in a sub-table: a warning each, and the run goes on with what is valid.
  const unknown = cliIn({ 'sub/pyproject.toml': '[tool.stable-loss]\nselect = ["SL003"]\nfoo = 1\n[tool.stable-loss.bar]\nx = 1\n', 'sub/a.py': SL003 }, 'check', '--output-format', 'concise', '.');
  assert.equal(unknown.code, 1, unknown.stdout + unknown.stderr);
  assert.match(unknown.stdout, /^sub\/a\.py:3:5: SL003 /);
  assert.deepEqual(unknown.stderr.trim().split('\n').map((l) => l.replace(/`[^`]*`/, '<key>')), ['warning: sub/pyproject.toml: unknown key <key>; it was ignored', 'warning: sub/pyproject.toml: unknown key <key>; it was ignored']);
});

test('evaluate: a 10^6-element literal, 1,001,000-element tensors and a huge arange are "too large", quickly', async () => {
  const e = await getEngine();
  const cases: [string, RegExp][] = [
    [`x = [${'1.5, '.repeat(1_000_000)}]\n`, /^too large/],
    [`import torch\nx = torch.tensor([${'0,'.repeat(1_000_001)}])\n`, /^too large/],
    ['import torch\nx = torch.zeros(1001, 1000)\n', /^too large: 1,001,000 elements \(limit 1,000,000\)$/],
    ['import numpy as np\nx = np.ones(10**6 + 1)\n', /^too large: 1,000,001 elements \(limit 1,000,000\)$/],
    ['import torch\nx = torch.arange(10**9)\n', /^too large: 1,000,000,000 elements/],
  ];
  for (const [text, expected] of cases) {
    const t0 = performance.now();
    const r = e.evaluate(text, text.lastIndexOf('x ='));
    const ms = performance.now() - t0;
    assert.ok('error' in r, `${text.slice(0, 50)}: not evaluated`);
    assert.match((r as { error: string }).error, expected);
    assert.ok(ms < 10_000, `${text.slice(0, 50)}: ${ms.toFixed(0)} ms`);
  }
});
