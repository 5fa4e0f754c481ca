"""The seed's MLP in PyTorch: 100 -> 50 (ReLU) -> 10, softmax cross-entropy, Adam 0.001,
batch 256, 20,000 synthetic rows x 5 epochs. Prints JSON {samplesPerSec, seconds, threads}."""
import json, time
import torch
torch.manual_seed(1)
rows, inputs, classes, epochs, bs = 20000, 100, 10, 5, 256
x = torch.randn(rows, inputs)
y = torch.randint(0, classes, (rows,))
model = torch.nn.Sequential(torch.nn.Linear(inputs, 50), torch.nn.ReLU(), torch.nn.Linear(50, classes))
opt = torch.optim.Adam(model.parameters(), lr=0.001)
loss_fn = torch.nn.CrossEntropyLoss()
def epoch():
    perm = torch.randperm(rows)
    for s in range(0, rows, bs):
        idx = perm[s:s + bs]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
epoch()  # warm-up
t0 = time.perf_counter()
for _ in range(epochs):
    epoch()
s = time.perf_counter() - t0
print(json.dumps({"samplesPerSec": rows * epochs / s, "seconds": s, "threads": torch.get_num_threads()}))
