# SL003: the method chain x.softmax(dim).log().
import torch

x = torch.tensor([[-200.0, 0.0, 200.0]])
result = x.softmax(1).log()

expected = torch.tensor([[-400.0, -200.0, 0.0]])
