// NumPy and SciPy.
import type { ApiTable } from './types';

const a0 = { name: 'a', pos: 0 };
const x0 = { name: 'x', pos: 0 };

export const numpyApi: ApiTable = {
  'numpy.log': { role: 'log', input: x0, framework: 'numpy' },
  'numpy.exp': { role: 'exp', input: x0, framework: 'numpy' },
  'numpy.sum': { role: 'reduce', op: 'sum', input: a0, axis: { name: 'axis', pos: 1 }, framework: 'numpy' },
  'numpy.mean': { role: 'reduce', op: 'mean', input: a0, axis: { name: 'axis', pos: 1 }, framework: 'numpy' },
  'numpy.average': { role: 'reduce', op: 'mean', input: a0, axis: { name: 'axis', pos: 1 }, framework: 'numpy' },
  'numpy.max': { role: 'reduce', op: 'max', input: a0, axis: { name: 'axis', pos: 1 }, framework: 'numpy' },
  'numpy.amax': { role: 'reduce', op: 'max', input: a0, axis: { name: 'axis', pos: 1 }, framework: 'numpy' },
  'numpy.clip': { role: 'guard', input: a0, lower: { name: 'a_min', pos: 1 }, framework: 'numpy' },
  'numpy.maximum': { role: 'guard', input: x0, lower: { pos: 1 }, framework: 'numpy' },
  'scipy.special.softmax': { role: 'activation', produces: 'prob-softmax', input: x0, dim: { name: 'axis', pos: 1 }, logVariant: 'scipy.special.log_softmax', framework: 'scipy' },
  'scipy.special.log_softmax': { role: 'activation', produces: 'logprob', input: x0, dim: { name: 'axis', pos: 1 }, framework: 'scipy' },
  'scipy.special.expit': { role: 'activation', produces: 'prob-sigmoid', input: x0, logVariant: 'scipy.special.log_expit', framework: 'scipy' },
  'scipy.special.log_expit': { role: 'activation', produces: 'logsigmoid', input: x0, framework: 'scipy' },
  'scipy.special.logsumexp': { role: 'logsumexp', input: a0, framework: 'scipy' },
  'scipy.misc.logsumexp': { role: 'logsumexp', input: a0, framework: 'scipy' },
};

export const sklearnApi: ApiTable = {};
