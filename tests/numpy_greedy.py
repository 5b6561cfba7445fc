"""Reads a minrnn checkpoint by hand (the safetensors layout, with numpy only: no
safetensors package) and prints the model's greedy continuation of a prime, computed
independently of minrnn: the prime, then `length` characters, each the argmax of
decoder(h) after feeding the previous one. It starts from the hidden state the checkpoint
carried (state.h_l0, stream 0), as minrnn does, or from zeros with --zero-state.

usage: python3 numpy_greedy.py MODEL PRIME LENGTH [--zero-state]
"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        assert entry["dtype"] == "F32", entry
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"]).astype(np.float64)
    return metadata, tensors


def main():
    path, prime, length = sys.argv[1], sys.argv[2], int(sys.argv[3])
    metadata, t = read_safetensors(path)
    chars = [chr(cp) for cp in json.loads(metadata["vocab"])]
    index = {ch: i for i, ch in enumerate(chars)}
    w_ih, w_hh = t["rnn.weight_ih_l0"], t["rnn.weight_hh_l0"]
    b_h = t["rnn.bias_ih_l0"] + t["rnn.bias_hh_l0"]
    w_out, b_out = t["decoder.weight"], t["decoder.bias"]

    zero = "--zero-state" in sys.argv[4:] or "state.h_l0" not in t
    h = np.zeros(w_hh.shape[0]) if zero else t["state.h_l0"][0]
    out = []
    x = None
    for ch in prime:
        x = index[ch]
        h = np.tanh(w_ih[:, x] + w_hh @ h + b_h)
    for _ in range(length):
        x = int(np.argmax(w_out @ h + b_out))
        out.append(chars[x])
        h = np.tanh(w_ih[:, x] + w_hh @ h + b_h)
    sys.stdout.write(prime + "".join(out))


if __name__ == "__main__":
    main()
