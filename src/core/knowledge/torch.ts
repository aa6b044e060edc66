// PyTorch: which calls produce which kind, and which parameters expect which kind.
import type { ApiTable, MethodTable } from './types';

const F = 'torch.nn.functional';
const fw = 'torch' as const;
const x0 = { name: 'input', pos: 0 };

export const torchApi: ApiTable = {
  // activations
  [`${F}.softmax`]: { role: 'activation', produces: 'prob-softmax', input: x0, dim: { name: 'dim', pos: 1 }, logVariant: `${F}.log_softmax`, framework: fw },
  'torch.softmax': { role: 'activation', produces: 'prob-softmax', input: x0, dim: { name: 'dim', pos: 1 }, logVariant: 'torch.log_softmax', framework: fw },
  'torch.special.softmax': { role: 'activation', produces: 'prob-softmax', input: x0, dim: { name: 'dim', pos: 1 }, logVariant: 'torch.special.log_softmax', framework: fw },
  [`${F}.log_softmax`]: { role: 'activation', produces: 'logprob', input: x0, dim: { name: 'dim', pos: 1 }, framework: fw },
  'torch.log_softmax': { role: 'activation', produces: 'logprob', input: x0, dim: { name: 'dim', pos: 1 }, framework: fw },
  'torch.special.log_softmax': { role: 'activation', produces: 'logprob', input: x0, dim: { name: 'dim', pos: 1 }, framework: fw },
  [`${F}.sigmoid`]: { role: 'activation', produces: 'prob-sigmoid', input: x0, logVariant: `${F}.logsigmoid`, framework: fw },
  'torch.sigmoid': { role: 'activation', produces: 'prob-sigmoid', input: x0, logVariant: `${F}.logsigmoid`, framework: fw },
  'torch.special.expit': { role: 'activation', produces: 'prob-sigmoid', input: x0, logVariant: `${F}.logsigmoid`, framework: fw },
  [`${F}.logsigmoid`]: { role: 'activation', produces: 'logsigmoid', input: x0, framework: fw },
  // elementwise and reductions
  'torch.log': { role: 'log', input: x0, framework: fw },
  'torch.exp': { role: 'exp', input: x0, framework: fw },
  'torch.sum': { role: 'reduce', op: 'sum', input: x0, axis: { name: 'dim', pos: 1 }, framework: fw },
  'torch.mean': { role: 'reduce', op: 'mean', input: x0, axis: { name: 'dim', pos: 1 }, framework: fw },
  'torch.max': { role: 'reduce', op: 'max', input: x0, axis: { name: 'dim', pos: 1 }, framework: fw },
  'torch.amax': { role: 'reduce', op: 'max', input: x0, axis: { name: 'dim', pos: 1 }, framework: fw },
  'torch.clamp': { role: 'guard', input: x0, lower: { name: 'min', pos: 1 }, framework: fw },
  'torch.clip': { role: 'guard', input: x0, lower: { name: 'min', pos: 1 }, framework: fw },
  'torch.clamp_min': { role: 'guard', input: x0, lower: { name: 'min', pos: 1 }, framework: fw },
  'torch.maximum': { role: 'guard', input: x0, lower: { name: 'other', pos: 1 }, framework: fw },
  'torch.logsumexp': { role: 'logsumexp', input: x0, framework: fw },
  'torch.squeeze': { role: 'same-values', input: x0, framework: fw },
  'torch.unsqueeze': { role: 'same-values', input: x0, framework: fw },
  'torch.reshape': { role: 'same-values', input: x0, framework: fw },
  'torch.flatten': { role: 'same-values', input: x0, framework: fw },
  // losses (functional)
  [`${F}.cross_entropy`]: { role: 'loss', family: 'ce', expects: [{ arg: x0, kind: 'logits' }], framework: fw },
  [`${F}.nll_loss`]: { role: 'loss', family: 'nll', expects: [{ arg: x0, kind: 'logprob' }], framework: fw },
  [`${F}.binary_cross_entropy`]: { role: 'loss', family: 'bce', expects: [{ arg: x0, kind: 'prob' }], framework: fw },
  [`${F}.binary_cross_entropy_with_logits`]: { role: 'loss', family: 'bce-logits', expects: [{ arg: x0, kind: 'logits' }], framework: fw },
  'torch.binary_cross_entropy_with_logits': { role: 'loss', family: 'bce-logits', expects: [{ arg: x0, kind: 'logits' }], framework: fw },
  [`${F}.kl_div`]: { role: 'loss', family: 'kl', expects: [{ arg: x0, kind: 'logprob' }], framework: fw },
  // loss modules
  'torch.nn.CrossEntropyLoss': { role: 'loss-class', family: 'ce', call: [{ arg: { pos: 0, name: 'input' }, kind: 'logits' }], framework: fw },
  'torch.nn.NLLLoss': { role: 'loss-class', family: 'nll', call: [{ arg: { pos: 0, name: 'input' }, kind: 'logprob' }], framework: fw },
  'torch.nn.BCELoss': { role: 'loss-class', family: 'bce', call: [{ arg: { pos: 0, name: 'input' }, kind: 'prob' }], framework: fw },
  'torch.nn.BCEWithLogitsLoss': { role: 'loss-class', family: 'bce-logits', call: [{ arg: { pos: 0, name: 'input' }, kind: 'logits' }], framework: fw },
  'torch.nn.KLDivLoss': { role: 'loss-class', family: 'kl', call: [{ arg: { pos: 0, name: 'input' }, kind: 'logprob' }], framework: fw },
  // layers
  'torch.nn.Softmax': { role: 'activation-class', produces: 'prob-softmax', dim: { name: 'dim', pos: 0 }, framework: fw },
  'torch.nn.LogSoftmax': { role: 'activation-class', produces: 'logprob', dim: { name: 'dim', pos: 0 }, framework: fw },
  'torch.nn.Sigmoid': { role: 'activation-class', produces: 'prob-sigmoid', framework: fw },
  'torch.nn.LogSigmoid': { role: 'activation-class', produces: 'logsigmoid', framework: fw },
  'torch.nn.Linear': { role: 'layer-class', framework: fw },
  'torch.nn.LazyLinear': { role: 'layer-class', framework: fw },
  'torch.nn.Bilinear': { role: 'layer-class', framework: fw },
  [`${F}.linear`]: { role: 'activation', produces: 'logits', input: x0, framework: fw },
  'torch.nn.Sequential': { role: 'sequential', layers: 'varargs', framework: fw },
  'torch.nn.Module': { role: 'model-base', method: 'forward', framework: fw },
};

