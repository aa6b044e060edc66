// Node entry of the extension (VS Code desktop, remote, code-server). The analysis runs in a
// worker_threads worker (dist/worker.js), which reads the wasm and the project's other files itself.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { activateWith } from './activate';
import { ProjectConfigs } from './projectConfig';
import { byScheme } from './workspaceConfig';
import { nodeWorkerTransport } from './worker/node-transport';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(vscode, context, {
    name: 'node',
    worker: { factory: nodeWorkerTransport(join(context.extensionPath, 'dist', 'worker.js')), init: { t: 'init', wasm: { dir: join(context.extensionPath, 'dist', 'wasm') } } },
    rootsFor: (doc) => (doc.uri.scheme === 'file' && doc.languageId === 'python' ? (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath) : undefined),
    // Files on disk: the CLI's synchronous resolver; other documents (vscode-vfs:, untitled, remote file systems): VS Code's file system API.
    projectConfigs: (log, other) => byScheme(new ProjectConfigs(log), other),
  });
}

export function deactivate(): void {}
