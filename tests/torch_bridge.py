"""The PyTorch side of tests/torch-bridge.test.js: each command does one thing with
python/minrnn_torch/ and prints one JSON object for the test to check.

  roundtrip IN OUT          load IN, rebuild its optimizer from the state dict, save OUT
  sample MODEL PRIME N SEED...
                            for each SEED, N symbols continuing PRIME from the carried
                            state (stream 0), drawn as minrnn draws them (its PRNG seeded
                            with SEED, the same inverse-CDF walk), or greedily for the
                            SEED "argmax"; and how close the closest call was
  losses MODEL TEXT HELDOUT  in float64 from the file's float32 weights: the loss of the
                            next training window (from the carried state, all streams)
                            and minrnn's validation loss of HELDOUT (from a zero state)
  selfcheck DIR CELL:LAYERS:OPTIMIZER...
                            Python-made checkpoints: save, load, save again; the bytes,
                            the optimizer state and the logits from the carried state
  errors DIR                damaged and foreign files; load()'s message for each
  refuse FILE...             load()'s message for each file (null if it loaded; another
                            exception's type and message if that is what it raised)
  limits                    minrnn_torch.limits, for comparison with minrnn's sources
  unbounded DIR GOOD        load() of a FIFO that never ends after GOOD's bytes, and of
                            a header that claims 8 GiB of data: the messages, and how
                            many bytes each read took
  unverified BAD GOOD       BAD (GOOD with its tensors reordered) loaded with
                            verify_checksum=False: the warning, and whether every
                            tensor equals GOOD's
  export DIR TEXT           a plain nn.RNN + Linear state dict as safetensors (no
                            metadata, bias_hh nonzero); its greedy continuation
"""
import json
import math
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import minrnn_torch as mt  # noqa: E402


def sample(path, prime, n, seed, argmax, zero_state):
    """minrnn_torch.sample_indices's symbols from the file, and its closest call."""
    ckpt = mt.load(path)
    drawn = list(mt.sample_indices(ckpt, n, prime=prime, seed=seed, argmax=argmax, zero_state=zero_state))
    text = ckpt.vocab.decode([x for x, _ in drawn])
    return {"text": text if isinstance(text, str) else list(text), "closest": min(m for _, m in drawn)}


@torch.no_grad()
def losses(path, text_path, heldout_path):
    ckpt = mt.load(path)
    model = ckpt.model.double()
    state = tuple(s.double() for s in ckpt.state) if isinstance(ckpt.state, tuple) else ckpt.state.double()
    c, t = ckpt.config, ckpt.training
    B, T = c["batch"], c["seqLength"]
    nll = lambda logits, y: float(torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum"))  # noqa: E731

    data = torch.tensor(ckpt.vocab.encode(open(text_path, encoding="utf-8").read()))
    span, p = len(data) // B, t["position"]
    if t["iteration"] == 0 or p + T + 1 >= span:  # minrnn's wrap rule
        state, p = model.zero_state(B), 0
    window = data[torch.arange(B)[None, :] * span + p + torch.arange(T + 1)[:, None]]
    logits, _ = model(window[:-1], state)
    step = nll(logits, window[1:]) / B

    # Validation: windows of T in order from a zero state carried across them, each
    # window's summed loss, averaged over windows (assembly/evaluate.ts).
    held = torch.tensor(ckpt.vocab.encode(open(heldout_path, encoding="utf-8").read()))
    windows = (len(held) - 1) // T
    state, total = model.zero_state(1), 0.0
    for w in range(windows):
        chunk = held[w * T : w * T + T + 1, None]
        logits, state = model(chunk[:-1], state)
        total += nll(logits, chunk[1:])
    return {"step": step, "validation": total / windows, "characters": windows * T}


def roundtrip(src, dst):
    ckpt = mt.load(src)
    optimizer = mt.make_optimizer(ckpt.model, ckpt.config)
    if ckpt.optimizer_state is not None:
        optimizer.load_state_dict(ckpt.optimizer_state)
    mt.save(dst, ckpt.model, ckpt.vocab, optimizer=optimizer, training=ckpt.training, config=ckpt.config, state=ckpt.state)
    return {"config": ckpt.config, "training": ckpt.training, "vocab": list(ckpt.vocab.symbols), "kind": ckpt.vocab.kind}


def selfcheck(cell, layers, kind, directory):
    """A checkpoint that only Python can make today (LSTM, GRU, stacked, Adam, RMSProp):
    it survives save -> load -> save byte for byte, and the loaded model's logits from
    the carried state are the saved model's."""
    torch.manual_seed(7)
    text = "When one machine is not enough: continue in PyTorch, and come back. 🙂 " * 2
    vocab = mt.Vocab.from_text(text)
    B, T = 3, 8
    config = {"learningRate": 2e-3 if kind != "adagrad" else 0.1, "seed": 5, "seqLength": T, "optimizer": kind, "clip": 5, "batch": B}
    model = mt.CharRNN(cell, len(vocab), 12, layers)
    optimizer = mt.make_optimizer(model, config)
    data = torch.tensor(vocab.encode(text))
    span = len(data) // B
    state = model.zero_state(B)
    for p in range(0, 3 * T, T):  # a few real updates, so that every slot and the state are nonzero
        window = data[torch.arange(B)[None, :] * span + p + torch.arange(T + 1)[:, None]]
        logits, state = model(window[:-1], state)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(vocab)), window[1:].reshape(-1), reduction="sum") / B
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        state = tuple(s.detach() for s in state) if cell == "lstm" else state.detach()
    training = {"iteration": 3, "position": 3 * T, "smoothLoss": 40.5, "rng": mt.seed_rng(5), "textLength": len(data)}
    first = os.path.join(directory, f"py-{cell}-{layers}-{kind}.safetensors")
    again = first + ".again"
    mt.save(first, model, vocab, optimizer=optimizer, training=training, config=config, state=state)
    ckpt = mt.load(first)
    opt2 = mt.make_optimizer(ckpt.model, ckpt.config)
    opt2.load_state_dict(ckpt.optimizer_state)
    mt.save(again, ckpt.model, ckpt.vocab, optimizer=opt2, training=ckpt.training, config=ckpt.config, state=ckpt.state)
    same_bytes = open(first, "rb").read() == open(again, "rb").read()

    x = torch.tensor([vocab.encode("continue in ")] * B).T
    with torch.no_grad():
        want, _ = model(x, state)
        got, _ = ckpt.model(x, ckpt.state)
    slots = all(torch.equal(optimizer.state[p][s], opt2.state[q][s])
                for p, q in zip(model.parameters(), ckpt.model.parameters()) if p.requires_grad for s in mt.SLOTS[kind])
    return {"sameBytes": same_bytes, "logitsMaxDiff": float((want - got).abs().max()), "slotsEqual": slots,
            "config": ckpt.config, "training": ckpt.training, "path": first}


