// The PyTorch bridge (python/minrnn_torch.py) against minrnn, with Debian's torch
// (/usr/bin/python3; .ci/run installs it). Without torch every test here is skipped
// with a notice. tests/torch_bridge.py is the Python side of each test.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN } from "minrnn";
import { root } from "./helpers.js";
import { hasTorch, python, readSafetensors } from "./torch-helpers.js";

await init();

const BRIDGE = join(root, "tests/torch_bridge.py");
const CLI = join(root, "dist/node/cli/cli.js");
const work = mkdtempSync(join(tmpdir(), "minrnn-torch-"));
const TEXT = "It was the best of times, it was the worst of times; it was the age of wisdom. 🙂 Ça va?\n".repeat(6);
const torchTest = hasTorch("torch-bridge.test.js") ? test : test.skip;

/** Runs a torch_bridge.py command; its one line of JSON. */
function bridge(...args) {
  const r = python([BRIDGE, ...args.map(String)]);
  assert.is(r.status, 0, `torch_bridge.py ${args[0]} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

function cli(...args) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, MINRNN_DEBUG: "" } });
}

/** A trained minrnn model (batch 3, so the carried state has every stream), saved to `name`. */
function trained(name, options = {}) {
  const model = CharRNN.create({ hidden: 16, seqLength: 10, batch: 3, seed: 9, ...options });
  model.train({ iterations: 40 });
  const path = join(work, name);
  writeFileSync(path, model.save());
  return { model, path };
}

// Each cell the engine trains, the LSTM and GRU stacked. `seeds` are sampling seeds whose
// every draw lands clear of a boundary (see the sampling test) for that cell's model.
const MINRNN_CELLS = [
  { cell: "rnn", options: { text: TEXT }, seeds: [11, 12] },
  { cell: "lstm", options: { text: TEXT, cell: "lstm", layers: 2 }, seeds: [11, 14] },
  { cell: "gru", options: { text: TEXT, cell: "gru", layers: 2 }, seeds: [11, 14] },
];
const BYTES = new TextEncoder().encode(TEXT);

for (const { cell, options } of [...MINRNN_CELLS, { cell: "rnn (byte mode)", options: { bytes: BYTES } }]) {
  torchTest(`${cell}: minrnn → PyTorch → minrnn keeps every tensor's bytes and all the metadata`, () => {
    const { model, path } = trained(`rt-${cell}.safetensors`, options);
    const back = join(work, `rt-${cell}-back.safetensors`);
    const seen = bridge("roundtrip", path, back);
    assert.is(seen.kind, options.bytes ? "bytes" : "codepoints");
    const a = readSafetensors(readFileSync(path)), b = readSafetensors(readFileSync(back));
    assert.equal([...b.tensors.keys()], [...a.tensors.keys()], "the same tensors in the same order");
    for (const [name, t] of a.tensors) {
      assert.equal(b.tensors.get(name).shape, t.shape, name);
      assert.ok(Buffer.from(b.tensors.get(name).bytes).equals(Buffer.from(t.bytes)), `${name}: bytes differ`);
    }
    for (const key of ["config", "vocab", "training"]) assert.equal(JSON.parse(b.metadata[key]), JSON.parse(a.metadata[key]), key);
    assert.equal(seen.vocab, model.vocab.codePoints());
    // minrnn reads it back and goes on exactly as the original does (the config comes from the file).
    const data = options.bytes ? { bytes: options.bytes } : { text: options.text };
    const again = CharRNN.load(readFileSync(back), data);
    const original = CharRNN.load(readFileSync(path), data);
    assert.is(again.step(), original.step());
    for (const m of [model, again, original]) m.dispose();
  });
}

for (const { cell, options, seeds: sampled } of MINRNN_CELLS) {
  torchTest(`${cell}: PyTorch continues from the checkpoint's carried state as minrnn does, 200 characters (sampled and greedy)`, () => {
    const { model, path } = trained(`logits-${cell}.safetensors`, options);
    // Sampled: both walk the same CDF with the same uniform draws (minrnn's PRNG, seeded
    // alike), so each character agrees only if every probability agrees to well within
    // `closest`, the smallest distance of a draw from a boundary; greedy: the argmax.
    const seeds = [...sampled, "argmax"];
    const results = bridge("sample", path, "It was", 200, ...seeds);
    seeds.forEach((seed, i) => {
      const argmax = seed === "argmax";
      const ours = model.sample({ length: 200, prime: "It was", ...(argmax ? { argmax } : { seed }) });
      const theirs = results[i];
      assert.is(theirs.text, ours, `seed ${seed} (closest call ${theirs.closest})`);
      assert.ok(theirs.closest > 1e-5, `a call too close to tell (${theirs.closest}): pick another seed`);
    });
    model.dispose();
  });

  torchTest(`${cell}: PyTorch's losses from the checkpoint are minrnn's: the next window from the carried state, and 200 held-out characters`, () => {
    const { model, path } = trained(`loss-${cell}.safetensors`, options);
    const textPath = join(work, `text-${cell}.txt`), heldPath = join(work, `held-${cell}.txt`);
    const held = [...TEXT].slice(7, 208).join(""); // 201 characters: 20 windows of 10
    writeFileSync(textPath, TEXT);
    writeFileSync(heldPath, held);
    const theirs = bridge("losses", path, textPath, heldPath);
    assert.is(theirs.characters, 200);
    // Hundreds of float32 log-probabilities summed (float32 rounds at 6e-8 a step): measured
    // 2e-8 and 7e-9 relative to torch in float64; 1e-6 leaves room for other sizes.
    model.setValidation(held);
    const rel = (a, b) => Math.abs(a - b) / Math.abs(b);
    assert.ok(rel(model.validationLoss(), theirs.validation) < 1e-6, `validation ${model.validationLoss()} vs torch ${theirs.validation}`);
    assert.ok(rel(model.step(), theirs.step) < 1e-6, `the next window's loss differs from torch's ${theirs.step}`);
    model.dispose();
  });
}

