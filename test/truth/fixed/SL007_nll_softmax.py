# SL007: softmax into NLLLoss gives -p_y; log_softmax gives the cross-entropy.
import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([[2.0, 4.0, 1.0], [0.0, 10.0, 0.0]])
target = torch.tensor([1, 0])
result = nn.NLLLoss()(F.log_softmax(logits, dim=1), target)

expected = F.cross_entropy(logits, target)
