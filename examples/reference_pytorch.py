# The PyTorch example from the reference document, and the mistake it warns about.
import torch
import torch.nn as nn

loss_fn = nn.CrossEntropyLoss()

# Logits (raw, unnormalized scores) — NOT probabilities
logits = torch.tensor([[2.0, 4.0, 1.0]])  # shape (1, 3)
target = torch.tensor([1])  # true class index
loss = loss_fn(logits, target)
print(loss.item())  # PyTorch prints 0.1698460429906845 (the document says 0.1429)

# Common mistake: passing softmax output
probs = torch.softmax(logits, dim=1)
wrong = loss_fn(probs, target)  # SL001: softmax applied twice
