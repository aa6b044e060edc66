// Reads the `stableLoss.*` settings of one document into the core's Settings, on top of the
// project's `[tool.stable-loss]` (pyproject.toml): a VS Code setting overrides the project only
// where the user set it (in any scope); unset settings leave the project's choice alone.
import type * as vscode from 'vscode';
import { catalogue } from '../core/rules/catalogue';
import type { RuleCode, Settings, Severity } from '../core/types';
import { settingsFrom, type ProjectConfig, type RuleSelection } from '../core/config';
import { SEVERITY_VALUES } from './settingsSchema';

export interface ExtensionSettings {
  enable: boolean;
  settings: Settings;
  hover: boolean;
  unsafeFixes: boolean;
}

type Config = Pick<vscode.WorkspaceConfiguration, 'get'> & Partial<Pick<vscode.WorkspaceConfiguration, 'inspect'>>;

export function readSettings(config: Config, project: ProjectConfig | null = null): ExtensionSettings {
  const severity: Partial<Record<RuleCode, Severity | 'off'>> = { ...(project?.severity ?? {}) };
  for (const rule of catalogue) {
    const key = `rules.${rule.code}.severity`;
    const v = config.get<string>(key);
    if (v === undefined || !(SEVERITY_VALUES as readonly string[]).includes(v)) continue;
    if (isSet(config, key) ? true : v !== rule.defaultSeverity) severity[rule.code] = v as Severity | 'off';
  }
  for (const rule of catalogue) if (severity[rule.code] === rule.defaultSeverity) delete severity[rule.code];
  const user: RuleSelection = {};
  const select = strings(config.get('select'));
  const ignore = strings(config.get('ignore'));
  if (select.length) user.select = select;
  if (ignore.length) user.ignore = ignore;
  const layers: RuleSelection[] = project ? [{ select: project.select, extendSelect: project.extendSelect, ignore: project.ignore }, user] : [user];
  // Without a project file the settings pass through as they are (the core resolves them the same way).
  const settings = project ? settingsFrom(layers, severity) : { select: select, ignore, severity };
  return {
    enable: config.get<boolean>('enable', true) !== false,
    settings,
    hover: config.get<boolean>('hover.enable', true) !== false,
    unsafeFixes: config.get<boolean>('unsafeFixes', false) === true,
  };
}

/** The user set `key` somewhere (user, workspace, folder, language scope). */
function isSet(config: Config, key: string): boolean {
  const i = config.inspect?.(key);
  if (!i) return false;
  return [i.globalValue, i.workspaceValue, i.workspaceFolderValue, i.globalLanguageValue, i.workspaceLanguageValue, i.workspaceFolderLanguageValue].some((v) => v !== undefined);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : [];
}
