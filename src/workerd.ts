// Cloudflare Workers (workerd) entry: the bundler hands the .wasm over as a compiled
// WebAssembly.Module, since workerd forbids compiling from bytes at run time.
import wasm from "../build/minrnn.wasm";
import { initWith } from "./core/wasm.js";

export * from "./index.js";
export const init = initWith(wasm);
