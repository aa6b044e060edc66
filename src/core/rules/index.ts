// The registry: every rule of the catalogue, one file each.
import type { Rule } from './rule';
import SL001 from './SL001-probabilities-into-logits-loss';
import SL003 from './SL003-log-of-softmax';
import SL002 from './SL002-softmax-model-into-logits-loss';
import SL007 from './SL007-probabilities-into-nll-loss';
import SL008 from './SL008-sigmoid-into-bce';
import SL009 from './SL009-logits-into-probability-loss';
import SL004 from './SL004-log-of-sigmoid';
import SL006 from './SL006-unstable-softmax';
import SL005 from './SL005-naive-cross-entropy';
import SL010 from './SL010-log-of-raw-probabilities';

export const rules: readonly Rule[] = [SL001, SL003, SL002, SL007, SL008, SL009, SL004, SL006, SL005, SL010];
