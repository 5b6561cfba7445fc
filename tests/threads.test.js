// Training on N threads (startThreads and `minrnn train --threads N|auto`): the same
// bytes as one thread for any N, through wraps of the text, saves and resumes on other
// thread counts, interleaved single-threaded steps and divergence; a failing thread; no
// thread left behind; the refusals and their messages; the command.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { init, CharRNN, MinrnnError } from "minrnn";
import { corpus } from "minrnn/corpus";
import { startThreads } from "minrnn/threads";
import { root, trainAborted, stateOf, rejectsCode } from "./helpers.js";
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

/** Two equal models of `config`: `one` trains alone, `two` through a trainer on `threads` threads. */
async function twins(config, threads) {
  const one = CharRNN.create(config);
  const two = CharRNN.create(config);
  const trainer = await startThreads(two, { threads });
  assert.is(trainer.threads, threads);
  const done = async () => {
    await trainer.close();
    one.dispose(); two.dispose();
  };
  return { one, two, trainer, done };
}

// Each configuration, trained on 1, 2, 3, 4 and 8 threads (where its shards allow), must
// give the bytes of model.train() iteration by iteration, through wraps of the text and
// across calls. Batch 8 has 8 shards of one stream; batch 32 has 16 of two.
const CELLS = {
  rnn: { ...SMALL },
  "lstm, 2 layers, dropout, Adam, clip-norm": { ...SMALL, cell: "lstm", layers: 2, dropout: 0.25, optimizer: "adam", learningRate: 2e-3, clipNorm: 0.5 },
  "gru, 2 layers, dropout, RMSProp": { ...SMALL, cell: "gru", layers: 2, dropout: 0.1, optimizer: "rmsprop", learningRate: 2e-3 },
};
for (const [what, cell] of Object.entries(CELLS)) {
  for (const batch of [8, 32]) {
    test(`${what}, batch ${batch}: 1, 2, 3, 4 and 8 threads give the bytes of model.train(), through wraps of the text`, async () => {
      const config = { ...cell, batch, seqLength: batch === 32 ? 6 : 12 };
      const reference = CharRNN.create(config);
      const expected = trace((o) => reference.train(o), 120);
      assert.ok(wraps(expected), "the run wraps the text");
      for (const threads of [1, 2, 3, 4, 8]) {
        const model = CharRNN.create(config);
        const trainer = await startThreads(model, { threads });
        assert.is(trainer.threads, threads);
        assert.is(trainer.shards, Math.min(batch, 16));
        assert.equal(trace((o) => trainer.train(o), 80), expected.slice(0, 80), `${threads} threads`);
        trainer.train({ iterations: 40 }); // one long call: the state handed over once
        assertSameState(model, reference, `${threads} threads`);
        await trainer.close();
        model.dispose();
      }
      reference.dispose();
    });
  }
}

test("a checkpoint trained on 3 threads resumes on 1, 2, 4 and 8 threads to the bytes of the run that never stopped", async () => {
  const config = { ...CELLS["lstm, 2 layers, dropout, Adam, clip-norm"], batch: 8 };
  const straight = CharRNN.create(config);
  straight.train({ iterations: 160 });
  const model = CharRNN.create(config);
  const trainer = await startThreads(model, { threads: 3 });
  trainer.train({ iterations: 90 });
  const saved = model.save();
  await trainer.close();
  for (const threads of [1, 2, 4, 8]) {
    const resumed = CharRNN.load(saved, { text: TEXT });
    const again = await startThreads(resumed, { threads });
    again.train({ iterations: 70 });
    assertSameState(resumed, straight, `resumed on ${threads} threads`);
    await again.close();
    resumed.dispose();
  }
  straight.dispose(); model.dispose();
});

// The bytes that moved with N shards (batch ≥ 3: the streams' shards and the order their
// gradients are summed in), and at batch ≥ 8 with the packed register tiles (W·x sums its
// columns in order), are pinned here, for every cell, so that they move again only on
// purpose: weights, optimizer slots and carried state after 60 iterations.
const PINNED = {
  "rnn, batch 3": "dfb5f57c2de0917a",
  "rnn, batch 8": "3fa8106a33e3b608",
  "rnn, batch 32": "f2d137c6e4461f8e",
  "lstm, 2 layers, dropout, Adam, clip-norm, batch 3": "be464c76ed06267d",
  "lstm, 2 layers, dropout, Adam, clip-norm, batch 8": "b79f3bfdd74b6c89",
  "lstm, 2 layers, dropout, Adam, clip-norm, batch 32": "aca3275ce4da1195",
  "gru, 2 layers, dropout, RMSProp, batch 3": "a9d4677e14444e1b",
  "gru, 2 layers, dropout, RMSProp, batch 8": "4b0487eac6958b8b",
  "gru, 2 layers, dropout, RMSProp, batch 32": "c40c51072e036e6b"
};

