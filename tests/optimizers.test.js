// The training recipe past min-char-rnn: the optimizers, the options' checks, Adam's exact
// resume, dropout (a gradient check with one fixed mask, the mask's rate and
// independence, two threads giving one thread's bytes), char-rnn's rate decay, and
// checkpoints that store every new field while 0.1.0's, which lack them, still load.
// Adam's and RMSProp's numbers against torch are tests/torch-parity.test.js's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN, MinrnnError, corpus } from "minrnn";
import { startThreads } from "minrnn/threads";
import { stateOf, gradients, withTestHooks } from "./helpers.js";

await init();

const TEXT = corpus.slice(0, 3000);
const LSTM = { text: TEXT, cell: "lstm", layers: 2, hidden: 12, seqLength: 10, batch: 4, seed: 5 };

function throws(fn, code, pattern) {
  try {
    fn();
  } catch (e) {
    assert.instance(e, MinrnnError);
    assert.is(e.code, code, e.message);
    assert.match(e.message, pattern);
    return;
  }
  assert.unreachable(`expected ${pattern}`);
}

const hex = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

test("every option's bad values get a clear error that says what is accepted", () => {
  const bad = [
    [{ optimizer: "sgd" }, /optimizer must be "adagrad" or "adam" or "rmsprop", got "sgd"/],
    [{ alpha: 1.5 }, /alpha must be a number with 0 ≤ alpha < 1 \(char-rnn's 0\.95, torch's 0\.99\), got 1\.5/],
    [{ alpha: -0.1 }, /alpha must be/],
    [{ alpha: NaN }, /alpha must be .* got NaN/],
    [{ betas: [1, 0.999] }, /betas\[0\] \(beta1\) must be a number with 0 ≤ beta1 < 1/],
    [{ betas: [0.9, -0.1] }, /betas\[1\] \(beta2\) must be a number with 0 ≤ beta2 < 1/],
    [{ betas: [0.9] }, /betas must be two numbers \[beta1, beta2\].*got 1 values/],
    [{ betas: 0.9 }, /betas must be two numbers/],
    [{ eps: -1e-8 }, /eps must be a positive finite number, got -1e-8/],
    [{ eps: 0 }, /eps must be a positive finite number, got 0/],
    [{ clipNorm: 0 }, /clipNorm must be a positive number \(or Infinity\), got 0/],
    [{ dropout: 1 }, /dropout must be a number with 0 ≤ dropout < 1/],
    [{ dropout: -0.5 }, /dropout must be/],
    [{ lrDecay: 0 }, /lrDecay must be a number with 0 < lrDecay ≤ 1/],
    [{ lrDecay: 1.01 }, /lrDecay must be/],
    [{ lrDecayAfter: -1 }, /lrDecayAfter must be an integer from 0/],
    [{ lrDecayAfter: 1.5 }, /lrDecayAfter must be an integer/],
  ];
  for (const [options, pattern] of bad) throws(() => CharRNN.create({ text: TEXT, ...options }), "INVALID_ARGUMENT", pattern);
});

test("defaults: lr 0.1 for adagrad, 2e-3 for adam and rmsprop; alpha 0.95, betas 0.9/0.999, eps 1e-8; no norm clip, dropout or decay", () => {
  const rates = { adagrad: 0.1, adam: 2e-3, rmsprop: 2e-3 };
  for (const optimizer of Object.keys(rates)) {
    const model = CharRNN.create({ text: TEXT, optimizer });
    const c = model.config;
    assert.equal([c.learningRate, c.alpha, c.betas, c.eps, c.clipNorm, c.dropout, c.lrDecay, c.lrDecayAfter], [rates[optimizer], 0.95, [0.9, 0.999], 1e-8, Infinity, 0, 1, 10]);
    assert.is(model.learningRate, rates[optimizer]);
    model.dispose();
  }
});

for (const optimizer of ["adam", "rmsprop"]) {
  test(`${optimizer} with dropout, clipNorm and a decaying rate: a checkpoint resumes bit for bit`, () => {
    const options = { ...LSTM, optimizer, dropout: 0.3, clipNorm: 1, lrDecay: 0.5, lrDecayAfter: 1 };
    const straight = CharRNN.create(options);
    straight.train({ iterations: 150 });
    const first = CharRNN.create(options);
    first.train({ iterations: 70 });
    const resumed = CharRNN.load(first.save(), { text: TEXT });
    resumed.train({ iterations: 80 });
    assert.is(hex(resumed.save()), hex(straight.save()));
    const training = JSON.parse(new TextDecoder().decode(straight.save().subarray(8, 8 + Number(new DataView(straight.save().buffer).getBigUint64(0, true))))).__metadata__.training;
    const t = JSON.parse(training);
    assert.is(t.step, optimizer === "adam" ? 150 : 0, "Adam's step: one per update");
    assert.ok(t.learningRate < 2e-3, `the rate decayed: ${t.learningRate}`);
    for (const m of [straight, first, resumed]) m.dispose();
  });
}

