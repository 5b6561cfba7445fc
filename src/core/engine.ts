// One instance of the core with its own linear memory, and typed views into it. Views are
// made on demand from memory.buffer, so they stay valid after memory grows. Everything
// about where things are comes from the core's two tables: its regions and its tensor table.
import { Region, Kind, type RegionName } from "./regions.js";

// The declarations name WebAssembly.Module and WebAssembly.Memory, a namespace TypeScript
// has only with the DOM lib. Declared here (every entry's declarations reach this module)
// as empty interfaces, which merge with the DOM's or a runtime's own, a project compiled
// without the DOM lib (Node) type-checks too.
declare global {
  namespace WebAssembly {
    interface Module {}
    interface Memory {}
  }
}

/** The module's exports (assembly/index.ts). Pointers are byte offsets into `memory`. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  configure(cell: number, layers: number, v: number, h: number, t: number, b: number, slots: number, learningRate: number, clip: number, dropout: number): number;
  setOptimizer(kind: number, alpha: number, beta1: number, beta2: number, eps: number, clipNorm: number, lrDecay: number, lrDecayAfter: number): void;
  initParams(scale: number): void;
  entryCount(): number;
  reserveData(len: number, shift: number): number;
  reserveValidation(len: number): number;
  regionPtr(k: number, i: number): number;
  regionBytes(k: number, i: number): number;
  requiredBytes(): number;
  textScratch(len: number, symbols: number): number;
  textSymbols(): number;
  textIndices(count: number): number;
  sampleFromTraining(): number;
  randomIndex(n: number): number;
  train(n: number): number;
  validationLoss(): number;
  crc32(ptr: number, len: number, previous: number): number;
  firstInvalid(ptr: number, n: number, nonNegative: number): number;
  seedRng(seed: number): void;
  feed(x: number): void;
  sampleDraw(n: number, first: number, invTemperature: number, topK: number, greedy: number): number;
  // One iteration in phases, for threads that run the shards (assembly/train.ts).
  shardCount(): number;
  shardGradients(shard: number): number;
  addShardGradients(): void;
  update(lossSum: number, firstShard: number, endShard: number): number;
  forgetBounds(): void;
}

/**
 * Every name of CoreExports, at run time: tests/exports.test.js checks them against the
 * release .wasm's exports, which must be exactly these.
 */
export const CORE_EXPORTS = [
  "memory", "configure", "setOptimizer", "initParams", "entryCount", "reserveData", "reserveValidation",
  "regionPtr", "regionBytes", "requiredBytes", "textScratch", "textSymbols", "textIndices",
  "sampleFromTraining", "randomIndex", "train", "validationLoss", "crc32", "firstInvalid", "seedRng", "feed", "sampleDraw",
  "shardCount", "shardGradients", "addShardGradients", "update", "forgetBounds",
] as const satisfies readonly (keyof CoreExports)[];
// A name added to CoreExports but not to CORE_EXPORTS fails to compile here.
true satisfies [Exclude<keyof CoreExports, (typeof CORE_EXPORTS)[number]>] extends [never] ? true : never;

/** What configure() takes: the model's shape and training rule, as the core's numbers. */
export interface CoreDims {
  cell: number;
  layers: number;
  vocabSize: number;
  hidden: number;
  seqLength: number;
  batch: number;
  slots: number;
  learningRate: number;
  clip: number;
  dropout: number;
  optimizer: number;
  alpha: number;
  betas: readonly [number, number];
  eps: number;
  clipNorm: number;
  lrDecay: number;
  lrDecayAfter: number;
}

/** One record of the core's table: a parameter tensor or a layer's carried vector. */
export interface TableEntry {
  kind: number;
  role: number;
  layer: number;
  /** Bytes: in a parameter layout, or (carried state) in one stream's block. */
  offset: number;
  /** [rows] or [rows, cols]. */
  shape: number[];
  /** Carried state: bytes from one stream's block to the next; 0 for parameters. */
  stride: number;
}

const RECORD_INTS = 8;

export class Engine {
  readonly core: CoreExports;
  /** The compiled module this instance came from: another thread instantiates the same. */
  readonly module: WebAssembly.Module;

  constructor(module: WebAssembly.Module) {
    this.module = module;
    this.core = new WebAssembly.Instance(module, {}).exports as unknown as CoreExports;
  }

