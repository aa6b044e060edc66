// JAX, Flax and optax.
import type { ApiTable } from './types';

const fw = 'jax' as const;
const x0 = { name: 'x', pos: 0 };
const a0 = { name: 'a', pos: 0 };

export const jaxApi: ApiTable = {
  'jax.nn.softmax': { role: 'activation', produces: 'prob-softmax', input: x0, dim: { name: 'axis', pos: 1 }, logVariant: 'jax.nn.log_softmax', framework: fw },
  'jax.nn.log_softmax': { role: 'activation', produces: 'logprob', input: x0, dim: { name: 'axis', pos: 1 }, framework: fw },
  'jax.nn.sigmoid': { role: 'activation', produces: 'prob-sigmoid', input: x0, logVariant: 'jax.nn.log_sigmoid', framework: fw },
  'jax.nn.log_sigmoid': { role: 'activation', produces: 'logsigmoid', input: x0, framework: fw },
  'jax.scipy.special.expit': { role: 'activation', produces: 'prob-sigmoid', input: x0, logVariant: 'jax.nn.log_sigmoid', framework: fw },
  'jax.numpy.log': { role: 'log', input: x0, framework: fw },
  'jax.numpy.exp': { role: 'exp', input: x0, framework: fw },
  'jax.numpy.sum': { role: 'reduce', op: 'sum', input: a0, axis: { name: 'axis', pos: 1 }, framework: fw },
  'jax.numpy.mean': { role: 'reduce', op: 'mean', input: a0, axis: { name: 'axis', pos: 1 }, framework: fw },
  'jax.numpy.max': { role: 'reduce', op: 'max', input: a0, axis: { name: 'axis', pos: 1 }, framework: fw },
  'jax.numpy.clip': { role: 'guard', input: a0, lower: { name: 'a_min', pos: 1 }, framework: fw },
  'jax.numpy.maximum': { role: 'guard', input: x0, lower: { pos: 1 }, framework: fw },
  'jax.nn.logsumexp': { role: 'logsumexp', input: a0, framework: fw },
  'jax.scipy.special.logsumexp': { role: 'logsumexp', input: a0, framework: fw },
  'optax.softmax_cross_entropy': { role: 'loss', family: 'ce', expects: [{ arg: { name: 'logits', pos: 0 }, kind: 'logits' }], framework: 'optax' },
  'optax.softmax_cross_entropy_with_integer_labels': { role: 'loss', family: 'ce', expects: [{ arg: { name: 'logits', pos: 0 }, kind: 'logits' }], framework: 'optax' },
  'optax.sigmoid_binary_cross_entropy': { role: 'loss', family: 'bce-logits', expects: [{ arg: { name: 'logits', pos: 0 }, kind: 'logits' }], framework: 'optax' },
};
