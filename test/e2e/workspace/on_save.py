import torch
import torch.nn.functional as F

logits = torch.randn(4, 3)
target = torch.tensor([0, 2, 1, 0])
loss = F.cross_entropy(F.softmax(logits, dim=1), target)
