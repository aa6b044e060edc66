#!/usr/bin/python3
"""Golden vectors for src/core/kernel from real PyTorch 1.13 / NumPy 1.24.

Run:  /usr/bin/python3 scripts/golden/gen_kernel.py     (deterministic, seed below)
Writes test/golden/kernel/*.json. Non-finite numbers are the strings "nan", "inf", "-inf".
float32 values are written with their shortest float32 repr (parse, then Math.fround).
Groups whose "source" is "formula" are NOT library outputs: TensorFlow/Keras/optax are not
installed, so they are the documented formulas evaluated in NumPy float64 by this script.
"""
import json, math, os, sys, warnings
import numpy as np
import torch
import torch.nn.functional as F

warnings.filterwarnings('ignore')
np.seterr(all='ignore')
torch.set_num_threads(1)
SEED = 20261129
rng = np.random.default_rng(SEED)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'golden', 'kernel')
os.makedirs(OUT, exist_ok=True)

# ---------------------------------------------------------------- encoding

def enc_num(v, dt):
    v = float(v)
    if math.isnan(v): return 'nan'
    if math.isinf(v): return 'inf' if v > 0 else '-inf'
    if dt == 'float32':
        return float(str(np.float32(v)))
    if dt in ('int64', 'bool'):
        return int(v)
    return v

def enc(a, dt=None):
    """Tensor/ndarray/number -> {shape, dtype, data}."""
    if isinstance(a, torch.Tensor):
        a = a.detach().numpy()
    a = np.asarray(a)
    if dt is None:
        dt = {np.dtype('float32'): 'float32', np.dtype('float64'): 'float64', np.dtype('int64'): 'int64', np.dtype('bool'): 'bool'}[a.dtype]
    return {'shape': list(a.shape), 'dtype': dt, 'data': [enc_num(v, dt) for v in a.reshape(-1)]}

NP = {'float32': np.float32, 'float64': np.float64}
TT = {'float32': torch.float32, 'float64': torch.float64}

def write(name, source, cases, note=''):
    path = os.path.join(OUT, name + '.json')
    with open(path, 'w') as fh:
        json.dump({'source': source, 'torch': torch.__version__, 'numpy': np.__version__, 'seed': SEED,
                   'note': note, 'cases': cases}, fh, separators=(',', ':'))
    print(f'{name}: {len(cases)} cases, {os.path.getsize(path)} bytes')

# ---------------------------------------------------------------- samplers

SPECIAL32 = [88.72, 88.73, 88.7228, -88.72, -103.9, -104.0, -104.1, 1e30, -1e30, 1e-40, -1e-40, 0.0, -0.0, 3.4e38]
SPECIAL64 = [709.78, 709.79, -708.4, -745.1, 1e30, -1e30, 1e300, 1e-310, 0.0, -0.0, 1000.0, -1000.0]

def sample(shape, dt, regime=None):
    regime = regime or rng.choice(['n1', 'n3', 'n10', 'n100', 'mix', 'big', 'tiny'], p=[.2, .25, .15, .1, .15, .1, .05])
    n = int(np.prod(shape)) if len(shape) else 1
    if regime[0] == 'n':
        x = rng.normal(0, float(regime[1:]), n)
    elif regime == 'big':
        x = rng.normal(0, 1, n) * 10 ** rng.uniform(0, 30, n)
    elif regime == 'tiny':
        x = rng.normal(0, 1, n) * 10 ** rng.uniform(-45 if dt == 'float32' else -320, -3, n)
    else:  # mix: normal with some extremes and non-finite values
        x = rng.normal(0, 4, n)
        k = rng.integers(1, max(2, n // 2 + 1))
        pos = rng.choice(n, size=min(n, k), replace=False)
        pool = (SPECIAL32 if dt == 'float32' else SPECIAL64) + [math.inf, -math.inf, -math.inf, math.nan, 100.0, -100.0]
        x[pos] = rng.choice(pool, size=len(pos))
    return x.reshape(shape).astype(NP[dt])

def finite_sample(shape, dt):
    return sample(shape, dt, rng.choice(['n1', 'n3', 'n10', 'n100']))

def probs(shape, dt, axis=-1):
    z = rng.normal(0, rng.choice([0.5, 2, 6]), shape)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    p = e / e.sum(axis=axis, keepdims=True)
    if rng.random() < 0.15:  # exact zeros and ones
        m = rng.random(shape) < 0.3
        p = np.where(m, 0.0, p)
    return p.astype(NP[dt])

def dims_shape():
    k = rng.choice([1, 2, 2, 2, 3, 4])
    if k == 1: return [int(rng.integers(1, 12))]
    if k == 2: return [int(rng.integers(1, 7)), int(rng.integers(1, 12))]
    if k == 3: return [int(rng.integers(1, 4)), int(rng.integers(1, 6)), int(rng.integers(1, 5))]
    return [int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 3)), int(rng.integers(1, 3))]

