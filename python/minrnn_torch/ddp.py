"""Continue training a minrnn checkpoint with PyTorch's DistributedDataParallel, and write
minrnn checkpoints that `minrnn sample`, CharRNN.load, the browser demo and the edge
worker read.

    minrnn-ddp MODEL TEXT --iters N --out OUT --nproc 4      (pip install ./python)
    python3 python/train_ddp.py MODEL TEXT --iters N --out OUT --nproc 4
    torchrun --nproc_per_node 4 python/train_ddp.py MODEL TEXT --iters N --out OUT

It trains as minrnn trains (docs: "The training loop both sides follow"):
  - the text, split into B equal slices (B = the checkpoint's batch); stream b reads at
    b·slice + p; with --val F the last F of the text is held out first, as minrnn's --val;
  - each iteration a window of T inputs and T targets; at the first iteration and when
    p + T + 1 >= slice the carried state goes to zero and p = 0;
  - the loss summed over the T steps and averaged over the B streams; backward, the
    checkpoint's clip (elementwise, or clipNorm by global norm), the optimizer, p += T.

Ranks take disjoint, contiguous slices of the B streams (rank r of W: streams
[r·B/W, (r+1)·B/W)), so W must be at most B. DDP averages gradients over the W ranks, so
rank r's loss is (W/B)·Σ_{b in r} loss_b: the average over ranks of its gradient is then
(1/B)·Σ_all ∇loss_b, the gradient of one process on all B streams, and every rank takes
the same step. The loss printed and kept in the smooth loss is Σ_all loss_b / B, minrnn's.

It starts where the checkpoint stopped: weights, optimizer state (min-char-rnn's Adagrad
by hand, Adam and RMSProp as torch.optim), iteration, smooth loss, and, when the text has
the length the checkpoint recorded, the window position and the carried state (otherwise
the start of the text, as minrnn does). Checkpoints (every --checkpoint-every iterations,
and at the end) are written by rank 0 atomically (temp file, fsync, rename) while the
others wait on a barrier, as the minrnn command saves (minrnn_torch.files): through a
symlink, never over a FIFO or device, keeping the file's mode.
"""
import argparse
import copy
import datetime
import json
import math
import os
import socket
import sys
import time

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from . import checkpoint as mt
from .errors import CheckpointError
from .files import check_writable
from .limits import MAX_INDEX
from .model import make_optimizer

# The name errors begin with: the console script's, or the repository's script's.
PROG = "minrnn-ddp" if sys.argv and os.path.basename(sys.argv[0]) == "minrnn-ddp" else "train_ddp.py"
SMOOTHING = 0.999  # minrnn's (and min-char-rnn's) smooth loss: 0.999·s + 0.001·loss


class UsageError(Exception):
    """A mistake in the command line or its files: one line on stderr, exit code 2."""


class Diverged(RuntimeError):
    """The loss stopped being finite; every rank raises it at the same iteration."""


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description="Continue training a minrnn checkpoint with DistributedDataParallel.")
    p.add_argument("model", help="the minrnn checkpoint to start from (minrnn train --out)")
    p.add_argument("text", help="the training text (its bytes, for a byte-mode model)")
    p.add_argument("--iters", type=int, required=True, help="iterations to train (each: one window of every stream)")
    p.add_argument("--out", required=True, help="the checkpoint to write (may be MODEL itself)")
    p.add_argument("--nproc", type=int, default=1, help="processes to start on this machine (torch.multiprocessing.spawn); not with torchrun")
    p.add_argument("--checkpoint-every", type=int, default=0, help="also save every N iterations (0: only at the end)")
    p.add_argument("--print-every", type=int, default=100, help="print iteration, loss and speed every N iterations")
    p.add_argument("--val", type=float, default=0.0, help="hold out this last fraction of the text, as minrnn train --val did")
    p.add_argument("--batch", type=int, help="streams over the text (default: the checkpoint's); another number restarts them at the text's beginning, with more streams for more processes")
    p.add_argument("--threads", type=int, default=1, help="torch threads per process")
    p.add_argument("--backend", choices=["gloo", "nccl"], help="default: nccl on GPUs, gloo on the CPU")
    p.add_argument("--cpu", action="store_true", help="train on the CPU even where GPUs exist")
    p.add_argument("--port", type=int, default=0, help="with --nproc: the rendezvous port on 127.0.0.1 (default: a free one)")
    p.add_argument("--json", action="store_true", help="progress as JSON lines")
    a = p.parse_args(argv)
    for name in ("iters", "nproc", "threads", "batch"):
        if getattr(a, name) is not None and getattr(a, name) < 1:
            p.error(f"--{name} must be a whole number ≥ 1, got {getattr(a, name)}")
    if a.checkpoint_every < 0 or a.print_every < 0:
        p.error("--checkpoint-every and --print-every must be ≥ 0")
    if not 0 <= a.val < 1:
        p.error(f"--val must be a fraction from 0 up to (not including) 1, got {a.val}")
    return a


