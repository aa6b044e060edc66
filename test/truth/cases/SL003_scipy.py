# SL003: np.log(scipy.special.softmax(x)) in float64.
import numpy as np
import scipy.special

x = np.array([[800.0, 0.0, -5.0]])
result = np.log(scipy.special.softmax(x, axis=1))

expected = np.array([[0.0, -800.0, -805.0]])
