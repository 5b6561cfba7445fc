// `minrnn train`: the reference's training loop as a command. Iterations run inside the
// core in chunks of about 100 ms; between chunks the event loop runs, so Ctrl-C is seen,
// the status line moves, and checkpoints are written. The reference's periodic sample and
// "iter N, loss: X" happen before and after iteration N, as in min-char-rnn.py. With --val
// the last part of the text is held out, and its loss is evaluated at those points only.
// With --threads 2 the chunks run on two threads (threads.ts); the model holds the whole
// state between chunks, so samples, the sampled iterations and saves go through it alone.
import type { SavedModel } from "../saved.js";
import { corpus } from "../corpus.js";
import { MinrnnError } from "../errors.js";
import { CharRNN, DEFAULTS } from "../model.js";
import { Vocab } from "../vocab.js";
import { CONFIG_FLAGS, UsageError, type TrainArgs } from "./args.js";
import { checkWritable, readDataFile, readTextFile, writeFileAtomic } from "./files.js";
import { readCheckpointFile, saveModel } from "./model-file.js";
import { checkOutputs } from "./outputs.js";
import { writeTarget } from "./paths.js";
import { LossCurve, lossCurveSvg } from "./plot.js";
import { Reporter, type Status } from "./reporter.js";
import { splitBytes, splitText, type Split } from "./split.js";
import { staleTempFiles } from "./temp-files.js";
import { startThreads, type ThreadedTrainer } from "./threads.js";

const CHUNK_MS = 100;
/** Signals that stop training with a save, and the exit code each ends with (128 + number). */
const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;

/** Runs `minrnn train`; returns the exit code. */
/** The arguments with --val decided: given, or a resumed run's own fraction, or none. */
type RunArgs = TrainArgs & { val: number };

export async function train(given: TrainArgs): Promise<number> {
  const reporter = new Reporter(given.json ? "json" : given.quiet ? "quiet" : "text");
  const source = given.file ?? "the built-in corpus";
  const out = given.out ?? given.resume ?? "model.safetensors";
  // Before anything is read or trained: a typo must not overwrite the text or the model.
  const textInput = given.file === undefined ? [] : [{ name: "the training file", path: given.file }];
  const resumeInput = given.resume === undefined ? [] : [{ name: "--resume", path: given.resume }];
  checkOutputs([
    { name: "--out", path: out, kind: "checkpoint", notInputs: textInput },
    { name: "the best checkpoint", path: bestCheckpointPath(out), kind: "checkpoint", notInputs: textInput },
    ...(given.plot === undefined ? [] : [{ name: "--plot", path: given.plot, kind: "svg" as const, notInputs: [...textInput, ...resumeInput] }]),
  ], given.force);
  const resumed = given.resume === undefined ? undefined : readCheckpointFile(given.resume).checkpoint;
  const args: RunArgs = { ...given, val: given.val ?? resumed?.training?.validationFraction ?? 0 };
  // The mode is part of the model, like its config: a byte-mode checkpoint resumes in byte mode.
  if (args.bytes && resumed?.vocab?.kind === "codepoints") {
    throw new UsageError(`--bytes differs from ${args.resume}, a model of characters: a resumed model keeps its mode; leave --bytes out, or train a new model without --resume`, "train");
  }
  const byteMode = args.bytes || resumed?.vocab?.kind === "bytes";
  const text = byteMode
    ? args.file === undefined ? new TextEncoder().encode(corpus) : readDataFile(args.file)
    : args.file === undefined ? corpus : readTextFile(args.file);
  const split = typeof text === "string" ? splitText(text, args.val) : splitBytes(text, args.val);
  const model = withSource(source, () => {
    if (resumed !== undefined) return resume(args.resume!, resumed, args, text, split, source, reporter);
    checkSplit(split, args, args.config.seqLength ?? DEFAULTS.seqLength, args.config.batch ?? DEFAULTS.batch);
    return CharRNN.create({ ...trainingData(split.train), validation: args.val > 0 ? split.validation : undefined, ...args.config });
  });
  // A resume with another fraction evaluates another text: its best so far starts afresh.
  const sameSplit = resumed?.training?.validationFraction === args.val;
  model.validationRecord = { validationFraction: args.val, bestValidationLoss: sameSplit ? resumed!.training!.bestValidationLoss : null };
  let trainer: ThreadedTrainer | undefined;
  try {
    if (args.threads > model.config.batch) {
      throw new UsageError(`--threads ${args.threads} needs --batch ${args.threads} or more (each thread trains its share of the streams); ${resumed ? `${args.resume} has` : "the model has"} batch ${model.config.batch}`, "train");
    }
    // Before any training: a run must not end in a save that cannot happen.
    checkWritable(out);
    if (args.plot !== undefined) checkWritable(args.plot);
    reportStaleSaves(out, reporter);
    trainer = await startThreads(model, { threads: args.threads });
    return await run(model, trainer, args, { source, out, validationLength: split.validationLength }, reporter);
  } finally {
    await trainer?.close();
    model.dispose();
  }
}