/** Tensor methods (receiver is the input). */
export const torchMethods: MethodTable = {
  softmax: { role: 'activation', produces: 'prob-softmax', input: {}, dim: { name: 'dim', pos: 0 }, logVariant: 'log_softmax', framework: fw },
  log_softmax: { role: 'activation', produces: 'logprob', input: {}, dim: { name: 'dim', pos: 0 }, framework: fw },
  sigmoid: { role: 'activation', produces: 'prob-sigmoid', input: {}, framework: fw },
  log: { role: 'log', input: {}, framework: fw },
  exp: { role: 'exp', input: {}, framework: fw },
  sum: { role: 'reduce', op: 'sum', input: {}, axis: { name: 'dim', pos: 0 }, framework: fw },
  mean: { role: 'reduce', op: 'mean', input: {}, axis: { name: 'dim', pos: 0 }, framework: fw },
  max: { role: 'reduce', op: 'max', input: {}, axis: { name: 'dim', pos: 0 }, framework: fw },
  amax: { role: 'reduce', op: 'max', input: {}, axis: { name: 'dim', pos: 0 }, framework: fw },
  clamp: { role: 'guard', input: {}, lower: { name: 'min', pos: 0 }, framework: fw },
  clip: { role: 'guard', input: {}, lower: { name: 'min', pos: 0 }, framework: fw },
  clamp_min: { role: 'guard', input: {}, lower: { name: 'min', pos: 0 }, framework: fw },
  logsumexp: { role: 'logsumexp', input: {}, framework: fw },
  // same values, another shape/dtype/device
  ...Object.fromEntries(
    ['squeeze', 'unsqueeze', 'view', 'reshape', 'flatten', 'contiguous', 'float', 'double', 'half', 'detach', 'clone', 'cpu', 'cuda'].map((m) => [m, { role: 'same-values', input: {}, framework: fw }]),
  ),
};

/** nn.Module methods that return the module itself (`model = Net().to(device)` is still the model). */
export const modelSelfMethods: ReadonlySet<string> = new Set(['to', 'cuda', 'cpu', 'train', 'eval', 'float', 'double', 'half', 'bfloat16', 'requires_grad_', 'to_empty']);
