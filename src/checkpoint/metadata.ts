// What a minrnn checkpoint's metadata and tensors mean: the `minrnn/1` metadata (format,
// config, vocabulary, training state as JSON strings) read and checked against each
// other, and the config a foreign file (a PyTorch export) implies by its tensors' names
// and shapes. The tensors themselves are checked against the model's own tensor table
// when the model takes them (model/state.ts); the bytes are codec.ts's.
import { CHECKSUM_KEY, CORRUPT, invalid, isPlainObject, refuseDuplicateKeys, type DecodedCheckpoint, type NamedTensor } from "./codec.js";
import { ADDED_FIELDS, DEFAULTS, checkConfig, type ModelConfig } from "../model/config.js";
import { trainingConsistency } from "./training-check.js";
import { Vocab } from "../model/vocab.js";

export const FORMAT = "minrnn/1";
const METADATA_KEYS = ["format", "config", "vocab", "training"] as const;

/** Training progress and PRNG state: what, with the tensors, makes a resume exact. */
export interface TrainingState {
  iteration: number;
  position: number;
  smoothLoss: number;
  rng: number[];
  /** Adam's step count (updates made; torch.optim.Adam's `step`); 0 for the other optimizers. */
  step: number;
  /** The current learning rate: the config's, decayed by the schedule. */
  learningRate: number;
}

/** What a run with held-out text records, so that a resume needs no repeated flag. */
export interface ValidationRecord {
  /** The fraction of the text held out at its end (0: none). */
  validationFraction: number;
  /** The best validation loss so far (per window, as validationLoss()); null before any. */
  bestValidationLoss: number | null;
  /** SHA-256 (hex) of the held-out text's UTF-8 or bytes, so that a best is compared only on the same text; null: not recorded. */
  validationHash?: string | null;
}

/** The training state a checkpoint carries: the model's, plus the length of its text. */
export interface SavedTraining extends TrainingState, ValidationRecord {
  /** Code points (bytes in byte mode) of the text it was trained on (0: none); a resume on another text can tell. */
  textLength: number;
}

/** A checkpoint's content, its metadata checked. `training` and `vocab` are null for a foreign file. */
export interface SavedModel {
  format: typeof FORMAT | "foreign";
  config: ModelConfig;
  vocab: Vocab | null;
  training: SavedTraining | null;
  tensors: Map<string, NamedTensor>;
}

/** The metadata strings of a model's checkpoint. */
export function modelMetadata(config: ModelConfig, vocab: Vocab, training: SavedTraining): Record<string, string> {
  return {
    format: FORMAT,
    // JSON has no Infinity; clip = Infinity (no clipping) is written as the string "Infinity".
    config: JSON.stringify(config, (_, v) => (v === Infinity ? "Infinity" : v)),   // clip and clipNorm
    vocab: JSON.stringify(vocab.kind === "bytes" ? { bytes: vocab.codePoints() } : vocab.codePoints()),
    training: JSON.stringify(training),
  };
}

/** Reads a decoded checkpoint as a model's: minrnn's own metadata, or a foreign file's shapes. */
export function readSavedModel({ metadata, tensors }: DecodedCheckpoint): SavedModel {
  // A minrnn format, or any other minrnn entry, marks a minrnn file (a damaged `format`
  // must not pass it off as foreign); safetensors.torch writes { format: "pt" }.
  const ours = metadata !== null && (metadata.format?.startsWith("minrnn/") || [...METADATA_KEYS.slice(1), CHECKSUM_KEY].some((k) => metadata[k] !== undefined));
  return ours ? readMinrnn(metadata, tensors) : readForeign(tensors);
}

function readMinrnn(metadata: Record<string, string>, tensors: Map<string, NamedTensor>): SavedModel {
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
  const config = readConfig(metadata.config!);
  const vocab = readVocab(metadata.vocab!, config.vocabSize);
  const training = readTraining(metadata.training!, config);
  return { format: FORMAT, config, vocab, training, tensors };
}

/**
 * A safetensors file from elsewhere (a PyTorch export of nn.RNN, nn.LSTM or nn.GRU with an
 * nn.Linear decoder): its names and shapes give the cell, layers, hidden and vocabulary
 * sizes; its vocabulary comes from the caller.
 */
