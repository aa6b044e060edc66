#!/usr/bin/python3
"""Golden values for the hover evaluator (src/core/eval) from real PyTorch 1.13 / NumPy 1.24 / SciPy.

Run:  /usr/bin/python3 scripts/golden/gen_eval.py
Each program is executed as written; the value of the name `result` after the last assignment to
it is recorded with its type, dtype, shape and str() (what print() shows). The test
(test/eval-golden.test.ts) hovers `result` in the last `result = ...` line through
Engine.evaluate and compares: bit for bit when the evaluator says the value is exact; within
1e-15 relatively when it marks it CPU-dependent (NumPy's float64 exp/log on AVX-512 CPUs).
Non-finite numbers are written as the strings "nan", "inf", "-inf".
Writes test/golden/eval/programs.json.
"""
import json, math, os, platform, warnings
import numpy as np
import torch
import scipy

warnings.filterwarnings('ignore')
np.seterr(all='ignore')
torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'golden', 'eval')
os.makedirs(OUT, exist_ok=True)

H_TORCH = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
H_NP = "import numpy as np\n"

PROGRAMS = {
    # ---- PyTorch
    'torch_reference': H_TORCH + "loss_fn = nn.CrossEntropyLoss()\nlogits = torch.tensor([[2.0, 4.0, 1.0]])\ntarget = torch.tensor([1])\nresult = loss_fn(logits, target)\n",
    'torch_item': H_TORCH + "logits = torch.tensor([[2.0, 4.0, 1.0]])\nloss = F.cross_entropy(logits, torch.tensor([1]))\nresult = loss.item()\n",
    'torch_overflow_1000': H_TORCH + "result = F.cross_entropy(torch.tensor([[1000., 0.]]), torch.tensor([1]))\n",
    'torch_neginf_target0': H_TORCH + "result = F.cross_entropy(torch.tensor([[-float('inf'), 0.]]), torch.tensor([0]))\n",
    'torch_neginf_target1': H_TORCH + "result = F.cross_entropy(torch.tensor([[-float('inf'), 0.]]), torch.tensor([1]))\n",
    'torch_all_neginf': H_TORCH + "result = F.cross_entropy(torch.tensor([[-float('inf'), -float('inf')]]), torch.tensor([0]))\n",
    'torch_sum': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5], [0.1, 0.2, 0.3]])\ny = torch.tensor([2, 0, 1])\nresult = nn.CrossEntropyLoss(reduction='sum')(z, y)\n",
    'torch_none': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5], [0.1, 0.2, 0.3]])\ny = torch.tensor([2, 0, 1])\nresult = F.cross_entropy(z, y, reduction='none')\n",
    'torch_label_smoothing': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\ny = torch.tensor([2, 0])\nresult = nn.CrossEntropyLoss(label_smoothing=0.1)(z, y)\n",
    'torch_weight': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\ny = torch.tensor([2, 1])\nresult = F.cross_entropy(z, y, weight=torch.tensor([1.0, 2.0, 3.0]))\n",
    'torch_ignore_index': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5], [1.0, 0.0, 0.0]])\ny = torch.tensor([2, -100, 0])\nresult = F.cross_entropy(z, y)\n",
    'torch_prob_targets': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\np = torch.tensor([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])\nresult = F.cross_entropy(z, p)\n",
    'torch_nll_log_softmax': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\ny = torch.tensor([2, 0])\nresult = F.nll_loss(F.log_softmax(z, dim=1), y)\n",
    'torch_softmax': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\nresult = torch.softmax(z, dim=1)\n",
    'torch_log_softmax_method': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\nresult = z.log_softmax(1)\n",
    'torch_double_softmax': H_TORCH + "logits = torch.tensor([[2.0, 4.0, 1.0]])\nprobs = torch.softmax(logits, dim=1)\nresult = nn.CrossEntropyLoss()(probs, torch.tensor([1]))\n",
    'torch_bce_logits': H_TORCH + "x = torch.tensor([0.5, -2.0, 30.0, -30.0])\nt = torch.tensor([1.0, 0.0, 0.0, 1.0])\nresult = F.binary_cross_entropy_with_logits(x, t)\n",
    'torch_bce_sigmoid': H_TORCH + "x = torch.tensor([0.5, -2.0, 3.0, -3.0])\nt = torch.tensor([1.0, 0.0, 0.0, 1.0])\nresult = F.binary_cross_entropy(torch.sigmoid(x), t)\n",
    'torch_bce_pos_weight': H_TORCH + "x = torch.tensor([[0.5, -2.0], [1.0, 4.0]])\nt = torch.tensor([[1.0, 0.0], [0.0, 1.0]])\nresult = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 0.5]))(x, t)\n",
    'torch_kl_batchmean': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\np = torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.4, 0.0]])\nresult = F.kl_div(F.log_softmax(z, dim=1), p, reduction='batchmean')\n",
    'torch_requires_grad': H_TORCH + "z = torch.tensor([[2.0, 4.0, 1.0]], requires_grad=True)\nresult = F.cross_entropy(z, torch.tensor([1]))\n",
    'torch_grad_fn_chain': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]], requires_grad=True)\nresult = (z.softmax(1) * 2 - 1).sum(1) / 3\n",
    'torch_grad_fn_prob_targets': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0]], requires_grad=True)\nresult = F.cross_entropy(z, torch.tensor([[0.2, 0.3, 0.5]]))\n",
    'torch_grad_fn_amax_T': H_TORCH + "z = torch.tensor([[0.5, -1.25], [2.0, 7.5]], requires_grad=True)\nresult = torch.amax(z.T.float(), 1)\n",
    'torch_grad_fn_kl': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0]], requires_grad=True)\nresult = F.kl_div(F.log_softmax(z, dim=1), torch.tensor([[0.2, 0.3, 0.5]]), reduction='batchmean')\n",
    'torch_leaf_print': H_TORCH + "result = torch.tensor([0.5, 2.0], requires_grad=True)\n",
    'torch_index_softmax': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\nresult = z.softmax(1)[1, 0]\n",
    'torch_manual_ce': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\ny = torch.tensor([2, 0])\np = torch.softmax(z, dim=1)\nresult = -torch.log(p[range(2), y]).mean()\n",
    'torch_logsumexp': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\nresult = torch.logsumexp(z, dim=1)\n",
    'torch_float64_ce': H_TORCH + "z = torch.tensor([[2.0, 4.0, 1.0]], dtype=torch.float64)\nresult = F.cross_entropy(z, torch.tensor([1]))\n",
    'torch_large_print': H_TORCH + "result = torch.ones(1500) * 0.5\n",
    'torch_int_promotion': H_TORCH + "result = torch.tensor([1, 2]) + 1.5\n",
    'torch_sci_print': H_TORCH + "result = torch.tensor([1e-5, 1.0, 250.0])\n",
    'torch_mean_sum': H_TORCH + "z = torch.tensor([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\nresult = z.sum(dim=0) / z.mean()\n",
    'torch_naive_log_softmax': H_TORCH + "z = torch.tensor([[100.0, 0.0, -100.0]])\nresult = torch.log(torch.softmax(z, dim=1))\n",
    # ---- NumPy
    'numpy_reference_naive': H_NP + "y_true = np.array([0, 1, 0])\ny_pred = np.array([0.1, 0.8, 0.1])\nresult = -np.sum(y_true * np.log(y_pred))\n",
    'numpy_reference_stable': H_NP + "def stable_cross_entropy(logits, y_true):\n    shifted = logits - np.max(logits)\n    log_sum_exp = np.log(np.sum(np.exp(shifted)))\n    log_softmax = shifted - log_sum_exp\n    return -log_softmax[y_true]\n\nlogits = np.array([2.0, 4.0, 1.0])\nresult = stable_cross_entropy(logits, y_true=1)\n",
    'numpy_naive_overflow': H_NP + "x = np.array([1000., 0.])\nresult = np.log(np.exp(x) / np.sum(np.exp(x)))\n",
    'numpy_arith_print': H_NP + "result = np.array([1.5, 10.25]) * 2\n",
    'numpy_int_div': H_NP + "result = np.array([1, 2, 3]) / 2\n",
    'numpy_max_mean_index': H_NP + "a = np.array([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]])\nresult = np.max(a, axis=1) - a.mean() + a[1, 2]\n",
    'numpy_batch_ce': H_NP + "p = np.array([[0.1, 0.8, 0.1], [0.3, 0.3, 0.4]])\nresult = -np.mean(np.log(p[range(2), [1, 2]]))\n",
    'numpy_clip': H_NP + "p = np.array([0.0, 1.0, 0.5])\nresult = np.clip(p, 1e-7, 1 - 1e-7)\n",
    'numpy_float32_arith': H_NP + "result = np.array([0.1, 0.2], dtype=np.float32) * 3\n",
    'numpy_large_print': H_NP + "result = np.arange(2000) * 0.5\n",
    'numpy_zero_prob_naive': H_NP + "y = np.array([0, 1, 0])\np = np.array([0.0, 0.9, 0.1])\nresult = -np.sum(y * np.log(p))\n",
    'numpy_exp_row': H_NP + "x = np.array([0.5, -1.25, 3.0, 7.0])\nresult = np.exp(x) / np.sum(np.exp(x))\n",
    'numpy_2d_print': H_NP + "result = np.array([[1.0, -2.5], [1e-3, 40.0]])\n",
    'scipy_softmax': H_NP + "from scipy.special import softmax\nresult = softmax(np.array([2.0, 4.0, 1.0]))\n",
    'scipy_log_softmax': H_NP + "from scipy.special import log_softmax\nresult = log_softmax(np.array([1000.0, 0.0]))\n",
    'scipy_logsumexp': H_NP + "from scipy.special import logsumexp\nresult = logsumexp(np.array([2.0, 4.0, 1.0]))\n",
    'numpy_wrap_1d': H_NP + "result = np.arange(30) * 0.37 - 3\n",
    'numpy_wrap_2d': H_NP + "result = (np.arange(36) * 1.7).reshape(3, 12) - 20\n",
    'numpy_wrap_int': H_NP + "result = np.arange(40) * 123 - 2000\n",
    'numpy_bool': H_NP + "result = np.array([0.5, -1.0, 2.0]) > 0\n",
    'numpy_float32_print': H_NP + "result = np.array([0.1, 1e-5, 3.0], dtype=np.float32) * 2\n",
    'torch_wrap_1d': H_TORCH + "result = torch.arange(40) * 0.37 - 3\n",
    'torch_wrap_2d': H_TORCH + "result = (torch.arange(36) * 1.7).view(3, 12) - 20\n",
    'torch_bool': H_TORCH + "result = torch.tensor([0.5, -1.0, 2.0]) > 0\n",
    'torch_3d_summarized': H_TORCH + "result = torch.ones(12, 10, 10) * 0.25\n",
    # ---- NumPy float32 exp/log (NumPy's own SIMD kernels)
    'numpy_f32_softmax': H_NP + "x = np.array([0.5, -1.25, 3.0, 7.0], dtype=np.float32)\nresult = np.exp(x) / np.sum(np.exp(x))\n",
    'numpy_f32_log': H_NP + "result = np.log(np.array([0.1, 0.8, 1e-30, 0.0, 3.4e38, 1e-45, -1.0], dtype=np.float32))\n",
    'numpy_f32_exp_edges': H_NP + "result = np.exp(np.array([88.72, 88.7229, -103.97, -104.0, 50.0, -0.0, float('inf'), float('-inf'), float('nan')], dtype=np.float32))\n",
    'numpy_f32_naive_overflow': H_NP + "x = np.array([100., 0.], dtype=np.float32)\nresult = np.log(np.exp(x) / np.sum(np.exp(x)))\n",
    'numpy_f32_naive_ce': H_NP + "y_true = np.array([0, 1, 0], dtype=np.float32)\ny_pred = np.array([0.1, 0.8, 0.1], dtype=np.float32)\nresult = -np.sum(y_true * np.log(y_pred))\n",
    'numpy_f32_stable_ce': H_NP + "def stable_cross_entropy(logits, y_true):\n    shifted = logits - np.max(logits)\n    log_sum_exp = np.log(np.sum(np.exp(shifted)))\n    log_softmax = shifted - log_sum_exp\n    return -log_softmax[y_true]\n\nlogits = np.array([2.0, 4.0, 1.0], dtype=np.float32)\nresult = stable_cross_entropy(logits, y_true=1)\n",
    'numpy_f32_batch_log_softmax': H_NP + "z = np.array([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5], [90.0, 0.0, -90.0]], dtype=np.float32)\nshifted = z - np.max(z, axis=1, keepdims=True)\nresult = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))\n",
    'numpy_f32_batch_naive_ce': H_NP + "p = np.array([[0.1, 0.8, 0.1], [0.3, 0.3, 0.4]], dtype=np.float32)\nresult = -np.mean(np.log(p[range(2), [1, 2]]))\n",
    # ---- for loops (run iteration by iteration)
    'loop_numpy_ce': H_NP + "def loop_cross_entropy(logits, labels):\n    total = 0.0\n    for i in range(len(labels)):\n        row = logits[i]\n        shifted = row - np.max(row)\n        log_probs = shifted - np.log(np.sum(np.exp(shifted)))\n        total += -log_probs[labels[i]]\n    return total / len(labels)\n\nz = np.array([[2.0, 4.0, 1.0], [0.5, -1.25, 3.0], [1000.0, 0.0, -5.0]])\ny = np.array([1, 2, 0])\nresult = loop_cross_entropy(z, y)\n",
    'loop_numpy_rows': H_NP + "z = np.array([[2.0, 4.0, 1.0], [0.5, -1.25, 3.0]], dtype=np.float32)\nacc = np.zeros(3, dtype=np.float32)\nfor row in z:\n    acc = acc + np.exp(row - np.max(row))\nresult = acc\n",
    'loop_torch_ce': H_TORCH + "z = torch.tensor([[2.0, 4.0, 1.0], [0.5, -1.25, 3.0], [100.0, 0.0, -5.0]])\ny = [1, 2, 0]\nloss = torch.tensor(0.0)\nfor i, t in [(0, 1), (1, 2), (2, 0)]:\n    loss = loss - F.log_softmax(z[i], dim=0)[t]\nresult = loss / 3\n",
    'loop_python_sum': "xs = [0.1, 0.2, 0.3, 0.4]\ntotal = 0.0\nfor x in xs:\n    total += x * x\nfor k in range(3):\n    total = total * 0.5 + k\nresult = total\n",
    # ---- Python
    'python_math_log': "import math\nresult = -math.log(0.8)\n",
    'python_list_sum': "xs = [0.1, 0.2, 0.3]\nresult = sum(xs) / len(xs)\n",
}


