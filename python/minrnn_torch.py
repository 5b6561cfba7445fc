"""minrnn checkpoints in PyTorch, and back: read and write the `minrnn/1` safetensors files
that `minrnn train` writes and `minrnn sample`, `CharRNN.load`, the browser demo and the
edge worker read. Needs torch and numpy only (no safetensors package: the format is an
8-byte length, a JSON header and the raw float32 data).

    import minrnn_torch as mt
    ckpt = mt.load("model.safetensors")        # model, vocab, config, training, state, optimizer_state
    optimizer = mt.make_optimizer(ckpt.model, ckpt.config)
    if ckpt.optimizer_state: optimizer.load_state_dict(ckpt.optimizer_state)
    ...                                         # train: ckpt.model(indices, state) -> logits, state
    mt.save("out.safetensors", ckpt.model, ckpt.vocab, optimizer=optimizer,
            training=ckpt.training, config=ckpt.config, state=state)

What a checkpoint holds (docs/checkpoint.md has the whole format): F32 tensors in this
order, which is also the order of the checksum: for each layer k `rnn.weight_ih_l{k}`
[G·H, k ? H : V], `rnn.weight_hh_l{k}` [G·H, H], `rnn.bias_ih_l{k}` [G·H],
`rnn.bias_hh_l{k}` [G·H] (G = 1 rnn, 4 lstm, 3 gru: PyTorch's gates and order), then
`decoder.weight` [V, H] and `decoder.bias` [V]; then the optimizer's slots,
`optim.<param>.<slot>` for each slot in turn (adagrad: sum; rmsprop: square_avg; adam:
exp_avg, exp_avg_sq) over the parameters in the same order; then the state carried
between training windows, `state.h_l{k}` [B, H] and, for the LSTM, `state.c_l{k}` after
it, layer by layer. The metadata: `format` "minrnn/1" and the JSON strings `config`,
`vocab` (code points, or {"bytes": [...]}), `training`, and `crc32`.

Keys of `config` and `training` that this module does not know are kept as they are
(a later minrnn adds some), so a file read and written again loses nothing it carried.

minrnn's vanilla cell has min-char-rnn's single hidden bias: `bias_hh_l{k}` is stored as
zeros and never trained. `load` freezes it (a trainable copy would take the same gradient
as `bias_ih` and so double that bias's step); `save` adds any nonzero `bias_hh` into
`bias_ih` in float32, as minrnn's loadStateDict does, and writes zeros.
"""
import json
import math
import os
import struct
import tempfile
import zlib
from dataclasses import dataclass, field

import numpy as np
import torch

FORMAT = "minrnn/1"
GATES = {"rnn": 1, "lstm": 4, "gru": 3}
SLOTS = {"adagrad": ["sum"], "rmsprop": ["square_avg"], "adam": ["exp_avg", "exp_avg_sq"]}
# Slots that are sums or averages of squares: a negative value means a damaged file.
SQUARES = {"sum", "square_avg", "exp_avg_sq"}
METADATA_KEYS = ["format", "config", "vocab", "training"]
CONFIG_KEYS = ["vocabSize", "hidden", "seqLength", "learningRate", "seed", "cell", "layers", "batch", "optimizer", "clip"]
TRAINING_KEYS = ["iteration", "position", "smoothLoss", "rng", "textLength"]
MAX_HEADER_BYTES = 16 * 2**20
CORRUPT = "the file is damaged or incomplete: use an intact copy (or train and save again)"


class CheckpointError(ValueError):
    """A file that is not a usable minrnn checkpoint; the message says why and what to do."""


def _invalid(path, problem, todo=CORRUPT):
    raise CheckpointError(f"{path}: not a usable minrnn checkpoint: {problem}; {todo}")


# ---- the model ----------------------------------------------------------------------


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
    params = list(_unwrap(model).parameters())
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


# ---- the vocabulary -----------------------------------------------------------------


