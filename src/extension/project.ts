// The project index for the desktop analysis worker: imported modules are read from disk (the CLI's
// FileSystemProject, roots = the workspace folders), except those open in the editor, whose current
// (possibly unsaved) text is used. A fresh index per check, so edits to other files are seen.
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
