// Obtaining the compiled core. The Module is compiled once per process (or handed in by
// the runtime, as Cloudflare Workers and Vercel Edge do); every model instantiates it anew.
import { MinrnnError } from "../errors.js";

/** What `init({ module })` accepts: a compiled Module, the .wasm bytes, where to fetch them, or a fetch Response. */
export type WasmSource =
  | WebAssembly.Module
  | ArrayBuffer
  | ArrayBufferView
  | URL
  | string
  | Response
  | PromiseLike<Response>;

export interface InitOptions {
  module?: WasmSource | PromiseLike<WasmSource>;
  /**
   * "mul-add" (the default: every product and sum rounded apart, the same bytes on every
   * runtime) or "fma": the fused build, faster where the CPU fuses multiply-adds, whose
   * bytes are its own. With `module`, which build that module is.
   */
  arithmetic?: Arithmetic;
}

export const ARITHMETICS = ["mul-add", "fma"] as const;
export type Arithmetic = (typeof ARITHMETICS)[number];

let compiled: WebAssembly.Module | undefined;
let arithmetic: Arithmetic = "mul-add";

/**
 * What to do when the core is not where the package put it: a bundler that moves
 * minrnn's code but does not copy the files it points to (esbuild, Rollup) leaves it behind.
 */
export const BUNDLED_HINT = "if a bundler built this code, import the core with it (import wasm from \"minrnn/minrnn.wasm\", as a file URL or as bytes) and pass init({ module: wasm }); the README's Bundlers section has the setup for each bundler";

/** The default location of the core of an arithmetic in the package (from this source file; the build re-aims it from each bundle). */
export function defaultWasmUrl(of: Arithmetic = "mul-add"): URL {
  // esbuild's iife and cjs formats empty import.meta, which leaves no way to find a file of the package.
  if (typeof import.meta.url !== "string") {
    throw new MinrnnError("NOT_INITIALIZED", `minrnn cannot locate its core: this code runs without import.meta.url (a script or CommonJS bundle); ${BUNDLED_HINT}`);
  }
  return of === "fma" ? new URL("../../build/minrnn.fma.wasm", import.meta.url) : new URL("../../build/minrnn.wasm", import.meta.url);
}

/** A module of one f32x4.relaxed_madd: valid where the runtime has relaxed SIMD, which the fused build needs. */
const RELAXED_SIMD = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 0x60, 3, 0x7b, 0x7b, 0x7b, 1, 0x7b, 3, 2, 1, 0,
  10, 13, 1, 11, 0, 0x20, 0, 0x20, 1, 0x20, 2, 0xfd, 0x85, 0x02, 0x0b]);

/** The arithmetic asked for, checked: the fused build needs relaxed SIMD, which Node 20 has behind a flag. */
export function checkArithmetic(asked: unknown = "mul-add"): Arithmetic {
  if (asked !== "mul-add" && asked !== "fma") {
    throw new MinrnnError("INVALID_ARGUMENT", `init({ arithmetic }) takes "mul-add" (the default) or "fma", got ${JSON.stringify(asked)}`);
  }
  if (asked === "fma" && !WebAssembly.validate(RELAXED_SIMD)) {
    throw new MinrnnError("UNSUPPORTED", "the fma arithmetic needs WebAssembly relaxed SIMD, which this runtime lacks: Node 20 has it with --experimental-wasm-relaxed-simd (node --experimental-wasm-relaxed-simd …); Node 22+, Deno and Chromium 114+ have it; or leave the arithmetic at its default, mul-add");
  }
  return asked;
}

/** The arithmetic of the core init() compiled: new models train with it, and their checkpoints record it. */
export function currentArithmetic(): Arithmetic {
  return arithmetic;
}

/**
 * Compiles (or adopts) the WebAssembly core. Without options it fetches the .wasm that
 * ships beside this file, which works in browsers, Deno and Bun; Node's entry point
 * reads the file instead.
 */
export async function init(options?: InitOptions): Promise<void> {
  const checked = checkInitOptions(options);
  const of = checkArithmetic(checked.arithmetic);
  compiled = await compile(await (checked.module ?? fetchCore(defaultWasmUrl(of), BUNDLED_HINT)));
  arithmetic = of;
}

const GIVE_MODULE = "pass init({ module }) a URL that serves minrnn.wasm, its bytes, or a compiled WebAssembly.Module";

async function fetchCore(url: URL | string, remedy: string): Promise<Response> {
  const where = JSON.stringify(String(url));
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new MinrnnError("NOT_INITIALIZED", `could not fetch the minrnn core from ${where} (${(e as Error).message}); ${remedy}`);
  }
  if (!response.ok) throw new MinrnnError("NOT_INITIALIZED", `could not fetch the minrnn core from ${where}: HTTP ${response.status}; ${remedy}`);
  return response;
}

/** init()'s options: an object with nothing but `module` and `arithmetic` (a typo would silently fetch the default). */
export function checkInitOptions(options: InitOptions | undefined): InitOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new MinrnnError("INVALID_ARGUMENT", `init takes an options object ({ module, arithmetic }), got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  }
  const unknown = Object.keys(options).filter((k) => k !== "module" && k !== "arithmetic");
  if (unknown.length) {
    const guess = unknown[0]!.toLowerCase();
    throw new MinrnnError("INVALID_ARGUMENT", `init has no option ${JSON.stringify(unknown[0])}: ${guess.startsWith("mod") ? "did you mean `module`?" : guess.startsWith("ari") ? "did you mean `arithmetic`?" : "its options are module and arithmetic"}`);
  }
  return options;
}

/**
 * For entries whose runtime hands out the compiled Module at import (workerd, Vercel Edge):
 * adopts it at once, so models can be created at module scope without awaiting, and
 * returns the entry's init(), which keeps that Module unless given another source.
 */
export function initWith(module: WebAssembly.Module): (options?: InitOptions) => Promise<void> {
  compiled = module;
  return (options) => init(checkInitOptions(options).module === undefined ? { module } : options);
}

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source as BufferSource);
  }
  if (typeof source === "string" || source instanceof URL) {
    return compile(await fetchCore(source, GIVE_MODULE));
  }
  if (isResponse(source)) {
    if (!source.ok) {
      throw new MinrnnError("NOT_INITIALIZED", `could not fetch the minrnn core from ${source.url}: HTTP ${source.status}; ${GIVE_MODULE}`);
    }
    const type = source.headers.get("content-type") ?? "";
    if (typeof WebAssembly.compileStreaming === "function" && type.startsWith("application/wasm")) {
      return WebAssembly.compileStreaming(source);
    }
    return WebAssembly.compile(await source.arrayBuffer());
  }
  throw new MinrnnError("INVALID_ARGUMENT", `init({ module }) takes a WebAssembly.Module, the .wasm bytes, a URL or a Response, got ${source === null ? "null" : typeof source}`);
}

function isResponse(x: unknown): x is Response {
  return typeof x === "object" && x !== null && typeof (x as Response).arrayBuffer === "function" && "headers" in x;
}

/** The compiled core, or undefined before init() (for paths that have a slower way without it). */
export function compiledModuleIfAny(): WebAssembly.Module | undefined {
  return compiled;
}

/** The compiled core; throws if init() has not completed. */
export function compiledModule(): WebAssembly.Module {
  if (!compiled) {
    throw new MinrnnError("NOT_INITIALIZED", "minrnn is not initialized: await init() once before creating or loading a model");
  }
  return compiled;
}
