// The benchmark's own code, run small so that a change cannot break `npm run bench`
// unseen (CI does not run the benchmark itself; its figures are not asserted here).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, corpus } from "minrnn";
import { batchScaling, sampling } from "../bench/training.js";
import { kernelSuite } from "../bench/kernels.js";
import { limitSuite } from "../bench/limit.js";
import { coldStart } from "../bench/footprint.js";

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

test("bench: the limit suite measures the peak and every shape in the default build (the fused one where relaxed SIMD is here)", () => {
  const limit = limitSuite({ rounds: 1, seconds: 0.005, peers: false });
  assert.match(limit.machine, /load \d/);
  assert.ok(limit.peak["mul-add"].registers > 0 && limit.peak["mul-add"].load > 0, JSON.stringify(limit.peak));
  assert.is(limit.rows.length, 5);
  for (const r of limit.rows) assert.ok(r["mul-add"] > 0 && r.xnnpack === null, JSON.stringify(r));
});

test.run();