@dataclass(frozen=True)
class Vocab:
    """The symbols, index i being the i-th: code points (kind "codepoints") or byte values
    (kind "bytes", a byte-mode model)."""

    symbols: tuple
    kind: str = "codepoints"

    @staticmethod
    def from_text(text):
        return Vocab(tuple(sorted({ord(ch) for ch in text})))

    @staticmethod
    def from_bytes(data):
        return Vocab(tuple(sorted(set(data))), "bytes")

    def __len__(self):
        return len(self.symbols)

    def to_json(self):
        return json.dumps({"bytes": list(self.symbols)} if self.kind == "bytes" else list(self.symbols), separators=(",", ":"))

    def encode(self, data):
        """Indices of a str (a byte-mode vocabulary takes bytes); names what is missing."""
        index = {s: i for i, s in enumerate(self.symbols)}
        items = list(data) if self.kind == "bytes" else [ord(ch) for ch in data]
        missing = sorted({s for s in items if s not in index})
        if missing:
            shown = ", ".join(f"0x{s:02x}" if self.kind == "bytes" else repr(chr(s)) for s in missing[:10])
            more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            raise ValueError(f"the text has {'bytes' if self.kind == 'bytes' else 'characters'} that are not in the model's vocabulary: {shown}{more}; train on text the model knows, or start a new model with minrnn train")
        return [index[s] for s in items]

    def decode(self, indices):
        if self.kind == "bytes":
            return bytes(self.symbols[i] for i in indices)
        return "".join(chr(self.symbols[i]) for i in indices)


def _as_vocab(vocab):
    if isinstance(vocab, Vocab):
        return vocab
    if isinstance(vocab, str):
        return Vocab.from_text(vocab)
    if isinstance(vocab, dict) and list(vocab) == ["bytes"]:
        return Vocab(tuple(vocab["bytes"]), "bytes")
    return Vocab(tuple(vocab))


def _check_vocab(path, raw, size):
    is_bytes = isinstance(raw, dict) and list(raw) == ["bytes"]
    values = raw["bytes"] if is_bytes else raw
    if not isinstance(values, list) or len(values) != size:
        n = len(values) if isinstance(values, list) else "no"
        _invalid(path, f"its vocabulary has {n} symbols, but its config and weights are for {size} (vocabSize); a vocabulary that does not match the weights cannot be used", "use the file as minrnn wrote it")
    for i, v in enumerate(values):
        ok = type(v) is int and (0 <= v <= 255 if is_bytes else (0 <= v <= 0x10FFFF and not 0xD800 <= v <= 0xDFFF))
        if not ok:
            _invalid(path, f"vocabulary entry {i} ({v!r}) is not a {'byte value (0..255)' if is_bytes else 'Unicode scalar value'}")
        if i and v <= values[i - 1]:
            _invalid(path, f"its vocabulary is not strictly increasing (entry {i}: {v} after {values[i - 1]})")
    return Vocab(tuple(values), "bytes" if is_bytes else "codepoints")


# ---- safetensors --------------------------------------------------------------------


def read_safetensors(path):
    """(metadata or None, {name: float32 numpy array}) of a safetensors file, checked as
    minrnn checks it: F32 only, offsets in bounds, the tensors tiling the data exactly."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise CheckpointError(f"{path}: cannot read it ({e.strerror})") from None
    if len(raw) < 8:
        _invalid(path, f"it is {len(raw)} bytes long, shorter than a safetensors header length (8 bytes)")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > MAX_HEADER_BYTES:
        _invalid(path, f"its header length field says {n} bytes, more than a checkpoint header can have", "this is not a safetensors file, or its first bytes are damaged")
    if 8 + n > len(raw):
        _invalid(path, f"its header should be {n} bytes, but only {len(raw) - 8} follow the length field (the file is truncated)")
    try:
        header = json.loads(raw[8 : 8 + n].decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError) as e:
        _invalid(path, f"its header is not valid UTF-8 JSON ({e})")
    if not isinstance(header, dict):
        _invalid(path, "its header is not a JSON object")
    data = raw[8 + n :]
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not (isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values())):
        _invalid(path, "its __metadata__ is not a map of strings")
    tensors, spans = {}, []
    for name, e in header.items():
        if not isinstance(e, dict) or sorted(e) != ["data_offsets", "dtype", "shape"]:
            _invalid(path, f"the header entry of {name!r} is not {{dtype, shape, data_offsets}}")
        if e["dtype"] != "F32":
            _invalid(path, f"tensor {name} has dtype {e['dtype']}; minrnn reads F32 only", "in PyTorch, convert the tensors with .float() before saving")
        shape, offsets = e["shape"], e["data_offsets"]
        if not (isinstance(shape, list) and all(type(d) is int and d >= 0 for d in shape)):
            _invalid(path, f"tensor {name} has shape {shape!r}, not a list of sizes")
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(o) is int for o in offsets)):
            _invalid(path, f"tensor {name} has data_offsets {offsets!r}, not a pair of byte offsets")
        begin, end = offsets
        count = math.prod(shape)
        if not (0 <= begin <= end <= len(data)) or end - begin != 4 * count:
            _invalid(path, f"tensor {name} of shape {shape} has data_offsets [{begin}, {end}], not {4 * count} bytes within the {len(data)} of data")
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(shape)
        spans.append((begin, end, name))
    at = 0
    for begin, end, name in sorted(spans):
        if begin != at:
            _invalid(path, f"tensor {name} {'overlaps the one before it' if begin < at else 'leaves a gap before it'} in the data")
        at = end
    if at != len(data):
        _invalid(path, f"its tensors cover {at} bytes of data, but the file holds {len(data)}")
    return metadata, tensors


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate key {next(k for k in keys if keys.count(k) > 1)!r}")
    return dict(pairs)


def _header_and_data(tensors, metadata):
    header = {"__metadata__": metadata} if metadata is not None else {}
    chunks, offset = [], 0
    for name, values in tensors.items():
        b = np.ascontiguousarray(values, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(values.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (-(8 + len(text)) % 8)  # the data starts 8-byte aligned
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: array-like} as F32 safetensors, atomically. A plain PyTorch state
    dict written this way loads in minrnn with a vocabulary (`minrnn sample --vocab`)."""
    arrays = {n: _numpy(t) for n, t in tensors.items()}
    _write_atomic(path, _header_and_data(arrays, metadata))


