// Checkpoints: save/load round trips, bit-exact resume, PyTorch-style foreign files, and a
// loader that refuses every truncated, corrupted or malformed file with INVALID_CHECKPOINT.
import { test } from "uvu";
import * as assert from "uvu/assert";
import zlib from "node:zlib";
import { init, CharRNN, Vocab, MinrnnError } from "minrnn";
import { corpus } from "minrnn/corpus";
import { build, edit, editMeta, lcg, parse } from "./safetensors.js";
import { throwsCode } from "./helpers.js";

await init();

const TEXT = "the cat sat on the mat; the hat is flat. ".repeat(8);
const UNICODE = "Grüße, señor! 東京へ 🚀 ok. ".repeat(10);

/** A small trained model: one tiny file, so the fuzzing below stays fast. */
function small(options = {}) {
  const model = CharRNN.create({ text: TEXT, hidden: 4, seqLength: 5, ...options });
  model.train({ iterations: 7 });
  return model;
}

const sameBytes = (a, b, what) => {
  assert.is(a.length, b.length, `${what}: lengths`);
  assert.ok(Buffer.from(a).equals(Buffer.from(b)), `${what}: bytes differ`);
};

const invalid = (bytes, what, pattern) => throwsCode(() => CharRNN.load(bytes), "INVALID_CHECKPOINT", what, pattern);

/** A safetensors file from { name: [shape, Float32Array] } (as safetensors.torch.save_file writes). */
function safetensors(tensors, metadata) {
  const header = metadata ? { __metadata__: metadata } : {};
  const parts = [];
  let offset = 0;
  for (const [name, [shape, data]] of Object.entries(tensors)) {
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + data.byteLength] };
    parts.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    offset += data.byteLength;
  }
  const data = new Uint8Array(offset);
  offset = 0;
  for (const p of parts) { data.set(p, offset); offset += p.length; }
  return build(header, data);
}

// ---- round trips and resume ---------------------------------------------------------

test("save → load → save gives the same bytes, and the same weights, state and vocabulary", () => {
  const a = small();
  const bytes = a.save();
  assert.ok(bytes instanceof Uint8Array);
  const b = CharRNN.load(bytes);
  sameBytes(b.save(), bytes, "second save");
  assert.equal(b.config, a.config);
  assert.equal(b.vocab.chars, a.vocab.chars);
  assert.is(b.iteration, 7);
  assert.is(b.smoothLoss, a.smoothLoss);
  for (const [name, values] of Object.entries(a.stateDict())) assert.equal(Array.from(b.stateDict()[name]), Array.from(values), name);
  assert.is(b.sample({ length: 50, seed: 3 }), a.sample({ length: 50, seed: 3 }));
  a.dispose(); b.dispose();
});

test("the header is safetensors: 8-byte length, JSON with F32 entries and string metadata, aligned data", () => {
  const model = small();
  const bytes = model.save();
  const { header, data } = parse(bytes);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.is((8 + n) % 8, 0, "data starts 8-byte aligned");
  const meta = header.__metadata__;
  assert.is(meta.format, "minrnn/1");
  for (const v of Object.values(meta)) assert.type(v, "string");
  assert.equal(JSON.parse(meta.vocab), model.vocab.codePoints());
  assert.is(JSON.parse(meta.config).hidden, 4);
  const training = JSON.parse(meta.training);
  assert.equal(Object.keys(training).sort(), ["bestValidationLoss", "iteration", "learningRate", "position", "rng", "smoothLoss", "step", "textLength", "validationFraction"]);
  assert.equal(Object.keys(JSON.parse(meta.config)).sort(), ["alpha", "arithmetic", "batch", "betas", "cell", "clip", "clipNorm", "dropout", "eps", "hidden", "layers", "learningRate", "lrDecay", "lrDecayAfter", "optimizer", "seed", "seqLength", "vocabSize"], "a new file stores every config field");
  assert.is(JSON.parse(meta.config).arithmetic, "mul-add", "the default build's arithmetic");
  assert.is(training.textLength, [...TEXT].length);
  assert.match(meta.crc32, /^[0-9a-f]{8}$/);
  const V = model.vocab.size;
  assert.equal(header["rnn.weight_ih_l0"].shape, [4, V]);
  assert.equal(header["decoder.weight"].shape, [V, 4]);
  assert.equal(header["optim.decoder.bias.sum"].shape, [V]);
  assert.equal(header["state.h_l0"].shape, [1, 4]);
  const w = header["decoder.bias"];
  assert.is(w.dtype, "F32");
  const values = new Float32Array(data.slice(w.data_offsets[0], w.data_offsets[1]).buffer);
  assert.equal(Array.from(values), Array.from(model.stateDict()["decoder.bias"]));
  model.dispose();
});

