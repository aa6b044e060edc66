// glibc 2.36 expf (sysdeps/ieee754/flt-32/e_expf.c, Szabolcs Nagy's algorithm): what
// `std::exp(float)` returns in PyTorch's scalar loops. It is not correctly rounded (about 0.06% of
// results are 1 ULP from the correctly rounded value), so the kernel evaluates the same steps:
// x * 32/ln2 = k + r, 2^(k/32) from a table of correctly rounded values, a cubic in r, in double.
import { crExp2Frac } from './cr';
import { fma64 } from './f64';

/** m * 2^e for a hex-float literal 0x1.<frac>p<e> with a 52-bit fraction. */
function hexf(mant: string, e: number): number {
  return parseInt(mant, 16) * Math.pow(2, e - 52);
}
const N = 32;
const INV_LN2_N = hexf('171547652b82fe', 0) * N; // 0x1.71547652b82fep+0 * N
const C0 = hexf('1c6af84b912394', -5) / N / N / N;
const C1 = hexf('1ebfce50fac4f3', -3) / N / N;
const C2 = hexf('162e42ff0c52d6', -1) / N;
const T: number[] = [];
for (let i = 0; i < N; i++) T.push(crExp2Frac(i, N));
const OFLOW = Math.fround(hexf('162e42e0000000', 6)); // 0x1.62e42ep6f ~= 88.72
const UFLOW = -Math.fround(hexf('19fe3680000000', 6)); // -0x1.9fe368p6f ~= -103.97

function rint(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) return 2 * Math.round(x / 2);
  return r;
}

export function glibcExpf(x: number): number {
  x = Math.fround(x);
  if (Number.isNaN(x)) return NaN;
  if (x === -Infinity) return 0;
  if (x === Infinity) return Infinity;
  if (Math.abs(x) >= 88) {
    if (x > OFLOW) return Infinity;
    if (x < UFLOW) return 0;
  }
  const z = INV_LN2_N * x;
  const kd = rint(z);
  const r = z - kd;
  const i = ((kd % N) + N) % N;
  const s = T[i]! * Math.pow(2, (kd - i) / N);
  const zz = fma64(C0, r, C1);
  const r2 = r * r;
  let y = fma64(C2, r, 1);
  y = fma64(zz, r2, y);
  return Math.fround(y * s);
}
