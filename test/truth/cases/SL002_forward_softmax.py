# SL002: a model whose forward returns softmax, trained with CrossEntropyLoss (unsafe fix: forward returns logits).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3, bias=False)
        with torch.no_grad():
            self.fc.weight.copy_(torch.tensor([[2.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 1.0]]))

    def forward(self, x):
        return F.softmax(self.fc(x), dim=1)


model = Net()
x = torch.tensor([[1.0, 1.0, 1.0], [3.0, -1.0, 0.5]])
y = torch.tensor([1, 0])
result = nn.CrossEntropyLoss()(model(x), y)

expected = F.cross_entropy(model.fc(x), y)