for (const [name, text, options] of [
  ["ASCII, batch 1", corpus, { hidden: 24 }],
  ["Unicode, batch 3, wrapping the text", UNICODE, { hidden: 12, seqLength: 7, batch: 3 }],
  ["clip Infinity", TEXT, { hidden: 8, clip: Infinity }],
]) {
  test(`resume is bit-exact (${name}): N, save, load, M == N + M, with samples in between`, () => {
    const N = 40, M = 35;
    const run = (model, n) => {
      for (let i = 0; i < n; i++) {
        if (model.iteration % 10 === 0) model.sample({ fromTraining: true, length: 20 });
        model.step();
      }
    };
    const straight = CharRNN.create({ text, ...options });
    run(straight, N + M);
    const first = CharRNN.create({ text, ...options });
    run(first, N);
    const resumed = CharRNN.load(first.save(), { text });
    run(resumed, M);
    sameBytes(resumed.save(), straight.save(), "N + M vs resumed");
    assert.is(resumed.sample({ length: 40 }), straight.sample({ length: 40 }), "the PRNG continues too");
    for (const m of [straight, first, resumed]) m.dispose();
  });
}

// docs/checkpoint.md's table, order and checksum rule, checked from the file alone.
for (const [cell, G] of [["rnn", 1], ["lstm", 4], ["gru", 3]]) {
  test(`${cell}, 2 layers: the tensors of docs/checkpoint.md in its order and shapes; crc32 over the metadata strings, then the data in header order`, () => {
    const H = 4, B = 2;
    const model = small({ cell, layers: 2, batch: B });
    const { header, data } = parse(model.save());
    const V = model.vocab.size;
    const params = [];
    for (let k = 0; k < 2; k++) {
      params.push([`rnn.weight_ih_l${k}`, [G * H, k ? H : V]], [`rnn.weight_hh_l${k}`, [G * H, H]], [`rnn.bias_ih_l${k}`, [G * H]], [`rnn.bias_hh_l${k}`, [G * H]]);
    }
    params.push(["decoder.weight", [V, H]], ["decoder.bias", [V]]);
    const carried = [0, 1].flatMap((k) => (cell === "lstm" ? [`state.h_l${k}`, `state.c_l${k}`] : [`state.h_l${k}`]));
    const expected = [...params, ...params.map(([name, shape]) => [`optim.${name}.sum`, shape]), ...carried.map((name) => [name, [B, H]])];
    const { __metadata__: meta, ...tensors } = header;
    assert.equal(Object.entries(tensors).map(([name, t]) => [name, t.shape]), expected);
    // Back to back in that order: the header's order is the data's.
    let at = 0;
    for (const t of Object.values(tensors)) {
      assert.equal(t.data_offsets[0], at);
      at = t.data_offsets[1];
    }
    assert.is(at, data.length);
    const text = ["format", "config", "vocab", "training"].map((k) => `${meta[k]}\n`).join("");
    const crc = zlib.crc32(data, zlib.crc32(text));
    assert.is(meta.crc32, crc.toString(16).padStart(8, "0"));
    if (cell === "rnn") assert.ok(model.stateDict()["rnn.bias_hh_l1"].every((x) => x === 0), "the vanilla cell's bias_hh stays zero");
    model.dispose();
  });
}

