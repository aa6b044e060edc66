#!/usr/bin/env node
// The real end-to-end test: builds and packages the .vsix, installs it into code-server (VS Code
// 1.139 in the browser), opens test/e2e/workspace in Debian's Chromium driven by Playwright, and
// checks what a user sees: squiggles exactly under the code the core flags, the hover naming the
// rule, the quick fix and "Ignore" edits, fix-all by command and on save, the noqa highlighting,
// loss values on hover once the engine can evaluate, a TensorFlow.js file (TypeScript) and a Jupyter
// notebook in the notebook editor (diagnostic and quick fix in a cell, and a flow across cells). Then the same .vsix once more in VS Code's
// web worker extension host (the browser entry, as on vscode.dev). Screenshots go to .e2e/artifacts/.
//
//   npm run test:e2e            (installs Chromium, Node 24 and code-server on first use:
//                                scripts/e2e/setup.sh, cached in ~/.cache/stable-loss-e2e)
// Exit code 0 when every check passed (skipped checks are listed as SKIPPED), 1 otherwise.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { fatal, freePort, poll, startProcess, Steps } from './harness.mjs';
import * as ed from './editor.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const E2E = join(ROOT, '.e2e');
const ART = join(E2E, 'artifacts');
const RUN = join(E2E, 'run');
const WS = join(RUN, 'workspace');
const USER = join(RUN, 'user-data');
const EXTS = join(RUN, 'extensions');
const VSIX = join(E2E, 'stable-loss.vsix');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const t0 = Date.now();
let page;
let browser;
let server;
const steps = new Steps(ART, () => page);
const metrics = {};

rmSync(RUN, { recursive: true, force: true });
rmSync(ART, { recursive: true, force: true });
mkdirSync(ART, { recursive: true });
mkdirSync(join(USER, 'User'), { recursive: true });
cpSync(join(ROOT, 'test/e2e/workspace'), WS, { recursive: true });
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'files.hotExit': 'off',
  // The run folder sits inside this repository: keep Git from scanning it and asking about it.
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};
writeFileSync(join(USER, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));

const expectedFile = (name, edit) => edit(readFileSync(join(ROOT, 'test/e2e/workspace', name), 'utf8'));
const diskText = (name) => readFileSync(join(WS, name), 'utf8');

