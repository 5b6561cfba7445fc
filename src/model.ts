// CharRNN: one model, one WebAssembly instance with its own memory.
import { decodeCheckpoint, encodeCheckpoint, modelFromCheckpoint, type LoadOptions } from "./checkpoint.js";
import { Engine } from "./engine.js";
import { MinrnnError } from "./errors.js";
import { callback, choice, flag, integer, positive, show } from "./options.js";
import { MAX_SYMBOLS, Vocab, countCodePoints, describeBytes, describeChars, type Indices } from "./vocab.js";
import { describeOverflow, firstOverflowingSum } from "./bias.js";
import { adoptScratch, firstNonFinite } from "./scratch.js";
import { PARAMETER_NAMES, parameterShapes } from "./tensors.js";
import { compiledModule } from "./wasm.js";

export type Cell = "rnn";
export type Optimizer = "adagrad";

/** Everything that fixes a model's shape and training rule (saved in checkpoints). */
export interface ModelConfig {
  vocabSize: number;
  hidden: number;
  seqLength: number;
  learningRate: number;
  seed: number;
  cell: Cell;
  layers: number;
  batch: number;
  optimizer: Optimizer;
  clip: number;
}

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

export interface SampleOptions {
  length?: number;
  temperature?: number;
  /** Keep only the k most likely characters at each draw (0: all). */
  topK?: number;
  /**
   * Text to condition on; the sample continues it (the prime is not repeated). For a
   * byte-mode model, a string stands for its UTF-8 bytes, or give the bytes themselves.
   */
  prime?: string | Uint8Array;
  /** A seed for this sample alone; without it the model's PRNG is used and advances. */
  seed?: number;
  /** Always take the most likely character. */
  argmax?: boolean;
  /**
   * Start as the reference's periodic sample does: from the training hidden state and the
   * first character of the next window. Cannot be combined with `prime`.
   */
  fromTraining?: boolean;
  /**
   * Start from a zero hidden state, as char-rnn's sampler does, instead of the state
   * training carried from window to window (the default). min-char-rnn never resets that
   * state within a pass over the text, so a model can learn to rely on it: some do well
   * from it and badly from zero.
   */
  zeroState?: boolean;
}

/** A tensor of the model as a checkpoint or a state dict sees it. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Training progress and PRNG state: what, with the tensors, makes a resume exact. */
export interface TrainingState {
  iteration: number;
  position: number;
  smoothLoss: number;
  rng: number[];
}

export const DEFAULTS = {
  hidden: 100,
  seqLength: 25,
  learningRate: 0.1,
  seed: 42,
  cell: "rnn" as Cell,
  layers: 1,
  batch: 1,
  optimizer: "adagrad" as Optimizer,
  clip: 5,
};

const INIT_SCALE = 0.01;
const MAX_INDEX = 2 ** 31 - 1;
const STREAM_CHUNK = 64;
/**
 * The longest sample() and sampleBytes() build in memory: a string of 2^24 characters is
 * 16 to 64 MB. Longer samples stream (sampleStream, sampleBytesStream) in constant memory.
 */
export const MAX_SAMPLE_LENGTH = 1 << 24;

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const pad4 = (n: number): number => (n + 3) & ~3;

