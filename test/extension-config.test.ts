// The extension honours [tool.stable-loss] in pyproject.toml; VS Code settings override it only where
// the user set them. A broken pyproject.toml is reported once and the defaults apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRuleEnabled } from '../src/core/config';
import { readSettings } from '../src/extension/settings';
import { ProjectConfigs } from '../src/extension/projectConfig';
import { Uri } from './extension-vscode-fake';

/** A configuration where only `set` keys were set by the user (as VS Code's inspect() reports). */
function config(set: Record<string, unknown>) {
  const defaults: Record<string, unknown> = { enable: true, select: [], ignore: [], 'hover.enable': true, unsafeFixes: false };
  return {
    get: <T>(k: string, d?: T) => (k in set ? set[k] : k in defaults ? defaults[k] : d) as T,
    inspect: (k: string) => (k in set ? { key: k, globalValue: set[k] } : { key: k }),
  } as never;
}

function project(toml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-ext-'));
  writeFileSync(join(dir, 'pyproject.toml'), toml);
  mkdirSync(join(dir, 'src'));
  const warnings: string[] = [];
  const configs = new ProjectConfigs({ warn: (m) => warnings.push(m) });
  return { configs, warnings, doc: { uri: Uri.file(join(dir, 'src', 'train.py')) } as never };
}

test('pyproject.toml selection and severities apply when VS Code settings are unset', () => {
  const { configs, doc } = project('[tool.stable-loss]\nignore = ["SL005"]\n[tool.stable-loss.severity]\nSL006 = "error"\n');
  const s = readSettings(config({}), configs.forDocument(doc)).settings;
  assert.equal(isRuleEnabled('SL005', s), false);
  assert.equal(isRuleEnabled('SL001', s), true);
  assert.equal(s.severity.SL006, 'error');
});

test('a VS Code setting overrides the project only where set', () => {
  const { configs, doc } = project('[tool.stable-loss]\nselect = ["SL001", "SL003"]\n[tool.stable-loss.severity]\nSL003 = "error"\nSL001 = "info"\n');
  const p = configs.forDocument(doc);
  // select set by the user replaces the project's selection; severity of SL003 set back to its default
  const s = readSettings(config({ select: ['SL00'], 'rules.SL003.severity': 'warning' }), p).settings;
  assert.equal(isRuleEnabled('SL005', s), true);
  assert.equal(s.severity.SL003, undefined); // the user's explicit default wins over the project's "error"
  assert.equal(s.severity.SL001, 'info'); // untouched by the user: the project's
  // nothing set: the project's selection stands
  const t = readSettings(config({}), p).settings;
  assert.equal(isRuleEnabled('SL005', t), false);
  assert.equal(isRuleEnabled('SL003', t), true);
});

test('a broken pyproject.toml is reported once, with file and line, and the defaults apply', () => {
  const { configs, warnings, doc } = project('[tool.stable-loss]\nselect = ["SL001"\n');
  assert.equal(configs.forDocument(doc), null);
  assert.equal(configs.forDocument(doc), null);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /pyproject\.toml:\d+(:\d+)?: .*\(using the defaults\)$/);
  assert.deepEqual(readSettings(config({}), null).settings, { select: [], ignore: [], severity: {} });
});
