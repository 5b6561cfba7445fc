"""minrnn checkpoints in PyTorch, and back: `load` reads and checks a `minrnn/1` file as
CharRNN.load does (refusing what it refuses), `save` writes one that minrnn reads, and
refuses to write one it would not. docs/checkpoint.md has the whole format."""
import json
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import torch

from . import rules, safetensors, strict_json
from .errors import CORRUPT, CheckpointError, invalid
from .files import write_atomic
from .model import CharRNN, make_optimizer, optimizer_kind, parameter_names, tensor_shapes, unwrap
from .vocab import Vocab, as_vocab

FORMAT = "minrnn/1"
METADATA_KEYS = ["format", "config", "vocab", "training"]


@dataclass
class Checkpoint:
    """A loaded checkpoint. `model` is a float32 CharRNN on the CPU; `config` every config
    field (those a 0.1.0 file lacks at their defaults; no clipping is math.inf);
    `training` the training metadata as stored; `state` the carried state ([L, B, H], a
    pair for the LSTM); `optimizer_state` a torch.optim state dict for
    make_optimizer(model, config), or None when the file's optimizer slots are all zero."""

    model: CharRNN
    vocab: Vocab
    config: dict
    training: dict
    state: object
    optimizer_state: dict = None
    metadata: dict = field(default_factory=dict)


def load(path, verify_checksum=True):
    """Reads and checks a minrnn checkpoint; returns a Checkpoint. Raises CheckpointError
    (what is wrong and what to do) for every file minrnn's CharRNN.load refuses.

    verify_checksum=False loads a file whose crc32 no longer matches, with a warning: one
    another tool rewrote (Hugging Face's safetensors reorders the tensors, which changes
    the checksum though not a value). Every other check still applies."""
    header, data = safetensors.read_file(path)
    metadata, tensors, matched = safetensors.decode(path, header, data, verify_checksum)
    if matched is False:
        warnings.warn(f"{path}: its crc32 does not match its content; loaded anyway (verify_checksum=False). Save it again to give it a checksum that matches", stacklevel=2)
    config, vocab, training = read_metadata(path, metadata, tensors)
    shapes = tensor_shapes(config)
    rules.check_tensors(path, config, tensors, shapes)

    L, cell = config["layers"], config["cell"]
    model = CharRNN(cell, config["vocabSize"], config["hidden"], L)
    with torch.no_grad():
        model.load_state_dict({n: torch.from_numpy(tensors[n].copy()) for n in parameter_names(L)})
    h = torch.from_numpy(np.stack([tensors[f"state.h_l{k}"] for k in range(L)]).copy())
    state = (h, torch.from_numpy(np.stack([tensors[f"state.c_l{k}"] for k in range(L)]).copy())) if cell == "lstm" else h
    optimizer_state = _optimizer_state(model, config, training, tensors)
    return Checkpoint(model, vocab, config, training, state, optimizer_state, metadata)


def read_metadata(path, metadata, tensors):
    """(config, vocab, training) of a file's metadata, every rule of src/saved.ts checked."""
    # A minrnn format, or any other minrnn entry, marks a minrnn file (as minrnn decides):
    # a damaged format must not pass for a foreign file. safetensors.torch writes {"format": "pt"}.
    ours = metadata is not None and (str(metadata.get("format", "")).startswith("minrnn/") or any(k in metadata for k in METADATA_KEYS[1:] + [safetensors.CHECKSUM_KEY]))
    if not ours:
        names = ", ".join(list(tensors)[:4])
        invalid(path, f"it has no minrnn metadata (format, config, vocab, training){f'; it holds {names}' if names else ''}, so it does not say which characters the weights are for",
                "a plain PyTorch state dict loads in minrnn with its vocabulary given (minrnn sample FILE --vocab TEXT, or CharRNN.load(bytes, { vocab })); in Python, save it with minrnn_torch.save(path, model, vocab) first")
    if metadata.get("format") != FORMAT:
        newer = metadata.get("format", "").startswith("minrnn/")
        invalid(path, f"its format is {metadata.get('format')!r}, and this module reads {FORMAT!r}", "use the minrnn_torch of the minrnn version that wrote it" if newer else CORRUPT)
    unknown = sorted(set(metadata) - set(METADATA_KEYS) - {safetensors.CHECKSUM_KEY})
    if unknown:
        invalid(path, f"its metadata has unknown entries ({', '.join(unknown)})")
    for k in METADATA_KEYS:
        if k not in metadata:
            invalid(path, f"its metadata has no {k!r} entry")
    config = rules.check_config(path, strict_json.parse(path, "config metadata", metadata["config"]))
    symbols, kind = rules.check_vocab(path, strict_json.parse(path, "vocab metadata", metadata["vocab"]), config["vocabSize"])
    training = rules.check_training(path, strict_json.parse(path, "training metadata", metadata["training"]), config)
    return config, Vocab(symbols, kind), training


