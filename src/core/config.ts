// `[tool.stable-loss]` in pyproject.toml, rule selection (as Ruff selects rules) and the effective
// settings applied to findings. Pure: takes TOML text, never reads files; runs in web workers too.
//
//   [tool.stable-loss]
//   select = ["SL"]              # codes, prefixes ("SL00"), rule names, or "ALL"; replaces the default (all)
//   extend-select = ["SL010"]    # added to `select`
//   ignore = ["SL005"]
//   exclude = ["generated"]      # replaces the default excludes (.git, .venv, build, ...)
//   extend-exclude = ["legacy/*.py"]
//   [tool.stable-loss.severity]
//   SL005 = "error"              # "error" | "warning" | "info" | "off"
import { parse, TomlError } from 'smol-toml';
import { catalogue } from './rules/catalogue';
import type { Finding, RuleCode, Settings, Severity } from './types';

/** One layer of rule selection (a config file, then the command line). */
export interface RuleSelection {
  /** Replaces the selection of the layers below when present. */
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
}

export interface ProjectConfig extends RuleSelection {
  severity: Partial<Record<RuleCode, Severity | 'off'>>;
  /** Replaces the default excludes when present. */
  exclude?: string[];
  extendExclude: string[];
}

export interface ConfigError {
  /** One line, e.g. "invalid TOML: illegal character in key". */
  message: string;
  /** 1-based. */
  line: number;
  column: number;
}

export type ConfigParseResult =
  | { ok: true; /** null: the text has no `[tool.stable-loss]` table. */ config: ProjectConfig | null; warnings: string[] }
  | { ok: false; error: ConfigError };

const SEVERITIES = ['error', 'warning', 'info', 'off'] as const;
const KEYS = ['select', 'extend-select', 'ignore', 'severity', 'exclude', 'extend-exclude'] as const;
const CODES = catalogue.map((r) => r.code);
/** Near misses are suggested among rule names only: codes one digit apart are different rules. */
const NAMES = catalogue.map((r) => r.name);

/** A selector's specificity: "ALL" 0, "SL" 2, "SL00" 4, "SL001" or a rule name 5; null if unknown. */
export function selectorSpecificity(selector: string): number | null {
  const s = normalizeSelector(selector);
  if (s === 'ALL') return 0;
  if (catalogue.some((r) => r.name === s)) return 5;
  if (s.length >= 2 && CODES.some((c) => c.startsWith(s))) return s.length;
  return null;
}

function normalizeSelector(selector: string): string {
  const t = selector.trim();
  return /^[a-z]+[0-9]*$/i.test(t) ? t.toUpperCase() : t;
}

/** Whether `selector` (code, prefix, rule name or "ALL") covers `code`. */
export function selectorMatches(selector: string, code: RuleCode): boolean {
  const s = normalizeSelector(selector);
  if (s === 'ALL') return true;
  const byName = catalogue.find((r) => r.name === s);
  if (byName) return byName.code === code;
  return s.length >= 2 && code.startsWith(s);
}

/**
 * The enabled rules after the layers, as Ruff resolves them: a layer with `select` starts from
 * nothing, otherwise from the layer below; its selectors apply from least to most specific, and at
 * equal specificity `ignore` wins over `select`. Unknown selectors are skipped (validate first).
 */
export function resolveRules(layers: readonly RuleSelection[]): Set<RuleCode> {
  let enabled = new Set<RuleCode>(CODES);
  for (const layer of layers) {
    const next = layer.select ? new Set<RuleCode>() : new Set(enabled);
    const steps: { spec: number; on: boolean; sel: string }[] = [];
    for (const sel of [...(layer.select ?? []), ...(layer.extendSelect ?? [])]) {
      const spec = selectorSpecificity(sel);
      if (spec !== null) steps.push({ spec, on: true, sel });
    }
    for (const sel of layer.ignore ?? []) {
      const spec = selectorSpecificity(sel);
      if (spec !== null) steps.push({ spec, on: false, sel });
    }
    steps.sort((a, b) => a.spec - b.spec || Number(b.on) - Number(a.on));
    for (const st of steps) for (const c of CODES) if (selectorMatches(st.sel, c)) st.on ? next.add(c) : next.delete(c);
    enabled = next;
  }
  return enabled;
}

/** Whether `settings` enable `code` (`select` empty = all; severity "off" disables). */
export function isRuleEnabled(code: RuleCode, settings: Settings): boolean {
  if (settings.severity[code] === 'off') return false;
  const layer: RuleSelection = { ignore: settings.ignore };
  if (settings.select.length) layer.select = settings.select;
  return resolveRules([layer]).has(code);
}

/** Drops findings of disabled rules and applies severity overrides. */
export function applySettings(findings: readonly Finding[], settings: Settings): Finding[] {
  const enabled = new Map<RuleCode, boolean>();
  const out: Finding[] = [];
  for (const f of findings) {
    let on = enabled.get(f.code);
    if (on === undefined) enabled.set(f.code, (on = isRuleEnabled(f.code, settings)));
    if (!on) continue;
    const sev = settings.severity[f.code];
    out.push(sev && sev !== 'off' && sev !== f.severity ? { ...f, severity: sev } : f);
  }
  return out;
}