// LSTM and GRU, stacked layers, Adam and RMSProp: checkpoints only Python writes today.
const PYTHON_MADE = [["lstm", 1, "adagrad"], ["lstm", 2, "adam"], ["gru", 1, "rmsprop"], ["gru", 2, "adam"], ["rnn", 2, "rmsprop"]];
let selfchecks; // one Python process for all of them
for (const [cell, layers, optimizer] of PYTHON_MADE) {
  torchTest(`${cell}, ${layers} layers, ${optimizer}: a Python-made checkpoint survives save → load → save, optimizer state and logits too`, () => {
    selfchecks ??= bridge("selfcheck", work, ...PYTHON_MADE.map((c) => c.join(":")));
    const r = selfchecks[`${cell}:${layers}:${optimizer}`];
    assert.ok(r.sameBytes, "saved again, the file differs");
    assert.ok(r.slotsEqual, "the optimizer state differs after loading");
    assert.is(r.logitsMaxDiff, 0, "logits from the carried state differ");
    assert.is(r.config.cell, cell);
    assert.equal(r.config.futureKey, { kept: true }, "an unknown config key is kept");
    assert.is(r.training.bestLoss, 1.5, "an unknown training key is kept");
    const { tensors } = readSafetensors(readFileSync(r.path));
    const names = [...tensors.keys()];
    const expected = [];
    for (let k = 0; k < layers; k++) expected.push(...["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map((n) => `rnn.${n}_l${k}`));
    expected.push("decoder.weight", "decoder.bias");
    const slots = { adagrad: ["sum"], rmsprop: ["square_avg"], adam: ["exp_avg", "exp_avg_sq"] }[optimizer];
    const params = [...expected];
    for (const s of slots) expected.push(...params.map((n) => `optim.${n}.${s}`));
    for (let k = 0; k < layers; k++) expected.push(`state.h_l${k}`, ...(cell === "lstm" ? [`state.c_l${k}`] : []));
    assert.equal(names, expected, "canonical tensor order");
    const G = { rnn: 1, lstm: 4, gru: 3 }[cell];
    assert.equal(tensors.get("rnn.weight_hh_l0").shape, [G * 12, 12]);
    if (layers === 2) assert.equal(tensors.get("rnn.weight_ih_l1").shape, [G * 12, 12]);
  });
}

torchTest("bad files get a clear error from the Python side: what is wrong, and what to do", () => {
  const messages = bridge("errors", work);
  const expect = {
    "another format": /format is 'minrnn\/2'.*reads 'minrnn\/1'; use the minrnn_torch.py of the minrnn version that wrote it/,
    "a PyTorch state dict without minrnn metadata": /no minrnn metadata.*--vocab/,
    "not safetensors": /header length field says .* not a safetensors file/,
    truncated: /data_offsets .* damaged or incomplete/,
    "vocabulary shorter than the weights": /vocabulary has 4 symbols, but its config and weights are for 5/,
    "vocabulary that does not match the weights": /rnn.weight_ih_l0 has shape \[4, 5\], but a vocabulary of 4 needs \[4, 4\]: the vocabulary does not match the weights/,
    "wrong shape": /rnn.weight_hh_l0 has shape \[2, 8\], but the model \(vocab 5, hidden 4, batch 1\) needs \[4, 4\]/,
    "not finite": /rnn.weight_ih_l0\[0\] is nan; every value must be a finite number/,
    "bad checksum": /checksum does not match.*delete the crc32/,
    "unknown cell": /cell is 'transformer'.*newer/,
    float16: /dtype F16; minrnn reads F32 only; in PyTorch, convert the tensors with .float\(\)/,
  };
  assert.equal(Object.keys(messages).sort(), Object.keys(expect).sort());
  for (const [what, pattern] of Object.entries(expect)) {
    assert.ok(messages[what] !== null, `${what}: loaded without an error`);
    assert.match(messages[what], pattern, what);
  }
});

torchTest("minrnn sample EXPORT --vocab FILE: a plain PyTorch state dict samples as torch decodes it", () => {
  const text = "hello world, hello there";
  const textPath = join(work, "vocab.txt");
  writeFileSync(textPath, text);
  const exported = bridge("export", work, text);
  for (const vocab of [textPath, join(work, "torch-export-minrnn.safetensors")]) {
    const r = cli("sample", exported.path, "--vocab", vocab, "--argmax", "--prime", exported.prime, "-n", "60");
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, exported.prime + exported.text, `--vocab ${vocab}`);
  }
  const missing = cli("sample", exported.path);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /no minrnn metadata.*--vocab FILE/);
  writeFileSync(join(work, "other.txt"), "abc");
  const wrong = cli("sample", exported.path, "--vocab", join(work, "other.txt"));
  assert.is(wrong.status, 1);
  assert.match(wrong.stderr, /--vocab .*other.txt \(3 symbols\) does not fit .*weights are for 10 symbols/);
});

test.run();
