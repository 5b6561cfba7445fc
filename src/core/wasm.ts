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
}

let compiled: WebAssembly.Module | undefined;

/** The default location of the core, beside the package's entry files. */
export const defaultWasmUrl = (): URL => new URL("../../build/minrnn.wasm", import.meta.url);

/**
 * Compiles (or adopts) the WebAssembly core. Without options it fetches the .wasm that
 * ships beside this file, which works in browsers, Deno and Bun; Node's entry point
 * reads the file instead.
 */
export async function init(options?: InitOptions): Promise<void> {
  const source = await (checkInitOptions(options).module ?? defaultWasmUrl());
  compiled = await compile(source);
}

/** init()'s options: an object with nothing but `module` (a typo would silently fetch the default). */
export function checkInitOptions(options: InitOptions | undefined): InitOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new MinrnnError("INVALID_ARGUMENT", `init takes an options object ({ module }), got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  }
  const unknown = Object.keys(options).filter((k) => k !== "module");
  if (unknown.length) {
    throw new MinrnnError("INVALID_ARGUMENT", `init has no option ${JSON.stringify(unknown[0])}: ${unknown[0]!.toLowerCase().startsWith("mod") ? "did you mean `module`?" : "its one option is module"}`);
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
    let response: Response;
    try {
      response = await fetch(source);
    } catch (e) {
      throw new MinrnnError("NOT_INITIALIZED", `could not fetch the minrnn core from ${JSON.stringify(String(source))} (${(e as Error).message}); pass init({ module }) a URL that serves minrnn.wasm, its bytes, or a compiled WebAssembly.Module`);
    }
    return compile(response);
  }
  if (isResponse(source)) {
    if (!source.ok) {
      throw new MinrnnError("NOT_INITIALIZED", `could not fetch the minrnn core from ${source.url}: HTTP ${source.status}; pass init({ module }) with the .wasm bytes or a compiled WebAssembly.Module`);
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
