// The vocabulary: the text's distinct Unicode code points sorted by code point.
// Strings are split into code points (as Array.from and for..of do), never UTF-16 units,
// and nothing is normalized: "é" and "e\u0301" are different symbols.
// Byte mode: the distinct byte values of data that need not be UTF-8 (a Latin-1 file, a
// log with binary in it), sorted; such a vocabulary encodes and decodes bytes, not text.
import { MinrnnError } from "../errors.js";
import { coreLimits, withSharedEngine, type Engine } from "../core/engine.js";
import { compiledModuleIfAny } from "../core/wasm.js";
import { textCodePoints, indexText } from "./text-index.js";

export type Indices = Uint8Array | Uint16Array | Uint32Array;

/** The most symbols a vocabulary may have: the core's limit once init() has run (its text indexing stops just past it). */
export function symbolLimit(): number {
  const module = compiledModuleIfAny();
  return module === undefined ? 0x110000 : coreLimits(module).maxSymbols;
}
/** Code points decoded per String.fromCodePoint call. */
const DECODE_SLICE = 4096;
export type VocabKind = "codepoints" | "bytes";

export class Vocab {
  /** "codepoints" (symbols are Unicode code points) or "bytes" (symbols are byte values). */
  readonly kind: VocabKind;
  /**
   * One string per symbol, sorted; index = position. A code point's character, or for a
   * byte vocabulary the byte as the character of the same number (U+0000..U+00FF, as
   * Latin-1 reads it), for display: byte symbols are not UTF-8 text.
   */
  readonly chars: readonly string[];
  /** Index by code point (or byte value): a table up to the largest one below U+10000, a map above. */
  readonly #bmp: Int32Array;
  readonly #astral = new Map<number, number>();
  /** The symbols' code points, sorted: what the core's text indexing looks up. */
  readonly #symbols: Uint32Array;

  private constructor(codePoints: number[], kind: VocabKind = "codepoints") {
    this.kind = kind;
    this.#symbols = Uint32Array.from(codePoints);
    this.chars = codePoints.map((cp) => String.fromCodePoint(cp));
    const bmpEnd = codePoints.filter((cp) => cp < 0x10000).reduce((m, cp) => Math.max(m, cp + 1), 0);
    this.#bmp = new Int32Array(bmpEnd).fill(-1);
    codePoints.forEach((cp, i) => {
      if (cp < 0x10000) this.#bmp[cp] = i;
      else this.#astral.set(cp, i);
    });
  }

  // The core indexes a text (text-index.ts); the loops here answer where it does not:
  // before init(), and with the error for a lone surrogate or an unknown character. They
  // walk code points with codePointAt and a step of 1 or 2 UTF-16 units: the same symbols
  // as for..of, several times faster before the JIT has warmed up.

  /** The vocabulary of a text. Throws on a lone UTF-16 surrogate, which is not Unicode. */
  static fromText(text: string): Vocab {
    const module = compiledModuleIfAny();
    return module === undefined ? vocabularyOf(text, null) : withSharedEngine(module, (engine) => vocabularyOf(text, engine));
  }