test("char-rnn's schedule: × lrDecay at the end of each epoch from lrDecayAfter on", () => {
  // slice 3000/4 = 750, T 10: an epoch is the iterations until p + 11 ≥ 750, i.e. 74.
  const model = CharRNN.create({ ...LSTM, optimizer: "adam", lrDecay: 0.5, lrDecayAfter: 2 });
  const rates = [];
  for (let i = 0; i < 4 * 74; i++) {
    model.step();
    rates.push(model.learningRate);
  }
  const f = Math.fround;
  assert.is(rates[73], 2e-3, "epoch 1 ends: not yet");
  assert.is(rates[147], f(f(2e-3) * f(0.5)), "epoch 2 ends: the first decay");
  assert.is(rates[146], 2e-3);
  assert.is(rates[221], f(f(f(2e-3) * f(0.5)) * f(0.5)), "epoch 3 ends: the second");
  model.dispose();
});

test("dropout: the gradient check with one fixed mask, for every cell and 1 and 2 layers", () => {
  for (const cell of ["rnn", "lstm", "gru"]) {
    for (const layers of [1, 2]) {
      const model = withTestHooks(() => CharRNN.create({ text: TEXT.slice(0, 200), cell, layers, hidden: 6, seqLength: 5, clip: Infinity, seed: 3, batch: 3, dropout: 0.4 }));
      const core = stateOf(model).live().core;
      const checked = stateOf(model).parameters().filter((t) => !(cell === "rnn" && t.name.includes("bias_hh")));
      const gain = cell === "rnn" ? 30 : 2.5;
      for (const t of checked) for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i] * gain + 0.05 * Math.sin(i + t.data.length);
      model.train({ iterations: 1 });
      gradients(model);                     // draws this window's masks
      core.freezeMasks(1);
      gradients(model);
      const grads = new Map(stateOf(model).parameters("GRADS").map((t) => [t.name, t.data.slice()]));
      const eps = 1e-2, limit = 5e-3;
      let count = 0, dropped = 0;
      const mask = new Float32Array(core.memory.buffer, core.maskPtr(0), 3 * 5 * core.stateStride());
      for (const v of mask) dropped += v === 0 ? 1 : 0;
      assert.ok(dropped > 0, "some units are dropped");
      for (const t of checked) {
        const analytic = grads.get(t.name);
        for (let i = 0; i < t.data.length; i += 3) {
          const orig = t.data[i];
          t.data[i] = orig + eps; const up = gradients(model);
          t.data[i] = orig - eps; const down = gradients(model);
          t.data[i] = orig;
          const numeric = (up - down) / (2 * eps), a = analytic[i];
          const rel = Math.abs(numeric - a) / Math.max(Math.abs(numeric) + Math.abs(a), 1e-2);
          assert.ok(rel <= limit, `${cell} ${layers}: ${t.name}[${i}]: analytic ${a}, numeric ${numeric}`);
          count++;
        }
      }
      assert.ok(count > 50);
      core.freezeMasks(0);
      model.dispose();
    }
  }
});

test("dropout's mask: the rate p, the scale 1/(1−p), and new independent draws each iteration", () => {
  const p = 0.3;
  const model = withTestHooks(() => CharRNN.create({ text: corpus, cell: "lstm", hidden: 64, seqLength: 25, batch: 8, dropout: p, optimizer: "adam", seed: 9 }));
  const core = stateOf(model).live().core;
  const HP = core.stateStride(), n = 8 * 25 * HP;
  const masks = [];
  for (let i = 0; i < 20; i++) {
    model.step();
    masks.push(new Float32Array(core.memory.buffer, core.maskPtr(0), n).slice());
  }
  const scale = Math.fround(1 / (1 - p));
  let kept = 0, total = 0, both = 0, pairs = 0;
  for (const [k, m] of masks.entries()) {
    for (let i = 0; i < n; i++) {
      assert.ok(m[i] === 0 || m[i] === scale, `mask value ${m[i]}`);
      kept += m[i] !== 0; total++;
      if (k > 0) { both += m[i] !== 0 && masks[k - 1][i] !== 0; pairs++; }
    }
  }
  const rate = 1 - kept / total, sd = Math.sqrt(p * (1 - p) / total);
  assert.ok(Math.abs(rate - p) < 5 * sd, `drop rate ${rate} vs ${p} (±${(5 * sd).toExponential(1)})`);
  // Independent across iterations: a unit kept in one iteration is kept in the next with probability 1 − p.
  const keepBoth = both / pairs, expected = (1 - p) ** 2, sd2 = Math.sqrt(expected * (1 - expected) / pairs);
  assert.ok(Math.abs(keepBoth - expected) < 5 * sd2, `kept twice in a row ${keepBoth} vs ${expected}`);
  model.dispose();
});