def errors(directory):
    """load()'s message for each kind of bad file."""
    good = os.path.join(directory, "good.safetensors")
    model = mt.CharRNN("rnn", 5, 4)
    mt.save(good, model, "abcde", config={"learningRate": 0.1, "seed": 1, "seqLength": 4, "optimizer": "adagrad", "clip": 5, "batch": 1})
    raw = open(good, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])

    def variant(name, change=None, data=None, tensors=None):
        """The good file with its header changed, or `tensors` as its data, or just `data`."""
        path = os.path.join(directory, name + ".safetensors")
        if data is None:
            h = json.loads(json.dumps(header))
            change(h)
            text = json.dumps(h).encode()
            text += b" " * (-(8 + len(text)) % 8)
            data = struct.pack("<Q", len(text)) + text + (raw[8 + n :] if tensors is None else tensors)
        open(path, "wb").write(data)
        return path

    def meta(key, fn, drop_crc=True):
        def change(h):
            m = h["__metadata__"]
            m[key] = fn(m[key])
            if drop_crc:
                del m["crc32"]
        return change

    def set_shape(h):
        h["rnn.weight_hh_l0"]["shape"] = [2, 8]

    nan = struct.pack("<f", float("nan")) + raw[8 + n + 4 :]
    flipped = bytearray(raw)
    flipped[-1] ^= 1
    plain = os.path.join(directory, "plain.safetensors")
    mt.write_safetensors(plain, model.state_dict(), {"format": "pt"})
    cases = {
        "another format": variant("format", meta("format", lambda _: "minrnn/2")),
        "a PyTorch state dict without minrnn metadata": plain,
        "not safetensors": variant("text", data=b"just some text, not a checkpoint at all\n"),
        "truncated": variant("truncated", data=raw[: len(raw) - 10]),
        "vocabulary shorter than the weights": variant("vocab", meta("vocab", lambda _: "[97,98,99,100]")),
        "vocabulary that does not match the weights": variant("vocabsize", lambda h: (meta("config", lambda c: c.replace('"vocabSize":5', '"vocabSize":4'))(h), meta("vocab", lambda _: "[97,98,99,100]", False)(h))),
        "wrong shape": variant("shape", set_shape),
        "not finite": variant("nan", lambda h: h["__metadata__"].pop("crc32"), tensors=nan),
        "bad checksum": variant("crc", data=bytes(flipped)),
        "unknown cell": variant("cell", meta("config", lambda c: c.replace('"cell":"rnn"', '"cell":"transformer"'))),
        "float16": variant("dtype", lambda h: h["decoder.bias"].update(dtype="F16")),
    }
    out = {}
    for what, path in cases.items():
        try:
            mt.load(path)
            out[what] = None
        except mt.CheckpointError as e:
            out[what] = str(e)
    return out


