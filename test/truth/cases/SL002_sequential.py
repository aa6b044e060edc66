# SL002: nn.Sequential ending in nn.Softmax into F.cross_entropy (unsafe fix: drop the final Softmax).
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 3), nn.Softmax(dim=1))
x = torch.tensor([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, -3.0, 4.0]])
y = torch.tensor([2, 0])
result = F.cross_entropy(model(x), y)

expected = F.cross_entropy(model[2](model[1](model[0](x))), y)
