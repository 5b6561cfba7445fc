// Checkpoints: one safetensors file (the format of huggingface/safetensors), so a model
// moves to PyTorch and back with no converter:
//
//   [8 bytes: header length N, u64 little endian]
//   [N bytes: JSON header, padded with spaces so the data starts 8-byte aligned]
//   [data: every tensor's F32 little-endian values, back to back]
//
// The header maps each tensor name to { dtype, shape, data_offsets: [begin, end) } (offsets
// relative to the data area) and holds `__metadata__`, a map of strings. A minrnn
// checkpoint stores there `format` ("minrnn/1"), `config`, `vocab` (a list of code
// points, or {"bytes": [...]} for a byte-mode model: an object, so that a reader of the
// first files can never take byte values for code points), and
// `training` (iteration, position, smooth loss, PRNG state, text length), all as JSON,
// and `crc32` over those four and the tensors in a fixed order, so that corruption (in
// the metadata, the values, or which bytes belong to which tensor) is refused, not loaded.
// Tensors: the weights under PyTorch's names, the Adagrad sums as `optim.<name>.sum`, and
// the hidden state carried between windows as `state.h_l0` [batch, hidden]. With these,
// a resumed run continues bit for bit as if it had never stopped.
//
// Loading checks everything before a model is built: a file from anywhere is untrusted
// input, and every failure is a MinrnnError INVALID_CHECKPOINT saying what and what to do.
// A foreign safetensors file holding only the six PyTorch RNN tensors loads too (its
// config comes from the shapes, its vocabulary from the caller).
import { describeOverflow, firstOverflowingSum } from "./bias.js";
import { crc32, firstNegative, firstNonFinite } from "./scratch.js";
import { MinrnnError } from "./errors.js";
import { firstDuplicateKey } from "./json-keys.js";
import { CharRNN, checkConfig, type ModelConfig, type NamedTensor, type TrainingState } from "./model.js";
import { PARAMETER_NAMES, parameterShapes } from "./tensors.js";
import { trainingConsistency } from "./training-check.js";
import { Vocab } from "./vocab.js";

export const FORMAT = "minrnn/1";
/** Far above any real header (a full Unicode vocabulary is ~8 MB of JSON); rejects garbage lengths early. */
export const MAX_HEADER_BYTES = 16 * 2 ** 20;
const ALIGN = 8;
const HIDDEN_STATE = "state.h_l0";
const METADATA_KEYS = ["format", "config", "vocab", "training"] as const;
const CHECKSUM_KEY = "crc32";
/** Every tensor of a minrnn checkpoint, in the order they are saved and checksummed. */
const TENSOR_NAMES = [...PARAMETER_NAMES, ...PARAMETER_NAMES.map((n) => `optim.${n}.sum`), HIDDEN_STATE];

/** The training state a checkpoint carries: the model's, plus the length of its text. */
export interface SavedTraining extends TrainingState {
  /** Code points (bytes in byte mode) of the text it was trained on (0: none); a resume on another text can tell. */
  textLength: number;
}

/** A checkpoint's content, validated. `training` and `vocab` are null for a foreign file. */
export interface Checkpoint {
  format: typeof FORMAT | "foreign";
  config: ModelConfig;
  vocab: Vocab | null;
  training: SavedTraining | null;
  tensors: Map<string, Float32Array>;
}

export interface LoadOptions {
  /** The vocabulary of a file that carries none (a PyTorch export); must match a minrnn file's own. */
  vocab?: Vocab;
  /**
   * The training text. If it has the length the checkpoint was trained on, training goes
   * on from the saved position and hidden state exactly; otherwise from its start.
   */
  text?: string;
  /** The training bytes of a byte-mode model, instead of `text`; the same rule applies. */
  bytes?: Uint8Array;
}

/**
 * The text length a checkpoint recorded, for models loaded without their text: saved
 * again (before any setText), they keep the record, so a later resume is still exact.
 */
const loadedTextLength = new WeakMap<CharRNN, number>();

// ---- encoding ----------------------------------------------------------------------

