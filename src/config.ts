// A model's configuration: everything that fixes its shape and training rule, saved in
// checkpoints, and the one check every entry point (create, load, the command) uses.
import { choice, integer, positive } from "./options.js";
import { MAX_SYMBOLS } from "./vocab.js";

export const CELLS = ["rnn", "lstm", "gru"] as const;
export type Cell = (typeof CELLS)[number];
export type Optimizer = "adagrad";

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

/** The core's limit (assembly/layout.ts MAX_LAYERS). */
export const MAX_LAYERS = 16;

/** Checks a config completely; returns it with defaults filled in. */
export function checkConfig(vocabSize: number, options: Partial<ModelConfig>): ModelConfig {
  const c = { ...DEFAULTS, ...stripUndefined(options) };
  return {
    vocabSize: integer("vocabulary size", vocabSize, 2, MAX_SYMBOLS),
    hidden: integer("hidden", c.hidden, 1, 8192),
    seqLength: integer("seqLength", c.seqLength, 1, 100000),
    learningRate: positive("learningRate", c.learningRate, { float32: true }),
    seed: integer("seed", c.seed, 0, 0xffffffff),
    cell: choice("cell", c.cell, CELLS),
    layers: integer("layers", c.layers, 1, MAX_LAYERS),
    batch: integer("batch", c.batch, 1, 4096),
    optimizer: choice("optimizer", c.optimizer, ["adagrad"] as const),
    clip: positive("clip", c.clip, { allowInfinity: true, float32: true }),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The core's number for a cell (assembly/layout.ts CELL_*). */
export const cellCode = (cell: Cell): number => CELLS.indexOf(cell);
/** Vectors a layer carries between windows: h, and c for the lstm. */
export const carriedCount = (cell: Cell): number => (cell === "lstm" ? 2 : 1);
