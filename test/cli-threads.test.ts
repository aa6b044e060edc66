// `check --threads N`: the worker threads give byte for byte the output of one thread (every
// format, exit codes, --diff, --fix on a copy, notebooks, TypeScript, the project index), and the
// pool itself returns, file by file, what the in-thread path computes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './fixtures/cli/snapshot';
import { checkInPool, reportFile, type FileReport } from '../src/cli/commands/check-pool';
import { isNotebook, isScript } from '../src/cli/commands/check-file';
import { threadCount, FILES_PER_THREAD } from '../src/cli/commands/check';
import { discoverFiles } from '../src/node/discover';
import { ConfigResolver } from '../src/node/config';
import { FileSystemProject } from '../src/node/project';
import { defaultSettings } from '../src/core/types';
import { getEngine } from './helpers/engine';

const BUILT = join(repoRoot, 'dist', 'cli.js');
const FIXTURES = join(repoRoot, 'test', 'fixtures');
let CLI = BUILT;
let binDir = '';
before(() => {
  assert.ok(existsSync(BUILT), `${BUILT} is missing: run \`npm run build\` first (npm test does)`);
  binDir = mkdtempSync(join(tmpdir(), 'sl-threads-bin-'));
  cpSync(BUILT, join(binDir, 'cli.js'));
  cpSync(join(repoRoot, 'dist', 'wasm'), join(binDir, 'wasm'), { recursive: true });
  CLI = join(binDir, 'cli.js');
});
after(() => {
  if (binDir) rmSync(binDir, { recursive: true, force: true });
});

function run(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the fixture tree (rules, project, notebooks, TypeScript, CLI cases) in a temporary folder. */
function copyFixtures(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'sl-threads-')));
  for (const sub of ['rules', 'project', 'notebooks', 'typescript', 'analysis']) {
    if (existsSync(join(FIXTURES, sub))) cpSync(join(FIXTURES, sub), join(dir, sub), { recursive: true });
  }
  // warnings on stderr: a malformed and an unknown `# noqa`
  writeFileSync(join(dir, 'noqa_cases.py'), 'import torch\np = torch.softmax(x, 1)\ny = torch.log(p)  # noqa, not SL003\nz = torch.log(p)  # noqa: SL999\n');
  return dir;
}

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

test('--threads 2 prints exactly what --threads 1 prints, in every format and with --diff', () => {
  const dir = copyFixtures();
  try {
    const before = tree(dir);
    for (const extra of [[], ['--output-format', 'concise'], ['--output-format', 'json'], ['--output-format', 'sarif'], ['--output-format', 'github'], ['--diff'], ['--diff', '--unsafe-fixes'], ['--select', 'SL005,SL006']]) {
      const one = run(dir, ['check', '.', '--threads', '1', ...extra]);
      const two = run(dir, ['check', '.', '--threads', '2', ...extra]);
      assert.equal(two.stdout, one.stdout, `stdout ${extra.join(' ')}`);
      assert.equal(two.stderr, one.stderr, `stderr ${extra.join(' ')}`);
      assert.equal(two.code, one.code, `exit ${extra.join(' ')}`);
      assert.ok(one.stdout.length > 0);
    }
    assert.deepEqual(tree(dir), before, '--diff and check write nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--fix --unsafe-fixes with 2 threads writes the same files and prints the same as 1 thread', () => {
  const a = copyFixtures();
  const b = copyFixtures();
  try {
    const one = run(a, ['check', '.', '--fix', '--unsafe-fixes', '--threads', '1']);
    const two = run(b, ['check', '.', '--fix', '--unsafe-fixes', '--threads', '2']);
    assert.equal(two.stdout.split(b).join('<dir>'), one.stdout.split(a).join('<dir>'));
    assert.equal(two.stderr.split(b).join('<dir>'), one.stderr.split(a).join('<dir>'));
    assert.equal(two.code, one.code);
    const ta = tree(a);
    const tb = tree(b);
    assert.deepEqual([...tb.keys()].sort(), [...ta.keys()].sort());
    let changed = 0;
    for (const [k, v] of ta) {
      assert.equal(tb.get(k), v, k);
      if (!existsSync(join(FIXTURES, k)) || v !== readFileSync(join(FIXTURES, k), 'latin1')) changed++;
    }
    assert.ok(changed >= 5, `the fixes changed files (${changed})`);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('the worker pool returns, file by file and in order, what the in-thread path computes', async () => {
  const dir = copyFixtures();
  try {
    const configs = new ConfigResolver(dir);
    const files = discoverFiles(['.'], { cwd: dir, extensions: ['.py', '.ipynb', '.ts', '.js'], configs }).files;
    assert.ok(files.length >= 20);
    const roots = [...new Set(files.map((f) => f.root))];
    const skip = (p: string) => isScript(p) || isNotebook(p);
    const engine = await getEngine();
    const project = new FileSystemProject(roots);
    const local = files.map((f) => reportFile(f, { engine, settings: defaultSettings, mode: 'check', unsafeFixes: false, roots, project }, skip));
    const pooled: FileReport[] = [];
    for await (const r of checkInPool(CLI, 3, files, () => defaultSettings, { roots, mode: 'check', unsafeFixes: false })) pooled.push(r);
    assert.equal(pooled.length, files.length);
    for (let i = 0; i < files.length; i++) assert.deepEqual(pooled[i], local[i], files[i]!.path);
    assert.ok(local.some((r) => r.outcome.result?.findings.length));
    assert.ok(local.some((r) => r.noqaProblems.length), 'a malformed noqa is among the fixtures');
    // a text travels to the main thread only where a finding or a note points into it
    for (const r of pooled) {
      const res = r.outcome.result;
      if (!res) continue;
      if (res.findings.length || r.outcome.notes.length) assert.ok(res.text.length > 0 || res.cells?.length, res.path);
      else assert.equal(res.text, '', res.path);
    }
    assert.ok(pooled.some((r) => r.outcome.result && !r.outcome.result.findings.length && !r.outcome.notes.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('threads: automatic only for many files; --threads N never exceeds the files', () => {
  assert.equal(threadCount(undefined, 10), 1);
  assert.equal(threadCount(undefined, FILES_PER_THREAD - 1), 1);
  assert.ok(threadCount(undefined, 100 * FILES_PER_THREAD) >= 1);
  assert.equal(threadCount(4, 2), 2);
  assert.equal(threadCount(3, 1000), 3);
  assert.equal(threadCount(1, 1000), 1);
  void statSync;
});