test("pinned: the trained state at batch 3, 8 and 32, with their shards and the blocked norm", async () => {
  const digest = (m) => {
    const hash = createHash("sha256");
    const s = stateOf(m);
    for (const t of [...s.parameters(), ...s.optimizerState(), ...s.carriedState()]) hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    return hash.digest("hex").slice(0, 16);
  };
  const got = {};
  for (const [what, cell] of Object.entries(CELLS)) {
    for (const batch of [3, 8, 32]) {
      const model = CharRNN.create({ ...cell, batch, seqLength: 6 });
      model.train({ iterations: 60 });
      got[`${what}, batch ${batch}`] = digest(model);
      model.dispose();
    }
  }
  assert.equal(got, PINNED);
});

test("trainAsync on three threads: yields between chunks, stops on abort, the bytes of model.trainAsync", async () => {
  const { one, two, trainer, done } = await twins({ ...SMALL, batch: 4 }, 3);
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
    const trainer = await startThreads(model, { threads: 2 });
    trainer.train({ iterations: 170 });
    const saved = model.save();
    assert.ok(wraps(trace((o) => trainer.train(o), 130)), "the resumed part wraps the text");
    const resumed = CharRNN.load(saved, { text: TEXT });
    resumed.train({ iterations: 130 });
    assertSameState(resumed, model, "resumed single-threaded");
    // And the other way: resumed on three threads, continuing one that trained on two.
    const again = CharRNN.load(saved, { text: TEXT });
    const trainer2 = await startThreads(again, { threads: 3 });
    trainer2.train({ iterations: 130 });
    assertSameState(again, model, "resumed on three threads");
    await trainer.close(); await trainer2.close();
    model.dispose(); resumed.dispose(); again.dispose();
  });
}

