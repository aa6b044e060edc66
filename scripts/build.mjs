// Bundles the CLI, the extension (Node and web) and the tests with esbuild, and copies the
// tree-sitter wasm files the core loads next to the bundles.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const wasmSrc = dirname(require.resolve('@vscode/tree-sitter-wasm'));
const WASM = ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm'];

mkdirSync(join(root, 'dist/wasm'), { recursive: true });
for (const f of WASM) cpSync(join(wasmSrc, f), join(root, 'dist/wasm', f));

const common = { bundle: true, sourcemap: 'linked', logLevel: 'warning', target: 'es2022' };
const jobs = [
  build({ ...common, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(root, 'dist/cli.js'), platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } }),
];
// The web build: tree-sitter.js reaches for Node built-ins only when it runs in Node; left external,
// they are never required in a browser. It also asks for its own script URL when loaded, which a web
// worker (VS Code's web extension host) cannot answer; there it gets the worker's location instead
// (the wasm bytes are passed in, so the URL is never fetched).
const NODE_ONLY = ['fs', 'fs/promises', 'path', 'url', 'module'];
const treeSitterInWorker = {
  name: 'tree-sitter-in-worker',
  setup(b) {
    b.onLoad({ filter: /tree-sitter-wasm[\\/]wasm[\\/]tree-sitter\.js$/ }, async (args) => {
      const src = readFileSync(args.path, 'utf8');
      const from = "throw new Error('Unable to determine script URL');";
      if (!src.includes(from)) throw new Error(`${args.path}: the script URL lookup changed; update the tree-sitter-in-worker plugin in scripts/build.mjs`);
      return { contents: src.replace(from, "if (typeof self !== 'undefined' && self.location) return self.location.href;\n        " + from), loader: 'js' };
    });
  },
};

const ext = join(root, 'src/extension/extension.ts');
if (exists(ext)) {
  jobs.push(build({ ...common, entryPoints: [ext], outfile: join(root, 'dist/extension.js'), platform: 'node', format: 'cjs', external: ['vscode'] }));
}
// The analysis worker the Node extension host starts (worker_threads).
const nodeWorker = join(root, 'src/extension/worker/node-main.ts');
if (exists(nodeWorker)) {
  jobs.push(build({ ...common, entryPoints: [nodeWorker], outfile: join(root, 'dist/worker.js'), platform: 'node', format: 'cjs' }));
}
const web = join(root, 'src/extension/web.ts');
if (exists(web)) {
  jobs.push(build({ ...common, entryPoints: [web], outfile: join(root, 'dist/web/extension.js'), platform: 'browser', format: 'cjs', external: ['vscode', ...NODE_ONLY], plugins: [treeSitterInWorker] }));
}
// The analysis worker the web extension host starts (a Web Worker: a classic script, no module system).
const webWorker = join(root, 'src/extension/worker/web-main.ts');
if (exists(webWorker)) {
  jobs.push(build({ ...common, entryPoints: [webWorker], outfile: join(root, 'dist/web/worker.js'), platform: 'browser', format: 'iife', external: NODE_ONLY, plugins: [treeSitterInWorker] }));
}

// Tests: every test/**/*.test.ts becomes build/test/**/*.test.js (bundled, packages external).
// build/test is rebuilt from scratch: a deleted test must not keep running from an old bundle.
rmSync(join(root, 'build', 'test'), { recursive: true, force: true });
const tests = walk(join(root, 'test')).filter((f) => f.endsWith('.test.ts'));
if (tests.length) {
  jobs.push(build({ ...common, entryPoints: tests, outdir: join(root, 'build/test'), outbase: join(root, 'test'), platform: 'node', format: 'cjs', packages: 'external' }));
}
const benches = walk(join(root, 'bench')).filter((f) => f.endsWith('.ts'));
if (benches.length) {
  jobs.push(build({ ...common, entryPoints: benches, outdir: join(root, 'build/bench'), outbase: join(root, 'bench'), platform: 'node', format: 'cjs', packages: 'external' }));
}
await Promise.all(jobs);

function exists(p) { try { statSync(p); return true; } catch { return false; } }
function walk(dir) {
  if (!exists(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'fixtures' && e.name !== 'node_modules') out.push(...walk(p)); }
    else out.push(p);
  }
  return out;
}
void relative;