/**
 * Complete checkpoints that killed saves left beside `out`: the next save removes them, so
 * the user hears which, and can keep one by renaming it.
 */
function reportStaleSaves(out: string, reporter: Reporter): void {
  for (const stale of staleTempFiles(writeTarget(out))) {
    let iteration: number | undefined;
    try {
      iteration = readCheckpointFile(stale.path).checkpoint.training?.iteration;
    } catch {
      continue; // incomplete: nothing to keep
    }
    reporter.warning(`found ${stale.path}, a complete checkpoint${iteration === undefined ? "" : ` at iteration ${iteration}`} from a save that was interrupted (process ${stale.pid}); the next save to ${out} removes it: rename it to keep it`);
  }
}

/** The create() or load() option that carries the text: `text`, or `bytes` in byte mode. */
function trainingData(data: string | Uint8Array): { text: string } | { bytes: Uint8Array } {
  return typeof data === "string" ? { text: data } : { bytes: data };
}

const unitOf = (data: string | Uint8Array): string => (typeof data === "string" ? "characters" : "bytes");

/** Names the text in errors about it (too short, one symbol, characters outside a resumed model's vocabulary). */
function withSource<T>(source: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MinrnnError && e.code === "INVALID_TEXT") throw new MinrnnError(e.code, `${source}: ${e.message}`);
    throw e;
  }
}

/** Both parts of a --val split must hold a window: said in terms of --val, before the model is built. */
function checkSplit(split: Split, args: RunArgs, seqLength: number, batch: number): void {
  if (args.val === 0) return;
  const needed = batch * (seqLength + 1);
  const unit = unitOf(split.train);
  if (split.trainLength < needed) {
    throw new MinrnnError("INVALID_TEXT", `--val ${args.val} leaves ${split.trainLength} ${unit} to train on, but training needs ${needed}; use a smaller --val or a longer text`);
  }
  if (split.validationLength < seqLength + 1) {
    throw new MinrnnError("INVALID_TEXT", `--val ${args.val} holds out ${split.validationLength} ${unit}, but a validation window needs seq + 1 = ${seqLength + 1}; use a larger --val or a longer text`);
  }
}

function resume(path: string, checkpoint: SavedModel, args: RunArgs, text: string | Uint8Array, split: Split, source: string, reporter: Reporter): CharRNN {
  for (const [key, value] of Object.entries(args.config) as [keyof TrainArgs["config"], unknown][]) {
    const saved = checkpoint.config[key];
    if (JSON.stringify(value) !== JSON.stringify(saved)) {
      const flag = CONFIG_FLAGS[key];
      throw new UsageError(`${flag} ${value} differs from ${path}'s ${saved}: a resumed model keeps its configuration; leave ${flag} out, or train a new model without --resume`, "train");
    }
  }
  checkSplit(split, args, checkpoint.config.seqLength, checkpoint.config.batch);
  // A foreign file (a PyTorch export) names no characters; the text's own vocabulary is the one minrnn would have used.
  // The checkpoint's text length is that of the trained part, so the same --val resumes exactly.
  const vocab = checkpoint.vocab ? undefined : typeof text === "string" ? Vocab.fromText(text) : Vocab.fromBytes(text);
  const model = CharRNN.fromSaved(checkpoint, { ...trainingData(split.train), vocab });
  try {
    if (args.val > 0) model.setValidation(split.validation);
  } catch (e) {
    model.dispose();
    throw e;
  }
  if (checkpoint.config.arithmetic !== model.config.arithmetic) {
    reporter.warning(`${path} was trained with the ${checkpoint.config.arithmetic} arithmetic and goes on with ${model.config.arithmetic}: the bytes will differ from an uninterrupted run`);
  }
  const trainedOn = checkpoint.training?.textLength ?? 0;
  if (trainedOn !== 0 && trainedOn !== model.textLength) {
    const unit = unitOf(text);
    const what = args.val > 0 ? `${source} leaves ${model.textLength} ${unit} to train on after --val ${args.val}` : `${source} has ${model.textLength} ${unit}`;
    reporter.warning(`${what}, but ${path} was trained on a text of ${trainedOn}: training goes on from the start of this text (a model trained with --val resumes exactly with the same --val)`);
  }
  return model;
}