test("between threaded calls the model is whole: steps, samples and state writes interleave exactly", async () => {
  const { one, two, trainer } = await twins({ ...SMALL, batch: 5 }, 4);
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

test("divergence: 1, 2 and 4 threads stop at the same iteration with the same, untouched state", async () => {
  const diverging = { text: TEXT, hidden: 8, seqLength: 8, batch: 4, learningRate: 1e38, clip: Infinity };
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
  const one = await run(1);
  assert.ok(one.state.iteration > 0, `diverged at iteration ${one.state.iteration + 1}`);
  for (const threads of [2, 4]) {
    const many = await run(threads);
    assert.is(many.message, one.message);
    assert.equal(many.state, one.state);
    many.model.dispose();
  }
  one.model.dispose();
});

test("divergence: a NaN weight makes the first loss NaN on every thread; nothing changes", async () => {
  const model = CharRNN.create({ ...SMALL, batch: 3 });
  model.stateDict()["decoder.weight"][5] = NaN;
  const before = { weights: state(model).weights, iteration: model.iteration };
  const trainer = await startThreads(model, { threads: 3 });
  await rejectsCode(() => trainer.train({ iterations: 10 }), "DIVERGED", /the loss became NaN at iteration 1/);
  assert.equal({ weights: state(model).weights, iteration: model.iteration }, before);
  // Repaired from outside, training goes on from there.
  model.stateDict()["decoder.weight"][5] = 0;
  trainer.train({ iterations: 10 });
  assert.is(model.iteration, 10);
  await trainer.close();
  model.dispose();
});

test("refusals: thread counts beyond the shards, not integers, unknown options, a disposed model, no text, a changed text", async () => {
  const single = CharRNN.create({ ...SMALL });
  await rejectsCode(() => startThreads(single, { threads: 2 }), "INVALID_ARGUMENT", /threads must be "auto" or an integer from 1 to 1, this model's shard count \(one per stream of its batch 1\), got 2: create the model with batch: 2 or more/);
  for (const threads of [undefined, "auto", 1]) {
    const t = await startThreads(single, threads === undefined ? {} : { threads }); // nothing to split: one thread
    assert.is(t.threads, 1);
    await t.close();
  }
  const batched = CharRNN.create({ ...SMALL, batch: 4 });
  for (const threads of [0, 5, 1.5, "2", null]) {
    await rejectsCode(() => startThreads(batched, { threads }), "INVALID_ARGUMENT", /threads must be "auto" or an integer from 1 to 4, this model's shard count \(one per stream of its batch 4\), got/);
  }
  await rejectsCode(() => startThreads(batched, { thread: 2 }), "INVALID_ARGUMENT", /startThreads has no option "thread": did you mean `threads`\?/);
  const vocabOnly = CharRNN.create({ vocab: batched.vocab, batch: 2 });
  await rejectsCode(() => startThreads(vocabOnly), "INVALID_TEXT", /no training text; call setText\(text\) before startThreads/);
  // A new text, shorter or of the same length, makes the workers' copies stale.
  for (const text of [TEXT.slice(0, 3000), TEXT.slice(1, 1 + batched.textLength)]) {
    const trainer = await startThreads(batched, { threads: 2 });
    batched.setText(text);
    await rejectsCode(() => trainer.train({ iterations: 1 }), "INVALID_STATE", /training text changed since startThreads; close this trainer and start another/);
    await trainer.close();
  }
  const disposed = CharRNN.create({ ...SMALL, batch: 2 });
  disposed.dispose();
  await rejectsCode(() => startThreads(disposed), "DISPOSED", /was disposed/);
  single.dispose(); batched.dispose(); vocabOnly.dispose();
});

test('"auto" (the default) takes the cores of the machine, at most the shard count', async () => {
  const cores = availableParallelism();
  for (const batch of [1, 2, 32]) {
    const model = CharRNN.create({ ...SMALL, batch });
    const trainer = await startThreads(model);
    assert.is(trainer.threads, Math.min(cores, batch, 16), `batch ${batch}`);
    assert.is(trainer.reason, null);
    await trainer.close();
    model.dispose();
  }
});

// The workers are node:worker_threads Workers; the tests see them by wrapping its postMessage.
async function watchingWorkers(body) {
  const post = Worker.prototype.postMessage;
  const seen = new Set();
  let change = (call) => call;
  Worker.prototype.postMessage = function (message) {
    seen.add(this);
    return post.call(this, message?.iterations === undefined ? message : change(message));
  };
  try {
    return await body({ seen, corrupt: (f) => { change = f; } });
  } finally {
    Worker.prototype.postMessage = post;
  }
}

test("close() ends every worker", async () => {
  await watchingWorkers(async ({ seen }) => {
    const model = CharRNN.create({ ...SMALL, batch: 8 });
    const trainer = await startThreads(model, { threads: 8 });
    trainer.train({ iterations: 5 });
    assert.is(seen.size, 7, "seven workers beside the calling thread");
    await trainer.close();
    for (const worker of seen) assert.is(worker.threadId, -1, "a worker still runs after close()");
    model.dispose();
  });
});

test("a thread that fails mid-call: the caller gets THREAD_FAILED, the model keeps its last whole state, a new trainer goes on to the same bytes", async () => {
  const config = { ...SMALL, batch: 6, optimizer: "adam", learningRate: 2e-3 };
  const reference = CharRNN.create(config);
  reference.train({ iterations: 60 });
  await watchingWorkers(async ({ seen, corrupt }) => {
    const model = CharRNN.create(config);
    const trainer = await startThreads(model, { threads: 3 });
    trainer.train({ iterations: 30 });
    const before = state(model);
    // One worker gets a call it cannot run (null): it throws, prints, and flags the exchange.
    let once = true;
    corrupt((call) => (once ? (once = false, null) : call));
    const print = console.error;
    console.error = () => {};
    try {
      await rejectsCode(() => trainer.train({ iterations: 10 }), "THREAD_FAILED", /a training thread failed \(see the error it printed\); the model keeps the weights of its last whole iteration/);
    } finally {
      console.error = print;
    }
    assert.equal(state(model), before, "the failed call changed nothing");
    await rejectsCode(() => trainer.train({ iterations: 1 }), "DISPOSED", /this trainer was closed/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const worker of seen) assert.is(worker.threadId, -1, "a worker still runs after the failure");
    corrupt((call) => call);
    const again = await startThreads(model, { threads: 3 });
    again.train({ iterations: 30 });
    assertSameState(model, reference, "after the failure, on a new trainer");
    await again.close();
    model.dispose();
  });
  reference.dispose();
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

const SIZES = { threads: 2, shards: 2, paramCount: 8, blocks: 1, weightsBytes: 64, stateBytes: 16, progressBytes: 72, rngBytes: 16 };

/** A worker thread running `body` with `exchange` (of SIZES) as its own view. */
function exchangeWorker(exchange, body) {
  return new Worker(`
    const { workerData } = require("node:worker_threads");
    import(workerData.url).then(({ Exchange }) => {
      const exchange = new Exchange(workerData.sab, workerData.sizes);
      ${body}
    });`, { eval: true, workerData: { sab: exchange.sab, sizes: exchange.sizes, url: pathToFileURL(join(root, "build/modules/threads/exchange.js")).href } });
}

test("a thread's failure wakes the waiting thread, which throws instead of hanging", async () => {
  const { Exchange } = await import("../build/modules/threads/exchange.js");
  const exchange = Exchange.allocate(SIZES);
  const worker = exchangeWorker(exchange, "setTimeout(() => exchange.fail(), 50);");
  try {
    await rejectsCode(() => exchange.barrier(), "THREAD_FAILED", /a training thread failed \(see the error it printed\)/);
    await rejectsCode(() => exchange.waitFinished(), "THREAD_FAILED", /a training thread failed/);
  } finally {
    await worker.terminate();
  }
});

test("a thread that stops answering (killed, out of memory) is given up on, not waited for forever", async () => {
  const { Exchange } = await import("../build/modules/threads/exchange.js");
  const exchange = Exchange.allocate(SIZES);
  exchange.patience(300);
  const start = performance.now();
  await rejectsCode(() => exchange.barrier(), "THREAD_FAILED", /a training thread has not answered for 0\.3 s: it was killed or ran out of memory/);
  assert.ok(performance.now() - start >= 290, "gave up before its patience ran out");
  // Progress within the patience is waited for: a thread arriving after 100 ms lets both pass.
  exchange.reset();
  exchange.begin();
  exchange.patience(5000);
  const worker = exchangeWorker(exchange, "setTimeout(() => { exchange.losses[1] = 1.5; exchange.barrier(); }, 100);");
  try {
    exchange.barrier();
    assert.is(exchange.losses[1], 1.5);
  } finally {
    await worker.terminate();
  }
});

test("a trainer that is never closed does not keep the process alive", () => {
  const dir = mkdtempSync(join(tmpdir(), "minrnn-threads-"));
  try {
    const script = join(dir, "unclosed.mjs");
    const dist = (file) => JSON.stringify(pathToFileURL(join(root, "dist/node", file)).href);
    writeFileSync(script, `import { init, CharRNN } from ${dist("index.js")};
      import { corpus } from ${dist("../corpus.js")};
      import { startThreads } from ${dist("threads/threads.js")};
      await init();
      const trainer = await startThreads(CharRNN.create({ text: corpus, hidden: 8, batch: 4 }), { threads: 4 });
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

test("minrnn train --threads N|auto: checkpoints and the final save load, byte for byte those of --threads 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "minrnn-threads-"));
  try {
    const cli = (...args) => spawnSync(process.execPath, [join(root, "dist/node/cli/cli.js"), "train", ...args], { cwd: dir, encoding: "utf8", timeout: 60000 });
    const common = ["--hidden", "16", "--seq", "12", "--batch", "5", "--sample-every", "70"];
    const three = cli(...common, "--iters", "300", "--threads", "3", "--checkpoint-every", "100", "--json", "--out", "three.safetensors");
    assert.is(three.status, 0, three.stderr);
    const events = three.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    assert.is(events.find((e) => e.event === "start").threads, 3);
    assert.equal(events.filter((e) => e.event === "checkpoint").map((e) => e.iteration), [100, 200, 300]);
    const one = cli(...common, "--iters", "300", "--quiet", "--threads", "1", "--out", "one.safetensors");
    assert.is(one.status, 0, one.stderr);
    const auto = cli(...common, "--iters", "300", "--json", "--out", "auto.safetensors");
    assert.is(auto.status, 0, auto.stderr);
    assert.is(JSON.parse(auto.stdout.split("\n")[0]).threads, Math.min(availableParallelism(), 5), "auto: the cores, at most the shards");
    const file = (name) => readFileSync(join(dir, name));
    assert.ok(file("three.safetensors").equals(file("one.safetensors")), "3 threads: the same checkpoint");
    assert.ok(file("auto.safetensors").equals(file("one.safetensors")), "auto: the same checkpoint");
    const model = CharRNN.load(file("three.safetensors"));
    assert.is(model.iteration, 300);
    model.dispose();
    // Stopped at 200 on 5 threads and resumed on 2: the file of the run that never stopped.
    const part = cli(...common, "--iters", "200", "--quiet", "--threads", "5", "--out", "part.safetensors");
    assert.is(part.status, 0, part.stderr);
    const resumed = cli("--resume", "part.safetensors", "--iters", "100", "--sample-every", "70", "--quiet", "--threads", "2");
    assert.is(resumed.status, 0, resumed.stderr);
    assert.ok(file("part.safetensors").equals(file("one.safetensors")), "resumed: the same checkpoint");
    const bad = cli("--threads", "2", "--iters", "5");
    assert.is(bad.status, 2);
    assert.match(bad.stderr, /--threads 2: must be auto or an integer from 1 to 1, this model's shard count .*the model has batch 1/);
    const many = cli("--threads", "5", "--batch", "4");
    assert.is(many.status, 2);
    assert.match(many.stderr, /--threads 5: must be auto or an integer from 1 to 4/);
    const zero = cli("--threads", "0");
    assert.is(zero.status, 2);
    assert.match(zero.stderr, /--threads must be/);
    const help = spawnSync(process.execPath, [join(root, "dist/node/cli/cli.js"), "train", "--help"], { encoding: "utf8" });
    assert.match(help.stdout, new RegExp(`--threads N\\|auto[^]*default auto; here ${availableParallelism()} core`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