def enc_num(v):
    v = float(v)
    if math.isnan(v): return 'nan'
    if math.isinf(v): return 'inf' if v > 0 else '-inf'
    return v


def describe(v):
    if isinstance(v, torch.Tensor):
        a = v.detach().numpy()
        return {'type': 'torch.Tensor', 'dtype': str(a.dtype), 'shape': list(a.shape), 'value': enc(a), 'printed': str(v)}
    if isinstance(v, np.ndarray):
        return {'type': 'numpy.ndarray', 'dtype': str(v.dtype), 'shape': list(v.shape), 'value': enc(v), 'printed': str(v)}
    if isinstance(v, np.generic):
        return {'type': 'numpy.' + type(v).__name__, 'dtype': str(v.dtype), 'shape': [], 'value': enc(np.asarray(v)), 'printed': str(v)}
    if isinstance(v, bool):
        return {'type': 'bool', 'dtype': 'bool', 'shape': [], 'value': v, 'printed': repr(v)}
    if isinstance(v, int):
        return {'type': 'int', 'dtype': 'int64', 'shape': [], 'value': v, 'printed': repr(v)}
    if isinstance(v, float):
        return {'type': 'float', 'dtype': 'float64', 'shape': [], 'value': enc_num(v), 'printed': repr(v)}
    raise TypeError(type(v))


