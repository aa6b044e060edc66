// Web entry of the extension (vscode.dev, github.dev, a browser web worker). The analysis runs in a
// Web Worker (dist/web/worker.js); this host reads the wasm shipped in the extension through VS Code's
// file system API and sends the bytes to the worker.
import * as vscode from 'vscode';
import { Engine } from '../core';
import { activateWith } from './activate';
import type { HostMessage } from './worker/protocol';
import { inProcessTransport, webWorkerTransport } from './worker/transports';

const WASM = ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm'];

export function activate(context: vscode.ExtensionContext): void {
  const read = (f: string) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', 'wasm', f)));
  const init: Promise<HostMessage> = Promise.all(WASM.map(async (f) => [f, await read(f)] as const)).then((files) => ({ t: 'init', wasm: { files: Object.fromEntries(files) } }));
  const script = Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'worker.js'))).then((b) => new TextDecoder().decode(b));
  // Where no Web Worker can be started, the engine runs here (loaded only then).
  let engine: Promise<Engine> | undefined;
  const fallback = inProcessTransport(() => (engine ??= Engine.create(read)));
  // The project's config and other files are read with VS Code's file system API (workspaceConfig.ts, workspaceFiles.ts).
  activateWith(vscode, context, { name: 'web', worker: { factory: webWorkerTransport(script, fallback), init } });
}

export function deactivate(): void {}
