// The LSTM and GRU against PyTorch on this CPU, and the vanilla cell against 0.1.0.
//
// Per cell (2 layers of 128, T 50, tiny shakespeare, min-char-rnn's Adagrad and clip 5,
// as minrnn trains by default): training chars/s at batch 1 and 32, on one and two
// threads, in the default build and (where the runtime has relaxed SIMD) the fused one;
// PyTorch's on one thread, and at batch 32 on two (bench/reference/torch_rnn.py, the same
// recipe, run by /usr/bin/python3 when it has torch); and a ceiling, the chars/s the flops
// of a character would allow at the speed the matrix kernels reach in this same run.
// Sampling per cell beside the vanilla H 100's, against its own ceiling (one stream: the
// kernels' speed at one vector). Rounds are interleaved and medians reported, so a busy
// spell hits every column alike.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { init, CharRNN } from "minrnn";
import { startThreads } from "minrnn/threads";
import { median, seconds } from "./stats.js";
import { baselineModule, baselineTrainer, BASELINE_COMMIT } from "./baseline.js";
import { runPeer } from "./peers/install.js";

const TORCH_SCRIPT = fileURLToPath(new URL("./reference/torch_rnn.py", import.meta.url));
const TORCH_PYTHON = "/usr/bin/python3";
export const CELL_SHAPE = { layers: 2, hidden: 128, seqLength: 50 };
const GATES = { rnn: 1, lstm: 4, gru: 3 };

