"""PyTorch reference fixtures for minrnn's cells, stacked layers and optimizers.

Run it as `/usr/bin/python3 tests/reference/torch_fixtures.py` (Debian's python3-torch);
it rewrites every tests/fixtures/torch-*.json, the same bytes on every run (on another
CPU, BLAS may round the float64 results differently in the last digits). The tests read
those files and need no torch.

What one fixture is: K iterations of truncated BPTT in float64 with torch.nn.RNN (tanh),
nn.LSTM or nn.GRU, then nn.Linear, following minrnn's documented training loop exactly
(../shared/reference/pytorch.md, "The training loop both sides follow"):
  - the text's distinct code points, sorted, are the vocabulary (size V); the input is one-hot;
  - B streams over B equal slices (slice = floor(len / B)); stream b reads at b·slice + p;
  - wrap when `iteration == 0 or p + T + 1 >= slice`: the carried state (h, and c for the
    LSTM) goes to zero and p = 0;
  - loss = cross_entropy(logits, targets, reduction="sum") / B, i.e. summed over the T steps
    and averaged over the streams; the carried state is detached between windows;
  - each iteration: backward, clip, optimizer update, p += T.
The initial weights are torch's own default initialization, drawn in float32 from a
fixed torch seed (so minrnn loads them exactly with loadStateDict); training then runs in
float64. The vanilla cell keeps min-char-rnn's single bias: every rnn.bias_hh_l{k} is
zeroed and frozen (never trained, its gradient and optimizer slots stay 0).

Optimizers: "adagrad" is min-char-rnn's, by hand (mem += g²; p -= lr·g/sqrt(mem + 1e-8);
slot `sum`), not torch.optim.Adagrad (which puts eps outside the sqrt). "adam" is
torch.optim.Adam (slots exp_avg, exp_avg_sq, and `step`); "rmsprop" is torch.optim.RMSprop
without momentum, not centered (slot square_avg). Clipping: `clip` is elementwise
(clamp_(-clip, clip), min-char-rnn's) and `clipNorm` is torch.nn.utils.clip_grad_norm_.

Each tests/fixtures/torch-<cell>-l<layers>-b<batch>-<optimizer>-<clip|norm>.json holds:
  config      cell, layers, hidden, seqLength, batch, optimizer, learningRate, and either
              clip (elementwise) or clipNorm (global L2 norm); alpha (rmsprop), betas
              (adam) and eps (all three); iterations (K); torchSeed (the init's seed)
  text        the training text; vocab: its code points, sorted (index i is symbol i)
  initial     {name: flat list} the float32 initial weights in PyTorch's state-dict
              names, row major; each number reads back (Math.fround) as the exact float32
  grads       {name: flat list} the first window's gradients, before clipping
  losses      [K] every iteration's loss (summed over T, averaged over B), float64
  positions   [K] the window start p each iteration used (after the wrap rule)
  clipped     the iterations in which the clip changed a gradient
  final       {name: flat list} the weights after K iterations
  slots       {"optim.<name>.<slot>": flat list} the optimizer state after K iterations,
              every parameter (a frozen vanilla bias_hh has zeros)
  step        Adam's step count after K iterations (Adam only)
  state       {"state.h_l<k>": [B·H], "state.c_l<k>" (LSTM)} the carried state after
              K iterations, [B, H] row major
  float32Drift  the same run in float32 torch from the same float32 initial weights,
              against this float64 run: how far torch itself is from exact. Keys:
              lossRel (max over iterations of |Δloss|/|loss|), lossRelFirst (iteration 0
              only), gradsAbs (max |Δ| over the first window's gradients), finalAbs (max
              |Δ| over every final weight), finalRel (that divided by the largest |weight|
              of the same tensor, the max over tensors), slotsRel (likewise for the slots),
              stateAbs (max |Δ| over the carried state)
Numbers are written as Python's repr of the float64 (17 significant digits at most).
"""
import json
import math
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures"

