// A model's state over one engine: its tensors as named views from the core's table, the
// state dict and the checkpoint's tensors in and out, the check of a checkpoint's tensors
// against the table, the training data, and the progress numbers. CharRNN (model.ts) is
// its public face, the Trainer (trainer.ts) runs iterations on it, and training threads
// reach it through stateOf(model). Nothing here computes an offset: the table and the
// regions say where everything is.
import { newEngine, type Engine, type TableEntry } from "../core/engine.js";
import { Kind, Progress, type RegionName } from "../core/regions.js";
import { compiledModule } from "../core/wasm.js";
import { invalid, CORRUPT, checksumMismatch, firstNonFinite, hex32, type Checksum, type NamedTensor } from "../checkpoint/codec.js";
import { crc32 } from "../checkpoint/crc32.js";
import type { SavedModel, TrainingState, ValidationRecord } from "../checkpoint/metadata.js";
import { MinrnnError } from "../errors.js";
import { coreDims, type ModelConfig } from "./config.js";
import { describeOverflow, firstOverflowingSum } from "./bias.js";
import { SLOT_NAMES, SQUARE_SLOTS, entryName, slotName } from "./names.js";
import type { Vocab } from "./vocab.js";

const INIT_SCALE = 0.01;

/** A table entry with its name. */
export interface NamedEntry extends TableEntry {
  name: string;
}

export class ModelState {
  readonly config: Readonly<ModelConfig>;
  readonly vocab: Vocab;
  #engine: Engine | null;
  /** The parameters, in table order, named. */
  readonly parameterEntries: readonly NamedEntry[];
  /** The carried state's vectors per layer, named (state.h_l{k}, state.c_l{k}). */
  readonly carriedEntries: readonly NamedEntry[];
  /** Symbols of the training text in memory (0: none yet). */
  textLength = 0;
  /** Counts data changes: a copy of the text elsewhere (a training thread) knows when it is stale. */
  dataVersion = 0;
  validationLength = 0;
  /** The text length a loaded checkpoint recorded: saved again before any new data, it keeps the record, so a later resume is still exact. */
  savedTextLength = 0;
  /** The held-out fraction and best validation loss of a run (the command's), saved with the model. */
  validationRecord: ValidationRecord = { validationFraction: 0, bestValidationLoss: null };

  /** A state for `config` on `engine` (a new instance of the core unless given: create() lists its vocabulary in it first). */
  constructor(config: ModelConfig, vocab: Vocab, engine = newEngine(compiledModule())) {
    if (!engine.configure(coreDims(config))) throw outOfMemory(config, engine.core.requiredBytes(), 0);
    this.config = Object.freeze({ ...config, betas: Object.freeze([...config.betas]) as unknown as [number, number] });
    this.vocab = vocab;
    this.#engine = engine;
    const named = engine.table().map((e) => ({ ...e, name: entryName(e) }));
    this.parameterEntries = named.filter((e) => e.kind === Kind.PARAM);
    this.carriedEntries = named.filter((e) => e.kind === Kind.CARRIED);
  }

  /** Fresh weights from the config's seed: the reference's init for the rnn, PyTorch's for the others. */
  initialize(): void {
    const core = this.live().core;
    core.seedRng(this.config.seed);
    core.initParams(INIT_SCALE);
  }

  /** Lets the instance and its memory go. */
  dispose(): void {
    this.#engine = null;
  }

