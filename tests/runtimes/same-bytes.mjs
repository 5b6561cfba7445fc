// One deterministic run per cell, executed by tests/runtimes.test.js under Node, Deno and
// Bun from a project that installed the packed package: every runtime must print the same
// checkpoint digests and samples. Only web-standard APIs here, so the script is the same
// everywhere.
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";

const SAMPLE = { length: 300, temperature: 0.8, seed: 3 };
// The vanilla cell as min-char-rnn trains it; the gated cells stacked, in batch, so the
// layer-above matrix products and every stream's carried state are in the bytes too.
const MODELS = {
  rnn: { config: { hidden: 64, seqLength: 25, seed: 7 }, iterations: 300 },
  lstm: { config: { cell: "lstm", layers: 2, hidden: 32, seqLength: 20, batch: 3, seed: 7 }, iterations: 80 },
  gru: { config: { cell: "gru", layers: 2, hidden: 32, seqLength: 20, batch: 3, seed: 7 }, iterations: 80 },
};

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

const t0 = performance.now();
await init();
const initMs = performance.now() - t0;
const results = { entry: import.meta.resolve("minrnn"), initMs };
for (const [name, { config, iterations }] of Object.entries(MODELS)) {
  const t1 = performance.now();
  const model = CharRNN.create({ text: corpus, ...config });
  const t2 = performance.now();
  model.train({ iterations });
  const checkpoint = model.save();
  const t3 = performance.now();
  const loaded = CharRNN.load(checkpoint);
  const t4 = performance.now();
  results[name] = {
    sha256: hex(new Uint8Array(await crypto.subtle.digest("SHA-256", checkpoint))),
    sample: model.sample(SAMPLE),
    loadedSample: loaded.sample(SAMPLE),
    smoothLoss: model.smoothLoss,
    createMs: t2 - t1,
    loadMs: t4 - t3,
  };
  model.dispose(); loaded.dispose();
}
console.log(JSON.stringify(results));
