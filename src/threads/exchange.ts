// Where N training threads meet: one SharedArrayBuffer, views of its parts, and the
// barrier they pass four times per iteration (thread-loop.ts). Portable: it needs
// SharedArrayBuffer and Atomics only, so Node's worker_threads, Deno, Bun and a browser's
// Web Workers all use it.
//
// Parts, in order: control words (Int32), each shard's loss (f64), the norm's block sums
// (f64), each thread's Adagrad bounds (f32 pairs) and finiteness flag (Int32), each
// shard's gradients (f32, the parameters' layout), the weights span (parameters, then
// every optimizer slot: the core's WEIGHTS region, which the threads also post their
// updated slices into), the carried state of every stream (STATE), and the progress
// span and PRNG (PROGRESS, RNG: copied, never read).
//
// Waits are Atomics.wait, which Node, Deno, Bun and workers allow (a browser's main
// thread does not: there the trainer runs in a Worker).
import type { Engine } from "../core/engine.js";
import type { RegionName } from "../core/regions.js";
import { MinrnnError } from "../errors.js";
import type { ThreadPart } from "./plan.js";

const FAILED = 0;
const ARRIVED = 1;
const FINISHED = 2;
const CONTROL_WORDS = 4;

/** The sizes of an exchange's parts. */
export interface ExchangeSizes {
  threads: number;
  shards: number;
  /** Floats in one parameter layout. */
  paramCount: number;
  /** Blocks of the norm (the parameters' floats in blocks, the last one partial). */
  blocks: number;
  weightsBytes: number;
  /** The carried state of every stream. */
  stateBytes: number;
  progressBytes: number;
  rngBytes: number;
}

export class Exchange {
  readonly sab: SharedArrayBuffer;
  readonly sizes: ExchangeSizes;
  readonly losses: Float64Array;
  readonly blocks: Float64Array;
  /** Per thread t: [2t] its slice's largest |weight|, [2t + 1] its largest Adagrad sum. */
  readonly bounds: Float32Array;
  /** Per thread: 1 if its slice's update would be finite. */
  readonly flags: Int32Array;
  /** Per shard, its gradients. */
  readonly grads: Float32Array[];
  /** The weights span; its first paramCount floats are the parameters (`params`). */
  readonly weights: Uint8Array;
  readonly params: Float32Array;
  readonly state: Uint8Array;
  readonly progress: Uint8Array;
  readonly rng: Uint8Array;
  readonly #control: Int32Array;
  /** How many barriers this thread has passed in the current call. */
  #passed = 0;
  /** How long a wait may see no progress before the other threads are taken for dead. */
  #patienceMs = Infinity;

  /** A new exchange of these sizes. */
  static allocate(sizes: ExchangeSizes): Exchange {
    return new Exchange(new SharedArrayBuffer(Exchange.bytes(sizes)), sizes);
  }

  /** The bytes an exchange of these sizes takes (each part 8-byte aligned). */
  static bytes(s: ExchangeSizes): number {
    const pad = (n: number) => Math.ceil(n / 8) * 8;
    return 4 * CONTROL_WORDS + 8 * s.shards + 8 * s.blocks + pad(8 * s.threads) + pad(4 * s.threads)
      + 4 * s.shards * s.paramCount + pad(s.weightsBytes) + pad(s.stateBytes) + s.progressBytes + s.rngBytes;
  }

  /** Views over an exchange allocated elsewhere (a worker's side). */
  constructor(sab: SharedArrayBuffer, sizes: ExchangeSizes) {
    this.sab = sab;
    this.sizes = sizes;
    let at = 0;
    const part = <A>(make: (at: number) => A, bytes: number): A => {
      const view = make(at);
      at += Math.ceil(bytes / 8) * 8;
      return view;
    };
    const { threads, shards, paramCount, blocks, weightsBytes, stateBytes, progressBytes, rngBytes } = sizes;
    this.#control = part((o) => new Int32Array(sab, o, CONTROL_WORDS), 4 * CONTROL_WORDS);
    this.losses = part((o) => new Float64Array(sab, o, shards), 8 * shards);
    this.blocks = part((o) => new Float64Array(sab, o, blocks), 8 * blocks);
    this.bounds = part((o) => new Float32Array(sab, o, 2 * threads), 8 * threads);
    this.flags = part((o) => new Int32Array(sab, o, threads), 4 * threads);
    this.grads = Array.from({ length: shards }, () => part((o) => new Float32Array(sab, o, paramCount), 4 * paramCount));
    this.weights = part((o) => new Uint8Array(sab, o, weightsBytes), weightsBytes);
    this.params = new Float32Array(sab, this.weights.byteOffset, paramCount);
    this.state = part((o) => new Uint8Array(sab, o, stateBytes), stateBytes);
    this.progress = part((o) => new Uint8Array(sab, o, progressBytes), progressBytes);
    this.rng = part((o) => new Uint8Array(sab, o, rngBytes), rngBytes);
  }

