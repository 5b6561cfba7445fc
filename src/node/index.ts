// Node's entry point: the same API, with init() reading the .wasm from the package
// directory (Node's fetch does not read file: URLs), or from the file URL or path given.
import { readFileSync } from "node:fs";
import { init as initFrom, MinrnnError } from "../index.js";
import { BUNDLED_HINT, defaultWasmUrl, type InitOptions, type WasmSource } from "../wasm.js";

export * from "../index.js";

export async function init(options: InitOptions = {}): Promise<void> {
  if (options.module === undefined) return initFrom({ module: readCore(defaultWasmUrl(), BUNDLED_HINT) });
  const source = await options.module;
  const file = fileOf(source);
  if (file === undefined) return initFrom({ module: source });
  return initFrom({ module: readCore(file, "pass the path or file: URL of minrnn.wasm (the package exports it as minrnn/minrnn.wasm)") });
}

/** A file: URL or a path (what Node reads from disk), or undefined for what fetch or compile takes. */
function fileOf(source: WasmSource): URL | string | undefined {
  if (source instanceof URL) return source.protocol === "file:" ? source : undefined;
  if (typeof source !== "string") return undefined;
  if (source.startsWith("file:")) return new URL(source);
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(source) || source.startsWith("data:") ? undefined : source;
}

/**
 * Read and compiled synchronously: for a module this small both are faster than their
 * async forms, which wait on the thread pool and a turn of the event loop (cold start).
 */
function readCore(file: URL | string, remedy: string): WebAssembly.Module {
  return new WebAssembly.Module(readBytes(file, remedy));
}

function readBytes(file: URL | string, remedy: string) {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new MinrnnError("NOT_INITIALIZED", `could not read the minrnn core from ${file instanceof URL ? file.pathname : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; ${remedy}`);
  }
}