test("load with another text (another length) starts at its beginning and keeps the rest", () => {
  const a = small();
  a.train({ iterations: 3 });
  const b = CharRNN.load(a.save(), { text: TEXT + "the cat" });
  assert.is(b.iteration, 10);
  assert.is(b.position, 0);
  assert.is(b.smoothLoss, a.smoothLoss);
  b.step();
  a.dispose(); b.dispose();
});

test("load without a text keeps the saved progress; training then needs setText", () => {
  const a = small();
  const b = CharRNN.load(a.save());
  assert.is(b.position, a.position);
  assert.is(b.textLength, 0);
  const c = CharRNN.load(b.save(), { text: TEXT });
  assert.is(c.position, a.position, "the text length saved with b is still the original's");
  c.dispose();
  throwsCode(() => b.step(), "INVALID_TEXT", "step without text");
  a.dispose(); b.dispose();
});

test("load with a text holding characters outside the vocabulary names them", () => {
  const a = small();
  throwsCode(() => CharRNN.load(a.save(), { text: TEXT + "xyz€" }), "INVALID_TEXT", "foreign characters", /"x".*"z".*"€"/);
  a.dispose();
});

test("loads from an unaligned view and from a Node Buffer", () => {
  const a = small();
  const bytes = a.save();
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  CharRNN.load(shifted.subarray(1)).dispose();
  CharRNN.load(Buffer.from(bytes)).dispose();
  a.dispose();
});

test("a diverged model keeps finite weights that save and load; save refuses non-finite ones", () => {
  // With this learning rate the weights would overflow within a few updates: the core
  // refuses the update that would, and keeps the last finite weights.
  const model = CharRNN.create({ text: corpus, hidden: 4, learningRate: 1e38, clip: Infinity });
  throwsCode(() => model.train({ iterations: 20 }), "DIVERGED", "training diverges", /infinite|NaN/);
  const back = CharRNN.load(model.save());
  assert.is(back.iteration, model.iteration);
  for (const t of Object.values(back.stateDict())) assert.ok(t.every(Number.isFinite));
  back.dispose();
  // Weights written through a live view are the caller's; save still never writes a file load() would refuse.
  model.stateDict()["decoder.bias"][0] = Infinity;
  throwsCode(() => model.save(), "DIVERGED", "save", /not finite|Infinity|NaN/);
  model.dispose();
});

// ---- foreign (PyTorch) files ----------------------------------------------------------

function pytorchExport(V, H, rand) {
  const t = (shape) => [shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() - 0.5)];
  return {
    "rnn.weight_ih_l0": t([H, V]),
    "rnn.weight_hh_l0": t([H, H]),
    "rnn.bias_ih_l0": t([H]),
    "rnn.bias_hh_l0": t([H]),
    "decoder.weight": t([V, H]),
    "decoder.bias": t([V]),
  };
}

test("a PyTorch safetensors export (both biases, no minrnn metadata) loads with a vocab; the biases add", () => {
  const vocab = Vocab.fromText(TEXT);
  const V = vocab.size, H = 6;
  const tensors = pytorchExport(V, H, lcg(1));
  for (const metadata of [undefined, { format: "pt" }]) {
    const model = CharRNN.load(safetensors(tensors, metadata), { vocab });
    assert.is(model.config.hidden, H);
    assert.is(model.config.vocabSize, V);
    const dict = model.stateDict();
    const expected = tensors["rnn.bias_ih_l0"][1].map((b, i) => Math.fround(b + tensors["rnn.bias_hh_l0"][1][i]));
    assert.equal(Array.from(dict["rnn.bias_ih_l0"]), Array.from(expected));
    assert.equal(Array.from(dict["decoder.weight"]), Array.from(tensors["decoder.weight"][1]));
    // It samples as the same weights loaded through loadStateDict do.
    const reference = CharRNN.create({ vocab, hidden: H });
    reference.loadStateDict(Object.fromEntries(Object.entries(tensors).map(([n, [, d]]) => [n, d])));
    assert.is(model.sample({ length: 60, seed: 9 }), reference.sample({ length: 60, seed: 9 }));
    // And it trains.
    model.setText(TEXT);
    model.train({ iterations: 5 });
    model.dispose(); reference.dispose();
  }
  const withText = CharRNN.load(safetensors(tensors), { vocab, text: TEXT });
  assert.is(withText.textLength, [...TEXT].length);
  withText.train({ iterations: 5 });
  withText.dispose();
});