function readForeign(tensors: Map<string, NamedTensor>): SavedModel {
  const todo = "a foreign safetensors file must hold a PyTorch nn.RNN, nn.LSTM or nn.GRU named rnn (rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0, … per layer) and an nn.Linear named decoder (decoder.weight, decoder.bias), in F32";
  const shape = (name: string) => tensors.get(name)?.shape;
  const hh = shape("rnn.weight_hh_l0"), bias = shape("decoder.bias");
  if (hh?.length !== 2 || bias?.length !== 1) {
    invalid(`it has no minrnn metadata and lacks ${bias === undefined ? "decoder.bias" : "a two-dimensional rnn.weight_hh_l0"}`, todo);
  }
  const [rows, H] = hh as [number, number];
  const cell = rows === H ? "rnn" : rows === 4 * H ? "lstm" : rows === 3 * H ? "gru" : undefined;
  if (cell === undefined) invalid(`rnn.weight_hh_l0 has shape [${hh}], which is none of [H, H] (RNN), [4H, H] (LSTM) or [3H, H] (GRU)`, todo);
  let layers = 1;
  while (tensors.has(`rnn.weight_hh_l${layers}`)) layers++;
  try {
    return { format: "foreign", config: checkConfig(bias![0]!, { hidden: H, cell, layers }), vocab: null, training: null, tensors };
  } catch (e) {
    invalid(`its shapes give a model minrnn cannot build (${(e as Error).message})`, todo);
  }
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

export function readConfig(text: string): ModelConfig {
  const raw = parseJson("config", text);
  if (!isPlainObject(raw)) invalid("its config metadata is not a JSON object", CORRUPT);
  const { vocabSize, ...rest } = raw as Record<string, unknown>;
  if (rest.clip === "Infinity") rest.clip = Infinity;
  if (rest.clipNorm === "Infinity") rest.clipNorm = Infinity;
  // A 0.1.0 file (or a PyTorch bridge's) lacks the fields added since: they take their
  // defaults, which are what that version did. A field present must be valid.
  const added = ADDED_FIELDS.filter((k) => !(k in rest));
  for (const k of added) (rest as Record<string, unknown>)[k] = DEFAULTS[k];
  let config: ModelConfig;
  try {
    config = checkConfig(vocabSize as number, rest as Partial<ModelConfig>);
  } catch (e) {
    invalid(`its config is not valid (${(e as Error).message})`, CORRUPT);
  }
  // Every field must be stored: a default filled in here would silently change the model.
  const stored = [...Object.keys(raw), ...added].sort().join(), needed = Object.keys(config).sort().join();
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

const TRAINING_KEYS = ["iteration", "position", "rng", "smoothLoss", "textLength"];
/** Added since 0.1.0: absent in older files (then Adam's step 0, the config's rate, no validation record). */
const ADDED_TRAINING_KEYS = ["step", "learningRate", "validationFraction", "bestValidationLoss", "validationHash"];

/**
 * A current rate the core can hold (positive in float32) that the schedule could have
 * reached: decay only lowers the configured rate.
 */
function rateFits(rate: unknown, configured: number): boolean {
  return typeof rate === "number" && Number.isFinite(rate) && Math.fround(rate) > 0 && Math.fround(rate) <= Math.fround(configured);
}

function readTraining(text: string, config: ModelConfig): SavedTraining {
  const t = parseJson("training", text);
  if (!isPlainObject(t)) invalid("its training metadata is not a JSON object", CORRUPT);
  const keys = Object.keys(t).filter((k) => !ADDED_TRAINING_KEYS.includes(k)).sort().join();
  if (keys !== TRAINING_KEYS.join()) {
    invalid(`its training metadata has the fields {${Object.keys(t).sort().join(", ")}}, not {${TRAINING_KEYS.join(", ")}} (and ${ADDED_TRAINING_KEYS.join(", ")})`, CORRUPT);
  }
  const s = t as Record<string, unknown>;
  const count = (v: unknown, max: number) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
  const rng = s.rng;
  const rngOk = Array.isArray(rng) && rng.length === 4 && rng.every((w) => count(w, 0xffffffff)) && rng.some((w) => w !== 0);
  // The smooth loss starts at T·ln V and moves toward losses, which are never negative.
  if (!count(s.iteration, Number.MAX_SAFE_INTEGER) || !count(s.position, 2 ** 31 - 1) || !count(s.textLength, 2 ** 31 - 1)
    || typeof s.smoothLoss !== "number" || !Number.isFinite(s.smoothLoss) || !(s.smoothLoss > 0) || !rngOk) {
    invalid("its training metadata has a value out of range (iteration, position, text length, smooth loss or PRNG state)", CORRUPT);
  }
  const step = s.step ?? 0, learningRate = s.learningRate ?? config.learningRate;
  const validationFraction = s.validationFraction ?? 0, best = s.bestValidationLoss ?? null, validationHash = s.validationHash ?? null;
  if (!count(step, Number.MAX_SAFE_INTEGER) || (config.optimizer !== "adam" && step !== 0)
    || !rateFits(learningRate, config.learningRate)
    || typeof validationFraction !== "number" || !(validationFraction >= 0 && validationFraction < 1)
    || (best !== null && (typeof best !== "number" || !Number.isFinite(best) || best < 0))
    || (validationHash !== null && !(typeof validationHash === "string" && /^[0-9a-f]{64}$/.test(validationHash)))) {
    invalid("its training metadata has a value out of range (Adam's step, learning rate, validation fraction, best validation loss or validation hash)", CORRUPT);
  }
  const training = {
    iteration: s.iteration as number, position: s.position as number, smoothLoss: s.smoothLoss, rng: rng as number[], textLength: s.textLength as number,
    step: step as number, learningRate: learningRate as number, validationFraction, bestValidationLoss: best as number | null, validationHash: validationHash as string | null,
  };
  const problem = trainingConsistency(training, config);
  if (problem) invalid(`its training metadata does not fit its config and text: ${problem}`, CORRUPT);
  return training;
}

