// Threads: where an iteration's time goes on one and two threads, and what that projects
// for 4, 8 and 16 cores. The recipe of the quality race (2 layers of 128, batch 32, T 50,
// Adam 2e-3, clip-norm 5, dropout 0.1) for the LSTM and the GRU; one thread is
// model.train() alone, two are startThreads' calling thread and one worker, in
// interleaved rounds. The calling thread's split per iteration (ThreadedTrainer.timing):
//   compute   its shards' forward and backward passes        → C/N over N threads
//   exchange  publishing, folding, the norm, proof, update    → on 1/N of the parameters each
//   gather    copying the other slices of the weights back    → (N − 1)/N of the parameters
//   waiting   at the four barriers                            (the least seen in a round)
// The projection for N threads, per iteration, takes one thread's measured time t1 as the
// compute of every shard, and the two-thread split as ratios to its own compute
// (x = exchange/compute, g = gather/compute: a busy machine slows a thread's phases
// alike, so the ratios hold where the times do not):
//   t(N) = t1·((1 + x)/N + g·(N − 1)/N) + waiting
// It assumes N free cores with the memory bandwidth of these two and shards that divide
// evenly (16 shards at batch 32), and that a barrier costs on N cores what it costs on
// two; it is a model, printed as such beside what was measured.
import { CharRNN } from "minrnn";
import { startThreads } from "minrnn/threads";
import { median } from "./stats.js";

export const RECIPE = { layers: 2, hidden: 128, seqLength: 50, batch: 32, optimizer: "adam", learningRate: 2e-3, clipNorm: 5, dropout: 0.1 };
export const PROJECTED = [4, 8, 16];

/** Interleaved rounds of one and two threads per cell; returns rows per cell with the split and the projection. */
export async function threadSplit({ text, rounds, charsPerRound }) {
  const chars = RECIPE.batch * RECIPE.seqLength;
  const iters = Math.max(2, Math.round(charsPerRound / chars));
  const rows = [];
  for (const cell of ["lstm", "gru"]) {
    const one = CharRNN.create({ text, cell, ...RECIPE, seed: 42 });
    const two = CharRNN.create({ text, cell, ...RECIPE, seed: 42 });
    const trainer = await startThreads(two, { threads: 2 });
    one.train({ iterations: 2 }); trainer.train({ iterations: 2 }); // warm-up
    const single = [], split = [];
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      one.train({ iterations: iters, progressEvery: iters });
      single.push((performance.now() - t) / iters);
      trainer.resetTiming();
      t = performance.now();
      trainer.train({ iterations: iters, progressEvery: iters });
      const wall = (performance.now() - t) / iters;
      const times = trainer.timing();
      split.push({ wall, compute: times.compute / iters, exchange: times.exchange / iters, gather: times.gather / iters, waiting: times.waiting / iters });
    }
    await trainer.close();
    one.dispose(); two.dispose();
    const m = (key) => median(split.map((s) => s[key]));
    const measured = { one: median(single), two: m("wall"), compute: m("compute"), exchange: m("exchange"), gather: m("gather"), waiting: m("waiting"),
      leastWaiting: Math.min(...split.map((s) => s.waiting)) };
    rows.push({ cell, chars, measured, projected: project(measured, chars) });
  }
  return rows;
}

/** t(N) from one thread's time and the two-thread split (see the top of this file): ms per iteration, chars/s, × one thread. */
export function project(m, chars) {
  const x = m.exchange / m.compute, g = m.gather / m.compute;
  return Object.fromEntries(PROJECTED.map((n) => {
    const ms = m.one * ((1 + x) / n + (g * (n - 1)) / n) + m.leastWaiting;
    return [n, { ms, charsPerSec: (chars * 1000) / ms, speedup: m.one / ms }];
  }));
}

/** The table: threads → chars/s, measured for 1 and 2, projected for 4, 8 and 16, with the split. */
export function threadTable(rows) {
  const out = {};
  for (const { cell, chars, measured: m, projected } of rows) {
    const rate = (ms) => Math.round((chars * 1000) / ms);
    out[`${cell}, 1 thread`] = { "chars/s": rate(m.one), "× 1": 1, "ms/iter": +m.one.toFixed(2), compute: "", exchange: "", gather: "", waiting: "", how: "measured" };
    out[`${cell}, 2 threads`] = {
      "chars/s": rate(m.two), "× 1": +(m.one / m.two).toFixed(2), "ms/iter": +m.two.toFixed(2),
      compute: +m.compute.toFixed(2), exchange: +m.exchange.toFixed(3), gather: +m.gather.toFixed(3), waiting: +m.waiting.toFixed(3), how: "measured",
    };
    for (const [n, p] of Object.entries(projected)) {
      out[`${cell}, ${n} threads`] = { "chars/s": Math.round(p.charsPerSec), "× 1": +p.speedup.toFixed(2), "ms/iter": +p.ms.toFixed(2), compute: "", exchange: "", gather: "", waiting: "", how: "projected" };
    }
  }
  return out;
}
