# The PyTorch example from the reference document, and the mistake it warns about.
import torch
import torch.nn as nn

loss_fn = nn.CrossEntropyLoss()

# Logits (raw, unnormalized scores) — NOT probabilities
logits = torch.tensor([[2.0, 4.0, 1.0]])  # shape (1, 3)
target = torch.tensor([1])  # true class index
loss = loss_fn(logits, target)
print(loss.item())  # PyTorch prints 0.1698 (the document says 0.1429)

# ❌ Common mistake: passing softmax output
double = loss_fn(torch.softmax(logits, dim=1), target)
log_probs = torch.log(torch.softmax(logits, dim=1))
