// Wires the adapter into VS Code; shared by the Node entry (extension.ts) and the web entry (web.ts),
// which differ only in how they start the analysis worker and what they can read from disk.
import type * as vscode from 'vscode';
import type { VSCode } from './api';
import { StableLossCodeActions } from './codeActions';
import { DiagnosticsController, type ControllerOptions, type NotebookInfo } from './diagnostics';
import { StableLossHover } from './hover';
import { DOCUMENT_SELECTOR } from './languages';
import { readSettings } from './settings';
import { SECTION } from './settingsSchema';
import { AnalysisClient, type TransportFactory } from './worker/client';
import type { HostMessage } from './worker/protocol';
import { keyOf, locate, WorkspaceFiles } from './workspaceFiles';
import { WorkspaceProjectConfigs, type ConfigSource } from './workspaceConfig';

export const COMMAND_FIX_ALL = 'stableLoss.fixAll';
export const COMMAND_SHOW_OUTPUT = 'stableLoss.showOutput';

export interface Host {
  /** `node` or `web`, for the log. */
  name: string;
  /** Starts the analysis worker, and the first message it gets (where the wasm files are). */
  worker: { factory: TransportFactory; init: HostMessage | Promise<HostMessage> };
  /** The workspace folders on disk the worker may read a document's project from, where it can read files. */
  rootsFor?: ControllerOptions['rootsFor'];
  /**
   * The project's `[tool.stable-loss]` for a document. `async` is the lookup through VS Code's file
   * system API (every host has it); a host that reads its disk directly wraps it (desktop: file: URIs).
   * Without this, the asynchronous lookup serves every document.
   */
  projectConfigs?: (log: { warn(m: string): void }, async: ConfigSource) => ConfigSource;
}

