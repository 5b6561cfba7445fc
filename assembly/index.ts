// The module's ABI: small functions over numbers and byte offsets. The host sizes the
// model once (`configure`), reads the tensor table, writes the text's indices at
// `dataPtr()`, and then calls `train(n)` once per batch of iterations; it reads tensors
// through Float32Array views at the table's offsets.
import * as L from "./layout";
import * as R from "./train";
import { uniform, fillUniform } from "./rng";
import { fillNormal } from "./normal";
import { setDropout } from "./net";

export { train, step, gradients } from "./train";
// The phases of one iteration, for a host that runs the shards on N threads (shards.ts).
export { shardCount, shardStart } from "./train";
export {
  beginIteration, shardGradients, addGradients, lossVerdict, sliceNorms, sliceCoef, updateFinite,
  writeUpdate, boundWeight, boundSum, setBounds, refuse, commit, startCall, normBlock, shardGradsPtr, blockSumsPtr,
} from "./shards";
export { seedRng } from "./rng";
export { feed, sampleDraw } from "./sample";
export { validationLoss } from "./evaluate";
export { crc32, firstNonFinite, firstNegative } from "./check";
export { textSymbols, textIndices } from "./text";

/**
 * Lays out a model: cell (0 rnn, 1 lstm, 2 gru), layers, vocabulary v, hidden h, window
 * t, streams b, the optimizer's slot count, and dropout's p (0: none). False if memory
 * cannot grow. The optimizer's kind and hyperparameters are setOptimizer's (Adagrad's by default).
 */
export function configure(cell: i32, layers: i32, v: i32, h: i32, t: i32, b: i32, slotCount: i32, learningRate: f32, clip: f32, dropout: f32): bool {
  if (!L.layout(cell, layers, v, h, t, b, slotCount, dropout > 0)) return false;
  setDropout(dropout);
  R.learningRate = learningRate;
  R.clip = clip;
  R.iteration = 0;
  R.position = 0;
  R.adamStep = 0;
  R.resetSmoothLoss();
  return true;
}

/**
 * The optimizer (0 adagrad, 1 adam, 2 rmsprop) and its hyperparameters (those it does not
 * use are ignored), clipNorm (Infinity: off) and the schedule (lrDecay 1: none).
 */
export function setOptimizer(kind: i32, alpha: f64, beta1: f64, beta2: f64, eps: f32, clipNorm: f32, lrDecay: f32, lrDecayAfter: i32): void {
  R.optimizer = kind; R.alpha = alpha; R.beta1 = beta1; R.beta2 = beta2; R.eps = eps;
  R.clipNorm = clipNorm; R.lrDecay = lrDecay; R.lrDecayAfter = lrDecayAfter;
}
/** Adam's step count (updates made), saved in checkpoints. */
export function adamStep(): f64 { return R.adamStep; }
export function setAdamStep(step: f64): void { R.adamStep = step; }
/** The current learning rate (the schedule decays it). */
export function learningRate(): f32 { return R.learningRate; }
/** Test hook: keep the last dropout masks in the next windows (a gradient check with one fixed mask). */
export function freezeMasks(frozen: bool): void { R.masksFrozen = frozen; }
/** Test hook: layer l's dropout mask of the whole batch, [B][T][HP]. */
export function maskPtr(l: i32): usize { return L.buf(L.TRAIN_BASE, l, L.K_MASK); }

/**
 * Fresh weights from the PRNG, tensor by tensor in table order. The rnn keeps the
 * reference's: weights N(0,1)·scale, biases 0. The lstm and gru take PyTorch's: every
 * weight and bias, the decoder's too, U(-1/√H, 1/√H).
 */
export function initParams(scale: f32): void {
  memory.fill(L.params, 0, <usize>L.NP << 2);
  let bound = <f32>(1.0 / Math.sqrt(<f64>L.H));
  for (let i = 0; i < L.tensorCount; i++) {
    let p = L.params + L.tensorOffset(i), n = L.tensorRows(i) * max(L.tensorCols(i), 1);
    if (L.CELL != L.CELL_RNN) fillUniform(p, n, bound);
    else if (L.tensorCols(i) > 0) fillNormal(p, n, scale);   // weights, not biases
  }
}