  get disposed(): boolean { return this.#engine === null; }

  /** The engine; throws DISPOSED once disposed. Every use of the engine goes through here. */
  live(): Engine {
    if (this.#engine === null) throw new MinrnnError("DISPOSED", "this model was disposed; create or load a new one");
    return this.#engine;
  }

  // ---- progress ------------------------------------------------------------------------

  /** The progress span's field (regions.ts Progress). */
  progress(field: keyof typeof Progress): number {
    return this.live().progress()[Progress[field]]!;
  }

  setProgress(field: keyof typeof Progress, value: number): void {
    this.live().progress()[Progress[field]] = value;
  }

  /** Progress and PRNG state: what, with the tensors, makes a resume exact. */
  trainingState(): TrainingState {
    const engine = this.live();
    return {
      iteration: this.progress("ITERATION"),
      position: this.progress("POSITION"),
      smoothLoss: this.progress("SMOOTH_LOSS"),
      rng: Array.from(engine.u32("RNG")),
      step: this.progress("ADAM_STEP"),
      learningRate: this.progress("LEARNING_RATE"),
    };
  }

  setTrainingState(s: TrainingState): void {
    this.live().u32("RNG").set(s.rng);
    this.setProgress("ITERATION", s.iteration);
    this.setProgress("POSITION", s.position);
    this.setProgress("SMOOTH_LOSS", s.smoothLoss);
    this.setProgress("ADAM_STEP", s.step);
    this.setProgress("LEARNING_RATE", s.learningRate);
  }

  // ---- tensors -------------------------------------------------------------------------

  /** Every parameter (or its gradient) as a view, in table order. */
  parameters(region: "PARAMS" | "GRADS" = "PARAMS"): NamedTensor[] {
    const engine = this.live();
    return this.parameterEntries.map((e) => ({ name: e.name, shape: e.shape, data: engine.tensor(region, e.offset, numel(e.shape)) }));
  }

  /** The optimizer's slots as views, named `optim.<param>.<slot>` as torch.optim's state. */
  optimizerState(): NamedTensor[] {
    const slots = this.live().f32("SLOTS");
    const perSlot = slots.length / SLOT_NAMES[this.config.optimizer].length;
    return SLOT_NAMES[this.config.optimizer].flatMap((slot, k) => this.parameterEntries.map((e) => ({
      name: slotName(e.name, slot),
      shape: e.shape,
      data: slots.subarray(k * perSlot + e.offset / 4, k * perSlot + e.offset / 4 + numel(e.shape)),
    })));
  }

  /** The carried state as tensors state.h_l{k} (and state.c_l{k}) [batch, hidden], copies. */
  carriedState(): NamedTensor[] {
    const { batch: B } = this.config;
    const all = this.live().f32("STATE");
    return this.carriedEntries.map((e) => {
      const [H] = e.shape as [number];
      const data = new Float32Array(B * H);
      for (let b = 0; b < B; b++) data.set(all.subarray((b * e.stride + e.offset) / 4, (b * e.stride + e.offset) / 4 + H), b * H);
      return { name: e.name, shape: [B, H], data };
    });
  }

  /** Writes the carried state from tensors named as carriedState() names them. */
  setCarriedState(tensors: ReadonlyMap<string, NamedTensor>): void {
    const { batch: B } = this.config;
    const all = this.live().f32("STATE");
    for (const e of this.carriedEntries) {
      const [H] = e.shape as [number];
      const src = tensors.get(e.name)!.data;
      for (let b = 0; b < B; b++) all.set(src.subarray(b * H, (b + 1) * H), (b * e.stride + e.offset) / 4);
    }
  }

  /** The weights under PyTorch state-dict names, as live views into the model's memory. */
  stateDict(): Record<string, Float32Array> {
    return Object.fromEntries(this.parameters().map((t) => [t.name, t.data]));
  }

  /**
   * Copies weights in, each once. Every name must be present with the right length, and
   * nothing else; all is checked before anything is copied. The rnn cell has one hidden
   * bias per layer: a nonzero rnn.bias_hh_l{k} (as PyTorch exports) is added into
   * rnn.bias_ih_l{k}, and the sums must be finite float32 numbers too.
   */
  loadStateDict(dict: Record<string, ArrayLike<number>>): void {
    const tensors = this.parameters();
    if (typeof dict !== "object" || dict === null) {
      throw new MinrnnError("INVALID_STATE", "loadStateDict takes an object of name → Float32Array");
    }
    const known = new Set(tensors.map((t) => t.name));
    const unknown = Object.keys(dict).filter((k) => !known.has(k));
    if (unknown.length) {
      throw new MinrnnError("INVALID_STATE", `unknown tensor name(s) ${unknown.map((n) => JSON.stringify(n)).join(", ")}; expected ${[...known].join(", ")}`);
    }
    const { cell, layers, vocabSize, hidden } = this.config;
    const values = tensors.map((t) => {
      const src = dict[t.name];
      if (src === undefined) {
        throw new MinrnnError("INVALID_STATE", `the state dict has no ${JSON.stringify(t.name)} (shape [${t.shape}])`);
      }
      if (typeof src.length !== "number" || src.length !== t.data.length) {
        throw new MinrnnError("INVALID_STATE", `${t.name} has ${src.length} values; this model (${cell}, ${layers} layer${layers > 1 ? "s" : ""}, vocab ${vocabSize}, hidden ${hidden}) needs ${t.data.length} (shape [${t.shape}])`);
      }
      // Checked as float32: a finite number beyond float32's range would become Infinity.
      for (let i = 0; i < src.length; i++) {
        const v = Math.fround(src[i]!);
        if (v - v !== 0) throw new MinrnnError("INVALID_STATE", `${t.name}[${i}] is ${src[i]}; weights must be finite float32 numbers`);
      }
      return src;
    });
    this.#copyParameters(values, (problem) => new MinrnnError("INVALID_STATE", `${problem}; give biases whose sum is a finite float32 number`));
  }

  /** Copies checked parameter values (table order) into memory, each once, the rnn's biases folded. */
  #copyParameters(values: readonly ArrayLike<number>[], fail: (problem: string) => Error): void {
    const folded = this.#foldedBiases(values, fail);
    this.parameters().forEach((t, k) => t.data.set(folded.get(k) ?? values[k]!));
  }

  /**
   * The rnn's one hidden bias per layer: bias_ih + bias_hh in float32 by table index (the
   * bias_hh entries then zero), checked finite; empty for the other cells.
   */
  #foldedBiases(values: readonly ArrayLike<number>[], fail: (problem: string) => Error): Map<number, ArrayLike<number>> {
    const folded = new Map<number, ArrayLike<number>>();
    if (this.config.cell !== "rnn") return folded;
    for (const ih of this.parameterEntries.filter((e) => e.name.startsWith("rnn.bias_ih_"))) {
      const k = this.parameterEntries.indexOf(ih), h = this.parameterEntries.findIndex((e) => e.name === ih.name.replace("bias_ih", "bias_hh"));
      const bih = Float32Array.from(values[k]!), bhh = Float32Array.from(values[h]!);
      const overflow = firstOverflowingSum(bih, bhh);
      if (overflow >= 0) throw fail(describeOverflow(bih, bhh, overflow, ih.layer));
      const sum = new Float32Array(bih.length);
      for (let i = 0; i < sum.length; i++) sum[i] = bih[i]! + bhh[i]!;
      folded.set(k, sum);
      folded.set(h, new Float32Array(bhh.length));
    }
    return folded;
  }

