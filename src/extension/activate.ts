// Wires the adapter into VS Code; shared by the Node entry (extension.ts) and the web entry (web.ts),
// which differ only in how they read the wasm files.
import type * as vscode from 'vscode';
import { Engine, type WasmLoader } from '../core';
import type { VSCode } from './api';
import { StableLossCodeActions } from './codeActions';
import { DiagnosticsController, type ControllerOptions, type CoreEngine } from './diagnostics';
import { hasEvaluator, StableLossHover } from './hover';
import { DOCUMENT_SELECTOR } from './languages';
import { readSettings } from './settings';
import { SECTION } from './settingsSchema';
import type { ProjectConfig } from '../core/config';

export const COMMAND_FIX_ALL = 'stableLoss.fixAll';
export const COMMAND_SHOW_OUTPUT = 'stableLoss.showOutput';

export interface Host {
  /** `node` or `web`, for the log. */
  name: string;
  /** Reads the wasm files shipped in dist/wasm. */
  load: WasmLoader;
  /** The other files of the project for a document, where this host can read files synchronously. */
  projectFor?: ControllerOptions['projectFor'];
  /** The project's `[tool.stable-loss]` for a document, where this host can read files. */
  projectConfigs?: (log: { warn(m: string): void }) => { forDocument(doc: { uri: vscode.Uri }): ProjectConfig | null; reset(): void };
}

export function activateWith(vs: VSCode, context: vscode.ExtensionContext, host: Host): void {
  const started = now();
  const log = vs.window.createOutputChannel('Stable Loss', { log: true });
  const subs = context.subscriptions;
  subs.push(log);

  const enginePromise: Promise<CoreEngine> = Engine.create(host.load);
  const configs = host.projectConfigs?.(log);
  const settingsFor = (doc: { uri: vscode.Uri }) => readSettings(vs.workspace.getConfiguration(SECTION, doc.uri), configs?.forDocument(doc) ?? null);
  const collection = vs.languages.createDiagnosticCollection('stable-loss');
  const diagnostics = new DiagnosticsController(vs, enginePromise, collection, settingsFor, log, { projectFor: host.projectFor });
  const actions = new StableLossCodeActions(vs, diagnostics, settingsFor);
  subs.push(collection, diagnostics);
  subs.push(vs.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, actions, { providedCodeActionKinds: actions.providedKinds }));

  enginePromise.then(
    (engine) => {
      log.info(`engine ready ${(now() - started).toFixed(0)} ms after activation (${host.name})`);
      if (hasEvaluator(engine)) subs.push(vs.languages.registerHoverProvider(DOCUMENT_SELECTOR, new StableLossHover(vs, engine, settingsFor, log)));
      else log.debug('the engine has no evaluate(): no hover values');
    },
    (e: unknown) => log.error(`the engine failed to load, nothing will be checked: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  );

  subs.push(
    vs.workspace.onDidOpenTextDocument((doc) => diagnostics.schedule(doc, 0)),
    vs.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) diagnostics.schedule(e.document);
    }),
    vs.workspace.onDidSaveTextDocument((doc) => {
      if (configs && /(^|[\\/])pyproject\.toml$/.test(doc.uri.path)) {
        log.info('pyproject.toml saved: reading [tool.stable-loss] again');
        configs.reset();
        diagnostics.reset();
        for (const d of vs.workspace.textDocuments) diagnostics.schedule(d, 0);
        return;
      }
      diagnostics.schedule(doc, 0);
      if (host.projectFor) diagnostics.recheckOthers(doc, vs.workspace.textDocuments);
    }),
    vs.workspace.onDidCloseTextDocument((doc) => diagnostics.forget(doc.uri)),
    vs.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      log.info('settings changed: checking the open documents again');
      diagnostics.reset();
      for (const doc of vs.workspace.textDocuments) diagnostics.schedule(doc, 0);
    }),
    vs.commands.registerCommand(COMMAND_FIX_ALL, async () => {
      const editor = vs.window.activeTextEditor;
      if (!editor) return;
      try {
        await enginePromise;
      } catch {
        return;
      }
      const r = actions.fixAll(editor.document);
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

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
