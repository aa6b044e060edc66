// Node host for the core's wasm needs: reads the grammar files shipped next to the bundle
// (dist/wasm), falling back to the installed @vscode/tree-sitter-wasm package.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WasmLoader } from '../core/parser';

export function wasmDirectory(): string {
  const candidates = [join(__dirname, 'wasm'), join(__dirname, '..', 'wasm'), join(__dirname, '..', '..', 'dist', 'wasm')];
  for (const c of candidates) if (existsSync(join(c, 'tree-sitter.wasm'))) return c;
  const pkg = '@vscode/tree-sitter-wasm'; // a variable: resolved at run time, not bundled
  return dirname(require.resolve(pkg));
}

export function nodeWasmLoader(dir = wasmDirectory()): WasmLoader {
  return async (file) => new Uint8Array(readFileSync(join(dir, file)));
}
