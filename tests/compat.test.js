// Checkpoints written by minrnn 0.1.0 (commit e7599ef; tests/fixtures/v0.1.0, written by
// that build from the built-in corpus's first 6,000 characters with seed 7) still load and
// resume exactly: 30 more iterations from its iteration-40 file give what its iteration-70
// file holds. Not its bytes since the config and training metadata gained fields (the
// optimizers, dropout, the schedule; Adam's step, the current rate, the validation
// record): every tensor's bytes (weights, Adagrad sums, carried state) and the training
// state 0.1.0 had (iteration, position, smooth loss, PRNG) must be exactly 0.1.0's, the
// new fields their defaults, and the vocabulary the same.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { init, CharRNN, corpus } from "minrnn";
import { readSafetensors } from "./torch-helpers.js";

await init();
const text = corpus.slice(0, 6000);
const fixture = (name) => readFileSync(new URL(`./fixtures/v0.1.0/${name}.safetensors`, import.meta.url));

for (const name of ["b1", "b3", "bytes"]) {
  test(`a 0.1.0 checkpoint (${name}) resumes bit for bit`, () => {
    const data = name === "bytes" ? { bytes: new TextEncoder().encode(text) } : { text };
    const model = CharRNN.load(fixture(`${name}-40`), data);
    assert.is(model.iteration, 40);
    model.train({ iterations: 30 });
    const ours = readSafetensors(model.save()), theirs = readSafetensors(fixture(`${name}-70`));
    assert.equal([...ours.tensors.keys()], [...theirs.tensors.keys()], "the same tensors, in order");
    const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const [tensor, { data }] of theirs.tensors) assert.ok(bytes(ours.tensors.get(tensor).data).equals(bytes(data)), `${tensor}: 0.1.0's bytes`);
    const training = JSON.parse(ours.metadata.training), old = JSON.parse(theirs.metadata.training);
    for (const key of Object.keys(old)) assert.equal(training[key], old[key], `training.${key}`);
    assert.equal({ step: training.step, learningRate: training.learningRate, validationFraction: training.validationFraction, bestValidationLoss: training.bestValidationLoss },
      { step: 0, learningRate: JSON.parse(theirs.metadata.config).learningRate, validationFraction: 0, bestValidationLoss: null });
    const config = JSON.parse(ours.metadata.config), oldConfig = JSON.parse(theirs.metadata.config);
    for (const key of Object.keys(oldConfig)) assert.equal(config[key], oldConfig[key], `config.${key}`);
    assert.is(ours.metadata.vocab, theirs.metadata.vocab);
    model.dispose();
  });
}

test.run();
