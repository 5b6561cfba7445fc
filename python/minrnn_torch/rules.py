"""What a checkpoint's metadata and tensors must be: the rules minrnn's CharRNN.load
applies (src/saved.ts, src/config.ts, src/options.ts, src/training-check.ts, src/vocab.ts,
src/model.ts), so that Python refuses every file minrnn refuses and writes none that it
would. tests/fixtures/bad-checkpoints/ holds a file for each rule, refused by both sides.

Each check takes the parsed JSON and returns it normalized ("Infinity" read as inf) or
raises CheckpointError naming the field, its value and what it may be."""
import math

import numpy as np

from . import limits
from .errors import invalid

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
SLOTS = {"adagrad": ["sum"], "rmsprop": ["square_avg"], "adam": ["exp_avg", "exp_avg_sq"]}
# Slots that are sums or averages of squares: a negative value means a damaged file.
SQUARES = {"sum", "square_avg", "exp_avg_sq"}
# Every config field; a file written before 0.1.0 lacks ADDED_CONFIG_KEYS, which then take
# the defaults that version had (src/config.ts DEFAULTS, ADDED_FIELDS).
CONFIG_KEYS = ["vocabSize", "hidden", "seqLength", "learningRate", "seed", "cell", "layers", "batch", "optimizer", "clip"]
ADDED_CONFIG = {"clipNorm": math.inf, "alpha": 0.95, "betas": [0.9, 0.999], "eps": 1e-8, "dropout": 0, "lrDecay": 1, "lrDecayAfter": 10, "arithmetic": "mul-add"}
# The core's arithmetic that last trained the model (src/core/wasm.ts ARITHMETICS).
ARITHMETICS = ["mul-add", "fma"]
TRAINING_KEYS = ["iteration", "position", "smoothLoss", "rng", "textLength"]
ADDED_TRAINING = {"step": 0, "learningRate": None, "validationFraction": 0, "bestValidationLoss": None}