def T(x):
    return torch.from_numpy(np.array(x, copy=True, order="C"))

# ---------------------------------------------------------------- groups

def gen_elementwise():
    cases = []
    for dt in ['float32', 'float64']:
        for op in ['exp', 'log', 'log1p', 'sigmoid', 'logsigmoid']:
            for _ in range(25):
                n = int(rng.choice([1, 3, 7, 16, 20, 37, 64]))
                x = sample([n], dt)
                if op in ('log', 'log1p') and rng.random() < 0.6:
                    x = np.abs(x) if op == 'log' else (np.abs(x) - np.asarray(rng.random(n) < 0.2, dtype=NP[dt]))
                t = T(x)
                y = {'exp': torch.exp, 'log': torch.log, 'log1p': torch.log1p, 'sigmoid': torch.sigmoid, 'logsigmoid': F.logsigmoid}[op](t)
                cases.append({'op': op, 'dtype': dt, 'x': enc(x), 'out': enc(y)})
        for op in ['add', 'sub', 'mul', 'div', 'clamp']:
            for _ in range(15):
                sa = dims_shape(); sb = sa[int(rng.integers(0, len(sa))):]
                a, b = sample(sa, dt), sample(sb, dt)
                if op == 'clamp':
                    lo, hi = sorted(rng.normal(0, 3, 2).tolist())
                    y = torch.clamp(T(a), lo, hi)
                    cases.append({'op': op, 'dtype': dt, 'x': enc(a), 'min': lo, 'max': hi, 'out': enc(y)})
                else:
                    y = getattr(torch, op)(T(a), T(b))
                    cases.append({'op': op, 'dtype': dt, 'x': enc(a), 'y': enc(b), 'out': enc(y)})
    # a long exp sweep: float32 exp/log/log1p against SLEEF on many values, near overflow/underflow
    for dt in ['float32', 'float64']:
        hi = 89.0 if dt == 'float32' else 710.0
        x = np.concatenate([rng.uniform(-hi - 20, hi + 2, 1000), rng.normal(0, 3, 600)]).astype(NP[dt])
        cases.append({'op': 'exp', 'dtype': dt, 'x': enc(x), 'out': enc(torch.exp(T(x)))})
        y = np.abs(x) * 10.0 ** rng.uniform(-40 if dt == 'float32' else -300, 30, len(x))
        y = y.astype(NP[dt])
        cases.append({'op': 'log', 'dtype': dt, 'x': enc(y), 'out': enc(torch.log(T(y)))})
        z = (rng.uniform(-1, 3, 1600) * 10.0 ** rng.uniform(-8, 2, 1600)).clip(-1, None).astype(NP[dt])
        cases.append({'op': 'log1p', 'dtype': dt, 'x': enc(z), 'out': enc(torch.log1p(T(z)))})
    write('elementwise', 'torch', cases)

def gen_reduce():
    cases = []
    for lib in ['torch', 'numpy']:
        for dt in ['float32', 'float64']:
            for op in ['sum', 'mean', 'max', 'min', 'argmax']:
                for _ in range(30 if op in ('sum', 'mean') else 10):
                    shape = dims_shape()
                    if rng.random() < 0.2:
                        shape = [int(rng.integers(8, 300))]
                    x = sample(shape, dt) if op != 'sum' or rng.random() < 0.3 else finite_sample(shape, dt)
                    nd = len(shape)
                    dim = None if rng.random() < 0.3 else int(rng.integers(-nd, nd))
                    keep = bool(rng.random() < 0.3) and dim is not None
                    if lib == 'torch':
                        t = T(x)
                        if op == 'argmax':
                            y = torch.argmax(t) if dim is None else torch.argmax(t, dim, keepdim=keep)
                        elif op in ('max', 'min'):
                            f = torch.amax if op == 'max' else torch.amin
                            y = f(t) if dim is None else f(t, dim, keepdim=keep)
                        else:
                            f = getattr(torch, op)
                            y = f(t) if dim is None else f(t, dim, keepdim=keep)
                    else:
                        f = {'sum': np.sum, 'mean': np.mean, 'max': np.max, 'min': np.min, 'argmax': np.argmax}[op]
                        if op == 'argmax':
                            y = np.asarray(f(x, axis=dim, keepdims=keep) if dim is not None else f(x)).astype(np.int64)
                        else:
                            y = np.asarray(f(x, axis=dim, keepdims=keep) if dim is not None else f(x))
                    cases.append({'op': op, 'lib': lib, 'dtype': dt, 'x': enc(x), 'dim': dim, 'keepdim': keep, 'out': enc(y)})
    write('reduce', 'torch+numpy', cases)

