// End-to-end: spawns the built CLI (dist/cli.js; `npm test` builds it first) on temporary projects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { matchSnapshot, repoRoot } from './fixtures/cli/snapshot';

const BUILT = join(repoRoot, 'dist', 'cli.js');
// A private copy of the bundle and its wasm, so a rebuild of dist/ by someone else in the same
// checkout cannot change the program under test halfway through.
let CLI = BUILT;
let copyDir = '';
before(() => {
  assert.ok(existsSync(BUILT), `${BUILT} is missing: run \`npm run build\` first (npm test does)`);
  copyDir = mkdtempSync(join(tmpdir(), 'sl-cli-bin-'));
  cpSync(BUILT, join(copyDir, 'cli.js'));
  cpSync(join(repoRoot, 'dist', 'wasm'), join(copyDir, 'wasm'), { recursive: true });
  CLI = join(copyDir, 'cli.js');
});
after(() => {
  if (copyDir) rmSync(copyDir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, ...args: string[]): Run {
  return runWithInput(cwd, '', ...args);
}

function runWithInput(cwd: string, input: string | Buffer, ...args: string[]): Run {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env, timeout: 60_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(files: Record<string, string | Buffer>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'sl-cli-')));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

function withProject(files: Record<string, string | Buffer>, body: (root: string) => void): void {
  const root = project(files);
  try {
    body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const LOG_SOFTMAX = 'import torch\n\np = torch.log(torch.softmax(logits, dim=1))\n';
const SOFTMAX_INTO_CE = [
  'import torch',
  'import torch.nn.functional as F',
  '',
  'def step(model, x, y):',
  '    logits = model(x)',
  '    probs = torch.softmax(logits, dim=1)',
  '    loss = F.cross_entropy(probs, y)',
  '    return loss',
  '',
].join('\n');
const CLEAN = 'import torch\n\np = torch.log_softmax(logits, dim=1)\n';

test('exit 0 and "All checks passed!" when nothing is found', () => {
  withProject({ 'clean.py': CLEAN, 'empty.py': '' }, (root) => {
    const r = run(root, 'check');
    assert.deepEqual(r, { code: 0, stdout: 'All checks passed!\n', stderr: '' });
  });
  withProject({ 'notes.txt': 'nothing to check' }, (root) => {
    const r = run(root, 'check');
    assert.deepEqual(r, { code: 0, stdout: 'All checks passed!\n', stderr: 'warning: no Python, notebook or TypeScript/JavaScript files found under the given paths\n' });
  });
});

test('exit 1 with findings; the default output is the full text format', () => {
  withProject({ 'train.py': SOFTMAX_INTO_CE, 'metrics.py': LOG_SOFTMAX, 'clean.py': CLEAN }, (root) => {
    const r = run(root, 'check');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    matchSnapshot('e2e.full.txt', r.stdout);
    assert.match(r.stdout, /^metrics\.py:3:5: SL003 \[\*\] /m);
    assert.match(r.stdout, /^train\.py:7:28: SL001 \[\*\] /m);
    assert.match(r.stdout, /^Found 2 errors \(2 fixable with --fix\)\.$/m);
  });
});

test('json, sarif and github output for real findings', () => {
  withProject({ 'train.py': SOFTMAX_INTO_CE, 'metrics.py': LOG_SOFTMAX }, (root) => {
    const json = run(root, 'check', '--output-format', 'json');
    assert.equal(json.code, 1);
    matchSnapshot('e2e.json', json.stdout.split(root).join('<root>'));
    const items = JSON.parse(json.stdout);
    assert.deepEqual(items.map((i: { filename: string; code: string }) => [i.filename, i.code]), [
      [join(root, 'metrics.py'), 'SL003'],
      [join(root, 'train.py'), 'SL001'],
    ]);
    const sarif = run(root, 'check', '--output-format', 'sarif');
    assert.equal(sarif.code, 1);
    matchSnapshot('e2e.sarif-results.json', `${JSON.stringify(JSON.parse(sarif.stdout).runs[0].results, null, 2)}\n`);
    const github = run(root, 'check', '--output-format=github');
    assert.equal(github.code, 1);
    matchSnapshot('e2e.github', github.stdout);
    assert.match(github.stdout, /^::error file=train\.py,line=7,col=28,endLine=7,endColumn=33,title=SL001 \(probabilities-into-logits-loss\)::/m);
    const concise = run(root, 'check', '--output-format', 'concise', '-q');
    assert.equal(concise.stdout.split('\n').filter(Boolean).length, 2);
    assert.doesNotMatch(concise.stdout, /Found/);
  });
});

test('json and sarif print a document even when nothing is found', () => {
  withProject({ 'clean.py': CLEAN }, (root) => {
    assert.deepEqual(run(root, 'check', '--output-format', 'json'), { code: 0, stdout: '[]\n', stderr: '' });
    const sarif = run(root, 'check', '--output-format', 'sarif');
    assert.equal(sarif.code, 0);
    assert.deepEqual(JSON.parse(sarif.stdout).runs[0].results, []);
    assert.deepEqual(run(root, 'check', '--output-format', 'github'), { code: 0, stdout: '', stderr: '' });
  });
});

test('exit 2 with one clear line for usage mistakes', () => {
  withProject({ 'a.py': CLEAN }, (root) => {
    const table: [string[], RegExp][] = [
      [['check', '--bogus'], /^error: Unknown option '--bogus'\n/],
      [['check', '--output-format', 'xml'], /^error: invalid value "xml" for --output-format \(expected one of: full, concise, json, sarif, github\)\n/],
      [['check', '--select', 'SL999'], /^error: invalid value "SL999" for --select: not a rule code/],
      [['check', '--color', '--no-color'], /^error: --color and --no-color cannot be used together\n/],
      [['frobnicate'], /^error: unknown command "frobnicate"; commands: check, rules(, [a-z-]+)*\n$/],
      [['--fix'], /^error: unknown command "--fix" \(options go after the command/],
    ];
    for (const [args, stderr] of table) {
      const r = run(root, ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, stderr, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
    const none = run(root);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /^Usage: stable-loss <COMMAND>/m);
  });
});

test('--version and --help', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.deepEqual(run(repoRoot, '--version'), { code: 0, stdout: `stable-loss ${pkg.version}\n`, stderr: '' });
  const help = run(repoRoot, 'check', '--help');
  assert.equal(help.code, 0);
  for (const flag of ['--select', '--extend-select', '--ignore', '--config', '--exclude', '--extend-exclude', '--output-format', '--fix', '--unsafe-fixes', '--diff', '--fix-only', '--no-color', '--exit-zero']) {
    assert.ok(help.stdout.includes(flag), `help mentions ${flag}`);
  }
});

test('a missing path is an error (exit 2) but the other paths are still checked', () => {
  withProject({ 'a.py': LOG_SOFTMAX }, (root) => {
    const r = run(root, 'check', 'a.py', 'missing.py', '--output-format', 'concise');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: missing.py: no such file or directory\n');
    assert.match(r.stdout, /^a\.py:3:5: SL003/m);
  });
});

test('binary, invalid UTF-8, huge and BOM files: binary, invalid and huge ones skipped with one stderr line each, the run goes on', () => {
  withProject(
    {
      'bin.py': Buffer.from([0x69, 0x6d, 0x00, 0x01, 0x02]),
      'latin1.py': Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      'bom.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LOG_SOFTMAX)]),
      'good.py': LOG_SOFTMAX,
      'huge.py': 'x = 1\n'.repeat(1_900_000),
    },
    (root) => {
      const r = run(root, 'check', '--output-format', 'concise');
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        'warning: bin.py: skipped: binary file (NUL byte at offset 2)\nwarning: huge.py: skipped: larger than 10 MB (10.9 MB)\nwarning: latin1.py: skipped: not valid UTF-8 (first bad byte at offset 5)\n',
      );
      // The BOM is not a character: columns are the same as without it.
      assert.match(r.stdout, /^bom\.py:3:5: SL003/m);
      assert.match(r.stdout, /^good\.py:3:5: SL003/m);
    },
  );
});

test('.gitignore and the default excludes are respected; named files are checked anyway', () => {
  withProject(
    {
      '.gitignore': 'generated/\n',
      'generated/g.py': LOG_SOFTMAX,
      '.venv/lib/v.py': LOG_SOFTMAX,
      'src/s.py': LOG_SOFTMAX,
    },
    (root) => {
      const r = run(root, 'check', '--output-format', 'concise', '-q');
      assert.equal(r.stdout.trim().split('\n').map((l) => l.split(':')[0]).join(' '), 'src/s.py');
      const named = run(root, 'check', 'generated/g.py', '--output-format', 'concise');
      assert.match(named.stdout, /^generated\/g\.py:3:5: SL003/m);
      const all = run(root, 'check', '--no-respect-gitignore', '--output-format', 'concise');
      assert.match(all.stdout, /^generated\/g\.py/m);
      assert.doesNotMatch(all.stdout, /\.venv/);
    },
  );
});

test('# noqa suppresses end to end; a malformed one is a warning', () => {
  const text = 'import torch\n\np = torch.log(torch.softmax(x, dim=1))  # noqa: SL003\nq = torch.log(torch.softmax(x, dim=1))  # noqa:\n';
  withProject({ 'a.py': text }, (root) => {
    const r = run(root, 'check', '--output-format', 'concise', '-q');
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(':').slice(0, 2).join(':')), ['a.py:4']);
    assert.match(r.stderr, /^warning: a\.py:4: invalid `# noqa` directive: expected a comma-separated list of codes/m);
  });
});

test('configuration: [tool.stable-loss] select/ignore/severity, --select overrides, --config', () => {
  withProject(
    {
      'pyproject.toml': '[tool.stable-loss]\nignore = ["SL003"]\n\n[tool.stable-loss.severity]\nSL001 = "warning"\n',
      'train.py': SOFTMAX_INTO_CE,
      'metrics.py': LOG_SOFTMAX,
      'other.toml': '[tool.stable-loss]\nselect = ["SL003"]\n',
    },
    (root) => {
      const r = run(root, 'check', '--output-format', 'github');
      assert.equal(r.code, 1);
      assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.slice(0, l.indexOf(' file='))), ['::warning']);
      assert.match(r.stdout, /title=SL001/);
      // The command line adds to the config layer: --extend-select brings SL003 back.
      const both = run(root, 'check', '--extend-select', 'SL003', '--output-format', 'concise', '-q');
      assert.deepEqual(both.stdout.trim().split('\n').map((l) => l.split(' ')[1]), ['SL003', 'SL001']);
      // --select replaces the whole selection below it, the config's ignore included (as in Ruff).
      const selected = run(root, 'check', '--select', 'SL003', '--output-format', 'concise', '-q');
      assert.equal(selected.code, 1);
      assert.deepEqual(selected.stdout.trim().split('\n').map((l) => l.split(' ')[1]), ['SL003']);
      assert.equal(run(root, 'check', '--select', 'SL001', '--ignore', 'probabilities-into-logits-loss').code, 0);
      const explicit = run(root, 'check', '--config', 'other.toml', '--output-format', 'concise', '-q');
      assert.deepEqual(explicit.stdout.trim().split('\n').map((l) => l.split(' ')[1]), ['SL003']);
    },
  );
});

