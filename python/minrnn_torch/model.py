"""minrnn's model and optimizers in PyTorch: a CharRNN whose tensors have minrnn's names,
the canonical order of a checkpoint's tensors, and the optimizers that update as minrnn's."""
import torch

from .rules import GATES, SLOTS

class CharRNN(torch.nn.Module):
    """One-hot input of size V, `rnn` (nn.RNN tanh, nn.LSTM or nn.GRU, `layers` deep), and
    `decoder` = nn.Linear(H, V): the names of minrnn's tensors. Time-major, as nn.RNN's
    default: indices [T, B] in, logits [T, B, V] out."""

    def __init__(self, cell, vocab_size, hidden, layers=1):
        super().__init__()
        if cell not in GATES:
            raise ValueError(f"cell must be one of {', '.join(GATES)}, got {cell!r}")
        kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
        extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        self.cell = cell
        self.rnn = kind(vocab_size, hidden, num_layers=layers, **extra)
        self.decoder = torch.nn.Linear(hidden, vocab_size)
        if cell == "rnn":
            # minrnn's one hidden bias is bias_ih: bias_hh starts at zero and stays there.
            with torch.no_grad():
                for k in range(layers):
                    getattr(self.rnn, f"bias_hh_l{k}").zero_().requires_grad_(False)

    @property
    def vocab_size(self):
        return self.decoder.out_features

    def zero_state(self, batch):
        """The state a window starts from after a wrap: zeros, (h, c) for the LSTM."""
        p = self.decoder.weight
        h = torch.zeros(self.rnn.num_layers, batch, self.rnn.hidden_size, dtype=p.dtype, device=p.device)
        return (h, h.clone()) if self.cell == "lstm" else h

    def forward(self, indices, state=None):
        x = torch.nn.functional.one_hot(indices, self.vocab_size).to(self.decoder.weight.dtype)
        out, state = self.rnn(x, state)
        return self.decoder(out), state


def parameter_names(layers):
    """The weights in canonical order (the file's, the checksum's and model.parameters()')."""
    names = []
    for k in range(layers):
        names += [f"rnn.weight_ih_l{k}", f"rnn.weight_hh_l{k}", f"rnn.bias_ih_l{k}", f"rnn.bias_hh_l{k}"]
    return names + ["decoder.weight", "decoder.bias"]


def state_names(cell, layers):
    names = []
    for k in range(layers):
        names += [f"state.h_l{k}"] + ([f"state.c_l{k}"] if cell == "lstm" else [])
    return names


def tensor_shapes(config):
    """Every tensor of a checkpoint with this config, in canonical order: name -> shape."""
    V, H, L, B = config["vocabSize"], config["hidden"], config["layers"], config["batch"]
    GH = GATES[config["cell"]] * H
    shapes = {}
    for k in range(L):
        shapes.update({f"rnn.weight_ih_l{k}": [GH, H if k else V], f"rnn.weight_hh_l{k}": [GH, H], f"rnn.bias_ih_l{k}": [GH], f"rnn.bias_hh_l{k}": [GH]})
    shapes.update({"decoder.weight": [V, H], "decoder.bias": [V]})
    weights = list(shapes.items())
    for slot in SLOTS[config["optimizer"]]:
        shapes.update({f"optim.{n}.{slot}": s for n, s in weights})
    shapes.update({n: [B, H] for n in state_names(config["cell"], L)})
    return shapes


# ---- the optimizers -----------------------------------------------------------------


class MinCharAdagrad(torch.optim.Optimizer):
    """min-char-rnn's Adagrad, minrnn's `adagrad`: sum += g²; p -= lr·g/sqrt(sum + eps).
    torch.optim.Adagrad puts eps outside the sqrt (lr·g/(sqrt(sum) + eps)), a different
    step while the sums are small, so a minrnn run would not continue the same way."""

    def __init__(self, params, lr=0.1, eps=1e-8):
        super().__init__(params, {"lr": lr, "eps": eps})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None if closure is None else closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "sum" not in state:
                    state["sum"] = torch.zeros_like(p)
                state["sum"].addcmul_(p.grad, p.grad)
                p.addcdiv_(p.grad, (state["sum"] + group["eps"]).sqrt(), value=-group["lr"])
        return loss


def make_optimizer(model, config):
    """The optimizer minrnn trains this config with, over model.parameters() in canonical
    order: MinCharAdagrad, or torch.optim.Adam / RMSprop (no momentum, not centered), which
    are minrnn's `adam` and `rmsprop` exactly. Hyperparameters from the config (alpha,
    betas, eps where it has them; else minrnn's defaults: alpha 0.95, betas 0.9/0.999, eps 1e-8)."""
    params = list(unwrap(model).parameters())
    lr = config["learningRate"]
    eps = config.get("eps", 1e-8)
    kind = config["optimizer"]
    if kind == "adagrad":
        return MinCharAdagrad(params, lr=lr, eps=eps)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=tuple(config.get("betas", (0.9, 0.999))), eps=eps)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=config.get("alpha", 0.95), eps=eps)
    raise ValueError(f"optimizer must be one of {', '.join(SLOTS)}, got {kind!r}")


def optimizer_kind(optimizer):
    if isinstance(optimizer, MinCharAdagrad):
        return "adagrad"
    if isinstance(optimizer, torch.optim.Adam):
        return "adam"
    if isinstance(optimizer, torch.optim.RMSprop):
        g = optimizer.param_groups[0]
        if g.get("momentum", 0) or g.get("centered", False) or g.get("weight_decay", 0):
            raise ValueError("minrnn's rmsprop has no momentum, no weight decay and is not centered; this RMSprop's state would mean something else there")
        return "rmsprop"
    if isinstance(optimizer, torch.optim.Adagrad):
        raise ValueError("torch.optim.Adagrad puts eps outside the sqrt, minrnn's Adagrad inside: use minrnn_torch.MinCharAdagrad (make_optimizer gives it) so that the sums mean the same")
    raise ValueError(f"minrnn has no optimizer like {type(optimizer).__name__}: use MinCharAdagrad, torch.optim.Adam or torch.optim.RMSprop (make_optimizer)")



def unwrap(model):
    """The module inside DistributedDataParallel, or the model itself."""
    return model.module if isinstance(model, torch.nn.parallel.DistributedDataParallel) else model
