// `minrnn train`: the reference's training loop as a command. Iterations run inside the
// core in chunks of about 100 ms; between chunks the event loop runs, so Ctrl-C is seen,
// the status line moves, and checkpoints are written. The reference's periodic sample and
// "iter N, loss: X" happen before and after iteration N, as in min-char-rnn.py. With --val
// the last part of the text is held out, and its loss is evaluated at those points only.
// With --threads N (default auto) the chunks run on N threads (../threads/threads.ts); the
// model holds the whole state between chunks, so samples, the sampled iterations and saves
// go through it alone.
import { createHash } from "node:crypto";
import type { SavedModel } from "../../checkpoint/metadata.js";
import { CharRNN, DEFAULTS, MinrnnError, Vocab } from "../../index.js";
import { corpus } from "../../corpus.js";
import { CONFIG_FLAGS, UsageError, checkCombinations, named, without, type TrainArgs } from "./args.js";
import { checkWritable, readDataFile, readTextFile, writeFileAtomic } from "../files.js";
import { readCheckpointFile, saveModel } from "./model-file.js";
import { checkOutputs } from "./outputs.js";
import { writeTarget } from "../paths.js";
import { LossCurve, lossCurveSvg } from "./plot.js";
import { Reporter, type Status } from "./reporter.js";
import { splitBytes, splitText, type Split } from "./split.js";
import { staleTempFiles } from "../temp-files.js";
import { startThreads, type ThreadedTrainer } from "../threads/threads.js";

const CHUNK_MS = 100;
/** Signals that stop training with a save (SIGHUP: a closed terminal, a dropped SSH session), and the exit code each ends with (128 + number). */
const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;

/** Runs `minrnn train`; returns the exit code. */
/** The arguments with --val decided: given, or a resumed run's own fraction, or none. */
type RunArgs = TrainArgs & { val: number };

export async function train(given: TrainArgs): Promise<number> {
  const reporter = new Reporter(given.json ? "json" : given.quiet ? "quiet" : "text");
  const source = given.file ?? "the built-in corpus";
  const out = given.out ?? given.resume ?? "model.safetensors";
  // Read first (reading changes nothing): its held-out fraction and optimizer decide what the run writes and which options mean something.
  const resumed = given.resume === undefined ? undefined : readCheckpointFile(given.resume).checkpoint;
  const args: RunArgs = { ...given, val: given.val ?? resumed?.training?.validationFraction ?? 0 };
  checkCombinations(args, args.config.optimizer ?? resumed?.config.optimizer ?? DEFAULTS.optimizer, args.val);
  // Without held-out text there is no best checkpoint: nothing goes to its path.
  const bestPath = args.val > 0 ? bestCheckpointPath(out) : undefined;
  // Before anything is trained: a typo must not overwrite the text or the model.
  const textInput = given.file === undefined ? [] : [{ name: "the training file", path: given.file }];
  const resumeInput = given.resume === undefined ? [] : [{ name: "--resume", path: given.resume }];
  checkOutputs([
    { name: "--out", path: out, kind: "checkpoint", notInputs: textInput },
    ...(bestPath === undefined ? [] : [{ name: "the best checkpoint", path: bestPath, kind: "checkpoint" as const, notInputs: [...textInput, ...resumeInput] }]),
    ...(given.plot === undefined ? [] : [{ name: "--plot", path: given.plot, kind: "svg" as const, notInputs: [...textInput, ...resumeInput] }]),
  ], given.force);
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
    const betas = args.betas[0] === undefined && args.betas[1] === undefined ? {} : { betas: [args.betas[0] ?? DEFAULTS.betas[0], args.betas[1] ?? DEFAULTS.betas[1]] as [number, number] };
    return CharRNN.create({ ...trainingData(split.train), validation: args.val > 0 ? split.validation : undefined, ...args.config, ...betas });
  });
  // The best so far is kept only for the same held-out text: another text's loss is no
  // measure for this one (and its best file was never written by this run).
  const validationHash = args.val > 0 ? hashOf(split.validation) : null;
  const sameValidation = validationHash !== null && resumed?.training?.validationHash === validationHash;
  model.validationRecord = {
    validationFraction: args.val,
    bestValidationLoss: sameValidation ? resumed!.training!.bestValidationLoss : null,
    ...(validationHash === null ? {} : { validationHash }),
  };
  let trainer: ThreadedTrainer | undefined;
  try {
    // Before any training: a run must not end in, or stop at, a save that cannot happen.
    checkWritable(out);
    if (bestPath !== undefined) checkWritable(bestPath);
    if (args.plot !== undefined) checkWritable(args.plot);
    reportStaleSaves(out, reporter);
    trainer = await startThreads(model, { threads: args.threads }).catch((e: unknown) => {
      if (!(e instanceof MinrnnError && e.code === "INVALID_ARGUMENT")) throw e;
      throw new UsageError(`--threads ${args.threads}: ${e.message.replace(/^threads must be "auto" or/, "must be auto or")}; ${resumed ? `${args.resume} has` : "the model has"} batch ${model.config.batch}`, "train");
    });
    return await run(model, trainer, args, { source, out, bestPath, validationLength: split.validationLength }, reporter);
  } finally {
    await trainer?.close();
    model.dispose();
  }
}