def prepare(a, world, announce=False):
    """Reads and checks everything a rank needs; errors name the file and what to do.
    `announce`: print the warnings (one process does)."""
    if os.path.realpath(a.text) == os.path.realpath(a.out):
        raise UsageError(f"--out {a.out} is the training text; choose another output file")
    if os.path.isdir(a.out):
        raise UsageError(f"--out {a.out} is a directory; give a file's path, such as {os.path.join(a.out, 'model.safetensors')}")
    try:
        check_writable(a.out)
    except ValueError as e:
        raise UsageError(f"--out {e}") from None
    ckpt = mt.load(a.model)
    c = ckpt.config
    # The saved position and carried state belong to the checkpoint's streams over the text
    # it trained on: with other streams, or a text of another length, training starts at
    # the text's beginning with a zero state, as minrnn's does on another text.
    restreamed = a.batch is not None and a.batch != c["batch"]
    if restreamed:
        c["batch"] = a.batch
    if c.get("dropout", 0):
        raise UsageError(f"{a.model} trains with dropout {c['dropout']}, which {PROG} does not apply yet; it would train another model than minrnn does")
    if c.get("lrDecay", 1) != 1 and announce:
        print(f"{PROG}: {a.model} has a learning-rate decay (lrDecay {c['lrDecay']}), which {PROG} does not apply yet: the rate stays {ckpt.training.get('learningRate', c['learningRate'])}", file=sys.stderr)
    raw = read_text(a.text, ckpt.vocab.kind)
    if ckpt.vocab.kind == "bytes":
        data = raw
    else:
        try:
            data = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise UsageError(f"{a.text}: not valid UTF-8 at byte {e.start}, and {a.model} is a model of characters; give the text it was trained on") from None
    data = data[: len(data) - math.floor(len(data) * a.val)]
    try:
        indices = torch.tensor(ckpt.vocab.encode(data), dtype=torch.long)
    except ValueError as e:
        raise UsageError(f"{a.text}: {e}") from None
    B, T = c["batch"], c["seqLength"]
    if world > B:
        raise UsageError(f"{world} processes need a batch of {world} streams or more (each rank trains its share of them), and the batch is {B}; run fewer processes, or give --batch {world} or more")
    if len(indices) // B < T + 1:
        raise UsageError(f"{a.text}: {len(indices)} symbols give each of the {B} streams {len(indices) // B}, fewer than a window needs (seqLength + 1 = {T + 1}); use a longer text")
    resume_streams = not restreamed and ckpt.training["textLength"] == len(indices)
    return ckpt, indices, resume_streams


def read_text(path, kind):
    """The training file's bytes, read no further than a text minrnn trains on can go:
    MAX_INDEX symbols (bytes in byte mode, at most 4 bytes each in UTF-8)."""
    limit = MAX_INDEX * (1 if kind == "bytes" else 4)
    try:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise UsageError(f"{path}: cannot read it ({e.strerror})") from None
    if len(raw) > limit:
        raise UsageError(f"{path}: longer than the {limit} bytes a training text can have ({MAX_INDEX} {'bytes' if kind == 'bytes' else 'characters'}; the rest was not read); train on a part of it")
    return raw


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker(rank, world, local_rank, a):
    """One rank: the process group, then training; the group is torn down however it ends."""
    torch.set_num_threads(a.threads)
    cuda = torch.cuda.is_available() and not a.cpu
    backend = a.backend or ("nccl" if cuda else "gloo")
    device = torch.device(f"cuda:{local_rank}") if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    dist.init_process_group(backend, rank=rank, world_size=world, timeout=datetime.timedelta(minutes=10))
    try:
        train(rank, world, device, a)
    finally:
        dist.destroy_process_group()


