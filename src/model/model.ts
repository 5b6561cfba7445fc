// CharRNN: the public API of one model, over its state (state.ts: one WebAssembly instance
// with its own memory, named views from the core's table) and its trainer (trainer.ts).
// Input checks live beside what they check (config.ts, data.ts, sampler.ts, options.ts).
import { newEngine } from "../core/engine.js";
import { compiledModule, currentArithmetic } from "../core/wasm.js";
import { decodeCheckpoint, describeValue, encodeCheckpoint } from "../checkpoint/codec.js";
import { modelMetadata, readSavedModel, type SavedModel, type ValidationRecord } from "../checkpoint/metadata.js";
import { MinrnnError } from "../errors.js";
import { CONFIG_KEYS, checkConfig, withVocabSize, type ModelConfig } from "./config.js";
import { checkBytes, checkText, checkValidationType, setTrainingBytes, setTrainingText, setValidationData } from "./data.js";
import { knownKeys, optionsObject } from "./options.js";
import { checkWholeLength, concatBytes, sampleChunks, type SampleOptions } from "./sampler.js";
import { loadedState, type LoadOptions } from "./load.js";
import { ModelState } from "./state.js";
import { Trainer, type Progress, type TrainAsyncOptions, type TrainOptions } from "./trainer.js";
import { Vocab, describeBytes, describeChars, vocabularyOf } from "./vocab.js";

export { DEFAULTS, checkConfig, type Cell, type ModelConfig, type Optimizer } from "./config.js";
export { MAX_SAMPLE_LENGTH, type SampleOptions } from "./sampler.js";
export type { Progress, TrainOptions, TrainAsyncOptions } from "./trainer.js";
export type { LoadOptions } from "./load.js";
export type { NamedTensor } from "../checkpoint/codec.js";
export type { TrainingState, ValidationRecord } from "../checkpoint/metadata.js";

export interface CreateOptions extends Partial<Omit<ModelConfig, "vocabSize">> {
  /** Training text; the vocabulary is its distinct code points unless `vocab` is given. */
  text?: string;
  /** Training bytes, instead of a text: a byte-mode model, whose symbols are the distinct byte values. */
  bytes?: Uint8Array;
  vocab?: Vocab;
  /**
   * Held-out text (bytes for a byte-mode model) for validationLoss(); a vocabulary built
   * from `text` or `bytes` includes its symbols too.
   */
  validation?: string | Uint8Array;
  /** char-rnn's explosion stop (see the maxLossRatio property); 0, the default, is off. */
  maxLossRatio?: number;
}


const CREATE_KEYS = [...CONFIG_KEYS, "text", "bytes", "vocab", "validation", "maxLossRatio"] as const;
const LOAD_KEYS = ["vocab", "text", "bytes", "verifyChecksum"] as const;
/** Options people pass to create() that belong elsewhere. */
const ELSEWHERE = { threads: "threads are started for a model with startThreads(model, { threads }) from \"minrnn/threads\"" };
const STREAM_CHUNK = 64;

/** The state behind each model, for the parts of the package that train it elsewhere (minrnn/threads). */
const states = new WeakMap<CharRNN, ModelState>();

/** @internal A model's state: the one way in for the package's own trainers (threads); not exported by the package. */
export function stateOf(model: CharRNN): ModelState {
  return states.get(model)!;
}

export class CharRNN {
  readonly #state: ModelState;
  readonly #trainer: Trainer;

  private constructor(state: ModelState) {
    this.#state = state;
    this.#trainer = new Trainer(state);
    states.set(this, state);
  }

