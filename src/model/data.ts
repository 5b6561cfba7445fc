// A model's data: the training text (or bytes) and the held-out text, checked and put into
// the model's own memory. A text is indexed by the core in the instance that trains on it
// (text-index.ts); the JavaScript path (vocab.ts) answers for what the core cannot take
// and names what is wrong.
import { MinrnnError } from "../errors.js";
import { MAX_INDEX } from "./options.js";
import type { ModelState } from "./state.js";
import { countCodePoints, type Indices } from "./vocab.js";

/** Replaces the training text: checked, indexed into the model's memory; rewinds. */
export function setTrainingText(state: ModelState, text: string): void {
  if (state.vocab.kind === "bytes") {
    throw new MinrnnError("INVALID_ARGUMENT", "this is a byte-mode model: give it bytes with setBytes(bytes) (a text's UTF-8 bytes: new TextEncoder().encode(text))");
  }
  checkText(text, state.config.seqLength, state.config.batch);
  state.dataChanged(state.vocab.indexInto(state.live(), text) ?? copyIndices(state, state.vocab.encode(text), "DATA"));
}

/** Replaces the training bytes of a byte-mode model; rewinds. */
export function setTrainingBytes(state: ModelState, bytes: Uint8Array): void {
  if (state.vocab.kind !== "bytes") {
    throw new MinrnnError("INVALID_ARGUMENT", "this model's symbols are code points: give it text with setText(text), or create a byte-mode model with CharRNN.create({ bytes })");
  }
  checkBytes(bytes, state.config.seqLength, state.config.batch);
  state.dataChanged(copyIndices(state, state.vocab.encodeBytes(bytes), "DATA"));
}

/** Indices made in JavaScript, copied into the region they belong to (reserved first); returns their count. */
function copyIndices(state: ModelState, indices: Indices, region: "DATA" | "VALIDATION"): number {
  if (region === "DATA") state.reserveData(indices.length);
  else state.reserveValidation(indices.length);
  state.live().bytes(region).set(new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength));
  return indices.length;
}

/**
 * Sets the held-out text that validationLoss() evaluates, replacing any before. Its
 * symbols must be in the vocabulary, and it needs at least seqLength + 1 of them.
 */
export function setValidationData(state: ModelState, data: string | Uint8Array): void {
  const byteMode = state.vocab.kind === "bytes";
  checkValidationType(data, byteMode);
  let indices: Indices;
  try {
    indices = byteMode ? state.vocab.encodeBytes(data as Uint8Array) : state.vocab.encode(data as string);
  } catch (e) {
    if (e instanceof MinrnnError) throw new MinrnnError(e.code, `the validation text has ${e.message}`);
    throw e;
  }
  const T = state.config.seqLength;
  if (indices.length < T + 1) {
    throw new MinrnnError("INVALID_TEXT", `the validation text has ${indices.length} ${byteMode ? "bytes" : "characters"}, but a window needs seqLength + 1 = ${T + 1}; hold out a longer text`);
  }
  copyIndices(state, indices, "VALIDATION");
  state.validationLength = indices.length;
}

export function checkText(text: unknown, seqLength: number, batch: number): void {
  if (typeof text !== "string") {
    throw new MinrnnError("INVALID_ARGUMENT", `text must be a string, got ${typeof text}`);
  }
  if (text.length === 0) throw new MinrnnError("INVALID_TEXT", "the text is empty; give a text of at least seqLength + 1 characters");
  // A code point is one or two UTF-16 units: count them only where the length cannot decide.
  if (text.length >= 2 * batch * (seqLength + 1) && text.length <= MAX_INDEX) return;
  checkLength(countCodePoints(text), seqLength, batch, "the text has", "characters");
}

export function checkBytes(bytes: unknown, seqLength: number, batch: number): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new MinrnnError("INVALID_ARGUMENT", `bytes must be a Uint8Array, got ${Array.isArray(bytes) ? "an array" : bytes === null ? "null" : typeof bytes}`);
  }
  if (bytes.length === 0) throw new MinrnnError("INVALID_TEXT", "the bytes are empty; give at least seqLength + 1 bytes");
  checkLength(bytes.length, seqLength, batch, "the data has", "bytes");
}

/** At most MAX_INDEX symbols, and at least one window's worth in every stream. */
function checkLength(n: number, seqLength: number, batch: number, what: string, unit: string): void {
  if (n > MAX_INDEX) throw new MinrnnError("INVALID_TEXT", `${what} ${n} ${unit}; at most ${MAX_INDEX} fit`);
  if (Number.isInteger(seqLength) && Number.isInteger(batch) && batch >= 1 && n < batch * (seqLength + 1)) {
    throw new MinrnnError(
      "INVALID_TEXT",
      `${what} ${n} ${unit}, but a window needs seqLength + 1 = ${seqLength + 1}${batch > 1 ? ` in each of ${batch} streams (${batch * (seqLength + 1)} in all)` : ""}; use a longer ${unit === "bytes" ? "input" : "text"} or a smaller seqLength`,
    );
  }
}

export function checkValidationType(validation: unknown, byteMode: boolean): void {
  if (byteMode && !(validation instanceof Uint8Array)) {
    throw new MinrnnError("INVALID_ARGUMENT", `a byte-mode model's validation must be a Uint8Array, got ${typeof validation}`);
  }
  if (!byteMode && typeof validation !== "string") {
    throw new MinrnnError("INVALID_ARGUMENT", `validation must be a string, got ${typeof validation}`);
  }
}
