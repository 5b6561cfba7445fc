"""minrnn checkpoints in PyTorch, and back: read and write the `minrnn/1` safetensors files
that `minrnn train` writes and `minrnn sample`, `CharRNN.load`, the browser demo and the
edge worker read; sample from them as minrnn samples; continue training them on many
processes (`minrnn-ddp`, minrnn_torch.ddp). Needs torch and numpy only (the format is an
8-byte length, a JSON header and the raw float32 data).

    import minrnn_torch as mt
    ckpt = mt.load("model.safetensors")        # model, vocab, config, training, state, optimizer_state
    print(mt.sample(ckpt, 200, temperature=0.8, prime="The ", seed=1))
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

One set of rules with minrnn: `load` refuses every file CharRNN.load refuses (minrnn_torch.rules
has them, minrnn_torch.limits the limits), and `save` refuses to write one. A config or
training field minrnn does not know is refused, as minrnn refuses it.

minrnn's vanilla cell has min-char-rnn's single hidden bias: `bias_hh_l{k}` is stored as
zeros and never trained. `load` freezes it (a trainable copy would take the same gradient
as `bias_ih` and so double that bias's step); `save` adds any nonzero `bias_hh` into
`bias_ih` in float32, as minrnn's loadStateDict does, and writes zeros.
"""
from .checkpoint import FORMAT, Checkpoint, default_training, load, save, seed_rng, write_safetensors
from .errors import CheckpointError
from .limits import MAX_LAYERS, MAX_SYMBOLS
from .model import CharRNN, MinCharAdagrad, make_optimizer, parameter_names, state_names, tensor_shapes
from .rules import GATES, SLOTS
from .sampling import Xoshiro128, sample, sample_indices
from .vocab import Vocab

__all__ = [
    "CharRNN", "Checkpoint", "CheckpointError", "FORMAT", "GATES", "MAX_LAYERS", "MAX_SYMBOLS", "MinCharAdagrad", "SLOTS", "Vocab", "Xoshiro128",
    "default_training", "load", "make_optimizer", "parameter_names", "sample", "sample_indices", "save", "seed_rng", "state_names", "tensor_shapes",
    "write_safetensors",
]
