// The generated training script of the editor benchmarks (bench/run.ts, bench/editor.ts, bench/profile-edit.ts).

function countLines(t: string): number {
  let n = 1;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) n++;
  return n;
}

export function trainingScript(lines: number): string {
  const head = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport numpy as np\n\n';
  const block = (i: number) => `
class Net${i}(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(32, 10)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        h = self.drop(self.fc(x))
        return h


def train_${i}(model, data, epochs=3):
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        for x, y in data:
            logits = model(x)
            loss = criterion(logits, y)
            probs = F.softmax(logits, dim=1)
            acc = (probs.argmax(1) == y).float().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return acc
`;
  let out = head;
  for (let i = 0; countLines(out) < lines; i++) out += block(i);
  return out;
}
