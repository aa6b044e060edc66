// One lookup over every library table. Adding an API = adding a row to a table; adding a library
// = a new table file listed here (and, if it has several import paths, a row in `aliases`).
import { d2lApi } from './d2l';
import { jaxApi } from './jax';
import { numpyApi, sklearnApi } from './numpy';
import { kerasLossStrings as kerasPyLossStrings, tensorflowApi } from './tensorflow';
import { tfjsApi, tfjsLossStrings, tfjsMethods } from './tfjs';
import { torchApi, torchMethods } from './torch';
import type { ApiSpec, ApiTable, Framework, MethodTable } from './types';

export * from './types';
export { kerasActivationKinds } from './tensorflow';
export { tfjsPackages } from './tfjs';

/** Keras `compile(loss=...)` strings (Python snake_case and the TF.js Layers API's camelCase). */
export const kerasLossStrings: Record<string, 'ce' | 'bce'> = { ...kerasPyLossStrings, ...tfjsLossStrings };
export { modelSelfMethods } from './torch';

const tables: ApiTable[] = [torchApi, numpyApi, sklearnApi, tensorflowApi, jaxApi, tfjsApi, d2lApi];

const api = new Map<string, ApiSpec>();
for (const t of tables) for (const [k, v] of Object.entries(t)) api.set(k, v);

/**
 * Prefix rewrites that map the many import paths of one API onto the table's canonical name.
 * Longest prefix first.
 */
const aliases: [string, string][] = [
  ['tensorflow.compat.v1.keras.', 'tensorflow.keras.'],
  ['tensorflow.compat.v2.keras.', 'tensorflow.keras.'],
  ['tensorflow.compat.v1.', 'tensorflow.'],
  ['tensorflow.compat.v2.', 'tensorflow.'],
  ['tensorflow.python.keras.', 'tensorflow.keras.'],
  ['tensorflow.keras.src.', 'tensorflow.keras.'],
  ['tensorflow.nn.math.', 'tensorflow.math.'],
  ['tf_keras.', 'tensorflow.keras.'],
  ['keras.src.', 'tensorflow.keras.'],
  ['keras.', 'tensorflow.keras.'],
  ['tensorflow.keras.layers.core.', 'tensorflow.keras.layers.'],
  ['tensorflow.keras.src.', 'tensorflow.keras.'],
  ['torch.nn.modules.loss.', 'torch.nn.'],
  ['torch.nn.modules.activation.', 'torch.nn.'],
  ['torch.nn.modules.linear.', 'torch.nn.'],
  ['torch.nn.modules.container.', 'torch.nn.'],
  ['torch.nn.modules.module.', 'torch.nn.'],
  ['torch.nn.modules.', 'torch.nn.'],
  ['torch.functional.', 'torch.'],
  ['flax.linen.', 'jax.nn.'],
  ['optax.losses.', 'optax.'],
  ['optax._src.loss.', 'optax.'],
  ['scipy.special._logsumexp.', 'scipy.special.'],
  ['numpy.core.', 'numpy.'],
  ['jax.numpy.', 'jax.numpy.'],
];

/** Module names that are also import roots of the libraries (a name bound to one of these is a library module). */
export const libraryRoots = new Set(['torch', 'numpy', 'scipy', 'tensorflow', 'keras', 'tf_keras', 'jax', 'flax', 'optax', 'sklearn', 'tfjs', 'd2l']);

export function canonical(qname: string): string {
  // Memoised (the tables are static; the rules ask for the same few names on every call node).
  let r = canonicalMemo.get(qname);
  if (r === undefined) {
    if (canonicalMemo.size >= 20_000) canonicalMemo.clear();
    canonicalMemo.set(qname, (r = canonicalUncached(qname)));
  }
  return r;
}

const canonicalMemo = new Map<string, string>();

function canonicalUncached(qname: string): string {
  for (const [from, to] of aliases) {
    if (qname.startsWith(from)) return to + qname.slice(from.length);
    if (qname + '.' === from) return to.slice(0, -1); // the package itself: `keras` → `tensorflow.keras`
  }
  return qname;
}

export function lookupApi(qname: string): ApiSpec | undefined {
  return api.get(qname) ?? api.get(canonical(qname));
}

/** Tensor methods known to behave as the table says when the receiver is a tensor. */
export const tensorMethods: MethodTable = torchMethods;

/** The tensor method table for the language of a module (TF.js's chained ops in TypeScript/JavaScript). */
export function methodsFor(language: 'python' | 'typescript' | 'javascript' | undefined): MethodTable {
  return language === 'typescript' || language === 'javascript' ? tfjsMethods : torchMethods;
}

/**
 * In TypeScript/JavaScript a method call is taken for a TF.js tensor method only when its arguments
 * are literals (`x.softmax(-1)`, `x.sum(1, true)`): `helper.softmax(x)` on an object the analysis
 * does not know is another library's or the project's function. Arithmetic methods (`a.sub(b)`) take
 * tensors and are exempt.
 */
export function methodArgsMustBeLiterals(language: 'python' | 'typescript' | 'javascript' | undefined): boolean {
  return language === 'typescript' || language === 'javascript';
}

/**
 * Methods that call a layer instance like calling it directly, per framework: the TF.js Layers API
 * (and tf.keras 2) applies a layer to a tensor with `layer.apply(x)`. Not torch: `Module.apply(fn)`
 * applies fn to the submodules.
 */
export const layerApplyMethods: Partial<Record<Framework, string>> = { keras: 'apply' };

/** The canonical name of a library function under which `lookupApi` finds it (for fixes that name it). */
export function hasApi(qname: string): boolean {
  return lookupApi(qname) !== undefined;
}

/**
 * Every library name the tables know, with its meaning, for gates that ask which names a text must
 * contain for the analysis to give a value a meaning (the project index's inert modules,
 * `analysis/project.ts`): the rows of the API tables, each with the import roots it is reached from
 * (its own, and those of the aliases that rewrite onto it: `keras.layers.Dense` is
 * `tensorflow.keras.layers.Dense`), and the tensor methods of Python (`methodsFor('python')`),
 * reached as an attribute of any value (`roots` undefined).
 */
export function knownNames(): { qname: string; spec: ApiSpec; roots?: string[] }[] {
  const out: { qname: string; spec: ApiSpec; roots?: string[] }[] = [];
  for (const [qname, spec] of api) {
    const roots = new Set([qname.split('.')[0]]);
    for (const [from, to] of aliases) if (qname.startsWith(to) || `${qname}.` === to) roots.add(from.split('.')[0]);
    out.push({ qname, spec, roots: [...roots] });
  }
  for (const [name, spec] of Object.entries(methodsFor('python'))) out.push({ qname: name, spec });
  return out;
}