// The tensor table (layout.ts): offsets are bytes within one parameter layout; cols 0 is a vector.
export function tensorCount(): i32 { return L.tensorCount; }
export function tensorOffset(i: i32): usize { return L.tensorOffset(i); }
export function tensorRows(i: i32): i32 { return L.tensorRows(i); }
export function tensorCols(i: i32): i32 { return L.tensorCols(i); }
/** Floats in one padded state vector (H rounded up to 4): the carried state is [B][L][S][this]. */
export function stateStride(): i32 { return L.HP; }
/** Carried vectors per layer: 1 (h), or 2 for the lstm (h, c). */
export function stateCount(): i32 { return L.S; }

/** Room for `len` text indices of 1 << shift bytes each at dataPtr(). False if memory cannot grow. */
export function reserveData(len: i32, shift: i32): bool { return L.reserveData(len, shift); }
/** Room for `len` held-out indices at validationPtr(), after the training text. False if memory cannot grow. */
export function reserveValidation(len: i32): bool { return L.reserveValidation(len); }

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
 * Prepares the sampler as the reference does before iteration n: the training state of
 * stream 0 after the wrap rule, and the window's first index, which it returns.
 */
export function sampleFromTraining(): i32 {
  let wraps = R.iteration == 0 || R.wraps(R.position);
  let bytes = <usize>(L.L * L.S * L.HP) << 2;
  if (wraps) memory.fill(L.samplerState, 0, bytes);
  else memory.copy(L.samplerState, L.streamState(0), bytes);
  return L.dataAt(wraps ? 0 : R.position);
}

// Regions, for the host's views.
export function paramCount(): i32 { return L.NP; }
export function paramsPtr(): usize { return L.params; }
export function gradsPtr(): usize { return L.grads; }
/** Optimizer slot k (the parameters' layout). */
export function slotPtr(k: i32): usize { return L.slots + <usize>k * (<usize>L.NP << 2); }
export function slotCount(): i32 { return L.SLOTS; }
/** The carried state [B][L][S][HP]. */
export function statePtr(): usize { return L.state; }
/** The sampler's carried state [L][S][HP]. */
export function samplerStatePtr(): usize { return L.samplerState; }
export function outPtr(): usize { return L.out; }
export function outCapacity(): i32 { return L.OUT_CAP; }
export function rngPtr(): usize { return L.rng; }
export function dataPtr(): usize { return L.data; }
/** Bytes of memory the last layout or reservation asked for (f64: it may exceed 4 GiB). */
export function requiredBytes(): f64 { return <f64>L.required; }
export function validationPtr(): usize { return L.data + (<usize>L.dataLen << L.dataShift); }

// What another thread must copy to run shards in step with this instance, as opaque
// spans: the weights with every optimizer slot (one span: they are adjacent), and the
// carried state of a range of shards' streams (stream-major, so one span per range).
export function weightsSpanPtr(): usize { return L.params; }
export function weightsSpanBytes(): i32 { return (L.NP << 2) * (1 + L.SLOTS); }
export function stateSpanPtr(s0: i32): usize { return L.streamState(R.shardStart(s0)); }
/** Bytes of the carried state of shards [s0, s1). */
export function stateSpanBytes(s0: i32, s1: i32): i32 {
  return <i32>(L.streamState(R.shardStart(s1)) - L.streamState(R.shardStart(s0)));
}

/** A uniform index in [0, n), from the module's PRNG. */
export function randomIndex(n: i32): i32 { return min(<i32>(uniform() * <f64>n), n - 1); }

/** Start of the memory that a model never configured leaves free: scratch space for checks and text indexing. */
export function scratchPtr(): usize { return (__heap_base + 15) & ~15; }

/** Stream 0's shard's h[0..T] of layer l from the last forward pass, [T+1, N, HP] (a test hook). */
export function hiddenStatesPtr(l: i32): usize {
  L.bindShard(0);
  return L.buf(L.BOUND, l, L.K_HS);
}
