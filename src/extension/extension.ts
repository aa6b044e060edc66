// Node entry of the extension (desktop VS Code, remote, code-server): reads the wasm from disk and
// gives the core the project's other files (models defined in another module).
import { join } from 'node:path';
import * as vscode from 'vscode';
import { nodeWasmLoader } from '../node/wasm';
import { activateWith } from './activate';
import { projectForDocuments } from './project';
import { ProjectConfigs } from './projectConfig';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(vscode, context, {
    name: 'node',
    load: nodeWasmLoader(join(context.extensionPath, 'dist', 'wasm')),
    projectFor: projectForDocuments(vscode.workspace),
    projectConfigs: (log) => new ProjectConfigs(log),
  });
}

export function deactivate(): void {}
