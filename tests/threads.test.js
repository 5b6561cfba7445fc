// Training on two threads (Node's startThreads and `minrnn train --threads 2`): the same
// bytes as one thread, through wraps of the text, saves and resumes, interleaved
// single-threaded steps and divergence; the refusals and their messages; the command.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { Worker } from "node:worker_threads";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { init, CharRNN, MinrnnError, corpus } from "minrnn";
import { startThreads } from "minrnn/threads";
import { root, trainAborted, stateOf, rejectsCode, throwsCode } from "./helpers.js";
import { snippet } from "./snippets.js";

await init();

const TEXT = corpus.slice(0, 4000);
const SMALL = { text: TEXT, hidden: 16, seqLength: 12, seed: 7 };


const hex = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

/** What an iteration changes, part by part (each compared by its name). */
function state(model) {
  return {
    weights: stateOf(model).parameters().map((t) => hex(t.data)).join(""),
    adagrad: stateOf(model).optimizerState().map((t) => hex(t.data)).join(""),
    carried: stateOf(model).carriedState().map((t) => hex(t.data)).join(""),
    iteration: model.iteration,
    position: model.position,
    smoothLoss: model.smoothLoss,
  };
}

/** The same state, the same last loss, and the same checkpoint file (which also holds the PRNG state). */
function assertSameState(a, b, what) {
  const sa = { ...state(a), loss: a.loss, checkpoint: hex(a.save()) };
  const sb = { ...state(b), loss: b.loss, checkpoint: hex(b.save()) };
  for (const key of Object.keys(sa)) assert.ok(sa[key] === sb[key], `${what}: ${key} differs`);
}

/** Trains with a progress call after every iteration; returns each iteration's loss, smooth loss and position. */
function trace(train, iterations) {
  const steps = [];
  train({ iterations, progressEvery: 1, onProgress: (p) => steps.push([p.loss, p.smoothLoss, p.position]) });
  return steps;
}

/** Whether the positions of a trace go back to the start of the text somewhere. */
const wraps = (steps) => steps.some(([, , p], i) => i > 0 && p < steps[i - 1][2]);

/** Two equal models of `batch` streams: `one` trains alone, `two` through a trainer on `threads` threads. */
async function twins(batch, threads = 2) {
  const one = CharRNN.create({ ...SMALL, batch });
  const two = CharRNN.create({ ...SMALL, batch });
  const trainer = await startThreads(two, { threads });
  assert.is(trainer.threads, threads);
  const done = async () => {
    await trainer.close();
    one.dispose(); two.dispose();
  };
  return { one, two, trainer, done };
}

for (const batch of [2, 3, 8]) {
  test(`batch ${batch}: two threads give the bytes of one, iteration by iteration, through wraps of the text`, async () => {
    const { one, two, trainer, done } = await twins(batch);
    const expected = trace((o) => one.train(o), 400);
    const got = trace((o) => trainer.train(o), 400);
    assert.equal(got, expected);
    assert.ok(wraps(expected), "the run wraps the text");
    assertSameState(two, one, "after 400 iterations");
    // Long calls (one exchange per iteration, state handed over once) end the same too.
    one.train({ iterations: 250 });
    const progress = trainer.train({ iterations: 250 });
    assert.equal(progress, one.progress());
    assertSameState(two, one, "after 650 iterations");
    await done();
  });
}

// The LSTM and GRU carry more state per stream (h and c per layer) and their parameters
// span more tensors: the exchange copies the core's spans without knowing that.
// (Resuming them is with the vanilla cell's below.)
for (const cell of ["lstm", "gru"]) {
  const STACKED = { ...SMALL, cell, layers: 2 };
  for (const batch of [2, 3]) {
    test(`${cell}, 2 layers, batch ${batch}: two threads give the bytes of one, through a wrap of the text`, async () => {
      const one = CharRNN.create({ ...STACKED, batch });
      const two = CharRNN.create({ ...STACKED, batch });
      const trainer = await startThreads(two);
      const expected = trace((o) => one.train(o), 200);
      assert.equal(trace((o) => trainer.train(o), 200), expected);
      assert.ok(wraps(expected), "the run wraps the text");
      assertSameState(two, one, "after 200 iterations");
      await trainer.close();
      one.dispose(); two.dispose();
    });
  }
}

test("threads: 1 runs on the calling thread, as model.train", async () => {
  const { one, two, trainer, done } = await twins(3, 1);
  one.train({ iterations: 120 });
  trainer.train({ iterations: 120 });
  assertSameState(two, one, "threads: 1");
  await done();
});

