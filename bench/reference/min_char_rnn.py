#!/usr/bin/env python3
"""numpy reference of Karpathy's min-char-rnn (benchmark baseline and parity check).

Same math as the original min-char-rnn.py, operation for operation, except that the
one-hot products Wxh.x and dhraw.x^T are done as column gathers / column adds.
Column vectors (shape (n, 1)) as in the original; np.dot, np.tanh, np.exp.

Benchmark:
  python3 bench/reference/min_char_rnn.py --data FILE --iters N [--warmup W]
      [--rounds R] [--dtype float64|float32] [--hidden 100] [--seq 25] [--lr 0.1] [--seed 42]
  prints one JSON line per round.

Parity check:
  python3 bench/reference/min_char_rnn.py --check FIXTURE.json [--dtype float64|float32]
"""
import argparse
import json
import math
import sys
import time

import numpy as np


def build_vocab(text):
    """Distinct code points sorted by code point, and the index sequence."""
    vocab = sorted(set(text))
    char_to_ix = {ch: i for i, ch in enumerate(vocab)}
    return vocab, np.array([char_to_ix[ch] for ch in text], dtype=np.int64)


class MinCharRNN:
    def __init__(self, data_ix, vocab_size, hidden=100, seq_length=25,
                 learning_rate=0.1, seed=42, dtype=np.float64, init=None):
        self.data = [int(i) for i in data_ix]  # python ints: cheap slicing/indexing
        self.V, self.H, self.T = vocab_size, hidden, seq_length
        if len(self.data) < seq_length + 1:
            raise ValueError('text has %d symbols; need at least seq_length + 1 = %d'
                             % (len(self.data), seq_length + 1))
        self.lr = learning_rate
        self.dtype = np.dtype(dtype)
        H, V = hidden, vocab_size
        if init is None:
            rng = np.random.RandomState(seed)
            init = {
                'Wxh': rng.randn(H, V) * 0.01,
                'Whh': rng.randn(H, H) * 0.01,
                'Why': rng.randn(V, H) * 0.01,
                'bh': np.zeros(H),
                'by': np.zeros(V),
            }
        cast = lambda a, shape: np.array(a, dtype=np.float64).reshape(shape).astype(self.dtype)
        self.Wxh = cast(init['Wxh'], (H, V))
        self.Whh = cast(init['Whh'], (H, H))
        self.Why = cast(init['Why'], (V, H))
        self.bh = cast(init['bh'], (H, 1))
        self.by = cast(init['by'], (V, 1))
        self.mWxh, self.mWhh, self.mWhy = (np.zeros_like(self.Wxh), np.zeros_like(self.Whh),
                                           np.zeros_like(self.Why))
        self.mbh, self.mby = np.zeros_like(self.bh), np.zeros_like(self.by)
        self.hprev = np.zeros((H, 1), dtype=self.dtype)
        self.n, self.p = 0, 0
        self.smooth_loss = -np.log(1.0 / V) * seq_length

    def lossFun(self, inputs, targets, hprev):
        """inputs, targets: lists of T indices; hprev: (H, 1) initial hidden state h[-1].
        Returns loss, clipped gradients and h[T-1]."""
        Wxh, Whh, Why, bh, by = self.Wxh, self.Whh, self.Why, self.bh, self.by
        hs, ps = {}, {}
        hs[-1] = np.copy(hprev)
        loss = 0.0
        for t in range(len(inputs)):
            x = inputs[t]
            hs[t] = np.tanh(Wxh[:, x:x + 1] + np.dot(Whh, hs[t - 1]) + bh)
            ys = np.dot(Why, hs[t]) + by
            ps[t] = np.exp(ys) / np.sum(np.exp(ys))
            loss += float(-np.log(ps[t][targets[t], 0]))
        dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
        dbh, dby = np.zeros_like(bh), np.zeros_like(by)
        dhnext = np.zeros_like(hs[0])
        for t in reversed(range(len(inputs))):
            dy = np.copy(ps[t])
            dy[targets[t]] -= 1
            dWhy += np.dot(dy, hs[t].T)
            dby += dy
            dh = np.dot(Why.T, dy) + dhnext
            dhraw = (1 - hs[t] * hs[t]) * dh
            dbh += dhraw
            x = inputs[t]
            dWxh[:, x:x + 1] += dhraw
            dWhh += np.dot(dhraw, hs[t - 1].T)
            dhnext = np.dot(Whh.T, dhraw)
        for dparam in (dWxh, dWhh, dWhy, dbh, dby):
            np.clip(dparam, -5, 5, out=dparam)
        return loss, dWxh, dWhh, dWhy, dbh, dby, hs[len(inputs) - 1], hs

    def step(self):
        """One iteration of the original training loop. Returns (loss, p used)."""
        T = self.T
        if self.p + T + 1 >= len(self.data) or self.n == 0:
            self.hprev = np.zeros((self.H, 1), dtype=self.dtype)
            self.p = 0
        p = self.p
        inputs = self.data[p:p + T]
        targets = self.data[p + 1:p + T + 1]
        loss, dWxh, dWhh, dWhy, dbh, dby, self.hprev, _ = self.lossFun(inputs, targets, self.hprev)
        self.smooth_loss = self.smooth_loss * 0.999 + loss * 0.001
        lr = self.lr
        for param, dparam, mem in zip((self.Wxh, self.Whh, self.Why, self.bh, self.by),
                                      (dWxh, dWhh, dWhy, dbh, dby),
                                      (self.mWxh, self.mWhh, self.mWhy, self.mbh, self.mby)):
            mem += dparam * dparam
            param += -lr * dparam / np.sqrt(mem + 1e-8)
        self.p += T
        self.n += 1
        return loss, p

    def train(self, iterations):
        for _ in range(iterations):
            self.step()