def gen_softmax():
    cases = []
    for dt in ['float32', 'float64']:
        for op in ['softmax', 'log_softmax', 'logsumexp']:
            for _ in range(80):
                shape = dims_shape()
                if rng.random() < 0.15: shape = [int(rng.integers(1, 4)), int(rng.integers(8, 40))]
                x = sample(shape, dt)
                nd = len(shape)
                dim = int(rng.integers(-nd, nd))
                t = T(x)
                if op == 'softmax': y = torch.softmax(t, dim)
                elif op == 'log_softmax': y = torch.log_softmax(t, dim)
                else:
                    keep = bool(rng.random() < 0.3)
                    y = torch.logsumexp(t, dim, keepdim=keep)
                    cases.append({'op': op, 'dtype': dt, 'x': enc(x), 'dim': dim, 'keepdim': keep, 'out': enc(y)}); continue
                cases.append({'op': op, 'dtype': dt, 'x': enc(x), 'dim': dim, 'out': enc(y)})
    write('softmax', 'torch', cases)

def ce_inputs(dt, shape_kind, prob=False):
    C = int(rng.integers(1, 11)) if rng.random() < 0.85 else int(rng.integers(11, 40))
    if shape_kind == '1d': shape = [C]
    elif shape_kind == '2d': shape = [int(rng.integers(1, 9)), C]
    else: shape = [int(rng.integers(1, 4)), C] + [int(rng.integers(1, 4)) for _ in range(int(rng.integers(1, 3)))]
    x = sample(shape, dt) if rng.random() < 0.35 else finite_sample(shape, dt)
    if prob:
        y = probs(shape, dt, axis=0 if shape_kind == '1d' else 1)
    else:
        tshape = [] if shape_kind == '1d' else [shape[0]] + shape[2:]
        y = np.array(rng.integers(0, C, tshape) if tshape else rng.integers(0, C), dtype=np.int64)
    return x, y, C

def gen_ce():
    cases = []
    for dt in ['float32', 'float64']:
        for i in range(650 if dt == 'float32' else 200):
            kind = rng.choice(['1d', '2d', '2d', '2d', 'nd'])
            prob = rng.random() < 0.25
            x, y, C = ce_inputs(dt, kind, prob)
            opts = {'reduction': str(rng.choice(['mean', 'mean', 'sum', 'none']))}
            if rng.random() < 0.35: opts['weight'] = enc(rng.uniform(0.1, 3, C).astype(NP[dt]))
            if rng.random() < 0.3: opts['label_smoothing'] = float(rng.choice([0.1, 0.05, 0.2, 0.5, 1.0]))
            if not prob and rng.random() < 0.3:
                ig = int(rng.choice([-100, 0, 1]))
                opts['ignore_index'] = ig
                if ig == -100 and y.size: y.reshape(-1)[rng.random(y.size) < 0.3] = -100
            xt = T(x).requires_grad_(True)
            kw = {k: v for k, v in opts.items() if k != 'weight'}
            if 'weight' in opts: kw['weight'] = torch.tensor(opts['weight']['data'], dtype=TT[dt])
            op = 'cross_entropy'
            double = (not prob) and rng.random() < 0.15
            if double:
                op = 'cross_entropy_softmax'  # cross_entropy(softmax(z, class_dim), y)
                inp = torch.softmax(xt, 0 if x.ndim == 1 else 1)
            else:
                inp = xt
            try:
                out = F.cross_entropy(inp, T(y), **kw)
            except Exception as e:
                cases.append({'op': op, 'dtype': dt, 'x': enc(x), 'target': enc(y), 'options': opts, 'error': type(e).__name__}); continue
            out.sum().backward()
            cases.append({'op': op, 'dtype': dt, 'x': enc(x), 'target': enc(y), 'options': opts, 'out': enc(out), 'grad': enc(xt.grad)})
        for i in range(150):
            kind = rng.choice(['1d', '2d', 'nd'])
            x, y, C = ce_inputs(dt, kind)
            x = torch.log_softmax(T(x), 0 if kind == '1d' else 1).numpy()
            opts = {'reduction': str(rng.choice(['mean', 'sum', 'none']))}
            if rng.random() < 0.4: opts['weight'] = enc(rng.uniform(0.1, 3, C).astype(NP[dt]))
            if rng.random() < 0.3: opts['ignore_index'] = int(rng.choice([0, 1]))
            kw = dict(opts); kw.pop('weight', None)
            if 'weight' in opts: kw['weight'] = torch.tensor(opts['weight']['data'], dtype=TT[dt])
            out = F.nll_loss(T(x), T(y), **kw)
            cases.append({'op': 'nll_loss', 'dtype': dt, 'x': enc(x), 'target': enc(y), 'options': opts, 'out': enc(out)})
    # larger batches (cascade sums)
    for i in range(6):
        N = int(rng.choice([40, 100, 300])); C = int(rng.integers(2, 12))
        x = finite_sample([N, C], 'float32'); y = rng.integers(0, C, N).astype(np.int64)
        xt = T(x).requires_grad_(True)
        out = F.cross_entropy(xt, T(y)); out.backward()
        cases.append({'op': 'cross_entropy', 'dtype': 'float32', 'x': enc(x), 'target': enc(y), 'options': {'reduction': 'mean'}, 'out': enc(out), 'grad': enc(xt.grad)})
    # the reference document's examples
    ref = [([[2.0, 4.0, 1.0]], [1]), ([[1000., 0.]], [1]), ([[-math.inf, 0.]], [0]), ([[-math.inf, 0.]], [1]), ([[-math.inf, -math.inf]], [0])]
    for xs, ys in ref:
        xt = torch.tensor(xs).requires_grad_(True)
        out = F.cross_entropy(xt, torch.tensor(ys)); out.backward()
        cases.append({'op': 'cross_entropy', 'dtype': 'float32', 'x': enc(xt), 'target': enc(torch.tensor(ys)), 'options': {}, 'out': enc(out), 'grad': enc(xt.grad), 'ref': True})
    write('cross_entropy', 'torch', cases)