async function run(model: CharRNN, trainer: ThreadedTrainer, args: RunArgs, where: { source: string; out: string; validationLength: number }, reporter: Reporter): Promise<number> {
  const { seqLength: T, batch: B, hidden, learningRate } = model.config;
  const first = model.iteration;
  const target = args.iters === undefined ? Infinity : first + args.iters;
  const started = performance.now();
  const deadline = args.time === undefined ? Infinity : started + args.time * 1000;
  const curve = new LossCurve();
  const valCurve = new LossCurve();
  const bestPath = bestCheckpointPath(where.out);
  let sinceBest = 0;
  /**
   * The held-out loss, evaluated only where it is printed (it costs a forward pass over the
   * held-out text). A new best is recorded in the model and saved, atomically, at bestPath.
   */
  const validate = (): number | undefined => {
    if (args.val === 0) return undefined;
    const v = model.validationLoss();
    valCurve.add(model.iteration, v);
    const best = model.validationRecord.bestValidationLoss;
    if (best === null || v < best) {
      model.validationRecord = { validationFraction: args.val, bestValidationLoss: v };
      saveModel(model, bestPath);
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    return v;
  };
  let patienceSpent = false;
  const evaluate = (): void => {
    const before = model.validationRecord.bestValidationLoss;
    const v = validate()!;
    reporter.evaluation(model.iteration, v, T, v !== before && v === model.validationRecord.bestValidationLoss, bestPath);
    if (args.patience !== undefined && sinceBest >= args.patience) {
      patienceSpent = true;
      reporter.warning(`stopping: ${args.patience} evaluation${args.patience > 1 ? "s" : ""} in a row without a better validation loss than ${model.validationRecord.bestValidationLoss!.toFixed(4)} (--patience ${args.patience}); the best model is ${bestPath}`);
    }
  };
  const evalEvery = args.val > 0 ? args.evalEvery ?? 0 : 0;

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
    ...(args.val > 0 ? { val: args.val, validationLength: where.validationLength } : {}),
    parameters: model.parameters().reduce((n, t) => n + t.data.length, 0),
  });

  // The starting value of the explosion check: this run's, fresh or resumed.
  model.maxLossRatio = args.maxLossRatio;
  let diverged: MinrnnError | null = null;
  try {
    try {
      let chunk = 1;
      let msPerIteration = 0;
      curve.add(model.iteration, model.smoothLoss);
      while (model.iteration < target && stopSignal === null && !patienceSpent && performance.now() < deadline) {
        const n = model.iteration;
        if (args.sampleEvery > 0 && n % args.sampleEvery === 0) {
          // Sampled whatever the output mode: the sample draws from the model's PRNG,
          // and a checkpoint must not depend on what was printed.
          const sample = model.sample({ fromTraining: true, length: args.sampleLength, temperature: args.temperature, topK: args.topK });
          if (args.sampleLength > 0) reporter.sample(n, sample);
          const loss = model.step();
          reporter.progress(n, loss, status(), validate());
        } else {
          let size = Math.min(chunk, target - n, untilMultiple(n, args.sampleEvery), untilMultiple(n, args.checkpointEvery), untilMultiple(n, evalEvery));
          if (deadline !== Infinity && msPerIteration > 0) size = Math.max(1, Math.min(size, Math.floor((deadline - performance.now()) / msPerIteration)));
          const t0 = performance.now();
          trainer.train({ iterations: size, progressEvery: size }); // as model.train, on args.threads threads
          msPerIteration = Math.max(performance.now() - t0, 0.001) / size;
          chunk = Math.max(1, Math.min(2 * chunk, Math.round(CHUNK_MS / msPerIteration)));
        }
        curve.add(model.iteration, model.smoothLoss);
        if (evalEvery > 0 && model.iteration % evalEvery === 0) evaluate();
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
    const valLoss = validate();   // first: a new best is recorded in the latest checkpoint too
    saveModel(model, where.out);
    if (args.plot !== undefined) {
      const title = `minrnn: ${where.source}, hidden ${hidden}, seq ${T}, lr ${learningRate}`;
      writeFileAtomic(args.plot, new TextEncoder().encode(lossCurveSvg(curve.points, title, valCurve.points)));
    }
    reporter.saved(where.out, model.iteration, model.smoothLoss, diverged ? "diverged" : stopSignal ? "interrupted" : "done", valLoss);
  } finally {
    // Kept until the last save is written, so a second Ctrl-C cannot cut it short.
    for (const s of signals) process.off(s, onSignal);
    reporter.clearStatus();
  }
  if (diverged) {
    throw new MinrnnError("DIVERGED", `${diverged.message} Those weights were saved to ${where.out}. Train again with a lower --lr (now ${learningRate})${args.maxLossRatio > 0 ? ", or set --max-loss-ratio (now " + args.maxLossRatio + "; 0: off)" : ""}.`);
  }
  return stopSignal === null ? 0 : STOP_SIGNALS[stopSignal];
}

/** model.safetensors → model.best.safetensors: where the best validation loss's model goes. */
export function bestCheckpointPath(out: string): string {
  return out.endsWith(".safetensors") ? `${out.slice(0, -".safetensors".length)}.best.safetensors` : `${out}.best`;
}

/** Iterations from n to the next multiple of `every` (Infinity when every is 0: never). */
function untilMultiple(n: number, every: number): number {
  return every > 0 ? every - (n % every) : Infinity;
}
