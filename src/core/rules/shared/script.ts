// TypeScript/JavaScript files are TensorFlow.js: messages and fix titles there name TF.js's APIs
// (`tf.logSoftmax`, `tf.losses.softmaxCrossEntropy`), never PyTorch's or Python Keras's.
import type { RuleContext } from '../rule';

/** The file is TypeScript or JavaScript (TensorFlow.js). */
export function isScript(ctx: Pick<RuleContext, 'module'>): boolean {
  return ctx.module.language === 'typescript' || ctx.module.language === 'javascript';
}

/** TF.js names of the stable functions, for messages. */
export const tfjsName = {
  logSoftmax: 'tf.logSoftmax',
  logSigmoid: 'tf.logSigmoid',
  logSumExp: 'tf.logSumExp',
  softmaxCrossEntropy: 'tf.losses.softmaxCrossEntropy',
  sigmoidCrossEntropy: 'tf.losses.sigmoidCrossEntropy',
} as const;
