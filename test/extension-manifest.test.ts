// The extension's manifest and packaging: package.json settings generated from the rule catalogue,
// commands and grammar declared, the .vsix whitelist carrying every wasm file the engine loads;
// plus the small pure helpers (minimal edit, hover conversion).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, catalogue } from '../src/core';
import { nodeWasmLoader } from '../src/node/wasm';
import { COMMAND_FIX_ALL, COMMAND_SHOW_OUTPUT } from '../src/extension/activate';
import { minimalEdit } from '../src/extension/fixes';
import { hasEvaluator, StableLossHover, type Evaluator } from '../src/extension/hover';
import { readSettings } from '../src/extension/settings';
import { configurationSchema } from '../src/extension/settingsSchema';
import { fake, fakeConfig, FakeDocument, FakeLog, MarkdownString, Position, Uri } from './extension-vscode-fake';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('package.json contributes.configuration is what scripts/gen-settings.mjs generates (run `npm run gen-settings`)', () => {
  assert.deepEqual(pkg.contributes.configuration, configurationSchema());
  const props = pkg.contributes.configuration.properties;
  for (const r of catalogue) {
    const p = props[`stableLoss.rules.${r.code}.severity`];
    assert.ok(p, `no setting for ${r.code}`);
    assert.equal(p.default, r.defaultSeverity);
    assert.ok(p.markdownDescription.includes(r.summary));
  }
  for (const k of ['enable', 'select', 'ignore', 'hover.enable', 'unsafeFixes']) assert.ok(props[`stableLoss.${k}`], k);
});

test('the settings defaults read back as the core defaults', () => {
  const defaults: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pkg.contributes.configuration.properties as Record<string, { default: unknown }>)) defaults[k.replace(/^stableLoss\./, '')] = v.default;
  assert.deepEqual(readSettings(fakeConfig(defaults)), { enable: true, settings: { select: [], ignore: [], severity: {} }, hover: true, unsafeFixes: false });
});

test('manifest: entry points, activation, capabilities, commands, noqa grammar', () => {
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.browser, './dist/web/extension.js');
  assert.ok(pkg.activationEvents.includes('onLanguage:python'));
  assert.deepEqual(pkg.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
  assert.deepEqual(pkg.contributes.commands.map((c: { command: string }) => c.command).sort(), [COMMAND_FIX_ALL, COMMAND_SHOW_OUTPUT].sort());
  const g = pkg.contributes.grammars.find((x: { path: string }) => x.path === './syntaxes/noqa.injection.json');
  assert.ok(g, 'noqa grammar not declared');
  assert.deepEqual(g.injectTo, ['source.python']);
  const grammar = JSON.parse(readFileSync(join(root, g.path), 'utf8'));
  assert.equal(grammar.scopeName, g.scopeName);
  assert.match(grammar.injectionSelector, /comment\.line\.number-sign\.python/);
});

test('.vscodeignore ships every wasm file the engine loads, and the bundles', async () => {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  const loaded: string[] = [];
  const base = nodeWasmLoader();
  await Engine.create(async (f) => (loaded.push(f), base(f)));
  assert.ok(loaded.length >= 2, loaded.join());
  const shipped = (f: string) => ['!dist/wasm/**', '!dist/wasm/*.wasm', `!dist/wasm/${f}`].some((l) => lines.includes(l));
  for (const f of loaded) assert.ok(shipped(f), `.vscodeignore leaves out dist/wasm/${f}`);
  // The analysis workers the two hosts start (src/extension/worker).
  for (const f of [pkg.main, pkg.browser, 'dist/worker.js', 'dist/web/worker.js']) assert.ok(lines.includes(`!${f.replace(/^\.\//, '')}`), `.vscodeignore leaves out ${f}`);
});

test('minimalEdit: the smallest single replacement, never splitting a surrogate pair', () => {
  assert.equal(minimalEdit('abc', 'abc'), null);
  assert.deepEqual(minimalEdit('loss_fn(torch.softmax(x, dim=1), y)', 'loss_fn(x, y)'), { start: 8, end: 31, content: 'x' });
  assert.deepEqual(minimalEdit('aaa', 'aaaa'), { start: 3, end: 3, content: 'a' });
  // '😀' and '😁' share their high surrogate: the edit must still replace the whole character.
  const e = minimalEdit('x😀y', 'x😁y')!;
  assert.deepEqual(e, { start: 1, end: 3, content: '😁' });
  const apply = (t: string, x: { start: number; end: number; content: string }) => t.slice(0, x.start) + x.content + t.slice(x.end);
  for (const [a, b] of [['', 'abc'], ['abc', ''], ['ab😀cd', 'ab😀😀cd'], ['a\r\nb', 'a\nb']] as const) assert.equal(apply(a, minimalEdit(a, b)!), b);
});

test('hover: shown only when the engine can evaluate; markdown is untrusted; range converted', async () => {
  const engine = await Engine.create(nodeWasmLoader());
  // The engine's evaluate() is detected at run time; whatever it is today, the detection agrees.
  assert.equal(hasEvaluator(engine), typeof (engine as unknown as { evaluate?: unknown }).evaluate === 'function');
  assert.equal(hasEvaluator({}), false);
  assert.equal(hasEvaluator(null), false);
  const seen: number[] = [];
  const evaluator: Evaluator = {
    evaluate: (_doc, offset) => {
      seen.push(offset);
      return offset < 5 ? { error: 'no statement at this position' } : { markdown: '**loss** = `tensor(0.1698)`', span: { s: 6, e: 10 } };
    },
  };
  let hoverOn = true;
  const hover = new StableLossHover(fake, evaluator, () => ({ ...readSettings(fakeConfig({})), hover: hoverOn }), new FakeLog());
  const doc = new FakeDocument('x = 1\nloss\n') as never;
  assert.equal(await hover.provideHover(doc, new Position(0, 1) as never), undefined);
  const h = (await hover.provideHover(doc, new Position(1, 2) as never))! as unknown as { contents: MarkdownString; range: { start: Position; end: Position } };
  assert.deepEqual(seen, [1, 8]);
  assert.equal(h.contents.value, '**loss** = `tensor(0.1698)`');
  assert.equal(h.contents.isTrusted, false);
  assert.equal(h.contents.supportHtml, false);
  assert.deepEqual([h.range.start.line, h.range.start.character, h.range.end.line, h.range.end.character], [1, 0, 1, 4]);
  hoverOn = false;
  assert.equal(await hover.provideHover(doc, new Position(1, 2) as never), undefined);
  const other = new FakeDocument('x', Uri.file('/a.md'), 'markdown') as never;
  hoverOn = true;
  assert.equal(await hover.provideHover(other, new Position(0, 0) as never), undefined);
});