test('configuration errors: bad TOML is exit 2 naming the file and line; bad values are warnings', () => {
  withProject({ 'pyproject.toml': '[tool.stable-loss]\nselect = ["SL001"\n', 'a.py': LOG_SOFTMAX }, (root) => {
    const r = run(root, 'check');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: pyproject\.toml:3:\d+: invalid TOML: [^\n]+\n$/);
  });
  withProject({ 'pyproject.toml': '[tool.stable-loss]\nselec = ["SL001"]\n', 'a.py': LOG_SOFTMAX }, (root) => {
    const r = run(root, 'check', '--output-format', 'concise');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `warning: pyproject.toml: unknown key \`tool.stable-loss.selec\` (did you mean "select"?); it was ignored\n`);
  });
  withProject({ 'a.py': CLEAN }, (root) => {
    const r = run(root, 'check', '--config', 'nope.toml');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: nope.toml: cannot read the config file: no such file or directory\n');
  });
});

test('--fix rewrites files keeping CRLF, BOM and mode; what remains decides the exit code', () => {
  const crlf = LOG_SOFTMAX.replace(/\n/g, '\r\n');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SOFTMAX_INTO_CE)]);
  withProject({ 'crlf.py': crlf, 'bom.py': bom }, (root) => {
    chmodSync(join(root, 'crlf.py'), 0o754);
    const r = run(root, 'check', '--fix');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'Found 2 errors (2 fixed, 0 remaining).\n');
    assert.equal(readFileSync(join(root, 'crlf.py'), 'utf8'), 'import torch\r\n\r\np = torch.log_softmax(logits, dim=1)\r\n');
    assert.equal(statSync(join(root, 'crlf.py')).mode & 0o777, 0o754);
    const fixed = readFileSync(join(root, 'bom.py'));
    assert.deepEqual([...fixed.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(fixed.toString('utf8'), /loss = F\.cross_entropy\(logits, y\)/);
    // Idempotent: a second run finds nothing.
    assert.deepEqual(run(root, 'check', '--fix'), { code: 0, stdout: 'All checks passed!\n', stderr: '' });
  });
});