test("trainAsync on two threads: yields between chunks, stops on abort, the bytes of model.trainAsync", async () => {
  const { one, two, trainer, done } = await twins(4);
  const single = await trainAborted(one, { stopAt: 300, every: 20 });
  const threaded = await trainAborted(trainer, { stopAt: 300, every: 20 });
  assert.is(single.iteration, 300);
  assert.is(threaded.iteration, 300);
  assert.ok(threaded.ticks > 0, "the event loop ran during threaded training");
  assertSameState(two, one, "trainAsync");
  await done();
  await rejectsCode(() => trainer.trainAsync({ iterations: 1 }), "DISPOSED", /this trainer was closed/);
});

for (const [what, config] of [
  ["rnn", { ...SMALL, batch: 4 }],
  ["lstm, 2 layers", { ...SMALL, cell: "lstm", layers: 2, batch: 3 }],
  ["gru, 2 layers", { ...SMALL, cell: "gru", layers: 2, batch: 3 }],
]) {
  test(`${what}: save after threaded training, load and go on (through a wrap) single-threaded: the bytes of going on threaded`, async () => {
    const model = CharRNN.create(config);
    const trainer = await startThreads(model);
    trainer.train({ iterations: 170 });
    const saved = model.save();
    assert.ok(wraps(trace((o) => trainer.train(o), 130)), "the resumed part wraps the text");
    const resumed = CharRNN.load(saved, { text: TEXT });
    resumed.train({ iterations: 130 });
    assertSameState(resumed, model, "resumed single-threaded");
    // And the other way: resumed on two threads, continuing one that trained on one.
    const again = CharRNN.load(saved, { text: TEXT });
    const trainer2 = await startThreads(again);
    trainer2.train({ iterations: 130 });
    assertSameState(again, model, "resumed on two threads");
    await trainer.close(); await trainer2.close();
    model.dispose(); resumed.dispose(); again.dispose();
  });
}

test("between threaded calls the model is whole: steps, samples and state writes interleave exactly", async () => {
  const { one, two, trainer } = await twins(5);
  for (const [model, train] of [[one, (o) => one.train(o)], [two, (o) => trainer.train(o)]]) {
    train({ iterations: 90 });
    model.step();
    model.sample({ length: 50, fromTraining: true });
    train({ iterations: 60 });
    // Written from outside between calls: the worker must start from these weights.
    model.stateDict()["decoder.bias"].fill(0.125);
    train({ iterations: 60 });
  }
  assertSameState(two, one, "interleaved");
  assert.is(two.sample({ length: 80, seed: 3 }), one.sample({ length: 80, seed: 3 }));
  // After close the model trains on alone.
  await trainer.close();
  one.train({ iterations: 30 }); two.train({ iterations: 30 });
  assertSameState(two, one, "after close");
  await rejectsCode(() => trainer.train({ iterations: 1 }), "DISPOSED", /trainer was closed; start another/);
  one.dispose(); two.dispose();
});

test("divergence: both modes stop at the same iteration with the same, untouched state", async () => {
  const diverging = { text: TEXT, hidden: 8, seqLength: 8, batch: 2, learningRate: 1e38, clip: Infinity };
  const run = async (threads) => {
    const model = CharRNN.create(diverging);
    const trainer = await startThreads(model, { threads });
    let lastGood = state(model), error;
    try {
      trainer.train({ iterations: 100, progressEvery: 1, onProgress: () => { lastGood = state(model); } });
    } catch (e) { error = e; }
    assert.instance(error, MinrnnError);
    assert.is(error.code, "DIVERGED");
    assert.equal(state(model), lastGood, `threads ${threads}: the failed iteration changed nothing`);
    // A second try fails the same way and still changes nothing.
    await rejectsCode(() => trainer.train({ iterations: 5 }), "DIVERGED", /training stopped/);
    assert.equal(state(model), lastGood);
    await trainer.close();
    return { model, message: error.message, state: lastGood };
  };
  const one = await run(1), two = await run(2);
  assert.ok(one.state.iteration > 0, `diverged at iteration ${one.state.iteration + 1}`);
  assert.is(two.message, one.message);
  assert.equal(two.state, one.state);
  one.model.dispose(); two.model.dispose();
});

test("divergence: a NaN weight makes the first loss NaN on both threads; nothing changes", async () => {
  const model = CharRNN.create({ ...SMALL, batch: 2 });
  model.stateDict()["decoder.weight"][5] = NaN;
  const before = { weights: state(model).weights, iteration: model.iteration };
  const trainer = await startThreads(model);
  await rejectsCode(() => trainer.train({ iterations: 10 }), "DIVERGED", /the loss became NaN at iteration 1/);
  assert.equal({ weights: state(model).weights, iteration: model.iteration }, before);
  // Repaired from outside, training goes on from there.
  model.stateDict()["decoder.weight"][5] = 0;
  trainer.train({ iterations: 10 });
  assert.is(model.iteration, 10);
  await trainer.close();
  model.dispose();
});