def number(v):
    """A JSON number (true and false are not, as in JavaScript)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def whole(v, lo, hi):
    """A whole number from lo to hi, as JavaScript sees it (5.0 is 5)."""
    return number(v) and math.isfinite(v) and v == int(v) and lo <= v <= hi


def float32(v):
    """v rounded to float32, as the core computes it (inf past float32's range)."""
    with np.errstate(over="ignore"):
        return float(np.float32(v))


def _fields(path, what, obj, required, added):
    """An object with every required field, and no field minrnn does not know."""
    if not isinstance(obj, dict):
        invalid(path, f"its {what} is not a JSON object")
    missing = [k for k in required if k not in obj]
    unknown = [k for k in obj if k not in required and k not in added]
    if missing:
        invalid(path, f"its {what} has no {', '.join(missing)}")
    if unknown:
        invalid(path, f"its {what} has fields minrnn does not know: {', '.join(unknown)}")


def check_config(path, c):
    """A config as src/config.ts checkConfig and src/saved.ts readConfig accept it."""
    _fields(path, "config", c, CONFIG_KEYS, ADDED_CONFIG)
    c = {**ADDED_CONFIG, **c}
    for k in ("clip", "clipNorm"):
        if c[k] == "Infinity":
            c[k] = math.inf

    def bad(k, what):
        invalid(path, f"its config's {k} is {c[k]!r}, not {what}")

    for k, (lo, hi) in {"vocabSize": (2, limits.MAX_SYMBOLS), "hidden": limits.HIDDEN, "seqLength": limits.SEQ_LENGTH, "seed": limits.SEED,
                        "layers": (1, limits.MAX_LAYERS), "batch": limits.BATCH, "lrDecayAfter": limits.LR_DECAY_AFTER}.items():
        if not whole(c[k], lo, hi):
            bad(k, f"a whole number from {lo} to {hi}")
        c[k] = int(c[k])
    if c["cell"] not in GATES:
        invalid(path, f"its config's cell is {c['cell']!r}, and this module knows {', '.join(GATES)}", "use a newer minrnn_torch")
    if c["optimizer"] not in SLOTS:
        invalid(path, f"its config's optimizer is {c['optimizer']!r}, and this module knows {', '.join(SLOTS)}", "use a newer minrnn_torch")
    for k, infinite in (("learningRate", False), ("eps", False), ("clip", True), ("clipNorm", True)):
        if not (number(c[k]) and c[k] > 0 and (math.isfinite(c[k]) or (infinite and c[k] == math.inf))):
            bad(k, "a positive number (or \"Infinity\")" if infinite else "a positive finite number")
        if c[k] != math.inf and not (0 < float32(c[k]) < math.inf):
            bad(k, f"within float32's range (1.4e-45 to 3.4e38), where the core computes it ({float32(c[k])} in float32)")
    for k in ("alpha", "dropout"):
        if not (number(c[k]) and 0 <= c[k] < 1):
            bad(k, "a number from 0 up to (not including) 1")
    if not (isinstance(c["betas"], list) and len(c["betas"]) == 2 and all(number(b) and 0 <= b < 1 for b in c["betas"])):
        bad("betas", "two numbers [beta1, beta2], each from 0 up to (not including) 1")
    if not (number(c["lrDecay"]) and 0 < c["lrDecay"] <= 1 and float32(c["lrDecay"]) > 0):
        bad("lrDecay", "a number with 0 < lrDecay ≤ 1 that float32 holds (1: no decay)")
    if c["arithmetic"] not in ARITHMETICS:
        bad("arithmetic", " or ".join(repr(a) for a in ARITHMETICS))
    return c


def check_vocab(path, raw, size):
    """(symbols, kind) of the vocab metadata: `size` code points (Unicode scalar values) or
    {"bytes": [size byte values]}, strictly increasing (src/vocab.ts)."""
    is_bytes = isinstance(raw, dict) and list(raw) == ["bytes"]
    values = raw["bytes"] if is_bytes else raw
    if not isinstance(values, list) or len(values) != size:
        n = len(values) if isinstance(values, list) else "no"
        invalid(path, f"its vocabulary has {n} symbols, but its config and weights are for {size} (vocabSize); a vocabulary that does not match the weights cannot be used", "use the file as minrnn wrote it")
    for i, v in enumerate(values):
        ok = whole(v, 0, 255) if is_bytes else (whole(v, 0, 0x10FFFF) and not 0xD800 <= v <= 0xDFFF)
        if not ok:
            invalid(path, f"vocabulary entry {i} ({v!r}) is not a {'byte value (0..255)' if is_bytes else 'Unicode scalar value'}")
        if i and v <= values[i - 1]:
            invalid(path, f"its vocabulary is not strictly increasing (entry {i}: {v} after {values[i - 1]})")
    return tuple(int(v) for v in values), "bytes" if is_bytes else "codepoints"


def check_training(path, t, config):
    """Training metadata as src/saved.ts readTraining and src/training-check.ts accept it."""
    _fields(path, "training metadata", t, TRAINING_KEYS, ADDED_TRAINING)

    def bad(k, what):
        invalid(path, f"its training metadata's {k} is {t[k]!r}, not {what}")

    for k, hi in (("iteration", limits.MAX_SAFE_INTEGER), ("position", limits.MAX_INDEX), ("textLength", limits.MAX_INDEX)):
        if not whole(t[k], 0, hi):
            bad(k, f"a whole number from 0 to {hi}")
    rng = t["rng"]
    if not (isinstance(rng, list) and len(rng) == 4 and all(whole(w, 0, 0xFFFFFFFF) for w in rng) and any(rng)):
        bad("rng", "four 32-bit words, not all zero (minrnn's PRNG state)")
    # A loss is a sum of -log p > 0 over the window, and so is its running average.
    if not (number(t["smoothLoss"]) and math.isfinite(t["smoothLoss"]) and t["smoothLoss"] > 0):
        bad("smoothLoss", "a finite number > 0")
    if "step" in t and not (whole(t["step"], 0, limits.MAX_SAFE_INTEGER) and (config["optimizer"] == "adam" or t["step"] == 0)):
        bad("step", "a whole number ≥ 0 (Adam's step count; 0 for the other optimizers)")
    if "learningRate" in t:
        rate = t["learningRate"]
        if not (number(rate) and 0 < rate < math.inf and 0 < float32(rate) < math.inf):
            bad("learningRate", "a positive finite number within float32's range")
        # The schedule only ever lowers the rate (lrDecay ≤ 1); compared as the core holds
        # both, in float32, where a decay within 3e-8 of 1 is 1.
        if float32(rate) > float32(config["learningRate"]):
            bad("learningRate", f"at most the configured rate {config['learningRate']} (a decaying schedule only lowers it)")
    if "validationFraction" in t and not (number(t["validationFraction"]) and 0 <= t["validationFraction"] < 1):
        bad("validationFraction", "a number from 0 up to (not including) 1")
    best = t.get("bestValidationLoss")
    if best is not None and not (number(best) and math.isfinite(best) and best >= 0):
        bad("bestValidationLoss", "null or a finite number ≥ 0")
    problem = _consistency(t, config)
    if problem:
        invalid(path, f"its training metadata does not fit its config and text: {problem}")
    return {k: int(v) if k in ("iteration", "position", "textLength", "step") else v for k, v in t.items()} | {"rng": [int(w) for w in rng]}


def _consistency(t, config):
    """src/training-check.ts: a position the run could never have reached."""
    T, B = config["seqLength"], config["batch"]
    n, p = t["textLength"], t["position"]
    if n != 0 and n < B * (T + 1):
        return f"a text of {n} symbols is shorter than seqLength + 1 = {T + 1} in each of {B} streams"
    if p > n // B:
        return f"position {p} is beyond the {n // B} symbols of {'each stream' + chr(39) + 's slice of ' if B > 1 else ''}its text ({n} in all)"
    if p % T:
        return f"position {p} is not a multiple of seqLength {T}"
    if t["iteration"] == 0 and p:
        return f"position {p} at iteration 0, where training starts at 0"
    return None


def check_tensors(path, config, tensors, shapes):
    """The tensors against the model the config makes (`shapes`: name -> shape, in
    canonical order): exactly those names and shapes (src/model.ts checkTensors); the
    vanilla cell's two biases adding up to finite float32; optimizer sums of squares never
    negative; and the carried h of every layer within [-1, 1], where tanh and sigmoid
    keep it (an LSTM's c is not bounded)."""
    missing = [n for n in shapes if n not in tensors]
    if missing:
        invalid(path, f"it has no tensor {', '.join(missing[:5])} (a {config['layers']}-layer {config['cell']} with {config['optimizer']}, batch {config['batch']})")
    extra = [n for n in tensors if n not in shapes]
    if extra:
        invalid(path, f"it has tensors a {config['layers']}-layer {config['cell']} with {config['optimizer']} does not: {', '.join(extra[:5])}")
    dims = f"vocab {config['vocabSize']}, hidden {config['hidden']}, batch {config['batch']}"
    V = config["vocabSize"]
    for name, shape in shapes.items():
        got = list(tensors[name].shape)
        if got != shape:
            if (name.startswith("decoder.") and got[:1] != [V]) or (name == "rnn.weight_ih_l0" and got[1:] != [V]):
                invalid(path, f"tensor {name} has shape {got}, but a vocabulary of {V} needs {shape}: the vocabulary does not match the weights", "use the file as minrnn wrote it")
            invalid(path, f"tensor {name} has shape {got}, but the model ({dims}) needs {shape}")
        values = tensors[name]
        if name.startswith("optim.") and name.rsplit(".", 1)[1] in SQUARES and (values < 0).any():
            invalid(path, f"{name} has negative values; an optimizer's sums and averages of squares are never negative")
        if name.startswith("state.h_") and (np.abs(values) > 1).any():
            i = int(np.flatnonzero(np.abs(values) > 1)[0])
            invalid(path, f"{name}[{i}] is {values.reshape(-1)[i]}, but a hidden state is within [-1, 1] (tanh and sigmoid keep it there)")
    if config["cell"] == "rnn":
        with np.errstate(over="ignore"):
            for k in range(config["layers"]):
                total = tensors[f"rnn.bias_ih_l{k}"] + tensors[f"rnn.bias_hh_l{k}"]
                if not np.isfinite(total).all():
                    invalid(path, f"rnn.bias_ih_l{k} + rnn.bias_hh_l{k} is not finite in float32 (minrnn keeps their sum as its one hidden bias)",
                            "the file's biases are out of range: use a file whose biases add up to finite float32 values")
