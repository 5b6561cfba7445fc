// Untrusted input and careless hands: each defect found by trying the library as a hostile
// or careless user would, with the test that shows it fixed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN, Vocab } from "minrnn";
import { build, buildRaw, editMeta, parse } from "./safetensors.js";
import { stateOf, throwsCode } from "./helpers.js";

await init();

const TEXT = "the cat sat on the mat; the hat is flat. ".repeat(8);

function small(options = {}) {
  const model = CharRNN.create({ text: TEXT, hidden: 4, seqLength: 5, ...options });
  model.train({ iterations: 7 });
  return model;
}

const invalid = (bytes, what, pattern) => throwsCode(() => CharRNN.load(bytes, { text: TEXT }), "INVALID_CHECKPOINT", what, pattern);

// ---- 1: a checkpoint that passes validation traps the core --------------------------------

test("a training position beyond the text, or near 2^31, is refused by the loader", () => {
  const bytes = small().save();
  for (const position of [2 ** 31 - 11, 2 ** 31 - 1, TEXT.length + 5]) {
    invalid(editMeta(bytes, "training", (t) => { t.position = position; }), `position ${position}`, /position .* beyond/);
  }
  invalid(editMeta(bytes, "training", (t) => { t.position = 7; }), "position off the window grid", /multiple of seqLength/);
  invalid(editMeta(bytes, "training", (t) => { t.textLength = 3; }), "text shorter than a window", /shorter than seqLength/);
});

test("the core's wrap rule cannot overflow: a position near 2^31 wraps instead of trapping", () => {
  const model = small();
  const state = stateOf(model);
  state.setProgress("POSITION", 2 ** 31 - 5);
  const loss = model.step();                                   // trapped: memory access out of bounds
  assert.ok(Number.isFinite(loss));
  assert.is(model.position, 5, "wrapped to 0, then one window");
  state.setProgress("POSITION", 2 ** 31 - 5);
  assert.is(model.sample({ fromTraining: true, length: 10 }).length, 10);
  model.dispose();
});

// ---- 4: vocabulary building is quadratic above U+FFFF --------------------------------------

/** A text of the n distinct code points from U+10000 up (every one astral), and "ab". */
const astralText = (n) => {
  const parts = [];
  for (let cp = 0x10000; cp < 0x10000 + n; cp++) parts.push(String.fromCodePoint(cp));
  return parts.join("") + "ab";
};

test("a vocabulary of 200,000 astral code points is built in linear time", () => {
  const text = astralText(200_000);
  const t0 = performance.now();
  const vocab = Vocab.fromText(text);                           // 27 s when each was looked up in the list
  const ms = performance.now() - t0;
  assert.is(vocab.size, 200_002);
  assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
});

test("a text of more distinct characters than a vocabulary holds is refused as soon as it has them", () => {
  const text = astralText(0x100000);                           // 1,048,576 + "ab": two too many
  const t0 = performance.now();
  throwsCode(() => Vocab.fromText(text), "INVALID_TEXT", "too many symbols", /more than 1,048,576 distinct characters/);
  throwsCode(() => CharRNN.create({ text }), "INVALID_TEXT", "create", /more than 1,048,576/);
  assert.ok(performance.now() - t0 < 10000);
});

// ---- 6: temperatures below about 2.9e-39 give wrong output --------------------------------

test("a temperature whose inverse overflows float32 samples as argmax, not the last symbol", () => {
  const model = small();
  model.train({ iterations: 200 });
  const greedy = model.sample({ length: 60, argmax: true, prime: "the " });
  for (const temperature of [2.9e-39, 1e-42, Number.MIN_VALUE]) {
    assert.is(model.sample({ length: 60, temperature, prime: "the " }), greedy, `temperature ${temperature}`);
  }
  assert.is(model.sample({ length: 60, temperature: 1e-30, prime: "the " }), greedy, "a tiny temperature still in range");
  model.dispose();
});

// ---- 7: an accepted checkpoint can produce an Infinity weight ----------------------------