  /** Lays out the core for a model; false if its memory cannot grow that far. */
  configure(d: CoreDims): boolean {
    const core = this.core;
    if (core.configure(d.cell, d.layers, d.vocabSize, d.hidden, d.seqLength, d.batch, d.slots, d.learningRate, d.clip, d.dropout) === 0) return false;
    core.setOptimizer(d.optimizer, d.alpha, d.betas[0], d.betas[1], d.eps, d.clipNorm, d.lrDecay, d.lrDecayAfter);
    return true;
  }

  /** The configured model's table, in order: the parameters, then the carried state. */
  table(): TableEntry[] {
    const words = this.i32("TABLE");
    return Array.from({ length: this.core.entryCount() }, (_, i) => {
      const [kind, role, layer, offset, rows, cols, stride] = words.subarray(i * RECORD_INTS, (i + 1) * RECORD_INTS);
      return { kind: kind!, role: role!, layer: layer!, offset: offset!, shape: cols === 0 ? [rows!] : [rows!, cols!], stride: stride! };
    });
  }

  /** The parameter entries of the table. */
  parameterTable(): TableEntry[] {
    return this.table().filter((e) => e.kind === Kind.PARAM);
  }

  /** Region `name` (of shard `i`) as a byte range. */
  region(name: RegionName, i = 0): { ptr: number; bytes: number } {
    const k = Region[name];
    return { ptr: this.core.regionPtr(k, i) >>> 0, bytes: this.core.regionBytes(k, i) >>> 0 };
  }

  bytes(name: RegionName, i = 0): Uint8Array {
    const { ptr, bytes } = this.region(name, i);
    return new Uint8Array(this.core.memory.buffer, ptr, bytes);
  }

  f32(name: RegionName, i = 0): Float32Array {
    const { ptr, bytes } = this.region(name, i);
    return new Float32Array(this.core.memory.buffer, ptr, bytes >> 2);
  }

  u32(name: RegionName, i = 0): Uint32Array {
    const { ptr, bytes } = this.region(name, i);
    return new Uint32Array(this.core.memory.buffer, ptr, bytes >> 2);
  }

  i32(name: RegionName, i = 0): Int32Array {
    const { ptr, bytes } = this.region(name, i);
    return new Int32Array(this.core.memory.buffer, ptr, bytes >> 2);
  }

  /** The progress span (regions.ts Progress names its fields). */
  progress(): Float64Array {
    const { ptr, bytes } = this.region("PROGRESS");
    return new Float64Array(this.core.memory.buffer, ptr, bytes >> 3);
  }

  /** The core's limits. */
  limits(): CoreLimits {
    const [maxLayers, maxSymbols] = this.i32("LIMITS");
    return { maxLayers: maxLayers!, maxSymbols: maxSymbols! };
  }

  /** A view of `length` floats at byte `offset` of a region (a tensor the table places). */
  tensor(name: RegionName, offset: number, length: number): Float32Array {
    return new Float32Array(this.core.memory.buffer, this.region(name).ptr + offset, length);
  }
}

/** The core's limits (assembly/layout.ts MAX_LAYERS, MAX_SYMBOLS). */
export interface CoreLimits {
  maxLayers: number;
  maxSymbols: number;
}

/** The shared instance, and whether work has written to its memory since it was made. */
let shared: { engine: Engine; used: boolean } | null = null;
let limits: { module: WebAssembly.Module; value: CoreLimits } | null = null;
/** A shared instance whose memory grew past this is let go after the use that grew it: a large text's copy does not stay alive. */
const KEEP_BYTES = 4 * 2 ** 20;

function sharedFor(module: WebAssembly.Module): { engine: Engine; used: boolean } {
  if (shared?.engine.module !== module) shared = { engine: new Engine(module), used: false };
  return shared;
}

/** The core's limits, read once per compiled module. */
export function coreLimits(module: WebAssembly.Module): CoreLimits {
  if (limits?.module !== module) limits = { module, value: sharedFor(module).engine.limits() };
  return limits.value;
}

/**
 * `use` on an instance for work that belongs to no model (a vocabulary built on its own),
 * made once per compiled module.
 */
export function withSharedEngine<T>(module: WebAssembly.Module, use: (engine: Engine) => T): T {
  const s = sharedFor(module);
  s.used = true;
  try {
    return use(s.engine);
  } finally {
    if (shared === s && s.engine.core.memory.buffer.byteLength > KEEP_BYTES) shared = null;
  }
}

/**
 * An instance for a new model: the shared one if nothing has written to it yet (reading the
 * limits does not), so that a cold load instantiates the core once; else a new one.
 */
export function newEngine(module: WebAssembly.Module): Engine {
  if (shared?.engine.module === module && !shared.used) {
    const { engine } = shared;
    shared = null;
    return engine;
  }
  return new Engine(module);
}