test('--diff prints unified diffs, changes nothing, exits 1; --fix-only fixes quietly and exits 0', () => {
  withProject({ 'metrics.py': LOG_SOFTMAX, 'clean.py': CLEAN }, (root) => {
    const d = run(root, 'check', '--diff');
    assert.equal(d.code, 1);
    assert.equal(
      d.stdout,
      '--- metrics.py\n+++ metrics.py\n@@ -1,3 +1,3 @@\n import torch\n \n-p = torch.log(torch.softmax(logits, dim=1))\n+p = torch.log_softmax(logits, dim=1)\n',
    );
    assert.equal(d.stderr, 'Would fix 1 error.\n');
    assert.equal(readFileSync(join(root, 'metrics.py'), 'utf8'), LOG_SOFTMAX);
    const f = run(root, 'check', '--fix-only');
    assert.deepEqual(f, { code: 0, stdout: '', stderr: 'Fixed 1 error.\n' });
    assert.equal(readFileSync(join(root, 'metrics.py'), 'utf8'), CLEAN);
    assert.deepEqual(run(root, 'check', '--diff'), { code: 0, stdout: '', stderr: 'No fixes available.\n' });
  });
});

test('--fix refuses to write through a symlink that leaves the tree (exit 2, target untouched)', () => {
  withProject({ 'tree/in.py': CLEAN, 'outside/o.py': LOG_SOFTMAX }, (root) => {
    symlinkSync(join(root, 'outside', 'o.py'), join(root, 'tree', 'link.py'));
    const r = run(join(root, 'tree'), 'check', '--fix', 'link.py');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: link\.py: could not write the fixes: it resolves to .*outside[/\\]o\.py, outside the checked tree; not written\n$/);
    assert.equal(readFileSync(join(root, 'outside', 'o.py'), 'utf8'), LOG_SOFTMAX);
    assert.match(r.stdout, /^link\.py:3:5: SL003/m, 'the finding is still reported');
  });
});

