// The iteration loop every training thread runs, each on its own instance of the core,
// in step with the others through the exchange (phase(k, …): assembly/shards.ts):
//   its shards' gradients and losses, published         (compute)
//   -- barrier --
//   its slice: the fold of every shard's gradients in shard order, the loss verdict,
//   with clip-norm its blocks' sums (-- barrier --, then everyone's), the proof that
//   its update is finite                                 (exchange)
//   -- barrier: every thread's answer --
//   its slice's update, published                        (exchange)
//   -- barrier --
//   the other slices copied in, the bounds combined,     (gather)
//   its shards' carried state committed
// Every thread decides from the same numbers (the losses in shard order, the block sums
// in block order, every flag), so all stop at the same iteration, and the bytes are those
// of one thread running train(n).
import type { Engine } from "../core/engine.js";
import { Phase } from "../core/regions.js";
import type { Exchange } from "./exchange.js";
import type { ThreadPart } from "./plan.js";

/** Milliseconds spent per phase, summed over the iterations run (see ThreadedTrainer.timing). */
export interface PhaseTimes {
  iterations: number;
  /** The shards' forward and backward passes. */
  compute: number;
  /** Publishing, folding, the norm, the proof and the update: work on 1/N of the parameters each. */
  exchange: number;
  /** Copying the other threads' slices of the weights back: (N − 1)/N of the parameters each. */
  gather: number;
  /** Waiting at the barriers for the other threads. */
  waiting: number;
}

export const noTimes = (): PhaseTimes => ({ iterations: 0, compute: 0, exchange: 0, gather: 0, waiting: 0 });

/** What a thread runs a call with. */
export interface LoopSetup {
  engine: Engine;
  exchange: Exchange;
  /** This thread's index (0: the calling thread) and its part. */
  thread: number;
  part: ThreadPart;
  /** Whether clip-norm is on (the norm's blocks are then exchanged). */
  normed: boolean;
  /** Summed into, when given. */
  times?: PhaseTimes;
  /** Called with the slowest iteration's milliseconds so far (the calling thread's patience). */
  onSlowest?: (ms: number) => void;
}

/** Up to n iterations of this thread's part; returns the count that made an update (the same on every thread). */
export function runThread(setup: LoopSetup, n: number): number {
  const { engine, exchange, thread, part, normed } = setup;
  const { firstShard, endShard, from, to } = part;
  const phase = engine.core.phase;
  const block = engine.limits().normBlock;
  // Training does not grow memory: views made once stay valid.
  const grads = engine.f32("GRADS"), shardGrads = engine.f32("SHARD_GRADS"), params = engine.f32("PARAMS");
  const bounds = engine.f32("BOUNDS");
  const { ptr, bytes } = engine.region("BLOCK_SUMS");
  const blocks = new Float64Array(engine.core.memory.buffer, ptr, bytes >> 3);
  const firstBlock = from / block, endBlock = Math.ceil(to / block);
  const threads = exchange.sizes.threads, shards = exchange.sizes.shards;
  const times = setup.times ?? noTimes();
  let slowest = 0;
  let mark = performance.now();
  /** Adds the time since the last mark to a phase. */
  const lap = (phase: "compute" | "exchange" | "gather" | "waiting") => {
    const now = performance.now();
    times[phase] += now - mark;
    mark = now;
  };
  const barrier = () => {
    lap("exchange");
    exchange.barrier();
    lap("waiting");
  };
  exchange.begin();
  phase(Phase.START, 0, 0, 0);
  try {
    for (let k = 0; k < n; k++) {
      const start = performance.now();
      mark = start;
      phase(Phase.BEGIN, 0, 0, 0);
      for (let s = firstShard; s < endShard; s++) {
        const loss = phase(Phase.SHARD, s, 0, 0);
        lap("compute");
        exchange.grads[s]!.set(shardGrads);
        exchange.losses[s] = loss;
      }
      barrier();
      if (to > from) {
        grads.set(exchange.grads[0]!.subarray(from, to), from);
        for (let s = 1; s < shards; s++) {
          shardGrads.set(exchange.grads[s]!.subarray(from, to), from);
          phase(Phase.FOLD, from, to, 0);
        }
      }
      let lossSum = 0;
      for (let s = 0; s < shards; s++) lossSum += exchange.losses[s]!;
      const verdict = phase(Phase.VERDICT, 0, 0, lossSum);
      if (verdict !== 0) {
        phase(Phase.REFUSE, verdict, 0, 0);
        return k;
      }
      if (normed) {
        phase(Phase.NORMS, from, to, 0);
        exchange.blocks.set(blocks.subarray(firstBlock, endBlock), firstBlock);
        barrier();
        blocks.set(exchange.blocks);
      }
      const coef = phase(Phase.COEF, 0, 0, 0);
      exchange.flags[thread] = phase(Phase.PROVE, from, to, coef);
      barrier();
      if (exchange.flags.includes(0)) {
        phase(Phase.REFUSE, 2, 0, 0);
        return k;
      }
      phase(Phase.WRITE, from, to, coef);
      exchange.params.set(params.subarray(from, to), from);
      exchange.bounds.set(bounds, 2 * thread);
      barrier();
      params.set(exchange.params.subarray(0, from));
      params.set(exchange.params.subarray(to), to);
      let weight = 0, sum = 0;
      for (let i = 0; i < threads; i++) {
        weight = Math.max(weight, exchange.bounds[2 * i]!);
        sum = Math.max(sum, exchange.bounds[2 * i + 1]!);
      }
      bounds[0] = weight;
      bounds[1] = sum;
      phase(Phase.SET_BOUNDS, 0, 0, 0);
      lap("gather");
      phase(Phase.COMMIT, firstShard, endShard, 0);
      lap("exchange");
      times.iterations += 1;
      slowest = Math.max(slowest, performance.now() - start);
      setup.onSlowest?.(slowest);
    }
    return n;
  } finally {
    phase(Phase.START, 0, 0, 0); // leaves both gradient buffers clear for the model's own train()
  }
}