# ---------------------------------------------------------------- parity check

def check(path, dtype):
    with open(path, encoding='utf-8') as f:
        fx = json.load(f)
    hp = fx['hyperparameters']
    H, T, K = hp['hidden'], hp['seq_length'], fx['training']['iterations']
    f32 = np.dtype(dtype) == np.float32
    lim = ({'first_loss': 1e-6, 'grads': 5e-6, 'hs': 1e-7, 'loss': 1e-4, 'smooth': 1e-6,
            'params': 1e-3, 'mem': 3e-2} if f32 else
           {'first_loss': 1e-12, 'grads': 1e-12, 'hs': 1e-13, 'loss': 1e-12, 'smooth': 1e-13,
            'params': 1e-11, 'mem': 1e-10})
    problems = []

    def ok(cond, msg):
        if not cond:
            problems.append(msg)

    vocab, ix = build_vocab(fx['text'])
    ok(vocab == fx['vocab'], 'vocab differs')
    ok(len(ix) == fx['text_length'], 'text length %d != %d' % (len(ix), fx['text_length']))
    init = {k: np.array(v['data'], dtype=np.float64).reshape(v['shape'])
            for k, v in fx['init'].items()}
    make = lambda: MinCharRNN(ix, len(vocab), hidden=H, seq_length=T,
                              learning_rate=hp['learning_rate'], dtype=dtype, init=init)
    rel = lambda a, b: abs(a - b) / abs(b)
    mad = lambda a, ref: float(np.max(np.abs(np.asarray(a, dtype=np.float64).ravel()
                                              - np.asarray(ref['data'], dtype=np.float64))))

    # first lossFun call at p = 0, hprev = 0
    fc = fx['first_call']
    m0 = make()
    inputs, targets = m0.data[0:T], m0.data[1:T + 1]
    ok(inputs == fc['inputs'] and targets == fc['targets'], 'first_call inputs/targets differ')
    loss, dWxh, dWhh, dWhy, dbh, dby, hlast, hs = m0.lossFun(inputs, targets, m0.hprev)
    res = {'first_loss': rel(loss, fc['loss'])}
    res['grads'] = max(mad(g, fc['grads'][k]) for g, k in
                       ((dWxh, 'dWxh'), (dWhh, 'dWhh'), (dWhy, 'dWhy'), (dbh, 'dbh'), (dby, 'dby')))
    res['hs'] = mad(np.concatenate([hs[t].ravel() for t in range(T)]), fc['hs'])

    # K training iterations
    m = make()
    ok(m.smooth_loss == fx['training']['initial_smooth_loss'] or
       rel(m.smooth_loss, fx['training']['initial_smooth_loss']) < 1e-15, 'initial smooth loss')
    res['loss'] = res['smooth'] = 0.0
    p_bad = 0
    for n in range(K):
        loss, p = m.step()
        if p != fx['training']['p'][n]:
            p_bad += 1
        res['loss'] = max(res['loss'], rel(loss, fx['training']['loss'][n]))
        res['smooth'] = max(res['smooth'], rel(m.smooth_loss, fx['training']['smooth_loss'][n]))
    ok(p_bad == 0, '%d iterations with a wrong p' % p_bad)
    ok(m.p == fx['training']['final']['p_next'], 'p_next %d != %d' % (m.p, fx['training']['final']['p_next']))
    fin = fx['training']['final']
    res['params'] = max(mad(getattr(m, k), fin['params'][k]) for k in ('Wxh', 'Whh', 'Why', 'bh', 'by'))
    res['mem'] = max(mad(getattr(m, k), fin['mem'][k]) for k in ('mWxh', 'mWhh', 'mWhy', 'mbh', 'mby'))
    res['hprev'] = mad(m.hprev, fin['hprev'])
    lim['hprev'] = lim['params']  # no README limit for final hprev; use the final-weights one
    for k, v in res.items():
        ok(v <= lim[k], '%s: %.3g > limit %.3g' % (k, v, lim[k]))
    status = 'PASS' if not problems else 'FAIL'
    print('%s %s [%s] H=%d T=%d V=%d K=%d | %s' % (
        status, fx.get('name', path), np.dtype(dtype).name, H, T, len(vocab), K,
        ', '.join('%s %.1e' % (k, v) for k, v in res.items())))
    for pr in problems:
        print('    ' + pr)
    return not problems


