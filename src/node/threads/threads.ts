// minrnn/threads in Node, Deno and Bun: training on N threads (src/threads/trainer.ts)
// with node:worker_threads workers, "auto" taking os.availableParallelism().
import type { Worker } from "node:worker_threads";
import type { CharRNN } from "../../model/model.js";
import { startThreadsOn, type ThreadHost, type ThreadOptions, type ThreadedTrainer } from "../../threads/trainer.js";
import type { WorkerSetup } from "../../threads/thread-worker.js";
import { availableCores } from "../cores.js";

export type { ThreadOptions, ThreadedTrainer, PhaseTimes } from "../../threads/trainer.js";

/**
 * Starts training `model` on `threads` threads (default "auto": the machine's cores, at
 * most the model's shard count). Every thread count gives the bytes of model.train().
 */
export async function startThreads(model: CharRNN, options: ThreadOptions = {}): Promise<ThreadedTrainer> {
  return startThreadsOn(await nodeHost(), model, options);
}

// Loaded on first use: importing node:worker_threads costs a few milliseconds at every
// start of a process that imports minrnn, most of which never train on threads.
async function nodeHost(): Promise<ThreadHost> {
  const { Worker } = await import("node:worker_threads");
  return { cores: availableCores(), unavailable: null, spawn: (setup, onExit) => spawn(Worker, setup, onExit) };
}

async function spawn(WorkerClass: typeof Worker, setup: WorkerSetup, onExit: (why: string) => void) {
  const worker = new WorkerClass(new URL("./worker.js", import.meta.url), { workerData: setup });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  let terminating = false;
  worker.on("error", (e) => onExit(String(e)));
  worker.on("exit", (code) => { if (!terminating) onExit(`it exited with code ${code}`); });
  worker.unref(); // an idle trainer that was never closed does not keep the process alive
  return {
    post: (call: unknown) => worker.postMessage(call),
    terminate: async () => {
      terminating = true;
      await worker.terminate();
    },
  };
}
