// The second training thread: its own instance of the core, configured as the model's,
// with a copy of the training text. Each call, it takes the model's state from the main
// thread, runs shard 1's half of every iteration (exchange.ts), and hands back shard 1's
// carried state, the one part of the state the main thread did not compute itself.
import { parentPort, workerData } from "node:worker_threads";
import { Engine } from "../core/engine.js";
import { ShardExchange, trainShard } from "./exchange.js";
import type { WorkerSetup, WorkerCall } from "./threads.js";

const setup = workerData as WorkerSetup;
const engine = new Engine(setup.module);
const core = engine.core;
if (!engine.configure(setup.dims) || !core.reserveData(setup.textLength, setup.dataShift)) {
  // The main thread's instance holds the same and more: this one fits unless the process is out of memory.
  throw new Error("minrnn: the training worker could not allocate the model's memory");
}
engine.bytes("DATA").set(setup.data);
const exchange = new ShardExchange(setup.sab, setup.sizes);

parentPort!.on("message", (call: WorkerCall) => {
  try {
    exchange.takeOver(engine);
    trainShard(engine, exchange, 1, call.iterations);
    exchange.handBack(engine);
    exchange.finish();
  } catch (e) {
    // Printed here and not rethrown: an uncaught error would reach the main thread as an
    // 'error' event after the fact; the flag makes its waiting train() throw now instead.
    console.error(e);
    exchange.fail();
  }
});
parentPort!.postMessage("ready");
