# The naive and the stable NumPy cross-entropy from the reference document.
import numpy as np

y_true = np.array([0, 1, 0])  # true class is index 1
y_pred = np.array([0.1, 0.8, 0.1])  # model's prediction

# Full sum (works because only one y_c is 1)
loss = -np.sum(y_true * np.log(y_pred))
print(loss)  # 0.2231 (-log(0.8))

# Shortcut: index directly into the correct class
loss_fast = -np.log(y_pred[1])
print(loss_fast)  # 0.2231


def stable_cross_entropy(logits, y_true):
    """
    logits: raw model output (before softmax)
    y_true: integer class index
    """
    # Subtract max for numerical stability
    shifted = logits - np.max(logits)
    log_sum_exp = np.log(np.sum(np.exp(shifted)))
    log_softmax = shifted - log_sum_exp
    return -log_softmax[y_true]


logits = np.array([2.0, 4.0, 1.0])  # raw scores
print(stable_cross_entropy(logits, y_true=1))  # loss for class 1: 0.16984601955628548


def naive_softmax(x):
    return np.exp(x) / np.sum(np.exp(x))  # overflows for x = [1000., 0.]


log_probs = np.log(naive_softmax(np.array([1000.0, 0.0])))