/** The model as a safetensors file. */
export function encodeCheckpoint(model: CharRNN): Uint8Array {
  const { batch: B, hidden: H } = model.config;
  const tensors: NamedTensor[] = [
    ...model.parameters(),
    ...model.optimizerState(),
    { name: HIDDEN_STATE, shape: [B, H], data: model.hiddenState() },
  ];
  // load() refuses what is not finite, so save() must not write it (weights written
  // through a stateDict() view are the caller's to get wrong).
  const bad = firstNonFinite(tensors.map((t) => t.data));
  if (bad) {
    const [k, i] = bad;
    throw new MinrnnError(
      "DIVERGED",
      `cannot save: ${tensors[k]!.name}[${i}] is ${tensors[k]!.data[i]}, so the model is not usable; nothing was written. Train again from an earlier checkpoint with a lower learning rate (now ${model.config.learningRate})`,
    );
  }
  const textLength = model.textLength || (loadedTextLength.get(model) ?? 0);
  const training: SavedTraining = { ...model.trainingState(), textLength };
  const metadata: Record<string, string> = {
    format: FORMAT,
    // JSON has no Infinity; clip = Infinity (no clipping) is written as the string "Infinity".
    config: JSON.stringify(model.config, (_, v) => (v === Infinity ? "Infinity" : v)),
    vocab: JSON.stringify(model.vocab.kind === "bytes" ? { bytes: model.vocab.codePoints() } : model.vocab.codePoints()),
    training: JSON.stringify(training),
  };

  const header: Record<string, unknown> = { __metadata__: metadata };
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
  metadata[CHECKSUM_KEY] = hex32(checksum(metadata, [data]));

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
 * CRC-32 of the four metadata strings (newline-terminated, in a fixed order), then of the
 * tensors' bytes in TENSOR_NAMES order (as save() lays out its data area).
 */
function checksum(metadata: Record<string, string>, tensorBytes: Uint8Array[]): number {
  const text = METADATA_KEYS.map((k) => `${metadata[k]}\n`).join("");
  return crc32([new TextEncoder().encode(text), ...tensorBytes]);
}

const hex32 = (n: number): string => n.toString(16).padStart(8, "0");

// ---- decoding ----------------------------------------------------------------------

function invalid(problem: string, todo: string): never {
  throw new MinrnnError("INVALID_CHECKPOINT", `not a usable checkpoint: ${problem}; ${todo}`);
}

const CORRUPT = "the file is damaged or incomplete: use an intact copy (or train and save again)";

/** Parses and validates a checkpoint without building a model. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  if (!(bytes instanceof Uint8Array)) {
    invalid(`expected the file's bytes as a Uint8Array, got ${describeValue(bytes)}`, "pass the bytes that save() returned or that were read from the file");
  }
  const { header, data } = splitFile(bytes);
  const { metadata, entries } = readHeader(header, data.length);
  // A minrnn format, or any other minrnn entry, marks a minrnn file (a damaged `format`
  // must not pass it off as foreign); safetensors.torch writes { format: "pt" }.
  const ours = metadata !== null && (metadata.format?.startsWith("minrnn/") || [...METADATA_KEYS.slice(1), CHECKSUM_KEY].some((k) => metadata[k] !== undefined));
  return ours ? readMinrnn(metadata, entries, data) : readForeign(entries, data);
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

/** A file that minrnn wrote: metadata, checksum, then exactly the tensors its config implies. */
function readMinrnn(metadata: Record<string, string>, entries: Map<string, Entry>, data: Uint8Array): Checkpoint {
  const format = metadata.format;
  if (format !== FORMAT) {
    const newer = typeof format === "string" && format.startsWith("minrnn/");
    invalid(
      `its format is ${JSON.stringify(format)}, and this version of minrnn reads ${JSON.stringify(FORMAT)}`,
      newer ? "load it with the minrnn version that wrote it, or a newer one" : CORRUPT,
    );
  }
  const allowed = new Set<string>([...METADATA_KEYS, CHECKSUM_KEY]);
  const unknown = Object.keys(metadata).filter((k) => !allowed.has(k));
  if (unknown.length) invalid(`its metadata has unknown entries (${unknown.join(", ")})`, CORRUPT);
  for (const k of METADATA_KEYS) {
    if (metadata[k] === undefined) invalid(`its metadata has no ${JSON.stringify(k)} entry`, CORRUPT);
  }
  const missing = TENSOR_NAMES.filter((n) => !entries.has(n));
  if (missing.length) invalid(`it has no tensor ${missing.join(", ")}`, CORRUPT);
  const tensorBytes = TENSOR_NAMES.map((n) => data.subarray(entries.get(n)!.begin, entries.get(n)!.end));
  if (metadata[CHECKSUM_KEY] !== undefined && metadata[CHECKSUM_KEY] !== hex32(checksum(metadata, tensorBytes))) {
    invalid(
      "its checksum does not match its content (crc32)",
      "the file is corrupted: use an intact copy. If you changed it on purpose with another tool, delete the crc32 metadata entry",
    );
  }
  const config = readConfig(metadata.config!);
  const vocab = readVocab(metadata.vocab!, config.vocabSize);
  const training = readTraining(metadata.training!, config);
  const { batch: B, hidden: H } = config;
  const shapes = parameterShapes(config.vocabSize, config.hidden);
  const expected = new Map(TENSOR_NAMES.map((n, i) => [n, n === HIDDEN_STATE ? [B, H] : shapes[i % shapes.length]!]));
  const tensors = readTensors(entries, expected, data, config);
  const sums = [...tensors].filter(([name]) => name.startsWith("optim."));
  const negative = firstNegative(sums.map(([, values]) => values));
  if (negative) invalid(`${sums[negative[0]]![0]} has negative values; Adagrad sums of squares are never negative`, CORRUPT);
  return { format: FORMAT, config, vocab, training, tensors };
}

/** A safetensors file from elsewhere (a PyTorch export): the six tensors, shapes giving the config. */
function readForeign(entries: Map<string, Entry>, data: Uint8Array): Checkpoint {
  const todo = "a foreign safetensors file must hold a one-layer nn.RNN (rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0) and an nn.Linear decoder (decoder.weight, decoder.bias), in F32";
  const V = entries.get("decoder.bias")?.shape[0];
  const H = entries.get("rnn.bias_ih_l0")?.shape[0];
  if (V === undefined || H === undefined) {
    invalid(`it has no minrnn metadata and lacks ${V === undefined ? "decoder.bias" : "rnn.bias_ih_l0"}`, todo);
  }
  let config: ModelConfig;
  try {
    config = checkConfig(V, { hidden: H });
  } catch (e) {
    invalid(`its shapes give a model minrnn cannot build (${(e as Error).message})`, todo);
  }
  const shapes = parameterShapes(config.vocabSize, config.hidden);
  const expected = new Map(PARAMETER_NAMES.map((n, i) => [n, shapes[i]!]));
  return { format: "foreign", config, vocab: null, training: null, tensors: readTensors(entries, expected, data, config) };
}

/** Exactly the expected tensors with the expected shapes and finite values, copied out of the file. */
function readTensors(entries: Map<string, Entry>, expected: Map<string, number[]>, data: Uint8Array, config: ModelConfig): Map<string, Float32Array> {
  const dims = `vocab ${config.vocabSize}, hidden ${config.hidden}, batch ${config.batch}`;
  const unknown = [...entries.keys()].filter((n) => !expected.has(n));
  if (unknown.length) {
    invalid(`it has tensors minrnn does not know: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}`, `expected ${[...expected.keys()].join(", ")}`);
  }
  const tensors = new Map<string, Float32Array>();
  for (const [name, shape] of expected) {
    const e = entries.get(name);
    if (!e) invalid(`it has no tensor ${name} (shape [${shape}])`, CORRUPT);
    if (e.shape.join() !== shape.join()) {
      invalid(`tensor ${name} has shape [${e.shape}], but the model (${dims}) needs [${shape}]`, CORRUPT);
    }
    // A copy: the file's bytes need not be 4-byte aligned, and the model must not alias
    // them. (Not data.slice(): on a Node Buffer that is a view of a shared pool.)
    const values = new Float32Array((e.end - e.begin) / 4);
    new Uint8Array(values.buffer).set(data.subarray(e.begin, e.end));
    tensors.set(name, values);
  }
  const bad = firstNonFinite([...tensors.values()]);
  if (bad) {
    const [name, values] = [...tensors][bad[0]]!;
    invalid(`${name}[${bad[1]}] is ${values[bad[1]]}; every value must be a finite number`, CORRUPT);
  }
  const bih = tensors.get("rnn.bias_ih_l0")!, bhh = tensors.get("rnn.bias_hh_l0")!;
  const overflow = firstOverflowingSum(bih, bhh);
  if (overflow >= 0) invalid(describeOverflow(bih, bhh, overflow), "the file's biases are out of range: use a file whose biases add up to finite float32 values");
  return tensors;
}

function parseJson(what: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    invalid(`its ${what} metadata is not valid JSON`, CORRUPT);
  }
  refuseDuplicateKeys(`${what} metadata`, text);
  return value;
}

