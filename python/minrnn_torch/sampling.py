"""Sampling as minrnn samples: its PRNG (xoshiro128** seeded through splitmix32,
assembly/rng.ts), its draw (an inverse-CDF walk over softmax(logits / temperature) with
one uniform in [0, 1), assembly/sample.ts), from stream 0's carried state after feeding
the prime, so a seeded sample here is minrnn's `sample({ seed, prime, temperature })`
wherever no draw lands within rounding of a boundary (PyTorch and minrnn compute the
logits in float32 in different orders)."""
import math

import torch

from .checkpoint import seed_rng


class Xoshiro128:
    """minrnn's PRNG: xoshiro128** over four 32-bit words; uniform() from two draws."""

    def __init__(self, seed=None, state=None):
        self.s = list(state) if state is not None else seed_rng(seed)

    def next(self):
        s0, s1, s2, s3 = self.s
        rotl = lambda x, k: ((x << k) | (x >> (32 - k))) & 0xFFFFFFFF  # noqa: E731
        out = (rotl((s1 * 5) & 0xFFFFFFFF, 7) * 9) & 0xFFFFFFFF
        t = (s1 << 9) & 0xFFFFFFFF
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        self.s = [s0, s1, s2, rotl(s3, 11)]
        return out

    def uniform(self):
        """A double in [0, 1) with 53 random bits, as minrnn's uniform()."""
        hi, lo = self.next() >> 5, self.next() >> 6
        return (hi * 67108864.0 + lo) / 9007199254740992.0


@torch.no_grad()
def sample_indices(checkpoint, length, temperature=1.0, prime="", seed=None, argmax=False, zero_state=False):
    """Yields (index, margin) for each of `length` symbols: the index drawn, and how close
    the draw came to another symbol (the distance of the uniform from the nearest CDF
    boundary, or for argmax the gap between the two largest logits), which says whether
    float32 rounding could have changed it. Without a prime the first symbol is drawn
    uniformly, as minrnn does; without a seed the draws continue the checkpoint's PRNG."""
    if not (isinstance(length, int) and length >= 0):
        raise ValueError(f"length must be a whole number ≥ 0, got {length!r}")
    if not (isinstance(temperature, (int, float)) and 0 < temperature < math.inf):
        raise ValueError(f"temperature must be a positive finite number, got {temperature!r}")
    model, vocab = checkpoint.model, checkpoint.vocab
    rng = Xoshiro128(state=checkpoint.training["rng"]) if seed is None else Xoshiro128(seed)
    state = model.zero_state(1) if zero_state else (tuple(s[:, :1].contiguous() for s in checkpoint.state) if isinstance(checkpoint.state, tuple) else checkpoint.state[:, :1].contiguous())

    def step(x, state):
        logits, state = model(torch.tensor([[x]]), state)
        return logits[0, 0].double(), state

    indices = vocab.encode(prime.encode() if vocab.kind == "bytes" and isinstance(prime, str) else prime) if prime else []
    if indices:
        for x in indices[:-1]:
            _, state = step(x, state)
        x = indices[-1]
    elif length:
        x = min(int(rng.uniform() * len(vocab)), len(vocab) - 1)
        yield x, math.inf
        length -= 1
    for _ in range(length):
        logits, state = step(x, state)
        if argmax:
            top = torch.topk(logits, 2).values if len(logits) > 1 else torch.cat([logits, logits - math.inf])
            x, margin = int(torch.argmax(logits)), float(top[0] - top[1])
        else:
            cum = torch.cumsum(torch.softmax(logits / temperature, 0), 0)
            u = rng.uniform() * float(cum[-1])
            x = int(torch.searchsorted(cum, torch.tensor([u], dtype=cum.dtype), right=True).clamp(max=len(cum) - 1))
            margin = float((cum - u).abs().min())
        yield x, margin


def sample(model, length, temperature=1.0, prime="", seed=None):
    """`length` symbols continuing `prime` from a loaded checkpoint `model` (what load()
    returns), as minrnn's model.sample({ length, temperature, prime, seed }) draws them:
    a str, or bytes for a byte-mode model. The prime is not repeated."""
    return model.vocab.decode([x for x, _ in sample_indices(model, length, temperature, prime, seed)])
