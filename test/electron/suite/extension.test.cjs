// In a real VS Code, through the public API only (as ruff-vscode's tests do): diagnostics appear for
// the fixture workspace, the quick fix and fix-all commands produce the expected text, and the
// hover shows the loss value. The workspace files are restored after.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');

const folder = () => vscode.workspace.workspaceFolders[0].uri;
const fileUri = (name) => vscode.Uri.joinPath(folder(), name);

async function poll(what, fn, timeout = 30_000) {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function open(name) {
  const doc = await vscode.workspace.openTextDocument(fileUri(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

const ours = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'stable-loss');
const codeOf = (d) => (typeof d.code === 'object' ? d.code.value : d.code);

describe('Stable Loss in VS Code', () => {
  const originals = new Map();
  before(() => {
    for (const f of ['pytorch_example.py', 'fix_all.py']) originals.set(f, fs.readFileSync(fileUri(f).fsPath, 'utf8'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const [f, t] of originals) fs.writeFileSync(fileUri(f).fsPath, t);
  });

  it('reports SL001 and SL003 with exact ranges and rule links', async () => {
    const doc = await open('pytorch_example.py');
    const ds = await poll('two diagnostics', () => (ours(doc.uri).length === 2 ? ours(doc.uri) : undefined));
    const sl001 = ds.find((d) => codeOf(d) === 'SL001');
    assert.ok(sl001);
    assert.equal(doc.getText(sl001.range), 'torch.softmax(logits, dim=1)');
    assert.equal(sl001.severity, vscode.DiagnosticSeverity.Error);
    assert.match(sl001.code.target.toString(), /SL001-probabilities-into-logits-loss\.md$/);
    const sl003 = ds.find((d) => codeOf(d) === 'SL003');
    assert.equal(doc.getText(sl003.range), 'torch.log(torch.softmax(logits, dim=1))');
    assert.equal(sl003.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('offers the quick fix and the noqa action; the fix passes the logits', async () => {
    const doc = await open('pytorch_example.py');
    const d = ours(doc.uri).find((x) => codeOf(x) === 'SL001');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Pass the logits `logits` to `nn.CrossEntropyLoss`'), titles.join(', '));
    assert.ok(titles.includes('Ignore SL001 for this line'), titles.join(', '));
    const fix = actions.find((a) => a.title.startsWith('Pass the logits'));
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(doc.getText().includes('double = loss_fn(logits, target)\n'));
    await poll('SL001 to go', () => !ours(doc.uri).some((x) => codeOf(x) === 'SL001'));
  });

  it('"Stable Loss: Fix all in file" applies every safe fix', async () => {
    const doc = await open('fix_all.py');
    await poll('three diagnostics', () => ours(doc.uri).length === 3);
    await vscode.commands.executeCommand('stableLoss.fixAll');
    await poll('no diagnostics', () => ours(doc.uri).length === 0);
    const t = doc.getText();
    assert.ok(t.includes('a = F.cross_entropy(logits, target)'), t);
    assert.ok(t.includes('b = nn.CrossEntropyLoss()(logits, target)'), t);
    assert.ok(t.includes('c = torch.log_softmax(logits, dim=1)'), t);
  });

  it('shows the loss PyTorch computes on hover', async () => {
    const doc = await open('pytorch_example.py');
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('loss = loss_fn(logits, target)'));
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(text.includes('tensor(0.1698)'), text);
  });
});
