"""PyTorch's speed on minrnn's recipe, the peer in `npm run bench` (run as /usr/bin/python3).

The model a PyTorch user writes for char-rnn: one-hot input to nn.RNN / nn.LSTM / nn.GRU
and an nn.Linear decoder, in float32 on --threads threads (default one). The loop is minrnn's: B streams over
equal slices of the text, windows of T characters, the carried state detached between
windows and reset at the wrap, loss summed over time and averaged over streams,
elementwise clip, then min-char-rnn's Adagrad (mem += g², p -= lr·g/√(mem + 1e-8)), as
minrnn does by default. Prints one line of JSON: {"charsPerSec": ...}.
"""
import argparse
import json
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--cell", default="lstm", choices=["rnn", "lstm", "gru"])
parser.add_argument("--layers", type=int, default=2)
parser.add_argument("--hidden", type=int, default=128)
parser.add_argument("--seq", type=int, default=50)
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--iters", type=int, default=20)
parser.add_argument("--warmup", type=int, default=3)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--clip", type=float, default=5.0)
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
text = open(args.data, encoding="utf-8").read()
vocab = sorted(set(text))
index = {c: i for i, c in enumerate(vocab)}
data = torch.tensor([index[c] for c in text], dtype=torch.long)
V, H, T, B = len(vocab), args.hidden, args.seq, args.batch
cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[args.cell]
rnn = cls(V, H, num_layers=args.layers)
decoder = torch.nn.Linear(H, V)
params = list(rnn.parameters()) + list(decoder.parameters())
mem = [torch.zeros_like(p) for p in params]
slice_len = len(data) // B
starts = torch.arange(B) * slice_len
position, state = 0, None


def iteration(first):
    global position, state
    if first or position + T + 1 >= slice_len:
        position, state = 0, None
    idx = starts[None, :] + position + torch.arange(T + 1)[:, None]   # [T+1, B]
    window = data[idx]
    x = torch.nn.functional.one_hot(window[:-1], V).float()          # [T, B, V]
    out, new_state = rnn(x, state)
    logits = decoder(out)                                              # [T, B, V]
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), window[1:].reshape(-1), reduction="sum") / B
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p, m in zip(params, mem):
            g = p.grad.clamp_(-args.clip, args.clip)
            m.add_(g * g)
            p.add_(-args.lr * g / torch.sqrt(m + 1e-8))
    state = tuple(s.detach() for s in new_state) if isinstance(new_state, tuple) else new_state.detach()
    position += T


for i in range(args.warmup):
    iteration(i == 0)
start = time.perf_counter()
for _ in range(args.iters):
    iteration(False)
elapsed = time.perf_counter() - start
print(json.dumps({"charsPerSec": args.iters * T * B / elapsed, "torch": torch.__version__}))
