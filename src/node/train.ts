// `minrnn train`: the reference's training loop as a command. Iterations run inside the
// core in chunks of about 100 ms; between chunks the event loop runs, so Ctrl-C is seen,
// the status line moves, and checkpoints are written. The reference's periodic sample and
// "iter N, loss: X" happen before and after iteration N, as in min-char-rnn.py.
import { modelFromCheckpoint } from "../checkpoint.js";
import { corpus } from "../corpus.js";
import { MinrnnError } from "../errors.js";
import { CharRNN } from "../model.js";
import { Vocab } from "../vocab.js";
import { CONFIG_FLAGS, UsageError, type TrainArgs } from "./args.js";
import { checkWritable, readTextFile, writeFileAtomic } from "./files.js";
import { readCheckpointFile, saveModel } from "./model-file.js";
import { LossCurve, lossCurveSvg } from "./plot.js";
import { Reporter, type Status } from "./reporter.js";

const CHUNK_MS = 100;
/** Signals that stop training with a save, and the exit code each ends with (128 + number). */
const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;

/** Runs `minrnn train`; returns the exit code. */
export async function train(args: TrainArgs): Promise<number> {
  const reporter = new Reporter(args.json ? "json" : args.quiet ? "quiet" : "text");
  const source = args.file ?? "the built-in corpus";
  const text = args.file === undefined ? corpus : readTextFile(args.file);
  const out = args.out ?? args.resume ?? "model.safetensors";
  const model = withSource(source, () => (args.resume === undefined ? CharRNN.create({ text, ...args.config }) : resume(args.resume!, args, text, source, reporter)));
  try {
    // Before any training: a run must not end in a save that cannot happen.
    checkWritable(out);
    if (args.plot !== undefined) checkWritable(args.plot);
    return await run(model, args, { source, out }, reporter);
  } finally {
    model.dispose();
  }
}

/** Names the text in errors about it (too short, one symbol, characters outside a resumed model's vocabulary). */
function withSource<T>(source: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MinrnnError && e.code === "INVALID_TEXT") throw new MinrnnError(e.code, `${source}: ${e.message}`);
    throw e;
  }
}

function resume(path: string, args: TrainArgs, text: string, source: string, reporter: Reporter): CharRNN {
  const { checkpoint } = readCheckpointFile(path);
  for (const [key, value] of Object.entries(args.config) as [keyof TrainArgs["config"], unknown][]) {
    const saved = checkpoint.config[key];
    if (value !== saved) {
      const flag = CONFIG_FLAGS[key];
      throw new UsageError(`${flag} ${value} differs from ${path}'s ${saved}: a resumed model keeps its configuration; leave ${flag} out, or train a new model without --resume`, "train");
    }
  }
  // A foreign file (a PyTorch export) names no characters; the text's own vocabulary is the one minrnn would have used.
  const model = modelFromCheckpoint(checkpoint, { text, vocab: checkpoint.vocab ? undefined : Vocab.fromText(text) });
  const trainedOn = checkpoint.training?.textLength ?? 0;
  if (trainedOn !== 0 && trainedOn !== model.textLength) {
    reporter.warning(`${source} has ${model.textLength} characters, but ${path} was trained on a text of ${trainedOn}: training goes on from the start of this text`);
  }
  return model;
}

async function run(model: CharRNN, args: TrainArgs, where: { source: string; out: string }, reporter: Reporter): Promise<number> {
  const { seqLength: T, batch: B, hidden, learningRate } = model.config;
  const first = model.iteration;
  const target = args.iters === undefined ? Infinity : first + args.iters;
  const started = performance.now();
  const deadline = args.time === undefined ? Infinity : started + args.time * 1000;
  const curve = new LossCurve();

  const status = (): Status => {
    const now = performance.now();
    const elapsed = (now - started) / 1000;
    const perSecond = elapsed > 0 ? (model.iteration - first) / elapsed : 0;
    const remaining = Math.min((target - model.iteration) / perSecond, (deadline - now) / 1000);
    return {
      iteration: model.iteration,
      smoothLoss: model.smoothLoss,
      charsPerSecond: perSecond * T * B,
      elapsed,
      remaining: Number.isFinite(remaining) ? Math.max(0, remaining) : undefined,
    };
  };

  let stopSignal: StopSignal | null = null;
  const onSignal = (signal: StopSignal) => {
    if (stopSignal !== null) return;
    stopSignal = signal;
    reporter.stopping(signal);
  };
  const signals = Object.keys(STOP_SIGNALS) as StopSignal[];
  for (const s of signals) process.on(s, onSignal);

  reporter.start({
    file: where.source,
    out: where.out,
    iteration: first,
    config: model.config,
    textLength: model.textLength,
    parameters: model.parameters().reduce((n, t) => n + t.data.length, 0),
  });

  let diverged: MinrnnError | null = null;
  try {
    try {
      let chunk = 1;
      let msPerIteration = 0;
      curve.add(model.iteration, model.smoothLoss);
      while (model.iteration < target && stopSignal === null && performance.now() < deadline) {
        const n = model.iteration;
        if (args.sampleEvery > 0 && n % args.sampleEvery === 0) {
          // Sampled whatever the output mode: the sample draws from the model's PRNG,
          // and a checkpoint must not depend on what was printed.
          const sample = model.sample({ fromTraining: true, length: args.sampleLength, temperature: args.temperature, topK: args.topK });
          if (args.sampleLength > 0) reporter.sample(n, sample);
          const loss = model.step();
          reporter.progress(n, loss, status());
        } else {
          let size = Math.min(chunk, target - n, untilMultiple(n, args.sampleEvery), untilMultiple(n, args.checkpointEvery));
          if (deadline !== Infinity && msPerIteration > 0) size = Math.max(1, Math.min(size, Math.floor((deadline - performance.now()) / msPerIteration)));
          const t0 = performance.now();
          model.train({ iterations: size, progressEvery: size });
          msPerIteration = Math.max(performance.now() - t0, 0.001) / size;
          chunk = Math.max(1, Math.min(2 * chunk, Math.round(CHUNK_MS / msPerIteration)));
        }
        curve.add(model.iteration, model.smoothLoss);
        if (args.checkpointEvery > 0 && model.iteration % args.checkpointEvery === 0) {
          saveModel(model, where.out);
          reporter.checkpoint(where.out, model.iteration);
        }
        reporter.status(status());
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      if (!(e instanceof MinrnnError && e.code === "DIVERGED")) throw e;
      // The core refused the bad update and kept the last good weights: those are saved.
      diverged = e;
    }
    reporter.clearStatus();
    saveModel(model, where.out);
    if (args.plot !== undefined) {
      const title = `minrnn: ${where.source}, hidden ${hidden}, seq ${T}, lr ${learningRate}`;
      writeFileAtomic(args.plot, new TextEncoder().encode(lossCurveSvg(curve.points, title)));
    }
    reporter.saved(where.out, model.iteration, model.smoothLoss, diverged ? "diverged" : stopSignal ? "interrupted" : "done");
  } finally {
    // Kept until the last save is written, so a second Ctrl-C cannot cut it short.
    for (const s of signals) process.off(s, onSignal);
    reporter.clearStatus();
  }
  if (diverged) throw new MinrnnError("DIVERGED", `${diverged.message} Those weights were saved to ${where.out}.`);
  return stopSignal === null ? 0 : STOP_SIGNALS[stopSignal];
}

/** Iterations from n to the next multiple of `every` (Infinity when every is 0: never). */
function untilMultiple(n: number, every: number): number {
  return every > 0 ? every - (n % every) : Infinity;
}
