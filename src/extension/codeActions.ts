// Quick fixes for our diagnostics (the rule's fix; "Ignore SL00x for this line") and the
// `source.fixAll.stable-loss` source action (safe fixes, plus unsafe ones when the setting asks).
import type * as vscode from 'vscode';
import { addNoqaEdit, addSlashNoqaEdit } from '../core/noqa';
import type { Finding } from '../core';
import type { VSCode } from './api';
import { SOURCE, toWorkspaceEdit } from './convert';
import type { DiagnosticsController } from './diagnostics';
import type { FixAllAnswer } from './worker/protocol';
import { commentStyle } from './languages';
import type { ExtensionSettings } from './settings';

export const FIX_ALL_KIND_SUFFIX = 'stable-loss';

type Doc = Pick<vscode.TextDocument, 'uri' | 'version' | 'getText' | 'languageId' | 'isClosed' | 'positionAt' | 'lineCount' | 'offsetAt'>;

export function codeActionKinds(vs: VSCode): { quickFix: vscode.CodeActionKind; fixAll: vscode.CodeActionKind } {
  return { quickFix: vs.CodeActionKind.QuickFix, fixAll: vs.CodeActionKind.SourceFixAll.append(FIX_ALL_KIND_SUFFIX) };
}

export class StableLossCodeActions implements vscode.CodeActionProvider {
  private readonly kinds: ReturnType<typeof codeActionKinds>;

  constructor(
    private readonly vs: VSCode,
    private readonly diagnostics: DiagnosticsController,
    private readonly settingsFor: (doc: Doc) => ExtensionSettings,
  ) {
    this.kinds = codeActionKinds(vs);
  }

  get providedKinds(): vscode.CodeActionKind[] {
    return [this.kinds.quickFix, this.kinds.fixAll];
  }

  async provideCodeActions(doc: Doc, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const only = context.only;
    const actions: vscode.CodeAction[] = [];
    if (!only || only.contains(this.kinds.quickFix)) {
      for (const d of context.diagnostics) {
        if (d.source !== SOURCE) continue;
        const f = await this.diagnostics.findingFor(doc, d);
        if (f) actions.push(...this.quickFixes(doc, f, d));
      }
    }
    // Source actions only when asked for (on save, the Source Action menu, `editor.codeActionsOnSave`).
    if (only && only.contains(this.kinds.fixAll)) {
      const a = await this.fixAllAction(doc);
      if (a) actions.push(a);
    }
    return actions;
  }

  quickFixes(doc: Doc, f: Finding, d: vscode.Diagnostic): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    if (f.fix && f.fix.edits.length) {
      const unsafe = f.fix.applicability === 'unsafe';
      const a = new this.vs.CodeAction(`${f.fix.message}${unsafe ? ' (unsafe)' : ''}`, this.kinds.quickFix);
      a.edit = toWorkspaceEdit(this.vs, doc.uri, f.fix.edits);
      a.diagnostics = [d];
      a.isPreferred = !unsafe;
      out.push(a);
    }
    const addNoqa = commentStyle(doc.languageId) === '#' ? addNoqaEdit : addSlashNoqaEdit;
    const noqa = addNoqa(doc.getText(), f.noqaLine, [f.code]);
    if (noqa) {
      const a = new this.vs.CodeAction(`Ignore ${f.code} for this line`, this.kinds.quickFix);
      a.edit = toWorkspaceEdit(this.vs, doc.uri, [noqa]);
      a.diagnostics = [d];
      out.push(a);
    }
    return out;
  }

  async fixAllAction(doc: Doc): Promise<vscode.CodeAction | undefined> {
    const r = await this.fixAll(doc);
    if (!r) return undefined;
    const a = new this.vs.CodeAction('Stable Loss: Fix all in file', this.kinds.fixAll);
    a.edit = r.edit;
    return a;
  }

  /**
   * Every allowed fix applied in passes (by the worker), as one edit of the document as it was
   * asked about; undefined when nothing is fixable or the document changed meanwhile.
   */
  async fixAll(doc: Doc): Promise<{ edit: vscode.WorkspaceEdit; result: FixAllAnswer } | undefined> {
    const version = doc.version;
    const result = await this.diagnostics.fixAll(doc, this.settingsFor(doc));
    if (!result?.edit || doc.version !== version || doc.isClosed) return undefined;
    const we = new this.vs.WorkspaceEdit();
    we.replace(doc.uri, new this.vs.Range(doc.positionAt(result.edit.start), doc.positionAt(result.edit.end)), result.edit.content);
    return { edit: we, result };
  }
}
