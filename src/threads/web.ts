// minrnn/threads in a browser: training on N Web Workers over a SharedArrayBuffer
// (src/threads/trainer.ts). The calling code must itself run in a Worker (the threads
// wait with Atomics.wait, which a page's main thread may not), and the page must be
// cross-origin isolated (COOP/COEP headers) for SharedArrayBuffer to exist; without it,
// "auto" trains on the calling thread alone and the trainer's `reason` says why.
import type { CharRNN } from "../model/model.js";
import { startThreadsOn, type ThreadHost, type ThreadOptions, type ThreadedTrainer } from "./trainer.js";
import type { WorkerSetup } from "./thread-worker.js";

export type { ThreadOptions, ThreadedTrainer, PhaseTimes } from "./trainer.js";

/**
 * Starts training `model` on `threads` Web Workers (default "auto": navigator.hardwareConcurrency,
 * at most the model's shard count). Every thread count gives the bytes of model.train().
 */
export function startThreads(model: CharRNN, options: ThreadOptions = {}): Promise<ThreadedTrainer> {
  return startThreadsOn(webHost(), model, options);
}

function webHost(): ThreadHost {
  const scope = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const unavailable = typeof SharedArrayBuffer !== "function" || scope.crossOriginIsolated === false
    ? "this page is not cross-origin isolated (it needs the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so it has no SharedArrayBuffer for threads to share"
    : typeof Atomics.wait !== "function" ? "Atomics.wait is not available here" : null;
  return { cores: scope.navigator?.hardwareConcurrency ?? 1, unavailable, spawn };
}

async function spawn(setup: WorkerSetup, onExit: (why: string) => void) {
  const worker = new Worker(new URL("./web-worker.js", import.meta.url), { type: "module" });
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent) => (event.data === "ready" ? resolve() : reject(new Error(event.data?.error ?? "the worker did not start")));
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(setup);
  });
  worker.onerror = (event) => onExit(event.message);
  return {
    post: (call: unknown) => worker.postMessage(call),
    terminate: async () => worker.terminate(),
  };
}
