// A training thread under Node's worker_threads (also Deno's and Bun's node:worker_threads).
import { parentPort, workerData } from "node:worker_threads";
import { ThreadWorker, type WorkerCall, type WorkerSetup } from "../../threads/thread-worker.js";

const worker = new ThreadWorker(workerData as WorkerSetup);
parentPort!.on("message", (call: WorkerCall) => worker.run(call));
parentPort!.postMessage("ready");
