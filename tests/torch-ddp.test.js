// python/train_ddp.py: a minrnn checkpoint trained on with PyTorch's DistributedDataParallel
// comes back to minrnn as if minrnn had trained it. Needs Debian's torch (/usr/bin/python3,
// installed by .ci/run); skipped with a notice without it.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN } from "minrnn";
import { root } from "./helpers.js";
import { hasTorch, python, readSafetensors } from "./torch-helpers.js";

await init();

const TRAIN_DDP = join(root, "python/train_ddp.py");
const work = mkdtempSync(join(tmpdir(), "minrnn-ddp-"));
const TEXT = "It was the best of times, it was the worst of times; it was the age of wisdom, it was the age of foolishness 🙂\n".repeat(12);
// The runs hold out the last 10% as minrnn train --val 0.1 does (in code points: 🙂 is
// one), and so train on TRAIN: if the split differed, the text lengths would, and the
// runs would restart their streams instead of going on as minrnn does.
const VAL = 0.1;
const TRAIN = [...TEXT].slice(0, [...TEXT].length - Math.floor([...TEXT].length * VAL)).join("");
const ITERS = 50;
const torchTest = hasTorch("torch-ddp.test.js") ? test : test.skip;

// Two runs compared with one another: float32 both, summing in other orders (DDP's
// all-reduce of two halves, minrnn's SIMD lanes and two shards), so they differ by
// rounding only. Over these 50 Adagrad steps that grew to at most 9e-7 of a weight
// tensor's scale and 2.6e-6 of an Adagrad sum's (two ranks against one; minrnn against
// two ranks, 8e-7). 5e-5 leaves 20 times that; a wrong loss scale (a gradient off by the
// factor W) or a stream trained twice or not at all is off by far more.
const LIMIT = 5e-5;

const textPath = join(work, "text.txt");
const start = join(work, "start.safetensors");

/** A free TCP port on 127.0.0.1, for the rendezvous of a torchrun-style launch. */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function trainDdp(args, env = {}, from = start) {
  const r = python([TRAIN_DDP, from, textPath, "--iters", String(ITERS), "--val", String(VAL), "--json", ...args], { env });
  return { ...r, events: r.status === 0 ? r.stdout.trim().split("\n").map((line) => JSON.parse(line)) : [] };
}

function worstRel(a, b) {
  let d = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return d / (scale || 1);
}

function assertSameTensors(actual, expected, what) {
  const a = readSafetensors(actual), e = readSafetensors(expected);
  assert.equal([...a.tensors.keys()], [...e.tensors.keys()], `${what}: tensor names`);
  let worst = 0;
  for (const [name, t] of e.tensors) {
    const r = worstRel(a.tensors.get(name).data, t.data);
    assert.ok(r <= LIMIT, `${what}, ${name}: off by ${r.toExponential(2)} of its scale (limit ${LIMIT})`);
    worst = Math.max(worst, r);
  }
  if (process.env.MINRNN_REPORT) console.log(`  ${what}: worst ${worst.toExponential(2)} of a tensor's scale`);
  return { a: JSON.parse(a.metadata.training), e: JSON.parse(e.metadata.training) };
}

let runs; // the runs, made once: each process start costs seconds of importing torch
async function ddpRuns() {
  if (runs) return runs;
  writeFileSync(textPath, TEXT);
  // batch 4: each of two ranks takes two streams. 20 iterations first, so the checkpoint
  // carries Adagrad sums, a position and a hidden state that training must pick up.
  const model = CharRNN.create({ text: TRAIN, hidden: 16, seqLength: 10, batch: 4, seed: 3 });
  model.train({ iterations: 20 });
  writeFileSync(start, model.save());
  model.dispose();
  const two = trainDdp(["--nproc", "2", "--out", join(work, "two.safetensors"), "--checkpoint-every", "20"]);
  // One rank on all four streams, launched as torchrun launches its workers.
  const port = await freePort();
  const one = trainDdp(["--out", join(work, "one.safetensors")], { RANK: "0", WORLD_SIZE: "1", LOCAL_RANK: "0", MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port) });
  runs = { two, one };
  return runs;
}

