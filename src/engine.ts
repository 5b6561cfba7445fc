// One instance of the core with its own linear memory, and typed views into it.
// Views are made on demand from memory.buffer, so they stay valid after memory grows.
import { cellCode, optimizerCode, type ModelConfig } from "./config.js";
import { SLOT_NAMES } from "./tensors.js";

/** The module's exports (assembly/index.ts). Pointers are byte offsets into `memory`. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  configure(cell: number, layers: number, v: number, h: number, t: number, b: number, slots: number, learningRate: number, clip: number, dropout: number): number;
  setOptimizer(kind: number, alpha: number, beta1: number, beta2: number, eps: number, clipNorm: number, lrDecay: number, lrDecayAfter: number): void;
  adamStep(): number;
  setAdamStep(step: number): void;
  learningRate(): number;
  freezeMasks(frozen: number): void;
  maskPtr(layer: number): number;
  initParams(scale: number): void;
  tensorCount(): number;
  tensorOffset(i: number): number;
  tensorRows(i: number): number;
  tensorCols(i: number): number;
  stateStride(): number;
  stateCount(): number;
  reserveData(len: number, shift: number): number;
  reserveValidation(len: number): number;
  validationLoss(): number;
  setHyper(learningRate: number, clip: number): void;
  setProgress(iteration: number, position: number, smoothLoss: number): void;
  iteration(): number;
  position(): number;
  smoothLoss(): number;
  lastLoss(): number;
  failure(): number;
  setMaxLossRatio(ratio: number, start: number): void;
  train(n: number): number;
  step(): number;
  gradients(): number;
  // One iteration in phases, for N threads running the shards (assembly/shards.ts).
  shardCount(): number;
  shardStart(shard: number): number;
  beginIteration(): void;
  shardGradients(shard: number): number;
  addGradients(from: number, to: number): void;
  lossVerdict(lossSum: number): number;
  sliceNorms(from: number, to: number): void;
  sliceCoef(): number;
  updateFinite(from: number, to: number, coef: number): number;
  writeUpdate(from: number, to: number, coef: number): void;
  boundWeight(): number;
  boundSum(): number;
  setBounds(weight: number, sum: number): void;
  refuse(why: number): number;
  commit(firstShard: number, endShard: number): number;
  startCall(): void;
  normBlock(): number;
  shardGradsPtr(): number;
  blockSumsPtr(): number;
  // What another thread copies, as opaque spans (assembly/index.ts).
  weightsSpanPtr(): number;
  weightsSpanBytes(): number;
  stateSpanPtr(firstShard: number): number;
  stateSpanBytes(firstShard: number, endShard: number): number;
  seedRng(seed: number): void;
  randomIndex(n: number): number;
  feed(x: number): void;
  sampleDraw(n: number, first: number, invTemperature: number, topK: number, greedy: number): number;
  sampleFromTraining(): number;
  paramCount(): number;
  paramsPtr(): number;
  gradsPtr(): number;
  slotPtr(k: number): number;
  slotCount(): number;
  statePtr(): number;
  samplerStatePtr(): number;
  outPtr(): number;
  outCapacity(): number;
  rngPtr(): number;
  dataPtr(): number;
  requiredBytes(): number;
  validationPtr(): number;
  crc32(ptr: number, length: number, previous: number): number;
  firstNonFinite(ptr: number, count: number): number;
  firstNegative(ptr: number, count: number): number;
  scratchPtr(): number;
  hiddenStatesPtr(layer: number): number;
  textSymbols(src: number, len: number, seen: number, out: number): number;
  textIndices(src: number, len: number, symbols: number, count: number, table: number, dst: number, shift: number): number;
}

/**
 * Every name of CoreExports, at run time: tests/exports.test.js checks them against the
 * release .wasm's exports, which must be exactly these.
 */
export const CORE_EXPORTS = [
  "memory", "configure", "initParams", "tensorCount", "tensorOffset", "tensorRows",
  "tensorCols", "stateStride", "stateCount", "reserveData", "reserveValidation",
  "validationLoss", "setHyper", "setProgress", "iteration", "position", "smoothLoss",
  "lastLoss", "failure", "setMaxLossRatio", "setOptimizer", "adamStep", "setAdamStep", "learningRate",
  "freezeMasks", "maskPtr", "train", "step", "gradients", "shardCount", "shardStart",
  "beginIteration", "shardGradients", "addGradients", "lossVerdict", "sliceNorms", "sliceCoef",
  "updateFinite", "writeUpdate", "boundWeight", "boundSum", "setBounds", "refuse", "commit",
  "startCall", "normBlock", "shardGradsPtr", "blockSumsPtr", "weightsSpanPtr",
  "weightsSpanBytes", "stateSpanPtr", "stateSpanBytes", "seedRng", "randomIndex", "feed",
  "sampleDraw", "sampleFromTraining", "paramCount", "paramsPtr", "gradsPtr",
  "slotPtr", "slotCount", "statePtr", "samplerStatePtr", "outPtr", "outCapacity", "rngPtr",
  "dataPtr", "requiredBytes", "validationPtr", "crc32", "firstNonFinite", "firstNegative",
  "scratchPtr", "hiddenStatesPtr", "textSymbols", "textIndices",
] as const satisfies readonly (keyof CoreExports)[];
// A name added to CoreExports but not to CORE_EXPORTS fails to compile here.
true satisfies [Exclude<keyof CoreExports, (typeof CORE_EXPORTS)[number]>] extends [never] ? true : never;

/** One entry of the core's tensor table: where a parameter lives in a layout, and its shape. */
export interface TableEntry {
  offset: number;
  shape: number[];
}

export class Engine {
  readonly core: CoreExports;
  /** The compiled module this instance came from: another thread instantiates the same. */
  readonly module: WebAssembly.Module;

  constructor(module: WebAssembly.Module) {
    this.module = module;
    this.core = new WebAssembly.Instance(module, {}).exports as unknown as CoreExports;
  }

  /** Lays out the core for a model; false if its memory cannot grow that far. */
  configure(config: ModelConfig): boolean {
    const { vocabSize: V, hidden: H, seqLength: T, batch: B, learningRate, clip, cell, layers, optimizer, dropout } = config;
    if (this.core.configure(cellCode(cell), layers, V, H, T, B, SLOT_NAMES[optimizer].length, learningRate, clip, dropout) === 0) return false;
    const { alpha, betas, eps, clipNorm, lrDecay, lrDecayAfter } = config;
    this.core.setOptimizer(optimizerCode(optimizer), alpha, betas[0], betas[1], eps, clipNorm, lrDecay, lrDecayAfter);
    return true;
  }

  /** The configured model's tensor table, in order (assembly/layout.ts). */
  table(): TableEntry[] {
    const core = this.core;
    return Array.from({ length: core.tensorCount() }, (_, i) => {
      const rows = core.tensorRows(i), cols = core.tensorCols(i);
      return { offset: core.tensorOffset(i), shape: cols === 0 ? [rows] : [rows, cols] };
    });
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.core.memory.buffer, ptr, length);
  }

  u32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.core.memory.buffer, ptr, length);
  }

  bytes(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.core.memory.buffer, ptr, length);
  }
}