test("biases that add up to Infinity are refused by the loader and by loadStateDict, blaming the file", () => {
  const model = small();
  const { header, data } = parse(model.save());
  delete header.__metadata__.crc32;
  const view = new DataView(data.buffer);
  for (const name of ["rnn.bias_ih_l0", "rnn.bias_hh_l0"]) view.setFloat32(header[name].data_offsets[0], 3e38, true);
  invalid(build(header, data), "3e38 + 3e38", /rnn\.bias_ih_l0\[0\] \+ rnn\.bias_hh_l0\[0\] = .* is Infinity.*the file's biases/);
  const dict = Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, v.slice()]));
  dict["rnn.bias_ih_l0"][1] = 3e38;
  dict["rnn.bias_hh_l0"][1] = 3e38;
  const before = model.save();
  throwsCode(() => model.loadStateDict(dict), "INVALID_STATE", "loadStateDict", /bias_ih_l0\[1\].*Infinity/);
  assert.equal(model.save(), before, "nothing was copied");
  model.dispose();
});

// ---- 12: duplicate JSON keys are accepted -------------------------------------------------

/** The saved file with its header's JSON text changed by `change` (the checksum removed). */
function rawEdit(bytes, change) {
  const { header, data } = parse(bytes);
  delete header.__metadata__.crc32;
  return buildRaw(change(JSON.stringify(header), header), data);
}

test("a key twice in one object of the header or its metadata is refused", () => {
  const bytes = small().save();
  const cases = [
    ["__metadata__", (json, h) => `{"__metadata__":${JSON.stringify({ ...h.__metadata__, format: "pt" })},${json.slice(1)}`, /"__metadata__" twice/],
    ["a tensor name", (json, h) => `{"decoder.bias":${JSON.stringify(h["decoder.bias"])},${json.slice(1)}`, /"decoder\.bias" twice/],
    ["format", (json) => json.replace('"__metadata__":{', '"__metadata__":{"format":"minrnn/0",'), /"format" twice/],
    ["format, spelled with an escape", (json) => json.replace('"__metadata__":{', '"__metadata__":{"\\u0066ormat":"minrnn/1",'), /"format" twice/],
    ["a field of an entry", (json) => json.replace('"decoder.bias":{', '"decoder.bias":{"dtype":"F64",'), /"dtype" twice/],
    ["a config field", (json, h) => json.replace(JSON.stringify(h.__metadata__.config), JSON.stringify(`{"hidden":999,${h.__metadata__.config.slice(1)}`)), /config metadata has the key "hidden" twice/],
    ["a training field", (json, h) => json.replace(JSON.stringify(h.__metadata__.training), JSON.stringify(`{"position":5,${h.__metadata__.training.slice(1)}`)), /training metadata has the key "position" twice/],
  ];
  for (const [what, change, pattern] of cases) invalid(rawEdit(bytes, change), what, pattern);
  // The same keys in different objects are no duplicates.
  const model = CharRNN.load(rawEdit(bytes, (json) => json), { text: TEXT });
  model.dispose();
});

// ---- 8: terminal-escape and newline injection ----------------------------------------------

