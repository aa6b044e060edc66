# SL006: exp(x) / sum(exp(x)) overflows to nan; the max-shifted form is the exact softmax.
import numpy as np
import scipy.special

x = np.array([[1000.0, 999.0, 0.0], [1.0, 2.0, 3.0]])
result = np.exp(x - np.max(x, axis=1, keepdims=True)) / np.sum(np.exp(x - np.max(x, axis=1, keepdims=True)), axis=1, keepdims=True)

expected = scipy.special.softmax(x, axis=1)