def _optimizer_state(model, config, training, tensors):
    """The file's slots as a state dict for make_optimizer(model, config); None if all zero
    (a fresh optimizer is the same then, and Adam's step count must start at 0)."""
    names = parameter_names(config["layers"])
    slots = rules.SLOTS[config["optimizer"]]
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
    training: the checkpoint's training metadata to carry on; fields it lacks are those
      of default_training.
    config: the checkpoint's config to carry on; the model's shape, the batch of `state`
      and the optimizer's kind and hyperparameters overwrite it, and fields it lacks take
      minrnn's defaults (every field is written).
    The file is checked as load() checks one before anything is written: a value minrnn
    would refuse (a field it does not know, a negative rate, a rate above the configured
    one, a value that is not finite) raises ValueError, and the target is left as it was.
    state: the carried state, [L, B, H] (a pair (h, c) for the LSTM); None writes zeros
      for config["batch"] streams (1 without a config)."""
    model = unwrap(model)
    vocab = as_vocab(vocab)
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
    # minrnn's field order, then whatever else was given (which the check below refuses).
    config = {k: config[k] for k in rules.CONFIG_KEYS if k in config} | {k: config.get(k, v) for k, v in rules.ADDED_CONFIG.items()} | config
    training = {**default_training(config), **training}

    weights = {n: as_float32(t).copy() for n, t in model.state_dict().items()}
    if cell == "rnn":
        for k in range(L):
            weights[f"rnn.bias_ih_l{k}"] = (weights[f"rnn.bias_ih_l{k}"] + weights[f"rnn.bias_hh_l{k}"]).astype(np.float32)
            weights[f"rnn.bias_hh_l{k}"] = np.zeros_like(weights[f"rnn.bias_hh_l{k}"])
    names = parameter_names(L)
    arrays = {n: weights[n] for n in names}
    arrays.update(_slots(model, cell, names, kind, optimizer, training))
    for k in range(L):
        arrays[f"state.h_l{k}"] = as_float32(h[k]) if h is not None else np.zeros((batch, H), np.float32)
        if cell == "lstm":
            arrays[f"state.c_l{k}"] = as_float32(c[k]) if c is not None else np.zeros((batch, H), np.float32)
    expected = tensor_shapes(config)
    for name, a in arrays.items():
        if list(a.shape) != expected[name]:
            raise ValueError(f"{name} has shape {list(a.shape)}; this model needs {expected[name]}")
        if not np.isfinite(a).all():
            raise ValueError(f"cannot save {path}: {name} has a value that is not finite, so the model is not usable; nothing was written. Go back to an earlier checkpoint and train with a lower learning rate")

    metadata = {
        "format": FORMAT,
        "config": json.dumps({k: ("Infinity" if v == math.inf else v) for k, v in config.items()}, separators=(",", ":"), allow_nan=False),
        "vocab": vocab.to_json(),
        "training": json.dumps(training, separators=(",", ":"), allow_nan=False),
    }
    try:
        checked, _, _ = read_metadata(path, metadata, arrays)
        rules.check_tensors(path, checked, arrays, tensor_shapes(checked))
    except CheckpointError as e:
        raise ValueError(f"cannot save {path}: {e.problem}; nothing was written, as minrnn would refuse the file") from None
    metadata["crc32"] = safetensors.checksum(metadata, list(arrays.values()))
    write_atomic(path, safetensors.encode(arrays, metadata))


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: array-like} as F32 safetensors, atomically. A plain PyTorch state
    dict written this way loads in minrnn with a vocabulary (`minrnn sample --vocab`)."""
    write_atomic(path, safetensors.encode({n: as_float32(t) for n, t in tensors.items()}, metadata))


def as_float32(t):
    """A tensor or array-like as a float32 numpy array on the CPU."""
    if isinstance(t, torch.Tensor):
        t = t.detach().to("cpu", torch.float32).numpy()
    return np.asarray(t, dtype=np.float32)


def _slots(model, cell, names, kind, optimizer, training):
    """optim.<name>.<slot> for every parameter, in canonical order; zeros where the
    optimizer has no state (no optimizer, or a parameter it never stepped) and for the
    vanilla bias_hh, which minrnn never trains (folded into bias_ih above)."""
    params = dict(model.named_parameters())
    out = {}
    steps = []
    for slot in rules.SLOTS[kind]:
        for n in names:
            st = optimizer.state.get(params[n], {}) if optimizer is not None else {}
            unused = cell == "rnn" and ".bias_hh_" in n
            out[f"optim.{n}.{slot}"] = as_float32(st[slot]).copy() if slot in st and not unused else np.zeros(params[n].shape, np.float32)
            if "step" in st and not unused:
                steps.append(int(st["step"]))
    if kind == "adam" and steps:
        training["step"] = max(steps)
    return out


