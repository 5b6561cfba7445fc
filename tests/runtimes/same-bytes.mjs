// One deterministic run, executed by tests/runtimes.test.js under Node, Deno and Bun from
// a project that installed the packed package: every runtime must print the same
// checkpoint digest and samples. Only web-standard APIs here, so the script is the same
// everywhere.
import { init, CharRNN, corpus } from "minrnn";

const SAMPLE = { length: 300, temperature: 0.8, seed: 3 };

const t0 = performance.now();
await init();
const t1 = performance.now();
const model = CharRNN.create({ text: corpus, hidden: 64, seqLength: 25, seed: 7 });
const t2 = performance.now();
model.train({ iterations: 300 });
const checkpoint = model.save();
const t3 = performance.now();
const loaded = CharRNN.load(checkpoint);
const t4 = performance.now();
const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", checkpoint));

console.log(JSON.stringify({
  entry: import.meta.resolve("minrnn"),
  sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
  sample: model.sample(SAMPLE),
  loadedSample: loaded.sample(SAMPLE),
  smoothLoss: model.smoothLoss,
  initMs: t1 - t0,
  createMs: t2 - t1,
  loadMs: t4 - t3,
}));