test("a foreign file without a vocab option says where the vocabulary must come from", () => {
  const bytes = safetensors(pytorchExport(5, 3, lcg(2)));
  invalid(bytes, "no vocab", /vocab/);
  throwsCode(() => CharRNN.load(bytes, { vocab: Vocab.fromText("abcdefg") }), "INVALID_ARGUMENT", "wrong vocab size", /5/);
});

test("foreign files minrnn cannot read are refused by name: mixed cell shapes, F16, half a layer", () => {
  const vocab = Vocab.fromText("abcde");
  const rand = lcg(3);
  const mixed = pytorchExport(5, 3, rand);
  mixed["rnn.weight_ih_l0"] = [[12, 5], new Float32Array(60)]; // an LSTM's, beside an RNN's weight_hh
  invalid(safetensors(mixed), "LSTM-shaped weight_ih with RNN-shaped weight_hh", /rnn\.weight_ih_l0.*\[12,5\]/);
  const oddRows = pytorchExport(5, 3, rand);
  oddRows["rnn.weight_hh_l0"] = [[6, 3], new Float32Array(18)];
  invalid(safetensors(oddRows), "weight_hh of 2H rows", /\[6,3\].*none of/);
  const twoLayers = { ...pytorchExport(5, 3, rand), "rnn.weight_ih_l1": [[3, 3], new Float32Array(9)] };
  invalid(safetensors(twoLayers), "half a second layer", /rnn\.weight_ih_l1/);
  const f16 = parse(safetensors(pytorchExport(5, 3, rand)));
  f16.header["decoder.bias"].dtype = "F16";
  f16.header["decoder.bias"].data_offsets[1] = f16.header["decoder.bias"].data_offsets[0] + 10;
  invalid(build(f16.header, f16.data), "F16", /F16.*\.float\(\)/);
  assert.ok(vocab);
});

// ---- the loader against damaged files -------------------------------------------------

test("every truncation of a checkpoint is refused", () => {
  const bytes = small().save();
  for (let n = 0; n < bytes.length; n++) invalid(bytes.subarray(0, n), `prefix of ${n} bytes`);
  invalid(Uint8Array.from([...bytes, 0]), "one byte too many", /cover/);
});

test("a random byte change anywhere in the header is refused", () => {
  const bytes = small().save();
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const rand = lcg(42);
  for (let i = 0; i < 8 + n; i++) {
    const damaged = bytes.slice();
    damaged[i] ^= 1 + Math.floor(rand() * 255);
    invalid(damaged, `byte ${i} changed`);
  }
});

test("random bit flips in the data are refused (the checksum)", () => {
  const bytes = small().save();
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const rand = lcg(7);
  for (let k = 0; k < 300; k++) {
    const damaged = bytes.slice();
    const at = 8 + n + Math.floor(rand() * (bytes.length - 8 - n));
    damaged[at] ^= 1 << Math.floor(rand() * 8);
    invalid(damaged, `bit flip at ${at}`, /checksum/);
  }
});

test("swapped tensors of the same shape are refused (the checksum covers which bytes are which tensor)", () => {
  const { header, data } = parse(small().save());
  const a = header["rnn.bias_ih_l0"].data_offsets, b = header["optim.rnn.bias_ih_l0.sum"].data_offsets;
  [header["rnn.bias_ih_l0"].data_offsets, header["optim.rnn.bias_ih_l0.sum"].data_offsets] = [b, a];
  invalid(build(header, data), "swapped offsets", /checksum/);
});

