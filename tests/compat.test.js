// Checkpoints written by minrnn 0.1.0 (commit e7599ef; tests/fixtures/v0.1.0, written by
// that build from the built-in corpus's first 6,000 characters with seed 7) still load and
// resume: loaded, every tensor is the file's; 30 more iterations from its iteration-40
// file give the pinned digests below, within float32 rounding of what its iteration-70
// file holds. Not 0.1.0's bytes: the decoder's W·h over a window (four vectors or more)
// now runs on packed register tiles that sum the hidden units in order, where 0.1.0 summed
// four lanes apart and then across (assembly/simd.ts), so the last bits of the logits
// move, and with them every later byte. The config and training metadata gained fields
// since (the optimizers, dropout, the schedule; Adam's step, the current rate, the
// validation record): the training state 0.1.0 had (iteration, position, PRNG) must be
// exactly 0.1.0's, its smooth loss within rounding, the new fields their defaults, and
// the vocabulary the same.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { init, CharRNN, corpus } from "minrnn";
import { readSafetensors } from "./torch-helpers.js";

await init();
const text = corpus.slice(0, 6000);
const fixture = (name) => readFileSync(new URL(`./fixtures/v0.1.0/${name}.safetensors`, import.meta.url));

/** sha256 of every tensor's bytes, in the file's order, after 30 iterations from the iteration-40 file (this build's kernels). */
const RESUMED = {
  b1: "f9fe88513ce941c7",
  b3: "9bff52d7779fd92f",
  bytes: "9711b728ff5dc1db",
};

const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

for (const name of ["b1", "b3", "bytes"]) {
  test(`a 0.1.0 checkpoint (${name}) loads exactly and resumes to the pinned bytes, within rounding of 0.1.0's own run`, () => {
    const data = name === "bytes" ? { bytes: new TextEncoder().encode(text) } : { text };
    const model = CharRNN.load(fixture(`${name}-40`), data);
    assert.is(model.iteration, 40);
    const loaded = readSafetensors(model.save()), start = readSafetensors(fixture(`${name}-40`));
    for (const [tensor, { data }] of start.tensors) assert.ok(bytes(loaded.tensors.get(tensor).data).equals(bytes(data)), `${tensor}: the file's bytes once loaded`);
    model.train({ iterations: 30 });
    const ours = readSafetensors(model.save()), theirs = readSafetensors(fixture(`${name}-70`));
    assert.equal([...ours.tensors.keys()], [...theirs.tensors.keys()], "the same tensors, in order");
    const digest = createHash("sha256");
    for (const [tensor, { data }] of theirs.tensors) {
      const mine = ours.tensors.get(tensor).data;
      digest.update(bytes(mine));
      for (let i = 0; i < data.length; i++) {
        assert.ok(Math.abs(mine[i] - data[i]) <= 1e-4 * (Math.abs(data[i]) + 1e-3), `${tensor}[${i}]: ${mine[i]} vs 0.1.0's ${data[i]}`);
      }
    }
    assert.is(digest.digest("hex").slice(0, 16), RESUMED[name], "the pinned digest of this build's resumed run");
    const training = JSON.parse(ours.metadata.training), old = JSON.parse(theirs.metadata.training);
    for (const key of Object.keys(old)) {
      if (key === "smoothLoss") assert.ok(Math.abs(training[key] - old[key]) <= 1e-7 * old[key], `training.smoothLoss ${training[key]} vs ${old[key]}`);
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
