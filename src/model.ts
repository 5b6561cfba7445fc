// CharRNN: one model, one WebAssembly instance with its own memory. The core's tensor
// table (assembly/layout.ts) says where each tensor lives; this file names them, moves
// them in and out (state dicts, checkpoints) and runs training. Sampling is sampler.ts.
import { decodeCheckpoint, encodeCheckpoint, invalid, CORRUPT, describeValue, type NamedTensor } from "./checkpoint.js";
import { carriedCount, checkConfig, type ModelConfig } from "./config.js";
import { Engine, type TableEntry } from "./engine.js";
import { MinrnnError } from "./errors.js";
import { callback, integer, show } from "./options.js";
import { Vocab, countCodePoints, describeBytes, describeChars, type Indices } from "./vocab.js";
import { adoptScratch, firstNegative, firstNonFinite } from "./scratch.js";
import { modelMetadata, readSavedModel, type SavedModel, type SavedTraining, type TrainingState, type ValidationRecord } from "./saved.js";
import { sampleChunks, concatBytes, checkWholeLength, type SampleOptions } from "./sampler.js";
import { describeOverflow, firstOverflowingSum } from "./bias.js";
import { SLOT_NAMES, SQUARE_SLOTS, parameterNames, slotName, stateNames } from "./tensors.js";
import { compiledModule, currentArithmetic } from "./wasm.js";

export { DEFAULTS, checkConfig, type Cell, type ModelConfig, type Optimizer } from "./config.js";
export { MAX_SAMPLE_LENGTH, type SampleOptions } from "./sampler.js";
export type { NamedTensor } from "./checkpoint.js";
export type { TrainingState, ValidationRecord } from "./saved.js";

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
}

export interface Progress {
  iteration: number;
  position: number;
  loss: number;
  smoothLoss: number;
}

export interface TrainOptions {
  iterations: number;
  /** Called every `progressEvery` iterations (default 100) and after the last one. */
  onProgress?: (progress: Progress) => void;
  progressEvery?: number;
}

export interface TrainAsyncOptions extends TrainOptions {
  /** Stops after the current chunk of iterations when aborted. */
  signal?: AbortSignal;
}

export interface LoadOptions {
  /** The vocabulary of a file that carries none (a PyTorch export); must match a minrnn file's own. */
  vocab?: Vocab;
  /**
   * The training text. If it has the length the checkpoint was trained on, training goes
   * on from the saved position and carried state exactly; otherwise from its start.
   */
  text?: string;
  /** The training bytes of a byte-mode model, instead of `text`; the same rule applies. */
  bytes?: Uint8Array;
}

const INIT_SCALE = 0.01;
const MAX_INDEX = 2 ** 31 - 1;
const STREAM_CHUNK = 64;