test("refusals: batch 1, thread counts, a disposed model, no text, a changed text", async () => {
  const single = CharRNN.create({ ...SMALL });
  await rejectsCode(() => startThreads(single, { threads: 2 }), "INVALID_ARGUMENT", /two threads need a model with batch ≥ 2 .* this one has batch 1: create it with batch: 2 or more, or train it with threads: 1/);
  await rejectsCode(() => startThreads(single), "INVALID_ARGUMENT", /batch ≥ 2/);
  const t1 = await startThreads(single, { threads: 1 }); // nothing to split: allowed
  await t1.close();
  const batched = CharRNN.create({ ...SMALL, batch: 4 });
  for (const threads of [0, 3, 1.5, "2"]) {
    await rejectsCode(() => startThreads(batched, { threads }), "INVALID_ARGUMENT", /threads must be 1 or 2, got .*: training splits the streams into two shards/);
  }
  const vocabOnly = CharRNN.create({ vocab: batched.vocab, batch: 2 });
  await rejectsCode(() => startThreads(vocabOnly), "INVALID_TEXT", /no training text; call setText\(text\) before startThreads/);
  // A new text, shorter or of the same length, makes the worker's copy stale.
  for (const text of [TEXT.slice(0, 3000), TEXT.slice(1, 1 + batched.textLength)]) {
    const trainer = await startThreads(batched);
    batched.setText(text);
    await rejectsCode(() => trainer.train({ iterations: 1 }), "INVALID_STATE", /training text changed since startThreads; close this trainer and start another/);
    await trainer.close();
  }
  const disposed = CharRNN.create({ ...SMALL, batch: 2 });
  disposed.dispose();
  await rejectsCode(() => startThreads(disposed), "DISPOSED", /was disposed/);
  single.dispose(); batched.dispose(); vocabOnly.dispose();
});

test("a text set while startThreads is starting its worker is caught, not trained on stale in shard 1", async () => {
  // The worker copies the text when startThreads is called; the model may change its text
  // while the worker starts (startThreads awaits). The trainer must then refuse, as it does
  // for a text set after startThreads returned, or train on the new text: never on both.
  for (const text of [TEXT.slice(0, 3000), TEXT.slice(1000) + TEXT.slice(0, 1000)]) {
    const model = CharRNN.create({ ...SMALL, batch: 4 });
    const ref = CharRNN.create({ ...SMALL, batch: 4 });
    const pending = startThreads(model);
    model.setText(text);
    ref.setText(text);
    const trainer = await pending;
    let refused = null;
    try {
      trainer.train({ iterations: 40 });
    } catch (e) {
      refused = e;
    }
    if (refused === null) {
      ref.train({ iterations: 40 });
      assertSameState(model, ref, `text of ${text.length} set during startThreads, trained`);
    } else {
      assert.instance(refused, MinrnnError, String(refused));
      assert.is(refused.code, "INVALID_STATE");
      assert.match(refused.message, /training text changed since startThreads/);
    }
    await trainer.close();
    model.dispose(); ref.dispose();
  }
});

/** A worker thread running `body` with `exchange` (an 8-parameter ShardExchange) as its own view. */
function exchangeWorker(exchange, body) {
  return new Worker(`
    const { workerData } = require("node:worker_threads");
    import(workerData.url).then(({ ShardExchange }) => {
      const exchange = new ShardExchange(workerData.sab, workerData.sizes);
      ${body}
    });`, { eval: true, workerData: { sab: exchange.sab, sizes: exchange.sizes, url: pathToFileURL(join(root, "dist/node/exchange.js")).href } });
}

test("a worker's failure wakes the waiting thread, which throws instead of hanging", async () => {
  const { ShardExchange } = await import("../dist/node/exchange.js");
  const exchange = ShardExchange.allocate({ paramCount: 8, weightsBytes: 64, stateBytes: 16, progressBytes: 72, rngBytes: 16 });
  const worker = exchangeWorker(exchange, "setTimeout(() => exchange.fail(), 50);");
  try {
    assert.throws(() => exchange.receive(1, 0, new Float32Array(8)), /the training worker failed/);
    assert.throws(() => exchange.waitFinished(), /the training worker failed/);
  } finally {
    await worker.terminate();
  }
});