def enc(a):
    a = np.asarray(a)
    if a.ndim == 0:
        x = a.item()
        return x if isinstance(x, (bool, int)) else enc_num(x)
    return [enc(x) for x in a]


# Randomised programs (seeded): random logits/targets through the templates below.
rng = np.random.default_rng(20261129)
def lit(a):
    return repr(np.asarray(a).tolist()).replace('inf', "float('inf')")
TORCH_T = [
    "result = F.cross_entropy(z, y{kw})",
    "result = nn.CrossEntropyLoss({kw0})(z, y)",
    "result = F.nll_loss(F.log_softmax(z, dim=1), y{kw})",
    "result = torch.softmax(z, dim=1)",
    "result = F.log_softmax(z, dim=-1)",
    "result = -torch.log(torch.softmax(z, dim=1)[range({n}), y]).mean()",
    "result = torch.logsumexp(z, dim=1) - z.max(dim=1)[0]",
    "result = (z - z.mean()) * 2.5",
    "result = F.binary_cross_entropy_with_logits(z, (z > 0).float(){kw2})",
    "result = z.sum(dim=1) / z.abs().sum()",
]
NP_T = [
    "result = np.max(z, axis=1)",
    "result = z - np.max(z, axis=1, keepdims=True)",
    "result = z[range({n}), y] * 2 - z.mean(axis=1)",
    "result = np.clip(z, -1.5, 1.5) + z.min()",
    "result = z.sum(axis=0) / {n}",
]
random_cases = {}
for k in range(60):
    lib = 'torch' if k % 3 else 'numpy'
    n = int(rng.integers(1, 5)); c = int(rng.integers(2, 7))
    scale = float(rng.choice([0.5, 3.0, 30.0]))
    z = np.round(rng.normal(0, scale, (n, c)), 3)
    if rng.random() < 0.15:
        z[0, int(rng.integers(0, c))] = float(rng.choice([1000.0, -1000.0, 120.0]))
    y = rng.integers(0, c, n)
    if lib == 'torch':
        t = TORCH_T[k % len(TORCH_T)]
        opts = [", reduction='sum'", ", reduction='none'", ", label_smoothing=0.25", "", ", weight=torch.tensor(%s)" % lit(np.round(rng.uniform(0.5, 2, c), 2))]
        kw = opts[int(rng.integers(0, len(opts)))]
        if 'nll_loss' in t and 'label_smoothing' in kw: kw = ''
        kw2 = ", reduction='sum'" if rng.random() < 0.5 else ''
        body = t.format(kw=kw, kw0=kw[2:], n=n, kw2=kw2)
        src = H_TORCH + f"z = torch.tensor({lit(z)})\ny = torch.tensor({lit(y)})\n{body}\n"
    else:
        t = NP_T[k % len(NP_T)]
        src = H_NP + f"z = np.array({lit(z)})\ny = np.array({lit(y)})\n{t.format(n=n)}\n"
    random_cases[f'random_{k:02d}_{lib}'] = src
