import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySettings, isRuleEnabled, parseConfig, resolveRules, selectorSpecificity, settingsFrom, type RuleSelection } from '../src/core/config';
import { defaultSettings, type Settings } from '../src/core/types';
import { findingAt } from './fixtures/cli/findings';

const on = (layers: RuleSelection[]) => [...resolveRules(layers)].sort().join(' ');

test('rule selection by code, prefix, name and ALL, as Ruff resolves it', () => {
  const table: [string, RuleSelection[], string][] = [
    ['default: all', [], 'SL001 SL002 SL003 SL004 SL005 SL006 SL007 SL008 SL009 SL010'],
    ['select one code', [{ select: ['SL001'] }], 'SL001'],
    ['select a prefix', [{ select: ['SL00'] }], 'SL001 SL002 SL003 SL004 SL005 SL006 SL007 SL008 SL009'],
    ['SL01 is SL010', [{ select: ['SL01'] }], 'SL010'],
    ['ignore beats select at equal specificity', [{ select: ['SL001'], ignore: ['SL001'] }], ''],
    ['more specific select beats a prefix ignore', [{ select: ['SL', 'SL003'], ignore: ['SL00'] }], 'SL003 SL010'],
    ['more specific ignore beats a prefix select', [{ select: ['SL00'], ignore: ['SL003'] }], 'SL001 SL002 SL004 SL005 SL006 SL007 SL008 SL009'],
    ['ALL minus a prefix', [{ select: ['ALL'], ignore: ['SL00'] }], 'SL010'],
    ['a rule name selects its code', [{ select: ['log-of-softmax', 'SL010'] }], 'SL003 SL010'],
    ['lower case codes are accepted', [{ select: ['sl001'] }], 'SL001'],
    ['extend-select adds to select', [{ select: ['SL001'], extendSelect: ['SL002'] }], 'SL001 SL002'],
    ['a layer without select keeps the one below', [{ select: ['SL001', 'SL002'] }, { ignore: ['SL002'] }], 'SL001'],
    ['a layer with select replaces the one below', [{ select: ['SL001'] }, { select: ['SL002'] }], 'SL002'],
    ['the command line re-enables what config ignored', [{ ignore: ['SL005'] }, { extendSelect: ['SL005'] }], 'SL001 SL002 SL003 SL004 SL005 SL006 SL007 SL008 SL009 SL010'],
    ['unknown selectors are skipped', [{ select: ['XYZ', 'SL001'] }], 'SL001'],
  ];
  for (const [name, layers, want] of table) assert.equal(on(layers), want, name);
});

test('selector specificity', () => {
  assert.deepEqual(
    ['ALL', 'SL', 'SL0', 'SL00', 'SL001', 'naive-cross-entropy', 'S', 'SL2', 'SL0011', 'F401', ''].map(selectorSpecificity),
    [0, 2, 3, 4, 5, 5, null, null, null, null, null],
  );
});

test('isRuleEnabled and applySettings: drop disabled rules, override severities', () => {
  const text = 'a = log(softmax(x))\nb = ce(softmax(x), y)\nc = -sum(t * log(p))\n';
  const findings = [findingAt(text, 'SL003', 'log(softmax'), findingAt(text, 'SL001', 'softmax(x), y'), findingAt(text, 'SL005', '-sum')];
  const settings: Settings = { select: [], ignore: ['SL001'], severity: { SL005: 'error', SL003: 'off' } };
  assert.equal(isRuleEnabled('SL001', settings), false);
  assert.equal(isRuleEnabled('SL003', settings), false);
  assert.equal(isRuleEnabled('SL005', settings), true);
  const out = applySettings(findings, settings);
  assert.deepEqual(out.map((f) => `${f.code}:${f.severity}`), ['SL005:error']);
  assert.equal(findings[2]!.severity, 'warning', 'the input is not mutated');
  assert.deepEqual(applySettings(findings, defaultSettings), findings);
  assert.deepEqual(applySettings(out, settings), out, 'idempotent');
});

