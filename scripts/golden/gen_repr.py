# Python's repr(float) for test/golden/float_repr.json (hover prints round-trip digits with
# it): random doubles across the exponents where Python and JavaScript switch between positional
# and exponent notation, the boundaries themselves, integers, float32-rounded values.
# Run with /usr/bin/python3 (any Python 3 prints the same; NumPy only rounds to float32).
import json, math, random, struct
import numpy as np

random.seed(20261130)
values = []
for e in range(-12, 24):
    for _ in range(25):
        m = random.random() * 9 + 1
        v = m * 10.0 ** e
        values.append(v)
        values.append(-v)
        values.append(float(np.float32(v)))
for b in [1e-4, 1e16, 1e-7, 1e21]:
    values += [b, math.nextafter(b, 0), math.nextafter(b, math.inf), -b]
values += [0.1, 0.2, 0.3, 1 / 3, 2 / 3, 0.5, 1.5, 1e15 + 0.5, 123456789.125, 5e-324, 2.2250738585072014e-308,
           1.7976931348623157e308, 3.0, -7.0, 1e16, 1e17, 2.0 ** 53, 2.0 ** 53 + 2, 0.0001, 0.00009999999999999999]
for _ in range(500):
    bits = random.getrandbits(64)
    v = struct.unpack('<d', struct.pack('<Q', bits))[0]
    if math.isfinite(v):
        values.append(v)
# each value as the 16 hex digits of its IEEE 754 bits (big-endian), and Python's repr
cases = [[struct.pack('>d', v).hex(), repr(v)] for v in values]
with open('test/golden/float_repr.json', 'w') as f:
    json.dump({'source': 'Python repr(float) (scripts/golden/gen_repr.py)', 'cases': cases}, f, separators=(',', ':'))
print(len(cases))
