// Node's entry point: the same API, with init() reading the .wasm from the package
// directory, or from the file: URL it is given (Node's fetch does not read file: URLs).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BUNDLED_HINT, checkArithmetic, checkInitOptions, defaultWasmUrl, type InitOptions, type WasmSource } from "../core/wasm.js";
import { init as initFrom, MinrnnError } from "../index.js";

export * from "../index.js";

export async function init(options?: InitOptions): Promise<void> {
  const checked = checkInitOptions(options);
  const arithmetic = checkArithmetic(checked.arithmetic);
  if (checked.module === undefined) return initFrom({ module: readCore(defaultWasmUrl(arithmetic), BUNDLED_HINT), arithmetic });
  const source = await checked.module;
  const file = fileUrlOf(source);
  return initFrom({ module: file === undefined ? source : readCore(file, "pass the file: URL of minrnn.wasm (the package exports it as minrnn/minrnn.wasm)"), arithmetic });
}

/** The file: URL that `source` is, if it is one. */
function fileUrlOf(source: WasmSource): URL | undefined {
  if (source instanceof URL) return source.protocol === "file:" ? source : undefined;
  return typeof source === "string" && source.startsWith("file:") ? new URL(source) : undefined;
}

/**
 * Read and compiled synchronously: for a module this small both are faster than their
 * async forms, which wait on the thread pool and a turn of the event loop (cold start).
 */
function readCore(file: URL, remedy: string): WebAssembly.Module {
  return new WebAssembly.Module(readBytes(file, remedy));
}

function readBytes(file: URL, remedy: string) {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new MinrnnError("NOT_INITIALIZED", `could not read the minrnn core from ${fileURLToPath(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; ${remedy}`);
  }
}