/** SHA-256 of the held-out text's UTF-8 (or bytes), in hex: what the checkpoint records to recognise it. */
function hashOf(validation: string | Uint8Array): string {
  return createHash("sha256").update(validation).digest("hex");
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
  const given: [string, unknown, unknown][] = (Object.entries(args.config) as [keyof TrainArgs["config"], unknown][]).map(([key, value]) => [CONFIG_FLAGS[key], value, checkpoint.config[key]]);
  // Each beta on its own: the one not given is the checkpoint's, not the default.
  args.betas.forEach((beta, i) => given.push([`--beta${i + 1}`, beta, checkpoint.config.betas[i]]));
  for (const [flag, value, saved] of given) {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(saved)) {
      throw new UsageError(`${named(args, flag)} ${value} differs from ${path}'s ${saved}: a resumed model keeps its configuration; ${without(args, flag)}, or train a new model without --resume`, "train");
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

async function run(model: CharRNN, trainer: ThreadedTrainer, args: RunArgs, where: { source: string; out: string; bestPath: string | undefined; validationLength: number }, reporter: Reporter): Promise<number> {
  const { seqLength: T, batch: B, hidden, learningRate } = model.config;
  const first = model.iteration;
  const target = args.iters === undefined ? Infinity : first + args.iters;
  const started = performance.now();
  const deadline = args.time === undefined ? Infinity : started + args.time * 1000;
  const curve = new LossCurve();
  const valCurve = new LossCurve();
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

  /**
   * The held-out loss of the current weights, scored once however many places print it
   * (it costs a forward pass over the held-out text; a second score of the same weights
   * would count as "not better"). A new best is recorded in the model and saved,
   * atomically, at the best path.
   */
  let scored: { iteration: number; loss: number; best: boolean } | undefined;
  let improvedSinceEvaluation = false;
  const score = (): { loss: number; best: boolean } | undefined => {
    if (where.bestPath === undefined) return undefined;
    if (scored?.iteration === model.iteration) return scored;
    const loss = model.validationLoss();
    valCurve.add(model.iteration, loss);
    const bestSoFar = model.validationRecord.bestValidationLoss;
    const best = bestSoFar === null || loss < bestSoFar;
    if (best) {
      model.validationRecord = { ...model.validationRecord, bestValidationLoss: loss };
      saveModel(model, where.bestPath);
      improvedSinceEvaluation = true;
    }
    scored = { iteration: model.iteration, loss, best };
    return scored;
  };
  /** An --eval-every evaluation; --patience counts those in a row after which the best has not improved. */
  let sinceBest = 0;
  let patienceSpent = false;
  const evaluate = (): void => {
    const { loss, best } = score()!;
    reporter.evaluation(model.iteration, loss, T, best, where.bestPath!, status());
    sinceBest = improvedSinceEvaluation ? 0 : sinceBest + 1;
    improvedSinceEvaluation = false;
    if (args.patience !== undefined && sinceBest >= args.patience) {
      patienceSpent = true;
      reporter.warning(`stopping: ${args.patience} evaluation${args.patience > 1 ? "s" : ""} in a row without a better validation loss than ${model.validationRecord.bestValidationLoss!.toFixed(4)} (--patience ${args.patience}); the best model is ${where.bestPath}`);
    }
  };
  const evalEvery = where.bestPath !== undefined ? args.evalEvery ?? 0 : 0;
  const saveEveryIterations = args.checkpointEvery !== null && "iterations" in args.checkpointEvery ? args.checkpointEvery.iterations : 0;
  const saveEveryMs = args.checkpointEvery !== null && "seconds" in args.checkpointEvery ? args.checkpointEvery.seconds * 1000 : Infinity;
  let lastSave = performance.now();

  let stopSignal: StopSignal | null = null;
  const onSignal = (signal: StopSignal) => {
    if (stopSignal !== null) return;
    stopSignal = signal;
    reporter.stopping(signal);
  };
  const signals = Object.keys(STOP_SIGNALS) as StopSignal[];
  for (const s of signals) process.on(s, onSignal);
  // A terminal closed or a reader gone (a hang-up, minrnn train | head): stop as for SIGHUP, and save.
  reporter.onClosed(() => onSignal("SIGHUP"));

  reporter.start({
    file: where.source,
    out: where.out,
    iteration: first,
    config: model.config,
    textLength: model.textLength,
    ...(args.val > 0 ? { val: args.val, validationLength: where.validationLength } : {}),
    parameters: Object.values(model.stateDict()).reduce((n, t) => n + t.length, 0),
    threads: trainer.threads,
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
          reporter.progress(n, loss, status(), score()?.loss);
        } else {
          let size = Math.min(chunk, target - n, untilMultiple(n, args.sampleEvery), untilMultiple(n, saveEveryIterations), untilMultiple(n, evalEvery));
          if (deadline !== Infinity && msPerIteration > 0) size = Math.max(1, Math.min(size, Math.floor((deadline - performance.now()) / msPerIteration)));
          const t0 = performance.now();
          trainer.train({ iterations: size, progressEvery: size }); // as model.train, on trainer.threads threads
          msPerIteration = Math.max(performance.now() - t0, 0.001) / size;
          chunk = Math.max(1, Math.min(2 * chunk, Math.round(CHUNK_MS / msPerIteration)));
        }
        curve.add(model.iteration, model.smoothLoss);
        if (evalEvery > 0 && model.iteration % evalEvery === 0) evaluate();
        const now = performance.now();
        if ((saveEveryIterations > 0 && model.iteration % saveEveryIterations === 0) || now - lastSave >= saveEveryMs) {
          saveModel(model, where.out);
          lastSave = now;
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
    const valLoss = score()?.loss;   // first: a new best is recorded in the latest checkpoint too
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