  /**
   * A checkpoint's tensors against this model's table: exactly the parameters (a foreign
   * file), or those, every optimizer slot and the carried state (a minrnn file), with
   * those shapes; sums of squares never negative; a carried h within [-1, 1], which every
   * cell's h is (a tanh, or a gate times one, or a mix of the two).
   */
  checkTensors({ training, tensors }: SavedModel, { values = true }: { values?: boolean } = {}): void {
    const config = this.config;
    const slots = SLOT_NAMES[config.optimizer].flatMap((slot) => this.parameterEntries.map((t) => ({ ...t, name: slotName(t.name, slot) })));
    const carried = this.carriedEntries.map((e) => ({ ...e, shape: [config.batch, e.shape[0]!] }));
    const expected = training === null ? this.parameterEntries : [...this.parameterEntries, ...slots, ...carried];
    const dims = `cell ${config.cell}, layers ${config.layers}, vocab ${config.vocabSize}, hidden ${config.hidden}, batch ${config.batch}`;
    const known = new Set(expected.map((t) => t.name));
    const unknown = [...tensors.keys()].filter((n) => !known.has(n));
    if (unknown.length) {
      invalid(`it has tensors minrnn does not know: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}`, `expected ${[...known].join(", ")}`);
    }
    for (const t of expected) {
      const e = tensors.get(t.name);
      if (!e) invalid(`it has no tensor ${t.name} (shape [${t.shape}])`, CORRUPT);
      if (e.shape.join() !== t.shape.join()) invalid(`tensor ${t.name} has shape [${e.shape}], but the model (${dims}) needs [${t.shape}]`, CORRUPT);
    }
    this.#foldedBiases(this.parameterEntries.map((t) => tensors.get(t.name)!.data), (problem) =>
      invalid(problem, "the file's biases are out of range: use a file whose biases add up to finite float32 values"));
    for (const t of values ? slots : []) {
      if (!isSquareSlot(t.name) || !tensors.has(t.name)) continue;
      const data = tensors.get(t.name)!.data;
      if (data.some((v) => v < 0)) invalid(`${t.name} has negative values; an optimizer's sums and averages of squares are never negative`, CORRUPT);
    }
    if (training === null) return;
    for (const e of this.carriedEntries.filter((c) => c.name.startsWith("state.h_"))) {
      const data = tensors.get(e.name)!.data;
      const i = data.findIndex((v) => !(v >= -1 && v <= 1));
      if (i >= 0) invalid(`${e.name}[${i}] is ${data[i]}, but a ${config.cell} cell's hidden state is always within [-1, 1]`, CORRUPT);
    }
  }

  /**
   * Takes a checkpoint's tensors, checked by checkTensors (and finite, as the codec proved):
   * each copied once from the file into the model's memory.
   */
  takeTensors({ training, tensors }: SavedModel): void {
    this.#copyParameters(this.parameterEntries.map((t) => tensors.get(t.name)!.data), (problem) => invalid(problem, CORRUPT));
    if (training === null) return;
    for (const t of this.optimizerState()) t.data.set(tensors.get(t.name)!.data);
    this.setCarriedState(tensors);
  }

  /**
   * The checks a file's values need, made where takeTensors copied them (the core scans
   * them: no JavaScript loop over the data while the JIT is cold): finite values, sums of
   * squares never negative, and the stated crc32 over the metadata and every tensor in the
   * file's order. Tensors whose bytes are not kept as the file has them (the rnn's biases,
   * which are added into one; the carried state, laid out per stream) are read from the file.
   */
  verifyTensors({ tensors }: SavedModel, checksum: Checksum | null, verifyChecksum: boolean): void {
    const engine = this.live();
    const core = engine.core;
    const places = new Map<string, { ptr: number; square: boolean }>();
    const params = engine.region("PARAMS").ptr, slots = engine.region("SLOTS").ptr, layoutBytes = engine.region("PARAMS").bytes;
    const kept = this.parameterEntries.filter((e) => !(this.config.cell === "rnn" && /^rnn\.bias_/.test(e.name)));
    for (const e of kept) places.set(e.name, { ptr: params + e.offset, square: false });
    SLOT_NAMES[this.config.optimizer].forEach((slot, k) => {
      for (const e of this.parameterEntries) places.set(slotName(e.name, slot), { ptr: slots + k * layoutBytes + e.offset, square: isSquareSlot(slot) });
    });
    // The checksum first: a damaged file is called damaged, whatever its damage looks like.
    if (checksum !== null) {
      let crc = checksum.metadataCrc;
      for (const [name, t] of tensors) {
        const place = places.get(name);
        crc = place === undefined ? crc32([new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)], crc) : core.crc32(place.ptr, t.data.byteLength, crc) >>> 0;
      }
      if (hex32(crc) !== checksum.stated) checksumMismatch(verifyChecksum);
    }
    for (const [name, t] of tensors) {
      const place = places.get(name);
      const bad = place === undefined ? (firstNonFinite([t.data])?.[1] ?? -1) : core.firstInvalid(place.ptr, t.data.length, place.square ? 1 : 0);
      if (bad < 0) continue;
      const v = t.data[bad]!;
      invalid(Number.isFinite(v) ? `${name} has negative values; an optimizer's sums and averages of squares are never negative` : `${name}[${bad}] is ${v}; every value must be a finite number`, CORRUPT);
    }
  }

  /** Every tensor a checkpoint holds, in table order: parameters, optimizer slots, carried state. */
  checkpointTensors(): NamedTensor[] {
    return [...this.parameters(), ...this.optimizerState(), ...this.carriedState()];
  }

  // ---- data ----------------------------------------------------------------------------

  /** Zeroes the carried state and rewinds to position 0 (the iteration count stays). */
  rewind(): void {
    this.live().f32("STATE").fill(0);
    this.setProgress("POSITION", 0);
  }

  /** The training data changed (its indices are in the DATA region now): rewinds, counts the change. */
  dataChanged(length: number): void {
    this.textLength = length;
    this.savedTextLength = length;
    this.dataVersion++;
    this.rewind();
  }

  /** Room for n data indices at the vocabulary's width; OUT_OF_MEMORY if memory cannot grow. */
  reserveData(n: number): void {
    const core = this.live().core;
    if (!core.reserveData(n, this.vocab.indexShift)) throw outOfMemory(this.config, core.requiredBytes(), n + this.validationLength);
  }

  /** Room for n held-out indices; OUT_OF_MEMORY if memory cannot grow. */
  reserveValidation(n: number): void {
    const core = this.live().core;
    if (!core.reserveValidation(n)) throw outOfMemory(this.config, core.requiredBytes(), this.textLength + n);
  }

  /** Bytes of one region, for the rare caller that must copy one whole (a training thread). */
  regionBytes(name: RegionName, i = 0): Uint8Array {
    return this.live().bytes(name, i);
  }
}

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A slot that is a sum or average of squares (by its name or a tensor name ending in it). */
const isSquareSlot = (name: string): boolean => SQUARE_SLOTS.has(name.slice(name.lastIndexOf(".") + 1));

export function outOfMemory(config: ModelConfig, bytes: number, textLength: number): MinrnnError {
  const mb = (bytes / 2 ** 20).toFixed(1);
  return new MinrnnError(
    "OUT_OF_MEMORY",
    `the model needs ${mb} MB of WebAssembly memory (vocab ${config.vocabSize}, hidden ${config.hidden}, seqLength ${config.seqLength}, batch ${config.batch}, text ${textLength}), more than this runtime grants; use a smaller hidden size, batch or text`,
  );
}

/** The check of a checkpoint's tensors against the table its config makes, without keeping a model (the command's info). */
export function checkSavedTensors(saved: SavedModel): void {
  new ModelState(saved.config, saved.vocab as Vocab).checkTensors(saved);
}