test('--exit-zero and --unsafe-fixes flags are accepted', () => {
  withProject({ 'metrics.py': LOG_SOFTMAX }, (root) => {
    assert.equal(run(root, 'check', '--exit-zero').code, 0);
    assert.equal(run(root, 'check', '--unsafe-fixes', '--diff').code, 1);
  });
});

test('--add-noqa suppresses every current finding, merging codes per line; then the check is clean', () => {
  const text = 'import torch\n\np = torch.log(torch.softmax(logits, dim=1))  # note\nq = torch.log(torch.softmax(logits, dim=1))  # noqa: E501\n';
  withProject({ 'a.py': text, 'clean.py': CLEAN }, (root) => {
    const r = run(root, 'check', '--add-noqa');
    assert.deepEqual(r, { code: 0, stdout: '', stderr: 'Added 2 noqa directives.\n' });
    assert.equal(
      readFileSync(join(root, 'a.py'), 'utf8'),
      'import torch\n\np = torch.log(torch.softmax(logits, dim=1))  # note  # noqa: SL003\nq = torch.log(torch.softmax(logits, dim=1))  # noqa: E501, SL003\n',
    );
    assert.equal(readFileSync(join(root, 'clean.py'), 'utf8'), CLEAN);
    assert.deepEqual(run(root, 'check'), { code: 0, stdout: 'All checks passed!\n', stderr: '' });
    assert.equal(run(root, 'check', '--add-noqa', '--fix').code, 2);
  });
});

const TFJS = [
  "import * as tf from '@tensorflow/tfjs';",
  '',
  'export function f(x: tf.Tensor) {',
  '  return tf.log(tf.softmax(x));',
  '}',
  'export function g(x: tf.Tensor) {',
  '  return tf.log(tf.softmax(x)); // noqa: SL003',
  '}',
  '',
].join('\n');