test("dropout never applies in validation or sampling: the same weights give the same loss and text with and without it", () => {
  const withDrop = CharRNN.create({ ...LSTM, dropout: 0.5, validation: TEXT.slice(0, 500) });
  withDrop.train({ iterations: 30 });
  const without = CharRNN.create({ ...LSTM, validation: TEXT.slice(0, 500) });
  without.loadStateDict(withDrop.stateDict());
  assert.is(withDrop.validationLoss(), without.validationLoss());
  assert.is(withDrop.sample({ length: 100, seed: 3, zeroState: true }), without.sample({ length: 100, seed: 3, zeroState: true }));
  withDrop.dispose(); without.dispose();
});

test("dropout on two threads gives one thread's bytes (both instances draw every stream's masks)", async () => {
  const options = { ...LSTM, optimizer: "adam", dropout: 0.3, batch: 6 };
  const one = CharRNN.create(options), two = CharRNN.create(options);
  const trainer = await startThreads(two);
  one.train({ iterations: 25 });
  trainer.train({ iterations: 25 });
  // Samples draw from the PRNG between calls, on the main thread only: the worker takes the state each call.
  assert.is(two.sample({ length: 20 }), one.sample({ length: 20 }));
  one.train({ iterations: 35 });
  trainer.train({ iterations: 35 });
  await trainer.close();
  assert.is(hex(two.save()), hex(one.save()));
  one.dispose(); two.dispose();
});

test("checkpoints store every new field; a present field must be valid", () => {
  const model = CharRNN.create({ ...LSTM, optimizer: "adam", dropout: 0.2 });
  model.train({ iterations: 3 });
  const bytes = model.save();
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const config = JSON.parse(header.__metadata__.config);
  assert.equal([config.optimizer, config.dropout, config.betas, config.clipNorm], ["adam", 0.2, [0.9, 0.999], "Infinity"]);
  assert.ok(header["optim.decoder.weight.exp_avg"] && header["optim.decoder.weight.exp_avg_sq"]);
  const rewrite = (change) => {
    const h = structuredClone(header);
    delete h.__metadata__.crc32;
    change(h.__metadata__);
    const json = new TextEncoder().encode(JSON.stringify(h));
    const pad = (8 - (json.length % 8)) % 8;
    const head = new Uint8Array(8 + json.length + pad).fill(32, 8);
    new DataView(head.buffer).setBigUint64(0, BigInt(json.length + pad), true);
    head.set(json, 8);
    return Buffer.concat([head, bytes.subarray(8 + n)]);
  };
  const loaded = CharRNN.load(rewrite(() => {}));
  assert.is(stateOf(loaded).trainingState().step, 3);
  loaded.dispose();
  throws(() => CharRNN.load(rewrite((m) => { m.config = JSON.stringify({ ...config, alpha: 1.5 }); })), "INVALID_CHECKPOINT", /its config is not valid \(alpha must be/);
  throws(() => CharRNN.load(rewrite((m) => { m.training = JSON.stringify({ ...JSON.parse(m.training), step: -1 }); })), "INVALID_CHECKPOINT", /Adam's step/);
  throws(() => CharRNN.load(rewrite((m) => { m.training = JSON.stringify({ ...JSON.parse(m.training), validationFraction: 1 }); })), "INVALID_CHECKPOINT", /validation fraction/);
  model.dispose();
});

test("only sums of squares must be non-negative: exp_avg may be, exp_avg_sq may not", () => {
  const model = CharRNN.create({ ...LSTM, optimizer: "adam" });
  model.train({ iterations: 5 });
  const [m] = stateOf(model).optimizerState().filter((t) => t.name.endsWith(".exp_avg"));
  m.data[0] = -1;
  const ok = CharRNN.load(model.save());
  ok.dispose();
  const [v] = stateOf(model).optimizerState().filter((t) => t.name.endsWith(".exp_avg_sq"));
  v.data[0] = -1;
  throws(() => CharRNN.load(model.save()), "INVALID_CHECKPOINT", /exp_avg_sq has negative values; an optimizer's sums and averages of squares are never negative/);
  model.dispose();
});

test.run();
