// Where the two training threads meet: one SharedArrayBuffer, and the iteration loop that
// both run, each on its own instance of the core and its own shard of the streams.
//
// Per iteration, each thread computes its shard's gradients and loss, publishes them,
// waits for the other's, copies them into its own second gradient buffer, and adds the
// two (shard 0's + shard 1's, assembly/optim.ts). Both then hold the same total, the same
// weights and the same optimizer state, so both run the same update and get the same bytes:
// the worker's copy of the model never has to be sent back, and the update costs no
// more wall time than on one thread. What it copies besides gradients are spans the core
// names (weights with every optimizer slot, a shard's carried state): it never knows
// what is inside them. Published gradients alternate between two slots per
// thread by the iteration's parity: a thread reuses a slot only after the other has
// posted the next iteration, by which time it has finished reading that slot.
//
// Waits are Atomics.wait, which Node allows on the main thread too, so train(n) stays
// synchronous. (Spinning on Atomics.load before sleeping measured no faster here: an
// iteration at batch 32 takes about a millisecond, a wake-up some microseconds.)
import type { Engine } from "../core/engine.js";

// Int32 control words: each thread's count of iterations published, the worker's
// "finished this call" flag, and its "failed" flag.
const POSTED = [0, 1] as const;
const FINISHED = 2;
const FAILED = 3;
const CONTROL_BYTES = 16;
const LOSS_BYTES = 4 * 8;   // f64 per (shard, parity)
// The main thread's patience with the worker: at least this, or 100 times its own slowest
// iteration of the call (the worker's shard is the same work). A worker that died without
// running JavaScript (killed, out of memory) would otherwise be waited for forever.
const MIN_PATIENCE_MS = 10_000;
const PATIENCE_PER_ITERATION = 100;

/** The sizes of an exchange's parts: the gradient layout (floats) and the spans (bytes). */
export interface ExchangeSizes {
  paramCount: number;
  weightsBytes: number;
  stateBytes: number;
  progressBytes: number;
  rngBytes: number;
}

export class ShardExchange {
  readonly sab: SharedArrayBuffer;
  /** Main → worker at the start of each call: the core's weights span (weights and optimizer slots). */
  readonly weights: Uint8Array;
  /** Main → worker: shard 1's carried state span; worker → main at the end: the same, trained on. */
  readonly state: Uint8Array;
  /** Main → worker at the start of each call: the progress span and the PRNG, copied without being read. */
  readonly progress: Uint8Array;
  readonly rng: Uint8Array;
  readonly #control: Int32Array;
  readonly #losses: Float64Array;
  readonly #grads: Float32Array[];
  /** How long a wait may see no progress before the other thread is taken for dead. */
  #patienceMs = Infinity;

  /** The sizes for the regions of `engine`: its gradient layout, weights span, shard 1's state span, progress and PRNG. */
  static sizesOf(engine: Engine): ExchangeSizes {
    return {
      paramCount: engine.region("GRADS").bytes / 4,
      weightsBytes: engine.region("WEIGHTS").bytes,
      stateBytes: engine.region("SHARD_STATE", 1).bytes,
      progressBytes: engine.region("PROGRESS").bytes,
      rngBytes: engine.region("RNG").bytes,
    };
  }

  /** A new exchange of these sizes. */
  static allocate(sizes: ExchangeSizes): ShardExchange {
    const bytes = CONTROL_BYTES + LOSS_BYTES + 4 * 4 * sizes.paramCount + sizes.weightsBytes + sizes.stateBytes + sizes.progressBytes + sizes.rngBytes;
    return new ShardExchange(new SharedArrayBuffer(bytes), sizes);
  }

  /** Views over an exchange allocated elsewhere (the worker's side). */
  constructor(sab: SharedArrayBuffer, sizes: ExchangeSizes) {
    const { paramCount, weightsBytes, stateBytes, progressBytes, rngBytes } = sizes;
    this.sizes = sizes;
    this.sab = sab;
    this.#control = new Int32Array(sab, 0, 4);
    this.#losses = new Float64Array(sab, CONTROL_BYTES, 4);
    let at = CONTROL_BYTES + LOSS_BYTES;
    const floats = (n: number): Float32Array => {
      const view = new Float32Array(sab, at, n);
      at += n * 4;
      return view;
    };
    this.#grads = [floats(paramCount), floats(paramCount), floats(paramCount), floats(paramCount)];
    const bytes = (n: number): Uint8Array => {
      const view = new Uint8Array(sab, at, n);
      at += n;
      return view;
    };
    this.weights = bytes(weightsBytes);
    this.state = bytes(stateBytes);
    this.progress = bytes(progressBytes);
    this.rng = bytes(rngBytes);
  }

  /** The spans' sizes, for the worker's views of the same buffer. */
  readonly sizes: ExchangeSizes;

