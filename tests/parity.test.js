// The core, and the benchmark's plain port, against the numpy reference: every fixture
// in tests/fixtures (copied from ../shared/fixtures), with the float32 limits of its README.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN } from "minrnn";
import { PlainCharRNN, encode } from "../build/bench/plain.js";
import { loadFixture, assertClose, assertRel, stateOf, gradients, hiddenStates, withTestHooks } from "./helpers.js";

await init({ arithmetic: process.env.MINRNN_ARITHMETIC });   // tests/fma.test.js runs these under the fused build

const LIMITS = { loss: 1e-6, grads: 5e-6, h: 1e-7, trainLoss: 1e-4, smooth: 1e-6, params: 1e-3, mem: 3e-2 };
const GRAD_TO_PARAM = { dWxh: "rnn.weight_ih_l0", dWhh: "rnn.weight_hh_l0", dbh: "rnn.bias_ih_l0", dWhy: "decoder.weight", dby: "decoder.bias" };
const PARAM_NAMES = { Wxh: "rnn.weight_ih_l0", Whh: "rnn.weight_hh_l0", bh: "rnn.bias_ih_l0", Why: "decoder.weight", by: "decoder.bias" };

const GRAD_NAMES = Object.keys(GRAD_TO_PARAM);
const WEIGHT_NAMES = Object.keys(PARAM_NAMES);
const tensor = (tensors, name) => tensors.find((t) => t.name === name).data;

// Each implementation behind one interface, so the same checks hold both to the fixtures:
// minrnn, and the plain TypeScript port the benchmark measures against (its baseline must
// be the same math for the ratios to mean anything).
const IMPLEMENTATIONS = {
  minrnn(fx) {
    const hp = fx.hyperparameters;
    const model = withTestHooks(() => CharRNN.create({ text: fx.text, hidden: hp.hidden, seqLength: hp.seq_length, learningRate: hp.learning_rate, clip: hp.clip }));
    const dict = { "rnn.bias_hh_l0": new Float32Array(hp.hidden) };
    for (const [k, name] of Object.entries(PARAM_NAMES)) dict[name] = fx.init[k].data;
    model.loadStateDict(dict);
    const byName = (tensors, names, prefix = "") => Object.fromEntries(names.map((k) => [prefix + k, tensor(tensors, PARAM_NAMES[k] ?? GRAD_TO_PARAM[k])]));
    return {
      vocab: () => ({ chars: [...model.vocab.chars], codePoints: model.vocab.codePoints(), length: model.textLength }),
      firstCall: () => ({ loss: gradients(model), grads: byName(stateOf(model).parameters("GRADS"), GRAD_NAMES), hs: hiddenStates(model) }),
      step: () => model.step(),
      smoothLoss: () => model.smoothLoss,
      position: () => model.position,
      params: () => byName(stateOf(model).parameters(), WEIGHT_NAMES),
      mem: () => byName(stateOf(model).optimizerState().map((t) => ({ ...t, name: t.name.replace(/^optim\.(.*)\.sum$/, "$1") })), WEIGHT_NAMES, "m"),
      hprev: () => stateOf(model).carriedState()[0].data,
      dispose: () => model.dispose(),
    };
  },
  "plain port"(fx) {
    const hp = fx.hyperparameters;
    const { vocab, indices } = encode(fx.text);
    const m = new PlainCharRNN({ indices, vocabSize: vocab.length, hidden: hp.hidden, seqLength: hp.seq_length, learningRate: hp.learning_rate });
    m.loadInit(Object.fromEntries(WEIGHT_NAMES.map((k) => [k, fx.init[k].data])));
    const pick = (names, prefix = "") => Object.fromEntries(names.map((k) => [prefix + k, m[prefix + k]]));
    return {
      vocab: () => ({ chars: vocab, codePoints: vocab.map((ch) => ch.codePointAt(0)), length: indices.length }),
      firstCall: () => ({ loss: m.lossFun(0), grads: pick(GRAD_NAMES), hs: m.hs.subarray(hp.hidden) }),
      step: () => m.step(),
      smoothLoss: () => m.smoothLoss,
      position: () => m.position,
      params: () => pick(WEIGHT_NAMES),
      mem: () => pick(WEIGHT_NAMES, "m"),
      hprev: () => m.hprev,
      dispose: () => {},
    };
  },
};

for (const file of ["parity-small.json", "parity-unicode.json", "parity-clip.json"]) {
  const fx = loadFixture(file);
  const T = fx.hyperparameters.seq_length;

  for (const [name, make] of Object.entries(IMPLEMENTATIONS)) {
    test(`${name}, ${file}: vocabulary and text length by code point`, () => {
      const impl = make(fx);
      const v = impl.vocab();
      assert.equal(v.chars, fx.vocab);
      assert.equal(v.codePoints, fx.vocab_codepoints);
      assert.is(v.length, fx.text_length);
      impl.dispose();
    });

    test(`${name}, ${file}: first call (loss, clipped gradients, hidden states)`, () => {
      const impl = make(fx);
      const fc = fx.first_call;
      const { loss, grads, hs } = impl.firstCall();
      assertRel(loss, fc.loss, LIMITS.loss, "first-call loss");
      for (const g of GRAD_NAMES) assertClose(grads[g], fc.grads[g].data, LIMITS.grads, `first-call ${g}`);
      assertClose(hs, fc.hs.data, LIMITS.h, "first-call hs");
      assertClose(hs.subarray((T - 1) * fx.hyperparameters.hidden), fc.h_last.data, LIMITS.h, "first-call h_last");
      impl.dispose();
    });

    test(`${name}, ${file}: ${fx.training.iterations} iterations (loss, smooth loss, wraps, final weights and memories)`, () => {
      const impl = make(fx);
      const tr = fx.training;
      assert.is(impl.smoothLoss(), tr.initial_smooth_loss);
      const resets = [];
      for (let n = 0; n < tr.iterations; n++) {
        const before = impl.position();
        const loss = impl.step();
        const p = impl.position() - T;
        assert.is(p, tr.p[n], `p at iteration ${n}`);
        if (n === 0 || p !== before) resets.push(n);
        assertRel(loss, tr.loss[n], LIMITS.trainLoss, `loss at iteration ${n}`);
        assertRel(impl.smoothLoss(), tr.smooth_loss[n], LIMITS.smooth, `smooth loss at iteration ${n}`);
      }
      assert.equal(resets, tr.reset_iterations);
      assert.is(impl.position(), tr.final.p_next);
      const params = impl.params(), mem = impl.mem();
      for (const k of WEIGHT_NAMES) {
        assertClose(params[k], tr.final.params[k].data, LIMITS.params, `final ${k}`);
        assertClose(mem[`m${k}`], tr.final.mem[`m${k}`].data, LIMITS.mem, `final m${k}`);
      }
      assertClose(impl.hprev(), tr.final.hprev.data, LIMITS.params, "final hprev");
      impl.dispose();
    });
  }
}

test.run();
