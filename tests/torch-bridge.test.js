// The PyTorch bridge (python/minrnn_torch/) against minrnn, with Debian's torch
// (/usr/bin/python3; .ci/run installs it). Without torch every test here is skipped
// with a notice. tests/torch_bridge.py is the Python side of each test.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN } from "minrnn";
import { root } from "./helpers.js";
import { runCli } from "./cli-run.js";
import { Region } from "../dist/core/regions.js";
import { PYTHON, hasTorch, python, readSafetensors } from "./torch-helpers.js";

await init();

const BRIDGE = join(root, "tests/torch_bridge.py");
const work = mkdtempSync(join(tmpdir(), "minrnn-torch-"));
const TEXT = "It was the best of times, it was the worst of times; it was the age of wisdom. 🙂 Ça va?\n".repeat(6);
const torchTest = hasTorch("torch-bridge.test.js") ? test : test.skip;

/** Runs a torch_bridge.py command; its one line of JSON. */
function bridge(...args) {
  const r = python([BRIDGE, ...args.map(String)]);
  assert.is(r.status, 0, `torch_bridge.py ${args[0]} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const cli = (...args) => runCli(args);

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
    "another format": /format is 'minrnn\/2'.*reads 'minrnn\/1'; use the minrnn_torch of the minrnn version that wrote it/,
    "a PyTorch state dict without minrnn metadata": /no minrnn metadata.*--vocab/,
    "not safetensors": /header length field says .* not a safetensors file/,
    truncated: /data_offsets .* damaged or incomplete/,
    "vocabulary shorter than the weights": /vocabulary has 4 symbols, but its config and weights are for 5/,
    "vocabulary that does not match the weights": /rnn.weight_ih_l0 has shape \[4, 5\], but a vocabulary of 4 needs \[4, 4\]: the vocabulary does not match the weights/,
    "wrong shape": /rnn.weight_hh_l0 has shape \[2, 8\], but the model \(vocab 5, hidden 4, batch 1\) needs \[4, 4\]/,
    "not finite": /rnn.weight_ih_l0\[0\] is nan; every value must be a finite number/,
    "bad checksum": /checksum does not match.*Hugging Face.*minrnn_torch.load\(path, verify_checksum=False\)/,
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

torchTest("the limits in minrnn_torch.limits are the ones minrnn's core and host define, and a 17-layer model is refused on both sides", () => {
  const py = bridge("limits");
  const source = (file) => readFileSync(join(root, file), "utf8");
  /** The number a source defines as `name = <expr>` (an expression of literals, such as 16 * 2 ** 20). */
  const constant = (file, name) => {
    const m = new RegExp(`\\b${name}\\s*(?::\\s*\\w+\\s*)?=\\s*([0-9*<> -]+);`).exec(source(file));
    assert.ok(m, `${file} no longer defines ${name} as a number: update python/minrnn_torch/limits.py and this test`);
    return Function(`return (${m[1]})`)();
  };
  // The core's limits as it exports them (its LIMITS region), and where the host states its own.
  const core = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, "build/minrnn.wasm"))), {}).exports;
  const [maxLayers, maxSymbols] = new Int32Array(core.memory.buffer, core.regionPtr(Region.LIMITS, 0), 2);
  assert.is(py.MAX_LAYERS, maxLayers);
  assert.is(py.MAX_SYMBOLS, maxSymbols);
  assert.is(py.MAX_HEADER_BYTES, constant("src/checkpoint/codec.ts", "MAX_HEADER_BYTES"));
  assert.is(py.MAX_DATA_BYTES, constant("src/node/cli/checkpoint-read.ts", "MAX_DATA_BYTES"));
  assert.is(py.MAX_INDEX, constant("src/model/options.ts", "MAX_INDEX"));
  // The config's ranges, as checkConfig states them: integer("hidden", c.hidden, 1, 8192).
  const config = source("src/model/config.ts");
  for (const [field, key] of [["hidden", "HIDDEN"], ["seqLength", "SEQ_LENGTH"], ["batch", "BATCH"], ["seed", "SEED"], ["lrDecayAfter", "LR_DECAY_AFTER"]]) {
    const m = new RegExp(`integer\\("${field}", c\\.${field}, ([^,]+), ([^)]+)\\)`).exec(config);
    assert.ok(m, `src/model/config.ts no longer checks ${field} as integer(...): update python/minrnn_torch/limits.py and this test`);
    assert.equal(py[key], [Function(`return ${m[1]}`)(), Function(`return ${m[2]}`)()], field);
  }
  // And as behaviour: 16 layers are a model on both sides, 17 on neither.
  const text = "abcdefgh".repeat(8);
  CharRNN.create({ text, hidden: 2, seqLength: 4, layers: 16 }).dispose();
  assert.throws(() => CharRNN.create({ text, hidden: 2, seqLength: 4, layers: 17 }), (e) => e.code === "INVALID_ARGUMENT" && /layers must be an integer from 1 to 16/.test(e.message));
  const r = pythonCode(`import minrnn_torch as mt
for layers in (16, 17):
    try:
        mt.save(sys.argv[1], mt.CharRNN("gru", 8, 2, layers), "abcdefgh", config={"learningRate": 0.1, "seed": 1, "seqLength": 4, "optimizer": "adagrad", "clip": 5})
        print(layers, "saved")
    except ValueError as e:
        print(layers, e)`, join(work, "layers.safetensors"));
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^16 saved\n17 cannot save .*layers.safetensors: its config's layers is 17, not a whole number from 1 to 16; nothing was written, as minrnn would refuse the file\n$/);
});

torchTest("minrnn_torch.load reads no further than the format holds: a FIFO that never ends and a header that claims 8 GiB are refused, saying so", () => {
  const dir = mkdtempSync(join(work, "bounded-"));
  const good = join(dir, "good.safetensors");
  const m = CharRNN.create({ text: TEXT, hidden: 4, seqLength: 8 });
  writeFileSync(good, m.save());
  m.dispose();
  const r = bridge("unbounded", dir, good);
  assert.match(r.fifo, /endless.fifo: not a usable minrnn checkpoint: the file goes on past the \d+ bytes of data its tensors cover \(reading stopped there\)/);
  assert.ok(r.writerStopped, "the reader closed the FIFO and its writer stopped");
  assert.match(r.huge, /its header claims 8589934592 bytes of tensor data, more than the 4294967296 any minrnn model has \(the file was not read further\)/);
});

torchTest("a file whose tensors another tool reordered: refused for its crc32 with a message naming verify_checksum=False, which loads it with a warning and the same values", async () => {
  const { RNN } = await import("./fixtures/bad-checkpoints/generate.js"); // the file it was made from
  const original = join(work, "unreordered.safetensors");
  writeFileSync(original, RNN);
  const r = bridge("unverified", join(root, "tests/fixtures/bad-checkpoints/crc-reordered.safetensors"), original);
  assert.ok(r.sameWeights, "the values differ from the original's");
  assert.is(r.warnings.length, 1);
  assert.match(r.warnings[0], /crc-reordered.safetensors: its crc32 does not match its content; loaded anyway \(verify_checksum=False\)/);
});

torchTest("minrnn_torch.save refuses to write what minrnn would refuse (a negative rate, a rate above the configured one, a field minrnn does not know), leaving the target as it was", () => {
  const out = join(work, "refused.safetensors");
  writeFileSync(out, "before");
  const r = pythonCode(`import minrnn_torch as mt
base = {"learningRate": 0.1, "seed": 1, "seqLength": 4, "optimizer": "adagrad", "clip": 5}
for what, config, training in [("negative", {**base, "learningRate": -0.1}, None), ("above", base, {"learningRate": 0.2}), ("unknown", {**base, "futureKey": 1}, None)]:
    try:
        mt.save(sys.argv[1], mt.CharRNN("rnn", 3, 2), "abc", config=config, training=training)
        print(what, "saved")
    except ValueError as e:
        print(what, e)`, out);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.match(lines[0], /^negative cannot save .*: its config's learningRate is -0.1, not a positive finite number; nothing was written/);
  assert.match(lines[1], /^above cannot save .*: its training metadata's learningRate is 0.2, not at most the configured rate 0.1/);
  assert.match(lines[2], /^unknown cannot save .*: its config has fields minrnn does not know: futureKey/);
  assert.is(readFileSync(out, "utf8"), "before");
});

const venvTest = hasTorch("torch-bridge.test.js") && python(["-m", "venv", "--help"]).status === 0 ? test : test.skip;
if (venvTest === test.skip) console.log(`  skipped the pip install test of torch-bridge.test.js: ${PYTHON} has no torch or no venv module (apt-get install python3-venv)`);
venvTest("pip install ./python into a virtualenv gives minrnn_torch and minrnn-ddp; its seeded sample() is minrnn's", () => {
  const dir = mkdtempSync(join(work, "pip-"));
  const source = join(dir, "python"), venv = join(dir, "venv");
  cpSync(join(root, "python"), source, { recursive: true, filter: (p) => !p.includes("__pycache__") }); // the build leaves files beside the source
  let r = python(["-m", "venv", "--system-site-packages", venv]);
  assert.is(r.status, 0, r.stderr);
  // Offline here: the system's setuptools builds it (with a network, plain `pip install ./python` does the same).
  r = spawnSync(join(venv, "bin/pip"), ["install", "--quiet", "--no-build-isolation", "--no-index", source], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const { model, path } = trained("pip-rnn.safetensors", { text: TEXT });
  r = spawnSync(join(venv, "bin/python"), ["-c", `import json, sys, minrnn_torch as mt
ckpt = mt.load(sys.argv[1])
print(json.dumps({"file": mt.__file__, "all": sorted(mt.__all__), "samples": [mt.sample(ckpt, 200, prime="It was", seed=11), mt.sample(ckpt, 200, prime="It was", seed=12), mt.sample(ckpt, 100, seed=11)]}))`, path], { cwd: dir, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.file.startsWith(venv), `imported from ${out.file}, not the virtualenv`);
  for (const name of ["load", "save", "sample", "make_optimizer", "CharRNN", "CheckpointError"]) assert.ok(out.all.includes(name), `__all__ lacks ${name}`);
  assert.is(out.samples[0], model.sample({ length: 200, prime: "It was", seed: 11 }));
  assert.is(out.samples[1], model.sample({ length: 200, prime: "It was", seed: 12 }));
  assert.is(out.samples[2], model.sample({ length: 100, seed: 11 }), "without a prime: the first character drawn uniformly, as minrnn draws it");
  model.dispose();
  r = spawnSync(join(venv, "bin/minrnn-ddp"), ["--help"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage: minrnn-ddp .*\n.*Continue training a minrnn checkpoint with DistributedDataParallel/s);
});

/** Runs Python code with minrnn_torch importable; sys.argv[1:] are `args`. */
function pythonCode(code, ...args) {
  return python(["-c", `import sys; sys.path.insert(0, ${JSON.stringify(join(root, "python"))})\n${code}`, ...args.map(String)]);
}
const SAVE_TINY = `import minrnn_torch as mt
mt.save(sys.argv[1], mt.CharRNN("rnn", 3, 2), "abc")`;

torchTest("minrnn_torch.save writes through a symlink (a dangling one too), keeps the replaced file's mode, and refuses a FIFO or a directory", () => {
  const dir = mkdtempSync(join(work, "save-"));
  const real = join(dir, "real.safetensors"), link = join(dir, "link.safetensors");
  writeFileSync(real, "old");
  chmodSync(real, 0o640);
  symlinkSync("real.safetensors", link);
  let r = pythonCode(SAVE_TINY, link);
  assert.is(r.status, 0, r.stderr);
  assert.is(readlinkSync(link), "real.safetensors", "the link is still a link");
  assert.is(CharRNN.load(readFileSync(real)).config.hidden, 2, "the file it leads to has the model");
  assert.is(statSync(real).mode & 0o777, 0o640, "the replaced file's mode");

  const dangling = join(dir, "dangling.safetensors");
  symlinkSync("made.safetensors", dangling);
  r = pythonCode(SAVE_TINY, dangling);
  assert.is(r.status, 0, r.stderr);
  assert.ok(lstatSync(dangling).isSymbolicLink() && statSync(join(dir, "made.safetensors")).isFile(), "a dangling link's target is created");

  const fifo = join(dir, "fifo");
  assert.is(spawnSync("mkfifo", [fifo]).status, 0);
  for (const [path, what] of [[fifo, /is a FIFO \(named pipe\)/], [dir, /is a directory/]]) {
    r = pythonCode(`import minrnn_torch as mt
try:
    mt.save(sys.argv[1], mt.CharRNN("rnn", 3, 2), "abc")
except ValueError as e:
    print(e)`, path);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, what);
  }
  assert.ok(lstatSync(fifo).isFIFO(), "the FIFO is still a FIFO");
  assert.equal(readdirSync(dir).filter((n) => n.endsWith(".tmp")), [], "no temporary file left");
});

torchTest("train_ddp.py --out refuses a FIFO before training, and the FIFO stays", () => {
  const dir = mkdtempSync(join(work, "ddp-out-"));
  const model = join(dir, "m.safetensors"), text = join(dir, "t.txt"), fifo = join(dir, "out.fifo");
  writeFileSync(text, TEXT);
  const m = CharRNN.create({ text: TEXT, hidden: 4, seqLength: 8 });
  writeFileSync(model, m.save());
  m.dispose();
  assert.is(spawnSync("mkfifo", [fifo]).status, 0);
  const r = python([join(root, "python/train_ddp.py"), model, text, "--iters", "2", "--out", fifo]);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out cannot write .*out.fifo: it is a FIFO \(named pipe\); give a file name/);
  assert.ok(lstatSync(fifo).isFIFO());
});

torchTest("a save removes the temporary files of killed saves beside its target (dead pid, or an older module's name from before the run), not a running writer's", () => {
  const dir = mkdtempSync(join(work, "stale-"));
  const out = join(dir, "out.safetensors");
  const dead = join(dir, ".out.safetensors.999999999-abcd1234.tmp"), live = join(dir, `.out.safetensors.${process.pid}-abcd1234.tmp`);
  const legacy = join(dir, ".minrnn-k2j4x9ab.tmp"), other = join(dir, ".other.safetensors.999999999-abcd1234.tmp");
  for (const f of [dead, live, legacy, other]) writeFileSync(f, "partial");
  utimesSync(legacy, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
  const r = pythonCode(SAVE_TINY, out);
  assert.is(r.status, 0, r.stderr);
  assert.equal([dead, live, legacy, other].map((f) => existsSync(f)), [false, true, false, true]);
});

torchTest("SIGTERM during a save removes its temporary file, leaves the previous file as it was, and still stops the process", () => {
  const dir = mkdtempSync(join(work, "sigterm-"));
  const out = join(dir, "out.safetensors");
  writeFileSync(out, "the previous file");
  // The signal arrives while the temporary file is being flushed.
  const r = pythonCode(`import os, signal, minrnn_torch as mt
real = os.fsync
def fsync(fd):
    os.kill(os.getpid(), signal.SIGTERM)
    real(fd)
os.fsync = fsync
mt.save(sys.argv[1], mt.CharRNN("rnn", 3, 2), "abc")
print("not stopped")`, out);
  assert.is(r.signal, "SIGTERM", `${r.status} ${r.stdout} ${r.stderr}`);
  assert.is(readFileSync(out, "utf8"), "the previous file");
  assert.equal(readdirSync(dir), ["out.safetensors"]);
});

test.run();
