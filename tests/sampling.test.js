// Sampling streams: each unseeded stream takes a fresh seed from the model's PRNG when it
// starts, so streams open at once never draw the same numbers; a seeded one is the same
// wherever it runs and leaves the model's PRNG alone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN, corpus } from "minrnn";
import { stateOf } from "./helpers.js";

await init();

const trained = () => {
  const model = CharRNN.create({ text: corpus, hidden: 32, seed: 5 });
  model.train({ iterations: 200 });
  return model;
};

test("two unseeded streams open at once draw different characters; each start advances the model's PRNG", () => {
  const model = trained();
  const rng = () => stateOf(model).trainingState().rng.join();
  const before = rng();
  const a = model.sampleStream({ length: 400 }), b = model.sampleStream({ length: 400 });
  let sa = "", sb = "";
  for (let i = 0; i < 400; i++) { sa += a.next().value; sb += b.next().value; }
  assert.is.not(sa, sb, "interleaved unseeded streams drew the same text");
  let shared = 0;
  for (let i = 0; i + 40 <= sa.length; i++) if (sb.includes(sa.slice(i, i + 40))) shared++;
  assert.is(shared, 0, "forty-character windows in common");
  assert.is.not(rng(), before, "the model's PRNG advanced");
  model.dispose();
});

test("unseeded samples are still reproducible from the same model state, and a seeded one does not touch the PRNG", () => {
  const a = trained(), b = trained();
  assert.is(a.sample({ length: 80 }), b.sample({ length: 80 }));
  assert.is.not(a.sample({ length: 80 }), a.sample({ length: 80 }), "the next unseeded sample differs");
  const rng = stateOf(a).trainingState().rng.join();
  assert.is(a.sample({ length: 80, seed: 9 }), b.sample({ length: 80, seed: 9 }));
  assert.is(stateOf(a).trainingState().rng.join(), rng);
  a.dispose();
  b.dispose();
});

test.run();
