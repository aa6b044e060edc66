# SL001: the reference's mistake — softmax output passed to nn.CrossEntropyLoss.
import torch
import torch.nn as nn

loss_fn = nn.CrossEntropyLoss()
logits = torch.tensor([[2.0, 4.0, 1.0], [0.5, -1.0, 3.0]])
target = torch.tensor([1, 2])
probs = torch.softmax(logits, dim=1)
result = loss_fn(logits, target)

expected = torch.nn.functional.cross_entropy(logits, target)