def gen_bce():
    cases = []
    for dt in ['float32', 'float64']:
        for i in range(180):
            shape = dims_shape()
            p = rng.random(shape)
            if rng.random() < 0.3: p = np.where(rng.random(shape) < 0.3, rng.choice([0.0, 1.0, 1e-8, 1 - 1e-8], shape), p)
            p = p.astype(NP[dt])
            y = (rng.random(shape) < 0.5).astype(NP[dt]) if rng.random() < 0.7 else rng.random(shape).astype(NP[dt])
            opts = {'reduction': str(rng.choice(['mean', 'sum', 'none']))}
            kw = {'reduction': opts['reduction']}
            if rng.random() < 0.3:
                w = rng.uniform(0.1, 2, shape[-1:]).astype(NP[dt]); opts['weight'] = enc(w); kw['weight'] = T(w)
            out = F.binary_cross_entropy(T(p), T(y), **kw)
            cases.append({'op': 'binary_cross_entropy', 'dtype': dt, 'x': enc(p), 'target': enc(y), 'options': opts, 'out': enc(out)})
        for i in range(220):
            shape = dims_shape()
            if rng.random() < 0.15: shape = [2, int(rng.integers(16, 40))]
            x = sample(shape, dt)
            y = (rng.random(shape) < 0.5).astype(NP[dt]) if rng.random() < 0.7 else rng.random(shape).astype(NP[dt])
            opts = {'reduction': str(rng.choice(['mean', 'sum', 'none']))}
            kw = {'reduction': opts['reduction']}
            if rng.random() < 0.3:
                w = rng.uniform(0.1, 2, shape[-1:]).astype(NP[dt]); opts['weight'] = enc(w); kw['weight'] = T(w)
            if rng.random() < 0.35:
                pw = rng.uniform(0.2, 5, shape[-1:]).astype(NP[dt]); opts['pos_weight'] = enc(pw); kw['pos_weight'] = T(pw)
            xt = T(x).requires_grad_(True)
            out = F.binary_cross_entropy_with_logits(xt, T(y), **kw)
            out.sum().backward()
            cases.append({'op': 'binary_cross_entropy_with_logits', 'dtype': dt, 'x': enc(x), 'target': enc(y), 'options': opts, 'out': enc(out), 'grad': enc(xt.grad)})
        for i in range(120):
            shape = dims_shape()
            lp = torch.log_softmax(T(finite_sample(shape, dt)), -1).numpy()
            log_target = bool(rng.random() < 0.4)
            q = probs(shape, dt)
            tgt = (np.log(q) if log_target else q).astype(NP[dt])
            red = str(rng.choice(['mean', 'sum', 'none', 'batchmean']))
            out = F.kl_div(T(lp), T(tgt), reduction=red, log_target=log_target)
            cases.append({'op': 'kl_div', 'dtype': dt, 'x': enc(lp), 'target': enc(tgt), 'options': {'reduction': red, 'log_target': log_target}, 'out': enc(out)})
    write('bce_kl', 'torch', cases)

def naive_x(n, dt):
    kind = rng.choice(['n3', 'n30', 'big', 'mix'])
    if kind == 'n3': x = rng.normal(0, 3, n)
    elif kind == 'n30': x = rng.normal(0, 30, n)
    elif kind == 'big': x = rng.choice([1000.0, 800.0, 710.0, 709.0, 90.0, 88.0, -1000.0, -800.0, 0.0, 2.0, 4.0, 1.0], n)
    else:
        x = rng.normal(0, 5, n); k = rng.integers(0, n)
        x[k] = rng.choice([np.inf, -np.inf, np.nan, 1e30, -1e30, 745.0])
    return x.astype(NP[dt])

