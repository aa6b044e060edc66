# SL001: sigmoid output passed to BCEWithLogitsLoss.
import torch
import torch.nn as nn

x = torch.tensor([3.0, -2.0, 0.5, 20.0])
y = torch.tensor([1.0, 0.0, 1.0, 0.0])
result = nn.BCEWithLogitsLoss()(x, y)

expected = torch.nn.functional.binary_cross_entropy_with_logits(x, y)