# Two short texts, so that every configuration wraps at least once within K iterations:
# one English sentence with punctuation, and one with accents, an ellipsis, and two
# astral-plane code points (a UTF-16 surrogate pair each, one symbol each to minrnn).
ENGLISH = "It was the best of times, it was the worst of times; it was the age of wisdom, it was the age of foolishness!"
UNICODE = "Crème brûlée? Ça va: très bien! 🙂 Naïve café… 𝄞 la, la, la; 🙂 encore!"

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
SLOTS = {"adagrad": ["sum"], "rmsprop": ["square_avg"], "adam": ["exp_avg", "exp_avg_sq"]}
EPS = 1e-8


class Net(torch.nn.Module):
    """One-hot input of size V, the recurrent layers, and a linear decoder: minrnn's names."""

    def __init__(self, cell, V, H, layers):
        super().__init__()
        kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
        extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        self.rnn = kind(V, H, num_layers=layers, **extra)
        self.decoder = torch.nn.Linear(H, V)

    def forward(self, x, state):
        out, state = self.rnn(x, state)
        return self.decoder(out), state


def parameter_names(layers):
    """minrnn's canonical order, which is also the fixture's."""
    names = []
    for k in range(layers):
        names += [f"rnn.weight_ih_l{k}", f"rnn.weight_hh_l{k}", f"rnn.bias_ih_l{k}", f"rnn.bias_hh_l{k}"]
    return names + ["decoder.weight", "decoder.bias"]


def initial_weights(cell, V, H, layers, seed):
    """torch's default init in float32 from `seed`; the vanilla cell's bias_hh zeroed."""
    torch.manual_seed(seed)
    net = Net(cell, V, H, layers)
    if cell == "rnn":
        with torch.no_grad():
            for k in range(layers):
                getattr(net.rnn, f"bias_hh_l{k}").zero_()
    return {name: t.detach().clone() for name, t in net.state_dict().items()}


def build(cell, V, H, layers, weights, dtype):
    net = Net(cell, V, H, layers).to(dtype)
    net.load_state_dict({n: w.to(dtype) for n, w in weights.items()})
    if cell == "rnn":
        for k in range(layers):
            getattr(net.rnn, f"bias_hh_l{k}").requires_grad_(False)
    return net


class MinCharAdagrad:
    """min-char-rnn's Adagrad, eps inside the sqrt: mem += g²; p -= lr·g/sqrt(mem + 1e-8)."""

    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr
        self.sums = [torch.zeros_like(p) for p in self.params]

    def sum_of(self, param):
        return next(s for p, s in zip(self.params, self.sums) if p is param)

    @torch.no_grad()
    def step(self):
        for p, mem in zip(self.params, self.sums):
            mem.addcmul_(p.grad, p.grad)
            p.sub_(self.lr * p.grad / torch.sqrt(mem + EPS))


def make_optimizer(config, net):
    trained = [p for p in net.parameters() if p.requires_grad]
    lr = config["learningRate"]
    if config["optimizer"] == "adagrad":
        return MinCharAdagrad(trained, lr)
    if config["optimizer"] == "adam":
        return torch.optim.Adam(trained, lr=lr, betas=tuple(config["betas"]), eps=config["eps"])
    return torch.optim.RMSprop(trained, lr=lr, alpha=config["alpha"], eps=config["eps"], momentum=0, centered=False)


def clip(config, params):
    """Clips the gradients in place; returns whether any value changed."""
    grads = [p.grad for p in params]
    if "clipNorm" in config:
        total = torch.norm(torch.stack([torch.norm(g, 2) for g in grads]), 2)
        torch.nn.utils.clip_grad_norm_(params, config["clipNorm"])
        return bool(config["clipNorm"] / (total + 1e-6) < 1)  # clip_grad_norm_'s coefficient
    c = config["clip"]
    bound = any(bool((g.abs() > c).any()) for g in grads)
    for g in grads:
        g.clamp_(-c, c)
    return bound


