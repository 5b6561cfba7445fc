// The vocabulary: the text's distinct Unicode code points sorted by code point.
// Strings are split with Array.from / for..of (code points), never into UTF-16 units,
// and nothing is normalized: "é" and "e\u0301" are different symbols.
import { MinrnnError } from "./errors.js";

export type Indices = Uint8Array | Uint16Array | Uint32Array;

export class Vocab {
  /** One string per symbol (a single code point), sorted by code point; index = position. */
  readonly chars: readonly string[];
  private readonly index = new Map<number, number>();

  private constructor(codePoints: number[]) {
    this.chars = codePoints.map((cp) => String.fromCodePoint(cp));
    codePoints.forEach((cp, i) => this.index.set(cp, i));
  }

  /** The vocabulary of a text. */
  static fromText(text: string): Vocab {
    const seen = new Set<number>();
    let at = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0xd800 && cp <= 0xdfff) {
        throw new MinrnnError("INVALID_TEXT", `the text has a lone UTF-16 surrogate (U+${cp.toString(16).toUpperCase()}) at code point ${at}: it is not valid Unicode; repair the text or train on its bytes`);
      }
      seen.add(cp);
      at++;
    }
    return new Vocab([...seen].sort((a, b) => a - b));
  }

  /** A vocabulary from code points (as saved in a checkpoint): integers in Unicode's range, strictly increasing. */
  static fromCodePoints(codePoints: readonly number[]): Vocab {
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

  get size(): number { return this.chars.length; }

  codePoints(): number[] { return this.chars.map((ch) => ch.codePointAt(0)!); }

  /** Index of a one-code-point string, or -1. */
  indexOf(ch: string): number { return this.index.get(ch.codePointAt(0) ?? -1) ?? -1; }

  /** Characters of `text` that are not in the vocabulary, each once, in order of appearance. */
  missing(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) if (!this.index.has(ch.codePointAt(0)!)) out.add(ch);
    return [...out];
  }

  /** The text as indices, in the narrowest array that holds them. Throws naming any unknown characters. */
  encode(text: string): Indices {
    const missing = this.missing(text);
    if (missing.length > 0) {
      throw new MinrnnError("INVALID_TEXT", `characters not in the vocabulary: ${describeChars(missing)}; use only the model's characters (see its vocabulary)`);
    }
    const n = countCodePoints(text);
    const out = this.size <= 256 ? new Uint8Array(n) : this.size <= 65536 ? new Uint16Array(n) : new Uint32Array(n);
    let i = 0;
    for (const ch of text) out[i++] = this.index.get(ch.codePointAt(0)!)!;
    return out;
  }

  decode(indices: ArrayLike<number>): string {
    let s = "";
    for (let i = 0; i < indices.length; i++) s += this.chars[indices[i]!];
    return s;
  }
}

export function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) n++;
    else {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

/** Names characters readably for an error: "é" (U+00E9), "\n" (U+000A). */
export function describeChars(chars: readonly string[], limit = 10): string {
  const shown = chars.slice(0, limit).map((ch) => {
    const cp = ch.codePointAt(0)!;
    return `${JSON.stringify(ch)} (U+${cp.toString(16).toUpperCase().padStart(4, "0")})`;
  });
  return shown.join(", ") + (chars.length > limit ? ` and ${chars.length - limit} more` : "");
}
