// The module's ABI: small functions over numbers and byte offsets. The host sizes the
// model once (`configure`), writes the text's indices at `dataPtr()`, and then calls
// `train(n)` once per batch of iterations; it reads tensors through Float32Array views.
import * as L from "./layout";
import * as R from "./train";
import { uniform } from "./rng";
import { fillNormal } from "./normal";

export { train, step, gradients } from "./train";
// The phases of one iteration, for a host that runs the two shards on two threads.
export { shardCount, shardStart, shardGradients, update } from "./train";
export { addShardGradients, forgetBounds } from "./optim";
export { seedRng } from "./rng";
export { feed, sampleDraw } from "./sample";

/** Lays out a model of vocabulary v, hidden h, window t, streams b. False if memory cannot grow. */
export function configure(v: i32, h: i32, t: i32, b: i32, learningRate: f32, clip: f32): bool {
  if (!L.layout(v, h, t, b)) return false;
  R.learningRate = learningRate;
  R.clip = clip;
  R.iteration = 0;
  R.position = 0;
  R.resetSmoothLoss();
  return true;
}

/** Weights ~ N(0,1)·scale in the reference's order (Wxh, Whh, Why); biases 0. */
export function initParams(scale: f32): void {
  memory.fill(L.params, 0, <usize>L.NP << 2);
  fillNormal(L.params + L.oWxh, L.H * L.V, scale);
  fillNormal(L.params + L.oWhh, L.H * L.H, scale);
  fillNormal(L.params + L.oWhy, L.V * L.H, scale);
}

/** Room for `len` text indices of 1 << shift bytes each at dataPtr(). False if memory cannot grow. */
export function reserveData(len: i32, shift: i32): bool { return L.reserveData(len, shift); }
/** Room for `len` held-out indices at validationPtr(), after the training text. False if memory cannot grow. */
export function reserveValidation(len: i32): bool { return L.reserveValidation(len); }
export { validationLoss } from "./evaluate";

export function setHyper(learningRate: f32, clip: f32): void { R.learningRate = learningRate; R.clip = clip; }
export function setProgress(iteration: f64, position: i32, smoothLoss: f64): void {
  R.iteration = iteration; R.position = position; R.smoothLoss = smoothLoss;
}
export function iteration(): f64 { return R.iteration; }
export function position(): i32 { return R.position; }
export function smoothLoss(): f64 { return R.smoothLoss; }
export function lastLoss(): f64 { return R.lastLoss; }
/** Why the last iteration made no update: 0 none, 1 a non-finite loss, 2 a non-finite update, 3 an exploding loss. */
export function failure(): i32 { return R.failure; }
/** Refuse iterations whose smooth loss would pass ratio × start (ratio 0: never). */
export function setMaxLossRatio(ratio: f64, start: f64): void { R.maxLossRatio = ratio; R.lossStart = start; }

/**
 * Prepares the sampler as the reference does before iteration n: the training hidden
 * state (stream 0) after the wrap rule, and the window's first index, which it returns.
 */
export function sampleFromTraining(): i32 {
  let wraps = R.iteration == 0 || R.wraps(R.position);
  if (wraps) memory.fill(L.sh, 0, <usize>L.HP << 2);
  else memory.copy(L.sh, L.hprev, <usize>L.HP << 2);
  return L.dataAt(wraps ? 0 : R.position);
}


// Offsets of every region, for the host's views.
export function paramCount(): i32 { return L.NP; }
export function paramsPtr(): usize { return L.params; }
export function gradsPtr(): usize { return L.grads; }
/** Shard 1's gradient buffer (the parameters' layout). */
export function grads2Ptr(): usize { return L.grads2; }
export function memPtr(): usize { return L.mem; }
export function tensorOffsets(which: i32): usize {
  // 0 Wxh, 1 Whh, 2 bh, 3 bhh, 4 Why, 5 by: byte offsets within one layout.
  switch (which) {
    case 0: return L.oWxh;
    case 1: return L.oWhh;
    case 2: return L.obh;
    case 3: return L.obhh;
    case 4: return L.oWhy;
    default: return L.oby;
  }
}
export function hprevPtr(): usize { return L.hprev; }
export function hsPtr(): usize { return L.hs; }
export function samplerStatePtr(): usize { return L.sh; }
export function outPtr(): usize { return L.out; }
export function outCapacity(): i32 { return L.OUT_CAP; }
export function rngPtr(): usize { return L.rng; }
export function dataPtr(): usize { return L.data; }
/** Bytes of memory the last layout or reservation asked for (f64: it may exceed 4 GiB). */
export function requiredBytes(): f64 { return <f64>L.required; }
export function validationPtr(): usize { return L.data + (<usize>L.dataLen << L.dataShift); }

/** A uniform index in [0, n), from the module's PRNG. */
export function randomIndex(n: i32): i32 { return min(<i32>(uniform() * <f64>n), n - 1); }

// Kernel entry points, for the kernel tests and benchmarks only: each SIMD kernel and the
// scalar form it is checked against, over byte offsets the caller lays out (dataPtr()
// after reserveData is free room). Training never goes through these exports.
export { matmulAcc, matmulTAcc, outerAcc } from "./simd";
export { expArray, tanhArray } from "./fastmath";
export { clipAdagrad } from "./optim";
export {
  matmulAccScalar, matmulTAccScalar, outerAccScalar,
  expArrayScalar, tanhArrayScalar, clipAdagradScalar,
} from "./scalar";

export { crc32, firstNonFinite, firstNegative } from "./check";
export { textSymbols, textIndices } from "./text";
/** Start of the memory that a model never configured leaves free: scratch space for checks and text indexing. */
export function scratchPtr(): usize { return (__heap_base + 15) & ~15; }