test("a checksum mismatch says how to load a file edited on purpose", () => {
  const bytes = small().save();
  const { header, data } = parse(bytes);
  header.__metadata__.crc32 = "00000000";
  invalid(build(header, data), "zero checksum", /crc32/);
  // Without its crc32 entry the same content loads.
  CharRNN.load(edit(bytes, () => {})).dispose();
});

test("malformed headers are refused, each with a message that names the problem", () => {
  const bytes = small().save();
  const cases = [
    ["header length beyond the file", (() => { const b = bytes.slice(); new DataView(b.buffer).setUint32(0, bytes.length, true); return b; })(), /truncated/],
    ["header length over 16 MB", (() => { const b = bytes.slice(); new DataView(b.buffer).setUint32(4, 1, true); return b; })(), /header length/],
    ["empty", new Uint8Array(0), /8 bytes/],
    ["not JSON", build({}, new Uint8Array(0)).map((x, i) => (i === 8 ? 0x5b : x)), /JSON/],
    ["tab padding", (() => { const b = bytes.slice(); const n = Number(new DataView(b.buffer).getBigUint64(0, true)); b[8 + n - 1] = 0x09; return b; })(), /padded/],
    ["wrong dtype", edit(bytes, (h) => { h["decoder.bias"].dtype = "F64"; }), /F64/],
    ["unknown entry field", edit(bytes, (h) => { h["decoder.bias"].extra = 1; }), /fields/],
    ["offsets out of bounds", edit(bytes, (h) => { h["state.h_l0"].data_offsets[1] += 4; }), /outside|cover|bytes/],
    ["offsets reversed", edit(bytes, (h) => { h["decoder.bias"].data_offsets.reverse(); }), /data_offsets/],
    ["overlapping", edit(bytes, (h) => { h["rnn.weight_hh_l0"].data_offsets = h["rnn.weight_ih_l0"].data_offsets.map((o) => o + 4); }), /overlaps|needs|belong/],
    ["a gap", edit(bytes, (h) => { const e = h["state.h_l0"]; e.shape = [1, 3]; e.data_offsets[0] += 4; }), /belong to no tensor/],
    ["offsets not numbers", edit(bytes, (h) => { h["decoder.bias"].data_offsets = ["0", 4]; }), /data_offsets/],
    ["wrong shape", edit(bytes, (h) => { h["rnn.weight_hh_l0"].shape = [16]; }), /shape \[16\].*needs \[4,4\]/],
    ["shape and config disagree", edit(bytes, (h) => { const c = JSON.parse(h.__metadata__.config); c.hidden = 2; h.__metadata__.config = JSON.stringify(c); }), /shape/],
    ["missing tensor", edit(bytes, (h) => { delete h["state.h_l0"]; }), /cover/],
    ["unknown tensor", (() => { const { header, data } = parse(bytes); delete header.__metadata__.crc32; header.extra = { dtype: "F32", shape: [1], data_offsets: [data.length, data.length + 4] }; return build(header, Uint8Array.from([...data, 0, 0, 0, 0])); })(), /extra/],
    ["metadata missing", edit(bytes, (h) => { delete h.__metadata__; }), /metadata|decoder|tensors minrnn does not know/],
    ["metadata without config", edit(bytes, (h) => { delete h.__metadata__.config; }), /config/],
    ["metadata value not a string", edit(bytes, (h) => { h.__metadata__.training = {}; }), /map of strings/],
    ["unknown metadata entry", edit(bytes, (h) => { h.__metadata__.note = "x"; }), /note/],
    ["newer format", edit(bytes, (h) => { h.__metadata__.format = "minrnn/2"; }), /minrnn\/2.*newer/],
    ["config not JSON", edit(bytes, (h) => { h.__metadata__.config = "{"; }), /config/],
    ["config with a missing field", edit(bytes, (h) => { const c = JSON.parse(h.__metadata__.config); delete c.clip; h.__metadata__.config = JSON.stringify(c); }), /fields/],
    ["config out of range", edit(bytes, (h) => { const c = JSON.parse(h.__metadata__.config); c.learningRate = -1; h.__metadata__.config = JSON.stringify(c); }), /learningRate/],
    ["vocab of the wrong size", edit(bytes, (h) => { h.__metadata__.vocab = "[97,98]"; }), /vocab/],
    ["vocab not increasing", edit(bytes, (h) => { const v = JSON.parse(h.__metadata__.vocab); [v[0], v[1]] = [v[1], v[0]]; h.__metadata__.vocab = JSON.stringify(v); }), /increasing/],
    ["vocab with a surrogate", edit(bytes, (h) => { const v = JSON.parse(h.__metadata__.vocab); v[v.length - 1] = 0xd800; h.__metadata__.vocab = JSON.stringify(v); }), /Unicode|increasing/],
    ["training value out of range", edit(bytes, (h) => { const t = JSON.parse(h.__metadata__.training); t.iteration = -1; h.__metadata__.training = JSON.stringify(t); }), /training/],
    ["PRNG state all zero", edit(bytes, (h) => { const t = JSON.parse(h.__metadata__.training); t.rng = [0, 0, 0, 0]; h.__metadata__.training = JSON.stringify(t); }), /PRNG/],
    ["smooth loss not finite", edit(bytes, (h) => { const t = JSON.parse(h.__metadata__.training); t.smoothLoss = "NaN"; h.__metadata__.training = JSON.stringify(t); }), /training/],
  ];
  for (const [what, damaged, pattern] of cases) invalid(damaged, what, pattern);
});

