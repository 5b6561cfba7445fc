// Two threads under Node, Deno and Bun (tests/runtimes.test.js runs this from a project
// that installed the packed package): minrnn/threads through each runtime's node:worker_threads
// must give the bytes of one thread, and the same bytes in every runtime.
import { init, CharRNN, corpus } from "minrnn";
import { startThreads } from "minrnn/threads";

await init();
const digest = async (bytes) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

async function trained(threads) {
  const model = CharRNN.create({ text: corpus, hidden: 48, batch: 6, seed: 11 });
  const trainer = await startThreads(model, { threads });
  trainer.train({ iterations: 150 });
  trainer.train({ iterations: 50 }); // a second call hands the state over again
  await trainer.close();
  const sha256 = await digest(model.save());
  model.dispose();
  return sha256;
}

console.log(JSON.stringify({ entry: import.meta.resolve("minrnn/threads"), one: await trained(1), two: await trained(2) }));