  /** A vocabulary from code points (as saved in a checkpoint): integers in Unicode's range, strictly increasing. */
  static fromCodePoints(codePoints: readonly number[]): Vocab {
    checkList(codePoints, "code points");
    codePoints.forEach((cp, i) => {
      if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw new MinrnnError("INVALID_ARGUMENT", `vocabulary entry ${i} (${cp}) is not a Unicode scalar value`);
      }
      if (i > 0 && cp <= codePoints[i - 1]!) {
        throw new MinrnnError("INVALID_ARGUMENT", `vocabulary code points must be strictly increasing (entry ${i}: ${cp} after ${codePoints[i - 1]})`);
      }
    });
    return new Vocab([...codePoints]);
  }

  /** The byte vocabulary of some data: its distinct byte values, sorted. */
  static fromBytes(bytes: Uint8Array): Vocab {
    checkBytes(bytes);
    const seen = new Uint8Array(256);
    for (let i = 0; i < bytes.length; i++) seen[bytes[i]!] = 1;
    const values: number[] = [];
    for (let b = 0; b < 256; b++) if (seen[b]) values.push(b);
    return new Vocab(values, "bytes");
  }

  /** A byte vocabulary from byte values (as saved in a checkpoint): integers 0..255, strictly increasing. */
  static fromByteValues(values: readonly number[]): Vocab {
    checkList(values, "byte values");
    values.forEach((b, i) => {
      if (!Number.isInteger(b) || b < 0 || b > 255) {
        throw new MinrnnError("INVALID_ARGUMENT", `vocabulary entry ${i} (${b}) is not a byte value (0..255)`);
      }
      if (i > 0 && b <= values[i - 1]!) {
        throw new MinrnnError("INVALID_ARGUMENT", `vocabulary bytes must be strictly increasing (entry ${i}: ${b} after ${values[i - 1]})`);
      }
    });
    return new Vocab([...values], "bytes");
  }

  get size(): number { return this.chars.length; }

  /** The symbols as numbers: code points, or byte values for a byte vocabulary. */
  codePoints(): number[] { return Array.from(this.#symbols); }

  /** The same kind and the same symbols in the same order. */
  equals(other: Vocab): boolean {
    return this.kind === other.kind && this.size === other.size && this.chars.every((ch, i) => ch === other.chars[i]);
  }

  #lookup(cp: number): number {
    return cp < this.#bmp.length ? this.#bmp[cp]! : cp < 0x10000 ? -1 : this.#astral.get(cp) ?? -1;
  }

  /** Index of a one-code-point string, or -1. */
  indexOf(ch: string): number {
    this.#requireKind("codepoints", "indexOf");
    return ch === "" ? -1 : this.#lookup(ch.codePointAt(0)!);
  }

  /** Characters of `text` that are not in the vocabulary, each once, in order of appearance. */
  missing(text: string): string[] {
    this.#requireKind("codepoints", "missing");
    const out = new Set<string>();
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      if (this.#lookup(cp) < 0) out.add(String.fromCodePoint(cp));
      i += cp >= 0x10000 ? 2 : 1;
    }
    return [...out];
  }

  /** The text as indices, in the narrowest array that holds them. Throws naming any unknown characters. */
  encode(text: string): Indices {
    this.#requireKind("codepoints", "encode");
    const width = this.size <= 256 ? 1 : this.size <= 65536 ? 2 : 4;
    const module = compiledModuleIfAny();
    const fast = module === undefined ? null : withSharedEngine(module, (engine) => this.indexInto(engine, text) === null ? null : engine.bytes("DATA").slice());
    if (fast) return width === 1 ? fast : width === 2 ? new Uint16Array(fast.buffer) : new Uint32Array(fast.buffer);
    const out = width === 1 ? new Uint8Array(text.length) : width === 2 ? new Uint16Array(text.length) : new Uint32Array(text.length);
    let n = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const index = this.#lookup(cp);
      if (index < 0) {
        throw new MinrnnError("INVALID_TEXT", `characters not in the vocabulary: ${describeChars(this.missing(text))}; use only the model's characters (see its vocabulary)`);
      }
      out[n++] = index;
      i += cp >= 0x10000 ? 2 : 1;
    }
    return n === text.length ? out : out.slice(0, n);
  }

  /** Bytes per index in a model's text: 1, 2 or 4, as 1 << shift. */
  get indexShift(): number { return this.size <= 256 ? 0 : this.size <= 65536 ? 1 : 2; }

  /**
   * The text's indices written into an engine's DATA region (the core indexes it there);
   * returns their count, or null where the text needs the JavaScript path (encode).
   */
  indexInto(engine: Engine, text: string): number | null {
    this.#requireKind("codepoints", "indexInto");
    return indexText(engine, text, this.#symbols, this.indexShift);
  }

  decode(indices: ArrayLike<number>): string {
    this.#requireKind("codepoints", "decode");
    // A flat string from code points a slice at a time (within argument-count limits), not
    // a rope of one-character strings, which costs about 33 bytes a character.
    const parts: string[] = [];
    for (let at = 0; at < indices.length; at += DECODE_SLICE) {
      const end = Math.min(indices.length, at + DECODE_SLICE);
      const codePoints = new Array<number>(end - at);
      for (let i = at; i < end; i++) codePoints[i - at] = this.#symbols[indices[i]!]!;
      parts.push(String.fromCodePoint(...codePoints));
    }
    return parts.join("");
  }

  /** Byte values of `bytes` that are not in a byte vocabulary, each once, in order of appearance. */
  missingBytes(bytes: Uint8Array): number[] {
    this.#requireKind("bytes", "missingBytes");
    const out = new Set<number>();
    for (let i = 0; i < bytes.length; i++) if ((this.#bmp[bytes[i]!] ?? -1) < 0) out.add(bytes[i]!);
    return [...out];
  }

  /** Bytes as indices (a byte vocabulary has at most 256 symbols). Throws naming any unknown bytes. */
  encodeBytes(bytes: Uint8Array): Uint8Array {
    this.#requireKind("bytes", "encodeBytes");
    checkBytes(bytes);
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      const index = this.#bmp[bytes[i]!] ?? -1;
      if (index < 0) {
        throw new MinrnnError("INVALID_TEXT", `bytes not in the vocabulary: ${describeBytes(this.missingBytes(bytes))}; use only the model's bytes (see its vocabulary)`);
      }
      out[i] = index;
    }
    return out;
  }

  /** Indices back to the bytes they stand for. */
  decodeBytes(indices: ArrayLike<number>): Uint8Array {
    this.#requireKind("bytes", "decodeBytes");
    const out = new Uint8Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = this.chars[indices[i]!]!.charCodeAt(0);
    return out;
  }

  /** Text and bytes are not interchangeable: a byte vocabulary's "é" would be Latin-1's, not UTF-8's. */
  #requireKind(kind: VocabKind, method: string): void {
    if (this.kind === kind) return;
    const instead = kind === "bytes" ? "encode, decode and missing" : "encodeBytes, decodeBytes and missingBytes";
    throw new MinrnnError("INVALID_ARGUMENT", `${method} needs a ${kind === "bytes" ? "byte" : "code-point"} vocabulary, and this one is ${this.kind === "bytes" ? "of bytes" : "of code points"}; use ${instead}`);
  }
}