test("values that are not finite, and negative Adagrad sums, are refused", () => {
  const bytes = small().save();
  const { header, data } = parse(bytes);
  delete header.__metadata__.crc32;
  const put = (name, value) => {
    const d = data.slice();
    new DataView(d.buffer).setFloat32(header[name].data_offsets[0], value, true);
    return build(header, d);
  };
  invalid(put("rnn.weight_hh_l0", NaN), "NaN weight", /rnn\.weight_hh_l0\[0\] is NaN/);
  invalid(put("state.h_l0", Infinity), "infinite hidden state", /Infinity/);
  invalid(put("optim.decoder.bias.sum", -1), "negative Adagrad sum", /negative/);
});

test("the loader refuses what is not bytes, and a foreign file's vocab must be a Vocab", () => {
  for (const x of [undefined, null, "model", [1, 2, 3], new ArrayBuffer(8)]) invalid(x, `load(${Object.prototype.toString.call(x)})`, /Uint8Array/);
  const bytes = safetensors(pytorchExport(5, 3, lcg(4)));
  throwsCode(() => CharRNN.load(bytes, { vocab: ["a", "b", "c", "d", "e"] }), "INVALID_ARGUMENT", "array as vocab", /Vocab/);
});

// ---- byte mode --------------------------------------------------------------------------

const LATIN1 = Uint8Array.from("Caf\u00e9 cr\u00e8me, na\u00efve \u00e9t\u00e9; \u00e0 bient\u00f4t.\n".repeat(12), (ch) => ch.charCodeAt(0));

