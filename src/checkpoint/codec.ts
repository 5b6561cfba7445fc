// Checkpoints: one safetensors file (the format of huggingface/safetensors), so a model
// moves to PyTorch and back with no converter:
//
//   [8 bytes: header length N, u64 little endian]
//   [N bytes: JSON header, padded with spaces so the data starts 8-byte aligned]
//   [data: every tensor's F32 little-endian values, back to back]
//
// The header maps each tensor name to { dtype, shape, data_offsets: [begin, end) } (offsets
// relative to the data area) and holds `__metadata__`, a map of strings. This file is the
// codec alone: {metadata, tensors} to bytes and back, with every structural check, and
// the `crc32` entry that minrnn writes over its metadata and the data area, so that
// corruption (in the metadata, the values, or which bytes belong to which tensor) is
// refused, not loaded. What the metadata and tensors mean is metadata.ts's and the model's
// business: the codec knows no config, vocabulary or tensor names, and needs no WebAssembly.
//
// A file from anywhere is untrusted input: every failure is a MinrnnError
// INVALID_CHECKPOINT saying what and what to do.
import { MinrnnError } from "../errors.js";
import { crc32 } from "./crc32.js";
import { firstDuplicateKey } from "./json-keys.js";

/** Far above any real header (a full Unicode vocabulary is ~8 MB of JSON); rejects garbage lengths early. */
export const MAX_HEADER_BYTES = 16 * 2 ** 20;
const ALIGN = 8;
/** The metadata entries the checksum covers, in this order (then the data area). */
const CHECKSUMMED = ["format", "config", "vocab", "training"] as const;
export const CHECKSUM_KEY = "crc32";

/** A tensor as a checkpoint holds it. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A decoded file: its metadata (null if it has none) and its tensors by name, in header order. */
export interface DecodedCheckpoint {
  metadata: Record<string, string> | null;
  tensors: Map<string, NamedTensor>;
  /**
   * The crc32 the file states and the CRC of its checksummed metadata, from which a caller
   * that checks the tensors where it copied them continues (checkValues: false); null: none stated.
   */
  checksum: Checksum | null;
}

export interface Checksum {
  stated: string;
  metadataCrc: number;
}

export interface DecodeOptions {
  /** false: a crc32 that does not match is a warning, not an error (a file another tool rewrote). */
  verifyChecksum?: boolean;
  /**
   * false: leave the checksum of the tensors and their finiteness to the caller, which
   * checks them where it copies them (a model, in WebAssembly: no JavaScript loop over the
   * data while the JIT is cold).
   */
  checkValues?: boolean;
}

// ---- encoding ----------------------------------------------------------------------

/**
 * A safetensors file of `tensors`, in the given order, with `metadata`; a `crc32` entry
 * over the checksummed metadata and the data is added. Every value must be finite (a
 * file that load() would refuse is never written).
 */
export function encodeCheckpoint(metadata: Record<string, string>, tensors: readonly NamedTensor[]): Uint8Array {
  const bad = firstNonFinite(tensors.map((t) => t.data));
  if (bad) {
    const [k, i] = bad;
    throw new MinrnnError("DIVERGED", `cannot save: ${tensors[k]!.name}[${i}] is ${tensors[k]!.data[i]}, so the model is not usable; nothing was written`);
  }
  const header: Record<string, unknown> = { __metadata__: { ...metadata } };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const data = new Uint8Array(offset);
  offset = 0;
  for (const t of tensors) {
    data.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), offset);
    offset += t.data.byteLength;
  }
  (header.__metadata__ as Record<string, string>)[CHECKSUM_KEY] = hex32(crc32([data], metadataCrc(metadata)));

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil((8 + json.length) / ALIGN) * ALIGN - 8;
  const out = new Uint8Array(8 + headerLength + data.length);
  new DataView(out.buffer).setUint32(0, headerLength, true); // the high 32 bits stay 0
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  out.set(data, 8 + headerLength);
  return out;
}

/**
 * CRC-32 of the checksummed metadata strings (newline-terminated, in a fixed order), then
 * of every tensor's bytes in the order the header names them. minrnn writes the header
 * and the data in one order, so this is its data area; a file whose offsets were swapped
 * between two tensors of one shape no longer matches.
 */
function metadataCrc(metadata: Record<string, string>): number {
  const text = CHECKSUMMED.map((k) => `${metadata[k]}\n`).join("");
  return crc32([new TextEncoder().encode(text)]);
}
export const hex32 = (n: number): string => (n >>> 0).toString(16).padStart(8, "0");