def _numpy(t):
    if isinstance(t, torch.Tensor):
        t = t.detach().to("cpu", torch.float32).numpy()
    return np.asarray(t, dtype=np.float32)


def _write_atomic(path, data):
    """Temp file in the same directory, fsync, rename: a reader sees the old file or the new one."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".minrnn-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def checksum(metadata, arrays):
    """minrnn's crc32: the four metadata strings each followed by a newline, then every
    tensor's bytes in canonical order; 8 hex digits."""
    crc = zlib.crc32("".join(metadata[k] + "\n" for k in METADATA_KEYS).encode())
    for a in arrays:
        crc = zlib.crc32(np.ascontiguousarray(a, dtype="<f4").tobytes(), crc)
    return f"{crc:08x}"


# ---- loading ------------------------------------------------------------------------


@dataclass
class Checkpoint:
    """A loaded checkpoint. `model` is a float32 CharRNN on the CPU; `state` the carried
    state ([L, B, H], a pair for the LSTM); `optimizer_state` a torch.optim state dict for
    make_optimizer(model, config), or None when the file's optimizer slots are all zero."""

    model: CharRNN
    vocab: Vocab
    config: dict
    training: dict
    state: object
    optimizer_state: dict = None
    metadata: dict = field(default_factory=dict)


def load(path):
    """Reads and validates a minrnn checkpoint. Raises CheckpointError (what is wrong and
    what to do) for anything minrnn would refuse."""
    metadata, tensors = read_safetensors(path)
    # A minrnn format, or any other minrnn entry, marks a minrnn file (as minrnn decides):
    # a damaged format must not pass for a foreign file. safetensors.torch writes {"format": "pt"}.
    ours = metadata is not None and (metadata.get("format", "").startswith("minrnn/") or any(k in metadata for k in METADATA_KEYS[1:] + ["crc32"]))
    if not ours:
        names = ", ".join(list(tensors)[:4])
        _invalid(path, f"it has no minrnn metadata (format, config, vocab, training){f'; it holds {names}' if names else ''}, so it does not say which characters the weights are for",
                 "a plain PyTorch state dict loads in minrnn with its vocabulary given (minrnn sample FILE --vocab TEXT, or CharRNN.load(bytes, { vocab })); in Python, save it with minrnn_torch.save(path, model, vocab) first")
    if metadata.get("format") != FORMAT:
        newer = metadata.get("format", "").startswith("minrnn/")
        _invalid(path, f"its format is {metadata.get('format')!r}, and this module reads {FORMAT!r}", "use the minrnn_torch.py of the minrnn version that wrote it" if newer else CORRUPT)
    unknown = sorted(set(metadata) - set(METADATA_KEYS) - {"crc32"})
    if unknown:
        _invalid(path, f"its metadata has unknown entries ({', '.join(unknown)})")
    for k in METADATA_KEYS:
        if k not in metadata:
            _invalid(path, f"its metadata has no {k!r} entry")
    config = _parse(path, "config", metadata["config"])
    _check_config(path, config)
    vocab = _check_vocab(path, _parse(path, "vocab", metadata["vocab"]), config["vocabSize"])
    training = _parse(path, "training", metadata["training"])
    _check_training(path, training)

    shapes = tensor_shapes(config)
    missing = [n for n in shapes if n not in tensors]
    if missing:
        _invalid(path, f"it has no tensor {', '.join(missing[:5])} (a {config['layers']}-layer {config['cell']} with {config['optimizer']}, batch {config['batch']})")
    extra = [n for n in tensors if n not in shapes]
    if extra:
        _invalid(path, f"it has tensors a {config['layers']}-layer {config['cell']} with {config['optimizer']} does not: {', '.join(extra[:5])}")
    if "crc32" in metadata and metadata["crc32"] != checksum(metadata, [tensors[n] for n in shapes]):
        _invalid(path, "its checksum does not match its content (crc32)", "the file is corrupted: use an intact copy. If you changed it on purpose with another tool, delete the crc32 metadata entry")
    dims = f"vocab {config['vocabSize']}, hidden {config['hidden']}, batch {config['batch']}"
    for name, shape in shapes.items():
        got = list(tensors[name].shape)
        if got != shape:
            V = config["vocabSize"]
            if (name.startswith("decoder.") and got[:1] != [V]) or (name == "rnn.weight_ih_l0" and got[1:] != [V]):
                _invalid(path, f"tensor {name} has shape {got}, but a vocabulary of {V} needs {shape}: the vocabulary does not match the weights", "use the file as minrnn wrote it")
            _invalid(path, f"tensor {name} has shape {got}, but the model ({dims}) needs {shape}")
        bad = np.flatnonzero(~np.isfinite(tensors[name]))
        if bad.size:
            _invalid(path, f"{name}[{bad[0]}] is {tensors[name].reshape(-1)[bad[0]]}; every value must be a finite number")
        if name.startswith("optim.") and name.rsplit(".", 1)[1] in SQUARES and (tensors[name] < 0).any():
            _invalid(path, f"{name} has negative values; its slot is a sum of squares, never negative")

    L, cell = config["layers"], config["cell"]
    model = CharRNN(cell, config["vocabSize"], config["hidden"], L)
    with torch.no_grad():
        model.load_state_dict({n: torch.from_numpy(tensors[n].copy()) for n in parameter_names(L)})
    h = torch.from_numpy(np.stack([tensors[f"state.h_l{k}"] for k in range(L)]).copy())
    state = (h, torch.from_numpy(np.stack([tensors[f"state.c_l{k}"] for k in range(L)]).copy())) if cell == "lstm" else h
    optimizer_state = _optimizer_state(model, config, training, tensors)
    return Checkpoint(model, vocab, config, training, state, optimizer_state, metadata)