/** A view of `shape` floats at `ptr`. */
const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export class CharRNN {
  readonly config: Readonly<ModelConfig>;
  readonly vocab: Vocab;
  #engine: Engine | null;
  /** The core's tensor table with PyTorch's names. */
  readonly #tensors: readonly NamedEntry[];
  #textLength = 0;
  #dataVersion = 0;
  #validationLength = 0;
  #maxLossRatio = 0;
  #lossStart = 0;
  /** The rate last handed to the core (the config's, or a checkpoint's decayed one), exact: the core keeps it in float32. */
  #rate: number;
  /** The text length a loaded checkpoint recorded: saved again before any setText, it keeps the record, so a later resume is still exact. */
  #savedTextLength = 0;
  /** @internal The held-out fraction and best validation loss of a run (the command's), saved with the model. */
  validationRecord: ValidationRecord = { validationFraction: 0, bestValidationLoss: null };

  private constructor(config: ModelConfig, vocab: Vocab, engine = configuredEngine(config)) {
    this.config = Object.freeze({ ...config });
    this.vocab = vocab;
    this.#rate = config.learningRate;
    this.#tensors = namedTable(engine, config.layers);
    this.#engine = engine;
  }

  /** Fresh weights from the config's seed (initParams), as create() makes them. */
  #initialize(): void {
    const core = this.#core();
    core.seedRng(this.config.seed);
    core.initParams(INIT_SCALE);
  }

  /**
   * A new model with freshly initialized weights from `seed`: min-char-rnn's randn·0.01
   * and zero biases for the rnn, PyTorch's U(−1/√hidden, 1/√hidden) for the lstm and gru.
   */
  static create(options: CreateOptions = {}): CharRNN {
    if (typeof options !== "object" || options === null) {
      throw new MinrnnError("INVALID_ARGUMENT", `CharRNN.create takes an options object ({ text, hidden, seqLength, ... }), got ${show(options)}`);
    }
    const { text, bytes, vocab: givenVocab, validation, ...rest } = options;
    if (givenVocab !== undefined && !(givenVocab instanceof Vocab)) {
      throw new MinrnnError("INVALID_ARGUMENT", `the vocab option must be a Vocab (Vocab.fromText, Vocab.fromCodePoints or Vocab.fromBytes), got ${show(givenVocab)}`);
    }
    if (text !== undefined && bytes !== undefined) {
      throw new MinrnnError("INVALID_ARGUMENT", "CharRNN.create takes a text or bytes, not both: text makes a model of code points, bytes one of byte values");
    }
    if (text === undefined && bytes === undefined && givenVocab === undefined) {
      throw new MinrnnError("INVALID_ARGUMENT", "CharRNN.create needs a text, bytes (byte mode), or a vocab (with setText or setBytes later)");
    }
    const byteMode = bytes !== undefined || givenVocab?.kind === "bytes";
    // Every option's type and range before any work on the text (whose checks use seqLength and batch).
    const { seqLength, batch } = checkConfig(2, rest);
    if (text !== undefined) checkText(text, seqLength, batch);
    if (bytes !== undefined) checkBytes(bytes, seqLength, batch);
    if (validation !== undefined) checkValidationType(validation, byteMode);
    // Every held-out symbol must be known to the model, so a vocabulary from the data covers both.
    const vocab = givenVocab ?? (bytes !== undefined
      ? Vocab.fromBytes(validation === undefined ? bytes : concatBytes(bytes, validation as Uint8Array))
      : Vocab.fromText(validation === undefined ? text! : text! + validation));
    if (vocab.size < 2) {
      throw new MinrnnError(
        "INVALID_TEXT",
        vocab.kind === "bytes"
          ? `the data has only one distinct byte (${describeBytes(vocab.codePoints())}): there is nothing to predict; train on data with at least two different bytes`
          : `the text has only one distinct character (${describeChars(vocab.chars)}): there is nothing to predict; train on a text with at least two different characters`,
      );
    }
    const config = checkConfig(vocab.size, { ...rest, arithmetic: currentArithmetic() });
    // Indexed before the model exists: the text is indexed in the scratch instance, which
    // the model then takes over (scratch.ts), so a cold create() instantiates the core once.
    const indices = text !== undefined ? trainingIndices(vocab, config, { text })
      : bytes !== undefined ? trainingIndices(vocab, config, { bytes }) : undefined;
    const model = new CharRNN(config, vocab);
    model.#initialize();
    if (indices !== undefined) model.#setData(indices);
    if (validation !== undefined) model.setValidation(validation);
    return model;
  }

  /**
   * A model from a checkpoint: save() output, or a safetensors export of a PyTorch nn.RNN
   * (then `vocab` must be given). Everything is validated before the model is built; pass
   * the training `text` to resume training exactly where it stopped.
   */
  static load(bytes: Uint8Array, options: LoadOptions = {}): CharRNN {
    return CharRNN.fromSaved(readSavedModel(decodeCheckpoint(bytes)), options);
  }

  /** @internal load() from a checkpoint already decoded and read (the command reads it first, to report on it). */
  static fromSaved(saved: SavedModel, options: LoadOptions = {}): CharRNN {
    if (typeof options !== "object" || options === null) {
      throw new MinrnnError("INVALID_ARGUMENT", "CharRNN.load takes an options object: { vocab?, text?, bytes? }");
    }
    const engine = configuredEngine(saved.config);
    checkTensors(saved, namedTable(engine, saved.config.layers));
    // Training goes on with the core's arithmetic, which its saves then record.
    const model = new CharRNN({ ...saved.config, arithmetic: currentArithmetic() }, vocabFor(saved, options.vocab), engine);
    try {
      // A foreign file starts with fresh optimizer state and progress, as after create().
      if (saved.training === null) model.#initialize();
      model.#restore(saved, options);
      return model;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** Takes a checkpoint's tensors (checked by checkTensors) and training state. */
  #restore(saved: SavedModel, options: LoadOptions): void {
    const { training, tensors } = saved;
    this.loadStateDict(Object.fromEntries(this.parameters().map((t) => [t.name, tensors.get(t.name)!.data])));
    if (training === null) {
      setData(this, options);
      return;
    }
    this.optimizerState().forEach((t) => t.data.set(tensors.get(t.name)!.data));
    const restore = () => {
      this.#setTrainingState(training);
      this.setCarriedState(tensors);
    };
    restore();
    this.#savedTextLength = training.textLength;
    this.validationRecord = { validationFraction: training.validationFraction, bestValidationLoss: training.bestValidationLoss };
    if (options.text !== undefined || options.bytes !== undefined) {
      setData(this, options); // rewinds the position and zeroes the carried state
      if (this.textLength === training.textLength) restore();
    }
  }

  /** Replaces the training text. Keeps weights and optimizer state; the position goes back to 0 and the hidden state to zero. */
  setText(text: string): void {
    this.#core();
    this.#setData(trainingIndices(this.vocab, this.config, { text }));
  }

  /** Like setText, for a byte-mode model: replaces the training bytes. */
  setBytes(bytes: Uint8Array): void {
    this.#core();
    this.#setData(trainingIndices(this.vocab, this.config, { bytes }));
  }

  #setData(indices: Indices): void {
    const core = this.#core();
    const shift = indices.BYTES_PER_ELEMENT === 1 ? 0 : indices.BYTES_PER_ELEMENT === 2 ? 1 : 2;
    if (!core.reserveData(indices.length, shift)) throw outOfMemory(this.config, core.requiredBytes(), indices.length + this.#validationLength);
    this.#engine!.bytes(core.dataPtr(), indices.byteLength).set(new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength));
    this.#textLength = indices.length;
    this.#savedTextLength = indices.length;
    this.#dataVersion++;
    this.#engine!.f32(core.statePtr(), this.#stateFloats()).fill(0);
    core.setProgress(core.iteration(), 0, core.smoothLoss());
  }

  /**
   * Sets the held-out text that validationLoss() evaluates, replacing any before; it stays
   * across setText. Its characters must be in the vocabulary, and it needs at least
   * seqLength + 1 of them (one window). It is not saved in checkpoints. A byte-mode model
   * takes bytes.
   */
  setValidation(text: string | Uint8Array): void {
    const core = this.#core();
    const byteMode = this.vocab.kind === "bytes";
    checkValidationType(text, byteMode);
    let indices;
    try {
      indices = byteMode ? this.vocab.encodeBytes(text as Uint8Array) : this.vocab.encode(text as string);
    } catch (e) {
      if (e instanceof MinrnnError) throw new MinrnnError(e.code, `the validation text has ${e.message}`);
      throw e;
    }
    const T = this.config.seqLength;
    if (indices.length < T + 1) {
      throw new MinrnnError("INVALID_TEXT", `the validation text has ${indices.length} ${byteMode ? "bytes" : "characters"}, but a window needs seqLength + 1 = ${T + 1}; hold out a longer text`);
    }
    if (!core.reserveValidation(indices.length)) throw outOfMemory(this.config, core.requiredBytes(), this.#textLength + indices.length);
    this.#engine!.bytes(core.validationPtr(), indices.byteLength).set(new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength));
    this.#validationLength = indices.length;
  }

  /**
   * The loss on the validation text, forward only: windows of seqLength characters in
   * order from a zero hidden state carried across them, each window's loss summed over
   * time (as `loss` and `smoothLoss` are), averaged over windows. Changes nothing.
   */
  validationLoss(): number {
    const core = this.#core();
    if (this.#validationLength === 0) {
      throw new MinrnnError("INVALID_TEXT", "this model has no validation text; pass { validation } to CharRNN.create or call setValidation(text) first");
    }
    return core.validationLoss();
  }

  /** Code points (bytes in byte mode) of the training text in memory (0 if none yet). */
  get textLength(): number { return this.#textLength; }

  /** @internal Counts setText/setBytes calls: a copy of the text elsewhere (a training thread) knows when it is stale. */
  get dataVersion(): number { return this.#dataVersion; }
  get iteration(): number { return this.#core().iteration(); }
  get position(): number { return this.#core().position(); }
  get smoothLoss(): number { return this.#core().smoothLoss(); }
  /** The loss of the last iteration (summed over the window, averaged over streams). */
  get loss(): number { return this.#core().lastLoss(); }
  /**
   * The current learning rate: the config's, decayed by the schedule (lrDecay). The core
   * keeps it in float32; until it decays again it reads as the number it was given.
   */
  get learningRate(): number {
    const rate = this.#core().learningRate();
    return rate === Math.fround(this.#rate) ? this.#rate : rate;
  }

  /**
   * char-rnn's stop for a loss that explodes: training stops with DIVERGED, keeping the
   * last good weights, at the first iteration whose smooth loss would pass this ratio times
   * its starting value, the smooth loss when the ratio was set (for a fresh model the
   * reference's -ln(1/V)·T). 0, the default, turns it off, as the reference has no such stop.
   * A property, not a train() option: one starting value holds for a whole run, however
   * many train(), trainAsync() and step() calls it takes. Not saved in checkpoints.
   */
  get maxLossRatio(): number { return this.#maxLossRatio; }
  set maxLossRatio(ratio: number) {
    const core = this.#core();
    if (typeof ratio !== "number" || !Number.isFinite(ratio) || !(ratio === 0 || ratio >= 1)) {
      throw new MinrnnError("INVALID_ARGUMENT", `maxLossRatio must be 0 (off) or a number ≥ 1, got ${show(ratio)}`);
    }
    this.#maxLossRatio = ratio;
    this.#lossStart = core.smoothLoss();
    core.setMaxLossRatio(ratio, this.#lossStart);
  }

  /** @internal The explosion limit, for another instance that runs the same updates (a training thread). */
  lossLimit(): { maxLossRatio: number; lossStart: number } {
    return { maxLossRatio: this.#maxLossRatio, lossStart: this.#lossStart };
  }

  /** One iteration exactly as the reference; returns its loss. */
  step(): number {
    this.#requireText();
    this.#checkIterations(1);
    const loss = this.#core().step();
    if (Number.isNaN(loss)) throw this.#diverged();
    return loss;
  }

  /** Runs `iterations` iterations inside the core, calling back between chunks. */
  train(options: TrainOptions): Progress {
    return this.trainWith(options, this.#coreRun);
  }

  /** Like train(), yielding to the event loop between chunks so a page or server stays responsive. */
  trainAsync(options: TrainAsyncOptions): Promise<Progress> {
    return this.trainAsyncWith(options, this.#coreRun);
  }

  /** The core's train(n): how many of n iterations made an update. */
  readonly #coreRun = (n: number): number => this.#core().train(n);

  /**
   * @internal train() and trainAsync() with another runner of n iterations, which returns
   * how many made an update: the core's train(n), or Node's threads for their trainer.
   */
  trainWith(options: TrainOptions, run: (n: number) => number): Progress {
    const { iterations, every } = this.#checkTrain(options);
    for (let done = 0; done < iterations; ) done += this.#chunk(Math.min(every, iterations - done), run, options);
    return this.progress();
  }

  /** @internal See trainWith. */
  async trainAsyncWith(options: TrainAsyncOptions, run: (n: number) => number): Promise<Progress> {
    const { iterations, every } = this.#checkTrain(options);
    for (let done = 0; done < iterations && !options.signal?.aborted; ) {
      done += this.#chunk(Math.min(every, iterations - done), run, options);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return this.progress();
  }

  /** n iterations by `run`, then the progress callback; throws DIVERGED if one made no update. */
  #chunk(n: number, run: (n: number) => number, options: TrainOptions): number {
    if (run(n) < n) throw this.#diverged();
    options.onProgress?.(this.progress());
    return n;
  }

  progress(): Progress {
    const core = this.#core();
    return { iteration: core.iteration(), position: core.position(), loss: core.lastLoss(), smoothLoss: core.smoothLoss() };
  }

  #checkTrain(options: TrainOptions): { iterations: number; every: number } {
    this.#requireText();
    if (typeof options !== "object" || options === null) {
      throw new MinrnnError("INVALID_ARGUMENT", "train takes an options object: { iterations, onProgress?, progressEvery? }");
    }
    callback("onProgress", options.onProgress);
    const signal = (options as TrainAsyncOptions).signal;
    if (signal !== undefined && typeof signal?.aborted !== "boolean") {
      throw new MinrnnError("INVALID_ARGUMENT", `signal must be an AbortSignal, got ${show(signal)}`);
    }
    const iterations = integer("iterations", options.iterations, 0, Number.MAX_SAFE_INTEGER);
    this.#checkIterations(iterations);
    return { iterations, every: integer("progressEvery", options.progressEvery ?? 100, 1, MAX_INDEX) };
  }

  /** The iteration count stays exact (≤ 2^53 - 1), so that a checkpoint can hold it and load() take it back. */
  #checkIterations(n: number): void {
    const at = this.iteration;
    if (n > Number.MAX_SAFE_INTEGER - at) {
      throw new MinrnnError("INVALID_STATE", `this model is at iteration ${at}, and ${n} more would pass ${Number.MAX_SAFE_INTEGER}, the most a checkpoint counts exactly; train at most ${Number.MAX_SAFE_INTEGER - at} more`);
    }
  }


  /**
   * Samples `length` characters (default 200) as a string. A byte-mode model draws
   * `length` bytes and decodes them as UTF-8, with U+FFFD for what is not UTF-8.
   */
  sample(options: SampleOptions = {}): string {
    if (this.vocab.kind === "bytes") return new TextDecoder().decode(this.sampleBytes(options));
    checkWholeLength(options, "sample", "sampleStream");
    // Joined once from flat pieces: a string grown a character at a time costs ~33 bytes each.
    const pieces: string[] = [];
    for (const piece of this.#sampleChunks(options, this.#core().outCapacity())) pieces.push(this.vocab.decode(piece));
    return pieces.join("");
  }

  /**
   * The same characters as sample(), one at a time as they are drawn. In byte mode a
   * character whose UTF-8 bytes span two draws comes out whole, once its last byte is drawn.
   */
  *sampleStream(options: SampleOptions = {}): Generator<string, void, undefined> {
    if (this.vocab.kind !== "bytes") {
      for (const piece of this.#sampleChunks(options, STREAM_CHUNK)) yield* this.vocab.decode(piece);
      return;
    }
    const decoder = new TextDecoder();
    for (const piece of this.#sampleChunks(options, STREAM_CHUNK)) yield* decoder.decode(this.vocab.decodeBytes(piece), { stream: true });
    yield* decoder.decode();
  }

  /** A byte-mode model's sample as the raw bytes drawn (a Latin-1 model's are Latin-1). */
  sampleBytes(options: SampleOptions = {}): Uint8Array {
    this.#requireBytes("sampleBytes", "sample()");
    checkWholeLength(options, "sampleBytes", "sampleBytesStream");
    return concatBytes(...this.sampleBytesStream(options));
  }

  /** The bytes of sampleBytes(), a chunk at a time as they are drawn (each chunk a new array): any length in constant memory. */
  *sampleBytesStream(options: SampleOptions = {}): Generator<Uint8Array, void, undefined> {
    this.#requireBytes("sampleBytesStream", "sampleStream()");
    for (const piece of this.#sampleChunks(options, this.#core().outCapacity())) yield this.vocab.decodeBytes(piece);
  }

  #requireBytes(method: string, instead: string): void {
    if (this.vocab.kind !== "bytes") {
      throw new MinrnnError("INVALID_ARGUMENT", `${method} needs a byte-mode model (CharRNN.create({ bytes })); this one's symbols are code points: use ${instead}`);
    }
  }

  #sampleChunks(options: SampleOptions, chunk: number): Generator<ArrayLike<number>, void, undefined> {
    this.#core();
    if (options?.fromTraining) this.#requireText();
    return sampleChunks(this.#engine!, this.vocab, this.#stateFloats() / this.config.batch, options, chunk);
  }

  /** The weights under PyTorch state-dict names, as live views into the model's memory. */
  stateDict(): Record<string, Float32Array> {
    return Object.fromEntries(this.parameters().map((t) => [t.name, t.data]));
  }

  /** @internal Parameter tensors (or their gradients) as views, in table order. */
  parameters(base: "params" | "grads" = "params"): NamedTensor[] {
    const core = this.#core();
    return this.#views(base === "params" ? core.paramsPtr() : core.gradsPtr(), "");
  }

  /** @internal The optimizer's slots as views, named `optim.<param>.<slot>` as torch.optim's state. */
  optimizerState(): NamedTensor[] {
    const core = this.#core();
    return SLOT_NAMES[this.config.optimizer].flatMap((slot, k) => this.#views(core.slotPtr(k), slot));
  }

  /** Views of every tensor of one layout (the parameters', the gradients', a slot's) at `start`. */
  #views(start: number, slot: string): NamedTensor[] {
    return this.#tensors.map((t) => ({
      name: slot ? slotName(t.name, slot) : t.name,
      shape: t.shape,
      data: this.#engine!.f32(start + t.offset, numel(t.shape)),
    }));
  }

  /**
   * Copies weights in. Every name must be present with the right length, and nothing else;
   * all is checked before anything is copied. The rnn cell has one hidden bias per layer:
   * a nonzero rnn.bias_hh_l{k} (as PyTorch exports) is added into rnn.bias_ih_l{k}, and
   * the sums must be finite float32 numbers too.
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
    const values = tensors.map((t) => {
      const src = dict[t.name];
      if (src === undefined) {
        throw new MinrnnError("INVALID_STATE", `the state dict has no ${JSON.stringify(t.name)} (shape [${t.shape}])`);
      }
      if (typeof src.length !== "number" || src.length !== t.data.length) {
        throw new MinrnnError("INVALID_STATE", `${t.name} has ${src.length} values; this model (${this.config.cell}, ${this.config.layers} layer${this.config.layers > 1 ? "s" : ""}, vocab ${this.config.vocabSize}, hidden ${this.config.hidden}) needs ${t.data.length} (shape [${t.shape}])`);
      }
      return Float32Array.from(src);
    });
    // Checked as float32: a finite number beyond float32's range would become Infinity.
    const bad = firstNonFinite(values);
    if (bad) {
      const [k, i] = bad;
      throw new MinrnnError("INVALID_STATE", `${tensors[k]!.name}[${i}] is ${dict[tensors[k]!.name]![i]}; weights must be finite float32 numbers`);
    }
    if (this.config.cell === "rnn") {
      for (let k = 0; k < this.config.layers; k++) {
        const bih = values[4 * k + 2]!, bhh = values[4 * k + 3]!;
        const overflow = firstOverflowingSum(bih, bhh);
        if (overflow >= 0) {
          throw new MinrnnError("INVALID_STATE", `${describeOverflow(bih, bhh, overflow, k)}; give biases whose sum is a finite float32 number`);
        }
        for (let i = 0; i < bih.length; i++) bih[i] = Math.fround(bih[i]! + bhh[i]!);
        bhh.fill(0);
      }
    }
    tensors.forEach((t, k) => t.data.set(values[k]!));
  }

  /** @internal The carried state as tensors state.h_l{k} (and state.c_l{k}) [batch, hidden], copies. */
  carriedState(): NamedTensor[] {
    const { batch: B, hidden: H } = this.config;
    const all = this.#engine!.f32(this.#core().statePtr(), this.#stateFloats());
    return this.#stateTensors().map((t, j) => {
      const data = new Float32Array(B * H);
      for (let b = 0; b < B; b++) data.set(all.subarray(this.#stateAt(b, j), this.#stateAt(b, j) + H), b * H);
      return { ...t, data };
    });
  }

  /** @internal Writes the carried state from tensors named as carriedState() names them. */
  setCarriedState(tensors: ReadonlyMap<string, NamedTensor>): void {
    const { batch: B, hidden: H } = this.config;
    const all = this.#engine!.f32(this.#core().statePtr(), this.#stateFloats());
    this.#stateTensors().forEach((t, j) => {
      const src = tensors.get(t.name)!.data;
      for (let b = 0; b < B; b++) all.set(src.subarray(b * H, (b + 1) * H), this.#stateAt(b, j));
    });
  }

  #stateTensors(): NamedEntry[] {
    return stateEntries(this.config);
  }

  /** Where vector j (layer by layer: h, then c) of stream b starts in the core's carried state [B][L][S][HP]. */
  #stateAt(b: number, j: number): number {
    const stride = this.#core().stateStride();
    return (b * this.config.layers * carriedCount(this.config.cell) + j) * stride;
  }

  /** Floats of the carried state, [B][L][S][HP]. */
  #stateFloats(): number {
    const core = this.#core();
    return this.config.batch * this.config.layers * core.stateCount() * core.stateStride();
  }

  /** @internal Progress and PRNG state. */
  trainingState(): TrainingState {
    const core = this.#core();
    return {
      iteration: core.iteration(),
      position: core.position(),
      smoothLoss: core.smoothLoss(),
      rng: Array.from(this.#engine!.u32(core.rngPtr(), 4)),
      step: core.adamStep(),
      learningRate: this.learningRate,
    };
  }

  #setTrainingState(s: TrainingState): void {
    const core = this.#core();
    core.setProgress(s.iteration, s.position, s.smoothLoss);
    this.#engine!.u32(core.rngPtr(), 4).set(s.rng);
    core.setAdamStep(s.step);
    core.setHyper(s.learningRate, this.config.clip);
    this.#rate = s.learningRate;
  }

  /** @internal Test hook: wrap, loss and clipped gradients at the current window, without an update. Returns the loss. */
  gradients(): number {
    this.#requireText();
    for (const t of this.parameters("grads")) t.data.fill(0);
    return this.#core().gradients();
  }

  /** @internal Test hook: h[t] for t = 0..T-1 of the last forward pass, stream 0, top layer, [T, hidden]. */
  hiddenStates(): Float32Array {
    const { seqLength: T, batch: B, hidden: H, layers } = this.config;
    const core = this.#core();
    const HP = core.stateStride();
    const N = core.shardCount() === 1 ? B : core.shardStart(1); // stream 0's shard: its block is [T+1, N, HP] (assembly/layout.ts)
    const hs = this.#engine!.f32(core.hiddenStatesPtr(layers - 1), (T + 1) * N * HP);
    const out = new Float32Array(T * H);
    for (let t = 0; t < T; t++) out.set(hs.subarray((t + 1) * N * HP, (t + 1) * N * HP + H), t * H);
    return out;
  }

  /** @internal The model's instance, which Node's threaded trainer drives phase by phase. */
  engine(): Engine {
    this.#core();
    return this.#engine!;
  }

  /** The model as a safetensors checkpoint: weights, optimizer and carried state, progress, PRNG. */
  save(): Uint8Array {
    const training: SavedTraining = { ...this.trainingState(), textLength: this.#savedTextLength, ...this.validationRecord };
    try {
      return encodeCheckpoint(modelMetadata(this.config, this.vocab, training), [...this.parameters(), ...this.optimizerState(), ...this.carriedState()]);
    } catch (e) {
      // Weights written through a stateDict() view are the caller's to get wrong; training never makes them non-finite.
      if (e instanceof MinrnnError && e.code === "DIVERGED") {
        throw new MinrnnError("DIVERGED", `${e.message}. Train again from an earlier checkpoint with a lower learning rate (now ${this.config.learningRate})`);
      }
      throw e;
    }
  }

  /** Frees the model's instance and memory; the model cannot be used afterwards. */
  dispose(): void {
    this.#engine = null;
  }

  get disposed(): boolean { return this.#engine === null; }

  #core() {
    if (!this.#engine) throw new MinrnnError("DISPOSED", "this model was disposed; create or load a new one");
    return this.#engine.core;
  }

  #requireText(): void {
    this.#core();
    if (this.#textLength === 0) {
      throw new MinrnnError("INVALID_TEXT", "this model has no training text; call setText(text) first");
    }
  }

  #diverged(): MinrnnError {
    const core = this.#core();
    const failure = core.failure();
    const smooth = core.smoothLoss() * 0.999 + core.lastLoss() * 0.001;
    const what = failure === 1
      ? `the loss became ${core.lastLoss()}`
      : failure === 3
        ? `the loss is exploding: the smooth loss would have risen to ${smooth.toPrecision(6)}, more than maxLossRatio ${this.#maxLossRatio} times its starting value ${this.#lossStart.toPrecision(6)}`
        : `the update after a loss of ${core.lastLoss()} would have made a weight or an optimizer slot (${this.config.optimizer}) infinite`;
    return new MinrnnError(
      "DIVERGED",
      `${what} at iteration ${this.iteration + 1}; training stopped and the weights from iteration ${this.iteration} were kept. Try a lower learning rate (now ${this.learningRate}) or a smaller clip (now ${this.config.clip}).`,
    );
  }

}

/** Training data as indices, checked as setText and setBytes check it (kind, length, symbols). */
function trainingIndices(vocab: Vocab, config: ModelConfig, data: { text: string } | { bytes: Uint8Array }): Indices {
  if ("text" in data) {
    if (vocab.kind === "bytes") {
      throw new MinrnnError("INVALID_ARGUMENT", "this is a byte-mode model: give it bytes with setBytes(bytes) (a text's UTF-8 bytes: new TextEncoder().encode(text))");
    }
    checkText(data.text, config.seqLength, config.batch);
    return vocab.encode(data.text);
  }
  if (vocab.kind !== "bytes") {
    throw new MinrnnError("INVALID_ARGUMENT", "this model's symbols are code points: give it text with setText(text), or create a byte-mode model with CharRNN.create({ bytes })");
  }
  checkBytes(data.bytes, config.seqLength, config.batch);
  return vocab.encodeBytes(data.bytes);
}

function checkText(text: unknown, seqLength: number, batch: number): void {
  if (typeof text !== "string") {
    throw new MinrnnError("INVALID_ARGUMENT", `text must be a string, got ${typeof text}`);
  }
  if (text.length === 0) throw new MinrnnError("INVALID_TEXT", "the text is empty; give a text of at least seqLength + 1 characters");
  // A code point is one or two UTF-16 units: count them only where the length cannot decide.
  if (text.length >= 2 * batch * (seqLength + 1) && text.length <= MAX_INDEX) return;
  checkLength(countCodePoints(text), seqLength, batch, "the text has", "characters");
}

function checkBytes(bytes: unknown, seqLength: number, batch: number): void {
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

function checkValidationType(validation: unknown, byteMode: boolean): void {
  if (byteMode && !(validation instanceof Uint8Array)) {
    throw new MinrnnError("INVALID_ARGUMENT", `a byte-mode model's validation must be a Uint8Array, got ${typeof validation}`);
  }
  if (!byteMode && typeof validation !== "string") {
    throw new MinrnnError("INVALID_ARGUMENT", `validation must be a string, got ${typeof validation}`);
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

function vocabFor(saved: SavedModel, given: Vocab | undefined): Vocab {
  if (given !== undefined && !(given instanceof Vocab)) {
    throw new MinrnnError("INVALID_ARGUMENT", `the vocab option must be a Vocab (Vocab.fromText, Vocab.fromCodePoints or Vocab.fromBytes), got ${describeValue(given)}`);
  }
  const vocab = saved.vocab ?? given;
  if (vocab === undefined) {
    throw new MinrnnError(
      "INVALID_CHECKPOINT",
      `this safetensors file has weights for a vocabulary of ${saved.config.vocabSize} characters but does not say which characters (it has no minrnn metadata); pass them: CharRNN.load(bytes, { vocab: Vocab.fromCodePoints([...]) }) in the order the model was trained with`,
    );
  }
  if (vocab.size !== saved.config.vocabSize || (saved.vocab && given && !given.equals(saved.vocab))) {
    throw new MinrnnError(
      "INVALID_ARGUMENT",
      `the vocabulary given (${given!.size} characters) is not the checkpoint's (${saved.config.vocabSize} characters); give the vocabulary the weights were trained with (none is needed for a minrnn checkpoint)`,
    );
  }
  return vocab;
}

/** A tensor's name and shape, and its byte offset in a parameter layout where it has one. */
interface NamedEntry {
  name: string;
  shape: number[];
  offset: number;
}

/** An instance of the core laid out for `config`. */
function configuredEngine(config: ModelConfig): Engine {
  const engine = adoptScratch(compiledModule());
  if (!engine.configure(config)) throw outOfMemory(config, engine.core.requiredBytes(), 0);
  return engine;
}

/** The core's tensor table with PyTorch's names. */
function namedTable(engine: Engine, layers: number): NamedEntry[] {
  const names = parameterNames(layers);
  return engine.table().map((t: TableEntry, i) => ({ ...t, name: names[i]! }));
}

/** The carried state's names and shapes ([batch, hidden] each), in checkpoint order. */
function stateEntries({ batch: B, hidden: H, layers, cell }: ModelConfig): NamedEntry[] {
  return stateNames(layers, carriedCount(cell)).map((name) => ({ name, shape: [B, H], offset: -1 }));
}

/**
 * Checks a read checkpoint's tensors as load() does, without building the model (the
 * command's info): the core is laid out for its config to read the tensor table.
 */
export function checkSavedTensors(saved: SavedModel): void {
  checkTensors(saved, namedTable(configuredEngine(saved.config), saved.config.layers));
}

/**
 * A checkpoint's tensors against the model its config makes: exactly the parameters of
 * the core's table (for a foreign file), or those, every optimizer slot and the carried
 * state (a minrnn file), with those shapes; optimizer sums of squares never negative.
 */
function checkTensors({ config, training, tensors }: SavedModel, table: readonly NamedEntry[]): void {
  const slots = SLOT_NAMES[config.optimizer].flatMap((slot) => table.map((t) => ({ ...t, name: slotName(t.name, slot) })));
  const expected = training === null ? table : [...table, ...slots, ...stateEntries(config)];
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
  if (config.cell === "rnn") {
    for (let k = 0; k < config.layers; k++) {
      const bih = tensors.get(`rnn.bias_ih_l${k}`)!.data, bhh = tensors.get(`rnn.bias_hh_l${k}`)!.data;
      const overflow = firstOverflowingSum(bih, bhh);
      if (overflow >= 0) invalid(describeOverflow(bih, bhh, overflow, k), "the file's biases are out of range: use a file whose biases add up to finite float32 values");
    }
  }
  const squares = slots.filter((t) => SQUARE_SLOTS.has(t.name.slice(t.name.lastIndexOf(".") + 1)) && tensors.has(t.name));
  const negative = firstNegative(squares.map((t) => tensors.get(t.name)!.data));
  if (negative) invalid(`${squares[negative[0]]!.name} has negative values; an optimizer's sums and averages of squares are never negative`, CORRUPT);
}

function outOfMemory(config: ModelConfig, bytes: number, textLength: number): MinrnnError {
  const mb = (bytes / 2 ** 20).toFixed(1);
  return new MinrnnError(
    "OUT_OF_MEMORY",
    `the model needs ${mb} MB of WebAssembly memory (vocab ${config.vocabSize}, hidden ${config.hidden}, seqLength ${config.seqLength}, batch ${config.batch}, text ${textLength}), more than this runtime grants; use a smaller hidden size, batch or text`,
  );
}