/** A stated crc32 that does not match: an error, or with verifyChecksum false a warning. */
export function checksumMismatch(verifyChecksum: boolean): void {
  if (verifyChecksum) {
    invalid(
      "its checksum does not match its content (crc32)",
      "the file is corrupted: use an intact copy. A file another tool rewrote (Hugging Face's safetensors reorders the tensors) loads with CharRNN.load(bytes, { verifyChecksum: false }), which warns instead; or delete its crc32 metadata entry",
    );
  }
  console.warn("minrnn: loading a checkpoint whose crc32 does not match its content (verifyChecksum: false); every other check still holds");
}

// ---- decoding ----------------------------------------------------------------------

export function invalid(problem: string, todo: string): never {
  throw new MinrnnError("INVALID_CHECKPOINT", `not a usable checkpoint: ${problem}; ${todo}`);
}

export const CORRUPT = "the file is damaged or incomplete: use an intact copy (or train and save again)";

/**
 * Parses and checks a safetensors file: structure, dtypes, shapes against byte ranges,
 * finite values, and the checksum where it has one. Builds nothing.
 */
export function decodeCheckpoint(bytes: Uint8Array, { verifyChecksum = true, checkValues = true }: DecodeOptions = {}): DecodedCheckpoint {
  if (!(bytes instanceof Uint8Array)) {
    invalid(`expected the file's bytes as a Uint8Array, got ${describeValue(bytes)}`, "pass the bytes that save() returned or that were read from the file");
  }
  const { header, data } = splitFile(bytes);
  const { metadata, entries } = readHeader(header, data.length);
  const stated = metadata?.[CHECKSUM_KEY];
  const checksum = stated === undefined ? null : { stated, metadataCrc: metadataCrc(metadata!) };
  const tensors = readTensors(entries, data);
  if (checkValues) {
    const inHeaderOrder = [...entries.values()].map((e) => data.subarray(e.begin, e.end));
    if (checksum !== null && checksum.stated !== hex32(crc32(inHeaderOrder, checksum.metadataCrc))) checksumMismatch(verifyChecksum);
    const list = [...tensors.values()];
    const bad = firstNonFinite(list.map((t) => t.data));
    if (bad) {
      const t = list[bad[0]]!;
      invalid(`${t.name}[${bad[1]}] is ${t.data[bad[1]]}; every value must be a finite number`, CORRUPT);
    }
  }
  return { metadata, tensors, checksum };
}

/** Cuts the file into its JSON header and its data area. */
function splitFile(bytes: Uint8Array): { header: Uint8Array; data: Uint8Array } {
  if (bytes.length < 8) {
    invalid(`it is ${bytes.length} bytes long, shorter than a safetensors header length (8 bytes)`, CORRUPT);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true), high = view.getUint32(4, true);
  if (high !== 0 || low > MAX_HEADER_BYTES) {
    const n = high * 2 ** 32 + low;
    invalid(`its header length field says ${n} bytes, more than the ${MAX_HEADER_BYTES} a checkpoint header can have`, "this is not a safetensors file, or its first bytes are damaged");
  }
  if (low < 2) invalid(`its header length field says ${low} bytes, too short for a JSON object`, CORRUPT);
  if (8 + low > bytes.length) {
    invalid(`its header should be ${low} bytes, but only ${bytes.length - 8} follow the length field (the file is truncated)`, CORRUPT);
  }
  return { header: bytes.subarray(8, 8 + low), data: bytes.subarray(8 + low) };
}

interface Entry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

