// Security (issue #8): the analysed text can never make Stable Loss run code, spawn processes or talk
// to the network, and fixes are written only where they belong.
//
// - The project's own modules (src/core, src/cli, src/node, src/extension) contain no child_process,
//   eval, new Function, or network module; src/core imports no Node built-in and no vscode at all.
// - The shipped bundles (dist/cli.js, dist/extension.js, dist/web/extension.js) import no
//   child_process / http / https / net / dgram / tls / http2 / worker_threads, contain no
//   `new Function`, and exactly the two `eval(` of the emscripten runtime in tree-sitter.js
//   (`loadWebAssemblyModule` → `postInstantiation` → `addEmAsm` / `addEmJs`). Those evaluate
//   JavaScript embedded in a *wasm side module* (its `__start_em_asm` section and `__em_js__*`
//   exports), never file contents; the grammars we ship (dist/wasm/*.wasm) have neither, so the
//   code is unreachable. The test asserts all of that on the bytes.
// - Hostile Python (os.system, subprocess, open, __import__, eval) checked, fixed and hovered
//   creates nothing on disk.
// - Writes (complements test/cli-files.test.ts and test/cli-e2e.test.ts): the temporary file lives
//   in the real file's folder (same file system, so the rename is atomic), a symlink alias in
//   another folder writes its target in place, the mode of a read-only file is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '../src/node/write';
import { getEngine } from './helpers/engine';
import { fixAll } from '../src/core/fix/apply';

const root = join(__dirname, '..', '..');
/**
 * The one exception: `check --threads` runs the CLI's own bundle (dist/cli.js, its `__filename`) in
 * worker threads. Only these two files may import worker_threads, only check-pool.ts starts a Worker,
 * and the script it is given is set only from the entry point's own `__filename`.
 */