/** JSON.parse keeps the last of two equal keys; safetensors forbids them, and so does minrnn in its metadata. */
function refuseDuplicateKeys(what: string, json: string): void {
  const key = firstDuplicateKey(json);
  if (key !== null) invalid(`its ${what} has the key ${JSON.stringify(key)} twice in one object (JSON readers differ on which one counts)`, CORRUPT);
}

function readConfig(text: string): ModelConfig {
  const raw = parseJson("config", text);
  if (!isPlainObject(raw)) invalid("its config metadata is not a JSON object", CORRUPT);
  const { vocabSize, ...rest } = raw as Record<string, unknown>;
  if (rest.clip === "Infinity") rest.clip = Infinity;
  let config: ModelConfig;
  try {
    config = checkConfig(vocabSize as number, rest as Partial<ModelConfig>);
  } catch (e) {
    invalid(`its config is not valid (${(e as Error).message})`, CORRUPT);
  }
  // Every field must be stored: a default filled in here would silently change the model.
  const stored = Object.keys(raw).sort().join(), needed = Object.keys(config).sort().join();
  if (stored !== needed) invalid(`its config has the fields {${stored}}, not {${needed}}`, CORRUPT);
  return config;
}

function readVocab(text: string, size: number): Vocab {
  const raw = parseJson("vocab", text);
  const bytes = isPlainObject(raw) && Object.keys(raw).join() === "bytes" ? raw.bytes : undefined;
  const values = Array.isArray(raw) ? raw : bytes;
  if (!Array.isArray(values) || values.length !== size) {
    invalid(`its vocab metadata is neither a list of ${size} code points nor {"bytes": [${size} byte values]} (${size} is the config's vocabulary size)`, CORRUPT);
  }
  try {
    return bytes === undefined ? Vocab.fromCodePoints(values) : Vocab.fromByteValues(values);
  } catch (e) {
    invalid(`its vocabulary is not valid (${(e as Error).message})`, CORRUPT);
  }
}

