// Dive into Deep Learning's framework shims (`from d2l import torch as d2l`): `d2l.exp`, `d2l.log`,
// `d2l.reduce_sum(X, 1, keepdims=True)` are the framework's own functions (d2l/torch.py:
// `exp = torch.exp`, `reduce_sum = lambda x, *args, **kwargs: x.sum(*args, **kwargs)`), so the book's
// from-scratch softmax and cross-entropy, copied into many projects, are analysed like the originals.
import type { ApiTable, Framework } from './types';

const x0 = { pos: 0 };
const shim = (fw: Framework): ApiTable => {
  const p = fw === 'tensorflow' ? 'd2l.tensorflow' : fw === 'jax' ? 'd2l.jax' : 'd2l.torch';
  const sigmoidVariant = fw === 'tensorflow' ? 'tensorflow.math.log_sigmoid' : fw === 'jax' ? 'jax.nn.log_sigmoid' : 'torch.nn.functional.logsigmoid';
  return {
    [`${p}.exp`]: { role: 'exp', input: x0, framework: fw },
    [`${p}.log`]: { role: 'log', input: x0, framework: fw },
    [`${p}.sigmoid`]: { role: 'activation', produces: 'prob-sigmoid', input: x0, logVariant: sigmoidVariant, framework: fw },
    [`${p}.reduce_sum`]: { role: 'reduce', op: 'sum', input: x0, axis: { name: fw === 'torch' ? 'dim' : 'axis', pos: 1 }, framework: fw },
    [`${p}.reduce_mean`]: { role: 'reduce', op: 'mean', input: x0, axis: { name: fw === 'torch' ? 'dim' : 'axis', pos: 1 }, framework: fw },
  };
};

export const d2lApi: ApiTable = { ...shim('torch'), ...shim('tensorflow'), ...shim('jax') };