def refuse(paths):
    out = {}
    for path in paths:
        try:
            mt.load(path)
            out[path] = None
        except mt.CheckpointError as e:
            out[path] = str(e)
        except Exception as e:  # noqa: BLE001 - the test reports what else escaped
            out[path] = f"{type(e).__name__}: {e}"
    return out


def limits():
    from minrnn_torch import limits as lim
    return {k: getattr(lim, k) for k in dir(lim) if k.isupper()}


def unbounded(directory, good):
    """A FIFO fed forever, and a header claiming more data than any model has."""
    import threading
    raw = open(good, "rb").read()
    fifo = os.path.join(directory, "endless.fifo")
    os.mkfifo(fifo)
    sent = [0]

    def feed():
        with open(fifo, "wb") as f:
            try:
                f.write(raw)
                while True:
                    sent[0] += f.write(bytes(1 << 16))
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    out = {}
    try:
        mt.load(fifo)
    except mt.CheckpointError as e:
        out["fifo"] = str(e)
    writer.join(timeout=10)
    out["writerStopped"] = not writer.is_alive()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    header["decoder.bias"]["data_offsets"][1] = 8 << 30
    text = json.dumps(header).encode()
    huge = os.path.join(directory, "huge-claim.safetensors")
    open(huge, "wb").write(struct.pack("<Q", len(text)) + text + raw[8 + n :])
    try:
        mt.load(huge)
    except mt.CheckpointError as e:
        out["huge"] = str(e)
    return out


def unverified(bad, good):
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = mt.load(bad, verify_checksum=False)
    want = mt.load(good)
    same = all(torch.equal(a, b) for a, b in zip(got.model.state_dict().values(), want.model.state_dict().values()))
    return {"warnings": [str(w.message) for w in caught], "sameWeights": same and torch.equal(got.state, want.state)}


def export(directory, text):
    """What a PyTorch user has: nn.RNN + nn.Linear, trained in torch (both biases), saved
    as a plain state dict. minrnn reads it with the vocabulary given."""
    torch.manual_seed(3)
    vocab = mt.Vocab.from_text(text)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = torch.nn.RNN(len(vocab), 16)
            self.decoder = torch.nn.Linear(16, len(vocab))

    net = Net()
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(4)  # decisive logits: a greedy path with clear margins
    path = os.path.join(directory, "torch-export.safetensors")
    mt.write_safetensors(path, net.state_dict())
    # The same weights as a minrnn model (bias_hh folded) decode greedily from zero state.
    model = mt.CharRNN("rnn", len(vocab), 16)
    model.load_state_dict(net.state_dict())
    ckpt_path = os.path.join(directory, "torch-export-minrnn.safetensors")
    mt.save(ckpt_path, model, vocab)
    result = sample(ckpt_path, text[0], 60, 1, True, True)
    return {**result, "path": path, "prime": text[0]}


def main(argv):
    cmd, args = argv[0], argv[1:]
    # Several cases per command: each start of this process spends seconds importing torch.
    if cmd == "roundtrip":
        out = roundtrip(*args)
    elif cmd == "sample":
        out = [sample(args[0], args[1], int(args[2]), 0 if seed == "argmax" else int(seed), seed == "argmax", False) for seed in args[3:]]
    elif cmd == "losses":
        out = losses(*args)
    elif cmd == "selfcheck":
        out = {spec: selfcheck(*spec.split(":")[:1], int(spec.split(":")[1]), spec.split(":")[2], args[0]) for spec in args[1:]}
    elif cmd == "errors":
        out = errors(args[0])
    elif cmd == "refuse":
        out = refuse(args)
    elif cmd == "limits":
        out = limits()
    elif cmd == "unbounded":
        out = unbounded(*args)
    elif cmd == "unverified":
        out = unverified(*args)
    elif cmd == "export":
        out = export(args[0], args[1])
    else:
        raise SystemExit(f"unknown command {cmd}")
    print(json.dumps(as_json(out), ensure_ascii=False, allow_nan=False))


def as_json(v):
    """A loaded config's math.inf (no clipping) as the file has it, "Infinity"."""
    if isinstance(v, dict):
        return {k: as_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [as_json(x) for x in v]
    return "Infinity" if v == math.inf else v


if __name__ == "__main__":
    torch.set_num_threads(1)
    main(sys.argv[1:])