torchTest("train_ddp.py --nproc 2, 50 iterations: the loss falls, checkpoints come when asked, and minrnn loads and samples the result", async () => {
  const { two } = await ddpRuns();
  assert.is(two.status, 0, two.stderr);
  const losses = two.events.filter((e) => e.event === "iteration").map((e) => e.loss);
  assert.is(losses.length, ITERS);
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(mean(losses.slice(-10)) < 0.8 * mean(losses.slice(0, 10)), `the loss did not fall: ${losses.map((l) => l.toFixed(2)).join(" ")}`);
  assert.equal(two.events.filter((e) => e.event === "saved").map((e) => e.iteration), [40, 60, 70], "saved every 20 iterations and at the end");

  const bytes = readFileSync(join(work, "two.safetensors"));
  const model = CharRNN.load(bytes, { text: TRAIN });
  assert.is(model.iteration, 70);
  const text = model.sample({ length: 100, seed: 1 });
  assert.is([...text].length, 100);
  assert.ok([...text].every((ch) => TEXT.includes(ch)));
  model.dispose();
});

torchTest("two ranks on disjoint halves of the streams reach the weights of one rank on all of them (torchrun's env launch), and of minrnn itself (--val holding out what minrnn holds out)", async () => {
  const { two, one } = await ddpRuns();
  assert.is(one.status, 0, one.stderr);
  const twoBytes = readFileSync(join(work, "two.safetensors")), oneBytes = readFileSync(join(work, "one.safetensors"));
  const { a, e } = assertSameTensors(twoBytes, oneBytes, "2 ranks vs 1");
  assert.is(a.iteration, e.iteration);
  assert.is(a.position, e.position);
  assert.ok(Math.abs(a.smoothLoss - e.smoothLoss) < 1e-4, `smooth loss ${a.smoothLoss} vs ${e.smoothLoss}`);

  // minrnn from the same checkpoint, the same 50 iterations.
  const model = CharRNN.load(readFileSync(start), { text: TRAIN });
  model.train({ iterations: ITERS });
  const ours = assertSameTensors(twoBytes, model.save(), "DDP vs minrnn");
  assert.is(ours.a.iteration, ours.e.iteration);
  assert.is(ours.a.position, ours.e.position);
  assert.equal(ours.a.rng, ours.e.rng, "the PRNG state carries over untouched");
  model.dispose();
});

// Clips that fire: the elementwise clip alone, and then the global-norm clip after it, as
// minrnn applies them (assembly/optim.ts). The gradients of this model pass 0.1 at every
// iteration, and the norm of the clipped ones passes 0.5: without the elementwise clip
// the weights end 60 times their scale away from minrnn's, without the norm clip 2 times.
const CLIPS = [["an elementwise clip of 0.1", { clip: 0.1 }], ["an elementwise clip of 0.1, then clipNorm 0.5", { clip: 0.1, clipNorm: 0.5 }]];
torchTest("train_ddp.py --nproc 2 applies minrnn's clips that fire, elementwise then by norm, and reaches minrnn's own weights", async () => {
  await ddpRuns(); // writes the text
  const finals = [];
  for (const [what, clips] of [...CLIPS, ["no clip that fires", { clip: 5 }]]) {
    const from = join(work, `clip-${finals.length}.safetensors`), out = join(work, `clip-${finals.length}-out.safetensors`);
    const model = CharRNN.create({ text: TRAIN, hidden: 16, seqLength: 10, batch: 4, seed: 3, ...clips });
    model.train({ iterations: 20 });
    writeFileSync(from, model.save());
    model.train({ iterations: ITERS });
    const ours = model.save();
    model.dispose();
    finals.push(readSafetensors(ours).tensors.get("rnn.weight_hh_l0").data);
    if (what === "no clip that fires") break; // minrnn alone: the clips above must have changed its course
    const ddp = trainDdp(["--nproc", "2", "--out", out], {}, from);
    assert.is(ddp.status, 0, ddp.stderr);
    const { a, e } = assertSameTensors(readFileSync(out), ours, `DDP vs minrnn, ${what}`);
    assert.is(a.iteration, e.iteration);
    assert.ok(Math.abs(a.smoothLoss - e.smoothLoss) < 1e-4, `${what}: smooth loss ${a.smoothLoss} vs ${e.smoothLoss}`);
  }
  // Each clip fired: each changes minrnn's own course by far more than the tolerance.
  assert.ok(worstRel(finals[0], finals[2]) > 100 * LIMIT, "the elementwise clip of 0.1 did not fire");
  assert.ok(worstRel(finals[1], finals[0]) > 100 * LIMIT, "clipNorm 0.5 did not fire after the elementwise clip");
});

