// `stable-loss rules`: the rule catalogue (code, name, default severity, fixable, summary, docs).
import { parseArgs } from 'node:util';
import { catalogue, ruleUrl } from '../../core/rules/catalogue';
import type { Command } from '../command';
import { UsageError } from '../io';

const HELP = `List the rules.

Usage: stable-loss rules [--output-format text|json]
`;

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'List the rules with their codes, names and docs',
  help: HELP,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, strict: true, options: { 'output-format': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message.split('. ')[0]! : String(e));
    }
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const format = values['output-format'] ?? 'text';
    if (format === 'json') {
      io.out(`${JSON.stringify(catalogue.map((r) => ({ ...r, url: ruleUrl(r) })), null, 2)}\n`);
      return 0;
    }
    if (format !== 'text') throw new UsageError(`invalid value ${JSON.stringify(format)} for --output-format (expected text or json)`);
    for (const r of catalogue) io.out(`${r.code}  ${r.name}  [${r.defaultSeverity}${r.fixable === 'none' ? '' : ', fixable'}]\n      ${r.summary}\n      ${ruleUrl(r)}\n`);
    return 0;
  },
};
