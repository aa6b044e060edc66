// Web entry of the extension (vscode.dev, github.dev, a browser web worker): reads the wasm shipped
// in the extension through VS Code's file system API.
import * as vscode from 'vscode';
import type { WasmLoader } from '../core';
import { activateWith } from './activate';

export function activate(context: vscode.ExtensionContext): void {
  const load: WasmLoader = (file) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', 'wasm', file)));
  // No project index: the web file system is asynchronous and the core's is not.
  activateWith(vscode, context, { name: 'web', load });
}

export function deactivate(): void {}