torchTest("train_ddp.py: mistakes in its input are one clear line, before any process starts", () => {
  const r = python([TRAIN_DDP, start, textPath, "--iters", "5", "--out", join(work, "x.safetensors"), "--nproc", "8"]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /8 processes need a batch of 8 streams or more .* the batch is 4; run fewer processes, or give --batch 8 or more/);
  writeFileSync(join(work, "other.txt"), TEXT + "Zebra €\n");
  const other = python([TRAIN_DDP, start, join(work, "other.txt"), "--iters", "5", "--out", join(work, "x.safetensors")]);
  assert.is(other.status, 2);
  assert.match(other.stderr, /not in the model's vocabulary: 'Z', '€'/);
  const notModel = python([TRAIN_DDP, textPath, textPath, "--iters", "5", "--out", join(work, "x.safetensors")]);
  assert.is(notModel.status, 1);
  assert.match(notModel.stderr, /text.txt: not a usable minrnn checkpoint/);
  // A rate minrnn refuses is refused before training, not trained uphill and saved.
  for (const bad of ["config-rate-negative", "training-rate-negative", "config-clipnorm-string"]) {
    const out = join(work, `${bad}-out.safetensors`);
    const r = python([TRAIN_DDP, join(root, `tests/fixtures/bad-checkpoints/${bad}.safetensors`), textPath, "--iters", "5", "--out", out]);
    assert.is(r.status, 1, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${bad}.safetensors: not a usable minrnn checkpoint: its (config|training metadata)'s (learningRate is -0.1|clipNorm is 'abc')`));
    assert.not.ok(existsSync(out), `${bad}: an output was written`);
  }
  const noDir = python([TRAIN_DDP, start, textPath, "--iters", "5", "--out", join(work, "no/such/x.safetensors")]);
  assert.is(noDir.status, 2);
  assert.match(noDir.stderr, /the directory .*no\/such does not exist/);
});

torchTest("train_ddp.py reads a training text no further than minrnn can train on (2^31 - 1 symbols), and says so", () => {
  // The bound lowered to 10 symbols, so that a 100-byte file passes it.
  const r = python(["-c", `import sys; sys.path.insert(0, sys.argv[1])
from minrnn_torch import ddp
ddp.MAX_INDEX = 10
for kind in ("bytes", "codepoints"):
    try:
        ddp.read_text(sys.argv[2], kind)
        print(kind, "read")
    except ddp.UsageError as e:
        print(kind, e)`, join(root, "python"), textPath]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^bytes .*text.txt: longer than the 10 bytes a training text can have \(10 bytes; the rest was not read\); train on a part of it\ncodepoints .*longer than the 40 bytes a training text can have \(10 characters/);
});

torchTest("train_ddp.py: a loss that stops being finite stops training on every rank, and the last good weights are saved", () => {
  // A learning rate no model survives; minrnn itself would refuse the update that overflows.
  const model = CharRNN.create({ text: TEXT, hidden: 16, seqLength: 10, batch: 4, learningRate: 3e38, clip: Infinity });
  const wild = join(work, "wild.safetensors"), out = join(work, "wild-out.safetensors");
  writeFileSync(wild, model.save());
  model.dispose();
  const r = python([TRAIN_DDP, wild, textPath, "--iters", "200", "--out", out, "--nproc", "2"]);
  assert.is(r.status, 1);
  const lines = r.stderr.split("\n").filter((l) => /iteration \d+/.test(l));
  assert.is(lines.length, 1, `one message, not one per rank:\n${r.stderr}`);
  const [line] = lines;
  assert.match(line, /would have made a weight or an optimizer slot infinite; the weights before it are saved in .*wild-out.safetensors. Train again from there with a lower learning rate \(now 3e\+38\), or a smaller clip/);
  const saved = CharRNN.load(readFileSync(out), { text: TEXT });
  assert.is(saved.iteration, Number(/iteration (\d+)/.exec(line)[1]));
  saved.dispose();
});

test.run();
