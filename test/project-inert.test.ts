// The project index's inert modules (src/core/analysis/project.ts): a module whose text names no
// library name that gives a value a meaning (and whose imports are inert) is analysed with its module
// body only; its functions, classes and objects export an unknown output, everything else as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { ModuleFinder } from '../src/core/analysis/modules';
import { ProjectResolver } from '../src/core/analysis/project';
import type { Value } from '../src/core/analysis/values';
import { lowerPythonDirect } from '../src/core/python/direct';

/** A resolver over files in memory under /p, and `from <module> import <name>` from /p/main.py. */
function project(files: Record<string, string>) {
  const at = new Map(Object.entries(files).map(([k, v]) => [`/p/${k}`, v]));
  const finder = new ModuleFinder({
    dirname: posix.dirname,
    join: posix.join,
    read: (p) => at.get(p),
    exists: (p) => at.has(p) || [...at.keys()].some((k) => k.startsWith(`${p}/`)),
  });
  const resolver = new ProjectResolver({ resolve: (from, m, l) => finder.find(posix.dirname(from), m, l) }, (t) => {
    const m = lowerPythonDirect(t);
    assert.ok(m, 'the test modules are plain Python');
    return m;
  });
  const options = resolver.options('/p/main.py');
  return (module: string, name: string | null): Value | undefined => options.resolveImport!(module, 0, name);
}

function members(v: Value | undefined): Map<string, Value> {
  assert.ok(v && v.t === 'external' && v.members);
  return v.members;
}

/** An exported function's or class's summarised output. */
function output(v: Value | undefined): Value | undefined {
  assert.ok(v && v.t === 'external', `an external value, got ${v?.t}`);
  return v.output;
}

const utils = 'import numpy as np\nimport torch.nn.functional as F\n\ndef ident(x):\n    return x\n';

test('inert: a module naming nothing meaningful re-exports refs and sub-modules as a full analysis does; outputs are unknown', () => {
  const init = 'from . import utils\nfrom .utils import np, F\nimport numpy as onp\n\nSCALE = np.log(2.0)\n\ndef helper(x):\n    return np.log(x)\n\nclass Box:\n    def __call__(self, x):\n        return np.log(x)\n\nbox = Box()\n';
  const inert = members(project({ 'pkg/__init__.py': init, 'pkg/utils.py': utils })('pkg', null));
  // The same module analysed in full: a meaningful name in a comment is enough to make it not inert.
  const full = members(project({ 'pkg/__init__.py': `${init}# softmax\n`, 'pkg/utils.py': utils })('pkg', null));
  assert.deepEqual([...inert.keys()], [...full.keys()]);
  for (const name of ['utils', 'np', 'F', 'onp', 'SCALE']) assert.deepEqual(inert.get(name), full.get(name), name);
  assert.deepEqual(inert.get('np'), { t: 'ref', qname: 'numpy' });
  assert.deepEqual(inert.get('F'), { t: 'ref', qname: 'torch.nn.functional' });
  assert.equal(members(inert.get('utils')).get('ident')?.t, 'external');
  assert.equal(inert.get('SCALE')?.t, 'tensor'); // module-level values are the module body's, as before
  // Functions, classes and objects: the full analysis knows a (kindless) tensor, the inert one nothing.
  assert.equal(output(full.get('helper'))?.t, 'tensor');
  assert.deepEqual(output(inert.get('helper')), { t: 'unknown' });
  assert.equal(inert.get('box')?.t, 'external');
});

test('inert: a module with a softmax, a clip, a Linear, an exp or a tensor method is analysed in full', () => {
  const cases: [string, (v: Value | undefined) => boolean][] = [
    ['import torch.nn.functional as F\ndef f(x):\n    return F.softmax(x, dim=1)\n', (v) => v?.t === 'tensor' && v.kind === 'prob-softmax'],
    ['import numpy as np\ndef f(p):\n    return np.clip(p, 1e-7, 1.0)\n', (v) => v?.t === 'tensor' && !!v.guarded],
    ['from numpy import exp, sum\ndef f(x):\n    return exp(x) / sum(exp(x))\n', (v) => v?.t === 'tensor' && v.kind === 'prob-softmax'],
    ['def f(x):\n    return x.sigmoid()\n', (v) => v?.t === 'tensor' && v.kind === 'prob-sigmoid'],
    ['def f(model, x):\n    return model.predict_proba(x)\n', (v) => v?.t === 'tensor' && v.kind === 'prob'],
  ];
  for (const [text, ok] of cases) assert.ok(ok(output(project({ 'm.py': text })('m', 'f'))), text);
  const net = 'from torch import nn\nclass Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        return self.fc(x)\n';
  const v = output(project({ 'm.py': net })('m', 'Net'));
  assert.ok(v?.t === 'tensor' && v.kind === 'logits');
});

test('inert: a library name reached through a ref of an imported module counts (its roots come along)', () => {
  // user.py names neither torch nor any meaningful name but `linear`, of torch.nn.functional, whose
  // ref comes from utils.py: not inert.
  const user = 'from .utils import F\n\ndef f(x, w):\n    return F.linear(x, w)\n';
  const v = output(project({ 'pkg/__init__.py': '', 'pkg/utils.py': utils, 'pkg/user.py': user })('pkg.user', 'f'));
  assert.ok(v?.t === 'tensor' && v.kind === 'logits');
});

test('inert: a name-free module importing a module that is not inert is analysed in full', () => {
  const files = {
    'pkg/__init__.py': 'from .models import Net\n',
    'pkg/models.py': 'import torch.nn.functional as F\nfrom torch import nn\nclass Net(nn.Module):\n    def forward(self, x):\n        return F.softmax(x, dim=1)\n',
    'pkg/factory.py': 'from pkg import Net\n\ndef make(x):\n    return Net()(x)\n',
  };
  const made = output(project(files)('pkg.factory', 'make'));
  assert.ok(made?.t === 'tensor' && made.kind === 'prob-softmax' && made.producer?.external);
});

test('inert: an import inside a function is resolved; one of a module that is not inert makes the module not inert', () => {
  const models = 'import torch.nn.functional as F\ndef head(x):\n    return F.softmax(x, dim=1)\n';
  const files = {
    'pkg/__init__.py': '',
    'pkg/models.py': models,
    'pkg/utils.py': utils,
    'pkg/late.py': 'def make(x):\n    from .models import head\n    return head(x), 0\n',
    'pkg/quiet.py': 'def make(x):\n    from .utils import ident\n    return ident(x), 0\n',
  };
  const late = output(project(files)('pkg.late', 'make'));
  assert.ok(late?.t === 'tuple' && late.items[0].t === 'tensor' && late.items[0].kind === 'prob-softmax');
  // importing an inert module inside a function keeps the module inert
  assert.deepEqual(output(project(files)('pkg.quiet', 'make')), { t: 'unknown' });
});

test('inert: a function declaring `global` makes the module not inert (phase 2 writes module bindings)', () => {
  const text = 'import numpy\n_backend = None\n\ndef init():\n    global _backend\n    _backend = numpy\n';
  assert.deepEqual(project({ 'm.py': text })('m', '_backend'), { t: 'ref', qname: 'numpy' });
});