def _parse(path, what, text):
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except ValueError:
        _invalid(path, f"its {what} metadata is not valid JSON")


def _check_config(path, c):
    if not isinstance(c, dict):
        _invalid(path, "its config metadata is not a JSON object")
    missing = [k for k in CONFIG_KEYS if k not in c]
    if missing:
        _invalid(path, f"its config has no {', '.join(missing)}")

    def whole(k, lo, hi):
        if not (type(c[k]) is int and lo <= c[k] <= hi):
            _invalid(path, f"its config's {k} is {c[k]!r}, not a whole number from {lo} to {hi}")

    whole("vocabSize", 2, 1 << 20)
    whole("hidden", 1, 8192)
    whole("seqLength", 1, 100000)
    whole("seed", 0, 0xFFFFFFFF)
    whole("layers", 1, 16)  # minrnn's core holds at most 16 (assembly/layout.ts MAX_LAYERS)
    whole("batch", 1, 4096)
    if c["cell"] not in GATES:
        _invalid(path, f"its config's cell is {c['cell']!r}, and this module knows {', '.join(GATES)}", "use a newer minrnn_torch.py")
    if c["optimizer"] not in SLOTS:
        _invalid(path, f"its config's optimizer is {c['optimizer']!r}, and this module knows {', '.join(SLOTS)}", "use a newer minrnn_torch.py")
    if not (isinstance(c["learningRate"], (int, float)) and math.isfinite(c["learningRate"]) and c["learningRate"] > 0):
        _invalid(path, f"its config's learningRate is {c['learningRate']!r}, not a number > 0")
    if not (c["clip"] == "Infinity" or (isinstance(c["clip"], (int, float)) and math.isfinite(c["clip"]) and c["clip"] > 0)):
        _invalid(path, f"its config's clip is {c['clip']!r}, not a number > 0 or \"Infinity\"")


