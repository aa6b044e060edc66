// Web entry of the extension (vscode.dev, github.dev, a browser web worker). The analysis runs in a
// Web Worker (dist/web/worker.js); this host reads the wasm shipped in the extension through VS Code's
// file system API and sends the bytes to the worker.
import * as vscode from 'vscode';
import { activateWith } from './activate';
import type { HostMessage } from './worker/protocol';
import { webWorkerTransport } from './worker/transports';

const WASM = ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm'];

export function activate(context: vscode.ExtensionContext): void {
  const read = (f: string) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', 'wasm', f)));
  const init: Promise<HostMessage> = Promise.all(WASM.map(async (f) => [f, await read(f)] as const)).then((files) => ({ t: 'init', wasm: { files: Object.fromEntries(files) } }));
  // No project index: the web file system is asynchronous and the core's is not.
  activateWith(vscode, context, {
    name: 'web',
    worker: { factory: webWorkerTransport(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'worker.js').toString(true)), init },
  });
}

export function deactivate(): void {}