test("a worker that stops answering (killed, out of memory) is given up on, not waited for forever", async () => {
  const { ShardExchange } = await import("../dist/node/exchange.js");
  const exchange = ShardExchange.allocate({ paramCount: 8, weightsBytes: 64, stateBytes: 16, progressBytes: 72, rngBytes: 16 });
  exchange.patience(300);
  const start = performance.now();
  assert.throws(() => exchange.receive(1, 0, new Float32Array(8)), /the training worker has not answered for 0\.3 s: it was killed or ran out of memory/);
  assert.ok(performance.now() - start >= 290, "gave up before its patience ran out");
  // Progress within the patience is waited for: a worker posting after 100 ms is received.
  exchange.patience(5000);
  const worker = exchangeWorker(exchange, "setTimeout(() => exchange.publish(1, 0, new Float32Array(8).fill(2), 1.5), 100);");
  try {
    const into = new Float32Array(8);
    assert.is(exchange.receive(1, 0, into), 1.5);
    assert.equal(Array.from(into), new Array(8).fill(2));
  } finally {
    await worker.terminate();
  }
});

test("a trainer that is never closed does not keep the process alive", () => {
  const dir = mkdtempSync(join(tmpdir(), "minrnn-threads-"));
  try {
    const script = join(dir, "unclosed.mjs");
    const dist = (file) => JSON.stringify(pathToFileURL(join(root, "dist/node", file)).href);
    writeFileSync(script, `import { init, CharRNN, corpus } from ${dist("index.js")};
      import { startThreads } from ${dist("threads.js")};
      await init();
      const trainer = await startThreads(CharRNN.create({ text: corpus, hidden: 8, batch: 2 }));
      trainer.train({ iterations: 20 });
      console.log("trained");`);
    const r = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 20000 });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout.trim(), "trained");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's threads.mjs runs and prints the sample of the same training on one thread", () => {
  const script = join(root, "tests", ".threads-snippet.mjs"); // inside the package, so "minrnn" resolves to it
  writeFileSync(script, snippet("threads.mjs"));
  try {
    const r = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 30000 });
    assert.is(r.status, 0, r.stderr);
    const model = CharRNN.create({ text: corpus, hidden: 64, batch: 8, seed: 7 });
    model.train({ iterations: 300 });
    assert.is(r.stdout, `${model.sample({ length: 200, temperature: 0.8, seed: 3 })}\n`);
    model.dispose();
  } finally {
    rmSync(script, { force: true });
  }
});

test("minrnn train --threads 2: checkpoints and the final save load, byte for byte those of --threads 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "minrnn-threads-"));
  try {
    const cli = (...args) => spawnSync(process.execPath, [join(root, "dist/node/cli/cli.js"), "train", ...args], { cwd: dir, encoding: "utf8", timeout: 60000 });
    const common = ["--hidden", "16", "--seq", "12", "--batch", "3", "--sample-every", "70"];
    const two = cli(...common, "--iters", "300", "--threads", "2", "--checkpoint-every", "100", "--json", "--out", "two.safetensors");
    assert.is(two.status, 0, two.stderr);
    const checkpoints = two.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.event === "checkpoint");
    assert.equal(checkpoints.map((e) => e.iteration), [100, 200, 300]);
    const one = cli(...common, "--iters", "300", "--quiet", "--out", "one.safetensors");
    assert.is(one.status, 0, one.stderr);
    const file = (name) => readFileSync(join(dir, name));
    assert.ok(file("two.safetensors").equals(file("one.safetensors")), "the same checkpoint");
    const model = CharRNN.load(file("two.safetensors"));
    assert.is(model.iteration, 300);
    model.dispose();
    // Stopped at 200 and resumed on two threads: the file of the run that never stopped.
    const part = cli(...common, "--iters", "200", "--quiet", "--threads", "2", "--out", "part.safetensors");
    assert.is(part.status, 0, part.stderr);
    const resumed = cli("--resume", "part.safetensors", "--iters", "100", "--sample-every", "70", "--quiet", "--threads", "2");
    assert.is(resumed.status, 0, resumed.stderr);
    assert.ok(file("part.safetensors").equals(file("one.safetensors")), "resumed: the same checkpoint");
    const bad = cli("--threads", "2", "--iters", "5");
    assert.is(bad.status, 2);
    assert.match(bad.stderr, /--threads 2 needs --batch 2 or more .*the model has batch 1/);
    const three = cli("--threads", "3", "--batch", "4");
    assert.is(three.status, 2);
    assert.match(three.stderr, /--threads must be 1 or 2, got 3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