test('TypeScript/JavaScript (TensorFlow.js) files are found, checked, fixed; `// noqa` works', () => {
  withProject({ 'src/model.ts': TFJS, 'src/plain.js': 'console.log(Math.log(2));\n', 'node_modules/tfjs/x.js': TFJS }, (root) => {
    const r = run(root, 'check', '--output-format', 'concise', '-q');
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' ')), ['src/model.ts:4:10: SL003']);
    const fix = run(root, 'check', '--fix');
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    assert.match(readFileSync(join(root, 'src/model.ts'), 'utf8'), /^ {2}return tf\.logSoftmax\(x\);$/m);
  });
});

test('TypeScript grammars are loaded only for runs that check TF.js files, on one thread and on worker threads; `check -` with a .ts name too', () => {
  const py = 'import torch\nimport torch.nn.functional as F\nloss = F.cross_entropy(F.softmax(x, dim=1), y)\n';
  const js = "import * as tf from '@tensorflow/tfjs';\n\nexport function f(x) {\n  return tf.log(tf.softmax(x));\n}\n";
  withProject({ 'a.py': py, 'src/model.ts': TFJS, 'b.js': js }, (root) => {
    for (const threads of ['1', '2']) {
      const r = run(root, 'check', '--output-format', 'concise', '-q', '--threads', threads);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, '');
      assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' ')), ['a.py:3:24: SL001', 'b.js:4:10: SL003', 'src/model.ts:4:10: SL003']);
    }
    // Python only (the grammars are not loaded): the same Python finding.
    const r = run(root, 'check', 'a.py', '--output-format', 'concise', '-q');
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' ')), ['a.py:3:24: SL001']);
    const stdin = runWithInput(root, TFJS, 'check', '-', '--stdin-filename', 'm.ts', '--output-format', 'concise', '-q');
    assert.deepEqual(stdin.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' ')), ['m.ts:4:10: SL003']);
  });
});

test('--add-noqa writes `// noqa` in TypeScript and leaves lines with comments to the user', () => {
  const text = [
    "import * as tf from '@tensorflow/tfjs';",
    'export const a = (x: tf.Tensor) => tf.log(tf.softmax(x));',
    'export const b = (x: tf.Tensor) => tf.log(tf.softmax(x)); // why',
    '',
  ].join('\n');
  withProject({ 'm.ts': text }, (root) => {
    const r = run(root, 'check', '--add-noqa');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'warning: m.ts: line 3: has a comment or a template literal; add `// noqa` there by hand\nAdded 1 noqa directive.\n');
    assert.equal(readFileSync(join(root, 'm.ts'), 'utf8'), text.replace('tf.softmax(x));\nexport const b', 'tf.softmax(x));  // noqa: SL003\nexport const b'));
    const again = run(root, 'check', '--output-format', 'concise', '-q');
    assert.deepEqual(again.stdout.trim().split('\n').map((l) => l.split(':').slice(0, 2).join(':')), ['m.ts:3']);
  });
});

test('a model defined in another module: the finding points at the other file', () => {
  withProject(
    {
      'pkg/__init__.py': '',
      'pkg/models.py': [
        'import torch.nn as nn',
        'import torch.nn.functional as F',
        '',
        'class Net(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.fc = nn.Linear(10, 3)',
        '',
        '    def forward(self, x):',
        '        return F.softmax(self.fc(x), dim=1)',
        '',
      ].join('\n'),
      'pkg/train.py': [
        'import torch.nn.functional as F',
        'from .models import Net',
        '',
        'model = Net()',
        'def step(x, y):',
        '    return F.cross_entropy(model(x), y)',
        '',
      ].join('\n'),
    },
    (root) => {
      const r = run(root, 'check', 'pkg/train.py');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^pkg\/train\.py:6:\d+: SL00\d/m);
      assert.match(r.stdout, /= note: .*\(pkg\/models\.py:10\)$/m);
      const sarif = JSON.parse(run(root, 'check', 'pkg/train.py', '--output-format', 'sarif').stdout);
      const related = sarif.runs[0].results[0].relatedLocations.find((l: { physicalLocation: { artifactLocation: { uri: string } } }) => l.physicalLocation.artifactLocation.uri === 'pkg/models.py');
      assert.ok(related, JSON.stringify(sarif.runs[0].results[0].relatedLocations));
      assert.equal(related.physicalLocation.region.startLine, 10);
    },
  );
});