test('settingsFrom names every disabled rule and means the same under a plain prefix reader', () => {
  const s = settingsFrom([{ select: ['SL00'] }, { ignore: ['SL002'] }], { SL001: 'warning' });
  assert.deepEqual(s, { select: ['SL'], ignore: ['SL002', 'SL010'], severity: { SL001: 'warning' } });
  assert.equal(isRuleEnabled('SL010', s), false);
  assert.equal(isRuleEnabled('SL003', s), true);
});

test('parseConfig reads [tool.stable-loss]', () => {
  const r = parseConfig(`
[project]
name = "x"

[tool.stable-loss]
select = ["SL00"]
extend-select = ["SL010"]
ignore = ["SL005"]
exclude = ["generated"]
extend-exclude = ["legacy/*.py"]

[tool.stable-loss.severity]
SL003 = "error"
naive-cross-entropy = "off"
`);
  assert.deepEqual(r, {
    ok: true,
    warnings: [],
    config: {
      select: ['SL00'],
      extendSelect: ['SL010'],
      ignore: ['SL005'],
      exclude: ['generated'],
      extendExclude: ['legacy/*.py'],
      severity: { SL003: 'error', SL005: 'off' },
    },
  });
});

test('parseConfig: no section is null, dotted keys work', () => {
  assert.deepEqual(parseConfig('[tool.ruff]\nselect = ["F"]\n'), { ok: true, config: null, warnings: [] });
  const r = parseConfig('tool.stable-loss.ignore = ["SL001"]\n');
  assert.ok(r.ok);
  assert.deepEqual(r.config?.ignore, ['SL001']);
});

test('parseConfig: bad values and unknown keys are warnings with the key named', () => {
  const r = parseConfig(`
[tool.stable-loss]
selec = ["SL001"]
select = "SL001"
ignore = ["SL999", "SL001"]
extend-exclude = [1]
frobnicate = true

[tool.stable-loss.severity]
SL005 = "fatal"
SL042 = "error"
`);
  assert.ok(r.ok);
  assert.deepEqual(r.warnings, [
    'unknown key `tool.stable-loss.selec` (did you mean "select"?); it was ignored',
    '`tool.stable-loss.select` must be a list of strings (write ["SL001"]); it was ignored',
    '`tool.stable-loss.ignore`: unknown rule selector "SL999"; it was ignored',
    '`tool.stable-loss.extend-exclude` must be a list of strings; it was ignored',
    'unknown key `tool.stable-loss.frobnicate`; it was ignored',
    '`tool.stable-loss.severity`.SL005: expected one of "error", "warning", "info", "off", got "fatal"; it was ignored',
    '`tool.stable-loss.severity`: unknown rule "SL042"; it was ignored',
  ]);
  assert.deepEqual(r.config, { severity: {}, extendExclude: [], ignore: ['SL001'] });
});

test('parseConfig: a TOML syntax error is an error object with line and column', () => {
  const table: [string, number][] = [
    ['[tool.stable-loss]\nselect = ["SL001"\n', 3],
    ['[tool.stable-loss\nselect = []\n', 1],
    ['a = 1\na = 2\n', 2],
  ];
  for (const [text, line] of table) {
    const r = parseConfig(text);
    assert.equal(r.ok, false, text);
    if (r.ok) continue;
    assert.equal(r.error.line, line, text);
    assert.match(r.error.message, /^invalid TOML: [^\n]+$/);
  }
});

test('parseConfig: a non-table section is a warning', () => {
  const r = parseConfig('[tool]\nstable-loss = 3\n');
  assert.deepEqual(r, { ok: true, config: { severity: {}, extendExclude: [] }, warnings: ['`tool.stable-loss` must be a table; it was ignored'] });
});

test('parseConfig suggests a rule name for a near miss', () => {
  const r = parseConfig('[tool.stable-loss]\nignore = ["log-of-sofmax"]\n');
  assert.ok(r.ok);
  assert.deepEqual(r.warnings, ['`tool.stable-loss.ignore`: unknown rule selector "log-of-sofmax" (did you mean "log-of-softmax"?); it was ignored']);
});