test("a byte-mode checkpoint records {bytes: [...]}, round-trips, and resumes bit-exactly", () => {
  const options = { bytes: LATIN1, hidden: 8, seqLength: 9 };
  const N = 40, M = 35;
  const run = (model, n) => {
    for (let i = 0; i < n; i++) {
      if (model.iteration % 10 === 0) model.sample({ fromTraining: true, length: 20 });
      model.step();
    }
  };
  const straight = CharRNN.create(options);
  run(straight, N + M);
  const first = CharRNN.create(options);
  run(first, N);
  const saved = first.save();
  const meta = parse(saved).header.__metadata__;
  assert.equal(JSON.parse(meta.vocab), { bytes: first.vocab.codePoints() });
  assert.is(meta.format, "minrnn/1");
  const loaded = CharRNN.load(saved);
  assert.is(loaded.vocab.kind, "bytes");
  assert.ok(loaded.vocab.equals(first.vocab));
  sameBytes(loaded.save(), saved, "save → load → save");
  assert.equal(loaded.sampleBytes({ length: 50, seed: 3 }), first.sampleBytes({ length: 50, seed: 3 }));
  const resumed = CharRNN.load(saved, { bytes: LATIN1 });
  assert.is(resumed.position, first.position, "same length: same position");
  run(resumed, M);
  sameBytes(resumed.save(), straight.save(), "N + M vs resumed");
  assert.equal(resumed.sampleBytes({ length: 40 }), straight.sampleBytes({ length: 40 }), "the PRNG continues too");
  throwsCode(() => CharRNN.load(saved, { text: "Caf\u00e9" }), "INVALID_ARGUMENT", "text for a byte model", /CharRNN\.load\(file, \{ bytes \}\)/);
  throwsCode(() => CharRNN.load(saved, { bytes: LATIN1, text: "x" }), "INVALID_ARGUMENT", "both", /not both/);
  throwsCode(() => CharRNN.load(saved, { vocab: Vocab.fromCodePoints(first.vocab.codePoints()) }), "INVALID_ARGUMENT", "a code-point vocab", /vocabulary/);
  for (const m of [straight, first, loaded, resumed]) m.dispose();
});

test("malformed byte vocab metadata is refused", () => {
  const model = CharRNN.create({ bytes: LATIN1, hidden: 4, seqLength: 5 });
  const bytes = model.save();
  const values = model.vocab.codePoints();
  const V = values.length;
  const withVocab = (v) => edit(bytes, (h) => { h.__metadata__.vocab = JSON.stringify(v); });
  const cases = [
    ["a value over 255", withVocab({ bytes: [...values.slice(0, -1), 256] }), /0\.\.255/],
    ["a negative value", withVocab({ bytes: [-1, ...values.slice(1)] }), /0\.\.255/],
    ["not a whole number", withVocab({ bytes: [...values.slice(0, -1), 250.5] }), /0\.\.255/],
    ["not increasing", withVocab({ bytes: [values[1], values[0], ...values.slice(2)] }), /increasing/],
    ["a repeated value", withVocab({ bytes: [values[0], values[0], ...values.slice(2)] }), /increasing/],
    ["too few", withVocab({ bytes: values.slice(1) }), new RegExp(`${V} byte values`)],
    ["too many", withVocab({ bytes: [...values, 255] }), new RegExp(`${V} byte values`)],
    ["bytes not a list", withVocab({ bytes: "abc" }), /bytes/],
    ["a string list", withVocab({ bytes: values.map(String) }), /0\.\.255/],
    ["another key", withVocab({ chars: values }), /bytes/],
    ["an extra key", withVocab({ bytes: values, kind: "bytes" }), /bytes/],
    ["a number", withVocab(42), /bytes/],
    ["null", withVocab(null), /bytes/],
  ];
  for (const [what, file, pattern] of cases) invalid(file, what, pattern);
  // The checksum covers the vocab: a file whose vocab changed kind is refused even with its values intact.
  const { header, data } = parse(bytes);
  header.__metadata__.vocab = JSON.stringify(values);
  invalid(build(header, data), "kind changed, checksum kept", /checksum/);
  model.dispose();
});


/** edit() of one tensor's values by `change` (given a Float32Array copy; the file keeps its layout). */
const editTensor = (bytes, name, change) => {
  const { header, data } = parse(bytes);
  const [begin, end] = header[name].data_offsets;
  const values = new Float32Array(data.slice(begin, end).buffer);
  change(values);
  data.set(new Uint8Array(values.buffer), begin);
  delete header.__metadata__.crc32;
  return build(header, data);
};

