// Printing values the way the libraries print them, for hovers:
//  - formatTorch: str(tensor) of PyTorch 1.13 (torch/_tensor_str.py: 4 decimals, scientific when
//    max/min > 1000, max > 1e8 or min < 1e-4, integer-valued floats as `1000.`, nan/inf, padding,
//    80-column wrapping, `, dtype=torch.float64` suffix).
//  - formatNumpyScalar: repr(np.float64(x)) / repr(np.float32(x)) (shortest round-trip digits).
//  - formatNumpyArray: str(np.array(x)) (precision 8, 'maxprec', 75 columns, `[0.1 0.8 0.1]`).
// Decimal conversions are exact (BigInt) with round-half-even, like Python's and NumPy's.

export { formatFixed, formatExp } from './decimal';
export { formatTorch, type TorchFormatOptions } from './format-torch';
export { formatNumpyScalar, formatNumpyArray, type NumpyArrayFormatOptions } from './format-numpy';
