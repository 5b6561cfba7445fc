// char-rnn's train/validation split: the last FRACTION of the text (in code points) is
// held out, the rest is trained on. It depends only on the text and the fraction, so a
// resumed run given the same --val trains on the same characters, at the same length.
// In byte mode the fraction is of the bytes.
import { countCodePoints } from "../../model/vocab.js";

export interface Split<T extends string | Uint8Array = string | Uint8Array> {
  train: T;
  validation: T;
  /** Code points (bytes in byte mode) in each part. */
  trainLength: number;
  validationLength: number;
}

export function splitText(text: string, fraction: number): Split<string> {
  const n = countCodePoints(text);
  const held = Math.floor(n * fraction);
  let i = text.length;
  for (let k = 0; k < held; k++) {
    // A surrogate pair is one code point: step over both halves.
    const low = text.charCodeAt(i - 1), high = text.charCodeAt(i - 2);
    i -= low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
  }
  return { train: text.slice(0, i), validation: text.slice(i), trainLength: n - held, validationLength: held };
}

export function splitBytes(bytes: Uint8Array, fraction: number): Split<Uint8Array> {
  const held = Math.floor(bytes.length * fraction);
  const at = bytes.length - held;
  return { train: bytes.subarray(0, at), validation: bytes.subarray(at), trainLength: at, validationLength: held };
}
