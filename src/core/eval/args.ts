// Argument binding and coercion helpers for library calls.
import type { DType } from '../kernel';
import { canonical } from '../knowledge';
import { NotEvaluable, describe, pyNumber, type ArrayLib, type CallArgs, type Value } from './values';

/**
 * Binds a call's arguments to a library signature. `params`: names in positional order; a name
 * starting with '*' is keyword-only. Arguments the evaluator ignores safely go in `ignored`
 * (e.g. device=); any other unknown keyword makes the call not evaluable.
 */
export function bind(fname: string, args: CallArgs, params: string[], ignored: string[] = []): Record<string, Value | undefined> {
  const out: Record<string, Value | undefined> = {};
  const positional = params.filter((p) => !p.startsWith('*'));
  if (args.pos.length > positional.length) throw new NotEvaluable(`${fname}: too many positional arguments`);
  args.pos.forEach((v, i) => (out[positional[i]!] = v));
  for (const [k, v] of args.kw) {
    if (params.includes(k) || params.includes(`*${k}`)) {
      if (out[k] !== undefined) throw new NotEvaluable(`${fname}: got multiple values for '${k}'`);
      out[k] = v;
    } else if (!ignored.includes(k)) throw new NotEvaluable(`${fname}: argument \`${k}=\` is not evaluated`);
  }
  return out;
}

export function isNone(v: Value | undefined): boolean {
  return v === undefined || v.t === 'none';
}

export function int(v: Value | undefined, what: string, def?: number): number {
  if (isNone(v)) {
    if (def === undefined) throw new NotEvaluable(`${what} is required`);
    return def;
  }
  if (v!.t === 'int') return v!.v;
  if (v!.t === 'array' && v!.x.ndim === 0 && v!.x.dtype === 'int64') return v!.x.data[0]!;
  throw new NotEvaluable(`${what} must be an integer, got ${describe(v!)}`);
}

export function num(v: Value | undefined, what: string, def?: number): number {
  if (isNone(v)) {
    if (def === undefined) throw new NotEvaluable(`${what} is required`);
    return def;
  }
  if (v!.t === 'array' && v!.x.size === 1 && v!.x.ndim === 0) return v!.x.data[0]!;
  return pyNumber(v!);
}

export function bool(v: Value | undefined, what: string, def: boolean): boolean {
  if (isNone(v)) return def;
  if (v!.t === 'bool') return v!.v;
  if (v!.t === 'int') return v!.v !== 0;
  throw new NotEvaluable(`${what} must be a bool`);
}

export function str(v: Value | undefined, what: string, def: string): string {
  if (isNone(v)) return def;
  if (v!.t === 'str') return v!.v;
  throw new NotEvaluable(`${what} must be a string`);
}

/** dim / axis: an int, a tuple/list of ints, or None (all). */
export function dims(v: Value | undefined): number | number[] | null {
  if (isNone(v)) return null;
  if (v!.t === 'int') return v!.v;
  if (v!.t === 'tuple' || v!.t === 'list') return v!.items.map((x) => int(x, 'dim'));
  throw new NotEvaluable(`dim/axis must be an int or a tuple of ints, got ${describe(v!)}`);
}

const DTYPES: Record<string, DType> = {
  'torch.float32': 'float32', 'torch.float': 'float32', 'torch.float64': 'float64', 'torch.double': 'float64',
  'torch.int64': 'int64', 'torch.long': 'int64', 'torch.bool': 'bool',
  'numpy.float32': 'float32', 'numpy.single': 'float32', 'numpy.float64': 'float64', 'numpy.double': 'float64', 'numpy.float_': 'float64',
  'numpy.int64': 'int64', 'numpy.int_': 'int64', 'numpy.bool_': 'bool',
  'tensorflow.float32': 'float32', 'tensorflow.float64': 'float64', 'tensorflow.int64': 'int64', 'tensorflow.bool': 'bool',
  'jax.numpy.float32': 'float32', 'jax.numpy.float64': 'float64',
};
const DTYPE_STRINGS: Record<string, DType> = { float32: 'float32', float64: 'float64', f4: 'float32', f8: 'float64', int64: 'int64', i8: 'int64', bool: 'bool', float: 'float64', double: 'float64' };

export function dtypeOfRef(qname: string): DType | undefined {
  return DTYPES[canonical(qname)];
}

/** dtype= argument. Unknown dtypes (int32, float16, ...) are not evaluated. */
export function dtype(v: Value | undefined, lib: ArrayLib): DType | null {
  if (isNone(v)) return null;
  const x = v!;
  if (x.t === 'dtype') return x.dtype;
  if (x.t === 'ref') {
    const d = dtypeOfRef(x.qname);
    if (d) return d;
    throw new NotEvaluable(`dtype \`${x.qname}\` is not evaluated`);
  }
  if (x.t === 'builtin') {
    if (x.name === 'float') return 'float64';
    if (x.name === 'int') return lib === 'numpy' ? 'int64' : 'int64';
    if (x.name === 'bool') return 'bool';
  }
  if (x.t === 'str' && DTYPE_STRINGS[x.v]) return DTYPE_STRINGS[x.v]!;
  throw new NotEvaluable(`dtype ${describe(x)} is not evaluated`);
}
