// The shared corpus of bad checkpoints (tests/fixtures/bad-checkpoints/, its README says
// why each file is bad): minrnn and the PyTorch bridge follow one set of rules, so each
// file is refused by CharRNN.load with INVALID_CHECKPOINT and by minrnn_torch.load with a
// CheckpointError. The Python half needs torch (skipped with a notice without it).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN, MinrnnError } from "minrnn";
import { root } from "./helpers.js";
import { hasTorch, python } from "./torch-helpers.js";

// Files the JS side does not refuse yet: its checks for these rules come with the host's
// own work (|h| > 1, smooth loss ≤ 0, float32 range of eps, clipNorm, lrDecay and the
// training rate, a training rate above the configured one). Listed so that they are seen,
// never skipped: the test below prints them, and fails as soon as CharRNN.load refuses
// one still listed (then it leaves the list) or accepts one not listed. Empty is the goal.
const KNOWN_JS_GAPS = [];

await init();

const DIR = join(root, "tests/fixtures/bad-checkpoints");
const TEXT = "hello world, hello minrnn!\n".repeat(4); // what generate.js trains on
const FILES = readdirSync(DIR).filter((n) => n.endsWith(".safetensors")).sort();
const README = readFileSync(join(DIR, "README.md"), "utf8");

test("the corpus: every file is listed in its README with why it is bad", () => {
  assert.ok(FILES.length >= 80, `${FILES.length} files`);
  for (const name of FILES) assert.match(README, `| \`${name}\` |`, `${name} is not in README.md`);
});

test("CharRNN.load refuses every bad checkpoint with INVALID_CHECKPOINT", () => {
  const accepted = [], wrong = [];
  for (const name of FILES) {
    try {
      CharRNN.load(readFileSync(join(DIR, name)), { text: TEXT }).dispose();
      accepted.push(name);
    } catch (e) {
      if (!(e instanceof MinrnnError) || e.code !== "INVALID_CHECKPOINT") wrong.push(`${name}: ${e.code ?? e.name}: ${e.message}`);
    }
  }
  assert.equal(wrong, [], `refused, but not as INVALID_CHECKPOINT:\n${wrong.join("\n")}`);
  if (KNOWN_JS_GAPS.length) console.log(`  CharRNN.load still accepts ${KNOWN_JS_GAPS.length} bad files (KNOWN_JS_GAPS in tests/bad-checkpoints.test.js): ${KNOWN_JS_GAPS.join(", ")}`);
  assert.equal(accepted, KNOWN_JS_GAPS, `CharRNN.load accepted ${accepted.length} bad files (KNOWN_JS_GAPS lists those still expected)`);
});

const torchTest = hasTorch("bad-checkpoints.test.js") ? test : test.skip;
torchTest("the rules are not stricter than minrnn: files it writes with every cell, optimizer and option load in minrnn_torch", () => {
  const dir = mkdtempSync(join(tmpdir(), "minrnn-good-"));
  const text = "the quick brown fox jumps over the lazy dog. ".repeat(30);
  const options = [
    { cell: "lstm", optimizer: "adam", layers: 2, dropout: 0.2, lrDecay: 0.9, lrDecayAfter: 0, clipNorm: 1, batch: 3 },
    { cell: "gru", optimizer: "rmsprop", clip: Infinity, alpha: 0.9, eps: 1e-6, betas: [0.5, 0.6] },
    { cell: "rnn", learningRate: 1e-45, seed: 0xffffffff },
  ];
  const paths = options.map((o, i) => {
    const model = CharRNN.create({ text, hidden: 8, seqLength: 8, seed: 2, ...o });
    model.train({ iterations: 60 });
    const path = join(dir, `good-${i}.safetensors`);
    writeFileSync(path, model.save());
    model.dispose();
    return path;
  });
  const r = python([join(root, "tests/torch_bridge.py"), "refuse", ...paths]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(Object.values(JSON.parse(r.stdout)), paths.map(() => null));
});

torchTest("minrnn_torch.load refuses every bad checkpoint with a CheckpointError that names the file and says what is wrong", () => {
  const r = python([join(root, "tests/torch_bridge.py"), "refuse", ...FILES.map((n) => join(DIR, n))]);
  assert.is(r.status, 0, r.stderr);
  const results = JSON.parse(r.stdout);
  const accepted = FILES.filter((n) => results[join(DIR, n)] === null);
  assert.equal(accepted, [], `minrnn_torch.load accepted: ${accepted.join(", ")}`);
  for (const name of FILES) {
    const message = results[join(DIR, name)];
    assert.ok(message.startsWith(`${join(DIR, name)}: `), `${name}: ${message}`);
    assert.match(message, /not a usable minrnn checkpoint: .+; .+/, `${name}: ${message}`);
  }
});

test.run();
