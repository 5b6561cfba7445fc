// Data-parallel training on two threads (Node only): the main thread runs shard 0 of the
// streams on the model's own instance, a worker_threads worker runs shard 1 on another
// instance of the same compiled module, and they meet once per iteration (exchange.ts).
// The shards are fixed by the batch size, so the bytes are those of model.train():
// threads change the speed, never the result.
//
// Between calls the model holds the whole state: each call hands the worker the current
// weights and optimizer state, shard 1's carried state and the progress, and takes back
// that carried state at the end. So the model can be saved, sampled or stepped on its own between
// calls, and close() leaves nothing behind in the worker.
import type { Worker } from "node:worker_threads";
import { MinrnnError } from "../errors.js";
import type { CoreDims } from "../core/engine.js";
import { coreDims } from "../model/config.js";
import { knownKeys, optionsObject } from "../model/options.js";
import { stateOf, type CharRNN, type Progress, type TrainAsyncOptions, type TrainOptions } from "../model/model.js";
import type { ModelState } from "../model/state.js";
import { Trainer } from "../model/trainer.js";
import { ShardExchange, trainShard, type ExchangeSizes } from "./exchange.js";

export interface ThreadOptions {
  /** 1 (the calling thread alone, as model.train) or 2 (the default). */
  threads?: number;
}

/** @internal What the worker is started with (threads-worker.ts). */
export interface WorkerSetup {
  module: WebAssembly.Module;
  dims: CoreDims;
  data: Uint8Array;
  textLength: number;
  dataShift: number;
  sab: SharedArrayBuffer;
  sizes: ExchangeSizes;
}

/** @internal One call's start: the worker reads the weights, carried state, progress and PRNG from the exchange. */
export interface WorkerCall {
  iterations: number;
}

/**
 * Starts training `model` on `threads` threads. The model needs batch ≥ 2 for two threads
 * (each runs half the streams) and its training text; the worker copies that text now,
 * so after setText or setBytes, close this trainer and start another.
 */
export async function startThreads(model: CharRNN, options?: ThreadOptions): Promise<ThreadedTrainer> {
  const o = optionsObject("startThreads", options, "{ threads }");
  knownKeys("startThreads", o, ["threads"]);
  const threads = o.threads ?? 2;
  if (model.disposed) throw new MinrnnError("DISPOSED", "startThreads: this model was disposed; create or load a new one");
  if (threads !== 1 && threads !== 2) {
    throw new MinrnnError("INVALID_ARGUMENT", `threads must be 1 or 2, got ${threads}: training splits the streams into two shards, one per thread`);
  }
  if (threads === 2 && model.config.batch < 2) {
    throw new MinrnnError("INVALID_ARGUMENT", `two threads need a model with batch ≥ 2 (each thread trains half the streams); this one has batch ${model.config.batch}: create it with batch: 2 or more, or train it with threads: 1`);
  }
  if (model.textLength === 0) {
    throw new MinrnnError("INVALID_TEXT", "this model has no training text; call setText(text) before startThreads");
  }
  const state = stateOf(model);
  return new ThreadedTrainer(state, threads === 1 ? null : await startWorker(state));
}

interface Shard1 {
  worker: Worker;
  exchange: ShardExchange;
  /** The model's dataVersion when the worker copied the text. */
  dataVersion: number;
}

async function startWorker(state: ModelState): Promise<Shard1> {
  const engine = state.live();
  const exchange = ShardExchange.allocate(ShardExchange.sizesOf(engine));
  // The version of the text copied here, read now: the model may get a new text while the
  // worker starts (the awaits below), and the trainer must then see its copy as stale.
  const dataVersion = state.dataVersion;
  const setup: WorkerSetup = {
    module: engine.module,
    dims: coreDims(state.config),
    data: engine.bytes("DATA").slice(),
    textLength: state.textLength,
    dataShift: state.vocab.indexShift,
    sab: exchange.sab,
    sizes: exchange.sizes,
  };
  // Loaded on first use: importing node:worker_threads costs a few milliseconds at every
  // start of a process that imports minrnn, most of which never train on two threads.
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(new URL("./threads-worker.js", import.meta.url), { workerData: setup });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  worker.unref(); // an idle trainer that was never closed does not keep the process alive
  return { worker, exchange, dataVersion };
}

/** Trains a model on one or two threads; the same results as model.train(), sooner. */
export class ThreadedTrainer {
  readonly #state: ModelState;
  readonly #trainer: Trainer;
  #shard1: Shard1 | null;
  #closed = false;

  /** @internal Use startThreads. */
  constructor(state: ModelState, shard1: Shard1 | null) {
    this.#state = state;
    this.#trainer = new Trainer(state);
    this.#shard1 = shard1;
  }

  get threads(): number { return this.#shard1 === null ? 1 : 2; }

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

  /** Stops the worker. The model keeps the whole state and trains on as before. */
  async close(): Promise<void> {
    this.#closed = true;
    const shard1 = this.#shard1;
    this.#shard1 = null;
    if (shard1 !== null) await shard1.worker.terminate();
  }

  /** n iterations on both threads; returns the count that made an update. */
  #run(n: number): number {
    const engine = this.#state.live();
    const shard1 = this.#shard1;
    if (shard1 === null) return engine.core.train(n);
    if (this.#state.dataVersion !== shard1.dataVersion) {
      throw new MinrnnError("INVALID_STATE", "the model's training text changed since startThreads; close this trainer and start another, which copies the new text");
    }
    const { worker, exchange } = shard1;
    exchange.reset();
    exchange.handOver(engine);
    worker.postMessage({ iterations: n } satisfies WorkerCall);
    let done: number;
    try {
      done = trainShard(engine, exchange, 0, n);
      exchange.waitFinished();
    } catch (e) {
      // The threads are out of step and this trainer cannot go on. The model keeps its last
      // whole iteration, except shard 1's carried state, which stays as this call began.
      void this.close();
      throw e;
    }
    // Shard 1's streams come back from the worker; shard 0's are already here.
    exchange.takeBack(engine);
    return done;
  }
}