def gen_naive():
    """NumPy naive formulas (the code the product flags), evaluated by real NumPy."""
    cases = []
    for dt in ['float64', 'float64', 'float32']:
        for recipe in ['softmax', 'log_softmax', 'ce_sum', 'ce_index', 'ce_index_mean', 'stable_ce', 'bce', 'softmax_rows']:
            for _ in range(25):
                n = int(rng.integers(1, 9)); C = int(rng.integers(2, 8))
                c = {'op': 'naive', 'recipe': recipe, 'lib': 'numpy', 'dtype': dt}
                if recipe in ('softmax', 'log_softmax', 'stable_ce'):
                    x = naive_x(C, dt); c['x'] = enc(x)
                    if recipe == 'softmax': out = np.exp(x) / np.sum(np.exp(x))
                    elif recipe == 'log_softmax': out = np.log(np.exp(x) / np.sum(np.exp(x)))
                    else:
                        y = int(rng.integers(0, C)); c['y'] = y
                        shifted = x - np.max(x); lse = np.log(np.sum(np.exp(shifted))); out = -(shifted - lse)[y]
                elif recipe == 'softmax_rows':
                    x = np.stack([naive_x(C, dt) for _ in range(n)]); c['x'] = enc(x)
                    out = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
                elif recipe == 'ce_sum':
                    p = probs([C], dt)
                    y = np.zeros(C, dtype=np.int64); y[rng.integers(0, C)] = 1
                    c['p'] = enc(p); c['y'] = enc(y); out = -np.sum(y * np.log(p))
                elif recipe in ('ce_index', 'ce_index_mean'):
                    p = probs([n, C], dt); y = rng.integers(0, C, n).astype(np.int64)
                    c['p'] = enc(p); c['y'] = enc(y)
                    out = -np.log(p[range(n), y])
                    if recipe == 'ce_index_mean': out = np.mean(out)
                else:  # bce
                    p = rng.random(n).astype(NP[dt]); y = (rng.random(n) < 0.5).astype(NP[dt])
                    if rng.random() < 0.3: p[rng.integers(0, n)] = rng.choice([0.0, 1.0])
                    c['p'] = enc(p); c['y'] = enc(y)
                    out = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
                c['out'] = enc(np.asarray(out))
                cases.append(c)
    # the reference document's examples
    y_true = np.array([0, 1, 0]); y_pred = np.array([0.1, 0.8, 0.1])
    cases.append({'op': 'naive', 'recipe': 'ce_sum', 'lib': 'numpy', 'dtype': 'float64', 'p': enc(y_pred), 'y': enc(y_true), 'out': enc(np.asarray(-np.sum(y_true * np.log(y_pred)))), 'ref': True})
    logits = np.array([2.0, 4.0, 1.0]); shifted = logits - np.max(logits)
    cases.append({'op': 'naive', 'recipe': 'stable_ce', 'lib': 'numpy', 'dtype': 'float64', 'x': enc(logits), 'y': 1, 'out': enc(np.asarray(-(shifted - np.log(np.sum(np.exp(shifted))))[1])), 'ref': True})
    x = np.array([1000., 0.])
    cases.append({'op': 'naive', 'recipe': 'log_softmax', 'lib': 'numpy', 'dtype': 'float64', 'x': enc(x), 'out': enc(np.log(np.exp(x) / np.sum(np.exp(x)))), 'ref': True})
    write('naive', 'numpy', cases, 'NumPy naive cross-entropy formulas; recipes are spelled out in scripts/golden/harness.ts')

def rand_slice(n):
    def pick():
        return None if rng.random() < 0.3 else int(rng.integers(-n - 2, n + 3))
    step = None if rng.random() < 0.4 else int(rng.choice([1, 2, 3, -1, -2]))
    return [pick(), pick(), step]

def gen_index():
    cases = []
    for lib in ['numpy', 'torch']:
        for _ in range(120):
            shape = [int(rng.integers(1, 6)) for _ in range(int(rng.integers(1, 4)))]
            x = rng.normal(0, 1, shape).astype(np.float32 if lib == 'torch' else np.float64)
            items, pyitems = [], []
            for d, n in enumerate(shape):
                r = rng.random()
                if r < 0.3:
                    i = int(rng.integers(-n, n)); items.append(i); pyitems.append(i)
                elif r < 0.7:
                    sl = rand_slice(n)
                    if lib == 'torch' and sl[2] is not None and sl[2] < 0: sl[2] = -sl[2]
                    items.append({'slice': sl}); pyitems.append(slice(*sl))
                elif r < 0.9:
                    arr = rng.integers(-n, n, int(rng.integers(1, 4))).astype(np.int64)
                    items.append({'array': arr.tolist()}); pyitems.append(arr if lib == 'numpy' else torch.from_numpy(arr))
                else:
                    break
            if rng.random() < 0.15: items.insert(0, {'newaxis': True}); pyitems.insert(0, None)
            try:
                src = x if lib == 'numpy' else torch.from_numpy(x)
                out = src[tuple(pyitems)]
                out = np.asarray(out) if lib == 'numpy' else out.numpy()
                cases.append({'op': 'index', 'lib': lib, 'dtype': 'float32' if lib == 'torch' else 'float64', 'x': enc(x), 'items': items, 'out': enc(out)})
            except Exception as e:
                cases.append({'op': 'index', 'lib': lib, 'dtype': 'float32' if lib == 'torch' else 'float64', 'x': enc(x), 'items': items, 'error': type(e).__name__})
        # p[range(n), y]
        for _ in range(20):
            n, C = int(rng.integers(1, 6)), int(rng.integers(1, 6))
            p = rng.random((n, C)); y = rng.integers(0, C, n).astype(np.int64)
            src = p if lib == 'numpy' else torch.from_numpy(p)
            out = src[range(n), y] if lib == 'numpy' else src[torch.arange(n), torch.from_numpy(y)]
            cases.append({'op': 'index', 'lib': lib, 'dtype': 'float64', 'x': enc(p), 'items': [{'array': list(range(n))}, {'array': y.tolist()}], 'out': enc(np.asarray(out))})
    write('index', 'numpy+torch', cases)

