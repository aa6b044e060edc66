// @ts-nocheck (TensorFlow.js is not installed in the e2e workspace)
import * as tf from '@tensorflow/tfjs';

export function trainingLoss(labels: tf.Tensor, x: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(labels, tf.softmax(x));
}