function readTraining(text: string, config: ModelConfig): SavedTraining {
  const t = parseJson("training", text);
  if (!isPlainObject(t)) invalid("its training metadata is not a JSON object", CORRUPT);
  const keys = Object.keys(t).sort().join();
  if (keys !== "iteration,position,rng,smoothLoss,textLength") {
    invalid(`its training metadata has the fields {${keys}}, not {iteration, position, rng, smoothLoss, textLength}`, CORRUPT);
  }
  const s = t as Record<string, unknown>;
  const count = (v: unknown, max: number) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
  const rng = s.rng;
  const rngOk = Array.isArray(rng) && rng.length === 4 && rng.every((w) => count(w, 0xffffffff)) && rng.some((w) => w !== 0);
  if (!count(s.iteration, Number.MAX_SAFE_INTEGER) || !count(s.position, 2 ** 31 - 1) || !count(s.textLength, 2 ** 31 - 1)
    || typeof s.smoothLoss !== "number" || !Number.isFinite(s.smoothLoss) || !rngOk) {
    invalid("its training metadata has a value out of range (iteration, position, text length, smooth loss or PRNG state)", CORRUPT);
  }
  const training = { iteration: s.iteration as number, position: s.position as number, smoothLoss: s.smoothLoss, rng: rng as number[], textLength: s.textLength as number };
  const problem = trainingConsistency(training, config);
  if (problem) invalid(`its training metadata does not fit its config and text: ${problem}`, CORRUPT);
  return training;
}