# Formula goldens use the C library's exp/log/log1p (glibc; correctly rounded in practice) through
# Python's math module, not NumPy's SIMD kernels, so they define the formulas' values exactly.
def _lexp(v):
    try: return math.exp(v)
    except OverflowError: return math.inf
def _llog(v):
    if math.isnan(v) or v < 0: return math.nan
    if v == 0: return -math.inf
    return math.log(v)
def _llog1p(v):
    if math.isnan(v) or v < -1: return math.nan
    if v == -1: return -math.inf
    return math.log1p(v)
lexp = np.vectorize(_lexp, otypes=[np.float64])
llog = np.vectorize(_llog, otypes=[np.float64])
llog1p = np.vectorize(_llog1p, otypes=[np.float64])

def np_log_softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - llog(np.sum(lexp(shifted), axis=axis, keepdims=True))

def gen_formula():
    """TF/Keras/optax semantics from their documented formulas, evaluated in NumPy float64.
    NOT library outputs (TensorFlow/JAX are not installed)."""
    cases = []
    eps = 1e-7
    for _ in range(60):
        N, C = int(rng.integers(1, 6)), int(rng.integers(2, 8))
        x = naive_x(N * C, 'float64').reshape(N, C) if rng.random() < 0.3 else rng.normal(0, 4, (N, C))
        x = np.where(np.isnan(x), 0.0, x)
        y = probs([N, C], 'float64'); yi = rng.integers(0, C, N).astype(np.int64)
        p = probs([N, C], 'float64') * rng.choice([1.0, 1.0, 0.5, 2.0])
        ls = float(rng.choice([0.0, 0.0, 0.1]))
        def add(fn, args, out, **opts):
            cases.append({'op': fn, 'dtype': 'float64', 'args': {k: enc(v) for k, v in args.items()}, 'options': opts, 'out': enc(np.asarray(out))})
        add('tf_softmax_ce_logits', {'labels': y, 'logits': x}, -np.sum(y * np_log_softmax(x), -1))
        add('tf_sparse_softmax_ce_logits', {'labels': yi, 'logits': x}, -np_log_softmax(x)[range(N), yi])
        z = (rng.random((N, C)) < 0.5).astype(np.float64)
        add('tf_sigmoid_ce_logits', {'labels': z, 'logits': x}, np.maximum(x, 0) - x * z + llog1p(lexp(-np.abs(x))))
        yy = y * (1 - ls) + ls / C
        pp = np.clip(p / np.sum(p, -1, keepdims=True), eps, 1 - eps)
        add('keras_categorical_ce', {'y_true': y, 'y_pred': p}, -np.sum(yy * llog(pp), -1), label_smoothing=ls)
        add('keras_categorical_ce', {'y_true': y, 'y_pred': x}, -np.sum(yy * np_log_softmax(x), -1), from_logits=True, label_smoothing=ls)
        lp = llog(np.clip(p, eps, 1 - eps))
        add('keras_sparse_categorical_ce', {'y_true': yi, 'y_pred': p}, -np_log_softmax(lp)[range(N), yi])
        add('keras_sparse_categorical_ce', {'y_true': yi, 'y_pred': x}, -np_log_softmax(x)[range(N), yi], from_logits=True)
        q = rng.random((N, C)); q[rng.random((N, C)) < 0.2] = rng.choice([0.0, 1.0])
        qc = np.clip(q, eps, 1 - eps)
        add('keras_binary_ce', {'y_true': z, 'y_pred': q}, np.mean(-(z * llog(qc + eps) + (1 - z) * llog(1 - qc + eps)), -1))
        add('keras_binary_ce', {'y_true': z, 'y_pred': x}, np.mean(np.maximum(x, 0) - x * z + llog1p(lexp(-np.abs(x))), -1), from_logits=True)
        add('optax_softmax_ce', {'logits': x, 'labels': y}, -np.sum(y * np_log_softmax(x), -1))
        zs = x - np.max(x, -1, keepdims=True)
        add('optax_softmax_ce_int', {'logits': x, 'labels': yi}, llog(np.sum(lexp(zs), -1)) - zs[range(N), yi])
        def log_sigmoid(v):
            nv = -v
            return -(np.maximum(nv, 0) + llog1p(lexp(-np.abs(nv))))
        add('optax_sigmoid_bce', {'logits': x, 'labels': z}, -z * log_sigmoid(x) - (1 - z) * log_sigmoid(-x))
    write('formula', 'formula', cases, 'TF/Keras/optax formulas in NumPy float64, not library outputs')

