import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigFileError, ConfigResolver } from '../src/node/config';
import { discoverFiles } from '../src/node/discover';
import { compilePattern, isIgnored, parseGitignore, ruleMatches } from '../src/node/gitignore';
import { readSource } from '../src/node/read';
import { writeFileAtomic } from '../src/node/write';

function tree(files: Record<string, string | Buffer>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'sl-files-')));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

function ignored(gitignore: string, path: string, isDir = false): boolean {
  return isIgnored([{ base: '/r', rules: parseGitignore(gitignore) }], `/r/${path}`, isDir);
}

test('gitignore patterns: anchoring, globs, **, dir-only, negation, escapes', () => {
  const table: [string, string, boolean, boolean][] = [
    // pattern, path, isDir, ignored
    ['*.pyc', 'a.pyc', false, true],
    ['*.pyc', 'deep/er/a.pyc', false, true],
    ['*.pyc', 'a.py', false, false],
    ['gen.py', 'x/gen.py', false, true],
    ['/gen.py', 'gen.py', false, true],
    ['/gen.py', 'x/gen.py', false, false],
    ['x/gen.py', 'x/gen.py', false, true],
    ['x/gen.py', 'y/x/gen.py', false, false],
    ['build/', 'build', true, true],
    ['build/', 'build', false, false],
    ['build/', 'src/build', true, true],
    ['doc/*.py', 'doc/a.py', false, true],
    ['doc/*.py', 'doc/sub/a.py', false, false],
    ['**/cache', 'a/b/cache', true, true],
    ['**/cache', 'cache', true, true],
    ['a/**/b.py', 'a/b.py', false, true],
    ['a/**/b.py', 'a/x/y/b.py', false, true],
    ['a/**', 'a/x.py', false, true],
    ['a/**', 'a', true, false],
    ['data?.py', 'data1.py', false, true],
    ['data?.py', 'data10.py', false, false],
    ['[abc].py', 'b.py', false, true],
    ['[!abc].py', 'b.py', false, false],
    ['[!abc].py', 'd.py', false, true],
    ['[a-c]x.py', 'bx.py', false, true],
    ['\\#hash.py', '#hash.py', false, true],
    ['# comment', '# comment', false, false],
    ['\\!bang.py', '!bang.py', false, true],
    ['trailing.py   ', 'trailing.py', false, true],
    ['space\\ ', 'space ', false, true],
    ['*.py\n!keep.py', 'keep.py', false, false],
    ['*.py\n!keep.py', 'other.py', false, true],
    ['!keep.py\n*.py', 'keep.py', false, true],
    ['foo**bar.py', 'fooXbar.py', false, true],
    ['foo**bar.py', 'foo/bar.py', false, false],
    ['a.py\r\n', 'a.py', false, true],
  ];
  const got = table.map(([p, path, isDir]) => [p, path, isDir, ignored(p, path, isDir)]);
  assert.deepEqual(got, table);
});

test('exclude globs: names match anywhere, paths with / are anchored', () => {
  const name = compilePattern('legacy_*.py', false)!;
  assert.equal(name.basename, true);
  assert.equal(ruleMatches(name, 'x/legacy_old.py', false), true);
  const anchored = compilePattern('./src/gen/', false)!;
  assert.equal(anchored.basename, false);
  assert.equal(ruleMatches(anchored, 'src/gen', true), true);
  assert.equal(ruleMatches(anchored, 'x/src/gen', true), false);
  assert.equal(compilePattern('!x', false)!.negate, false);
});

function discover(root: string, paths: string[] = ['.'], extra: { exclude?: string[]; extendExclude?: string[]; gitignore?: boolean } = {}) {
  const r = discoverFiles(paths, { cwd: root, extensions: ['.py'], configs: new ConfigResolver(root), ...extra });
  return { files: r.files.map((f) => f.display), errors: r.errors };
}

