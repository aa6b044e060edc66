# SL004: log(sigmoid(x)) and log(1 - sigmoid(x)) are -inf where logsigmoid is finite.
import torch

x = torch.tensor([-200.0, -1.0, 0.0, 3.0, 120.0])
result = torch.stack([torch.nn.functional.logsigmoid(x), torch.nn.functional.logsigmoid(-x)])

expected = torch.stack([-torch.nn.functional.softplus(-x), -torch.nn.functional.softplus(x)])
