// One rule = one file + fixture + doc. Checks that the catalogue, the rule registry, the fixtures and
// docs/rules/ agree, and that every doc has the fixed sections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue, ruleUrl } from '../src/core';
import { rules } from '../src/core/rules';

const root = join(__dirname, '..', '..');
const SECTIONS = ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Fix safety', '## References'];

for (const meta of catalogue) {
  test(`${meta.code} has a doc matching its metadata`, () => {
    const file = join(root, 'docs', 'rules', `${meta.code}-${meta.name}.md`);
    assert.ok(existsSync(file), `missing ${file}`);
    const doc = readFileSync(file, 'utf8');
    assert.equal(doc.split('\n')[0], `# ${meta.code}: ${meta.name}`);
    assert.ok(doc.includes(meta.summary), `${file} must state the summary from the catalogue: ${meta.summary}`);
    assert.ok(doc.includes(`Default severity: **${meta.defaultSeverity}**`), `${file} must state the default severity`);
    for (const s of SECTIONS) assert.ok(doc.includes(`\n${s}\n`), `${file} lacks section ${s}`);
    assert.ok(ruleUrl(meta).endsWith(`docs/rules/${meta.code}-${meta.name}.md`));
  });

  test(`${meta.code} is implemented, with a fixture`, () => {
    assert.ok(rules.some((r) => r.meta.code === meta.code), `${meta.code} has no rule in src/core/rules/index.ts`);
    assert.ok(existsSync(join(root, 'test', 'fixtures', 'rules', `${meta.code}.py`)), `${meta.code} has no fixture`);
  });
}
