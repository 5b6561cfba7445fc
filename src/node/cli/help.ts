// The --help texts: every option of every command, its default, and examples.
import type { Command } from "./args.js";
import { availableCores as cores } from "../cores.js";
import { PRESETS, presetFlags } from "./presets.js";

const MAIN = `minrnn: train and sample character-level RNNs (min-char-rnn) in SIMD WebAssembly

Usage:
  minrnn train [FILE] [options]   train on a UTF-8 text (no FILE: a small built-in corpus),
                                  or on any file's bytes with --bytes
  minrnn sample MODEL [options]   print text drawn from a trained model
  minrnn info MODEL               describe a checkpoint
  minrnn help [COMMAND]           this text, or a command's
  minrnn --version

Examples:
  minrnn train input.txt --preset lstm-10min    good text in about 10 minutes (an LSTM)
  minrnn train --iters 2000                     a first model, in a few seconds
  minrnn train input.txt --time 10m --plot loss.svg
  minrnn train input.txt --resume model.safetensors --iters 5000
  minrnn sample model.safetensors --length 500 --temperature 0.8
  minrnn info model.safetensors

Run "minrnn COMMAND --help" for a command's options. Errors go to stderr as one line;
the exit code is 2 for a mistake in the command line and 1 for anything else.
Set MINRNN_DEBUG=1 to see stack traces.
`;

const PRESET_LIST = listPresets();

const TRAIN = () => `Usage: minrnn train [FILE] [options]

Trains a vanilla tanh RNN on FILE (UTF-8 text; without FILE, a built-in corpus of about
31 KB) exactly as min-char-rnn does, or an LSTM or GRU, and saves it as a safetensors
checkpoint. For good text, start from a preset:

  minrnn train input.txt --preset lstm-10min
  minrnn sample model.best.safetensors --temperature 0.8

Every --sample-every iterations it prints, as the reference does, a sample and
"iter N, loss: X" (X is the smooth loss) on stdout; on a terminal, a live status line on
stderr shows the iteration, smooth loss, chars/s, elapsed time and the time left.
Without --iters or --time it trains until Ctrl-C. Ctrl-C, SIGTERM or SIGHUP (a closed
terminal, a dropped SSH session) finishes the current chunk of iterations, saves, and
exits with code 130, 143 or 129. It also saves every 5 minutes (--checkpoint-every).

Presets (--preset NAME; any flag given on the command line overrides the preset's):
${PRESET_LIST}

Model (fixed when the model is created; a resumed model keeps its own):
  --hidden N            hidden units                                    (default 100)
  --seq N               characters per training window (BPTT length)    (default 25)
  --lr X                learning rate (default 0.1 for adagrad, 2e-3 for adam and rmsprop)
  --seed N              seed of the weights, dropout and samples, 0..4294967295 (default 42)
  --batch N             parallel streams over the text (char-rnn's split) (default 1)
  --clip X              clip gradients to [-X, X]; Infinity: no clipping (default 5)
  --clip-norm X         then scale them to a global L2 norm of at most X, as PyTorch's
                        clip_grad_norm_ (default Infinity: off)
  --cell rnn            the cell: rnn (min-char-rnn's tanh), lstm, gru  (default rnn)
  --layers 1            stacked layers, 1 to 16                         (default 1)
  --optimizer adagrad   adagrad (min-char-rnn's: eps inside the sqrt), adam or rmsprop
                        (torch.optim's)                                 (default adagrad)
  --alpha X             rmsprop only: its decay, 0 <= X < 1 (char-rnn's 0.95; torch's
                        default is 0.99)                                (default 0.95)
  --beta1 X, --beta2 X  adam only: its decays, each 0 <= X < 1          (default 0.9, 0.999)
  --eps X               adam and rmsprop only: their eps, > 0           (default 1e-8)
  --dropout P           drop each layer's output units with probability P while
                        training (0 <= P < 1; between layers and before the decoder)
                                                                        (default 0)
  --lr-decay X          multiply the learning rate by X (0 < X <= 1) at the end of
                        each epoch (one pass over a stream's slice of the text) from
                        epoch --lr-decay-after on (char-rnn's schedule)  (default 1: none)
  --lr-decay-after N    the first epoch whose end decays the rate       (default 10)
  --bytes               byte mode: the symbols are FILE's distinct bytes, not its
                        characters, so any file will do (Latin-1, logs, binary).
                        Samples are UTF-8-decoded for display; minrnn sample writes
                        the raw bytes. A resumed byte-mode model stays in byte mode

Training:
  --iters N             train N more iterations, then save and stop
  --time T              train for T (90, 90s, 15m, 1.5h), then save and stop
  -o, --out PATH        where to save (default: model.safetensors in the current
                        directory, or the --resume file when resuming). Saves are
                        atomic: the previous file survives any failure.
  --resume PATH         continue training a checkpoint on FILE, bit for bit as if it had
                        never stopped (same text: same position and hidden state)
  --val F               hold out the last fraction F of FILE (0 <= F < 1) and print its
                        loss with each "iter N" line and at the end (forward only, from a
                        zero hidden state). The checkpoint records F: a resume holds out
                        the same without repeating --val (default 0: none)
  --preset NAME         start from a preset's flags (listed above)
  --eval-every N        with --val, also evaluate every N iterations: the loss per window
                        and per character (nats and bits); each new best is saved,
                        atomically, to the --out path with .best.safetensors for
                        .safetensors (model.best.safetensors)
  --patience K          with --eval-every, stop after K evaluations in a row without a
                        better validation loss (default: never)
  --checkpoint-every E  also save to --out every E: N iterations, or a time with its
                        unit (90s, 5m, 1h); 0 or off: only at the end   (default 5m)
  --threads N|auto      train on N threads, from 1 to the model's shard count (its
                        batch, at most 16; fewer for a very large model); the same
                        bytes for any N, sooner. auto: this machine's cores, at most the
                        shard count (default auto; here ${cores()} ${cores() === 1 ? "core" : "cores"}, so
                        min(${cores()}, batch) threads: 1 with --batch 1)
  --fma                 train with the fused build (one rounding per multiply-add):
                        faster on CPUs with FMA, and its own bytes, the same on Node,
                        Deno and Chromium. Needs WebAssembly relaxed SIMD (Node 20:
                        node --experimental-wasm-relaxed-simd). The checkpoint records
                        the arithmetic; a resume with the other one says so
  --max-loss-ratio R    stop (saving the last good weights) when the smooth loss passes R
                        times its value at the start of this run, as char-rnn does;
                        0: never                                        (default 3)
  --plot PATH           write the smooth loss curve (and the validation loss) as an SVG
                        image at the end
  --force               overwrite an existing --out that is not a checkpoint, or --plot
                        that is not an SVG image (never FILE, --resume's file for --plot,
                        or one output with another: those are always refused)

Output:
  --sample-every N      print a sample and the loss every N iterations; 0: never (default 100)
  --sample-len N        characters per sample                           (default 200)
  --temperature X       sample temperature, > 0                         (default 1)
  --top-k N             sample from the k most likely characters; 0: all (default 0)
  --json                JSON lines on stdout instead of text (events: start, sample,
                        progress, evaluation, checkpoint, warning, saved)
  -q, --quiet           print nothing but errors
  -h, --help            this text

Examples:
  minrnn train input.txt --cell lstm --layers 2 --hidden 128 --batch 32 --seq 50 \\
    --optimizer adam --clip-norm 5 --dropout 0.1 --val 0.1 --eval-every 500 --time 10m
  minrnn train input.txt --preset lstm-10min --time 30m
  minrnn train --iters 2000
  minrnn train input.txt --hidden 256 --seq 50 --time 30m --checkpoint-every 1000
  minrnn train input.txt --resume model.safetensors --iters 10000 --plot loss.svg
  minrnn train input.txt --json --sample-every 500 > log.jsonl
  minrnn train input.txt --val 0.1 --sample-every 1000 --plot loss.svg
  minrnn train input.txt --batch 32 --time 10m
  minrnn train latin1.txt --bytes --iters 5000
`;

