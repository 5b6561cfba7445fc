// The fused build's run, executed by tests/fma.test.js under Node (with relaxed SIMD),
// Deno and Chromium: every runtime must print the same checkpoint digests. The gated cells
// at batch 8 (shards of four streams: the recurrence runs on tiles too) and stacked.
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";

const MODELS = {
  rnn: { config: { hidden: 40, seqLength: 25, seed: 7 }, iterations: 60 },
  lstm: { config: { cell: "lstm", layers: 2, hidden: 32, seqLength: 20, batch: 8, seed: 7, optimizer: "adam" }, iterations: 20 },
  gru: { config: { cell: "gru", layers: 2, hidden: 20, seqLength: 20, batch: 9, seed: 7 }, iterations: 20 },
};

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export async function fusedRun() {
  await init({ arithmetic: "fma" });
  const results = {};
  for (const [name, { config, iterations }] of Object.entries(MODELS)) {
    const model = CharRNN.create({ text: corpus, ...config });
    model.train({ iterations });
    const checkpoint = model.save();
    results[name] = { sha256: hex(new Uint8Array(await crypto.subtle.digest("SHA-256", checkpoint))), arithmetic: model.config.arithmetic, loss: model.loss };
    model.dispose();
  }
  return results;
}

if (typeof document === "undefined") console.log(JSON.stringify(await fusedRun()));