def _check_training(path, t):
    if not isinstance(t, dict):
        _invalid(path, "its training metadata is not a JSON object")
    missing = [k for k in TRAINING_KEYS if k not in t]
    if missing:
        _invalid(path, f"its training metadata has no {', '.join(missing)}")

    def count(v, hi):
        return type(v) is int and 0 <= v <= hi

    rng = t["rng"]
    rng_ok = isinstance(rng, list) and len(rng) == 4 and all(count(w, 0xFFFFFFFF) for w in rng) and any(rng)
    if not (count(t["iteration"], 2**53 - 1) and count(t["position"], 2**31 - 1) and count(t["textLength"], 2**31 - 1)
            and isinstance(t["smoothLoss"], (int, float)) and math.isfinite(t["smoothLoss"]) and rng_ok):
        _invalid(path, "its training metadata has a value out of range (iteration, position, text length, smooth loss or PRNG state)")


def _optimizer_state(model, config, training, tensors):
    """The file's slots as a state dict for make_optimizer(model, config); None if all zero
    (a fresh optimizer is the same then, and Adam's step count must start at 0)."""
    names = parameter_names(config["layers"])
    slots = SLOTS[config["optimizer"]]
    if not any(tensors[f"optim.{n}.{s}"].any() for n in names for s in slots):
        return None
    template = make_optimizer(model, config).state_dict()
    state = {}
    for i, n in enumerate(names):
        entry = {s: torch.from_numpy(tensors[f"optim.{n}.{s}"].copy()) for s in slots}
        if config["optimizer"] == "adam":
            # torch 1.13 keeps Adam's step as a float tensor per parameter; minrnn keeps one
            # count, training.step (without one, a run that used Adam throughout has taken
            # one step per iteration).
            entry["step"] = torch.tensor(float(training.get("step", training["iteration"])))
        state[i] = entry
    template["state"] = state
    return template


# ---- saving -------------------------------------------------------------------------


def default_training(config):
    """Training metadata for a model that has not trained in minrnn: iteration 0, the
    smooth loss minrnn starts from (-ln(1/V)·T), its PRNG seeded as minrnn seeds it."""
    return {"iteration": 0, "position": 0, "smoothLoss": math.log(config["vocabSize"]) * config["seqLength"], "rng": seed_rng(config["seed"]), "textLength": 0}


def seed_rng(seed):
    """minrnn's xoshiro128** state from a 32-bit seed, through splitmix32 (assembly/rng.ts)."""
    words, s = [], seed & 0xFFFFFFFF
    for _ in range(4):
        s = (s + 0x9E3779B9) & 0xFFFFFFFF
        z = s
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & 0xFFFFFFFF
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & 0xFFFFFFFF
        words.append(z ^ (z >> 16))
    return words


