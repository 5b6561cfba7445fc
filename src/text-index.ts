// A text's vocabulary and indices computed by the core (assembly/text.ts) over its UTF-8
// bytes in the scratch instance: JavaScript's loops over a text cost about 100 ns a
// character before the JIT warms up, which made them most of a cold create().
// Each returns null where the JavaScript path in vocab.ts must answer instead: before
// init(), for a string that is not well-formed UTF-16 (that path names the lone
// surrogate), for a text whose scratch memory cannot be had, and for characters outside
// the vocabulary (that path names them).
import type { Engine } from "./engine.js";
import type { Indices } from "./vocab.js";
import { withScratch } from "./scratch.js";
import { initialized } from "./wasm.js";

const SEEN_BYTES = (0x110000 >> 3) + 128;  // a bit per code point, a byte per ASCII one
const TABLE_BYTES = (0x10000 << 2) + 128;  // an i32 per code point below U+10000, a byte per ASCII one
const encoder = new TextEncoder();

const align16 = (n: number): number => (n + 15) & ~15;

/**
 * `use` on the text's UTF-8 at the scratch instance's scratchPtr() (`src`, `len` bytes),
 * with `extra` bytes free from `free`; null if unavailable.
 */
function withUtf8<T>(text: string, extra: number, use: (engine: Engine, src: number, len: number, free: number) => T): T | null {
  if (!initialized() || !isWellFormed(text)) return null;
  const capacity = align16(text.length * 3);          // UTF-8 needs at most 3 bytes per UTF-16 unit
  try {
    return withScratch(capacity + extra, (engine) => {
      const src = engine.core.scratchPtr();
      const { written } = encoder.encodeInto(text, engine.bytes(src, capacity));
      return use(engine, src, written, src + capacity);
    });
  } catch (e) {
    if (e instanceof RangeError) return null;         // memory.grow refused: the JavaScript path needs none
    throw e;
  }
}

/** String.prototype.isWellFormed (ES2024) where the runtime has it; otherwise the JavaScript path decides. */
function isWellFormed(text: string): boolean {
  const check = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof check === "function" && check.call(text);
}

/** The distinct code points of a text, sorted; null: see above. */
export function textCodePoints(text: string): number[] | null {
  return withUtf8(text, SEEN_BYTES + Math.min(text.length, 0x110000) * 4, (engine, src, len, seen) => {
    const out = seen + SEEN_BYTES;
    const count = engine.core.textSymbols(src, len, seen, out);
    return Array.from(engine.u32(out, count)).sort((a, b) => a - b);
  });
}

/** The text as indices into `symbols` (sorted code points), in `width`-byte elements; null: see above. */
export function textIndices(text: string, symbols: Uint32Array, width: 1 | 2 | 4): Indices | null {
  return withUtf8(text, align16(symbols.byteLength) + TABLE_BYTES + text.length * width, (engine, src, len, free) => {
    const table = free + align16(symbols.byteLength), dst = table + TABLE_BYTES;
    engine.u32(free, symbols.length).set(symbols);
    const n = engine.core.textIndices(src, len, free, symbols.length, table, dst, width >> 1);
    if (n < 0) return null;
    const bytes = engine.bytes(dst, n * width).slice();
    return width === 1 ? bytes : width === 2 ? new Uint16Array(bytes.buffer) : new Uint32Array(bytes.buffer);
  });
}
