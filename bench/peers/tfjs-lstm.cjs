// TF.js's LSTM training, the JavaScript peer of minrnn's cells: the char-rnn a TF.js user
// writes (one-hot input, two tf.layers.lstm of 128 returning sequences (Glorot-initialized:
// the orthogonal default fails in this TF.js on the wasm backend), a time-distributed
// softmax decoder, Adagrad at 0.1, categorical cross-entropy), trained with trainOnBatch on
// windows of T 50 for B streams, on the backend named in argv[2] ("wasm": XNNPACK, SIMD,
// one thread; "cpu": plain JS). argv[3]: the text file, argv[4]: B, argv[5]: iterations,
// argv[6]: rounds. Run by bench/cells.js through peers/install.js's runPeer. Prints
// { version, backend, charsPerSec: [per round] }.
const { readFileSync } = require("node:fs");
const tf = require("@tensorflow/tfjs-core");
const tfl = require("@tensorflow/tfjs-layers");
const wasm = require("@tensorflow/tfjs-backend-wasm");
require("@tensorflow/tfjs-backend-cpu");

async function main() {
  const [backend, file, B, iters, rounds] = [process.argv[2], process.argv[3], ...process.argv.slice(4).map(Number)];
  if (backend === "wasm") wasm.setThreadsCount(1);
  await tf.setBackend(backend);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`TF.js runs on ${tf.getBackend()}, not ${backend}`);
  const text = readFileSync(file, "utf8").slice(0, 200_000);
  const chars = [...new Set(text)].sort(), V = chars.length, T = 50;
  const index = new Map(chars.map((c, i) => [c, i]));
  const model = tfl.sequential({ layers: [
    tfl.layers.lstm({ units: 128, returnSequences: true, inputShape: [T, V], recurrentInitializer: "glorotUniform" }),
    tfl.layers.lstm({ units: 128, returnSequences: true, recurrentInitializer: "glorotUniform" }),
    tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: V, activation: "softmax" }) }),
  ] });
  model.compile({ optimizer: tf.train.adagrad(0.1), loss: "categoricalCrossentropy" });
  const slice = Math.floor(text.length / B);
  let p = 0;
  const batch = () => {
    if (p + T + 1 >= slice) p = 0;
    const x = new Float32Array(B * T * V), y = new Float32Array(B * T * V);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
      x[(b * T + t) * V + index.get(text[b * slice + p + t])] = 1;
      y[(b * T + t) * V + index.get(text[b * slice + p + t + 1])] = 1;
    }
    p += T;
    return [tf.tensor3d(x, [B, T, V]), tf.tensor3d(y, [B, T, V])];
  };
  const step = async () => { const [x, y] = batch(); await model.trainOnBatch(x, y); x.dispose(); y.dispose(); };
  await step();   // warm-up
  const charsPerSec = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) await step();
    charsPerSec.push((B * T * iters) / ((performance.now() - t0) / 1000));
  }
  console.log(JSON.stringify({ version: tf.version_core, backend, charsPerSec }));
}
main();
