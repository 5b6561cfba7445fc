// How many Web Workers the demo trains on, and why no more. The library's "auto" takes the
// machine's cores, at most the model's shard count (one per stream of the batch, so batch 1
// has one), and on a page that is not cross-origin isolated one thread with the reason.
// A count typed by hand is held to the same two limits here, so a person who asks for 4
// gets as many as can run and is told why, instead of an error. With a bundler, import
// from "minrnn/threads" instead.
import { startThreads } from "../../dist/threads/web.js";

/**
 * A started trainer for `model` on `asked` threads ("auto" or a whole number), and what
 * limited it: `why`, a few words for the stats ("" when nothing did), and `reason`, the
 * library's sentence when the page is not cross-origin isolated (null otherwise).
 */
export async function startTrainer(model, asked) {
  const isolated = self.crossOriginIsolated === true;
  const wanted = asked === "auto" ? navigator.hardwareConcurrency ?? 1 : asked;
  // A one-thread trainer starts no workers: it tells the shard count for free.
  const probe = await startThreads(model, { threads: 1 });
  const { shards } = probe;
  await probe.close();
  // Not isolated: "auto" runs one thread and its `reason` says why.
  const threads = !isolated || asked === "auto" ? "auto" : Math.min(asked, shards);
  const trainer = await startThreads(model, { threads });
  const { batch } = model.config;
  const why = trainer.reason !== null ? "not isolated"
    : trainer.threads < wanted && trainer.threads === shards ? `batch ${batch} has ${shards === 1 ? "one shard" : `${shards} shards`}`
    : "";
  return { trainer, why, reason: trainer.reason };
}