def print_values(n):
    kind = rng.choice(['small', 'ints', 'mix', 'tiny', 'huge', 'probs', 'wide', 'zeros'])
    if kind == 'small': v = rng.normal(0, 2, n)
    elif kind == 'ints': v = rng.integers(-2000, 2000, n).astype(np.float64) * rng.choice([1, 1, 1000, 1e6])
    elif kind == 'mix':
        v = rng.normal(0, 3, n); v[rng.random(n) < 0.3] = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0, 1000.0])
    elif kind == 'tiny': v = rng.normal(0, 1, n) * 10.0 ** rng.uniform(-12, -3, n)
    elif kind == 'huge': v = rng.normal(0, 1, n) * 10.0 ** rng.uniform(5, 30, n)
    elif kind == 'probs': v = probs([n], 'float64').astype(np.float64)
    elif kind == 'wide': v = rng.normal(0, 1, n) * 10.0 ** rng.uniform(-6, 6, n)
    else: v = np.zeros(n) * rng.choice([1.0, -1.0])
    return v

def gen_print():
    cases = []
    for _ in range(260):
        dt = str(rng.choice(['float32', 'float32', 'float64', 'int64', 'bool']))
        k = rng.choice([0, 1, 1, 1, 2])
        shape = [] if k == 0 else [int(rng.integers(1, 25))] if k == 1 else [int(rng.integers(1, 5)), int(rng.integers(1, 8))]
        n = int(np.prod(shape)) if shape else 1
        v = print_values(n).reshape(shape)
        if dt == 'int64': v = np.nan_to_num(v, nan=0, posinf=7, neginf=-7).clip(-1e15, 1e15).round().astype(np.int64)
        if dt == 'bool': v = v > 0
        t = torch.tensor(v, dtype={'float32': torch.float32, 'float64': torch.float64, 'int64': torch.int64, 'bool': torch.bool}[dt])
        cases.append({'op': 'print_torch', 'x': enc(t.numpy()), 'out': str(t)})
    for _ in range(150):
        dt = str(rng.choice(['float64', 'float64', 'float32']))
        v = print_values(1)[0]
        if rng.random() < 0.3: v = float(rng.choice([0.1, 0.2231435513142097, 0.16984601955628548, 1e16, 1e-5, 123456789.0, 1e-4, 0.5, 2.0, 1e22, 5e-324]))
        x = NP[dt](v)
        cases.append({'op': 'print_numpy_scalar', 'x': enc(np.array([x])), 'out': repr(x)})
    for _ in range(150):
        dt = str(rng.choice(['float64', 'float64', 'float32', 'int64', 'bool']))
        k = rng.choice([1, 1, 2])
        shape = [int(rng.integers(1, 20))] if k == 1 else [int(rng.integers(1, 4)), int(rng.integers(1, 7))]
        v = print_values(int(np.prod(shape))).reshape(shape)
        if dt == 'int64': v = np.nan_to_num(v, nan=0, posinf=7, neginf=-7).clip(-1e15, 1e15).round().astype(np.int64)
        elif dt == 'bool': v = v > 0
        else: v = v.astype(NP[dt])
        cases.append({'op': 'print_numpy_array', 'x': enc(v), 'out': str(v)})
    cases.append({'op': 'print_numpy_array', 'x': enc(np.array([0.1, 0.8, 0.1])), 'out': str(np.array([0.1, 0.8, 0.1]))})
    for t in [torch.tensor(0.1698460429906845), torch.tensor([0.1698460429906845, 2.1698460429906845]), torch.tensor(1000.), torch.tensor(float('nan')), torch.tensor([float('-inf'), 0.])]:
        cases.append({'op': 'print_torch', 'x': enc(t.numpy()), 'out': str(t)})
    # summarized (> 1000 elements)
    for shape in [[1200], [40, 30], [3, 500], [2, 30, 20], [1001]]:
        for dt in ['float32', 'float64']:
            v = print_values(int(np.prod(shape))).reshape(shape).astype(NP[dt])
            cases.append({'op': 'print_torch', 'x': enc(v), 'out': str(torch.from_numpy(v))})
            cases.append({'op': 'print_numpy_array', 'x': enc(v), 'out': str(v)})
    write('print', 'torch+numpy', cases, 'str(tensor), repr(np.float64/np.float32), str(np.array)')

