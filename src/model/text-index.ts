// A text's vocabulary and indices computed by the core (assembly/text.ts) over its UTF-8
// bytes, in the instance that will train on it: JavaScript's loops over a text cost about
// 100 ns a character before the JIT warms up, which made them most of a cold create().
// The indices go straight to the model's DATA region; nothing is copied back out.
// Each returns null where the JavaScript path in vocab.ts must answer instead: for a
// string that is not well-formed UTF-16 (that path names the lone surrogate), for a text
// whose memory cannot be had, and for characters outside the vocabulary (that path names them).
import type { Engine } from "../core/engine.js";

const encoder = new TextEncoder();

/** Writes the text's UTF-8 into the engine's TEXT region (with room for `symbols` code points); its length, or -1. */
function writeUtf8(engine: Engine, text: string, symbols: number): number {
  if (!isWellFormed(text)) return -1;
  const capacity = text.length * 3;                  // UTF-8 needs at most 3 bytes per UTF-16 unit
  if (!engine.core.textScratch(capacity, symbols)) return -1;
  const { written } = encoder.encodeInto(text, engine.bytes("TEXT"));
  return engine.core.textScratch(written, symbols) ? written : -1;
}

/** String.prototype.isWellFormed (ES2024) where the runtime has it; otherwise the JavaScript path decides. */
function isWellFormed(text: string): boolean {
  const check = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof check === "function" && check.call(text);
}

/** The distinct code points of a text, sorted; null: see above. */
export function textCodePoints(engine: Engine, text: string): number[] | null {
  if (writeUtf8(engine, text, 0) < 0) return null;
  const count = engine.core.textSymbols();
  return Array.from(engine.u32("SYMBOLS").subarray(0, count)).sort((a, b) => a - b);
}

/**
 * The text as indices into `symbols` (sorted code points), written to the engine's DATA
 * region at 1 << shift bytes each; returns the count, or null: see above. The region is
 * reserved for text.length indices first (a code point is one or two UTF-16 units) and
 * trimmed to the count after.
 */
export function indexText(engine: Engine, text: string, symbols: Uint32Array, shift: number): number | null {
  const core = engine.core;
  if (!core.reserveData(text.length, shift) || writeUtf8(engine, text, symbols.length) < 0) return null;
  engine.u32("SYMBOLS").set(symbols);
  const n = core.textIndices(symbols.length);
  if (n < 0) return null;
  core.reserveData(n, shift);
  return n;
}
