// Vercel Edge (edge-light) entry: its bundler turns a `.wasm?module` import into a compiled
// WebAssembly.Module, since the runtime forbids compiling from bytes.
import wasm from "../build/minrnn.wasm?module";
import { initWith } from "./core/wasm.js";

export * from "./index.js";
export const init = initWith(wasm);
