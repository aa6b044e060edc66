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
import type { ProjectConfig } from '../core/config';
import { AnalysisClient, type TransportFactory } from './worker/client';
import type { HostMessage } from './worker/protocol';

export const COMMAND_FIX_ALL = 'stableLoss.fixAll';
export const COMMAND_SHOW_OUTPUT = 'stableLoss.showOutput';

export interface Host {
  /** `node` or `web`, for the log. */
  name: string;
  /** Starts the analysis worker, and the first message it gets (where the wasm files are). */
  worker: { factory: TransportFactory; init: HostMessage | Promise<HostMessage> };
  /** The workspace folders on disk the worker may read a document's project from, where it can read files. */
  rootsFor?: ControllerOptions['rootsFor'];
  /** The project's `[tool.stable-loss]` for a document, where this host can read files. */
  projectConfigs?: (log: { warn(m: string): void }) => { forDocument(doc: { uri: vscode.Uri }): ProjectConfig | null; reset(): void };
}

export function activateWith(vs: VSCode, context: vscode.ExtensionContext, host: Host): void {
  const started = now();
  const log = vs.window.createOutputChannel('Stable Loss', { log: true });
  const subs = context.subscriptions;
  subs.push(log);

  const client = new AnalysisClient(host.worker.factory, log, { init: host.worker.init });
  subs.push({ dispose: () => client.dispose() });
  const configs = host.projectConfigs?.(log);
  const settingsFor = (doc: { uri: vscode.Uri }) => readSettings(vs.workspace.getConfiguration(SECTION, doc.uri), configs?.forDocument(doc) ?? null);
  const collection = vs.languages.createDiagnosticCollection('stable-loss');
  const diagnostics = new DiagnosticsController(vs, client, collection, settingsFor, log, { rootsFor: host.rootsFor, notebookFor: (doc) => notebookFor(vs, doc) });
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
      if (configs && /(^|[\\/])pyproject\.toml$/.test(doc.uri.path)) {
        log.info('pyproject.toml saved: reading [tool.stable-loss] again');
        configs.reset();
        recheckAll();
        return;
      }
      diagnostics.schedule(doc, 0);
      if (host.rootsFor) diagnostics.recheckOthers(doc, vs.workspace.textDocuments);
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