def gen_numpy_f32():
    """np.exp / np.log on float32: NumPy 1.24's own SIMD kernels (AVX-512F here), not the C library.
    Random values at every scale, subnormals, +-inf, nan, -0, the overflow/underflow edges of exp
    (88.72283935546875, -103.97208404541015625) bit by bit, and log near 1, sqrt(1/2) and powers of 2."""
    from numpy.core._multiarray_umath import __cpu_features__ as feats
    cases = []
    f32 = np.float32
    def bits_around(v, k):
        b = np.array([v], dtype=f32).view(np.int32)[0]
        return np.arange(b - k, b + k + 1, dtype=np.int32).view(f32)
    # exp
    xs = [rng.uniform(-110, 95, 3000), rng.normal(0, 3, 1500), rng.normal(0, 1, 500) * 10.0 ** rng.uniform(-45, -1, 500),
          np.array([88.72283935546875, 88.7228, 88.72, 88.73, -103.97208404541015625, -103.9, -104.0, -87.33654, -87.3, -88.0,
                    0.0, -0.0, 1.0, -1.0, 1e-45, -1e-45, 1e-40, -1e-40, 3.4e38, -3.4e38, np.inf, -np.inf, np.nan, -np.nan])]
    for c in [88.72283935546875, -103.97208404541015625, -87.33654475, 0.0, 0.34657359, -0.34657359, 1.0]:
        xs.append(bits_around(c, 40))
    x = np.concatenate([np.asarray(a, dtype=f32) for a in xs]).astype(f32)
    rng.shuffle(x)
    for chunk in np.array_split(x, 8):
        cases.append({'op': 'exp', 'lib': 'numpy', 'dtype': 'float32', 'numpyMath': 'svml', 'x': enc(chunk), 'out': enc(np.exp(chunk))})
    # log
    ys = [np.abs(rng.normal(0, 1, 3000)) * 10.0 ** rng.uniform(-45, 38, 3000), rng.uniform(0.5, 2.0, 1500), rng.uniform(0, 1e-38, 300),
          -np.abs(rng.normal(0, 1, 100)),
          np.array([0.0, -0.0, 1.0, 2.0, 0.5, 1e-45, 1.4e-45, 1e-40, 1.17549435e-38, 3.4028235e38, np.inf, -np.inf, np.nan, -1.0, -np.inf])]
    for c in [1.0, 0.70710678, 1.41421356, 2.0, 0.5, 1.17549435e-38, 3.4028235e38, 8.0, 1e-45 * 3]:
        ys.append(bits_around(c, 40))
    y = np.concatenate([np.asarray(a, dtype=f32) for a in ys]).astype(f32)
    rng.shuffle(y)
    for chunk in np.array_split(y, 8):
        cases.append({'op': 'log', 'lib': 'numpy', 'dtype': 'float32', 'numpyMath': 'svml', 'x': enc(chunk), 'out': enc(np.log(chunk))})
    # the same through a strided view and a 0-d scalar (NumPy calls the same kernel element by element)
    z = x[:400].copy()
    cases.append({'op': 'exp', 'lib': 'numpy', 'dtype': 'float32', 'numpyMath': 'svml', 'x': enc(z[::3]), 'out': enc(np.exp(z[::3]))})
    w = np.abs(y[:400])
    cases.append({'op': 'log', 'lib': 'numpy', 'dtype': 'float32', 'numpyMath': 'svml', 'x': enc(w[::3]), 'out': enc(np.log(w[::3]))})
    for v in [f32(88.7), f32(-50.5), f32(1e-3), f32(0.3)]:
        cases.append({'op': 'exp', 'lib': 'numpy', 'dtype': 'float32', 'numpyMath': 'svml', 'x': enc(np.array([v])), 'out': enc(np.array([np.exp(v)]))})
        cases.append({'op': 'log', 'lib': 'numpy', 'dtype': 'float32', 'numpyMath': 'svml', 'x': enc(np.array([abs(v)])), 'out': enc(np.array([np.log(abs(v))]))})
    on = [k for k in ('AVX512F', 'AVX2', 'FMA3') if feats.get(k)]
    write('numpy_f32', 'numpy', cases, 'np.exp/np.log float32 with NumPy %s on a CPU with %s (the AVX-512F kernel)' % (np.__version__, '+'.join(on)))

if __name__ == '__main__':
    which = sys.argv[1:] or ['elementwise', 'reduce', 'softmax', 'ce', 'bce', 'naive', 'index', 'formula', 'print']
    for w in which:
        globals()['gen_' + w]()
