#!/usr/bin/python3
"""Executable truth for the fixes: runs each original program in test/truth/cases/ and the program
the fixer made of it (test/truth/fixed/, written by `UPDATE_TRUTH=1 npm test`) under real PyTorch /
NumPy, and records whether the fixed program computes the expected stable value and the original
does not. Run with Debian's interpreter (the one that has torch):

    /usr/bin/python3 scripts/truth/gen_truth.py

Writes test/golden/truth.json; test/truth.test.ts checks that the fixer still produces exactly the
verified fixed programs, so CI needs no torch.
"""
import hashlib
import json
import math
import os
import sys
import warnings

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CASES = os.path.join(ROOT, "test", "truth", "cases")
FIXED = os.path.join(ROOT, "test", "truth", "fixed")
OUT = os.path.join(ROOT, "test", "golden", "truth.json")


def to_list(v):
    if isinstance(v, torch.Tensor):
        return v.detach().double().tolist()
    if isinstance(v, np.ndarray):
        return v.astype(np.float64).tolist()
    return float(v)


def flat(v):
    if isinstance(v, list):
        out = []
        for x in v:
            out.extend(flat(x))
        return out
    return [v]


def run(path):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    ns = {"__name__": "__truth__"}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        exec(compile(src, path, "exec"), ns)
    return src, to_list(ns["result"]), to_list(ns["expected"])


def close(a, b):
    fa, fb = flat(a), flat(b)
    if len(fa) != len(fb):
        return False
    return all(math.isfinite(x) and abs(x - y) <= 1e-5 + 1e-5 * abs(y) for x, y in zip(fa, fb))


def enc(v):
    if isinstance(v, list):
        return [enc(x) for x in v]
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def main():
    cases = []
    for name in sorted(os.listdir(CASES)):
        if not name.endswith(".py"):
            continue
        fixed_path = os.path.join(FIXED, name)
        if not os.path.exists(fixed_path):
            print(f"missing fixed program for {name}: run UPDATE_TRUTH=1 npm test first", file=sys.stderr)
            sys.exit(1)
        _, orig, expected = run(os.path.join(CASES, name))
        fixed_src, fixed, _ = run(fixed_path)
        cases.append({
            "case": name,
            "fixedSha256": hashlib.sha256(fixed_src.encode("utf-8")).hexdigest(),
            "original": enc(orig),
            "fixed": enc(fixed),
            "expected": enc(expected),
            "fixedMatchesExpected": close(fixed, expected),
            "originalMatchesExpected": close(orig, expected),
        })
        c = cases[-1]
        print(f"{name}: fixed ok={c['fixedMatchesExpected']} original ok={c['originalMatchesExpected']}")
    meta = {"torch": torch.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"generator": "scripts/truth/gen_truth.py", "versions": meta, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