/** Whether /usr/bin/python3 has torch; its version or null. */
export function torchVersion() {
  const r = spawnSync(TORCH_PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Flops of one character, counting multiply and add (2 per weight use): per layer the
 * recurrence W_hh·h, the input side W_ih·x above layer 0 (layer 0's is a column gather),
 * and the decoder; training adds two more products per weight in backward (the weight
 * gradient and the gradient passed back). LSTM 2×128, V 65: 1.23 M to train, 0.41 M to sample.
 */
export function flopsPerChar(cell, { layers, hidden: H }, V, training) {
  const GH = GATES[cell] * H;
  const matrices = 2 * GH * H * layers + 2 * GH * H * (layers - 1) + 2 * V * H;
  return training ? 3 * matrices : matrices;
}

function torchRound(dataPath, cell, batch, iters, threads = 1) {
  const r = spawnSync(TORCH_PYTHON, [TORCH_SCRIPT, "--data", dataPath, "--cell", cell, "--layers", String(CELL_SHAPE.layers),
    "--hidden", String(CELL_SHAPE.hidden), "--seq", String(CELL_SHAPE.seqLength), "--batch", String(batch), "--iters", String(iters), "--threads", String(threads)],
  { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) } });
  if (r.status !== 0) throw new Error(`PyTorch reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()).charsPerSec;
}

/**
 * Training chars/s per cell and setup, minrnn (both arithmetics at batch 32, where the
 * runtime has the fused build) and, where torch is here, PyTorch on one thread and, at
 * batch 32, two, in interleaved rounds. Returns rows { cell, batch, threads, arithmetic,
 * minrnn, torch, torch2, flops }.
 */
export async function cellTraining({ text, dataPath, rounds, charsPerRound, torch, fused }) {
  const setups = [];
  const runs = [[1, 1, "mul-add"], [32, 1, "mul-add"], [32, 2, "mul-add"], ...(fused ? [[1, 1, "fma"], [32, 1, "fma"], [32, 2, "fma"]] : [])];
  for (const cell of ["lstm", "gru"]) {
    for (const [batch, threads, arithmetic] of runs) {
      await init({ arithmetic });   // a model keeps the core it was created with
      const model = CharRNN.create({ text, cell, ...CELL_SHAPE, batch, learningRate: 0.1, seed: 42 });
      const trainer = await startThreads(model, { threads });
      const chars = batch * CELL_SHAPE.seqLength;
      const iters = Math.max(2, Math.round(charsPerRound / chars));
      const train = () => trainer.train({ iterations: iters, progressEvery: iters });
      train(); // warm-up
      // PyTorch runs at about a tenth of minrnn's speed at batch 1: fewer iterations for it.
      const torchIters = Math.max(2, Math.round(iters / (batch === 1 ? 10 : 3)));
      setups.push({ cell, batch, threads, arithmetic, model, trainer, train, iters, chars, torchIters, rates: [], torchRates: [], torch2Rates: [] });
    }
  }
  await init();
  for (let r = 0; r < rounds; r++) {
    for (const s of setups) {
      s.rates.push((s.chars * s.iters) / seconds(s.train));
      if (!torch || s.threads !== 1 || s.arithmetic !== "mul-add") continue;
      s.torchRates.push(torchRound(dataPath, s.cell, s.batch, s.torchIters));
      if (s.batch > 1) s.torch2Rates.push(torchRound(dataPath, s.cell, s.batch, s.torchIters, 2));
    }
  }
  const rows = [];
  for (const s of setups) {
    await s.trainer.close();
    const twin = setups.find((t) => t.cell === s.cell && t.batch === s.batch && t.threads === 1 && t.arithmetic === "mul-add");
    rows.push({ cell: s.cell, batch: s.batch, threads: s.threads, arithmetic: s.arithmetic, minrnn: median(s.rates),
      torch: twin.torchRates.length ? median(twin.torchRates) : null, torch2: twin.torch2Rates.length ? median(twin.torch2Rates) : null,
      flops: flopsPerChar(s.cell, CELL_SHAPE, s.model.config.vocabSize, true) });
    s.model.dispose();
  }
  return rows;
}

/**
 * TF.js's LSTM 2×128 training at B 32, T 50 (chars/s, median of `rounds`), on its wasm
 * backend (XNNPACK, one thread) and its plain JS one: the JavaScript peers (peers/tfjs-lstm.cjs).
 */
export function tfjsTraining({ dataPath, rounds }) {
  return Object.fromEntries(["wasm", "cpu"].map((backend) => {
    const r = runPeer("tfjs-lstm.cjs", [backend, dataPath, 32, backend === "wasm" ? 2 : 1, rounds]);
    return [backend, r.skipped ? { skipped: r.skipped } : { version: r.version, charsPerSec: median(r.charsPerSec) }];
  }));
}

/** Sampling chars/s (temperature 1) of an LSTM, a GRU and the vanilla H 100, each briefly trained. */
export function cellSampling({ text, rounds, length }) {
  const models = [
    { name: "lstm 2×128", cell: "lstm", model: CharRNN.create({ text, cell: "lstm", ...CELL_SHAPE, seed: 42 }) },
    { name: "gru 2×128", cell: "gru", model: CharRNN.create({ text, cell: "gru", ...CELL_SHAPE, seed: 42 }) },
    { name: "rnn 1×100", cell: "rnn", model: CharRNN.create({ text, hidden: 100, seqLength: 25, seed: 42 }) },
  ];
  for (const m of models) {
    m.model.train({ iterations: 20 });
    m.model.sample({ length: length / 10, seed: 1 }); // warm-up
    m.rates = [];
    const { layers, hidden } = m.model.config;
    m.flops = flopsPerChar(m.cell, { layers, hidden }, m.model.config.vocabSize, false);
  }
  for (let r = 0; r < rounds; r++) {
    for (const m of models) {
      const n = m.cell === "rnn" ? length : length / 5;
      m.rates.push(n / seconds(() => m.model.sample({ length: n, seed: r })));
    }
  }
  return models.map((m) => {
    m.model.dispose();
    return { model: m.name, chars: median(m.rates), flops: m.flops };
  });
}

/**
 * The vanilla reference model at batch 1 (H 100, T 25, lr 0.1) on this build and on
 * 0.1.0's core, interleaved. Returns { now, baseline, commit } in chars/s, or a reason.
 */
export function vanillaAgainstBaseline({ text, rounds, roundSeconds }) {
  const { module, reason } = baselineModule();
  if (!module) return { commit: BASELINE_COMMIT, skipped: reason };
  const options = { hidden: 100, seqLength: 25, learningRate: 0.1 };
  const model = CharRNN.create({ text, ...options, seed: 42 });
  const indices = model.vocab.encode(text);
  if (indices.BYTES_PER_ELEMENT !== 1) return { commit: BASELINE_COMMIT, skipped: "the text needs wider indices than the probe feeds" };
  const old = baselineTrainer(module, indices, model.vocab.size, options);
  const now = (n) => model.train({ iterations: n, progressEvery: n });
  const calibrate = (train) => { train(200); return Math.max(200, Math.round(200 * roundSeconds / seconds(() => train(200)))); };
  const runs = { now: { train: now, iters: calibrate(now), rates: [] }, baseline: { train: old, iters: calibrate(old), rates: [] } };
  for (let r = 0; r < rounds; r++) {
    for (const run of Object.values(runs)) run.rates.push((run.iters * 25) / seconds(() => run.train(run.iters)));
  }
  model.dispose();
  return { commit: BASELINE_COMMIT, now: median(runs.now.rates), baseline: median(runs.baseline.rates) };
}
