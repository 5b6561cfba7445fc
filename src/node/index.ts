// Node's entry point: the same API, with init() reading the .wasm from the package
// directory (Node's fetch does not read file: URLs).
import { readFileSync } from "node:fs";
import { checkArithmetic, checkInitOptions, defaultWasmUrl, init as initFrom, type InitOptions } from "../core/wasm.js";

export * from "../index.js";

export async function init(options?: InitOptions): Promise<void> {
  const checked = checkInitOptions(options);
  if (checked.module !== undefined) return initFrom(options);
  const arithmetic = checkArithmetic(checked.arithmetic);
  // Read and compiled synchronously: for a module this small both are faster than their
  // async forms, which wait on the thread pool and a turn of the event loop (cold start).
  return initFrom({ module: new WebAssembly.Module(readFileSync(defaultWasmUrl(arithmetic))), arithmetic });
}
