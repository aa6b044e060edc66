import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.randn(8, 10)
target = torch.randint(0, 10, (8,))
label = "🔥 softmax twice"; a = F.cross_entropy(torch.softmax(logits, dim=1), target)
b = nn.CrossEntropyLoss()(torch.softmax(logits, dim=-1), target)
c = torch.log(torch.softmax(logits, dim=1))
