// The vocabulary of library knowledge. Tables (one file per library) are plain data of these shapes;
// the analysis reads them and contains no library names of its own.

/** What a tensor holds, as far as the analysis can be sure. */
export type Kind = 'logits' | 'prob-softmax' | 'prob-sigmoid' | 'logprob' | 'prob';

export type Framework = 'torch' | 'numpy' | 'scipy' | 'tensorflow' | 'keras' | 'jax' | 'optax' | 'tfjs' | 'sklearn';

/** How a parameter is found in a call: by keyword name and/or position (0-based, after self). */
export interface ArgRef {
  name?: string;
  pos?: number;
}

/** A parameter of a loss and the kind it expects. */
export interface Expects {
  arg: ArgRef;
  /** logits: raw scores; prob: probabilities; logprob: log-probabilities. */
  kind: 'logits' | 'prob' | 'logprob';
}

export type LossFamily = 'ce' | 'nll' | 'bce' | 'bce-logits' | 'kl';

/**
 * What calling a library function (or constructing a library class, or calling a tensor method) means.
 * `input` is the tensor operand; for methods it is the receiver unless given.
 */
export type ApiSpec =
  /** softmax / sigmoid / log_softmax / logsigmoid. `logVariant` is the qualified name of the fused log form. */
  | { role: 'activation'; produces: Kind | 'logsigmoid'; input: ArgRef; dim?: ArgRef; logVariant?: string; framework: Framework }
  | { role: 'log'; input: ArgRef; framework: Framework }
  | { role: 'exp'; input: ArgRef; framework: Framework }
  | { role: 'reduce'; op: 'sum' | 'mean' | 'max'; input: ArgRef; axis?: ArgRef; framework: Framework }
  /** clip/clamp/maximum: the result is bounded away from 0 (when a lower bound is given). */
  | { role: 'guard'; input: ArgRef; lower?: ArgRef; framework: Framework }
  | { role: 'logsumexp'; input: ArgRef; framework: Framework }
  /**
   * Arithmetic written as a call (TF.js `tf.sub(a, b)`, `a.sub(b)`, `tf.neg(x)`): evaluated like the operator.
   * Operands: positions 0 and 1 for functions; the receiver and position 0 for methods.
   */
  | { role: 'arith'; op: '+' | '-' | '*' | '/' | 'neg'; framework: Framework }
  /** A tensor holding one number given as a literal (TF.js `tf.scalar(1)`): its value is that number, so `tf.scalar(1).sub(p)` is `1 - p`. */
  | { role: 'scalar'; input: ArgRef; framework: Framework }
  /** Runs its callback (the last positional argument) and returns the callback's result: TF.js `tf.tidy(fn)`. */
  | { role: 'returns-callback'; framework: Framework }
  /** A loss function. `fromLogits`: a keyword that switches what the prediction argument expects. */
  | { role: 'loss'; family: LossFamily; expects: Expects[]; fromLogits?: { name: string; default: boolean; pos?: number }; framework: Framework }
  /** A loss class; calling the instance behaves like `call`. Constructor keywords come from `fromLogits`. */
  | { role: 'loss-class'; family: LossFamily; call: Expects[]; fromLogits?: { name: string; default: boolean; pos?: number }; framework: Framework }
  /** An activation layer class (nn.Softmax(dim=1), keras Softmax()): calling the instance applies it. */
  | { role: 'activation-class'; produces: Kind | 'logsigmoid'; dim?: ArgRef; framework: Framework }
  /** A layer whose output is raw scores (nn.Linear, keras Dense without activation). `activation`: keras keyword. */
  | { role: 'layer-class'; activation?: ArgRef; framework: Framework }
  /** keras Activation('softmax'). */
  | { role: 'activation-layer'; activation: ArgRef; framework: Framework }
  /** A container whose output is its last layer's (nn.Sequential(*layers), keras Sequential([layers])). */
  | { role: 'sequential'; layers: 'varargs' | ArgRef; framework: Framework }
  /** keras.Model(inputs, outputs). */
  | { role: 'functional-model'; outputs: ArgRef; framework: Framework }
  /** Base classes of user models (nn.Module, keras.Model): `forward`/`call` gives the instance's output. */
  | { role: 'model-base'; method: 'forward' | 'call'; framework: Framework }
  /** An API whose result holds probabilities of unknown provenance (predict_proba). */
  | { role: 'probabilities'; framework: Framework }
  /** Shape, dtype or device changes (squeeze, view, float, detach): the result holds the input's values. */
  | { role: 'same-values'; input: ArgRef; framework: Framework }
  /** A library function that must be treated as opaque (shadows nothing; listed for completeness). */
  | { role: 'other'; framework: Framework };

/** A table: qualified name → meaning. Aliases are separate rows (or canonical prefixes). */
export type ApiTable = Record<string, ApiSpec>;

/** Tensor methods: method name → meaning with the receiver as input. */
export type MethodTable = Record<string, ApiSpec>;