def train(config, text, weights, dtype):
    """K iterations of minrnn's loop; everything the fixture records, in `dtype`."""
    cell, L, H, T, B = config["cell"], config["layers"], config["hidden"], config["seqLength"], config["batch"]
    vocab = sorted({ord(ch) for ch in text})
    index = {cp: i for i, cp in enumerate(vocab)}
    data = torch.tensor([index[ord(ch)] for ch in text])
    V = len(vocab)
    span = len(data) // B  # one stream's slice
    net = build(cell, V, H, L, weights, dtype)
    optimizer = make_optimizer(config, net)
    trained = [p for p in net.parameters() if p.requires_grad]
    eye = torch.eye(V, dtype=dtype)
    zero = lambda: torch.zeros(L, B, H, dtype=dtype)  # noqa: E731
    state, p = None, 0
    losses, positions, clipped, first_grads = [], [], [], None
    for it in range(config["iterations"]):
        if it == 0 or p + T + 1 >= span:
            state, p = ((zero(), zero()) if cell == "lstm" else zero()), 0
        starts = torch.arange(B) * span + p
        window = data[starts[None, :] + torch.arange(T + 1)[:, None]]  # [T+1, B]
        logits, state = net(eye[window[:-1]], state)  # [T, B, V]
        loss = F.cross_entropy(logits.reshape(-1, V), window[1:].reshape(-1), reduction="sum") / B
        net.zero_grad(set_to_none=False)
        loss.backward()
        state = tuple(s.detach() for s in state) if cell == "lstm" else state.detach()
        if first_grads is None:
            first_grads = {n: (q.grad.clone() if q.grad is not None else torch.zeros_like(q)) for n, q in net.named_parameters()}
        if clip(config, trained):
            clipped.append(it)
        optimizer.step()
        losses.append(loss.item())
        positions.append(p)
        p += T
    hs, cs = (state if cell == "lstm" else (state, None))
    out = {
        "losses": losses,
        "positions": positions,
        "clipped": clipped,
        "grads": first_grads,
        "final": {n: q.detach().clone() for n, q in net.named_parameters()},
        "slots": slots_of(config, net, optimizer),
        "state": {f"state.h_l{k}": hs[k] for k in range(L)},
    }
    if cs is not None:
        out["state"].update({f"state.c_l{k}": cs[k] for k in range(L)})
    if config["optimizer"] == "adam":
        steps = {int(optimizer.state[q]["step"]) for q in trained}
        assert len(steps) == 1, steps
        out["step"] = steps.pop()
    return out


def slots_of(config, net, optimizer):
    """The optimizer state as minrnn's checkpoint names it, zeros for a frozen parameter."""
    named = dict(net.named_parameters())
    out = {}
    for slot in SLOTS[config["optimizer"]]:
        for name in parameter_names(config["layers"]):
            q = named[name]
            if not q.requires_grad:
                value = torch.zeros_like(q)
            elif config["optimizer"] == "adagrad":
                value = optimizer.sum_of(q)
            else:
                value = optimizer.state[q][slot]
            out[f"optim.{name}.{slot}"] = value
    return out


def flat64(t):
    return [float(v) for v in t.detach().double().reshape(-1).tolist()]


def flat32(t):
    """Shortest decimals that read back as the same float32; checked, else the exact float64."""
    out = []
    for v in t.detach().float().reshape(-1).numpy():
        short = float(str(v))
        out.append(short if np.float32(short) == v else float(v))
    return out


def drift(exact, approx):
    def rel_max(a, b):
        worst = 0.0
        for n in a:
            scale = float(a[n].abs().max()) or 1.0
            worst = max(worst, float((a[n] - b[n].double()).abs().max()) / scale)
        return worst

    def abs_max(a, b):
        return max(float((a[n] - b[n].double()).abs().max()) for n in a)

    losses = list(zip(exact["losses"], approx["losses"]))
    return {
        "lossRel": max(abs(a - b) / abs(a) for a, b in losses),
        "lossRelFirst": abs(losses[0][0] - losses[0][1]) / abs(losses[0][0]),
        "gradsAbs": abs_max(exact["grads"], approx["grads"]),
        "finalAbs": abs_max(exact["final"], approx["final"]),
        "finalRel": rel_max(exact["final"], approx["final"]),
        "slotsRel": rel_max(exact["slots"], approx["slots"]),
        "stateAbs": abs_max(exact["state"], approx["state"]),
    }