PROGRAMS.update(random_cases)

cases = []
for name, src in PROGRAMS.items():
    ns = {}
    exec(compile(src, name, 'exec'), ns)
    cases.append({'name': name, 'source': src, **describe(ns['result'])})

# Double softmax (SL001): cross_entropy(softmax(z), y) vs cross_entropy(z, y) and both gradients.
DOUBLE = [
    ([[2.0, 4.0, 1.0]], [1], {}),
    ([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]], [2, 0], {}),
    ([[0.5, -1.25, 3.0], [2.0, 2.0, -7.5]], [2, 0], {'reduction': 'sum'}),
    ([[10.0, 0.0], [0.0, 10.0], [3.0, 3.0]], [0, 0, 1], {'label_smoothing': 0.2}),
]
double = []
for z, y, kw in DOUBLE:
    zt = torch.tensor(z, requires_grad=True)
    yt = torch.tensor(y)
    got = torch.nn.functional.cross_entropy(torch.softmax(zt, dim=1), yt, **kw)
    got.backward()
    g_get = zt.grad.clone()
    zt.grad = None
    meant = torch.nn.functional.cross_entropy(zt, yt, **kw)
    meant.backward()
    kws = ''.join(f', {k}={v!r}' for k, v in kw.items())
    src = H_TORCH + f"z = torch.tensor({z!r})\ny = torch.tensor({y!r})\np = torch.softmax(z, dim=1)\nresult = F.cross_entropy(p, y{kws})\n"
    double.append({'source': src, 'lossYouGet': enc(got.detach().numpy()), 'lossYouMeant': enc(meant.detach().numpy()), 'gradientYouGet': enc(g_get.numpy()), 'gradientYouMeant': enc(zt.grad.numpy())})

cpu = {k: v for k, v in np.core._multiarray_umath.__cpu_features__.items() if k in ('AVX2', 'AVX512F')}
path = os.path.join(OUT, 'programs.json')
with open(path, 'w') as fh:
    json.dump({'torch': torch.__version__, 'numpy': np.__version__, 'scipy': scipy.__version__, 'machine': platform.machine(), 'cpu': cpu, 'cases': cases, 'doubleSoftmax': double}, fh, indent=1)
print(f'{len(cases)} programs -> {path}')