export function activateWith(vs: VSCode, context: vscode.ExtensionContext, host: Host): void {
  const started = now();
  const log = vs.window.createOutputChannel('Stable Loss', { log: true });
  const subs = context.subscriptions;
  subs.push(log);

  const client = new AnalysisClient(host.worker.factory, log, { init: host.worker.init });
  subs.push({ dispose: () => client.dispose() });
  const asyncConfigs = new WorkspaceProjectConfigs(vs.workspace, log);
  const configs = host.projectConfigs?.(log, asyncConfigs) ?? asyncConfigs;
  // A notebook cell (a vscode-notebook-cell: URI, never a file) gets its notebook's project config.
  const configDoc = (doc: { uri: vscode.Uri }): { uri: vscode.Uri } => notebookFor(vs, doc) ?? doc;
  const settingsFor = (doc: { uri: vscode.Uri }) => readSettings(vs.workspace.getConfiguration(SECTION, doc.uri), configs.forDocument(configDoc(doc)));
  const collection = vs.languages.createDiagnosticCollection('stable-loss');
  // Python documents the host's own resolver (rootsFor) does not cover get the project index over
  // files read with VS Code's file system API (the web host; vscode-vfs:, remote, untitled documents).
  const workspaceFiles = { locate: (doc: { uri: vscode.Uri }) => locate(vs.workspace, doc.uri), files: new WorkspaceFiles(vs.workspace) };
  const diagnostics = new DiagnosticsController(vs, client, collection, settingsFor, log, {
    rootsFor: host.rootsFor,
    notebookFor: (doc) => notebookFor(vs, doc),
    workspaceFiles,
    configReady: (doc) => configs.ready?.(configDoc(doc)),
  });
  const actions = new StableLossCodeActions(vs, diagnostics, settingsFor);
  subs.push(collection, diagnostics);
  subs.push(vs.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, actions, { providedCodeActionKinds: actions.providedKinds }));
  subs.push(vs.languages.registerHoverProvider(DOCUMENT_SELECTOR, new StableLossHover(vs, { evaluate: (doc, offset) => diagnostics.evaluate(doc as vscode.TextDocument, offset) }, settingsFor, log)));

  client.ready.then(
    // (The e2e test reads this line.) The engine runs in the analysis worker.
    () => log.info(`engine ready ${(now() - started).toFixed(0)} ms after activation (${host.name}) in the analysis worker`),
    (e: unknown) => log.error(`the engine failed to load, nothing will be checked: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  );

  const recheckAll = () => {
    diagnostics.reset();
    for (const d of vs.workspace.textDocuments) diagnostics.schedule(d, 0);
  };
  // A pyproject.toml saved in the editor or changed on disk (also on the web): read the configs again.
  let configTimer: ReturnType<typeof setTimeout> | undefined;
  const configChanged = (why: string) => {
    if (configTimer !== undefined) clearTimeout(configTimer);
    configTimer = setTimeout(() => {
      configTimer = undefined;
      log.info(`${why}: reading [tool.stable-loss] again`);
      configs.reset();
      recheckAll();
    }, 50);
  };
  // A Python file created, changed or deleted: the worker forgets what it was sent for it, and the
  // other open documents that read other files are checked again (a module added after the first
  // check). The events of one task are handled together; the re-check is debounced as an edit is, so
  // it merges with the one a save of that file asks for.
  let filesTimer: ReturnType<typeof setTimeout> | undefined;
  const changedFiles: string[] = [];
  const moduleChanged = (uri: vscode.Uri) => {
    changedFiles.push(keyOf(uri));
    if (filesTimer !== undefined) return;
    filesTimer = setTimeout(() => {
      filesTimer = undefined;
      const keys = new Set(changedFiles.splice(0));
      client.files([], [...keys]);
      diagnostics.recheck(vs.workspace.textDocuments.filter((d) => !keys.has(keyOf(d.uri)) && diagnostics.usesProject(d)));
    }, 0);
  };
  const pyprojects = vs.workspace.createFileSystemWatcher('**/pyproject.toml');
  const modules = vs.workspace.createFileSystemWatcher('**/*.py');
  subs.push(pyprojects, modules);
  for (const on of [pyprojects.onDidCreate, pyprojects.onDidChange, pyprojects.onDidDelete]) subs.push(on((uri) => configChanged(`${uri.path.split('/').pop()} changed`)));
  for (const on of [modules.onDidCreate, modules.onDidChange, modules.onDidDelete]) subs.push(on(moduleChanged));
  // A deleted folder is one event, not one per file.
  subs.push(vs.workspace.onDidDeleteFiles((e) => e.files.forEach(moduleChanged)));
  subs.push({ dispose: () => [configTimer, filesTimer].forEach((t) => t !== undefined && clearTimeout(t)) });
  subs.push(
    vs.workspace.onDidOpenTextDocument((doc) => diagnostics.schedule(doc, 0)),
    vs.workspace.onDidChangeTextDocument((e) => {
      if (!e.contentChanges.length) return;
      diagnostics.changed(e.document, e.contentChanges);
      diagnostics.schedule(e.document);
    }),
    vs.workspace.onDidChangeNotebookDocument((e) => {
      // Cells added, removed or moved: the program changed.
      if (!e.contentChanges.length) return;
      const first = e.notebook.getCells().find((c) => c.kind === vs.NotebookCellKind.Code);
      if (first) diagnostics.schedule(first.document);
    }),
    vs.workspace.onDidSaveTextDocument((doc) => {
      if (/(^|[\\/])pyproject\.toml$/.test(doc.uri.path)) return configChanged('pyproject.toml saved');
      diagnostics.schedule(doc, 0);
      diagnostics.recheckOthers(doc, vs.workspace.textDocuments.filter((d) => diagnostics.usesProject(d)));
    }),
    vs.workspace.onDidCloseTextDocument((doc) => diagnostics.closed(doc.uri)),
    vs.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      log.info('settings changed: checking the open documents again');
      recheckAll();
    }),
    vs.commands.registerCommand(COMMAND_FIX_ALL, async () => {
      const editor = vs.window.activeTextEditor;
      if (!editor) return;
      let r;
      try {
        r = await actions.fixAll(editor.document);
      } catch (e) {
        log.error(`fix all failed: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (!r) {
        vs.window.setStatusBarMessage('Stable Loss: nothing to fix', 3000);
        return;
      }
      const ok = await vs.workspace.applyEdit(r.edit);
      const n = r.result.applied;
      const rest = r.result.converged ? '' : ' (some fixes could not be applied)';
      vs.window.setStatusBarMessage(ok ? `Stable Loss: applied ${n} fix${n === 1 ? '' : 'es'}${rest}` : 'Stable Loss: the document changed, try again', 4000);
      log.info(`fix all in ${editor.document.uri.toString(true)}: ${n} fix(es) in ${r.result.passes} pass(es), converged: ${r.result.converged}, applied: ${ok}`);
    }),
    vs.commands.registerCommand(COMMAND_SHOW_OUTPUT, () => log.show(true)),
  );

  for (const doc of vs.workspace.textDocuments) diagnostics.schedule(doc, 0);
  log.info(`activated in ${(now() - started).toFixed(1)} ms (${host.name})`);
}

/** The notebook whose Python code cell `doc` is: its Python code cells in order. */
export function notebookFor(vs: VSCode, doc: { uri: vscode.Uri }): NotebookInfo | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
  const key = doc.uri.toString();
  for (const nb of vs.workspace.notebookDocuments) {
    const cells = nb.getCells();
    if (!cells.some((c) => c.document.uri.toString() === key)) continue;
    const code = cells.filter((c) => c.kind === vs.NotebookCellKind.Code && c.document.languageId === 'python').map((c) => ({ index: c.index, document: c.document }));
    return code.some((c) => c.document.uri.toString() === key) ? { uri: nb.uri, cells: code } : undefined;
  }
  return undefined;
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
