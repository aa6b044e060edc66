// Models defined in other files: `# expect:` markers in test/fixtures/project/**/*.py, checked with
// the project index (re-exports, `import *`, relative and absolute imports, a cycle, a missing module
// and a file with syntax errors among the imports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSystemProject } from '../src/node/project';
import { getEngine } from './helpers/engine';

const root = join(__dirname, '..', '..', 'test', 'fixtures', 'project');

for (const rel of ['pkg/train.py', 'scripts/train_abs.py']) {
  test(`project: ${rel}`, async () => {
    const engine = await getEngine();
    const file = join(root, rel);
    const text = readFileSync(file, 'utf8');
    const project = new FileSystemProject([root]);
    const r = engine.check(text, { path: file, project });
    assert.deepEqual(r.notes, []);
    const got = r.findings.map((f) => `${f.range.start.line + 1}:${f.code}`);
    const want = text.split('\n').flatMap((l, i) => (/# expect: (SL\d+)/.exec(l) ? [`${i + 1}:${/# expect: (SL\d+)/.exec(l)![1]}`] : []));
    assert.deepEqual(got, want);
    for (const f of r.findings) {
      // the producer is pointed at in its own file, and no fix edits this file with that file's offsets
      const ext = f.related.find((x) => x.path);
      assert.ok(ext, `${f.code} points at the other file`);
      assert.match(ext.path!, /pkg[\\/]models[\\/](net|heads)\.py$/);
      assert.equal(f.fix, null);
    }
    // Without the project index the flows are unknown: silence.
    assert.deepEqual(engine.check(text, { path: file }).findings, []);
  });
}

test('project: related information points at the softmax in the other file', async () => {
  const engine = await getEngine();
  const file = join(root, 'pkg/train.py');
  const r = engine.check(readFileSync(file, 'utf8'), { path: file, project: new FileSystemProject([root]) });
  const rel = r.findings[0].related.find((x) => x.path)!;
  const other = readFileSync(rel.path!, 'utf8');
  assert.equal(other.slice(rel.range.startOffset, rel.range.endOffset), 'F.softmax(self.fc(x), dim=1)');
  assert.equal(rel.range.start.line, 12);
});