const WORKER_FILES = new Set(['src/cli/main.ts', 'src/cli/commands/check-pool.ts']);
const FORBIDDEN = ['child_process', 'http', 'https', 'net', 'dgram', 'tls', 'http2', 'worker_threads', 'cluster', 'inspector', 'vm'];

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Source without comments and string contents, so prose about eval or a "child_process" string does not count. */
function codeOnly(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/`(?:[^`\\]|\\.)*`/g, '``');
}

/** Module specifiers a source imports or requires (static, dynamic, require). */
function specifiers(src: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g;
  for (let m; (m = re.exec(src)); ) out.push(m[2]!);
  return out;
}

const bare = (s: string) => s.replace(/^node:/, '');

/** Modules a CommonJS bundle loads: require("x") and import("x") calls with a literal name. */
function bundleModules(src: string): string[] {
  const out: string[] = [];
  const re = /(?<![\w$.])(?:require|import)\s*\(\s*(['"])([^'"\n]{1,100})\1\s*\)/g;
  for (let m; (m = re.exec(src)); ) out.push(m[2]!);
  return out;
}

test('the project sources: no child_process, eval, new Function or network module; src/core imports no Node built-in and no vscode', () => {
  const dirs = ['src/core', 'src/cli', 'src/node', 'src/extension'].filter((d) => existsSync(join(root, d)));
  assert.ok(dirs.includes('src/core') && dirs.includes('src/cli'));
  const problems: string[] = [];
  let files = 0;
  for (const d of dirs) {
    for (const file of walk(join(root, d))) {
      files++;
      const rel = relative(root, file);
      const src = readFileSync(file, 'utf8');
      const code = codeOnly(src);
      if (/\bchild_process\b/.test(code)) problems.push(`${rel}: child_process`);
      if (/(?<![\w$.])eval\s*\(/.test(code)) problems.push(`${rel}: eval(`);
      if (/\bnew\s+Function\b/.test(code) || /(?<![\w$.])Function\s*\(/.test(code)) problems.push(`${rel}: new Function`);
      if (/\bnew\s+Worker\s*\(/.test(code) && rel !== 'src/cli/commands/check-pool.ts' && rel !== 'src/extension/worker/node-transport.ts') problems.push(`${rel}: new Worker`);
      for (const m of code.matchAll(/\bsetCheckWorkerScript\s*\(([^)]*)\)/g)) if (!/^(path: string \| undefined|__filename)$/.test(m[1]!.trim())) problems.push(`${rel}: worker script ${m[1]}`);
      for (const s of specifiers(src)) {
        // worker_threads: the CLI's own threads (WORKER_FILES) and the desktop extension's analysis
        // worker (WORKER_SOURCES: it starts dist/worker.js, a fixed path, which talks through its parentPort).
        if (FORBIDDEN.includes(bare(s)) && !(bare(s) === 'worker_threads' && (WORKER_FILES.has(rel) || WORKER_SOURCES.includes(rel)))) problems.push(`${rel}: imports ${s}`);
        if (d === 'src/core' && (s === 'vscode' || s.startsWith('node:') || builtinModules.includes(s))) problems.push(`${rel}: the core imports ${s}`);
      }
    }
  }
  assert.ok(files > 50, `scanned ${files} files`);
  assert.deepEqual(problems, []);
});

test('the source scanner catches what it looks for (guards against a test that cannot fail)', () => {
  const bad = "import { spawn } from 'node:child_process';\nconst f = new Function('x', 'return x');\neval('1');\nconst h = require('https');\n";
  assert.ok(/\bchild_process\b/.test(codeOnly(bad)));
  assert.ok(/\bnew\s+Function\b/.test(codeOnly(bad)));
  assert.ok(/(?<![\w$.])eval\s*\(/.test(codeOnly(bad)));
  assert.deepEqual(specifiers(bad).map(bare), ['child_process', 'https']);
  assert.ok(!/(?<![\w$.])eval\s*\(/.test(codeOnly('// we never eval(text)\n/* eval( */ x.evaluate(1);\n')));
});

const BUNDLES = ['dist/cli.js', 'dist/extension.js', 'dist/web/extension.js', 'dist/worker.js', 'dist/web/worker.js'];
/** The only sources that may load worker_threads: the extension starting dist/worker.js, and that worker's entry. */
const WORKER_SOURCES = ['src/extension/worker/node-transport.ts', 'src/extension/worker/node-main.ts'];
const MAY_START_WORKER = 'dist/extension.js';
const IS_WORKER = 'dist/worker.js';

test('the bundles import no process, network or worker module and contain no new Function', () => {
  for (const b of BUNDLES) {
    const path = join(root, b);
    assert.ok(existsSync(path), `${b} is built (npm test builds before testing)`);
    const src = readFileSync(path, 'utf8');
    const mods = new Set(bundleModules(src).map(bare));
    if (b === MAY_START_WORKER) {
      // worker_threads only to start the shipped worker script next to the bundle.
      assert.match(src, /new import_node_worker_threads\.Worker\(script\)/);
      assert.match(src, /join\)\(context\.extensionPath, "dist", "worker\.js"\)/);
      mods.delete('worker_threads');
    }
    if (b === IS_WORKER) {
      // worker_threads only for its parentPort: it starts no worker of its own.
      assert.match(src, /import_node_worker_threads\.parentPort/);
      assert.doesNotMatch(src, /\.Worker\(/);
      mods.delete('worker_threads');
    }
    for (const m of FORBIDDEN) assert.ok(!mods.has(m) || (m === 'worker_threads' && b === 'dist/cli.js'), `${b} imports ${m}`);
    assert.ok(!/\bchild_process\b/.test(src), `${b} mentions child_process`);
    assert.doesNotMatch(src, /\bnew\s+Function\s*\(/, `${b}: new Function`);
    // Everything a bundle loads: Node file/path helpers (the host side of wasm loading, config,
    // discovery, atomic writes) and vscode. A new capability has to be added here on purpose.
    const allowed = new Set(['fs', 'fs/promises', 'path', 'url', 'module', 'util', 'os', 'vscode', ...(b === 'dist/cli.js' ? ['worker_threads'] : [])]);
    const unexpected = [...mods].filter((m) => !allowed.has(m) && !m.startsWith('./') && !m.startsWith('../'));
    assert.deepEqual(unexpected, [], `${b} loads modules outside the allowed list`);
  }
});

/** The desktop extension host's bundle: the engine (parser runtime, rules, kernel) runs in dist/worker.js. */
const HOST_ONLY = 'dist/extension.js';

test('the only eval( in the bundles are the two of the emscripten dylink loader, unreachable with the shipped grammars', () => {
  for (const b of BUNDLES) {
    const src = readFileSync(join(root, b), 'utf8');
    const at: number[] = [];
    const re = /(?<![\w$.])eval\s*\(/g;
    for (let m; (m = re.exec(src)); ) at.push(m.index);
    if (b === HOST_ONLY) {
      // No tree-sitter runtime at all (it is loaded, with its loader, by the worker only).
      assert.equal(at.length, 0, `${b}: eval( count`);
      assert.ok(!src.includes('loadWebAssemblyModule'), `${b} carries the tree-sitter runtime`);
      assert.ok(!src.includes('Hand-written cross-entropy'), `${b} carries the rules`);
      continue;
    }
    assert.equal(at.length, 2, `${b}: eval( count`);
    const loader = src.lastIndexOf('loadWebAssemblyModule', at[0]);
    const post = src.lastIndexOf('function postInstantiation(', at[0]);
    assert.ok(loader >= 0 && post > loader && at[0]! - post < 2000, `${b}: the first eval is in loadWebAssemblyModule/postInstantiation`);
    assert.ok(src.lastIndexOf('function addEmAsm(', at[0]) > post, `${b}: the first eval is addEmAsm's`);
    assert.ok(src.lastIndexOf('function addEmJs(', at[1]) > at[0]!, `${b}: the second eval is addEmJs's`);
    // Both only run for a side module that has an em_asm section or __em_js__ exports.
    const body = src.slice(post, at[1]! + 2000);
    assert.match(body, /if \("__start_em_asm" in moduleExports\)/);
    assert.match(body, /name\.startsWith\("__em_js__"\)/);
  }
  const wasmDir = join(root, 'dist', 'wasm');
  const wasm = readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'));
  assert.ok(wasm.includes('tree-sitter-python.wasm') && wasm.length >= 2);
  for (const f of wasm) {
    const bytes = readFileSync(join(wasmDir, f)).toString('latin1');
    assert.ok(!bytes.includes('__em_js__') && !bytes.includes('__start_em_asm') && !bytes.includes('em_asm'), `${f} carries JavaScript for the loader to eval`);
  }
});