def save(path, model, vocab, optimizer=None, training=None, config=None, state=None):
    """Writes `model` (a CharRNN, a module with the same `rnn` and `decoder`, or either
    wrapped in DistributedDataParallel) as a minrnn checkpoint, atomically.

    vocab: a Vocab, a list of code points, {"bytes": [...]}, or the training text.
    optimizer: MinCharAdagrad, torch.optim.Adam or RMSprop over model.parameters(), whose
      state becomes the optim.* tensors; None writes zeros (a fresh optimizer in minrnn).
    training: the checkpoint's training metadata to carry on (unknown keys kept); fields
      it lacks are those of default_training.
    config: the checkpoint's config to carry on (unknown keys kept); the model's shape,
      the batch of `state` and the optimizer's kind and hyperparameters overwrite it.
    state: the carried state, [L, B, H] (a pair (h, c) for the LSTM); None writes zeros
      for config["batch"] streams (1 without a config)."""
    model = _unwrap(model)
    vocab = _as_vocab(vocab)
    rnn = model.rnn
    cell = {torch.nn.LSTM: "lstm", torch.nn.GRU: "gru", torch.nn.RNN: "rnn"}.get(type(rnn))
    if cell is None or (cell == "rnn" and rnn.nonlinearity != "tanh") or rnn.bidirectional or not rnn.bias or getattr(rnn, "proj_size", 0):
        raise ValueError("minrnn reads a unidirectional nn.RNN (tanh), nn.LSTM (no projection) or nn.GRU with biases, as model.rnn")
    if rnn.batch_first:
        raise ValueError("model.rnn has batch_first=True; minrnn's state is [layers, batch, hidden] and the weights are the same either way, but build it time-major (batch_first=False) so the state saved here is unambiguous")
    L, H, V = rnn.num_layers, rnn.hidden_size, model.decoder.out_features
    if rnn.input_size != V or model.decoder.in_features != H:
        raise ValueError(f"minrnn's input is one-hot over the vocabulary: model.rnn takes {rnn.input_size} inputs and the decoder gives {V} outputs from {model.decoder.in_features}; they must be V and V from H = {H}")
    if len(vocab) != V:
        raise ValueError(f"the vocabulary has {len(vocab)} symbols but the model's decoder has {V} outputs: give the vocabulary the model was trained with")

    config = dict(config or {"learningRate": 0.1, "seed": 42, "seqLength": 25, "optimizer": "adagrad", "clip": 5})
    kind = optimizer_kind(optimizer) if optimizer is not None else config.get("optimizer", "adagrad")
    h, c = (state if cell == "lstm" else (state, None)) if state is not None else (None, None)
    batch = h.shape[1] if h is not None else config.get("batch", 1)
    config.update({"vocabSize": V, "hidden": H, "cell": cell, "layers": L, "batch": batch, "optimizer": kind})
    training = dict(training or {})
    if optimizer is not None:
        group = optimizer.param_groups[0]
        # A decaying schedule keeps the rate it has reached in training.learningRate and
        # the configured one in config; without one, the optimizer's rate is the config's.
        training_rate = "learningRate" in training
        (training if training_rate else config)["learningRate"] = group["lr"]
        if kind == "adam":
            config.update({"betas": list(group["betas"]), "eps": group["eps"]})
        if kind == "rmsprop":
            config.update({"alpha": group["alpha"], "eps": group["eps"]})
    config = {k: config[k] for k in CONFIG_KEYS if k in config} | {k: v for k, v in config.items() if k not in CONFIG_KEYS}
    training = {**default_training(config), **training}

    weights = {n: _numpy(t).copy() for n, t in model.state_dict().items()}
    if cell == "rnn":
        for k in range(L):
            weights[f"rnn.bias_ih_l{k}"] = (weights[f"rnn.bias_ih_l{k}"] + weights[f"rnn.bias_hh_l{k}"]).astype(np.float32)
            weights[f"rnn.bias_hh_l{k}"] = np.zeros_like(weights[f"rnn.bias_hh_l{k}"])
    names = parameter_names(L)
    arrays = {n: weights[n] for n in names}
    arrays.update(_slots(model, cell, names, kind, optimizer, training))
    for k in range(L):
        arrays[f"state.h_l{k}"] = _numpy(h[k]) if h is not None else np.zeros((batch, H), np.float32)
        if cell == "lstm":
            arrays[f"state.c_l{k}"] = _numpy(c[k]) if c is not None else np.zeros((batch, H), np.float32)
    expected = tensor_shapes(config)
    for name, a in arrays.items():
        if list(a.shape) != expected[name]:
            raise ValueError(f"{name} has shape {list(a.shape)}; this model needs {expected[name]}")
        if not np.isfinite(a).all():
            raise ValueError(f"cannot save: {name} has a value that is not finite, so the model is not usable; nothing was written. Go back to an earlier checkpoint and train with a lower learning rate")

    metadata = {
        "format": FORMAT,
        "config": json.dumps({k: ("Infinity" if v == math.inf else v) for k, v in config.items()}, separators=(",", ":"), allow_nan=False),
        "vocab": vocab.to_json(),
        "training": json.dumps(training, separators=(",", ":"), allow_nan=False),
    }
    metadata["crc32"] = checksum(metadata, list(arrays.values()))
    _write_atomic(path, _header_and_data(arrays, metadata))


def _slots(model, cell, names, kind, optimizer, training):
    """optim.<name>.<slot> for every parameter, in canonical order; zeros where the
    optimizer has no state (no optimizer, or a parameter it never stepped) and for the
    vanilla bias_hh, which minrnn never trains (folded into bias_ih above)."""
    params = dict(model.named_parameters())
    out = {}
    steps = []
    for slot in SLOTS[kind]:
        for n in names:
            st = optimizer.state.get(params[n], {}) if optimizer is not None else {}
            unused = cell == "rnn" and ".bias_hh_" in n
            out[f"optim.{n}.{slot}"] = _numpy(st[slot]).copy() if slot in st and not unused else np.zeros(params[n].shape, np.float32)
            if "step" in st and not unused:
                steps.append(int(st["step"]))
    if kind == "adam" and steps:
        training["step"] = max(steps)
    return out


def _unwrap(model):
    return model.module if isinstance(model, torch.nn.parallel.DistributedDataParallel) else model
