# SL009: NLL on the raw output of a Linear layer is -z_y; cross_entropy is the loss meant.
import torch
import torch.nn as nn
import torch.nn.functional as F

head = nn.Linear(2, 3, bias=False)
with torch.no_grad():
    head.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]))
x = torch.tensor([[2.0, 2.0], [-1.0, 0.5]])
y = torch.tensor([1, 2])
result = F.nll_loss(head(x), y)

expected = F.nll_loss(F.log_softmax(head(x), dim=1), y)