// ---- building the model ------------------------------------------------------------

/** A model from a validated checkpoint: weights, optimizer state, hidden state, progress, PRNG. */
export function modelFromCheckpoint(ckpt: Checkpoint, options: LoadOptions = {}): CharRNN {
  if (typeof options !== "object" || options === null) {
    throw new MinrnnError("INVALID_ARGUMENT", "CharRNN.load takes an options object: { vocab?, text?, bytes? }");
  }
  const vocab = vocabFor(ckpt, options.vocab);
  const weights = Object.fromEntries(PARAMETER_NAMES.map((n) => [n, ckpt.tensors.get(n)!]));
  const { training } = ckpt;
  if (training === null) {
    // A foreign file: fresh optimizer state and progress, as after create().
    const model = CharRNN.create({ vocab, hidden: ckpt.config.hidden });
    try {
      model.loadStateDict(weights);
      setData(model, options);
      return model;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
  const model = CharRNN._empty(ckpt.config, vocab);
  try {
    model.loadStateDict(weights);
    for (const t of model.optimizerState()) t.data.set(ckpt.tensors.get(t.name)!);
    const restore = () => {
      model.setTrainingState(training);
      model.setHiddenState(ckpt.tensors.get(HIDDEN_STATE)!);
    };
    restore();
    if (options.text !== undefined || options.bytes !== undefined) {
      setData(model, options); // rewinds the position and zeroes the hidden state
      if (model.textLength === training.textLength) restore();
    } else {
      loadedTextLength.set(model, training.textLength);
    }
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

function setData(model: CharRNN, options: LoadOptions): void {
  if (options.text !== undefined && options.bytes !== undefined) {
    throw new MinrnnError("INVALID_ARGUMENT", "CharRNN.load takes a text or bytes to train on, not both");
  }
  // Said in load's terms: the setText/setBytes errors name methods the caller did not call.
  const byteMode = model.vocab.kind === "bytes";
  if (byteMode ? options.text !== undefined : options.bytes !== undefined) {
    throw new MinrnnError("INVALID_ARGUMENT", byteMode
      ? "this checkpoint is a byte-mode model: pass its training data as CharRNN.load(file, { bytes }) (a text's UTF-8 bytes: new TextEncoder().encode(text))"
      : "this checkpoint's symbols are code points: pass its training text as CharRNN.load(file, { text })");
  }
  if (options.text !== undefined) model.setText(options.text);
  if (options.bytes !== undefined) model.setBytes(options.bytes);
}

function vocabFor(ckpt: Checkpoint, given: Vocab | undefined): Vocab {
  if (given !== undefined && !(given instanceof Vocab)) {
    throw new MinrnnError("INVALID_ARGUMENT", `the vocab option must be a Vocab (Vocab.fromText, Vocab.fromCodePoints or Vocab.fromBytes), got ${describeValue(given)}`);
  }
  const vocab = ckpt.vocab ?? given;
  if (vocab === undefined) {
    throw new MinrnnError(
      "INVALID_CHECKPOINT",
      `this safetensors file has weights for a vocabulary of ${ckpt.config.vocabSize} characters but does not say which characters (it has no minrnn metadata); pass them: CharRNN.load(bytes, { vocab: Vocab.fromCodePoints([...]) }) in the order the model was trained with`,
    );
  }
  if (vocab.size !== ckpt.config.vocabSize || (ckpt.vocab && given && !given.equals(ckpt.vocab))) {
    throw new MinrnnError(
      "INVALID_ARGUMENT",
      `the vocabulary given (${given!.size} characters) is not the checkpoint's (${ckpt.config.vocabSize} characters); give the vocabulary the weights were trained with (none is needed for a minrnn checkpoint)`,
    );
  }
  return vocab;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function describeValue(x: unknown): string {
  return x === null ? "null" : Array.isArray(x) ? "an array" : typeof x;
}
