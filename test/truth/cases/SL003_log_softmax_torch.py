# SL003: log(softmax(x)) gives -inf where log_softmax is finite.
import torch
import torch.nn.functional as F

x = torch.tensor([[1000.0, 0.0], [1.0, 2.0]])
result = torch.log(F.softmax(x, dim=1))

expected = torch.tensor([[0.0, -1000.0], [-1.3132616875182228, -0.31326168751822286]])
