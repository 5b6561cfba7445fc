"""PyTorch's side of the quality race (`npm run quality`; run as /usr/bin/python3).

The same recipe, data split and validation measure as bench/quality.js, written as a
PyTorch user writes char-rnn: one-hot input to nn.LSTM (dropout between layers) with
nn.Dropout before an nn.Linear decoder (dropout on every layer's output, as minrnn and
char-rnn drop), B streams over equal slices of the training text, windows of T
characters, the carried state detached between windows and reset at the wrap, the loss
summed over time and averaged over streams, the gradients clamped elementwise to
[-clip, clip] and then by clip_grad_norm_, torch.optim.Adam.

Validation, as minrnn's validationLoss(): the held-out text (the last 10% of the
characters) read in order as one sequence from a zero state, in windows of T whose state
carries over, no dropout; the mean loss per character over its whole windows.

Trains for --minutes of wall time (the evaluations included, as the user waits them),
evaluating every --eval seconds. Prints one JSON line per evaluation and a last line
{"name", "config", "iterations", "charsPerSecond", "curve", "bestValidation", "finalValidation"}.

  /usr/bin/python3 bench/reference/torch_quality.py --data ../shared/data/tinyshakespeare.txt --minutes 10
"""
import argparse
import json
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--minutes", type=float, default=10)
parser.add_argument("--eval", type=float, default=30, help="seconds between evaluations")
parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (one is PyTorch's fastest on this 2-core machine)")
parser.add_argument("--cell", default="lstm", choices=["lstm", "gru"])
parser.add_argument("--layers", type=int, default=2)
parser.add_argument("--hidden", type=int, default=128)
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--seq", type=int, default=50)
parser.add_argument("--lr", type=float, default=2e-3)
parser.add_argument("--clip", type=float, default=5.0)
parser.add_argument("--clip-norm", type=float, default=5.0)
parser.add_argument("--dropout", type=float, default=0.1)
parser.add_argument("--seed", type=int, default=42)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
chars = list(open(args.data, encoding="utf-8").read())   # code points, as Array.from
cut = int(len(chars) * 0.9)                                # the last 10% held out, as bench/quality.js
vocab = sorted(set(chars))
index = {c: i for i, c in enumerate(vocab)}
train = torch.tensor([index[c] for c in chars[:cut]], dtype=torch.long)
validation = torch.tensor([index[c] for c in chars[cut:]], dtype=torch.long)
V, H, T, B, L = len(vocab), args.hidden, args.seq, args.batch, args.layers


class CharRNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[args.cell]
        self.rnn = cls(V, H, num_layers=L, dropout=args.dropout if L > 1 else 0)
        self.drop = torch.nn.Dropout(args.dropout)
        self.decoder = torch.nn.Linear(H, V)

    def forward(self, x, state):
        out, state = self.rnn(torch.nn.functional.one_hot(x, V).float(), state)
        return self.decoder(self.drop(out)), state


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def zero_state(batch):
    h = torch.zeros(L, batch, H)
    return (h, torch.zeros(L, batch, H)) if args.cell == "lstm" else h


model = CharRNN()
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
params = list(model.parameters())
slice_len = len(train) // B
starts = torch.arange(B) * slice_len
loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")


def validation_loss():
    """Mean loss per character over the held-out windows, read in order from a zero state.

    The windows are contiguous and the state carries across them, so they run as one
    sequence, in chunks of steps (one call per chunk, not per window)."""
    model.eval()
    steps = (len(validation) - 1) // T * T
    total, state = 0.0, zero_state(1)
    with torch.no_grad():
        for at in range(0, steps, 2000):
            n = min(2000, steps - at)
            x = validation[at:at + n + 1]
            logits, state = model(x[:-1].unsqueeze(1), state)
            total += loss_fn(logits.squeeze(1), x[1:]).item()
    model.train()
    return total / steps


start = time.perf_counter()
minutes = lambda: (time.perf_counter() - start) / 60
curve, losses = [], []
best = float("inf")
iteration, position, state = 0, 0, zero_state(B)
next_eval = args.eval


def evaluate():
    global best, losses
    val = validation_loss()
    train_loss = sum(losses) / len(losses) / T if losses else None
    losses = []
    best = min(best, val)
    point = {"minutes": round(minutes(), 3), "iteration": iteration, "train": train_loss, "validation": val}
    curve.append(point)
    print(json.dumps(point), flush=True)


while minutes() * 60 < args.minutes * 60:
    if position + T + 1 >= slice_len or iteration == 0:
        state, position = zero_state(B), 0
    rows = (starts.unsqueeze(0) + position + torch.arange(T + 1).unsqueeze(1))   # [T+1, B]
    x = train[rows]
    logits, state = model(x[:-1], detach(state))
    loss = loss_fn(logits.reshape(T * B, V), x[1:].reshape(T * B)) / B
    optimizer.zero_grad()
    loss.backward()
    for p in params:
        p.grad.clamp_(-args.clip, args.clip)
    torch.nn.utils.clip_grad_norm_(params, args.clip_norm)
    optimizer.step()
    iteration += 1
    position += T
    if iteration % 10 == 0:
        losses.append(loss.item())
    if minutes() * 60 >= next_eval:
        evaluate()
        next_eval += args.eval
if not curve or curve[-1]["iteration"] != iteration:
    evaluate()

config = {k: getattr(args, k) for k in ("cell", "layers", "hidden", "batch", "seq", "lr", "clip", "clip_norm", "dropout", "seed", "threads")}
print(json.dumps({
    "name": f"PyTorch {torch.__version__} {args.cell} {L}x{H}, {args.threads} thread{'s' if args.threads > 1 else ''}",
    "config": config, "seconds": args.minutes * 60, "iterations": iteration,
    "charsPerSecond": round(iteration * T * B / (minutes() * 60)),
    "curve": curve, "bestValidation": best, "finalValidation": curve[-1]["validation"],
}))
