// Data-parallel training on N threads: the calling thread runs thread 0's part on the
// model's own instance, N − 1 workers run theirs on other instances of the same compiled
// module, and they meet four times per iteration (thread-loop.ts). The model's shards are
// fixed by its batch, so the bytes are those of model.train(): threads change the speed,
// never the result. Portable: what starts a worker is the caller's (Node's worker_threads
// in src/node/threads/threads.ts, Web Workers in web.ts).
//
// This is the one module of the threads that reaches into the model (stateOf). Between calls the
// model holds the whole state: each call hands the workers the current weights,
// optimizer state, carried state and progress, and takes back what only they computed
// (their slices of the optimizer's slots, their shards' carried state). So the model can
// be saved, sampled or stepped on its own between calls, and close() leaves nothing behind.
import type { Engine } from "../core/engine.js";
import { MinrnnError } from "../errors.js";
import { coreDims } from "../model/config.js";
import { stateOf, type CharRNN, type Progress, type TrainAsyncOptions, type TrainOptions } from "../model/model.js";
import { knownKeys, optionsObject } from "../model/options.js";
import type { ModelState } from "../model/state.js";
import { Trainer } from "../model/trainer.js";
import { Phase } from "../core/regions.js";
import { Exchange } from "./exchange.js";
import { planThreads, type ThreadPart } from "./plan.js";
import { noTimes, runThread, type PhaseTimes } from "./thread-loop.js";
import type { WorkerCall, WorkerSetup } from "./thread-worker.js";

export type { PhaseTimes } from "./thread-loop.js";

export interface ThreadOptions {
  /**
   * How many threads: 1 (the calling thread alone, as model.train) up to the model's
   * shard count, or "auto" (the default): as many as the machine's cores, at most the
   * shard count.
   */
  threads?: number | "auto";
}

/** A started worker, as the trainer drives it. */
export interface ThreadPort {
  post(call: WorkerCall): void;
  terminate(): Promise<void>;
}

/** What a runtime gives the trainer: its core count and how to start a worker. */
export interface ThreadHost {
  cores: number;
  /** Starts a worker with `setup`; `onExit` is called if it dies between calls. */
  spawn(setup: WorkerSetup, onExit: (why: string) => void): Promise<ThreadPort>;
  /** Why this runtime can run one thread only (a page that is not cross-origin isolated), or null. */
  unavailable: string | null;
}

// The calling thread's patience with the workers: at least this, or 100 times its own
// slowest iteration of the call (each worker's part is about the same work). A worker
// that died without running JavaScript (killed, out of memory) would otherwise be
// waited for forever.
const MIN_PATIENCE_MS = 10_000;
const PATIENCE_PER_ITERATION = 100;

/**
 * Starts training `model` on threads. The model needs its training text; the workers
 * copy that text now, so after setText or setBytes, close this trainer and start another.
 */
export async function startThreadsOn(host: ThreadHost, model: CharRNN, options: ThreadOptions = {}): Promise<ThreadedTrainer> {
  const o = optionsObject("startThreads", options, "{ threads }");
  knownKeys("startThreads", o, ["threads"]);
  if (model.disposed) throw new MinrnnError("DISPOSED", "startThreads: this model was disposed; create or load a new one");
  const state = stateOf(model);
  const shards = state.live().core.shardCount();
  const asked = o.threads === undefined ? "auto" : o.threads;
  const threads = threadCount(asked, shards, model.config.batch, host);
  if (model.textLength === 0) {
    throw new MinrnnError("INVALID_TEXT", "this model has no training text; call setText(text) before startThreads");
  }
  const reason = asked === "auto" ? host.unavailable : null;
  const trainer = new ThreadedTrainer(state, shards, reason);
  if (threads > 1) await trainer.start(host, threads);
  return trainer;
}

/** The thread count asked for, checked against the model's shards; "auto" takes the host's cores. */
function threadCount(asked: number | "auto", shards: number, batch: number, host: ThreadHost): number {
  if (asked === "auto") return host.unavailable !== null ? 1 : Math.max(1, Math.min(host.cores, shards));
  if (!Number.isInteger(asked) || asked < 1 || asked > shards) {
    const why = shards === batch ? `one per stream of its batch ${batch}` : `its batch ${batch}, at most 16, and fewer for a large model: each shard's gradients take a copy`;
    throw new MinrnnError("INVALID_ARGUMENT", `threads must be "auto" or an integer from 1 to ${shards}, this model's shard count (${why}), got ${JSON.stringify(asked)}${shards === 1 ? ": create the model with batch: 2 or more to train it on more threads" : ""}`);
  }
  if (asked > 1 && host.unavailable !== null) throw new MinrnnError("INVALID_ARGUMENT", `threads: ${asked} cannot run here: ${host.unavailable}; use threads: 1 or "auto"`);
  return asked;
}

interface Workers {
  ports: ThreadPort[];
  exchange: Exchange;
  parts: ThreadPart[];
  /** The model's dataVersion when the workers copied the text. */
  dataVersion: number;
}

/** Trains a model on N threads; the same results as model.train(), sooner. */
export class ThreadedTrainer {
  readonly #state: ModelState;
  readonly #trainer: Trainer;
  readonly #shards: number;
  readonly #reason: string | null;
  #workers: Workers | null = null;
  #threads = 1;
  #dead: string | null = null;
  #closed = false;
  #times: PhaseTimes = noTimes();

  /** @internal Use startThreads. */
  constructor(state: ModelState, shards: number, reason: string | null) {
    this.#state = state;
    this.#trainer = new Trainer(state);
    this.#shards = shards;
    this.#reason = reason;
  }

