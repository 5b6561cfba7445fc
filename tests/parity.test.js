// The core against the numpy reference: every fixture in tests/fixtures (copied from
// ../shared/fixtures), with the float32 limits of its README.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN, Vocab } from "minrnn";
import { loadFixture, assertClose, assertRel } from "./helpers.js";

await init();

const LIMITS = { loss: 1e-6, grads: 5e-6, h: 1e-7, trainLoss: 1e-4, smooth: 1e-6, params: 1e-3, mem: 3e-2 };
const GRAD_TO_PARAM = { dWxh: "rnn.weight_ih_l0", dWhh: "rnn.weight_hh_l0", dbh: "rnn.bias_ih_l0", dWhy: "decoder.weight", dby: "decoder.bias" };
const PARAM_NAMES = { Wxh: "rnn.weight_ih_l0", Whh: "rnn.weight_hh_l0", bh: "rnn.bias_ih_l0", Why: "decoder.weight", by: "decoder.bias" };

function modelFor(fx) {
  const hp = fx.hyperparameters;
  const model = CharRNN.create({ text: fx.text, hidden: hp.hidden, seqLength: hp.seq_length, learningRate: hp.learning_rate, clip: hp.clip });
  const dict = { "rnn.bias_hh_l0": new Float32Array(hp.hidden) };
  for (const [k, name] of Object.entries(PARAM_NAMES)) dict[name] = fx.init[k].data;
  model.loadStateDict(dict);
  return model;
}

const tensor = (tensors, name) => tensors.find((t) => t.name === name).data;

for (const file of ["parity-small.json", "parity-unicode.json", "parity-clip.json"]) {
  const fx = loadFixture(file);
  const T = fx.hyperparameters.seq_length;

  test(`${file}: vocabulary and text length by code point`, () => {
    const vocab = Vocab.fromText(fx.text);
    assert.equal([...vocab.chars], fx.vocab);
    assert.equal(vocab.codePoints(), fx.vocab_codepoints);
    const model = modelFor(fx);
    assert.is(model.textLength, fx.text_length);
    model.dispose();
  });

  test(`${file}: first call (loss, clipped gradients, hidden states)`, () => {
    const model = modelFor(fx);
    const fc = fx.first_call;
    assertRel(model.gradients(), fc.loss, LIMITS.loss, "first-call loss");
    const grads = model.parameters("grads");
    for (const [g, name] of Object.entries(GRAD_TO_PARAM)) {
      assertClose(tensor(grads, name), fc.grads[g].data, LIMITS.grads, `first-call ${g}`);
    }
    assertClose(model.hiddenStates(), fc.hs.data, LIMITS.h, "first-call hs");
    assertClose(model.hiddenStates().subarray((T - 1) * fx.hyperparameters.hidden), fc.h_last.data, LIMITS.h, "first-call h_last");
    model.dispose();
  });

  test(`${file}: ${fx.training.iterations} iterations (loss, smooth loss, wraps, final weights and memories)`, () => {
    const model = modelFor(fx);
    const tr = fx.training;
    assert.is(model.smoothLoss, tr.initial_smooth_loss);
    const resets = [];
    for (let n = 0; n < tr.iterations; n++) {
      const before = model.position;
      const loss = model.step();
      const p = model.position - T;
      assert.is(p, tr.p[n], `p at iteration ${n}`);
      if (n === 0 || p !== before) resets.push(n);
      assertRel(loss, tr.loss[n], LIMITS.trainLoss, `loss at iteration ${n}`);
      assertRel(model.smoothLoss, tr.smooth_loss[n], LIMITS.smooth, `smooth loss at iteration ${n}`);
    }
    assert.equal(resets, tr.reset_iterations);
    assert.is(model.position, tr.final.p_next);
    const params = model.parameters();
    for (const [k, name] of Object.entries(PARAM_NAMES)) {
      assertClose(tensor(params, name), tr.final.params[k].data, LIMITS.params, `final ${k}`);
    }
    const mem = model.parameters("mem");
    for (const [k, name] of Object.entries(PARAM_NAMES)) {
      assertClose(tensor(mem, name), tr.final.mem[`m${k}`].data, LIMITS.mem, `final m${k}`);
    }
    assertClose(model.hiddenState(), tr.final.hprev.data, LIMITS.params, "final hprev");
    model.dispose();
  });
}

test.run();
