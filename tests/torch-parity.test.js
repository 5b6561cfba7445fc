// minrnn against real PyTorch: the fixtures tests/reference/torch_fixtures.py wrote from
// torch 1.13 in float64 (format and tolerances in tests/fixtures/README.md). Each runs K
// iterations of minrnn's loop from torch's own float32 initial weights; minrnn must give
// every iteration's loss, the first window's gradients, the final weights, the optimizer
// state and the carried state of torch, within float32 rounding.
import { readdirSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN } from "minrnn";
import { loadFixture, maxAbsDiff, stateOf, gradients, withTestHooks } from "./helpers.js";
import { readSafetensors } from "./torch-helpers.js";

await init({ arithmetic: process.env.MINRNN_ARITHMETIC });   // tests/fma.test.js runs these under the fused build


// Limits relative to the fixture's own float32Drift: how far torch's float32 run of the
// same configuration lands from its float64 run. minrnn computes in float32 too, but sums
// in another order (SIMD lanes, the shards of a batch), so its error is of the same
// kind and size, not the same bits (0.5× to 3× torch's on the vanilla fixtures; at most
// 14× on the LSTM's carried c after 32 RMSProp steps at batch 3, whose three shards of
// one stream each sum the gradients stream by stream): DRIFT_FACTOR times torch's, and
// never less than the FLOOR of a few float32 roundings (its unit roundoff is 6e-8).
// tests/fixtures/README.md gives the figures.
const DRIFT_FACTOR = 20;
const FLOOR = { lossRel: 1e-6, gradsAbs: 1e-6, finalRel: 1e-5, slotsRel: 1e-5, stateAbs: 1e-5 };
const limit = (fx, key) => Math.max(DRIFT_FACTOR * fx.float32Drift[key], FLOOR[key]);

/** max |a − b| / max |b|: a tensor's error relative to its scale, as float32Drift measures it. */
function relToScale(actual, expected) {
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  return maxAbsDiff(actual, expected) / (scale || 1);
}

/** The fixture's first-window gradients after its clip: elementwise, or clip_grad_norm_'s. */
function clipped({ config: c, grads }) {
  if ("clip" in c) return Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, g.map((v) => Math.min(c.clip, Math.max(-c.clip, v)))]));
  const total = Math.hypot(...Object.values(grads).flat());
  const coef = Math.min(1, c.clipNorm / (total + 1e-6));
  return Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, g.map((v) => v * coef)]));
}

const files = readdirSync(new URL("./fixtures/", import.meta.url)).filter((f) => /^torch-.*\.json$/.test(f)).sort();

test("the PyTorch fixtures cover every cell, 1 and 2 layers, batch 1 and 3, and each optimizer with both clips", () => {
  const seen = new Set(files.map((f) => loadFixture(f).config).map((c) => `${c.cell} ${c.layers} ${c.batch} ${c.optimizer} ${"clip" in c ? "clip" : "norm"}`));
  for (const cell of ["rnn", "lstm", "gru"]) {
    for (const layers of [1, 2]) for (const batch of [1, 3]) assert.ok(seen.has(`${cell} ${layers} ${batch} adagrad clip`), `${cell} ${layers} ${batch}`);
    for (const opt of ["adam", "rmsprop"]) for (const clip of ["clip", "norm"]) {
      assert.ok([...seen].some((s) => s.startsWith(`${cell} `) && s.endsWith(`${opt} ${clip}`)), `${cell} ${opt} ${clip}`);
    }
  }
});

for (const file of files) {
  const fx = loadFixture(file);
  const c = fx.config;

  // Everything the fixture's config says.
  const make = () => {
    const hyper = c.optimizer === "adam" ? { betas: c.betas, eps: c.eps } : c.optimizer === "rmsprop" ? { alpha: c.alpha, eps: c.eps } : {};
    const clip = "clip" in c ? { clip: c.clip } : { clip: Infinity, clipNorm: c.clipNorm };
    const model = withTestHooks(() => CharRNN.create({ text: fx.text, cell: c.cell, layers: c.layers, hidden: c.hidden, seqLength: c.seqLength, batch: c.batch, optimizer: c.optimizer, learningRate: c.learningRate, ...clip, ...hyper }));
    model.loadStateDict(fx.initial);
    return model;
  };

  test(`${file}: vocabulary, and torch's float32 initial weights load exactly`, () => {
    const model = make();
    assert.equal(model.vocab.codePoints(), fx.vocab);
    for (const [name, values] of Object.entries(model.stateDict())) {
      assert.equal([...values], fx.initial[name].map(Math.fround), name);
    }
    model.dispose();
  });

  test(`${file}: the first window's gradients, clipped as minrnn clips them`, () => {
    const model = make();
    gradients(model);
    for (const t of stateOf(model).parameters("GRADS")) {
      const expected = clipped(fx)[t.name];
      const d = maxAbsDiff(t.data, expected);
      assert.ok(d <= limit(fx, "gradsAbs"), `${t.name}: max abs diff ${d.toExponential(2)} exceeds ${limit(fx, "gradsAbs").toExponential(2)}`);
    }
    model.dispose();
  });

  test(`${file}: ${c.iterations} iterations (losses, windows, final weights, optimizer state, carried state)`, () => {
    const model = make();
    for (let n = 0; n < c.iterations; n++) {
      const loss = model.step();
      assert.is(model.position - c.seqLength, fx.positions[n], `window start at iteration ${n}`);
      const r = Math.abs(loss - fx.losses[n]) / Math.abs(fx.losses[n]);
      assert.ok(r <= limit(fx, "lossRel"), `loss at iteration ${n}: ${loss} vs torch ${fx.losses[n]}, rel diff ${r.toExponential(2)} exceeds ${limit(fx, "lossRel").toExponential(2)}`);
    }
    const check = (what, actual, expected, key, measure) => {
      const d = measure(actual, expected);
      assert.ok(d <= limit(fx, key), `${what}: ${d.toExponential(2)} exceeds ${limit(fx, key).toExponential(2)}`);
    };
    for (const [name, values] of Object.entries(model.stateDict())) check(`final ${name}`, values, fx.final[name], "finalRel", relToScale);
    // The optimizer and carried state as the checkpoint names them.
    const { tensors, metadata } = readSafetensors(model.save());
    for (const [name, values] of Object.entries(fx.slots)) check(name, tensors.get(name).data, values, "slotsRel", relToScale);
    for (const [name, values] of Object.entries(fx.state)) check(name, tensors.get(name).data, values, "stateAbs", maxAbsDiff);
    if ("step" in fx) assert.is(JSON.parse(metadata.training).step, fx.step, "Adam's step count");
    model.dispose();
  });
}

test.run();
