// Checkpoints written by minrnn 0.1.0 (commit e7599ef; tests/fixtures/v0.1.0, written by
// that build from the built-in corpus's first 6,000 characters with seed 7) still load and
// resume exactly: 30 more iterations from its iteration-40 file give what its iteration-70
// file holds. Not its bytes since the config and training metadata gained fields (the
// optimizers, dropout, the schedule; Adam's step, the current rate, the validation
// record): every tensor's bytes (weights, Adagrad sums, carried state) and the training
// state 0.1.0 had (iteration, position, smooth loss, PRNG) must be exactly 0.1.0's, the
// new fields their defaults, and the vocabulary the same. Batch 3 is the exception: its
// streams form three shards now where 0.1.0 had two (docs/architecture.md, Shards), so its
// gradients are summed in another order, and its tensors and smooth loss are 0.1.0's
// within float32 rounding instead of to the bit (the iteration, position and PRNG exactly).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";
import { readSafetensors } from "./torch-helpers.js";
import { maxAbsDiff } from "./helpers.js";

await init();
const text = corpus.slice(0, 6000);
const fixture = (name) => readFileSync(new URL(`./fixtures/v0.1.0/${name}.safetensors`, import.meta.url));

/** max |a − b| / max |b|. */
const relToScale = (a, b) => maxAbsDiff(a, b) / (b.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1);

for (const name of ["b1", "b3", "bytes"]) {
  test(`a 0.1.0 checkpoint (${name}) resumes ${name === "b3" ? "within float32 rounding (three shards now)" : "bit for bit"}`, () => {
    const data = name === "bytes" ? { bytes: new TextEncoder().encode(text) } : { text };
    const model = CharRNN.load(fixture(`${name}-40`), data);
    assert.is(model.iteration, 40);
    model.train({ iterations: 30 });
    const ours = readSafetensors(model.save()), theirs = readSafetensors(fixture(`${name}-70`));
    assert.equal([...ours.tensors.keys()], [...theirs.tensors.keys()], "the same tensors, in order");
    const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const resharded = name === "b3";
    for (const [tensor, { data }] of theirs.tensors) {
      const mine = ours.tensors.get(tensor).data;
      if (!resharded) assert.ok(bytes(mine).equals(bytes(data)), `${tensor}: 0.1.0's bytes`);
      else assert.ok(relToScale(mine, data) <= 1e-5, `${tensor}: ${relToScale(mine, data)} from 0.1.0's, relative to its scale`);
    }
    const training = JSON.parse(ours.metadata.training), old = JSON.parse(theirs.metadata.training);
    for (const key of Object.keys(old)) {
      if (resharded && key === "smoothLoss") assert.ok(Math.abs(training[key] - old[key]) <= 1e-9 * old[key], `training.${key}`);
      else assert.equal(training[key], old[key], `training.${key}`);
    }
    assert.equal({ step: training.step, learningRate: training.learningRate, validationFraction: training.validationFraction, bestValidationLoss: training.bestValidationLoss },
      { step: 0, learningRate: JSON.parse(theirs.metadata.config).learningRate, validationFraction: 0, bestValidationLoss: null });
    const config = JSON.parse(ours.metadata.config), oldConfig = JSON.parse(theirs.metadata.config);
    for (const key of Object.keys(oldConfig)) assert.equal(config[key], oldConfig[key], `config.${key}`);
    assert.is(ours.metadata.vocab, theirs.metadata.vocab);
    model.dispose();
  });
}

test.run();
