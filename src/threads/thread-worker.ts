// A training thread other than the calling one, whatever runs it (Node's worker_threads
// in src/node/threads/worker.ts, a browser's Web Worker in web-worker.ts): its own
// instance of the core, configured as the model's, with a copy of the training text.
// Each call it takes the model's state from the exchange, runs its part of every
// iteration (thread-loop.ts), and hands back what only it holds: its slice of the
// optimizer's slots and its shards' carried state.
import { Engine, type CoreDims } from "../core/engine.js";
import { Exchange, type ExchangeSizes } from "./exchange.js";
import type { ThreadPart } from "./plan.js";
import { runThread } from "./thread-loop.js";

/** What a worker is started with. */
export interface WorkerSetup {
  module: WebAssembly.Module;
  dims: CoreDims;
  data: Uint8Array;
  textLength: number;
  dataShift: number;
  sab: SharedArrayBuffer;
  sizes: ExchangeSizes;
  thread: number;
  part: ThreadPart;
}

/** One call's start: the weights, carried state, progress and PRNG are in the exchange. */
export interface WorkerCall {
  iterations: number;
}

export class ThreadWorker {
  readonly #setup: WorkerSetup;
  readonly #engine: Engine;
  readonly #exchange: Exchange;

  constructor(setup: WorkerSetup) {
    this.#setup = setup;
    const engine = new Engine(setup.module);
    if (!engine.configure(setup.dims) || !engine.core.reserveData(setup.textLength, setup.dataShift)) {
      // The calling thread's instance holds the same and more: this one fits unless the process is out of memory.
      throw new Error("minrnn: a training thread could not allocate the model's memory");
    }
    engine.bytes("DATA").set(setup.data);
    this.#engine = engine;
    this.#exchange = new Exchange(setup.sab, setup.sizes);
  }

  /** Runs one call; an error is printed and flagged in the exchange, which wakes the other threads. */
  run(call: WorkerCall): void {
    const { dims, thread, part } = this.#setup;
    const engine = this.#engine, exchange = this.#exchange;
    try {
      exchange.takeOver(engine);
      runThread({ engine, exchange, thread, part, normed: dims.clipNorm !== Infinity }, call.iterations);
      exchange.handBack(engine, part);
      exchange.finish();
    } catch (e) {
      // Printed here and not rethrown: an uncaught error would reach the calling thread
      // after the fact; the flag makes its waiting train() throw now instead.
      console.error(e);
      exchange.fail();
    }
  }
}