test('discovery: .py files, default excludes, nested .gitignore with negation', () => {
  const root = tree({
    'a.py': '',
    'notes.txt': '',
    'pkg/b.py': '',
    'pkg/gen_x.py': '',
    'pkg/keep_gen.py': '',
    'pkg/.gitignore': 'gen_*.py\n',
    '.gitignore': '*.log\nignored_dir/\n/top_only.py\n',
    'top_only.py': '',
    'sub/top_only.py': '',
    'ignored_dir/c.py': '',
    '.venv/lib/d.py': '',
    'node_modules/e.py': '',
    'build/f.py': '',
    'deep/x/site-packages/g.py': '',
    'deep/x/h.py': '',
    'neg/.gitignore': '*.py\n!wanted.py\n',
    'neg/wanted.py': '',
    'neg/unwanted.py': '',
  });
  try {
    assert.deepEqual(discover(root), {
      files: ['a.py', 'deep/x/h.py', 'neg/wanted.py', 'pkg/b.py', 'pkg/keep_gen.py', 'sub/top_only.py'],
      errors: [],
    });
    // Named explicitly (a file, or a folder to walk): checked even though ignored or excluded.
    assert.deepEqual(discover(root, ['ignored_dir/c.py', 'build']).files, ['build/f.py', 'ignored_dir/c.py']);
    assert.deepEqual(discover(root, ['build/f.py']).files, ['build/f.py']);
    // --no-respect-gitignore
    assert.ok(discover(root, ['.'], { gitignore: false }).files.includes('pkg/gen_x.py'));
    // --exclude replaces the defaults; --extend-exclude adds.
    const replaced = discover(root, ['.'], { exclude: ['pkg'] }).files;
    assert.ok(replaced.includes('build/f.py') && !replaced.includes('pkg/b.py'), replaced.join());
    const extended = discover(root, ['.'], { extendExclude: ['deep/x/*.py', 'a.py'] }).files;
    assert.deepEqual(extended, ['neg/wanted.py', 'pkg/b.py', 'pkg/keep_gen.py', 'sub/top_only.py']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('discovery: .gitignore above the checked folder applies up to the repository root', () => {
  const root = tree({ '.git/HEAD': '', '.gitignore': 'src/generated/\n', 'src/generated/a.py': '', 'src/b.py': '', '.git/info/exclude': 'secret.py\n', 'src/secret.py': '' });
  try {
    const r = discoverFiles(['src'], { cwd: root, extensions: ['.py'], configs: new ConfigResolver(root) });
    assert.deepEqual(r.files.map((f) => f.display), ['src/b.py']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('discovery: missing paths are errors; symlinked folders are not followed; links out of the tree or to listed files are skipped', () => {
  const root = tree({ 'in/a.py': '', 'outside/b.py': '' });
  try {
    symlinkSync(join(root, 'outside'), join(root, 'in', 'linkdir'));
    symlinkSync(join(root, 'outside', 'b.py'), join(root, 'in', 'out.py'));
    symlinkSync(join(root, 'in', 'a.py'), join(root, 'in', 'alias.py'));
    const r = discoverFiles(['in', 'nope.py'], { cwd: root, extensions: ['.py'], configs: new ConfigResolver(root) });
    // alias.py points at a.py: one entry per real file, the file itself rather than the link.
    assert.deepEqual(r.files.map((f) => f.display), ['in/a.py']);
    symlinkSync(join(root, 'in', 'a.py'), join(root, 'in', 'b-alias.py'));
    rmSync(join(root, 'in', 'a.py'));
    symlinkSync(join(root, 'in', 'sub-target.py'), join(root, 'in', 'dangling.py'));
    writeFileSync(join(root, 'in', 'c.py'), '');
    symlinkSync(join(root, 'in', 'c.py'), join(root, 'in', 'c-link.py'));
    const again = discoverFiles(['in'], { cwd: root, extensions: ['.py'], configs: new ConfigResolver(root) });
    assert.deepEqual(again.files.map((f) => f.display), ['in/c.py'], 'broken links skipped, a link to a listed file dropped');
    assert.deepEqual(r.errors, [{ path: 'nope.py', reason: 'no such file or directory' }]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('config discovery: nearest pyproject.toml with [tool.stable-loss], per folder; others are skipped', () => {
  const root = tree({
    'pyproject.toml': '[tool.stable-loss]\nignore = ["SL003"]\nextend-exclude = ["skipme"]\n',
    'a/pyproject.toml': '[project]\nname = "no section here"\n',
    'a/b/pyproject.toml': '[tool.stable-loss]\nselect = ["SL001"]\n',
    'broken/pyproject.toml': 'this is [not toml\n',
    'a/x.py': '',
    'a/b/y.py': '',
    'skipme/z.py': '',
    'broken/w.py': '',
  });
  try {
    const configs = new ConfigResolver(root);
    assert.equal(configs.forDir(join(root, 'a')).path, join(root, 'pyproject.toml'));
    assert.equal(configs.forDir(join(root, 'a', 'b')).path, join(root, 'a', 'b', 'pyproject.toml'));
    assert.deepEqual(configs.forDir(join(root, 'a', 'b')).config?.select, ['SL001']);
    assert.equal(configs.forDir(join(root, 'broken')).path, join(root, 'pyproject.toml'), 'a broken file that does not mention us is not ours');
    const r = discoverFiles(['.'], { cwd: root, extensions: ['.py'], configs });
    assert.deepEqual(r.files.map((f) => f.display), ['a/b/y.py', 'a/x.py', 'broken/w.py']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('config discovery: a TOML error in our table is a ConfigFileError naming file and line', () => {
  const root = tree({ 'pyproject.toml': '[tool.stable-loss]\nselect = ["SL001"\n', 'a.py': '' });
  try {
    assert.throws(
      () => new ConfigResolver(root).forDir(root),
      (e: unknown) => e instanceof ConfigFileError && e.message.startsWith(`${join(root, 'pyproject.toml')}:3:`) && /invalid TOML/.test(e.message),
    );
    assert.throws(() => new ConfigResolver(root, 'missing.toml'), /missing\.toml: cannot read the config file: no such file or directory/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('readSource: BOM stripped and remembered; binary, invalid UTF-8 and huge files are skipped with a reason', () => {
  const root = tree({
    'bom.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\r\n')]),
    'bin.py': Buffer.from([0x78, 0x00, 0x79]),
    'latin1.py': Buffer.from([0x61, 0x3d, 0xe9, 0x0a]),
    'big.py': 'x = 1\n'.repeat(100),
    'ok.py': 'é = "😀"\n',
  });
  try {
    assert.deepEqual(pick(readSource(join(root, 'bom.py'))), { ok: true, text: 'x = 1\r\n', bom: true });
    assert.deepEqual(pick(readSource(join(root, 'ok.py'))), { ok: true, text: 'é = "😀"\n', bom: false });
    assert.deepEqual(readSource(join(root, 'bin.py')), { ok: false, kind: 'skipped', reason: 'binary file (NUL byte at offset 1)' });
    assert.deepEqual(readSource(join(root, 'latin1.py')), { ok: false, kind: 'skipped', reason: 'not valid UTF-8 (first bad byte at offset 2)' });
    assert.deepEqual(readSource(join(root, 'big.py'), 100), { ok: false, kind: 'skipped', reason: 'larger than 100 bytes (600 bytes)' });
    assert.deepEqual(readSource(join(root, 'none.py')), { ok: false, kind: 'error', reason: 'no such file or directory' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

function pick(r: ReturnType<typeof readSource>) {
  return r.ok ? { ok: r.ok, text: r.text, bom: r.bom } : r;
}

test('atomic write: keeps mode, BOM and CRLF; leaves no temporary file', () => {
  const root = tree({ 'a.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\r\n')]) });
  const path = join(root, 'a.py');
  try {
    chmodSync(path, 0o751);
    const src = readSource(path);
    assert.ok(src.ok);
    const r = writeFileAtomic(path, src.text.replace('1', '2'), { bom: src.bom, roots: [root], expect: { size: src.size, mtimeMs: src.mtimeMs } });
    assert.deepEqual(r, { ok: true, path });
    assert.deepEqual([...readFileSync(path)], [...Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 2\r\n')])]);
    assert.equal(statSync(path).mode & 0o777, 0o751);
    assert.deepEqual(readdirSync(root), ['a.py']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('atomic write: a symlink out of the tree is refused; one inside writes its target and stays a link', () => {
  const root = tree({ 'tree/in.py': 'x = 1\n', 'outside/o.py': 'y = 1\n' });
  const treeDir = join(root, 'tree');
  try {
    symlinkSync(join(root, 'outside', 'o.py'), join(treeDir, 'out.py'));
    symlinkSync(join(treeDir, 'in.py'), join(treeDir, 'alias.py'));
    const refused = writeFileAtomic(join(treeDir, 'out.py'), 'y = 2\n', { bom: false, roots: [treeDir] });
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /outside the checked tree; not written/);
    assert.equal(readFileSync(join(root, 'outside', 'o.py'), 'utf8'), 'y = 1\n');
    const ok = writeFileAtomic(join(treeDir, 'alias.py'), 'x = 2\n', { bom: false, roots: [treeDir] });
    assert.deepEqual(ok, { ok: true, path: join(treeDir, 'in.py') });
    assert.equal(readFileSync(join(treeDir, 'in.py'), 'utf8'), 'x = 2\n');
    assert.ok(statSync(join(treeDir, 'alias.py')).isFile());
    assert.equal(realpathSync(join(treeDir, 'alias.py')), join(treeDir, 'in.py'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('atomic write: a failure before the rename leaves the original and no temporary file', () => {
  const root = tree({ 'a.py': 'x = 1\n' });
  const path = join(root, 'a.py');
  try {
    let tmpSeen = '';
    const r = writeFileAtomic(path, 'x = 2\n', {
      bom: false,
      beforeRename: (tmp) => {
        tmpSeen = tmp;
        assert.equal(readFileSync(tmp, 'utf8'), 'x = 2\n');
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /ENOSPC: disk full; the file was left unchanged/);
    assert.equal(dirname(tmpSeen), root);
    assert.equal(readFileSync(path, 'utf8'), 'x = 1\n');
    assert.deepEqual(readdirSync(root), ['a.py']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('atomic write: a file changed since it was read is not overwritten', () => {
  const root = tree({ 'a.py': 'x = 1\n' });
  const path = join(root, 'a.py');
  try {
    const src = readSource(path);
    assert.ok(src.ok);
    writeFileSync(path, 'x = 100\n');
    const r = writeFileAtomic(path, 'x = 2\n', { bom: false, expect: { size: src.size, mtimeMs: src.mtimeMs } });
    assert.deepEqual(r, { ok: false, reason: 'changed on disk while it was being fixed; not written' });
    assert.equal(readFileSync(path, 'utf8'), 'x = 100\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