/** No control character (C0, DEL, C1, line separators) that a terminal could act on. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

test("control characters from a file reach error messages escaped, as JSON escapes them", () => {
  const bytes = small().save();
  const evil = "x\u001b[2J\u009b31m\nname";
  const { header, data } = parse(bytes);
  delete header.__metadata__.crc32;
  header[evil] = { dtype: "F32", shape: [1], data_offsets: [data.length, data.length + 4] };
  const unknownTensor = build(header, Uint8Array.from([...data, 0, 0, 0, 0]));
  const { header: h2, data: d2 } = parse(bytes);
  delete h2.__metadata__.crc32;
  h2.__metadata__[evil] = "1";
  for (const [what, file] of [["tensor name", unknownTensor], ["metadata key", build(h2, d2)]]) {
    const e = invalid(file, what, /x\\u001b\[2J\\u009b31m\\nname/);
    assert.not.match(e.message, CONTROL, what);
  }
  const model = CharRNN.create({ text: "ab\u009bc\u2028d ".repeat(20) });
  const e = throwsCode(() => model.sample({ prime: "\u0085\u001b" }), "INVALID_TEXT", "prime");
  assert.not.match(e.message, CONTROL);
  assert.match(e.message, /"\\u0085" \(U\+0085\), "\\u001b" \(U\+001B\)/);
  model.dispose();
});

// ---- 9: plain TypeErrors instead of MinrnnError -------------------------------------------

test("options of the wrong type are MinrnnErrors naming the option, before any work", () => {
  const bad = (fn, what, pattern) => throwsCode(fn, "INVALID_ARGUMENT", what, pattern);
  bad(() => CharRNN.create(null), "create(null)", /options object/);
  bad(() => CharRNN.create(5), "create(5)", /options object/);
  bad(() => CharRNN.create({ text: TEXT, seqLength: 5n }), "BigInt seqLength", /seqLength must be an integer/);
  bad(() => CharRNN.create({ text: TEXT, batch: 2n }), "BigInt batch", /batch must be an integer/);
  bad(() => CharRNN.create({ vocab: ["a", "b"] }), "vocab not a Vocab", /must be a Vocab/);
  bad(() => Vocab.fromCodePoints(5), "fromCodePoints(5)", /array of code points/);
  bad(() => Vocab.fromByteValues("ab"), "fromByteValues(string)", /array of byte values/);
  const model = small();
  const before = model.iteration;
  bad(() => model.train({ iterations: 50, onProgress: 5 }), "onProgress: 5", /onProgress must be a function/);
  assert.is(model.iteration, before, "no iteration ran");
  for (const name of ["argmax", "zeroState", "fromTraining"]) {
    for (const value of [1, "yes", {}]) bad(() => model.sample({ [name]: value }), `${name}: ${typeof value}`, new RegExp(`${name} must be true or false`));
  }
  model.dispose();
});

test("trainAsync refuses a signal that is not an AbortSignal before training", async () => {
  const model = small();
  try {
    await model.trainAsync({ iterations: 10, signal: "stop" });
    assert.unreachable("did not throw");
  } catch (e) {
    assert.is(e.code, "INVALID_ARGUMENT", e.message);
    assert.match(e.message, /signal must be an AbortSignal/);
  }
  model.dispose();
});

// ---- 13: smaller items -----------------------------------------------------------------------

test("a learning rate or clip that float32 turns into 0 (or Infinity) is refused", () => {
  for (const [option, value] of [["learningRate", 1e-46], ["clip", 1e-46], ["learningRate", 1e39], ["clip", 1e39]]) {
    throwsCode(() => CharRNN.create({ text: TEXT, [option]: value }), "INVALID_ARGUMENT", `${option} ${value}`, new RegExp(`${option} must be within float32's range`));
  }
  CharRNN.create({ text: TEXT, learningRate: 1.5e-45, clip: Infinity }).dispose();
});

test("a model at iteration 2^53 - 1 refuses to count past it, so its checkpoint still loads", () => {
  const bytes = editMeta(small().save(), "training", (t) => { t.iteration = Number.MAX_SAFE_INTEGER; });
  const model = CharRNN.load(bytes, { text: TEXT });
  throwsCode(() => model.train({ iterations: 1 }), "INVALID_STATE", "train", /at iteration 9007199254740991.*train at most 0 more/);
  throwsCode(() => model.step(), "INVALID_STATE", "step", /9007199254740991/);
  CharRNN.load(model.save()).dispose();
  model.dispose();
});

test("load(bytes, { text }) of a byte-mode checkpoint points to load's { bytes }, and the reverse", () => {
  const bytesModel = CharRNN.create({ bytes: new TextEncoder().encode(TEXT), hidden: 4, seqLength: 5 });
  throwsCode(() => CharRNN.load(bytesModel.save(), { text: TEXT }), "INVALID_ARGUMENT", "text for bytes", /byte-mode model: pass its training data as CharRNN\.load\(file, \{ bytes \}\)/);
  throwsCode(() => CharRNN.load(small().save(), { bytes: new Uint8Array(100) }), "INVALID_ARGUMENT", "bytes for text", /code points: pass its training text as CharRNN\.load\(file, \{ text \}\)/);
  bytesModel.dispose();
});

// ---- 3: a huge sample length kills the process ---------------------------------------------

test("sample() and sampleBytes() refuse a length they cannot hold, and say to stream", () => {
  const model = small();
  throwsCode(() => model.sample({ length: 6e8 }), "INVALID_ARGUMENT", "sample", /length 600000000 is more than sample\(\) builds in memory \(16,777,216\).*sampleStream\(\)/);
  const bytesModel = CharRNN.create({ bytes: new TextEncoder().encode(TEXT), hidden: 4, seqLength: 5 });
  throwsCode(() => bytesModel.sampleBytes({ length: 6e8 }), "INVALID_ARGUMENT", "sampleBytes", /sampleBytesStream\(\)/);
  throwsCode(() => bytesModel.sample({ length: 6e8 }), "INVALID_ARGUMENT", "byte-mode sample", /sampleBytesStream\(\)/);
  // The stream is the same bytes, chunk by chunk.
  const whole = bytesModel.sampleBytes({ length: 10000, seed: 3 });
  const chunks = [...bytesModel.sampleBytesStream({ length: 10000, seed: 3 })];
  assert.ok(chunks.length > 1);
  assert.equal(Buffer.concat(chunks), Buffer.from(whole));
  bytesModel.dispose();
  model.dispose();
});

test("sample() builds its string from flat pieces: 2 million characters cost about 2 MB, not 66", () => {
  const model = small();
  model.sample({ length: 1000, seed: 1 });
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const s = model.sample({ length: 2_000_000, seed: 1 });
  const grew = process.memoryUsage().heapUsed - before;
  assert.is(s.length, 2_000_000);
  assert.ok(grew < 24e6, `the heap grew ${(grew / 1e6).toFixed(1)} MB`);
  assert.is(model.sample({ length: 5000, seed: 4 }), [...model.sampleStream({ length: 5000, seed: 4 })].join(""));
  model.dispose();
});

// ---- a loss that explodes stops --------------------------------------------------------------

test("maxLossRatio: an exploding loss stops with DIVERGED at the first iteration past the limit, keeping the last good weights", () => {
  const start = -Math.log(1 / 15) * 5;                        // the reference's first smooth loss, V 15, T 5
  const model = CharRNN.create({ text: TEXT, hidden: 16, seqLength: 5, learningRate: 1e6 });
  assert.is(model.maxLossRatio, 0, "off by default");
  model.maxLossRatio = 3;
  let last = null;
  const e = throwsCode(() => model.train({ iterations: 100000, progressEvery: 1, onProgress: () => { last = model.save(); } }), "DIVERGED", "lr 1e6",
    /the loss is exploding: the smooth loss would have risen to \S+, more than maxLossRatio 3 times its starting value 13\.5\d+ at iteration \d+; training stopped and the weights from iteration \d+ were kept\. Try a lower learning rate \(now 1000000\)/);
  assert.ok(Math.abs(model.smoothLoss) <= 3 * start, `kept ${model.smoothLoss}`);
  assert.ok(model.smoothLoss * 0.999 + model.loss * 0.001 > 3 * start, "the refused iteration would have passed the limit");
  assert.equal(model.save(), last, "nothing changed since the last good iteration");
  assert.ok(e.message.includes(`iteration ${model.iteration + 1}`));
  model.dispose();
});

test("maxLossRatio: off by default, so the reference's run goes on; its start is the smooth loss when it is set", () => {
  const a = CharRNN.create({ text: TEXT, hidden: 16, seqLength: 5, learningRate: 1e6 });
  const b = CharRNN.create({ text: TEXT, hidden: 16, seqLength: 5, learningRate: 1e6 });
  a.train({ iterations: 300 });
  b.maxLossRatio = 1e12;                                    // never reached: the same bytes as off
  b.train({ iterations: 300 });
  assert.equal(a.save(), b.save());
  assert.ok(a.smoothLoss > 3 * -Math.log(1 / 15) * 5, `the reference's run exploded to ${a.smoothLoss} with no word`);
  a.maxLossRatio = 3;                                       // from here on: 3 × the current smooth loss
  a.train({ iterations: 1 });
  for (const bad of [-1, 0.5, NaN, Infinity, "3"]) throwsCode(() => { a.maxLossRatio = bad; }, "INVALID_ARGUMENT", `ratio ${bad}`, /maxLossRatio must be 0 \(off\) or a number ≥ 1/);
  a.dispose();
  b.dispose();
});

test.run();
