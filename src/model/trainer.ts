// The trainer: runs iterations on a model's state through a runner, one core call per chunk
// of iterations, with progress between chunks. The runner is the core's own train(n) on
// one thread, or the threads' (minrnn/threads) over the fixed shards of the batch: both
// return how many of n iterations made an update, and both give the same bytes. The
// explosion stop (char-rnn's maxLossRatio) and the rate schedule run inside the core;
// this turns a refused iteration into the error that says why.
import { MinrnnError } from "../errors.js";
import { Failure } from "../core/regions.js";
import { MAX_INDEX, callback, integer, knownKeys, optionsObject, show } from "./options.js";
import type { ModelState } from "./state.js";

export interface Progress {
  iteration: number;
  position: number;
  loss: number;
  smoothLoss: number;
}

export interface TrainOptions {
  iterations: number;
  /** Called every `progressEvery` iterations (default 100) and after the last one. */
  onProgress?: (progress: Progress) => void;
  progressEvery?: number;
}

export interface TrainAsyncOptions extends TrainOptions {
  /** Stops after the current chunk of iterations when aborted. */
  signal?: AbortSignal;
}

const TRAIN_KEYS = ["iterations", "onProgress", "progressEvery"] as const;
const TRAIN_ASYNC_KEYS = [...TRAIN_KEYS, "signal"] as const;

/** Runs n iterations; returns how many made an update (fewer: the next one was refused). */
export type Runner = (n: number) => number;

export class Trainer {
  readonly #state: ModelState;

  constructor(state: ModelState) {
    this.#state = state;
  }

  /** The core's own train(n), on this thread. */
  readonly local: Runner = (n) => this.#state.live().core.train(n);

  /** The explosion stop's ratio (0: off); setting it takes the current smooth loss as its start. */
  get maxLossRatio(): number { return this.#state.progress("MAX_LOSS_RATIO"); }
  set maxLossRatio(ratio: number) {
    if (typeof ratio !== "number" || !Number.isFinite(ratio) || !(ratio === 0 || ratio >= 1)) {
      throw new MinrnnError("INVALID_ARGUMENT", `maxLossRatio must be 0 (off) or a number ≥ 1, got ${show(ratio)}`);
    }
    this.#state.setProgress("MAX_LOSS_RATIO", ratio);
    this.#state.setProgress("LOSS_START", this.#state.progress("SMOOTH_LOSS"));
  }

  /** One iteration; returns its loss. */
  step(run: Runner = this.local): number {
    this.#requireText();
    this.#checkIterations(1);
    if (run(1) < 1) throw this.diverged();
    return this.#state.progress("LAST_LOSS");
  }

  train(options: TrainOptions, run: Runner = this.local): Progress {
    const { iterations, every } = this.#checkTrain(options, TRAIN_KEYS, "train");
    for (let done = 0; done < iterations; ) done += this.#chunk(Math.min(every, iterations - done), run, options);
    return this.progress();
  }

  async trainAsync(options: TrainAsyncOptions, run: Runner = this.local): Promise<Progress> {
    const { iterations, every } = this.#checkTrain(options, TRAIN_ASYNC_KEYS, "trainAsync");
    for (let done = 0; done < iterations && !options.signal?.aborted; ) {
      done += this.#chunk(Math.min(every, iterations - done), run, options);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return this.progress();
  }

  progress(): Progress {
    const s = this.#state;
    return { iteration: s.progress("ITERATION"), position: s.progress("POSITION"), loss: s.progress("LAST_LOSS"), smoothLoss: s.progress("SMOOTH_LOSS") };
  }

  /** n iterations by `run`, then the progress callback; throws DIVERGED if one made no update. */
  #chunk(n: number, run: Runner, options: TrainOptions): number {
    if (run(n) < n) throw this.diverged();
    options.onProgress?.(this.progress());
    return n;
  }

  #checkTrain(options: TrainOptions, keys: readonly string[], call: string): { iterations: number; every: number } {
    this.#requireText();
    const o = optionsObject(call, options as TrainOptions | undefined, `{ ${keys.join(", ")} }`);
    knownKeys(call, o, keys);
    callback("onProgress", o.onProgress);
    const signal = (o as TrainAsyncOptions).signal;
    if (signal !== undefined && typeof signal?.aborted !== "boolean") {
      throw new MinrnnError("INVALID_ARGUMENT", `signal must be an AbortSignal, got ${show(signal)}`);
    }
    const iterations = integer("iterations", o.iterations, 0, Number.MAX_SAFE_INTEGER);
    this.#checkIterations(iterations);
    return { iterations, every: integer("progressEvery", o.progressEvery ?? 100, 1, MAX_INDEX) };
  }

  /** The iteration count stays exact (≤ 2^53 - 1), so that a checkpoint can hold it and load() take it back. */
  #checkIterations(n: number): void {
    const at = this.#state.progress("ITERATION");
    if (n > Number.MAX_SAFE_INTEGER - at) {
      throw new MinrnnError("INVALID_STATE", `this model is at iteration ${at}, and ${n} more would pass ${Number.MAX_SAFE_INTEGER}, the most a checkpoint counts exactly; train at most ${Number.MAX_SAFE_INTEGER - at} more`);
    }
  }

  #requireText(): void {
    this.#state.live();
    if (this.#state.textLength === 0) {
      throw new MinrnnError("INVALID_TEXT", "this model has no training text; call setText(text) first");
    }
  }

  /** Why the last iteration made no update, as the error to throw. */
  diverged(): MinrnnError {
    const s = this.#state;
    const last = s.progress("LAST_LOSS"), iteration = s.progress("ITERATION");
    const smooth = s.progress("SMOOTH_LOSS") * 0.999 + last * 0.001;
    const failure = s.progress("FAILURE");
    const what = failure === Failure.LOSS
      ? `the loss became ${last}`
      : failure === Failure.EXPLODING
        ? `the loss is exploding: the smooth loss would have risen to ${smooth.toPrecision(6)}, more than maxLossRatio ${s.progress("MAX_LOSS_RATIO")} times its starting value ${s.progress("LOSS_START").toPrecision(6)}`
        : `the update after a loss of ${last} would have made a weight or an optimizer slot (${s.config.optimizer}) infinite`;
    return new MinrnnError(
      "DIVERGED",
      `${what} at iteration ${iteration + 1}; training stopped and the weights from iteration ${iteration} were kept. Try a lower learning rate (now ${s.progress("LEARNING_RATE")}) or a smaller clip (now ${s.config.clip}).`,
    );
  }
}