const SAMPLE = `Usage: minrnn sample MODEL [options]

Prints text drawn from the model in MODEL (a checkpoint saved by minrnn train), streamed
to stdout as it is drawn. The prime, if any, is printed first, then its continuation.
Drawing starts from the hidden state that training carried (saved in the checkpoint).
A byte-mode model (trained with --bytes) draws bytes and writes them as they are, so a
model of a Latin-1 file prints Latin-1; its --length counts bytes, and its --prime is
taken as UTF-8 bytes.

  -n, --length N        characters to draw                             (default 200)
  --temperature X       > 0; lower is more conservative                (default 1)
  --top-k N             draw only from the k most likely characters; 0: all (default 0)
  --prime TEXT          text to continue (its characters must be in the model's vocabulary)
  --seed N              the same seed gives the same text; without it each run differs
  --argmax              always take the most likely character (greedy; no randomness)
  --zero-state          start from a zero hidden state (char-rnn's way) instead
  --vocab FILE          for a PyTorch state dict saved as safetensors, which has no
                        vocabulary: a text the model was trained on (its distinct
                        characters, sorted by code point) or a checkpoint of it
  -h, --help            this text

Examples:
  minrnn sample model.safetensors
  minrnn sample model.safetensors --length 1000 --temperature 0.7 --seed 1
  minrnn sample model.safetensors --prime "MARGIT:" --argmax --length 80
  minrnn sample torch-export.safetensors --vocab input.txt
`;

const INFO = `Usage: minrnn info MODEL [options]

Describes a checkpoint: its configuration, vocabulary size and a preview of it (for a
byte-mode model, its bytes: printable ASCII as is, others as \\xNN), the
iterations trained, the smooth loss, the length of the text, and the file's size.

  --json                one JSON object instead of text
  -h, --help            this text

Example:
  minrnn info model.safetensors
`;

/** Each preset: its name, what it is for, and its flags. */
function listPresets(): string {
  return Object.entries(PRESETS).map(([name, p]) => `${wrap(`${name}: ${p.description}.`, "  ", "    ")}\n${wrap(presetFlags(p), "    ", "    ")}`).join("\n");
}

/** `text` in lines of at most 88 characters, the first starting with `first`, the others with `indent`. */
function wrap(text: string, first: string, indent: string): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(" ")) {
    const start = line === first || line === indent;
    if (!start && line.length + 1 + word.length > 88) {
      lines.push(line);
      line = indent + word;
    } else {
      line = start ? line + word : `${line} ${word}`;
    }
  }
  return [...lines, line].join("\n");
}

export function helpText(command?: Command): string {
  return command === undefined ? MAIN : { train: TRAIN(), sample: SAMPLE, info: INFO }[command];
}
