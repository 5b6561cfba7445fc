// The iteration loop every training thread runs, each on its own instance of the core,
// in step with the others through the exchange (assembly/shards.ts names the phases):
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
import type { CoreExports } from "../engine.js";
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
  core: CoreExports;
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
  const { core, exchange, thread, part, normed } = setup;
  const { firstShard, endShard, from, to } = part;
  const np = core.paramCount();
  const block = core.normBlock();
  const buffer = core.memory.buffer; // training does not grow memory: views made once stay valid
  const grads = new Float32Array(buffer, core.gradsPtr(), np);
  const shardGrads = new Float32Array(buffer, core.shardGradsPtr(), np);
  const params = new Float32Array(buffer, core.paramsPtr(), np);
  const blocks = new Float64Array(buffer, core.blockSumsPtr(), exchange.sizes.blocks);
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
  core.startCall();
  try {
    for (let k = 0; k < n; k++) {
      const start = performance.now();
      mark = start;
      core.beginIteration();
      for (let s = firstShard; s < endShard; s++) {
        const loss = core.shardGradients(s);
        lap("compute");
        exchange.grads[s]!.set(shardGrads);
        exchange.losses[s] = loss;
      }
      barrier();
      if (to > from) {
        grads.set(exchange.grads[0]!.subarray(from, to), from);
        for (let s = 1; s < shards; s++) {
          shardGrads.set(exchange.grads[s]!.subarray(from, to), from);
          core.addGradients(from, to);
        }
      }
      let lossSum = 0;
      for (let s = 0; s < shards; s++) lossSum += exchange.losses[s]!;
      const verdict = core.lossVerdict(lossSum);
      if (verdict !== 0) {
        core.refuse(verdict);
        return k;
      }
      if (normed) {
        core.sliceNorms(from, to);
        exchange.blocks.set(blocks.subarray(firstBlock, endBlock), firstBlock);
        barrier();
        blocks.set(exchange.blocks);
      }
      const coef = core.sliceCoef();
      exchange.flags[thread] = core.updateFinite(from, to, coef);
      barrier();
      if (exchange.flags.includes(0)) {
        core.refuse(2);
        return k;
      }
      core.writeUpdate(from, to, coef);
      exchange.params.set(params.subarray(from, to), from);
      exchange.bounds[2 * thread] = core.boundWeight();
      exchange.bounds[2 * thread + 1] = core.boundSum();
      barrier();
      params.set(exchange.params.subarray(0, from));
      params.set(exchange.params.subarray(to), to);
      let weight = 0, sum = 0;
      for (let i = 0; i < threads; i++) {
        weight = Math.max(weight, exchange.bounds[2 * i]!);
        sum = Math.max(sum, exchange.bounds[2 * i + 1]!);
      }
      core.setBounds(weight, sum);
      lap("gather");
      core.commit(firstShard, endShard);
      lap("exchange");
      times.iterations += 1;
      slowest = Math.max(slowest, performance.now() - start);
      setup.onSlowest?.(slowest);
    }
    return n;
  } finally {
    core.startCall(); // leaves both gradient buffers clear for the model's own train()
  }
}
