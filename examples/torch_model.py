# A classifier whose forward already applies softmax, trained with CrossEntropyLoss.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Classifier(nn.Module):
    def __init__(self, n_in: int, n_classes: int):
        super().__init__()
        self.fc = nn.Linear(n_in, n_classes)

    def forward(self, x):
        return F.softmax(self.fc(x), dim=1)


model = Classifier(16, 4)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for step in range(100):
    x = torch.randn(32, 16)
    y = torch.randint(0, 4, (32,))
    loss = criterion(model(x), y)  # SL002: the model's output is already probabilities
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

log_probs = torch.log(F.softmax(model.fc(x), dim=1))  # SL003
