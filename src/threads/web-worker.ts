// A training thread in a Web Worker (browsers; started with type "module"): the first
// message is its setup, each later one a call.
import { ThreadWorker, type WorkerCall, type WorkerSetup } from "./thread-worker.js";

let worker: ThreadWorker | null = null;
self.onmessage = (event: MessageEvent<WorkerSetup | WorkerCall>) => {
  if (worker !== null) return worker.run(event.data as WorkerCall);
  try {
    worker = new ThreadWorker(event.data as WorkerSetup);
    self.postMessage("ready");
  } catch (e) {
    self.postMessage({ error: String(e) });
  }
};
