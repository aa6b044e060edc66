// Rule fixtures: test/fixtures/rules/<CODE>*.py mix violations and clean look-alikes. A line with
// `# expect: SL001` (or several codes, comma-separated) must get exactly those findings; every other
// line must get none. Each fixture has a snapshot (<name>.snap) of the findings and of every fix as a
// diff; run with UPDATE_SNAPSHOTS=1 to rewrite them after an intended change, then review the diff.
// For every fix: the fixed text has no more syntax errors than before, and the finding is gone.
// TensorFlow.js fixtures (tfjs-*.ts, .tsx, .js, .mjs, .cjs) work the same with `// expect: SL001`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, getEngine, lineDiff, renderFinding, syntaxErrorCount } from './helpers/engine';

const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'rules');
const update = process.env.UPDATE_SNAPSHOTS === '1';
const EXPECT = /(?:#|\/\/)\s*expect:\s*((?:SL\d{3})(?:\s*,\s*SL\d{3})*)/;
const FIXTURE = /\.(py|ts|tsx|js|mjs|cjs)$/;
const grammarOf = (file: string) => (/\.tsx$/.test(file) ? 'tsx' : /\.ts$/.test(file) ? 'typescript' : /\.[cm]?js$/.test(file) ? 'javascript' : 'python');

for (const file of readdirSync(dir).filter((f) => FIXTURE.test(f)).sort()) {
  test(`fixture ${file}`, async () => {
    const engine = await getEngine();
    const text = readFileSync(join(dir, file), 'utf8');
    const result = engine.check(text, { path: file });
    assert.deepEqual(result.notes.filter((n) => n.kind === 'internal-error'), []);

    // Inline expectations.
    const lines = text.split('\n');
    const expected = new Map<number, string[]>();
    lines.forEach((l, i) => {
      const m = EXPECT.exec(l);
      if (m) expected.set(i, m[1].split(',').map((c) => c.trim()).sort());
    });
    const actual = new Map<number, string[]>();
    for (const f of result.findings) actual.set(f.range.start.line, [...(actual.get(f.range.start.line) ?? []), f.code].sort());
    const problems: string[] = [];
    for (const [line, codes] of expected) {
      const got = actual.get(line) ?? [];
      if (got.join(',') !== codes.join(',')) problems.push(`line ${line + 1}: expected ${codes.join(',')} got ${got.join(',') || 'nothing'}: ${lines[line].trim()}`);
    }
    for (const [line, codes] of actual) {
      if (!expected.has(line)) problems.push(`line ${line + 1}: unexpected ${codes.join(',')}: ${lines[line].trim()}`);
    }
    assert.deepEqual(problems, [], problems.join('\n'));

    // Fixes: each one alone parses and removes its finding.
    const errorsBefore = await syntaxErrorCount(text, grammarOf(file));
    const rendered: string[] = [];
    for (const f of result.findings) {
      rendered.push(renderFinding(f));
      for (const r of f.related) rendered.push(`    related ${r.range.start.line + 1}:${r.range.start.character + 1}: ${r.message}`);
      if (!f.fix) continue;
      const fixed = applyEdits(text, f.fix.edits);
      rendered.push(`    fix (${f.fix.applicability}): ${f.fix.message}`);
      rendered.push(lineDiff(text, fixed).replace(/^/gm, '    '));
      assert.ok((await syntaxErrorCount(fixed, grammarOf(file))) <= errorsBefore, `fix for ${renderFinding(f)} breaks the syntax:\n${fixed}`);
      const again = engine.check(fixed, { path: file }).findings;
      const stillThere = again.some((g) => g.code === f.code && g.range.start.line === f.range.start.line && g.range.start.character === f.range.start.character && g.message === f.message);
      assert.ok(!stillThere, `fix for ${renderFinding(f)} does not remove the finding`);
    }

    const snapPath = join(dir, file.replace(FIXTURE, '.snap'));
    const snapshot = rendered.join('\n') + '\n';
    if (update || (!existsSync(snapPath) && !process.env.CI)) writeFileSync(snapPath, snapshot);
    else assert.equal(snapshot, readFileSync(snapPath, 'utf8'), `snapshot ${snapPath} differs (UPDATE_SNAPSHOTS=1 to accept)`);
  });
}
