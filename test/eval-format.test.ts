// '{:.pf}' formatting must round the exact binary value half to even, as Python does. The fast
// exclusion of non-ties in format.ts is checked against the exact decimal expansion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../src/core/eval/format';

/** Python's rounding of the exact value, from a 100-digit expansion (slow, obviously right). */
function reference(x: number, p: number): string {
  const a = Math.abs(x);
  const s = a.toFixed(Math.min(100, p + 60));
  const [i, f = ''] = s.split('.');
  const keep = (i ?? '') + f.slice(0, p);
  const rest = f.slice(p);
  let n = BigInt(keep);
  const tie = rest[0] === '5' && /^0*$/.test(rest.slice(1));
  if (rest[0]! > '5' || (rest[0] === '5' && !tie) || (tie && n % 2n === 1n)) n += 1n;
  let digits = n.toString().padStart(p + 1, '0');
  digits = p ? `${digits.slice(0, -p)}.${digits.slice(-p)}` : digits;
  return (x < 0 || Object.is(x, -0) ? '-' : '') + digits;
}

test('formatFixed rounds half to even on the exact value (random values and exact ties)', () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let ties = 0;
  for (let i = 0; i < 20000; i++) {
    const p = Math.floor(rand() * 9);
    const x = i % 3 === 0 ? (Math.floor(rand() * 2000) - 1000 + 0.5) / 2 ** Math.floor(rand() * 4) : (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 3);
    if (i % 3 === 0) ties++;
    assert.equal(formatFixed(x, p), reference(x, p), `${x} with ${p} digits`);
  }
  assert.ok(ties > 5000);
  assert.equal(formatFixed(0.125, 2), '0.12');
  assert.equal(formatFixed(0.375, 2), '0.38');
  assert.equal(formatFixed(2.5, 0), '2');
});

test('formatFixed: exact ties and near-ties at up to 20 digits, subnormals, float32 values', () => {
  let seed = 777;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let p = 0; p <= 20; p++) {
    for (let i = 0; i < 300; i++) {
      const m = 2 * Math.floor(rand() * 2 ** 19) + 1; // odd
      for (const x of [m / 2 ** (p + 1), m / 2 ** (p + 2), m / 2 ** p, -m / 2 ** (p + 1), Math.fround(m / 2 ** (p + 1) + rand())]) {
        assert.equal(formatFixed(x, p), reference(x, p), `${x} with ${p} digits`);
      }
    }
  }
  for (const x of [5e-324, 2 ** -1074 * 3, 2 ** -1022, 1e20 + 0.5, 0.5, 1.5, 2.5, 1e-5, 9.5]) {
    for (const p of [0, 1, 4, 8]) assert.equal(formatFixed(x, p), reference(x, p), `${x} with ${p} digits`);
  }
});