const NOTEBOOK = `{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# p = torch.log(torch.softmax(x, dim=1)) in markdown is not code\\n"]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "%matplotlib inline\\n",
    "import torch\\n",
    "probs = torch.softmax(logits, dim=1)"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\\n"]}],
   "source": [
    "q = 1\\n",
    "p = torch.log(torch.softmax(logits, dim=1))"
   ]
  }
 ],
 "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
`;

test('notebooks: findings in cells (text and Ruff JSON), --fix rewrites only the cell source', () => {
  withProject({ 'analysis.ipynb': NOTEBOOK, 'r.ipynb': NOTEBOOK.replace('"python"', '"R"'), 'broken.ipynb': '{"cells": 3}' }, (root) => {
    const r = run(root, 'check', '--output-format', 'concise', '-q');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, 'warning: broken.ipynb: skipped: not a notebook we can read: the notebook has no "cells" array (nbformat 4 is supported)\n');
    assert.match(r.stdout, /^analysis\.ipynb:cell 3:2:5: SL003 \[\*\] /m);
    assert.equal(r.stdout.trim().split('\n').length, 1, 'markdown and the R notebook give nothing');
    const json = JSON.parse(run(root, 'check', 'analysis.ipynb', '--output-format', 'json').stdout);
    assert.deepEqual(
      json.map((i: { cell: number; location: unknown; noqa_row: number }) => [i.cell, i.location, i.noqa_row]),
      [[3, { column: 5, row: 2 }, 2]],
    );
    const fix = run(root, 'check', '--fix', 'analysis.ipynb');
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    assert.equal(readFileSync(join(root, 'analysis.ipynb'), 'utf8'), NOTEBOOK.replace('"p = torch.log(torch.softmax(logits, dim=1))"', '"p = torch.log_softmax(logits, dim=1)"'));
  });
});

test('notebooks: --add-noqa writes into the cell source and the check is then clean', () => {
  withProject({ 'a.ipynb': NOTEBOOK }, (root) => {
    assert.deepEqual(run(root, 'check', '--add-noqa'), { code: 0, stdout: '', stderr: 'Added 1 noqa directive.\n' });
    assert.match(readFileSync(join(root, 'a.ipynb'), 'utf8'), /"p = torch\.log\(torch\.softmax\(logits, dim=1\)\)  # noqa: SL003"/);
    assert.equal(run(root, 'check').code, 0);
  });
});

test('check - reads standard input; --fix prints the fixed source, findings go to stderr', () => {
  withProject({ 'pyproject.toml': '[tool.stable-loss]\nignore = ["SL001"]\n' }, (root) => {
    const r = runWithInput(root, LOG_SOFTMAX, 'check', '-', '--output-format', 'concise', '-q');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^-:3:5: SL003 \[\*\] /);
    const fixed = runWithInput(root, LOG_SOFTMAX + SOFTMAX_INTO_CE, 'check', '-', '--fix', '--stdin-filename', 'src/train.py', '--output-format', 'concise');
    assert.equal(fixed.code, 0, 'SL001 is ignored by the config found from --stdin-filename');
    assert.equal(fixed.stdout, CLEAN + SOFTMAX_INTO_CE);
    assert.equal(fixed.stderr, 'Found 1 error (1 fixed, 0 remaining).\n');
    const bom = runWithInput(root, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LOG_SOFTMAX)]), 'check', '-', '--fix-only');
    assert.deepEqual([...Buffer.from(bom.stdout, 'utf8').subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const diff = runWithInput(root, LOG_SOFTMAX, 'check', '-', '--diff', '--stdin-filename', 'm.py');
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /^--- m\.py\n\+\+\+ m\.py\n/);
    const ts = runWithInput(root, "import * as tf from '@tensorflow/tfjs';\nconst y = tf.log(tf.softmax(x));\n", 'check', '-', '--stdin-filename', 'a.ts', '--output-format', 'concise', '-q');
    assert.match(ts.stdout, /^a\.ts:2:11: SL003 /);
    const binary = runWithInput(root, Buffer.from([0x61, 0x00]), 'check', '-');
    assert.equal(binary.stderr, 'warning: -: skipped: binary file (NUL byte at offset 1)\n');
    assert.equal(run(root, 'check', '-', 'a.py').code, 2);
  });
});