  get config(): Readonly<ModelConfig> { return this.#state.config; }
  get vocab(): Vocab { return this.#state.vocab; }

  /**
   * A new model with freshly initialized weights from `seed`: min-char-rnn's randn·0.01
   * and zero biases for the rnn, PyTorch's U(−1/√hidden, 1/√hidden) for the lstm and gru.
   */
  static create(options?: CreateOptions): CharRNN {
    const o = optionsObject("CharRNN.create", options, "{ text, hidden, seqLength, ... }");
    knownKeys("CharRNN.create", o, CREATE_KEYS, ELSEWHERE);
    const { text, bytes, vocab: givenVocab, validation, maxLossRatio, ...rest } = o;
    if (givenVocab !== undefined && !(givenVocab instanceof Vocab)) {
      throw new MinrnnError("INVALID_ARGUMENT", `the vocab option must be a Vocab (Vocab.fromText, Vocab.fromCodePoints or Vocab.fromBytes), got ${describeValue(givenVocab)}`);
    }
    if (text !== undefined && bytes !== undefined) {
      throw new MinrnnError("INVALID_ARGUMENT", "CharRNN.create takes a text or bytes, not both: text makes a model of code points, bytes one of byte values");
    }
    if (text === undefined && bytes === undefined && givenVocab === undefined) {
      throw new MinrnnError("INVALID_ARGUMENT", "CharRNN.create needs a text, bytes (byte mode), or a vocab (with setText or setBytes later)");
    }
    const byteMode = bytes !== undefined || givenVocab?.kind === "bytes";
    // Every option's type and range before any work on the text (whose checks use seqLength and batch).
    const checked = checkConfig(2, rest);
    const { seqLength, batch } = checked;
    if (text !== undefined) checkText(text, seqLength, batch);
    if (bytes !== undefined) checkBytes(bytes, seqLength, batch);
    if (validation !== undefined) checkValidationType(validation, byteMode);
    // The instance that will train on the text lists its vocabulary too (the text's one trip into WebAssembly).
    const engine = newEngine(compiledModule());
    // Every held-out symbol must be known to the model, so a vocabulary from the data covers both.
    const vocab = givenVocab ?? (bytes !== undefined
      ? Vocab.fromBytes(validation === undefined ? bytes : concatBytes(bytes, validation as Uint8Array))
      : vocabularyOf(validation === undefined ? text! : text! + validation, engine));
    if (vocab.size < 2) {
      throw new MinrnnError(
        "INVALID_TEXT",
        vocab.kind === "bytes"
          ? `the data has only one distinct byte (${describeBytes(vocab.codePoints())}): there is nothing to predict; train on data with at least two different bytes`
          : `the text has only one distinct character (${describeChars(vocab.chars)}): there is nothing to predict; train on a text with at least two different characters`,
      );
    }
    const state = new ModelState({ ...withVocabSize(checked, vocab.size), arithmetic: currentArithmetic() }, vocab, engine);
    state.initialize();
    const model = new CharRNN(state);
    if (text !== undefined) setTrainingText(state, text);
    if (bytes !== undefined) setTrainingBytes(state, bytes);
    if (validation !== undefined) setValidationData(state, validation);
    if (maxLossRatio !== undefined) model.maxLossRatio = maxLossRatio;
    return model;
  }

  /**
   * A model from a checkpoint: save() output, or a safetensors export of a PyTorch nn.RNN
   * (then `vocab` must be given). Everything is validated before the model is built; pass
   * the training `text` to resume training exactly where it stopped.
   */
  static load(bytes: Uint8Array, options?: LoadOptions): CharRNN {
    const o = optionsObject("CharRNN.load", options, "{ vocab?, text?, bytes?, verifyChecksum? }");
    knownKeys("CharRNN.load", o, LOAD_KEYS);
    const { verifyChecksum, ...rest } = o;
    if (verifyChecksum !== undefined && typeof verifyChecksum !== "boolean") {
      throw new MinrnnError("INVALID_ARGUMENT", `verifyChecksum must be true or false, got ${describeValue(verifyChecksum)}`);
    }
    // The values are checked where they are copied, in the model's own memory (restore).
    const decoded = decodeCheckpoint(bytes, { checkValues: false });
    return new CharRNN(loadedState(readSavedModel(decoded), rest, { checksum: decoded.checksum, verifyChecksum: verifyChecksum ?? true }));
  }

  /** load() from a checkpoint already decoded and read (readSavedModel), as the command does to report on it first. */
  static fromSaved(saved: SavedModel, options: LoadOptions = {}): CharRNN {
    knownKeys("CharRNN.load", optionsObject("CharRNN.load", options, "{ vocab?, text?, bytes? }"), ["vocab", "text", "bytes"]);
    return new CharRNN(loadedState(saved, options, null));
  }

  /** Replaces the training text. Keeps weights and optimizer state; the position goes back to 0 and the hidden state to zero. */
  setText(text: string): void {
    setTrainingText(this.#state, text);
  }

  /** Like setText, for a byte-mode model: replaces the training bytes. */
  setBytes(bytes: Uint8Array): void {
    setTrainingBytes(this.#state, bytes);
  }

  /**
   * Sets the held-out text that validationLoss() evaluates, replacing any before; it stays
   * across setText. Its characters must be in the vocabulary, and it needs at least
   * seqLength + 1 of them (one window). It is not saved in checkpoints. A byte-mode model
   * takes bytes.
   */
  setValidation(text: string | Uint8Array): void {
    setValidationData(this.#state, text);
  }

  /**
   * The loss on the validation text, forward only: windows of seqLength characters in
   * order from a zero hidden state carried across them, each window's loss summed over
   * time (as `loss` and `smoothLoss` are), averaged over windows. Changes nothing.
   */
  validationLoss(): number {
    const engine = this.#state.live();
    if (this.#state.validationLength === 0) {
      throw new MinrnnError("INVALID_TEXT", "this model has no validation text; pass { validation } to CharRNN.create or call setValidation(text) first");
    }
    return engine.core.validationLoss();
  }

  /** Code points (bytes in byte mode) of the training text in memory (0 if none yet). */
  get textLength(): number { return this.#state.textLength; }
  get iteration(): number { return this.#state.progress("ITERATION"); }
  get position(): number { return this.#state.progress("POSITION"); }
  get smoothLoss(): number { return this.#state.progress("SMOOTH_LOSS"); }
  /** The loss of the last iteration (summed over the window, averaged over streams). */
  get loss(): number { return this.#state.progress("LAST_LOSS"); }
  /** The current learning rate: the config's, decayed by the schedule (lrDecay); until it decays it reads as the number it was given. */
  get learningRate(): number { return this.#state.progress("LEARNING_RATE"); }

  /**
   * char-rnn's stop for a loss that explodes: training stops with DIVERGED, keeping the
   * last good weights, at the first iteration whose smooth loss would pass this ratio times
   * its starting value, the smooth loss when the ratio was set (for a fresh model the
   * reference's -ln(1/V)·T). 0, the default, turns it off, as the reference has no such stop.
   * One starting value holds for a whole run, however many train(), trainAsync() and
   * step() calls it takes. Not saved in checkpoints.
   */
  get maxLossRatio(): number { return this.#trainer.maxLossRatio; }
  set maxLossRatio(ratio: number) { this.#trainer.maxLossRatio = ratio; }

  /** The held-out fraction and best validation loss of a run (the command's), saved with the model. */
  get validationRecord(): ValidationRecord { return this.#state.validationRecord; }
  set validationRecord(record: ValidationRecord) { this.#state.validationRecord = record; }

  /** One iteration exactly as the reference; returns its loss. */
  step(): number {
    return this.#trainer.step();
  }

  /** Runs `iterations` iterations inside the core, calling back between chunks. */
  train(options: TrainOptions): Progress {
    return this.#trainer.train(options);
  }

  /** Like train(), yielding to the event loop between chunks so a page or server stays responsive. */
  trainAsync(options: TrainAsyncOptions): Promise<Progress> {
    return this.#trainer.trainAsync(options);
  }

  progress(): Progress {
    return this.#trainer.progress();
  }

  /**
   * Samples `length` characters (default 200) as a string. A byte-mode model draws
   * `length` bytes and decodes them as UTF-8, with U+FFFD for what is not UTF-8.
   */
  sample(options: SampleOptions = {}): string {
    if (this.vocab.kind === "bytes") return new TextDecoder().decode(this.#sampleWhole(options, "sampleBytes", "sampleBytesStream"));
    checkWholeLength(options, "sample", "sampleStream");
    // Joined once from flat pieces: a string grown a character at a time costs ~33 bytes each.
    const pieces: string[] = [];
    for (const piece of this.#draws(options, this.#outCapacity(), "sample")) pieces.push(this.vocab.decode(piece));
    return pieces.join("");
  }

  /**
   * The same characters as sample(), one at a time as they are drawn. In byte mode a
   * character whose UTF-8 bytes span two draws comes out whole, once its last byte is drawn.
   */
  *sampleStream(options: SampleOptions = {}): Generator<string, void, undefined> {
    if (this.vocab.kind !== "bytes") {
      for (const piece of this.#draws(options, STREAM_CHUNK, "sampleStream")) yield* this.vocab.decode(piece);
      return;
    }
    const decoder = new TextDecoder();
    for (const piece of this.#draws(options, STREAM_CHUNK, "sampleStream")) yield* decoder.decode(this.vocab.decodeBytes(piece), { stream: true });
    yield* decoder.decode();
  }

  /** A byte-mode model's sample as the raw bytes drawn (a Latin-1 model's are Latin-1). */
  sampleBytes(options: SampleOptions = {}): Uint8Array {
    this.#requireBytes("sampleBytes", "sample()");
    return this.#sampleWhole(options, "sampleBytes", "sampleBytesStream");
  }

  /** The bytes of sampleBytes(), a chunk at a time as they are drawn (each chunk a new array): any length in constant memory. */
  *sampleBytesStream(options: SampleOptions = {}): Generator<Uint8Array, void, undefined> {
    this.#requireBytes("sampleBytesStream", "sampleStream()");
    for (const piece of this.#draws(options, this.#outCapacity(), "sampleBytesStream")) yield this.vocab.decodeBytes(piece);
  }

  #sampleWhole(options: SampleOptions, method: string, stream: string): Uint8Array {
    checkWholeLength(options, method, stream);
    const pieces: Uint8Array[] = [];
    for (const piece of this.#draws(options, this.#outCapacity(), method)) pieces.push(this.vocab.decodeBytes(piece));
    return concatBytes(...pieces);
  }

  #requireBytes(method: string, instead: string): void {
    if (this.vocab.kind !== "bytes") {
      throw new MinrnnError("INVALID_ARGUMENT", `${method} needs a byte-mode model (CharRNN.create({ bytes })); this one's symbols are code points: use ${instead}`);
    }
  }

  #outCapacity(): number {
    return this.#state.live().u32("OUT").length;
  }

  #draws(options: SampleOptions, chunk: number, call: string): Generator<ArrayLike<number>, void, undefined> {
    this.#state.live();
    if (options?.fromTraining && this.#state.textLength === 0) {
      throw new MinrnnError("INVALID_TEXT", "this model has no training text; call setText(text) first");
    }
    return sampleChunks(this.#state, options, chunk, call);
  }

  /** The weights under PyTorch state-dict names, as live views into the model's memory. */
  stateDict(): Record<string, Float32Array> {
    return this.#state.stateDict();
  }

  /**
   * Copies weights in. Every name must be present with the right length, and nothing else;
   * all is checked before anything is copied. The rnn cell has one hidden bias per layer:
   * a nonzero rnn.bias_hh_l{k} (as PyTorch exports) is added into rnn.bias_ih_l{k}, and
   * the sums must be finite float32 numbers too.
   */
  loadStateDict(dict: Record<string, ArrayLike<number>>): void {
    this.#state.loadStateDict(dict);
  }

  /** The model as a safetensors checkpoint: weights, optimizer and carried state, progress, PRNG. */
  save(): Uint8Array {
    const s = this.#state;
    const training = { ...s.trainingState(), textLength: s.savedTextLength, ...s.validationRecord };
    try {
      return encodeCheckpoint(modelMetadata(s.config, s.vocab, training), s.checkpointTensors());
    } catch (e) {
      // Weights written through a stateDict() view are the caller's to get wrong; training never makes them non-finite.
      if (e instanceof MinrnnError && e.code === "DIVERGED") {
        throw new MinrnnError("DIVERGED", `${e.message}. Train again from an earlier checkpoint with a lower learning rate (now ${s.config.learningRate})`);
      }
      throw e;
    }
  }

  /** Frees the model's instance and memory; the model cannot be used afterwards. */
  dispose(): void {
    this.#state.dispose();
  }

  get disposed(): boolean { return this.#state.disposed; }
}