/**
 * Effective settings from selection layers (config first, then command line) and severities.
 * The result names every disabled rule in `ignore`, so it reads the same under any consumer.
 */
export function settingsFrom(layers: readonly RuleSelection[], severity: Settings['severity'] = {}): Settings {
  const on = resolveRules(layers);
  return { select: ['SL'], ignore: CODES.filter((c) => !on.has(c)), severity: { ...severity } };
}

/** What one pyproject.toml says for us: nothing (absent, not ours), a config with warnings, or a TOML error. */
export type PyprojectRead = { kind: 'none' } | { kind: 'config'; config: ProjectConfig; warnings: string[] } | { kind: 'error'; error: ConfigError };

/**
 * One step of the nearest-config lookup every host does (walking up from a file's folder): `text`
 * is the folder's pyproject.toml, null when absent or unreadable. Only a file that mentions
 * `stable-loss` can hold our table, so other files (even broken ones) are not ours and the walk
 * goes on; so it does past a file without the table. A BOM is dropped.
 */
export function readPyproject(text: string | null): PyprojectRead {
  if (text === null || !text.includes('stable-loss')) return { kind: 'none' };
  const r = parseConfig(text.startsWith('\ufeff') ? text.slice(1) : text);
  if (!r.ok) return { kind: 'error', error: r.error };
  return r.config ? { kind: 'config', config: r.config, warnings: r.warnings } : { kind: 'none' };
}

/** `path:line:column: reason`, as the CLI prints a broken config file. */
export function configErrorText(path: string, line: number | null, column: number | null, reason: string): string {
  return `${path}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${reason}`;
}

/** Reads `[tool.stable-loss]` from pyproject.toml text. Bad values are warnings; bad TOML an error. */
export function parseConfig(tomlText: string): ConfigParseResult {
  let doc: Record<string, unknown>;
  try {
    doc = parse(tomlText) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      return { ok: false, error: { message: `invalid TOML: ${first}`, line: e.line, column: e.column } };
    }
    return { ok: false, error: { message: `invalid TOML: ${e instanceof Error ? e.message : String(e)}`, line: 1, column: 1 } };
  }
  const tool = doc['tool'];
  const section = isTable(tool) ? tool['stable-loss'] : undefined;
  if (section === undefined) return { ok: true, config: null, warnings: [] };
  const warnings: string[] = [];
  const config: ProjectConfig = { severity: {}, extendExclude: [] };
  if (!isTable(section)) {
    warnings.push('`tool.stable-loss` must be a table; it was ignored');
    return { ok: true, config, warnings };
  }
  for (const [key, value] of Object.entries(section)) {
    const where = `\`tool.stable-loss.${key}\``;
    switch (key) {
      case 'select':
      case 'extend-select':
      case 'ignore': {
        const list = stringList(value, where, warnings);
        if (!list) break;
        const valid = list.filter((s) => {
          if (selectorSpecificity(s) !== null) return true;
          warnings.push(`${where}: unknown rule selector ${JSON.stringify(s)}${suggest(s, NAMES)}; it was ignored`);
          return false;
        });
        if (key === 'select') config.select = valid;
        else if (key === 'ignore') config.ignore = valid;
        else config.extendSelect = valid;
        break;
      }
      case 'exclude':
      case 'extend-exclude': {
        const list = stringList(value, where, warnings);
        if (!list) break;
        if (key === 'exclude') config.exclude = list;
        else config.extendExclude = list;
        break;
      }
      case 'severity':
        readSeverity(value, where, config, warnings);
        break;
      default:
        warnings.push(`unknown key ${where}${suggest(key, KEYS)}; it was ignored`);
    }
  }
  return { ok: true, config, warnings };
}

function readSeverity(value: unknown, where: string, config: ProjectConfig, warnings: string[]): void {
  if (!isTable(value)) {
    warnings.push(`${where} must be a table like \`SL005 = "error"\`; it was ignored`);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const code = (CODES as string[]).includes(k.toUpperCase()) ? (k.toUpperCase() as RuleCode) : catalogue.find((r) => r.name === k)?.code;
    if (!code) {
      warnings.push(`${where}: unknown rule ${JSON.stringify(k)}${suggest(k, NAMES)}; it was ignored`);
      continue;
    }
    if (typeof v !== 'string' || !(SEVERITIES as readonly string[]).includes(v)) {
      warnings.push(`${where}.${k}: expected one of "error", "warning", "info", "off", got ${JSON.stringify(v)}; it was ignored`);
      continue;
    }
    config.severity[code] = v as Severity | 'off';
  }
}

function stringList(value: unknown, where: string, warnings: string[]): string[] | null {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  const hint = typeof value === 'string' ? ` (write [${JSON.stringify(value)}])` : '';
  warnings.push(`${where} must be a list of strings${hint}; it was ignored`);
  return null;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** ` (did you mean "select"?)` for a near miss, else "". */
function suggest(word: string, options: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return bestD <= Math.max(1, Math.floor(best.length / 3)) ? ` (did you mean ${JSON.stringify(best)}?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
