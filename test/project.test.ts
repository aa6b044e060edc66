// Models defined in other files: `# expect:` markers in test/fixtures/project/**/*.py, checked with
// the project index (re-exports, `import *`, relative and absolute imports, a cycle, a missing module
// and a file with syntax errors among the imports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemProject } from '../src/node/project';
import { getEngine } from './helpers/engine';

const root = join(__dirname, '..', '..', 'test', 'fixtures', 'project');

for (const [rel, listFolders] of [['pkg/train.py', false], ['scripts/train_abs.py', false], ['pkg/train.py', true], ['scripts/train_abs.py', true]] as const) {
  test(`project: ${rel}${listFolders ? ' (folders listed, as the CLI does)' : ''}`, async () => {
    const engine = await getEngine();
    const file = join(root, rel);
    const text = readFileSync(file, 'utf8');
    const project = new FileSystemProject([root], listFolders);
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

test('FileSystemProject resolves the same files with folders listed (the CLI) as with a stat per candidate: links, dangling links, folders named like modules, missing modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-project-'));
  try {
    mkdirSync(join(dir, 'pkg', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'pkg', '__init__.py'), 'from .real import f\n');
    writeFileSync(join(dir, 'pkg', 'real.py'), 'def f(x):\n    return x\n');
    writeFileSync(join(dir, 'pkg', 'sub', '__init__.py'), '');
    writeFileSync(join(dir, 'elsewhere.py'), 'g = 1\n');
    symlinkSync(join(dir, 'elsewhere.py'), join(dir, 'pkg', 'linked.py'));
    symlinkSync(join(dir, 'nowhere.py'), join(dir, 'pkg', 'dangling.py'));
    mkdirSync(join(dir, 'pkg', 'folder.py')); // a folder named like a module: not a module
    symlinkSync(join(dir, 'pkg', 'sub'), join(dir, 'pkg', 'linkedpkg'));
    const from = join(dir, 'pkg', 'train.py');
    const cases: [string, number][] = [['real', 1], ['linked', 1], ['dangling', 1], ['folder', 1], ['sub', 1], ['linkedpkg', 1], ['missing', 1], ['', 1], ['pkg', 0], ['pkg.real', 0], ['pkg.sub', 0], ['elsewhere', 0], ['nothing.here', 0]];
    const resolved = (listFolders: boolean) => {
      const p = new FileSystemProject([dir], listFolders);
      return cases.map(([m, level]) => p.resolve(from, m, level)?.path ?? null);
    };
    const stat = resolved(false);
    assert.deepEqual(resolved(true), stat);
    // and what they resolve to is right
    assert.deepEqual(stat, [join(dir, 'pkg', 'real.py'), join(dir, 'pkg', 'linked.py'), null, null, join(dir, 'pkg', 'sub', '__init__.py'), join(dir, 'pkg', 'linkedpkg', '__init__.py'), null, join(dir, 'pkg', '__init__.py'), join(dir, 'pkg', '__init__.py'), join(dir, 'pkg', 'real.py'), join(dir, 'pkg', 'sub', '__init__.py'), join(dir, 'elsewhere.py'), null]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('project: a file the run checks later is checked when first imported, analysed once, with the results of a check at its own turn', async () => {
  const engine = await getEngine();
  const { defaultSettings } = await import('../src/core/types');
  const dir = mkdtempSync(join(tmpdir(), 'sl-planned-'));
  try {
    const files: Record<string, string> = {
      'pkg/__init__.py': '',
      'pkg/helpers.py': 'EPS = 1e-7\n',
      'pkg/probs.py': [
        'import torch',
        'import torch.nn.functional as F',
        'from . import helpers',
        '',
        'def probs(x):',
        '    return F.softmax(x, dim=1)',
        '',
        'def own_loss(x, y):',
        '    return F.cross_entropy(F.softmax(x, dim=1), y)',
        '',
      ].join('\n'),
      'pkg/cyc.py': ['import torch', 'from .train import loss', 'p = torch.softmax(z, 1)', 'l = torch.log(p)', ''].join('\n'),
      'pkg/train.py': ['import torch.nn.functional as F', 'from .probs import probs', 'from . import cyc', 'loss = F.cross_entropy(probs(logits), target)', ''].join('\n'),
    };
    mkdirSync(join(dir, 'pkg'));
    for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);
    const order = ['pkg/train.py', 'pkg/probs.py', 'pkg/cyc.py', 'pkg/helpers.py', 'pkg/__init__.py'].map((r) => join(dir, r));
    const summary = (r: { findings: { code: string; range: { start: { line: number } }; related: { path?: string }[] }[]; notes: unknown[] }) => ({
      findings: r.findings.map((f) => `${f.range.start.line + 1}:${f.code}:${f.related.map((x) => (x.path ? 'other file' : 'here')).join(',')}`),
      notes: r.notes,
    });
    // each file on its own, with a fresh project index that plans nothing: the reference
    const reference = order.map((p) => summary(engine.check(files[p.slice(dir.length + 1)]!, { path: p, project: new FileSystemProject([dir], true) })));
    assert.deepEqual(reference[0]!.findings, ['4:SL001:other file']);
    assert.deepEqual(reference[1]!.findings, ['9:SL001:']);
    assert.deepEqual(reference[2]!.findings, ['4:SL003:here']);

    // The run plans every file; resolutions are counted per check.
    let resolves = 0;
    class Counting extends FileSystemProject {
      override resolve(from: string, module: string, level: number) {
        resolves++;
        return super.resolve(from, module, level);
      }
    }
    const planned = new Map(order.map((p) => [p, defaultSettings]));
    const project = new Counting([dir], true, planned);
    const perFile: number[] = [];
    const got = order.map((p) => {
      resolves = 0;
      const r = summary(engine.check(files[p.slice(dir.length + 1)]!, { path: p, project, settings: defaultSettings }));
      perFile.push(resolves);
      return r;
    });
    assert.deepEqual(got, reference);
    // probs.py and cyc.py were checked while train.py was: at their turn nothing is resolved again
    assert.ok(perFile[0]! > 0);
    assert.deepEqual(perFile.slice(1, 3), [0, 0]);

    // A result kept for a text is not given for another text, nor for other settings.
    const project2 = new FileSystemProject([dir], true, planned);
    engine.check(files['pkg/train.py']!, { path: order[0]!, project: project2, settings: defaultSettings });
    const edited = files['pkg/probs.py']!.replace('F.cross_entropy(F.softmax(x, dim=1), y)', 'F.cross_entropy(x, y)');
    assert.deepEqual(engine.check(edited, { path: order[1]!, project: project2, settings: defaultSettings }).findings, []);
    const project3 = new FileSystemProject([dir], true, planned);
    engine.check(files['pkg/train.py']!, { path: order[0]!, project: project3, settings: defaultSettings });
    const only = { ...defaultSettings, select: ['SL003'] };
    assert.deepEqual(engine.check(files['pkg/probs.py']!, { path: order[1]!, project: project3, settings: only }).findings, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
