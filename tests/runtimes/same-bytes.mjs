// One deterministic run, executed by tests/runtimes.test.js under Node, Deno and Bun from
// a project that installed the packed package: every runtime must print the same digest
// and sample. Only web-standard APIs here, so the script itself is the same everywhere.
import { init, CharRNN, corpus } from "minrnn";

const t0 = performance.now();
await init();
const t1 = performance.now();
const model = CharRNN.create({ text: corpus, hidden: 64, seqLength: 25, seed: 7 });
const t2 = performance.now();
model.train({ iterations: 300 });

// Until checkpoints exist, the weights in layout order stand for the saved bytes.
const weights = Object.values(model.stateDict());
const bytes = new Uint8Array(weights.reduce((n, w) => n + w.byteLength, 0));
let at = 0;
for (const w of weights) {
  bytes.set(new Uint8Array(w.buffer, w.byteOffset, w.byteLength), at);
  at += w.byteLength;
}
const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));

console.log(JSON.stringify({
  entry: import.meta.resolve("minrnn"),
  sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
  sample: model.sample({ length: 300, temperature: 0.8, seed: 3 }),
  smoothLoss: model.smoothLoss,
  initMs: t1 - t0,
  createMs: t2 - t1,
}));