test("values no training could reach are refused: |h| > 1, a smooth loss ≤ 0, a rate below float32 or above the configured one", () => {
  for (const cell of ["rnn", "lstm", "gru"]) {
    const model = CharRNN.create({ text: "the cat sat on the mat. ".repeat(20), cell, hidden: 6, seqLength: 5, batch: 2 });
    model.train({ iterations: 10 });
    const bytes = model.save();
    invalid(editTensor(bytes, "state.h_l0", (h) => { h[3] = 3e38; }), `${cell}: h = 3e38`, /state\.h_l0\[3\] is 3\.\d+e\+38, but a .* cell's hidden state is always within \[-1, 1\]/);
    invalid(editTensor(bytes, "state.h_l0", (h) => { h[0] = -1.0001; }), `${cell}: h = -1.0001`, /within \[-1, 1\]/);
    if (cell === "lstm") CharRNN.load(editTensor(bytes, "state.c_l0", (c) => { c[0] = 7; })).dispose();   // c is not bounded
    model.dispose();
  }
  const model = CharRNN.create({ text: "the cat sat on the mat. ".repeat(20), hidden: 6, seqLength: 5, learningRate: 0.05 });
  model.train({ iterations: 3 });
  const bytes = model.save();
  for (const smoothLoss of [0, -1]) invalid(editMeta(bytes, "training", (t) => { t.smoothLoss = smoothLoss; }), `smooth loss ${smoothLoss}`, /smooth loss/);
  invalid(editMeta(bytes, "training", (t) => { t.learningRate = 1e-46; }), "rate 1e-46", /learning rate/);
  invalid(editMeta(bytes, "training", (t) => { t.learningRate = 0.06; }), "rate above the configured 0.05", /learning rate/);
  CharRNN.load(editMeta(bytes, "training", (t) => { t.learningRate = 0.04; })).dispose();   // a decayed rate
  invalid(editMeta(bytes, "config", (c) => { c.eps = 1e-50; }), "eps 1e-50", /eps must be within float32's range/);
  invalid(editMeta(bytes, "config", (c) => { c.clipNorm = 1e-50; }), "clipNorm 1e-50", /clipNorm must be within float32's range/);
  invalid(editMeta(bytes, "config", (c) => { c.lrDecay = 1e-46; }), "lrDecay 1e-46", /lrDecay .* float32/);
  model.dispose();
});

test("a file another tool rewrote (its crc32 no longer matches) loads with verifyChecksum: false and a warning", () => {
  const model = CharRNN.create({ text: "the cat sat on the mat. ".repeat(20), hidden: 6, seqLength: 5 });
  model.train({ iterations: 4 });
  // Rewritten as Hugging Face's safetensors does: the tensors in another order, the metadata kept.
  const { header, data } = parse(model.save());
  const names = Object.keys(header).filter((k) => k !== "__metadata__").reverse();
  const reordered = { __metadata__: header.__metadata__ };
  const parts = [];
  let at = 0;
  for (const name of names) {
    const [begin, end] = header[name].data_offsets;
    reordered[name] = { ...header[name], data_offsets: [at, at + end - begin] };
    parts.push(data.subarray(begin, end));
    at += end - begin;
  }
  const bytes = build(reordered, Buffer.concat(parts));
  invalid(bytes, "reordered", /checksum does not match .*CharRNN\.load\(bytes, \{ verifyChecksum: false \}\)/);
  const warnings = [];
  const warn = console.warn;
  console.warn = (message) => warnings.push(message);
  try {
    const loaded = CharRNN.load(bytes, { verifyChecksum: false });
    assert.equal(loaded.stateDict(), model.stateDict());
    assert.is(loaded.sample({ length: 30, seed: 1 }), model.sample({ length: 30, seed: 1 }));
    loaded.dispose();
  } finally {
    console.warn = warn;
  }
  assert.is(warnings.length, 1);
  assert.match(warnings[0], /crc32 does not match/);
  throwsCode(() => CharRNN.load(bytes, { verifyChecksum: "no" }), "INVALID_ARGUMENT", /verifyChecksum must be true or false/);
  model.dispose();
});

test.run();
