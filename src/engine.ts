// One instance of the core with its own linear memory, and typed views into it.
// Views are made on demand from memory.buffer, so they stay valid after memory grows.

/** The module's exports (assembly/index.ts). Pointers are byte offsets into `memory`. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  configure(v: number, h: number, t: number, b: number, learningRate: number, clip: number): number;
  initParams(scale: number): void;
  reserveData(len: number, shift: number): number;
  setHyper(learningRate: number, clip: number): void;
  setProgress(iteration: number, position: number, smoothLoss: number): void;
  iteration(): number;
  position(): number;
  smoothLoss(): number;
  lastLoss(): number;
  train(n: number): number;
  step(): number;
  gradients(): number;
  seedRng(seed: number): void;
  randomIndex(n: number): number;
  feed(x: number): void;
  sampleDraw(n: number, first: number, invTemperature: number, topK: number, greedy: number): number;
  sampleFromTraining(): number;
  sampleReset(): void;
  paramCount(): number;
  paramsPtr(): number;
  gradsPtr(): number;
  memPtr(): number;
  tensorOffsets(which: number): number;
  hprevPtr(): number;
  hsPtr(): number;
  samplerStatePtr(): number;
  outPtr(): number;
  outCapacity(): number;
  rngPtr(): number;
  dataPtr(): number;
}

export class Engine {
  readonly core: CoreExports;

  constructor(module: WebAssembly.Module) {
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
