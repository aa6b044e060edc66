// Reads the `stableLoss.*` settings of one document into the core's Settings.
import type * as vscode from 'vscode';
import { catalogue, type RuleCode, type Settings, type Severity } from '../core';
import { SEVERITY_VALUES } from './settingsSchema';

export interface ExtensionSettings {
  enable: boolean;
  settings: Settings;
  hover: boolean;
  unsafeFixes: boolean;
}

type Config = Pick<vscode.WorkspaceConfiguration, 'get'>;

export function readSettings(config: Config): ExtensionSettings {
  const severity: Partial<Record<RuleCode, Severity | 'off'>> = {};
  for (const rule of catalogue) {
    const v = config.get<string>(`rules.${rule.code}.severity`);
    if (v !== undefined && (SEVERITY_VALUES as readonly string[]).includes(v) && v !== rule.defaultSeverity) {
      severity[rule.code] = v as Severity | 'off';
    }
  }
  return {
    enable: config.get<boolean>('enable', true) !== false,
    settings: { select: strings(config.get('select')), ignore: strings(config.get('ignore')), severity },
    hover: config.get<boolean>('hover.enable', true) !== false,
    unsafeFixes: config.get<boolean>('unsafeFixes', false) === true,
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : [];
}