/** The vocabulary of a text, its code points listed by `engine` (the instance that will train on it) or, with none, in JavaScript. */
export function vocabularyOf(text: string, engine: Engine | null): Vocab {
  const fast = engine === null ? null : textCodePoints(engine, text);
  if (fast) return Vocab.fromCodePoints(checkSymbolCount(fast));
  // Each code point is listed when first seen; the short list is sorted at the end
  // (a scan of all 65,536 marks costs more than the text itself on a cold JIT).
  const seen = new Uint8Array(0x10000);
  const codePoints: number[] = [];
  const astral = new Set<number>();
  const limit = symbolLimit();
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    if (cp >= 0x10000) { astral.add(cp); i += 2; continue; }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      throw new MinrnnError("INVALID_TEXT", `the text has a lone UTF-16 surrogate (U+${cp.toString(16).toUpperCase()}) at code point ${countCodePoints(text.slice(0, i))}: it is not valid Unicode; repair the text`);
    }
    if (!seen[cp]) { seen[cp] = 1; codePoints.push(cp); }
    i++;
    if (codePoints.length + astral.size > limit) break;
  }
  codePoints.push(...astral);
  return Vocab.fromCodePoints(checkSymbolCount(codePoints.sort((a, b) => a - b)));
}

/** Refuses a vocabulary of more than the core's limit (found without reading the whole text). */
function checkSymbolCount(codePoints: number[]): number[] {
  const limit = symbolLimit();
  if (codePoints.length > limit) {
    throw new MinrnnError("INVALID_TEXT", `the text has more than ${limit.toLocaleString("en-US")} distinct characters, more than a vocabulary can hold; train on a text with fewer, or on its bytes (byte mode)`);
  }
  return codePoints;
}

function checkList(values: unknown, what: string): void {
  if (!Array.isArray(values)) {
    throw new MinrnnError("INVALID_ARGUMENT", `a vocabulary is made from an array of ${what}, got ${values === null ? "null" : typeof values}`);
  }
}

function checkBytes(bytes: unknown): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new MinrnnError("INVALID_ARGUMENT", `bytes must be a Uint8Array, got ${Array.isArray(bytes) ? "an array" : bytes === null ? "null" : typeof bytes}`);
  }
}

export function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; n++) i += text.codePointAt(i)! >= 0x10000 ? 2 : 1;
  return n;
}

/** A byte readably: printable ASCII as is, anything else (and \ and ", so a quoted run of them reads back) as \xNN. */
export function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f && b !== 0x5c && b !== 0x22 ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** Names bytes for an error, in hex: 0xE9, 0x80. */
export function describeBytes(bytes: readonly number[], limit = 10): string {
  const shown = bytes.slice(0, limit).map((b) => `0x${b.toString(16).toUpperCase().padStart(2, "0")}`);
  return shown.join(", ") + (bytes.length > limit ? ` and ${bytes.length - limit} more` : "");
}

/** Names characters readably for an error: "é" (U+00E9), "\n" (U+000A). */
export function describeChars(chars: readonly string[], limit = 10): string {
  const shown = chars.slice(0, limit).map((ch) => {
    const cp = ch.codePointAt(0)!;
    return `${JSON.stringify(ch)} (U+${cp.toString(16).toUpperCase().padStart(4, "0")})`;
  });
  return shown.join(", ") + (chars.length > limit ? ` and ${chars.length - limit} more` : "");
}