def train(rank, world, device, a):
    ckpt, data, resume_streams = prepare(a, world)
    c, training = ckpt.config, dict(ckpt.training)
    B, T = c["batch"], c["seqLength"]
    lo, hi = rank * B // world, (rank + 1) * B // world  # this rank's streams
    span = len(data) // B  # one stream's slice of the text
    model = ckpt.model.to(device)
    ddp = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    optimizer = make_optimizer(model, c)
    if ckpt.optimizer_state is not None:
        optimizer.load_state_dict(ckpt.optimizer_state)
    for group in optimizer.param_groups:  # the rate a decaying schedule has reached, if any
        group["lr"] = training.get("learningRate", c["learningRate"])
    trained = [p for p in model.parameters() if p.requires_grad]
    # minrnn's clips, in its order (assembly/optim.ts): elementwise, then by global norm;
    # math.inf (a stored "Infinity") turns one off.
    clip, clip_norm = c["clip"], c["clipNorm"]

    p = training["position"] if resume_streams else 0
    if resume_streams:
        state = ckpt.state
        state = tuple(s[:, lo:hi].to(device) for s in state) if isinstance(state, tuple) else state[:, lo:hi].to(device)
    else:
        state = model.zero_state(hi - lo)
    iteration, smooth = training["iteration"], training["smoothLoss"]
    data = data.to(device)
    offsets = torch.arange(lo, hi, device=device) * span
    steps = torch.arange(T + 1, device=device)[:, None]
    scale = world / B
    started, last_report = time.time(), (time.time(), iteration)
    log = Log(rank, a.json)

    def save():
        # Every rank's streams to rank 0, in stream order, then one writer.
        parts = [None] * world
        dist.all_gather_object(parts, _cpu(state))
        if rank == 0:
            full = tuple(torch.cat([q[i] for q in parts], dim=1) for i in range(2)) if isinstance(state, tuple) else torch.cat(parts, dim=1)
            done = {**training, "iteration": iteration, "position": p, "smoothLoss": smooth, "textLength": len(data)}
            mt.save(a.out, model, ckpt.vocab, optimizer=optimizer, training=done, config=c, state=full)
            log.event("saved", iteration=iteration, path=a.out)
        dist.barrier()

    for n in range(a.iters):
        if iteration == 0 or p + T + 1 >= span:
            state, p = model.zero_state(hi - lo), 0
        window = data[offsets[None, :] + p + steps]  # [T+1, this rank's streams]
        before = state
        logits, state = ddp(window[:-1], state)
        summed = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[1:].reshape(-1), reduction="sum")
        optimizer.zero_grad(set_to_none=True)
        (summed * scale).backward()  # DDP averages over ranks: see the module's docstring
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        total = summed.detach().clone()
        dist.all_reduce(total)
        loss = total.item() / B
        # Every rank sees the same reduced loss and takes the same step, so all stop at
        # the same point, keeping the last good weights and the state they had.
        hint = f"Train again from there with a lower learning rate (now {c['learningRate']})"
        if not math.isfinite(loss):
            state = before
            save()
            raise Diverged(f"the loss became {loss} at iteration {iteration}; the weights before it are saved in {a.out}. {hint}")
        if clip < math.inf:
            for q in trained:
                q.grad.clamp_(-clip, clip)
        if clip_norm < math.inf:
            torch.nn.utils.clip_grad_norm_(trained, clip_norm)
        # As minrnn's core: no update that makes a weight or an optimizer slot non-finite.
        kept = ([q.detach().clone() for q in trained], copy.deepcopy(optimizer.state_dict()))
        optimizer.step()
        if not all_finite(trained, optimizer):
            with torch.no_grad():
                for q, k in zip(trained, kept[0]):
                    q.copy_(k)
            optimizer.load_state_dict(kept[1])
            state = before
            save()
            raise Diverged(f"the update after a loss of {loss} at iteration {iteration} would have made a weight or an optimizer slot infinite; the weights before it are saved in {a.out}. {hint}, or a smaller clip (now {c['clip']:g})")
        smooth = SMOOTHING * smooth + (1 - SMOOTHING) * loss
        iteration += 1
        p += T
        log.loss(iteration, loss, smooth)
        if a.print_every and iteration % a.print_every == 0:
            now = time.time()
            log.progress(iteration, loss, smooth, (iteration - last_report[1]) * T * B / max(now - last_report[0], 1e-9))
            last_report = (now, iteration)
        if a.checkpoint_every and (n + 1) % a.checkpoint_every == 0 and n + 1 < a.iters:
            save()
    save()
    log.event("done", iteration=iteration, smoothLoss=smooth, seconds=round(time.time() - started, 3))


