// Node entry of the extension (desktop VS Code, remote, code-server): reads the wasm from disk.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { nodeWasmLoader } from '../node/wasm';
import { activateWith } from './activate';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(vscode, context, nodeWasmLoader(join(context.extensionPath, 'dist', 'wasm')), 'node');
}

export function deactivate(): void {}
