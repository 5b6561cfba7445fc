// The benchmark's own code, run small so that a change cannot break `npm run bench`
// unseen (CI does not run the benchmark itself; its figures are not asserted here).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init } from "minrnn";
import { corpus } from "minrnn/corpus";
import { batchScaling, sampling } from "../bench/training.js";
import { kernelSuite } from "../bench/kernels.js";
import { limitSuite } from "../bench/limit.js";
import { coldStart } from "../bench/footprint.js";
import { threadSplit, threadTable, project } from "../bench/threads.js";

await init();

test("bench: batch scaling on one and two threads, sampling, the kernel suite and the cold-start probe run", async () => {
  const scaling = await batchScaling({ text: corpus, runs: [{ batch: 1, threads: 1 }, { batch: 4, threads: 2 }], rounds: 1, charsPerRound: 500 });
  assert.equal(Object.keys(scaling), ["1", "4, 2 threads"]);
  for (const r of Object.values(scaling)) assert.ok(r.median > 0, JSON.stringify(r));
  assert.ok(sampling({ text: corpus, rounds: 1, length: 500 }).median > 0);
  const kernels = await kernelSuite({ time: 5, reps: 1 });
  assert.ok(kernels.length >= 11 && kernels.every((k) => k.simd > 0 && k.scalar > 0), JSON.stringify(kernels));
  const cold = coldStart(1, 1000);
  assert.is(cold.chars, 1000);
  assert.ok(cold.coldStartMs > 0);
});

test("bench: the threads' split runs, and the projection follows its formula", async () => {
  const rows = await threadSplit({ text: corpus, rounds: 1, charsPerRound: 1 });
  assert.equal(rows.map((r) => r.cell), ["lstm", "gru"]);
  for (const { measured } of rows) assert.ok(measured.one > 0 && measured.compute > 0 && measured.exchange > 0 && measured.waiting >= 0, JSON.stringify(measured));
  assert.equal(Object.keys(threadTable(rows)).length, 10);
  // One thread at 100 ms, exchange 1% and gather 0.1% of compute, 1 ms of waiting: 8 threads
  // take 100·(1.01/8 + 0.001·7/8) + 1 = 13.7125 ms.
  const p = project({ one: 100, compute: 50, exchange: 0.5, gather: 0.05, leastWaiting: 1 }, 1600);
  assert.ok(Math.abs(p[8].ms - 13.7125) < 1e-9, String(p[8].ms));
  assert.ok(Math.abs(p[8].speedup - 100 / 13.7125) < 1e-9);
});

test("bench: the limit suite measures the peak and every shape in the default build (the fused one where relaxed SIMD is here)", () => {
  const limit = limitSuite({ rounds: 1, seconds: 0.005, peers: false });
  assert.match(limit.machine, /load \d/);
  assert.ok(limit.peak["mul-add"].registers > 0 && limit.peak["mul-add"].load > 0, JSON.stringify(limit.peak));
  assert.is(limit.rows.length, 5);
  for (const r of limit.rows) assert.ok(r["mul-add"] > 0 && r.xnnpack === null, JSON.stringify(r));
});

test.run();
