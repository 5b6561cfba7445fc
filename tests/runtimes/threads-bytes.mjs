// N threads under Node, Deno and Bun (tests/runtimes.test.js runs this from a project
// that installed the packed package): minrnn/threads through each runtime's node:worker_threads
// must give the bytes of one thread for 2 and 3 threads, and the same bytes in every
// runtime, for the vanilla cell and for a stacked LSTM with dropout and clip-norm (two
// carried tensors per layer, the masks drawn on every thread, the norm summed in blocks).
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";
import { startThreads } from "minrnn/threads";

await init();
const digest = async (bytes) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

async function trained(config, threads) {
  const model = CharRNN.create({ text: corpus, ...config });
  const trainer = await startThreads(model, { threads });
  if (trainer.threads !== threads) throw new Error(`asked for ${threads} threads, got ${trainer.threads}`);
  trainer.train({ iterations: 150 });
  trainer.train({ iterations: 50 }); // a second call hands the state over again
  await trainer.close();
  const sha256 = await digest(model.save());
  model.dispose();
  return sha256;
}

const results = { entry: import.meta.resolve("minrnn/threads") };
for (const [name, config] of Object.entries({
  rnn: { hidden: 48, batch: 6, seed: 11 },
  lstm: { cell: "lstm", layers: 2, hidden: 24, seqLength: 16, batch: 4, seed: 11, dropout: 0.1, optimizer: "adam", learningRate: 2e-3, clipNorm: 1 },
})) {
  results[name] = { one: await trained(config, 1), two: await trained(config, 2), three: await trained(config, 3) };
}
console.log(JSON.stringify(results));
