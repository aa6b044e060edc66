# SL001: F.cross_entropy(F.softmax(logits)) with label smoothing kept.
import torch
import torch.nn.functional as F

logits = torch.tensor([[2.0, 4.0, 1.0], [10.0, -10.0, 0.0]])
target = torch.tensor([1, 0])
result = F.cross_entropy(F.softmax(logits, dim=1), target, label_smoothing=0.1)

expected = torch.nn.functional.cross_entropy(logits, target, label_smoothing=0.1)
