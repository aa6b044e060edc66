// The project index for the Node extension host: imported modules are read from disk (the CLI's
// FileSystemProject, roots = the workspace folders), except those open in the editor, whose current
// (possibly unsaved) text is used. A fresh index per check, so edits to other files are seen.
import type * as vscode from 'vscode';
import type { ProjectHost } from '../core/analysis/project';
import { FileSystemProject } from '../node/project';

export function editorProject(roots: readonly string[], openText: (path: string) => string | undefined): ProjectHost {
  const disk = new FileSystemProject(roots);
  return {
    resolve(fromPath, module, level) {
      const r = disk.resolve(fromPath, module, level);
      if (!r) return undefined;
      const text = openText(r.path);
      return text === undefined ? r : { path: r.path, text };
    },
  };
}

type Workspace = Pick<typeof vscode.workspace, 'workspaceFolders' | 'textDocuments'>;

/** For Python files on disk: the project of their workspace folders. */
export function projectForDocuments(workspace: Workspace): (doc: Pick<vscode.TextDocument, 'uri' | 'languageId'>) => ProjectHost | undefined {
  return (doc) => {
    if (doc.uri.scheme !== 'file' || doc.languageId !== 'python') return undefined;
    const roots = (workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    return editorProject(roots, (path) => workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path)?.getText());
  };
}
