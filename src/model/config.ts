// A model's configuration: everything that fixes its shape and training rule, saved in
// checkpoints, and the one check every entry point (create, load, the command) uses.
import { MinrnnError } from "../errors.js";
import { coreLimits, type CoreDims } from "../core/engine.js";
import { compiledModule } from "../core/wasm.js";
import { choice, integer, positive, show } from "./options.js";
import { SLOT_NAMES } from "./names.js";
import { ARITHMETICS, type Arithmetic } from "../core/wasm.js";

export const CELLS = ["rnn", "lstm", "gru"] as const;
export type Cell = (typeof CELLS)[number];
export const OPTIMIZERS = ["adagrad", "adam", "rmsprop"] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];

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
  /** Elementwise clip of every gradient to [-clip, clip] (min-char-rnn's); Infinity: off. */
  clip: number;
  /** clip_grad_norm_'s max_norm over all gradients, after the elementwise clip; Infinity: off. */
  clipNorm: number;
  /** RMSProp's decay of the average of squares (char-rnn's 0.95; torch's default is 0.99). */
  alpha: number;
  /** Adam's decays of the moments. */
  betas: [number, number];
  /** Adam's and RMSProp's eps, outside the sqrt as torch.optim's (Adagrad keeps min-char-rnn's 1e-8 inside). */
  eps: number;
  /** Dropout's probability on every layer's output, in training only (0: none). */
  dropout: number;
  /** char-rnn's schedule: the rate is multiplied by lrDecay at the end of each epoch from lrDecayAfter on (1: none). */
  lrDecay: number;
  lrDecayAfter: number;
  /** The core's arithmetic that trains the model (init's): "mul-add" or "fma" (the fused build). */
  arithmetic: Arithmetic;
}

export const DEFAULTS: Readonly<Omit<ModelConfig, "vocabSize" | "betas"> & { betas: readonly [number, number] }> = deepFreeze({
  hidden: 100,
  seqLength: 25,
  learningRate: 0.1,
  seed: 42,
  cell: "rnn" as Cell,
  layers: 1,
  batch: 1,
  optimizer: "adagrad" as Optimizer,
  clip: 5,
  clipNorm: Infinity,
  alpha: 0.95,
  betas: [0.9, 0.999] as [number, number],
  eps: 1e-8,
  dropout: 0,
  lrDecay: 1,
  lrDecayAfter: 10,
  arithmetic: "mul-add" as Arithmetic,
});

/** The config's keys, as CharRNN.create takes them (the vocabulary size comes from the data, the arithmetic from init). */
export const CONFIG_KEYS = (Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]).filter((k) => k !== "arithmetic");

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === "object" && v !== null) Object.freeze(v);
  return Object.freeze(o);
}

/** The default learning rate of each optimizer: the reference's 0.1 for Adagrad, 2e-3 (char-rnn's, torch-rnn's) for the others. */
export const DEFAULT_RATES: Readonly<Record<Optimizer, number>> = Object.freeze({ adagrad: 0.1, adam: 2e-3, rmsprop: 2e-3 });

/** The fields 0.1.0 checkpoints lack: read with these defaults (every field is stored since). */
export const ADDED_FIELDS = ["clipNorm", "alpha", "betas", "eps", "dropout", "lrDecay", "lrDecayAfter", "arithmetic"] as const;

/** Checks a config completely; returns it with defaults filled in. The limits are the core's (init() first). */
export function checkConfig(vocabSize: number, options: Partial<ModelConfig>): ModelConfig {
  const { maxLayers, maxSymbols } = coreLimits(compiledModule());
  const given = stripUndefined(options);
  const optimizer = choice("optimizer", given.optimizer === undefined ? DEFAULTS.optimizer : given.optimizer, OPTIMIZERS);
  const c = { ...DEFAULTS, learningRate: DEFAULT_RATES[optimizer], ...given };
  return {
    vocabSize: integer("vocabulary size", vocabSize, 2, maxSymbols),
    hidden: integer("hidden", c.hidden, 1, 8192),
    seqLength: integer("seqLength", c.seqLength, 1, 100000),
    learningRate: positive("learningRate", c.learningRate, { float32: true }),
    seed: integer("seed", c.seed, 0, 0xffffffff),
    cell: choice("cell", c.cell, CELLS),
    layers: integer("layers", c.layers, 1, maxLayers),
    batch: integer("batch", c.batch, 1, 4096),
    optimizer,
    clip: positive("clip", c.clip, { allowInfinity: true, float32: true }),
    clipNorm: positive("clipNorm", c.clipNorm, { allowInfinity: true, float32: true }),
    alpha: fraction("alpha", c.alpha, "0 ≤ alpha < 1 (char-rnn's 0.95, torch's 0.99)"),
    betas: betas(c.betas),
    eps: positive("eps", c.eps, { float32: true }),
    dropout: fraction("dropout", c.dropout, "0 ≤ dropout < 1 (0: none; 0.2 to 0.5 are usual; below 1 in float32 too)", true),
    lrDecay: decay(c.lrDecay),
    lrDecayAfter: integer("lrDecayAfter", c.lrDecayAfter, 0, 2 ** 31 - 1),
    arithmetic: choice("arithmetic", c.arithmetic, ARITHMETICS),
  };
}

/** A checked config for another vocabulary size (the data's, once known): only the size is checked again. */
export function withVocabSize(config: ModelConfig, vocabSize: number): ModelConfig {
  return { ...config, vocabSize: integer("vocabulary size", vocabSize, 2, coreLimits(compiledModule()).maxSymbols) };
}

/** A number in [0, 1) (with `float32`, also after rounding to float32, where the core keeps it). */
function fraction(name: string, value: unknown, what: string, float32 = false): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1) || (float32 && !(Math.fround(value) < 1))) {
    throw new MinrnnError("INVALID_ARGUMENT", `${name} must be a number with ${what}, got ${show(value)}`);
  }
  return value;
}

function betas(value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new MinrnnError("INVALID_ARGUMENT", `betas must be two numbers [beta1, beta2], each 0 ≤ beta < 1 (Adam's defaults: [0.9, 0.999]), got ${Array.isArray(value) ? `${value.length} values` : show(value)}`);
  }
  return [fraction("betas[0] (beta1)", value[0], "0 ≤ beta1 < 1 (Adam's default 0.9)"), fraction("betas[1] (beta2)", value[1], "0 ≤ beta2 < 1 (Adam's default 0.999)")];
}

function decay(value: unknown): number {
  // 1e-46 is above 0, but 0 in the core's float32: the first decay would stop all learning.
  if (typeof value !== "number" || !(value > 0 && value <= 1 && Math.fround(value) > 0)) {
    throw new MinrnnError("INVALID_ARGUMENT", `lrDecay must be a number with 0 < lrDecay ≤ 1 (1: no decay; char-rnn uses 0.97) that float32 holds (1.4e-45 at least), got ${show(value)}`);
  }
  return value;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The config as the core's numbers (assembly/cells.ts CELL_*, assembly/train.ts OPT_*). */
export function coreDims(c: ModelConfig): CoreDims {
  return {
    ...c,
    cell: CELLS.indexOf(c.cell),
    optimizer: OPTIMIZERS.indexOf(c.optimizer),
    slots: SLOT_NAMES[c.optimizer].length,
  };
}