/** The header's metadata (if any) and tensor entries, each entry checked against the data area. */
function readHeader(headerBytes: Uint8Array, dataLength: number): { metadata: Record<string, string> | null; entries: Map<string, Entry> } {
  // The format pads the JSON with spaces (0x20) only; JSON.parse would also accept other
  // white space there, and a damaged padding byte must not pass.
  let end = headerBytes.length;
  while (end > 0 && headerBytes[end - 1] === 0x20) end--;
  if (headerBytes[0] !== 0x7b || headerBytes[end - 1] !== 0x7d) {
    invalid("its header is not a JSON object padded with spaces (it must start with { and end with } and spaces)", CORRUPT);
  }
  let parsed: Record<string, unknown>; // an object: valid JSON between { and }
  let json: string;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(headerBytes.subarray(0, end));
    parsed = JSON.parse(json);
  } catch (e) {
    invalid(`its header is not valid UTF-8 JSON (${(e as Error).message})`, CORRUPT);
  }
  refuseDuplicateKeys("header", json);

  let metadata: Record<string, string> | null = null;
  const entries = new Map<string, Entry>();
  for (const [name, value] of Object.entries(parsed)) {
    if (name === "__metadata__") {
      if (!isPlainObject(value) || !Object.values(value).every((v) => typeof v === "string")) {
        invalid("its __metadata__ is not a map of strings", CORRUPT);
      }
      metadata = value as Record<string, string>;
    } else {
      entries.set(name, readEntry(name, value, dataLength));
    }
  }

  // The data area holds every tensor once, in some order, with no gaps and nothing left over.
  const sorted = [...entries.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) {
      invalid(e.begin < at ? `tensor ${e.name} overlaps the tensor before it (it begins at byte ${e.begin}, before ${at})` : `the bytes ${at} to ${e.begin} of the data belong to no tensor (before ${e.name})`, CORRUPT);
    }
    at = e.end;
  }
  if (at !== dataLength) {
    invalid(`its tensors cover ${at} bytes of data, but the file holds ${dataLength}${at > dataLength ? " (the file is truncated)" : ""}`, CORRUPT);
  }
  return { metadata, entries };
}

function readEntry(name: string, value: unknown, dataLength: number): Entry {
  if (!isPlainObject(value)) invalid(`the header entry of ${JSON.stringify(name)} is not an object`, CORRUPT);
  const keys = Object.keys(value).sort().join(",");
  if (keys !== "data_offsets,dtype,shape") {
    invalid(`the header entry of ${JSON.stringify(name)} has the fields {${keys}}; a safetensors entry has exactly dtype, shape and data_offsets`, CORRUPT);
  }
  const { dtype, shape, data_offsets: offsets } = value as { dtype: unknown; shape: unknown; data_offsets: unknown };
  if (dtype !== "F32") {
    invalid(`tensor ${name} has dtype ${JSON.stringify(dtype)}; minrnn reads F32 only`, "in PyTorch, convert the tensors with .float() before saving");
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    invalid(`tensor ${name} has shape ${JSON.stringify(shape)}, not a list of sizes`, CORRUPT);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    invalid(`tensor ${name} has data_offsets ${JSON.stringify(offsets)}, not a pair of byte offsets`, CORRUPT);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    invalid(`tensor ${name} has data_offsets [${begin}, ${end}] outside the ${dataLength} bytes of data${end > dataLength ? " (the file is truncated)" : ""}`, CORRUPT);
  }
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== 4 * count) {
    invalid(`tensor ${name} of shape [${shape}] needs ${4 * count} bytes but its data_offsets span ${end - begin}`, CORRUPT);
  }
  return { name, shape: shape as number[], begin, end };
}

/**
 * Every tensor in header order: a view of the file's bytes where they are 4-byte aligned
 * (a model copies them into its own memory once), a copy where not.
 * Big-endian machines would need a swap; every JavaScript runtime minrnn targets is little-endian.
 */
function readTensors(entries: Map<string, Entry>, data: Uint8Array): Map<string, NamedTensor> {
  const tensors = new Map<string, NamedTensor>();
  for (const e of entries.values()) {
    const at = data.byteOffset + e.begin, n = (e.end - e.begin) / 4;
    let values: Float32Array;
    if (at % 4 === 0) {
      values = new Float32Array(data.buffer, at, n);
    } else {
      values = new Float32Array(n);
      new Uint8Array(values.buffer).set(data.subarray(e.begin, e.end));
    }
    tensors.set(e.name, { name: e.name, shape: e.shape, data: values });
  }
  return tensors;
}

/** JSON.parse keeps the last of two equal keys; safetensors forbids them, and so does minrnn in its metadata. */
export function refuseDuplicateKeys(what: string, json: string): void {
  const key = firstDuplicateKey(json);
  if (key !== null) invalid(`its ${what} has the key ${JSON.stringify(key)} twice in one object (JSON readers differ on which one counts)`, CORRUPT);
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** For float32 arrays: the first [array, element] that is NaN or ±Infinity, or null. */
export function firstNonFinite(arrays: readonly Float32Array[]): [number, number] | null {
  for (let k = 0; k < arrays.length; k++) {
    const a = arrays[k]!;
    for (let i = 0; i < a.length; i++) if (a[i]! - a[i]! !== 0) return [k, i];   // NaN for NaN and ±Infinity
  }
  return null;
}

export function describeValue(x: unknown): string {
  return x === null ? "null" : Array.isArray(x) ? "an array" : typeof x;
}