const HOSTILE = (marker: string) => `import os, subprocess, torch
import torch.nn.functional as F
os.system("touch ${marker}.system")
subprocess.run(["touch", "${marker}.subprocess"])
open("${marker}.open", "w").write("x")
__import__("os").system("touch ${marker}.import")
eval("__import__('os').system('touch ${marker}.eval')")
exec("open('${marker}.exec', 'w')")
logits = torch.tensor([[1.0, 2.0, 3.0]])
p = torch.log(F.softmax(logits, dim=1))  # noqa: E501 ${'$'}(touch ${marker}.shell)
loss = F.cross_entropy(F.softmax(logits, dim=1), torch.tensor([0]))
`;

test('hostile Python checked, fixed and hovered runs nothing: no file appears', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stable-loss-sec-')));
  try {
    const marker = join(dir, 'PWNED');
    const text = HOSTILE(marker);
    const engine = await getEngine();
    const r = engine.check(text, { path: join(dir, 'evil.py') });
    assert.deepEqual(r.findings.map((f) => f.code).sort(), ['SL001', 'SL003']);
    fixAll(text, (t) => engine.check(t).findings, { unsafe: true });
    for (let o = 0; o < text.length; o += 17) engine.evaluate(text, o);
    // And the CLI end to end, in every mode.
    writeFileSync(join(dir, 'evil.py'), text);
    const cli = join(root, 'dist', 'cli.js');
    for (const args of [['check', '--diff', '--output-format', 'sarif'], ['check', '--fix', '--unsafe-fixes'], ['check', '--add-noqa']]) {
      const p = spawnSync(process.execPath, [cli, ...args, '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.ok(p.status === 0 || p.status === 1, `${args.join(' ')}: exit ${p.status}\n${p.stderr}`);
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('PWNED')), []);
    assert.deepEqual(readdirSync(dir).sort(), ['evil.py'], 'nothing but the checked file (no temporary file left behind)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('atomic write: the temporary file is in the real file’s folder; an alias in another folder writes the target in place', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stable-loss-sec-')));
  try {
    mkdirSync(join(dir, 'pkg'));
    mkdirSync(join(dir, 'other'));
    const real = join(dir, 'pkg', 'model.py');
    writeFileSync(real, 'x = 1\n');
    chmodSync(real, 0o640);
    symlinkSync(join('..', 'pkg', 'model.py'), join(dir, 'other', 'alias.py'));
    let tmpSeen = '';
    const r = writeFileAtomic(join(dir, 'other', 'alias.py'), 'x = 2\n', { bom: false, roots: [dir], beforeRename: (t) => void (tmpSeen = t) });
    assert.deepEqual(r, { ok: true, path: real });
    assert.equal(dirname(tmpSeen), join(dir, 'pkg'), 'temporary file next to the real file, not next to the link');
    assert.equal(statSync(tmpSeen, { throwIfNoEntry: false }), undefined, 'renamed away');
    assert.equal(readFileSync(real, 'utf8'), 'x = 2\n');
    assert.equal(statSync(real).mode & 0o777, 0o640);
    assert.equal(realpathSync(join(dir, 'other', 'alias.py')), real, 'the link is still a link to the same file');
    assert.deepEqual(readdirSync(join(dir, 'pkg')), ['model.py']);
    assert.deepEqual(readdirSync(join(dir, 'other')), ['alias.py']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('atomic write: a read-only file keeps its mode; a folder as target and a dangling link are refused untouched', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stable-loss-sec-')));
  try {
    const ro = join(dir, 'ro.py');
    writeFileSync(ro, 'x = 1\n');
    chmodSync(ro, 0o444);
    const r = writeFileAtomic(ro, 'x = 2\n', { bom: false, roots: [dir] });
    assert.equal(r.ok, true);
    assert.equal(statSync(ro).mode & 0o777, 0o444);
    mkdirSync(join(dir, 'd.py'));
    const d = writeFileAtomic(join(dir, 'd.py'), 'x', { bom: false, roots: [dir] });
    assert.deepEqual(d, { ok: false, reason: 'not a regular file; not written' });
    symlinkSync(join(dir, 'missing.py'), join(dir, 'dangling.py'));
    const g = writeFileAtomic(join(dir, 'dangling.py'), 'x', { bom: false, roots: [dir] });
    assert.equal(g.ok, false);
    assert.equal(existsSync(join(dir, 'missing.py')), false, 'a dangling link does not create its target');
    assert.deepEqual(readdirSync(dir).sort(), ['d.py', 'dangling.py', 'ro.py']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
