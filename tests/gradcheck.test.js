// Analytic gradients against central differences, for every cell with one and two layers
// and batch 1 and 3: the backward pass of each cell, the input side of each layer
// (a one-hot gather below, a matrix product above), the decoder, and the batch average.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN } from "minrnn";
import { stateOf, gradients, withTestHooks } from "./helpers.js";

await init();

const TEXT = "the quick brown fox jumps over the lazy dog; the end. a b c!";

for (const cell of ["rnn", "lstm", "gru"]) {
  for (const layers of [1, 2]) {
    for (const batch of [1, 3]) {
      test(`gradient check: ${cell}, ${layers} layer${layers > 1 ? "s" : ""}, batch ${batch}`, () => {
        const model = withTestHooks(() => CharRNN.create({ text: TEXT, cell, layers, hidden: 6, seqLength: 5, clip: Infinity, seed: 3, batch }));
        // The rnn keeps one bias per layer: bias_hh stays zero and is not part of its math.
        const checked = stateOf(model).parameters().filter((t) => !(cell === "rnn" && t.name.includes("bias_hh")));
        // Larger weights than the init's, so every nonlinearity bends and every gradient is sizeable.
        const gain = cell === "rnn" ? 30 : 2.5;
        for (const t of checked) {
          for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i] * gain + 0.05 * Math.sin(i + t.data.length);
        }
        model.train({ iterations: 1 }); // a carried state that is not zero
        gradients(model);
        const grads = new Map(stateOf(model).parameters("GRADS").map((t) => [t.name, t.data.slice()]));
        // float32 central differences: eps 1e-2 balances truncation (eps²) against the
        // loss's f32 rounding (~1e-7·|loss|/eps); correct gradients agree to about 1e-3
        // relative, a wrong factor or a missing term shows as O(1).
        const eps = 1e-2, limit = 5e-3;
        let count = 0;
        for (const t of checked) {
          const analytic = grads.get(t.name);
          for (let i = 0; i < t.data.length; i++) {
            const orig = t.data[i];
            t.data[i] = orig + eps; const up = gradients(model);
            t.data[i] = orig - eps; const down = gradients(model);
            t.data[i] = orig;
            const numeric = (up - down) / (2 * eps);
            const a = analytic[i];
            const rel = Math.abs(numeric - a) / Math.max(Math.abs(numeric) + Math.abs(a), 1e-2);
            assert.ok(rel <= limit, `${t.name}[${i}]: analytic ${a}, numeric ${numeric}, rel ${rel}`);
            count++;
          }
        }
        assert.ok(count > 200, `${count} gradients checked`);
        model.dispose();
      });
    }
  }
}

test.run();
