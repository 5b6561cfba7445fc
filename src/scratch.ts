// Loops over bytes that the host needs once (a checkpoint's CRC-32 and finiteness, a
// text's vocabulary and indices) run in a scratch instance of the core: microseconds in
// WebAssembly where the same loops in JavaScript take milliseconds before the JIT warms
// up, the cold start of an edge function that loads its model or of a model's create().
import { Engine } from "./engine.js";
import { compiledModule } from "./wasm.js";

/**
 * One instance serves every use in turn (its code warms up). One whose memory grew past
 * this is let go right after the use that grew it, so a large text's scratch copy does
 * not stay alive with it.
 */
const KEEP_BYTES = 4 * 2 ** 20;
/** The instance, and the end of the memory scratch work has handed out (and may have written). */
let kept: { module: WebAssembly.Module; engine: Engine; dirtyEnd: number } | null = null;

/**
 * Runs `use` on the scratch instance with at least `bytes` of memory from its
 * scratchPtr(). Throws a RangeError if the memory cannot grow that far.
 */
export function withScratch<T>(bytes: number, use: (engine: Engine) => T): T {
  const module = compiledModule();
  if (kept?.module !== module) {
    const engine = new Engine(module);
    kept = { module, engine, dirtyEnd: engine.core.scratchPtr() };
  }
  const scratch = kept;
  const core = scratch.engine.core;
  try {
    const end = core.scratchPtr() + bytes;
    const missing = end - core.memory.buffer.byteLength;
    if (missing > 0) core.memory.grow(Math.ceil(missing / 65536));
    scratch.dirtyEnd = Math.max(scratch.dirtyEnd, end);
    return use(scratch.engine);
  } finally {
    if (kept === scratch && core.memory.buffer.byteLength > KEEP_BYTES) kept = null;
  }
}

/**
 * An instance of `module` for a new model: the scratch instance if it is one, with what
 * scratch work wrote zeroed (a model's memory starts as zeros), or else a fresh one.
 * create() has just indexed its text in the scratch instance, and a loaded checkpoint was
 * just checked there, so the model saves an instantiation and the pages already touched.
 */
export function adoptScratch(module: WebAssembly.Module): Engine {
  if (kept?.module !== module) return new Engine(module);
  const { engine, dirtyEnd } = kept;
  kept = null;
  const start = engine.core.scratchPtr();
  engine.bytes(start, dirtyEnd - start).fill(0);
  return engine;
}

/** Byte arrays copied back to back into the scratch instance's memory. */
class Scratch {
  readonly #engine: Engine;
  readonly #parts: { ptr: number; length: number }[] = [];

  constructor(engine: Engine, parts: readonly Uint8Array[]) {
    this.#engine = engine;
    let ptr = engine.core.scratchPtr();
    for (const p of parts) {
      engine.bytes(ptr, p.length).set(p);
      this.#parts.push({ ptr, length: p.length });
      ptr += (p.length + 3) & ~3; // floats stay 4-byte aligned
    }
  }

  crc32(): number {
    return this.#parts.reduce((crc, p) => this.#engine.core.crc32(p.ptr, p.length, crc), 0) >>> 0;
  }

  /** The first [part, element] of the parts, as float32 arrays, for which the core's `test` returns an index. */
  firstFloat(test: "firstNonFinite" | "firstNegative"): [number, number] | null {
    for (let k = 0; k < this.#parts.length; k++) {
      const p = this.#parts[k]!;
      const i = this.#engine.core[test](p.ptr, p.length >> 2);
      if (i >= 0) return [k, i];
    }
    return null;
  }
}

/** `use` on the parts copied into the scratch instance. */
function withParts<T>(parts: readonly Uint8Array[], use: (scratch: Scratch) => T): T {
  return withScratch(parts.reduce((n, p) => n + ((p.length + 3) & ~3), 0), (engine) => use(new Scratch(engine, parts)));
}

/** CRC-32 (the zlib polynomial) of the parts in order, as if concatenated. */
export function crc32(parts: readonly Uint8Array[]): number {
  return withParts(parts, (s) => s.crc32());
}

const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** For float32 arrays: the first [array, element] that is NaN or ±Infinity, or null. */
export function firstNonFinite(arrays: readonly Float32Array[]): [number, number] | null {
  return withParts(arrays.map(bytesOf), (s) => s.firstFloat("firstNonFinite"));
}

/** For float32 arrays: the first [array, element] below zero, or null. */
export function firstNegative(arrays: readonly Float32Array[]): [number, number] | null {
  return withParts(arrays.map(bytesOf), (s) => s.firstFloat("firstNegative"));
}
