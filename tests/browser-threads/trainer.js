// Trains the page's model on startThreads' Web Workers (minrnn/threads' browser entry) and
// posts back the thread count, why "auto" chose one if it did, chars/s and the digest of
// the checkpoint, whose bytes must be Node's.
import { init, CharRNN } from "../../dist/index.js";
import { corpus } from "../../dist/corpus.js";
import { startThreads } from "../../dist/threads/web.js";

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

self.onmessage = async ({ data }) => {
  try {
    await init();
    const model = CharRNN.create({ text: corpus, ...data.config });
    const trainer = await startThreads(model, { threads: data.threads === "auto" ? "auto" : Number(data.threads) });
    const start = performance.now();
    trainer.train({ iterations: data.iterations });
    const seconds = (performance.now() - start) / 1000;
    await trainer.close();
    self.postMessage({
      threads: trainer.threads,
      reason: trainer.reason,
      isolated: self.crossOriginIsolated,
      charsPerSec: Math.round((data.iterations * model.config.batch * model.config.seqLength) / seconds),
      sha256: hex(await crypto.subtle.digest("SHA-256", model.save())),
    });
  } catch (e) {
    self.postMessage({ error: `${e?.code ?? ""} ${e?.message ?? e}` });
  }
};