  /** Main → worker: the weights span, shard 1's state, the progress and the PRNG from `engine`. */
  handOver(engine: Engine): void {
    this.weights.set(engine.bytes("WEIGHTS"));
    this.state.set(engine.bytes("SHARD_STATE", 1));
    this.progress.set(engine.bytes("PROGRESS"));
    this.rng.set(engine.bytes("RNG"));
  }

  /** The worker's start of a call: what the main thread handed over, into its own `engine`. */
  takeOver(engine: Engine): void {
    engine.bytes("WEIGHTS").set(this.weights);
    engine.bytes("SHARD_STATE", 1).set(this.state);
    engine.bytes("PROGRESS").set(this.progress);
    engine.bytes("RNG").set(this.rng);
  }

  /** The worker's end of a call: shard 1's trained-on state from its `engine`. */
  handBack(engine: Engine): void {
    this.state.set(engine.bytes("SHARD_STATE", 1));
  }

  /** The main thread's end of a call: shard 1's state into `engine`. */
  takeBack(engine: Engine): void {
    engine.bytes("SHARD_STATE", 1).set(this.state);
  }

  /** Clears the counts and flags before a call; neither thread is in the loop then. */
  reset(): void {
    this.#control.fill(0);
  }

  /** Sets how long a wait may see no progress before it throws (the worker keeps Infinity). */
  patience(ms: number): void {
    this.#patienceMs = ms;
  }

  /** The worker's end of a call, after handBack. */
  finish(): void {
    this.#post(FINISHED, 1);
  }

  /** The worker's end when something threw: wakes the main thread, which then throws. */
  fail(): void {
    Atomics.store(this.#control, FAILED, 1);
    // Every word a thread may wait on changes too: a waiter that read FAILED as 0 just
    // before this then finds its word changed, and Atomics.wait returns at once instead of
    // sleeping through a notify that came first.
    for (const index of [...POSTED, FINISHED]) {
      Atomics.add(this.#control, index, 1);
      Atomics.notify(this.#control, index);
    }
  }

  /** Waits until the worker has finished the call. */
  waitFinished(): void {
    this.#wait(FINISHED, 1);
  }

  /** Iteration k's gradients and loss of `shard`, for the other thread. */
  publish(shard: 0 | 1, k: number, grads: Float32Array, loss: number): void {
    this.#grads[2 * shard + (k & 1)]!.set(grads);
    this.#losses[2 * shard + (k & 1)] = loss;
    this.#post(POSTED[shard], k + 1);
  }

  /** Waits for iteration k of `shard`, copies its gradients into `into`, returns its loss. */
  receive(shard: 0 | 1, k: number, into: Float32Array): number {
    this.#wait(POSTED[shard], k + 1);
    into.set(this.#grads[2 * shard + (k & 1)]!);
    return this.#losses[2 * shard + (k & 1)]!;
  }

  #post(index: number, value: number): void {
    Atomics.store(this.#control, index, value);
    Atomics.notify(this.#control, index);
  }

  #wait(index: number, value: number): void {
    const control = this.#control;
    const start = performance.now();
    for (;;) {
      const seen = Atomics.load(control, index);
      // FAILED first: fail() also bumps the word, which must not read as progress.
      if (Atomics.load(control, FAILED) !== 0) throw new Error("minrnn: the training worker failed; see the error it printed");
      if (seen >= value) return;
      const left = this.#patienceMs - (performance.now() - start);
      if (left <= 0) {
        const seconds = this.#patienceMs < 10_000 ? (this.#patienceMs / 1000).toFixed(1) : String(Math.round(this.#patienceMs / 1000));
        throw new Error(`minrnn: the training worker has not answered for ${seconds} s: it was killed or ran out of memory; the model keeps the weights of its last whole iteration`);
      }
      Atomics.wait(control, index, seen, left);
    }
  }
}

/**
 * Up to n iterations of one thread's shard (0: the main thread's, 1: the worker's), in
 * lockstep with the other thread. Returns the count that made an update: both threads
 * stop at the same one, since they decide from the same numbers.
 */
export function trainShard(engine: Engine, exchange: ShardExchange, shard: 0 | 1, n: number): number {
  const core = engine.core;
  const buffer = (s: number) => engine.f32(s === 0 ? "GRADS" : "SHARD_GRADS");
  const other = shard === 0 ? 1 : 0;
  const mine = buffer(shard), theirs = buffer(other);
  core.forgetBounds(); // as train(n) does: the host may have written weights since the last call
  let slowest = 0;
  for (let k = 0; k < n; k++) {
    const start = performance.now();
    const loss = core.shardGradients(shard);
    if (shard === 0) {
      slowest = Math.max(slowest, performance.now() - start);
      exchange.patience(Math.max(MIN_PATIENCE_MS, PATIENCE_PER_ITERATION * slowest));
    }
    exchange.publish(shard, k, mine, loss);
    const otherLoss = exchange.receive(other, k, theirs);
    core.addShardGradients();
    const lossSum = shard === 0 ? loss + otherLoss : otherLoss + loss;
    if (Number.isNaN(core.update(lossSum, shard, shard + 1))) return k;
  }
  return n;
}