/** Checks a config completely; returns it with defaults filled in. */
export function checkConfig(vocabSize: number, options: Partial<ModelConfig>): ModelConfig {
  const c = { ...DEFAULTS, ...stripUndefined(options) };
  const config: ModelConfig = {
    vocabSize: integer("vocabulary size", vocabSize, 2, MAX_SYMBOLS),
    hidden: integer("hidden", c.hidden, 1, 8192),
    seqLength: integer("seqLength", c.seqLength, 1, 100000),
    learningRate: positive("learningRate", c.learningRate, { float32: true }),
    seed: integer("seed", c.seed, 0, 0xffffffff),
    cell: choice("cell", c.cell, ["rnn"] as const),
    layers: integer("layers", c.layers, 1, 1),
    batch: integer("batch", c.batch, 1, 4096),
    optimizer: choice("optimizer", c.optimizer, ["adagrad"] as const),
    clip: positive("clip", c.clip, { allowInfinity: true, float32: true }),
  };
  return config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class CharRNN {
  readonly config: Readonly<ModelConfig>;
  readonly vocab: Vocab;
  #engine: Engine | null;
  #textLength = 0;
  #dataVersion = 0;
  #validationLength = 0;
  #maxLossRatio = 0;
  #lossStart = 0;

  private constructor(config: ModelConfig, vocab: Vocab) {
    this.config = Object.freeze({ ...config });
    this.vocab = vocab;
    const engine = adoptScratch(compiledModule());
    const { vocabSize: V, hidden: H, seqLength: T, batch: B, learningRate, clip } = config;
    if (!engine.core.configure(V, H, T, B, learningRate, clip)) {
      throw outOfMemory(config, engine.core.requiredBytes(), 0);
    }
    this.#engine = engine;
  }

  /** A new model with freshly initialized weights (randn·0.01, biases 0) from `seed`. */
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
    const config = checkConfig(vocab.size, rest);
    // Indexed before the model exists: the text is indexed in the scratch instance, which
    // the model then takes over (scratch.ts), so a cold create() instantiates the core once.
    const indices = text !== undefined ? trainingIndices(vocab, config, { text })
      : bytes !== undefined ? trainingIndices(vocab, config, { bytes }) : undefined;
    const model = new CharRNN(config, vocab);
    const core = model.#core();
    core.seedRng(config.seed);
    core.initParams(INIT_SCALE);
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
    return modelFromCheckpoint(decodeCheckpoint(bytes), options);
  }

  /** @internal Builds a model around a checked config; used by checkpoint loading. */
  static _empty(config: ModelConfig, vocab: Vocab): CharRNN {
    return new CharRNN(config, vocab);
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
    this.#dataVersion++;
    this.#engine!.f32(core.hprevPtr(), this.config.batch * pad4(this.config.hidden)).fill(0);
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

  /** The drawn indices, a chunk at a time: each a view that the next draw overwrites. */
  *#sampleChunks(options: SampleOptions, chunk: number): Generator<ArrayLike<number>, void, undefined> {
    const o = checkSampleOptions(options, this.vocab.kind === "bytes");
    const core = this.#core();
    const engine = this.#engine!;
    const HP = pad4(this.config.hidden);
    const hidden = () => engine.f32(core.samplerStatePtr(), HP);
    const rng = () => engine.u32(core.rngPtr(), 4);
    const primeIdx = o.prime.length === 0 ? null : encodePrime(o.prime, this.vocab);
    if (o.fromTraining) this.#requireText();

    // The stream keeps its own hidden state and PRNG state between chunks, so streams
    // and training may interleave; an unseeded stream advances the model's PRNG.
    const modelRng = rng().slice();
    let streamRng = modelRng;
    if (o.seed !== undefined) {
      core.seedRng(o.seed);
      streamRng = rng().slice();
      rng().set(modelRng);
    }
    let h = o.zeroState ? new Float32Array(HP) : engine.f32(core.hprevPtr(), HP).slice(); // stream 0's carried state
    let x = 0;
    let remaining = o.length;
    let head: number | null = null;
    const withStreamState = <T>(fn: () => T): T => {
      const saved = rng().slice();
      rng().set(streamRng);
      hidden().set(h);
      const result = fn();
      h = hidden().slice();
      streamRng = rng().slice();
      rng().set(o.seed === undefined ? streamRng : saved);
      return result;
    };
    withStreamState(() => {
      if (o.fromTraining) {
        x = core.sampleFromTraining();
      } else if (primeIdx) {
        for (let i = 0; i < primeIdx.length - 1; i++) core.feed(primeIdx[i]!);
        x = primeIdx[primeIdx.length - 1]!;
      } else if (remaining > 0) {
        // No prime: a uniformly drawn first character (as char-rnn does), which is part of the sample.
        x = core.randomIndex(this.vocab.size);
        head = x;
        remaining--;
      }
    });
    if (head !== null) yield [head];
    // Below about 2.9e-39, 1/T overflows float32 and the core's softmax would compute
    // Infinity·0 = NaN: such a temperature samples as its limit, the most likely character.
    const invT = 1 / o.temperature;
    const greedy = o.argmax || Math.fround(invT) === Infinity;
    while (remaining > 0) {
      const n = Math.min(chunk, remaining);
      x = withStreamState(() => core.sampleDraw(n, x, invT, o.topK, greedy ? 1 : 0));
      yield engine.u32(core.outPtr(), n);
      remaining -= n;
    }
  }

  /** The weights under PyTorch state-dict names, as live views into the model's memory. */
  stateDict(): Record<string, Float32Array> {
    return Object.fromEntries(this.parameters().map((t) => [t.name, t.data]));
  }

  /** @internal Parameter tensors as views, in layout order. */
  parameters(base: "params" | "mem" | "grads" = "params"): NamedTensor[] {
    const core = this.#core();
    const start = base === "params" ? core.paramsPtr() : base === "mem" ? core.memPtr() : core.gradsPtr();
    const shapes = parameterShapes(this.config.vocabSize, this.config.hidden);
    return PARAMETER_NAMES.map((name, slot) => ({
      name,
      shape: shapes[slot]!,
      data: this.#engine!.f32(start + core.tensorOffsets(slot), numel(shapes[slot]!)),
    }));
  }

  /**
   * Copies weights in. Every name must be present with the right length, and nothing else;
   * all is checked before anything is copied. A nonzero rnn.bias_hh_l0 (as PyTorch
   * exports) is added into rnn.bias_ih_l0, the one hidden bias of this cell.
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
        throw new MinrnnError("INVALID_STATE", `${t.name} has ${src.length} values; this model (vocab ${this.config.vocabSize}, hidden ${this.config.hidden}) needs ${t.data.length} (shape [${t.shape}])`);
      }
      return src instanceof Float32Array ? src : Float32Array.from(src);
    });
    // Checked as float32: a finite number beyond float32's range would become Infinity.
    const bad = firstNonFinite(values);
    if (bad) {
      const [k, i] = bad;
      throw new MinrnnError("INVALID_STATE", `${tensors[k]!.name}[${i}] is ${dict[tensors[k]!.name]![i]}; weights must be finite float32 numbers`);
    }
    const slot = (name: string) => values[tensors.findIndex((t) => t.name === name)]!;
    const overflow = firstOverflowingSum(slot("rnn.bias_ih_l0"), slot("rnn.bias_hh_l0"));
    if (overflow >= 0) {
      throw new MinrnnError("INVALID_STATE", `${describeOverflow(slot("rnn.bias_ih_l0"), slot("rnn.bias_hh_l0"), overflow)}; give biases whose sum is a finite float32 number`);
    }
    tensors.forEach((t, k) => t.data.set(values[k]!));
    const get = (name: string) => tensors.find((t) => t.name === name)!.data;
    const bih = get("rnn.bias_ih_l0"), bhh = get("rnn.bias_hh_l0");
    for (let i = 0; i < bih.length; i++) bih[i] = Math.fround(bih[i]! + bhh[i]!);
    bhh.fill(0);
  }

  /** @internal Adagrad memories under `optim.<param>.sum` (the name PyTorch's Adagrad uses). */
  optimizerState(): NamedTensor[] {
    return this.parameters("mem").map((t) => ({ ...t, name: `optim.${t.name}.sum` }));
  }

  /** @internal A copy of the hidden state carried between windows, [batch, hidden]. */
  hiddenState(): Float32Array {
    const { batch: B, hidden: H } = this.config;
    const HP = pad4(H);
    const src = this.#engine!.f32(this.#core().hprevPtr(), B * HP);
    const out = new Float32Array(B * H);
    for (let b = 0; b < B; b++) out.set(src.subarray(b * HP, b * HP + H), b * H);
    return out;
  }

  /** @internal Writes the carried hidden state ([batch, hidden]). */
  setHiddenState(h: ArrayLike<number>): void {
    const { batch: B, hidden: H } = this.config;
    const HP = pad4(H);
    const dst = this.#engine!.f32(this.#core().hprevPtr(), B * HP);
    for (let b = 0; b < B; b++) for (let i = 0; i < H; i++) dst[b * HP + i] = h[b * H + i]!;
  }

  /** @internal Progress and PRNG state. */
  trainingState(): TrainingState {
    const core = this.#core();
    return {
      iteration: core.iteration(),
      position: core.position(),
      smoothLoss: core.smoothLoss(),
      rng: Array.from(this.#engine!.u32(core.rngPtr(), 4)),
    };
  }

  /** @internal Restores progress and PRNG state. */
  setTrainingState(s: TrainingState): void {
    const core = this.#core();
    core.setProgress(s.iteration, s.position, s.smoothLoss);
    this.#engine!.u32(core.rngPtr(), 4).set(s.rng);
  }

  /** @internal Test hook: wrap, loss and clipped gradients at the current window, without an update. Returns the loss. */
  gradients(): number {
    this.#requireText();
    for (const t of this.parameters("grads")) t.data.fill(0);
    return this.#core().gradients();
  }

  /** @internal Test hook: h[t] for t = 0..T-1 of the last forward pass, stream 0, [T, hidden]. */
  hiddenStates(): Float32Array {
    const { seqLength: T, batch: B, hidden: H } = this.config;
    const HP = pad4(H);
    const core = this.#core();
    const N = core.shardCount() === 1 ? B : core.shardStart(1); // stream 0's shard: its block of hs is [T+1, N, HP] (assembly/layout.ts)
    const hs = this.#engine!.f32(core.hsPtr(), (T + 1) * N * HP);
    const out = new Float32Array(T * H);
    for (let t = 0; t < T; t++) out.set(hs.subarray((t + 1) * N * HP, (t + 1) * N * HP + H), t * H);
    return out;
  }

  /** @internal The model's instance, which Node's threaded trainer drives phase by phase. */
  engine(): Engine {
    this.#core();
    return this.#engine!;
  }

  /** The model as a safetensors checkpoint: weights, optimizer and hidden state, progress, PRNG. */
  save(): Uint8Array {
    return encodeCheckpoint(this);
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
        : `the update after a loss of ${core.lastLoss()} would have made a weight or an Adagrad sum infinite`;
    return new MinrnnError(
      "DIVERGED",
      `${what} at iteration ${this.iteration + 1}; training stopped and the weights from iteration ${this.iteration} were kept. Try a lower learning rate (now ${this.config.learningRate}) or a smaller clip (now ${this.config.clip}).`,
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

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** sample() and sampleBytes() hold the whole sample: its length is capped before any drawing. */
function checkWholeLength(o: SampleOptions, method: string, stream: string): void {
  const length = (o as SampleOptions | null)?.length;
  if (typeof length === "number" && length > MAX_SAMPLE_LENGTH) {
    throw new MinrnnError("INVALID_ARGUMENT", `length ${length} is more than ${method}() builds in memory (${MAX_SAMPLE_LENGTH.toLocaleString("en-US")}); draw a longer sample with ${stream}(), which yields it as it is drawn in constant memory`);
  }
}

function checkSampleOptions(o: SampleOptions, byteMode: boolean) {
  if (typeof o !== "object" || o === null) throw new MinrnnError("INVALID_ARGUMENT", "sample takes an options object");
  const prime = o.prime ?? "";
  if (typeof prime !== "string" && !(byteMode && prime instanceof Uint8Array)) {
    throw new MinrnnError("INVALID_ARGUMENT", `prime must be a string${byteMode ? " or a Uint8Array" : ""}, got ${prime instanceof Uint8Array ? "a Uint8Array (bytes are for byte-mode models)" : typeof prime}`);
  }
  if (o.fromTraining === true && prime.length > 0) throw new MinrnnError("INVALID_ARGUMENT", "fromTraining and prime cannot be combined");
  return {
    length: integer("length", o.length ?? 200, 0, Number.MAX_SAFE_INTEGER),
    temperature: positive("temperature", o.temperature ?? 1),
    topK: integer("topK", o.topK ?? 0, 0, MAX_INDEX),
    prime,
    seed: o.seed === undefined ? undefined : integer("seed", o.seed, 0, 0xffffffff),
    argmax: flag("argmax", o.argmax),
    fromTraining: flag("fromTraining", o.fromTraining),
    zeroState: flag("zeroState", o.zeroState),
  };
}

/** The prime as indices; a byte-mode model reads a string as its UTF-8 bytes. */
function encodePrime(prime: string | Uint8Array, vocab: Vocab): Indices {
  if (vocab.kind === "bytes") {
    const bytes = typeof prime === "string" ? new TextEncoder().encode(prime) : prime;
    const missing = vocab.missingBytes(bytes);
    if (missing.length) {
      throw new MinrnnError("INVALID_TEXT", `the prime has bytes that are not in the model's vocabulary: ${describeBytes(missing)}; remove them or choose another prime${typeof prime === "string" ? " (a text prime stands for its UTF-8 bytes; give a Uint8Array for other bytes)" : ""}`);
    }
    return vocab.encodeBytes(bytes);
  }
  const missing = vocab.missing(prime as string);
  if (missing.length) {
    throw new MinrnnError("INVALID_TEXT", `the prime has characters that are not in the model's vocabulary: ${describeChars(missing)}; remove them or choose another prime`);
  }
  return vocab.encode(prime as string);
}

function outOfMemory(config: ModelConfig, bytes: number, textLength: number): MinrnnError {
  const mb = (bytes / 2 ** 20).toFixed(1);
  return new MinrnnError(
    "OUT_OF_MEMORY",
    `the model needs ${mb} MB of WebAssembly memory (vocab ${config.vocabSize}, hidden ${config.hidden}, seqLength ${config.seqLength}, batch ${config.batch}, text ${textLength}), more than this runtime grants; use a smaller hidden size, batch or text`,
  );
}