  /** @internal Starts threads − 1 workers, each with a copy of the text and its part. */
  async start(host: ThreadHost, threads: number): Promise<void> {
    const state = this.#state;
    const engine = state.live();
    const paramCount = engine.region("PARAMS").bytes / 4;
    const block = engine.limits().normBlock;
    const exchange = Exchange.allocate({
      threads,
      shards: this.#shards,
      paramCount,
      blocks: engine.region("BLOCK_SUMS").bytes / 8,
      weightsBytes: engine.region("WEIGHTS").bytes,
      stateBytes: engine.region("STATE").bytes,
      progressBytes: engine.region("PROGRESS").bytes,
      rngBytes: engine.region("RNG").bytes,
    });
    const parts = planThreads(threads, this.#shards, paramCount, block);
    // The version of the text copied here, read now: the model may get a new text while the
    // workers start (the awaits below), and the trainer must then see its copies as stale.
    const dataVersion = state.dataVersion;
    const base = {
      module: engine.module,
      dims: coreDims(state.config),
      data: engine.bytes("DATA").slice(),
      textLength: state.textLength,
      dataShift: state.vocab.indexShift,
      sab: exchange.sab,
      sizes: exchange.sizes,
    };
    const onExit = (why: string) => { this.#dead ??= why; };
    const started = await Promise.allSettled(parts.slice(1).map((part, i) => host.spawn({ ...base, thread: i + 1, part }, onExit)));
    const ports = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failed = started.find((r) => r.status === "rejected");
    if (failed !== undefined) {
      await Promise.all(ports.map((p) => p.terminate()));
      throw new MinrnnError("THREAD_FAILED", `a training thread could not start: ${String((failed as PromiseRejectedResult).reason)}`);
    }
    this.#workers = { ports, exchange, parts, dataVersion };
    this.#threads = threads;
  }

  /** How many threads train: the calling one and its workers (after close(), how many did). */
  get threads(): number { return this.#threads; }

  /** The model's shard count: the most threads it can use. */
  get shards(): number { return this.#shards; }

  /** Why "auto" chose one thread in this runtime (a page that is not cross-origin isolated), or null. */
  get reason(): string | null { return this.#reason; }

  /**
   * The calling thread's milliseconds per phase (compute, exchange, gather, waiting),
   * summed over the threaded iterations since the trainer started or the last resetTiming().
   */
  timing(): PhaseTimes { return { ...this.#times }; }
  resetTiming(): void { this.#times = noTimes(); }

  /** As model.train(options): the same iterations, progress calls, return value and errors. */
  train(options: TrainOptions): Progress {
    this.#requireOpen();
    return this.#trainer.train(options, (n) => this.#run(n));
  }

  /**
   * As model.trainAsync(options): between chunks of `progressEvery` iterations it yields to
   * the event loop, and an aborted `signal` stops it after the current chunk.
   */
  async trainAsync(options: TrainAsyncOptions): Promise<Progress> {
    this.#requireOpen();
    return this.#trainer.trainAsync(options, (n) => this.#run(n));
  }

  #requireOpen(): void {
    if (this.#closed) throw new MinrnnError("DISPOSED", "this trainer was closed; start another with startThreads(model)");
  }

  /** Stops every worker. The model keeps the whole state and trains on as before. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers;
    this.#workers = null;
    if (workers !== null) await Promise.all(workers.ports.map((p) => p.terminate()));
  }

  /** n iterations on every thread; returns the count that made an update. */
  #run(n: number): number {
    const engine = this.#state.live();
    const workers = this.#workers;
    if (workers === null) return engine.core.train(n);
    if (this.#dead !== null) {
      void this.close();
      throw new MinrnnError("THREAD_FAILED", `a training thread stopped (${this.#dead}); the model keeps the weights of its last whole iteration: start another trainer`);
    }
    if (this.#state.dataVersion !== workers.dataVersion) {
      throw new MinrnnError("INVALID_STATE", "the model's training text changed since startThreads; close this trainer and start another, which copies the new text");
    }
    const { ports, exchange, parts } = workers;
    const call: WorkerCall = { iterations: n };
    const before = snapshot(engine);
    exchange.reset();
    exchange.handOver(engine);
    for (const port of ports) port.post(call);
    let done: number;
    try {
      exchange.patience(MIN_PATIENCE_MS);
      done = runThread({
        engine, exchange, thread: 0, part: parts[0]!, normed: this.#state.config.clipNorm !== Infinity, times: this.#times,
        onSlowest: (ms) => exchange.patience(Math.max(MIN_PATIENCE_MS, PATIENCE_PER_ITERATION * ms)),
      }, n);
      exchange.waitFinished();
    } catch (e) {
      // The threads are out of step and this trainer cannot go on. The model goes back to
      // the state this call began with: the last whole iteration that every thread had.
      before.restore();
      void this.close();
      throw e;
    }
    for (let t = 1; t < parts.length; t++) exchange.takeBack(engine, parts[t]!);
    return done;
  }
}

/** The weights span, carried state, progress and PRNG of a call's start, to go back to if a thread fails. */
function snapshot(engine: Engine) {
  const names = ["WEIGHTS", "STATE", "PROGRESS", "RNG"] as const;
  const copies = names.map((name) => engine.bytes(name).slice());
  return {
    restore(): void {
      names.forEach((name, i) => engine.bytes(name).set(copies[i]!));
      engine.core.phase(Phase.START, 0, 0, 0);
    },
  };
}