  /** The calling thread's start of a call: the whole weights span, every stream's carried state, the progress and PRNG of `engine`. */
  handOver(engine: Engine): void {
    for (const [name, shared] of this.#whole()) shared.set(engine.bytes(name));
  }

  /** A worker's start of a call: the same, into its own `engine`. */
  takeOver(engine: Engine): void {
    for (const [name, shared] of this.#whole()) engine.bytes(name).set(shared);
  }

  #whole(): [RegionName, Uint8Array][] {
    return [["WEIGHTS", this.weights], ["STATE", this.state], ["PROGRESS", this.progress], ["RNG", this.rng]];
  }

  /**
   * A worker's end of a call: what only it holds, for the calling thread's takeBack: its
   * slice of each optimizer slot (the weights span is layouts of the parameters' shape:
   * the parameters, which every thread already has whole, then each slot) and its shards'
   * carried state.
   */
  handBack(engine: Engine, part: ThreadPart): void {
    this.#slices(engine, part, (mine, shared) => shared.set(mine));
  }

  /** The calling thread's end of a call: a worker's part (handBack) into `engine`. */
  takeBack(engine: Engine, part: ThreadPart): void {
    this.#slices(engine, part, (mine, shared) => mine.set(shared));
  }

  #slices(engine: Engine, part: ThreadPart, copy: (mine: Uint8Array, shared: Uint8Array) => void): void {
    const layout = 4 * this.sizes.paramCount;
    const weights = engine.bytes("WEIGHTS");
    for (let at = layout; at < this.weights.length; at += layout) {
      const from = at + 4 * part.from, to = at + 4 * part.to;
      copy(weights.subarray(from, to), this.weights.subarray(from, to));
    }
    // The shards' carried states are adjacent spans of STATE, in shard order.
    const state = engine.region("STATE").ptr;
    const offset = engine.region("SHARD_STATE", part.firstShard).ptr - state;
    const end = engine.region("SHARD_STATE", part.endShard - 1);
    copy(engine.bytes("STATE").subarray(offset, end.ptr + end.bytes - state), this.state.subarray(offset, end.ptr + end.bytes - state));
  }

  /** Clears the counts and flags before a call; no thread is in the loop then. */
  reset(): void {
    this.#control.fill(0);
  }

  /** The start of this thread's part of a call: it has passed no barrier yet. */
  begin(): void {
    this.#passed = 0;
  }

  /** Sets how long a wait may see no progress before it throws (the workers keep Infinity). */
  patience(ms: number): void {
    this.#patienceMs = ms;
  }

  /**
   * Waits until every thread has arrived here, as many times as this one. The count is an
   * Int32 that wraps after 2^31 arrivals (some 30 million iterations of a call on 16
   * threads); it is compared modulo 2^32, so the wrap is harmless.
   */
  barrier(): void {
    this.#passed += 1;
    const goal = (this.#passed * this.sizes.threads) | 0;
    const arrived = (Atomics.add(this.#control, ARRIVED, 1) + 1) | 0;
    if (arrived === goal) Atomics.notify(this.#control, ARRIVED);
    else this.#wait(ARRIVED, goal);
  }

  /** A worker's end of a call, after it posted its part of the state. */
  finish(): void {
    Atomics.add(this.#control, FINISHED, 1);
    Atomics.notify(this.#control, FINISHED);
  }

  /** Waits until every worker has finished the call. */
  waitFinished(): void {
    this.#wait(FINISHED, this.sizes.threads - 1);
  }

  /** A thread's end when something threw: wakes every other, which then throws. */
  fail(): void {
    Atomics.store(this.#control, FAILED, 1);
    // Every word a thread may wait on changes too: a waiter that read FAILED as 0 just
    // before this then finds its word changed, and Atomics.wait returns at once instead of
    // sleeping through a notify that came first.
    for (const index of [ARRIVED, FINISHED]) {
      Atomics.add(this.#control, index, 1 << 24);
      Atomics.notify(this.#control, index);
    }
  }

  #wait(index: number, goal: number): void {
    const control = this.#control;
    const start = performance.now();
    for (;;) {
      const seen = Atomics.load(control, index);
      // FAILED first: fail() also bumps the word, which must not read as progress.
      if (Atomics.load(control, FAILED) !== 0) throw new MinrnnError("THREAD_FAILED", "a training thread failed (see the error it printed); the model keeps the weights of its last whole iteration");
      if (((seen - goal) | 0) >= 0) return;
      const left = this.#patienceMs - (performance.now() - start);
      if (left <= 0) {
        const seconds = this.#patienceMs < 10_000 ? (this.#patienceMs / 1000).toFixed(1) : String(Math.round(this.#patienceMs / 1000));
        throw new MinrnnError("THREAD_FAILED", `a training thread has not answered for ${seconds} s: it was killed or ran out of memory; the model keeps the weights of its last whole iteration`);
      }
      Atomics.wait(control, index, seen, left);
    }
  }
}