try {
  let cache;
  await steps.run('setup: Chromium, Node 24, code-server (scripts/e2e/setup.sh)', () => {
    const out = execFileSync('bash', [join(ROOT, 'scripts/e2e/setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    cache = out.trim().split('\n').pop();
    return `cache ${cache}`;
  });
  const codeServer = join(cache, 'bin', 'code-server');

  await steps.run('build and package the .vsix', () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    execFileSync(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '--out', VSIX], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    metrics.vsixBytes = statSync(VSIX).size;
    if (metrics.vsixBytes > 1.5 * 1024 * 1024) throw new Error(`the .vsix is ${metrics.vsixBytes} bytes, over the 1.5 MB budget`);
    return `${(metrics.vsixBytes / 1024).toFixed(0)} KB`;
  });

  const evaluates = await engineEvaluates();

  await steps.run('install the .vsix into code-server', () => {
    const out = execFileSync(codeServer, ['--user-data-dir', USER, '--extensions-dir', EXTS, '--install-extension', VSIX], { encoding: 'utf8' });
    if (!/successfully installed/i.test(out)) throw new Error(`code-server did not report the install:\n${out}`);
  });

  const port = await freePort();
  await steps.run('start code-server', async () => {
    server = startProcess(
      codeServer,
      ['--user-data-dir', USER, '--extensions-dir', EXTS, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', WS],
      join(ART, 'code-server.log'),
    );
    await poll('code-server to answer /healthz', async () => {
      if (server.exited) throw new Error(`code-server exited; see ${join(ART, 'code-server.log')}`);
      const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      return r?.ok;
    }, { timeout: 60_000 });
    return `port ${port}`;
  });

  await steps.run('open the workspace in Chromium', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(60_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(WS)}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await ed.waitForWorkbench(page);
  });

  const EX = 'pytorch_example.py';
  const DOUBLE = 'double = loss_fn(torch.softmax(logits, dim=1), target)';
  const LOGSM = 'log_probs = torch.log(torch.softmax(logits, dim=1))';
  await steps.run('SL001 and SL003 squiggles sit exactly under the flagged code', async () => {
    const started = Date.now();
    await ed.openFile(page, EX);
    metrics.openFileMs = Date.now() - started;
    const opened = Date.now();
    const err = await poll('an error squiggle under `torch.softmax(logits, dim=1)` on the double-softmax line', () => (noExtensionErrors(), ed.squiggleUnder(page, 'error', DOUBLE, 'torch.softmax(logits, dim=1)')), { timeout: 60_000 });
    metrics.firstDiagnosticsMs = Date.now() - opened;
    const warn = await poll('a warning squiggle under `torch.log(torch.softmax(logits, dim=1))`', () => ed.squiggleUnder(page, 'warning', LOGSM, 'torch.log(torch.softmax(logits, dim=1))'), { timeout: 60_000 });
    const all = await ed.squiggles(page);
    const extra = all.filter((s) => !(s.top === err.top && s.left === err.left) && !(s.top === warn.top && s.left === warn.left));
    if (extra.length) throw new Error(`unexpected squiggles: ${JSON.stringify(extra)}`);
    await page.screenshot({ path: join(ART, '01-squiggles.png') });
    return `file open in ${metrics.openFileMs} ms, first squiggle ${metrics.firstDiagnosticsMs} ms later`;
  });

  await steps.run('hovering the error shows SL001, its message and the quick fix', async () => {
    const box = await ed.squiggleUnder(page, 'error', DOUBLE, 'torch.softmax(logits, dim=1)');
    await ed.hoverText(page, box, ['SL001', 'stable-loss', 'expects logits but receives softmax probabilities', 'Quick Fix']);
    await page.screenshot({ path: join(ART, '02-hover-SL001.png') });
    await ed.dismissHover(page);
  });

  await steps.run('the SL001 quick fix passes the logits', async () => {
    const box = await ed.textBox(page, DOUBLE, 'torch.softmax');
    const item = await ed.openQuickFix(page, box, 'Pass the logits');
    const titles = await ed.quickFixTitles(page);
    if (!titles.some((t) => t.includes('Ignore SL001 for this line'))) throw new Error(`no "Ignore SL001 for this line" in the menu: ${JSON.stringify(titles)}`);
    await page.screenshot({ path: join(ART, '03-quick-fix-menu.png') });
    const started = Date.now();
    await item.click();
    await poll('the line to read `double = loss_fn(logits, target)`', async () => (await ed.viewLines(page)).includes('double = loss_fn(logits, target)'));
    await poll('the error squiggle to go', async () => (await ed.squiggles(page)).every((s) => s.kind !== 'error'));
    metrics.quickFixMs = Date.now() - started;
    await ed.save(page);
    const want = expectedFile(EX, (t) => t.replace(DOUBLE, 'double = loss_fn(logits, target)'));
    await poll(`${EX} on disk to have the fix`, () => diskText(EX) === want);
  });

  await steps.run('"Ignore SL003 for this line" adds `# noqa: SL003`, highlighted', async () => {
    const box = await ed.textBox(page, LOGSM, 'torch.log(');
    const item = await ed.openQuickFix(page, box, 'Ignore SL003 for this line');
    await item.click();
    const noqaLine = `${LOGSM}  # noqa: SL003`;
    await poll('the noqa comment in the editor', async () => (await ed.viewLines(page)).includes(noqaLine));
    await poll('the warning squiggle to go', async () => (await ed.squiggles(page)).length === 0);
    await ed.save(page);
    const want = expectedFile(EX, (t) => t.replace(DOUBLE, 'double = loss_fn(logits, target)').replace(LOGSM, noqaLine));
    await poll(`${EX} on disk to have the noqa comment`, () => diskText(EX) === want);
    // The injection grammar colours `noqa` and the code apart from the rest of the comment.
    const toks = await poll('tokens of the noqa line', () => ed.tokens(page, noqaLine));
    const colorOf = (s) => toks.find((t) => t.text.includes(s))?.color;
    const hash = toks.find((t) => t.text.trim().startsWith('#'))?.color;
    const noqa = colorOf('noqa');
    const code = colorOf('SL003');
    if (!hash || !noqa || !code || noqa === hash || code === hash) throw new Error(`noqa is not highlighted apart from the comment: ${JSON.stringify(toks)}`);
    await page.screenshot({ path: join(ART, '04-noqa.png') });
    return `comment ${hash}, noqa ${noqa}, code ${code}`;
  });

  if (evaluates) {
    await steps.run('hovering the loss shows the value PyTorch computes, 0.1698', async () => {
      const line = 'loss = loss_fn(logits, target)';
      let text;
      for (const needle of ['loss =', 'loss_fn(logits, target)']) {
        const box = await ed.textBox(page, line, needle.split(' ')[0]);
        text = await ed.hoverText(page, box, '0.1698', 8_000).catch(() => undefined);
        if (text) break;
      }
      if (!text) throw new Error('no hover with 0.1698 over `loss = loss_fn(logits, target)`');
      await page.screenshot({ path: join(ART, '05-hover-value.png') });
      await ed.dismissHover(page);
    });
  } else {
    steps.skip('hovering the loss shows the value PyTorch computes, 0.1698', 'the engine has no evaluate() yet (src/core/engine.ts), so the extension registers no hover');
  }

  const FA = 'fix_all.py';
  await steps.run('"Stable Loss: Fix all in file" fixes every finding', async () => {
    await ed.openFile(page, FA);
    await poll('3 squiggles in fix_all.py', async () => (await ed.squiggles(page)).length === 3, { timeout: 60_000 });
    // The finding after "🔥" (2 UTF-16 code units) is still exactly under its code.
    await poll('the error squiggle after the emoji under `torch.softmax(logits, dim=1)`', () => ed.squiggleUnder(page, 'error', 'label = "', 'torch.softmax(logits, dim=1)'));
    await page.screenshot({ path: join(ART, '06-fix-all-before.png') });
    const started = Date.now();
    await ed.runCommand(page, 'Stable Loss: Fix all in file');
    await poll('the squiggles to go', async () => (await ed.squiggles(page)).length === 0);
    metrics.fixAllMs = Date.now() - started;
    await ed.save(page);
    const want = expectedFile(FA, (t) =>
      t
        .replace('F.cross_entropy(torch.softmax(logits, dim=1), target)', 'F.cross_entropy(logits, target)')
        .replace('nn.CrossEntropyLoss()(torch.softmax(logits, dim=-1), target)', 'nn.CrossEntropyLoss()(logits, target)')
        .replace('torch.log(torch.softmax(logits, dim=1))', 'torch.log_softmax(logits, dim=1)'),
    );
    await poll(`${FA} on disk to be fully fixed`, () => diskText(FA) === want);
    await page.screenshot({ path: join(ART, '07-fix-all-after.png') });
  });

  const OS = 'on_save.py';
  await steps.run('"editor.codeActionsOnSave": {"source.fixAll.stable-loss": "explicit"} fixes on save', async () => {
    const logFile = findLog();
    // Edit the user settings in the editor, as a user would (code-server here has no file watcher, so
    // a change made on disk behind its back is not seen).
    const settings = { ...userSettings, 'editor.codeActionsOnSave': { 'source.fixAll.stable-loss': 'explicit' }, 'stableLoss.hover.enable': true };
    await ed.runCommand(page, 'Preferences: Open User Settings (JSON)');
    // VS Code 1.139 opens it in a modal editor, not a tab: find the editor showing the settings.
    const settingsEditor = page.locator('.monaco-editor .view-lines', { hasText: 'workbench.startupEditor' }).first();
    await settingsEditor.waitFor({ state: 'visible', timeout: 30_000 });
    await settingsEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify(settings, null, 2));
    await ed.save(page);
    // The extension logs when its settings change: then the new settings are in effect.
    await poll('the extension to see the new settings', () => logFile && readFileSync(logFile, 'utf8').includes('settings changed'), { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await ed.openFile(page, OS);
    await poll('an error squiggle in on_save.py', async () => (await ed.squiggles(page)).some((s) => s.kind === 'error'), { timeout: 60_000 });
    await page.keyboard.press('Control+End');
    await page.keyboard.type('print(loss)\n');
    await ed.save(page);
    const want = expectedFile(OS, (t) => t.replace('F.cross_entropy(F.softmax(logits, dim=1), target)', 'F.cross_entropy(logits, target)') + 'print(loss)\n');
    await poll(`${OS} on disk to be fixed by the save`, () => diskText(OS) === want);
    await poll('the squiggle to go', async () => (await ed.squiggles(page)).length === 0);
    await page.screenshot({ path: join(ART, '08-fixed-on-save.png') });
  });

  const TSF = 'tfjs_example.ts';
  const TSLINE = 'return tf.losses.softmaxCrossEntropy(labels, tf.softmax(x));';
  await steps.run('TypeScript (TensorFlow.js): SL001 under `tf.softmax(x)`, named in TF.js terms; the quick fix passes the logits', async () => {
    await ed.openFile(page, TSF);
    const box = await poll('an error squiggle under `tf.softmax(x)`', () => (noExtensionErrors(), ed.squiggleUnder(page, 'error', TSLINE, 'tf.softmax(x)')), { timeout: 60_000 });
    // In TF.js terms: the loss applies tf.logSoftmax itself (not PyTorch's log_softmax).
    const hover = await ed.hoverText(page, box, ['SL001', 'stable-loss', 'tf.losses.softmaxCrossEntropy', 'expects logits but receives softmax probabilities', 'tf.logSoftmax']);
    if (/log_softmax|torch/.test(hover)) throw new Error(`the TF.js hover names PyTorch APIs: ${hover}`);
    await page.screenshot({ path: join(ART, '10-typescript-hover.png') });
    await ed.dismissHover(page);
    const item = await ed.openQuickFix(page, await ed.textBox(page, TSLINE, 'tf.softmax'), 'Pass the logits');
    const titles = await ed.quickFixTitles(page);
    if (!titles.some((t) => t.includes('Pass the logits') && t.includes('tf.losses.softmaxCrossEntropy'))) throw new Error(`the quick fix does not name tf.losses.softmaxCrossEntropy: ${JSON.stringify(titles)}`);
    if (!titles.some((t) => t.includes('Ignore SL001 for this line'))) throw new Error(`no "Ignore SL001 for this line" in the menu: ${JSON.stringify(titles)}`);
    await page.screenshot({ path: join(ART, '11-typescript-quick-fix-menu.png') });
    await item.click();
    const fixed = 'return tf.losses.softmaxCrossEntropy(labels, x);';
    await poll(`the line to read \`${fixed}\``, async () => (await ed.viewLines(page)).some((l) => l.includes(fixed)));
    await poll('the error squiggle to go', async () => (await ed.squiggles(page)).every((s) => s.kind !== 'error'));
    await ed.save(page);
    const want = expectedFile(TSF, (t) => t.replace(TSLINE, fixed));
    await poll(`${TSF} on disk to have the fix`, () => diskText(TSF) === want);
    await page.screenshot({ path: join(ART, '12-typescript-fixed.png') });
  });

  const NB = 'notebook.ipynb';
  const NBLINE = 'within = F.cross_entropy(torch.softmax(logits, dim=1), target)';
  await steps.run('Jupyter notebook: SL001 squiggle in a cell of the notebook editor; the quick fix edits that cell', async () => {
    await ed.openFile(page, NB);
    await page.locator('.notebookOverlay .cell-list-container').first().waitFor({ state: 'visible' });
    const box = await poll('an error squiggle under `torch.softmax(logits, dim=1)` in the first code cell', () => (noExtensionErrors(), ed.squiggleUnder(page, 'error', NBLINE, 'torch.softmax(logits, dim=1)')), { timeout: 60_000 });
    await ed.hoverText(page, box, ['SL001', 'stable-loss', 'F.cross_entropy', 'expects logits but receives softmax probabilities']);
    await page.screenshot({ path: join(ART, '13-notebook-hover.png') });
    await ed.dismissHover(page);
    const item = await ed.openQuickFix(page, await ed.textBox(page, NBLINE, 'torch.softmax'), 'Pass the logits');
    await page.screenshot({ path: join(ART, '14-notebook-quick-fix-menu.png') });
    await item.click();
    const fixed = 'within = F.cross_entropy(logits, target)';
    await poll(`the cell to read \`${fixed}\``, async () => (await ed.viewLines(page)).includes(fixed));
    await poll('no squiggle left on the fixed line', async () => {
      const line = await ed.textBox(page, fixed, fixed);
      return line && (await ed.squiggles(page)).every((s) => s.bottom <= line.top || s.top >= line.bottom);
    });
    await ed.save(page);
    // The notebook is saved by VS Code's own serializer: compare the cells, not the JSON layout.
    const cellsOf = (text) => JSON.parse(text).cells.map((c) => [c.cell_type, Array.isArray(c.source) ? c.source.join('') : c.source]);
    const want = cellsOf(expectedFile(NB, (t) => t)).map(([k, src]) => [k, src.replace(NBLINE, fixed)]);
    await poll(`${NB} on disk to have the fixed cell and its other cells unchanged`, () => JSON.stringify(cellsOf(diskText(NB))) === JSON.stringify(want));
    await page.screenshot({ path: join(ART, '15-notebook-fixed.png') });
  });

  const ACROSS = 'across = F.cross_entropy(probs, target)';
  await steps.run('Jupyter notebook across cells: a softmax in one cell fed to F.cross_entropy in another is SL001; the quick fix edits only that cell', async () => {
    const box = await poll('an error squiggle under `probs` in the last cell (its softmax is in the cell above)', () => (noExtensionErrors(), ed.squiggleUnder(page, 'error', ACROSS, 'probs')), { timeout: 60_000 });
    await ed.hoverText(page, box, ['SL001', 'stable-loss', 'F.cross_entropy', 'expects logits but receives softmax probabilities', 'softmax applied here']);
    await page.screenshot({ path: join(ART, '16-notebook-across-cells.png') });
    await ed.dismissHover(page);
    const item = await ed.openQuickFix(page, await ed.textBox(page, ACROSS, 'probs'), 'Pass the logits');
    await item.click();
    const fixed = 'across = F.cross_entropy(logits, target)';
    await poll(`the last cell to read \`${fixed}\``, async () => (await ed.viewLines(page)).includes(fixed));
    // The softmax cell keeps its probabilities (other code may use them); only the loss argument changes.
    if (!(await ed.viewLines(page)).includes('probs = torch.softmax(logits, dim=1)')) throw new Error('the softmax cell changed');
    await poll('no squiggle left in the notebook', async () => (await ed.squiggles(page)).length === 0);
    await ed.save(page);
    const cellsOf = (text) => JSON.parse(text).cells.map((c) => [c.cell_type, Array.isArray(c.source) ? c.source.join('') : c.source]);
    const want = cellsOf(expectedFile(NB, (t) => t)).map(([k, src]) => [k, src.replace(NBLINE, 'within = F.cross_entropy(logits, target)').replace(ACROSS, fixed)]);
    await poll(`${NB} on disk to have both fixed cells and the softmax cell unchanged`, () => JSON.stringify(cellsOf(diskText(NB))) === JSON.stringify(want));
    await page.screenshot({ path: join(ART, '17-notebook-across-cells-fixed.png') });
  });

  await steps.run('the output channel logged activation and no error', async () => {
    const logFile = findLog();
    if (!logFile) throw new Error(`no "Stable Loss.log" under ${USER}`);
    const log = readFileSync(logFile, 'utf8');
    writeFileSync(join(ART, 'stable-loss-output.log'), log);
    const act = /activated in ([\d.]+) ms/.exec(log);
    const ready = /engine ready (\d+) ms after activation/.exec(log);
    if (!act || !ready) throw new Error(`activation lines missing:\n${log}`);
    if (/\[error\]/.test(log)) throw new Error(`errors in the output channel:\n${log}`);
    metrics.activationMs = Number(act[1]);
    metrics.engineReadyMs = Number(ready[1]);
    return `activate() ${act[1]} ms, engine ready ${ready[1]} ms after`;
  });
  // The same .vsix in VS Code's web worker extension host (as on vscode.dev): the browser entry
  // dist/web/extension.js, wasm read through vscode.workspace.fs.
  await browser.close();
  await server.stop();
  const WEB_WS = join(RUN, 'workspace-web');
  const WEB_USER = join(RUN, 'user-data-web');
  cpSync(join(ROOT, 'test/e2e/workspace'), WEB_WS, { recursive: true });
  // A project only the web step opens: its pyproject.toml ignores SL003 and makes SL002 a warning;
  // train.py trains a model defined in models.py (its softmax is found through the project index).
  const WEBPROJ = {
    'pyproject.toml': '[tool.stable-loss]\nignore = ["SL003"]\n\n[tool.stable-loss.severity]\nSL002 = "warning"\n',
    'models.py': 'import torch.nn as nn\nimport torch.nn.functional as F\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return F.softmax(x, dim=1)\n',
    'train.py': 'import torch\nimport torch.nn as nn\nfrom models import Net\n\nlogits = torch.randn(4, 3)\ntarget = torch.tensor([0, 1, 2, 0])\nloss = nn.CrossEntropyLoss()(Net()(logits), target)\nlog_probs = torch.log(torch.softmax(logits, dim=1))\n',
  };
  mkdirSync(join(WEB_WS, 'webproj'));
  for (const [name, text] of Object.entries(WEBPROJ)) writeFileSync(join(WEB_WS, 'webproj', name), text);
  mkdirSync(join(WEB_USER, 'User'), { recursive: true });
  writeFileSync(join(WEB_USER, 'User', 'settings.json'), JSON.stringify({ ...userSettings, 'remote.extensionKind': { 'stable-loss.stable-loss': ['web'] } }, null, 2));
  await steps.run('web extension host: the browser entry activates and reports SL001/SL003 exactly', async () => {
    const webPort = await freePort();
    server = startProcess(
      codeServer,
      ['--user-data-dir', WEB_USER, '--extensions-dir', EXTS, '--auth', 'none', '--bind-addr', `127.0.0.1:${webPort}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', WEB_WS],
      join(ART, 'code-server-web.log'),
    );
    await poll('code-server to answer /healthz', async () => (await fetch(`http://127.0.0.1:${webPort}/healthz`).catch(() => null))?.ok, { timeout: 60_000 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(60_000);
    await page.goto(`http://127.0.0.1:${webPort}/?folder=${encodeURIComponent(WEB_WS)}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await ed.waitForWorkbench(page);
    await ed.openFile(page, EX);
    await poll('an error squiggle under `torch.softmax(logits, dim=1)`', () => ed.squiggleUnder(page, 'error', DOUBLE, 'torch.softmax(logits, dim=1)'), { timeout: 90_000 });
    await poll('a warning squiggle under `torch.log(torch.softmax(logits, dim=1))`', () => ed.squiggleUnder(page, 'warning', LOGSM, 'torch.log(torch.softmax(logits, dim=1))'));
    const box = await ed.textBox(page, DOUBLE, 'torch.softmax');
    await ed.openQuickFix(page, box, 'Pass the logits');
    await page.keyboard.press('Escape');
    // The output channel of a web extension lives in the browser: read it in the Output panel.
    await ed.runCommand(page, 'Stable Loss: Show output');
    let polls = 0;
    const out = await poll('the Stable Loss output to show the web activation', async () => {
      const t = (await page.locator('.part.panel .monaco-editor .view-lines').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
      if (/engine ready \d+ ms after activation \(web\)/.test(t)) return t;
      // Under load a Command Palette keystroke can be lost and the Output panel never opens (seen once
      // in CI: squiggles were there, the panel was not): ask again every 5 s.
      if (++polls % 25 === 0) {
        await page.keyboard.press('Escape');
        await ed.runCommand(page, 'Stable Loss: Show output');
      }
      return undefined;
    }, { timeout: 60_000 });
    if (/\[error\]/.test(out)) throw new Error(`errors in the web extension's output:\n${out}`);
    metrics.webEngineReadyMs = Number(/engine ready (\d+) ms after activation \(web\)/.exec(out)[1]);
    await page.screenshot({ path: join(ART, '09-web-extension-host.png') });
    return `engine ready ${metrics.webEngineReadyMs} ms after activation (web)`;
  });
  await steps.run('web extension host: pyproject.toml applies (SL003 ignored, SL002 a warning) and a model in another file is followed (SL002)', async () => {
    await page.keyboard.press('Escape');
    await ed.openFile(page, 'train.py');
    const LOSS = 'loss = nn.CrossEntropyLoss()(Net()(logits), target)';
    // SL002 is an error by default: a warning squiggle shows the project's severity, its presence that models.py was read.
    await poll('a warning squiggle (SL002, severity from pyproject.toml) under the loss call', () => ed.squiggleUnder(page, 'warning', LOSS, 'nn.CrossEntropyLoss()(Net()(logits), target)'), { timeout: 90_000 });
    const text = await ed.hoverText(page, await ed.textBox(page, LOSS, 'CrossEntropyLoss'), ['SL002', 'models.py']);
    await ed.dismissHover(page);
    // SL003 on the last line is ignored by pyproject.toml: no squiggle anywhere but the loss line.
    const all = await ed.squiggles(page);
    const lossBox = await ed.textBox(page, LOSS, 'loss');
    const others = all.filter((q) => !(q.top < lossBox.bottom && q.bottom > lossBox.top));
    if (others.length) throw new Error(`squiggles besides SL002 (SL003 should be ignored by pyproject.toml): ${JSON.stringify(others)}`);
    if (all.some((q) => q.kind === 'error')) throw new Error('an error squiggle: the pyproject.toml severity did not apply');
    await page.screenshot({ path: join(ART, '10-web-pyproject-and-project-index.png') });
    return text.split('\n').find((l) => l.includes('models.py'));
  });
} catch {
  // reported by the step that failed
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
}

metrics.totalMs = Date.now() - t0;
const failed = steps.results.filter((r) => r.status === 'fail');
const skipped = steps.results.filter((r) => r.status === 'skip');
const passed = steps.results.filter((r) => r.status === 'pass');
writeFileSync(join(ART, 'summary.json'), JSON.stringify({ results: steps.results, metrics }, null, 2));
console.log(`\ne2e: ${passed.length} passed, ${failed.length} failed, ${skipped.length} skipped in ${(metrics.totalMs / 1000).toFixed(0)} s; artifacts in ${ART}`);
for (const s of skipped) console.log(`  SKIPPED (not passed): ${s.name}: ${s.note}`);
console.log(`  metrics: ${JSON.stringify(metrics)}`);
process.exit(failed.length ? 1 : 0);

/** Whether the engine built from this checkout has evaluate() (hover values). */
async function engineEvaluates() {
  const out = await build({
    stdin: { contents: "import { Engine } from './src/core'; export const evaluates = typeof Engine.prototype.evaluate === 'function';", resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const file = join(RUN, 'probe.mjs');
  writeFileSync(file, out.outputFiles[0].text);
  return (await import(file)).evaluates;
}

/** Fails a poll at once when the extension's output channel has an error. */
function noExtensionErrors() {
  const f = findLog();
  const log = f ? readFileSync(f, 'utf8') : '';
  if (/\[error\]/.test(log)) throw fatal(`the extension logged an error:\n${log}`);
}

function findLog() {
  const stack = [join(USER, 'logs')];
  while (stack.length) {
    const d = stack.pop();
    if (!existsSync(d)) continue;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name === 'Stable Loss.log') return p;
    }
  }
  return undefined;
}
