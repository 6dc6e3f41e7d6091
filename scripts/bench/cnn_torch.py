#!/usr/bin/python3
"""PyTorch reference for `npm run bench -- cnn` (scripts/bench/cnn.js): the same custom CNN
(kernel-lib models/cnn.ts PAPER_CNN: 4 x [Conv 5x5 same + ReLU + MaxPool 5x5 stride 2 'same'],
Dropout 0.3 after block 3, Flatten, Dense 32 ReLU, Dropout 0.3, Dense 8), Adam lr 5e-5,
categorical cross-entropy, random 128x128x3 inputs, all cores. Prints one JSON line.
Keras 'same' max pooling (5x5, stride 2) on even sizes pads 1 before and 2 after: PyTorch pads
symmetrically, so the input is padded explicitly with -inf, giving the same output size
(128 -> 64 -> 32 -> 16 -> 8) and the same 2,813,672 parameters."""
import json, os, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

args = dict(a.split('=', 1) for a in sys.argv[1:])
batch = int(args.get('batch', 16))
steps = int(args.get('steps', 2))
size = int(args.get('size', 128))
stride = int(args.get('stride', 2))
hidden = int(args.get('hidden', 32))
threads = int(args.get('threads', os.cpu_count()))
torch.set_num_threads(threads)
torch.manual_seed(0)


class SamePool(nn.Module):
    def __init__(self, k, s):
        super().__init__()
        self.k, self.s = k, s

    def forward(self, x):
        n = x.shape[-1]
        out = -(-n // self.s)
        pad = max(0, (out - 1) * self.s + self.k - n)
        x = F.pad(x, (pad // 2, pad - pad // 2, pad // 2, pad - pad // 2), value=float('-inf'))
        return F.max_pool2d(x, self.k, self.s)


def block(ci, co):
    return [nn.Conv2d(ci, co, 5, 1, 2), nn.ReLU(), SamePool(5, stride)]


layers = block(3, 256) + block(256, 256) + block(256, 128) + [nn.Dropout(0.3)] + block(128, 64) + [nn.Flatten()]
with torch.no_grad():
    flat = nn.Sequential(*layers)(torch.zeros(1, 3, size, size)).shape[1]
layers += [nn.Linear(flat, hidden), nn.ReLU(), nn.Dropout(0.3), nn.Linear(hidden, 8)] if hidden else [nn.Dropout(0.3), nn.Linear(flat, 8)]
model = nn.Sequential(*layers)
opt = torch.optim.Adam(model.parameters(), lr=5e-5, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(batch, 3, size, size)
y = torch.randint(0, 8, (batch,))


def step():
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()


step()  # warm-up
t = time.time()
for _ in range(steps):
    step()
dt = time.time() - t
print(json.dumps({
    'torch': torch.__version__, 'threads': torch.get_num_threads(), 'batch': batch, 'steps': steps,
    'params': sum(p.numel() for p in model.parameters()), 'seconds': dt, 'samplesPerSecond': batch * steps / dt,
}))
