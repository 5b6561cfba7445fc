// Node's entry point: the same API, with init() reading the .wasm from the package
// directory (Node's fetch does not read file: URLs).
import { readFile } from "node:fs/promises";
import { init as initFrom, type InitOptions } from "../wasm.js";

export * from "../index.js";
export { startThreads, ThreadedTrainer, type ThreadOptions } from "./threads.js";

export async function init(options: InitOptions = {}): Promise<void> {
  if (options.module !== undefined) return initFrom(options);
  return initFrom({ module: await readFile(new URL("../../build/minrnn.wasm", import.meta.url)) });
}