# ---------------------------------------------------------------- benchmark

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', help='UTF-8 training text')
    ap.add_argument('--iters', type=int, default=1000, help='timed iterations per round')
    ap.add_argument('--warmup', type=int, default=0, help='untimed iterations before the first round')
    ap.add_argument('--rounds', type=int, default=1, help='timed rounds (training continues across rounds)')
    ap.add_argument('--dtype', choices=('float64', 'float32'), default='float64')
    ap.add_argument('--hidden', type=int, default=100)
    ap.add_argument('--seq', type=int, default=25)
    ap.add_argument('--lr', type=float, default=0.1)
    ap.add_argument('--seed', type=int, default=42)
    ap.add_argument('--check', nargs='+', metavar='FIXTURE', help='verify against parity fixture(s)')
    args = ap.parse_args(argv)
    dtype = np.float64 if args.dtype == 'float64' else np.float32

    if args.check:
        results = [check(path, dtype) for path in args.check]
        return 0 if all(results) else 1

    if not args.data:
        ap.error('--data is required (or --check)')
    with open(args.data, encoding='utf-8', newline='') as f:
        text = f.read()
    vocab, ix = build_vocab(text)
    model = MinCharRNN(ix, len(vocab), hidden=args.hidden, seq_length=args.seq,
                       learning_rate=args.lr, seed=args.seed, dtype=dtype)
    model.train(args.warmup)
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        model.train(args.iters)
        seconds = time.perf_counter() - t0
        print(json.dumps({
            'impl': 'numpy', 'dtype': args.dtype, 'iterations': args.iters,
            'seconds': seconds, 'charsPerSec': args.iters * args.seq / seconds,
            'smoothLoss': float(model.smooth_loss), 'numpy': np.__version__,
        }), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
