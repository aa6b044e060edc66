// The `contributes.configuration` of package.json, generated from the rule catalogue
// (scripts/gen-settings.mjs writes it; a test fails when package.json is out of date).
import { catalogue, ruleUrl } from '../core/rules/catalogue';

export const SECTION = 'stableLoss';
export const SEVERITY_VALUES = ['error', 'warning', 'info', 'off'] as const;

export function configurationSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    [`${SECTION}.enable`]: {
      type: 'boolean',
      default: true,
      scope: 'resource',
      order: 0,
      description: 'Check Python files for numerically unsafe cross-entropy code.',
    },
    [`${SECTION}.select`]: {
      type: 'array',
      items: { type: 'string' },
      default: [],
      scope: 'resource',
      order: 1,
      markdownDescription: 'Rule codes or prefixes to enable, e.g. `["SL001", "SL00"]`. Empty enables every rule.',
    },
    [`${SECTION}.ignore`]: {
      type: 'array',
      items: { type: 'string' },
      default: [],
      scope: 'resource',
      order: 2,
      markdownDescription: 'Rule codes or prefixes to disable, e.g. `["SL010"]`. Applied after `#stableLoss.select#`.',
    },
    [`${SECTION}.hover.enable`]: {
      type: 'boolean',
      default: true,
      scope: 'resource',
      order: 3,
      description: 'Show the loss values a piece of code really computes when hovering over it.',
    },
    [`${SECTION}.unsafeFixes`]: {
      type: 'boolean',
      default: false,
      scope: 'resource',
      order: 4,
      markdownDescription:
        'Also apply unsafe fixes (fixes that change behaviour) in **Stable Loss: Fix all in file** and in `source.fixAll.stable-loss` (e.g. on save). Unsafe quick fixes are always offered one at a time, labelled "(unsafe)".',
    },
  };
  catalogue.forEach((rule, i) => {
    properties[`${SECTION}.rules.${rule.code}.severity`] = {
      type: 'string',
      enum: [...SEVERITY_VALUES],
      default: rule.defaultSeverity,
      scope: 'resource',
      order: 10 + i,
      markdownDescription: `**${rule.code}** \`${rule.name}\`: ${rule.summary} [Documentation](${ruleUrl(rule)}). \`off\` disables the rule.`,
    };
  });
  return { title: 'Stable Loss', properties };
}
