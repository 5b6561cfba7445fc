// Training and sampling throughput at the reference configuration (H 100, T 25, lr 0.1):
// minrnn against the plain TypeScript port (bench/reference/plain.ts, compiled to
// build/bench/plain.js by npm run build:bench; run in this process)
// and the numpy port (bench/reference/min_char_rnn.py, one child process per round).
// Rounds are interleaved (minrnn, plain, numpy f64, numpy f32, then again) so that a
// slow spell of a shared machine hits every implementation alike; medians are reported.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CharRNN } from "minrnn";
import { startThreads } from "minrnn/threads";
import { PlainCharRNN, encode } from "../build/bench/plain.js";
import { median, seconds } from "./stats.js";

const T = 25;
const NUMPY_SCRIPT = fileURLToPath(new URL("./reference/min_char_rnn.py", import.meta.url));

/** Iterations of `train(n)` that take about `target` seconds, from a short timed run. */
function calibrate(train, target, first) {
  train(first); // warm-up: JIT tiers, caches
  const s = seconds(() => train(first));
  return Math.max(first, Math.round((first * target) / s));
}

/** Whether python3 with numpy is here; its version or null. */
export function numpyVersion() {
  const r = spawnSync("python3", ["-c", "import numpy; print(numpy.__version__)"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

// The numpy child runs one thread with OpenBLAS's own kernel choice: OPENBLAS_CORETYPE
// and OPENBLAS_L2_SIZE, set on this machine for old OpenBLAS builds, slow a current numpy
// (see the environment notes), and one thread compares one core with one core.
function numpyEnv() {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

function numpyRound(dataPath, dtype, iters) {
  const r = spawnSync("python3", [NUMPY_SCRIPT, "--data", dataPath, "--dtype", dtype,
    "--iters", String(iters), "--warmup", "20", "--rounds", "1"], { encoding: "utf8", env: numpyEnv() });
  if (r.status !== 0) throw new Error(`numpy reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()).charsPerSec;
}

/**
 * Interleaved rounds of every implementation; returns { name: { median, rounds } } in
 * chars/s (T characters per iteration).
 */
export function compareTraining({ text, dataPath, rounds, roundSeconds, numpy }) {
  const model = CharRNN.create({ text, hidden: 100, seqLength: T, learningRate: 0.1, seed: 42 });
  const { vocab, indices } = encode(text);
  const plain = new PlainCharRNN({ indices, vocabSize: vocab.length, hidden: 100, seqLength: T, learningRate: 0.1, seed: 42 });
  const trainMinrnn = (n) => model.train({ iterations: n, progressEvery: n });
  const runs = {
    minrnn: { iters: calibrate(trainMinrnn, roundSeconds, 500), round: (n) => (n * T) / seconds(() => trainMinrnn(n)) },
    "plain-ts": { iters: calibrate((n) => plain.train(n), roundSeconds, 40), round: (n) => (n * T) / seconds(() => plain.train(n)) },
  };
  if (numpy) {
    // ~25k chars/s (f64) and ~35k (f32) here: about roundSeconds each.
    runs["numpy-f64"] = { iters: Math.round(roundSeconds * 1000), round: (n) => numpyRound(dataPath, "float64", n) };
    runs["numpy-f32"] = { iters: Math.round(roundSeconds * 1400), round: (n) => numpyRound(dataPath, "float32", n) };
  }
  const results = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(runs)) results[name].push(run.round(run.iters));
  }
  model.dispose();
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { median: median(v), rounds: v }]));
}

/**
 * chars/s = B·T·iterations/s for each { batch, threads } run (startThreads: one thread is
 * model.train itself), interleaved rounds of about `charsPerRound`. Returns
 * { label: { batch, threads, median, rounds } }, labels "B" or "B, 2 threads".
 */
export async function batchScaling({ text, runs, rounds, charsPerRound }) {
  const setups = [];
  for (const { batch, threads } of runs) {
    const model = CharRNN.create({ text, hidden: 100, seqLength: T, batch, seed: 42 });
    const trainer = await startThreads(model, { threads });
    const iters = Math.max(1, Math.round(charsPerRound / (batch * T)));
    const train = () => trainer.train({ iterations: iters, progressEvery: iters });
    train(); // warm-up
    setups.push({ batch, threads, model, trainer, train, iters, rates: [] });
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of setups) s.rates.push((s.batch * T * s.iters) / seconds(s.train));
  }
  for (const s of setups) {
    await s.trainer.close();
    s.model.dispose();
  }
  return Object.fromEntries(setups.map((s) => [scalingLabel(s), { batch: s.batch, threads: s.threads, median: median(s.rates), rounds: s.rates }]));
}

export const scalingLabel = ({ batch, threads }) => (threads === 1 ? `${batch}` : `${batch}, ${threads} threads`);

/** Sampling chars/s at temperature 1 (softmax and a draw per character) from a briefly trained model. */
export function sampling({ text, rounds, length }) {
  const model = CharRNN.create({ text, hidden: 100, seqLength: T, seed: 42 });
  model.train({ iterations: 200 });
  model.sample({ length, seed: 1 }); // warm-up
  const results = [];
  for (let r = 0; r < rounds; r++) results.push(length / seconds(() => model.sample({ length, seed: r })));
  model.dispose();
  return { median: median(results), rounds: results };
}