def all_finite(params, optimizer):
    """One check (one device sync) over every weight and every optimizer slot."""
    tensors = list(params) + [v for st in optimizer.state.values() for k, v in st.items() if k != "step" and torch.is_tensor(v)]
    return bool(torch.stack([torch.isfinite(t).all() for t in tensors]).all())


def _cpu(state):
    return tuple(s.cpu() for s in state) if isinstance(state, tuple) else state.cpu()


class Log:
    """Rank 0's output: the reference's `iter N, loss X` lines, or JSON lines with --json."""

    def __init__(self, rank, as_json):
        self.quiet, self.json = rank != 0, as_json

    def loss(self, iteration, loss, smooth):
        if self.json and not self.quiet:
            self._json({"event": "iteration", "iteration": iteration, "loss": loss, "smoothLoss": smooth})

    def progress(self, iteration, loss, smooth, rate):
        if not self.json and not self.quiet:
            print(f"iter {iteration}, loss {smooth:.4f} (this window {loss:.4f}), {rate:,.0f} chars/s", flush=True)

    def event(self, kind, **fields):
        if self.quiet:
            return
        if self.json:
            self._json({"event": kind, **fields})
        elif kind == "saved":
            print(f"saved {fields['path']} at iteration {fields['iteration']}", flush=True)

    @staticmethod
    def _json(obj):
        print(json.dumps(obj), flush=True)


def spawned(index, world, port, a):
    """The entry of a --nproc process: its rank is its index."""
    os.environ.update({"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)})
    try:
        worker(index, world, index, a)
    except (UsageError, CheckpointError, RuntimeError, ValueError) as e:
        if index == 0 or not isinstance(e, Diverged):  # the same words from every rank once
            print(f"{PROG}{f' (rank {index})' if world > 1 else ''}: {e}", file=sys.stderr, flush=True)
        sys.exit(1)


def main(argv):
    a = parse_args(argv)
    launched = "RANK" in os.environ and "WORLD_SIZE" in os.environ
    try:
        if launched:
            # torchrun (or any launcher that sets the env:// variables).
            if "--nproc" in argv:
                raise UsageError("--nproc starts its own processes; under torchrun, set the count with --nproc_per_node instead")
            rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
            prepare(a, world, announce=rank == 0)
            worker(rank, world, int(os.environ.get("LOCAL_RANK", 0)), a)
            return 0
        # Checked once here, so a mistake is one clear line rather than a trace per process.
        prepare(a, a.nproc, announce=True)
        port = a.port or free_port()
        if a.nproc == 1:
            spawned(0, 1, port, a)
        else:
            torch.multiprocessing.spawn(spawned, args=(a.nproc, port, a), nprocs=a.nproc, join=True)
        return 0
    except (UsageError, CheckpointError, RuntimeError, ValueError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2 if isinstance(e, UsageError) else 1
    except SystemExit as e:
        return e.code  # a --nproc 1 run's error, already printed by its process
    except (torch.multiprocessing.ProcessExitedException, torch.multiprocessing.ProcessRaisedException) as e:
        print(f"{PROG}: a training process stopped ({str(e).strip().splitlines()[0]}); its error is above", file=sys.stderr)
        return 1


def cli():
    """The console script `minrnn-ddp`."""
    sys.exit(main(sys.argv[1:]))


if __name__ == "__main__":
    cli()
