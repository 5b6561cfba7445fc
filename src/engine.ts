// One instance of the core with its own linear memory, and typed views into it.
// Views are made on demand from memory.buffer, so they stay valid after memory grows.

/** The module's exports (assembly/index.ts). Pointers are byte offsets into `memory`. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  configure(v: number, h: number, t: number, b: number, learningRate: number, clip: number): number;
  initParams(scale: number): void;
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
  // One iteration in phases, for two threads with a shard each (assembly/train.ts).
  shardCount(): number;
  shardStart(shard: number): number;
  shardGradients(shard: number): number;
  addShardGradients(): void;
  update(lossSum: number, firstShard: number, endShard: number): number;
  forgetBounds(): void;
  seedRng(seed: number): void;
  randomIndex(n: number): number;
  feed(x: number): void;
  sampleDraw(n: number, first: number, invTemperature: number, topK: number, greedy: number): number;
  sampleFromTraining(): number;
  paramCount(): number;
  paramsPtr(): number;
  gradsPtr(): number;
  grads2Ptr(): number;
  memPtr(): number;
  tensorOffsets(which: number): number;
  hprevPtr(): number;
  hsPtr(): number;
  samplerStatePtr(): number;
  outPtr(): number;
  outCapacity(): number;
  rngPtr(): number;
  dataPtr(): number;
  requiredBytes(): number;
  validationPtr(): number;
  // Kernel entry points (tests and benchmarks only): SIMD kernels and their scalar forms,
  // over byte offsets the caller lays out. Shapes: assembly/simd.ts and assembly/scalar.ts.
  matmulAcc(out: number, W: number, X: number, R: number, C: number, N: number, ldo: number, ldx: number): void;
  matmulTAcc(out: number, W: number, A: number, R: number, C: number, N: number, ldo: number, lda: number): void;
  outerAcc(dW: number, A: number, X: number, R: number, C: number, N: number, lda: number, ldx: number): void;
  expArray(out: number, x: number, n: number): void;
  tanhArray(out: number, x: number, n: number): void;
  clipAdagrad(learningRate: number, clip: number): number;
  matmulAccScalar(out: number, W: number, X: number, R: number, C: number, N: number, ldo: number, ldx: number): void;
  matmulTAccScalar(out: number, W: number, A: number, R: number, C: number, N: number, ldo: number, lda: number): void;
  outerAccScalar(dW: number, A: number, X: number, R: number, C: number, N: number, lda: number, ldx: number): void;
  expArrayScalar(out: number, x: number, n: number): void;
  tanhArrayScalar(out: number, x: number, n: number): void;
  clipAdagradScalar(learningRate: number, clip: number): void;
  crc32(ptr: number, length: number, previous: number): number;
  firstNonFinite(ptr: number, count: number): number;
  firstNegative(ptr: number, count: number): number;
  scratchPtr(): number;
  textSymbols(src: number, len: number, seen: number, out: number): number;
  textIndices(src: number, len: number, symbols: number, count: number, table: number, dst: number, shift: number): number;
}

export class Engine {
  readonly core: CoreExports;
  /** The compiled module this instance came from: another thread instantiates the same. */
  readonly module: WebAssembly.Module;

  constructor(module: WebAssembly.Module) {
    this.module = module;
    this.core = new WebAssembly.Instance(module, {}).exports as unknown as CoreExports;
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
