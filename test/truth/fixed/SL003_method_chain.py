# SL003: the method chain x.softmax(dim).log().
import torch

x = torch.tensor([[-200.0, 0.0, 200.0]])
result = x.log_softmax(1)

expected = torch.tensor([[-400.0, -200.0, 0.0]])
