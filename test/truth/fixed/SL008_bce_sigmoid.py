# SL008: BCELoss on sigmoid saturates (log clamped at -100); BCEWithLogitsLoss is exact.
import torch
import torch.nn as nn

z = torch.tensor([2.0, -1.0, 20.0, -110.0])
y = torch.tensor([1.0, 0.0, 0.0, 1.0])
result = nn.BCEWithLogitsLoss(reduction="none")(z, y)

expected = torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="none")