def fixture(cell, layers, batch, optimizer, clipping, *, text, hidden, seq, seed, iterations=32):
    config = {"cell": cell, "layers": layers, "hidden": hidden, "seqLength": seq, "batch": batch, "optimizer": optimizer}
    config["learningRate"] = 0.1 if optimizer == "adagrad" else 1e-2
    config.update(clipping)
    if optimizer == "rmsprop":
        config["alpha"] = 0.95
    if optimizer == "adam":
        config["betas"] = [0.9, 0.999]
    config["eps"] = EPS
    config["iterations"] = iterations
    config["torchSeed"] = seed

    V = len(set(text))
    weights = initial_weights(cell, V, hidden, layers, seed)
    exact = train(config, text, weights, torch.float64)
    approx = train(config, text, weights, torch.float32)
    assert exact["positions"] == approx["positions"]
    assert exact["positions"].count(0) >= 2, f"{cell} l{layers} b{batch}: no wrap after the first iteration in {iterations}"
    names = parameter_names(layers)
    result = {
        "config": config,
        "text": text,
        "vocab": sorted({ord(ch) for ch in text}),
        "initial": {n: flat32(weights[n]) for n in names},
        "grads": {n: flat64(exact["grads"][n]) for n in names},
        "losses": exact["losses"],
        "positions": exact["positions"],
        "clipped": exact["clipped"],
        "final": {n: flat64(exact["final"][n]) for n in names},
        "slots": {n: flat64(v) for n, v in exact["slots"].items()},
        "state": {n: flat64(v) for n, v in exact["state"].items()},
        "float32Drift": drift(exact, approx),
    }
    if "step" in exact:
        result["step"] = exact["step"]
    kind = "clip" if "clip" in clipping else "norm"
    return f"torch-{cell}-l{layers}-b{batch}-{optimizer}-{kind}.json", result


def configurations():
    # Issue 9: every cell with 1 and 2 layers and batch 1 and 3, min-char-rnn's Adagrad
    # and elementwise clip 5.
    seed = 100
    for cell in GATES:
        for layers in (1, 2):
            for batch in (1, 3):
                text = ENGLISH if (layers + batch) % 2 == 0 else UNICODE
                seed += 1
                yield fixture(cell, layers, batch, "adagrad", {"clip": 5}, text=text, hidden=10 if layers == 1 else 8, seq=8, seed=seed)
    # Issue 10: Adam and RMSProp, each with elementwise and global-norm clipping, on every
    # cell; layers and batch rotate so each optimizer and clip meets 1 and 2 layers and
    # batch 1 and 3. The clips are small enough to bind in early iterations.
    shapes = [(1, 1), (2, 3), (1, 3), (2, 1)]
    n = 0
    for optimizer in ("adam", "rmsprop"):
        for clipping in ({"clip": 1.0}, {"clipNorm": 4.0}):
            for cell in GATES:
                layers, batch = shapes[n % len(shapes)]
                n += 1
                seed += 1
                text = UNICODE if n % 2 else ENGLISH
                yield fixture(cell, layers, batch, optimizer, clipping, text=text, hidden=12 if layers == 1 else 8, seq=8 if batch == 1 else 6, seed=seed)


def main():
    torch.set_num_threads(1)  # one core: the machine is shared, and results do not depend on it
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("torch-*.json"):
        old.unlink()
    total = 0
    for name, result in configurations():
        text = json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n"
        (OUT / name).write_text(text, encoding="utf-8")
        total += len(text.encode())
        d = result["float32Drift"]
        print(f"{name}: loss {result['losses'][0]:.4f} -> {result['losses'][-1]:.4f}, clipped in {len(result['clipped'])}, "
              f"float32 drift lossRel {d['lossRel']:.1e} finalRel {d['finalRel']:.1e} slotsRel {d['slotsRel']:.1e}")
    print(f"{total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
