// The module's ABI: small functions over numbers, and two tables the host reads instead of
// knowing the layout. The host sizes the model once (`configure`), reads the tensor table
// (entryCount records at regionPtr(REGION_TABLE)) and the regions (regionPtr/regionBytes),
// writes the text's indices, and then calls `train(n)` once per batch of iterations. The
// progress numbers are one f64 span (progress.ts). Test hooks live in testing.ts only.
import * as L from "./layout";
import * as R from "./train";
import { uniform, fillUniform } from "./rng";
import { fillNormal } from "./normal";
import { setDropout } from "./net";
import { referenceInit } from "./cells";
import { PROGRESS, PROGRESS_FIELDS, P_ITERATION, P_POSITION, P_LEARNING_RATE, resetProgress, progress } from "./progress";
import {
  REGION_PARAMS, REGION_GRADS, REGION_SHARD_GRADS, REGION_SLOTS, REGION_WEIGHTS, REGION_STATE, REGION_SHARD_STATE,
  REGION_SAMPLER_STATE, REGION_OUT, REGION_RNG, REGION_DATA, REGION_VALIDATION, REGION_PROGRESS, REGION_TABLE,
  REGION_LIMITS, REGION_TEXT, REGION_SYMBOLS,
} from "./regions";
import { textSymbols as symbolsOf, textIndices as indicesOf, SEEN_BYTES, TABLE_BYTES } from "./text";

export { train } from "./train";
// The phases of one iteration, for a host that runs the shards on several threads.
export { shardCount, shardGradients, update } from "./train";
export { addShardGradients, forgetBounds } from "./optim";
export { seedRng } from "./rng";
export { feed, sampleDraw } from "./sample";
export { validationLoss } from "./evaluate";
export { crc32, firstInvalid } from "./check";

/**
 * Lays out a model: cell (cells.ts CELL_*), layers, vocabulary v, hidden h, window t,
 * streams b, the optimizer's slot count, and dropout's p (0: none). False if memory
 * cannot grow. The optimizer's kind and hyperparameters are setOptimizer's (Adagrad's by default).
 */
export function configure(cell: i32, layers: i32, v: i32, h: i32, t: i32, b: i32, slotCount: i32, learningRate: f64, clip: f32, dropout: f32): bool {
  if (!L.layout(cell, layers, v, h, t, b, slotCount, dropout > 0)) return false;
  setDropout(dropout);
  R.clip = clip;
  resetProgress();
  R.resetSmoothLoss();
  store<f64>(PROGRESS + (<usize>P_LEARNING_RATE << 3), learningRate);
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

/**
 * Fresh weights from the PRNG, tensor by tensor in table order: the cell's init
 * (cells.ts referenceInit): the reference's weights N(0,1)·scale and zero biases, or
 * PyTorch's U(-1/√H, 1/√H) for every weight and bias, the decoder's too.
 */
export function initParams(scale: f32): void {
  memory.fill(L.params, 0, <usize>L.NP << 2);
  let bound = <f32>(1.0 / Math.sqrt(<f64>L.H));
  for (let i = 0; i < L.tensorCount; i++) {
    let p = L.params + L.tensorOffset(i), n = L.tensorRows(i) * max(L.tensorCols(i), 1);
    if (!referenceInit(L.CELL)) fillUniform(p, n, bound);
    else if (L.tensorCols(i) > 0) fillNormal(p, n, scale);   // weights, not biases
  }
}

/** Records in the table (layout.ts: parameters, then carried state), 32 bytes each at regionPtr(REGION_TABLE). */
export function entryCount(): i32 { return L.entryCount; }

/** Room for `len` text indices of 1 << shift bytes each in the DATA region. False if memory cannot grow. */
export function reserveData(len: i32, shift: i32): bool { return L.reserveData(len, shift); }
/** Room for `len` held-out indices (the VALIDATION region), after the training text. False if memory cannot grow. */
export function reserveValidation(len: i32): bool { return L.reserveValidation(len); }

const LIMITS: usize = memory.data<i32>([L.MAX_LAYERS, L.MAX_SYMBOLS]);

/** Where region k (shard i for the shard regions) starts, as a byte offset in memory. */
export function regionPtr(k: i32, i: i32): usize {
  switch (k) {
    case REGION_PARAMS: case REGION_WEIGHTS: return L.params;
    case REGION_GRADS: return L.grads;
    case REGION_SHARD_GRADS: return L.grads2;
    case REGION_SLOTS: return L.slots;
    case REGION_STATE: return L.state;
    case REGION_SHARD_STATE: return L.streamState(R.shardStart(i));
    case REGION_SAMPLER_STATE: return L.samplerState;
    case REGION_OUT: return L.out;
    case REGION_RNG: return L.rng;
    case REGION_DATA: return L.data;
    case REGION_VALIDATION: return L.data + (<usize>L.dataLen << L.dataShift);
    case REGION_PROGRESS: return PROGRESS;
    case REGION_TABLE: return L.TABLE;
    case REGION_LIMITS: return LIMITS;
    case REGION_TEXT: return textSrc;
    case REGION_SYMBOLS: return textSymbolsAt;
    default: return 0;
  }
}

/** The size of region k (shard i for the shard regions) in bytes. */
export function regionBytes(k: i32, i: i32): usize {
  let layoutBytes = <usize>L.NP << 2;
  switch (k) {
    case REGION_PARAMS: case REGION_GRADS: case REGION_SHARD_GRADS: return layoutBytes;
    case REGION_SLOTS: return layoutBytes * L.SLOTS;
    case REGION_WEIGHTS: return layoutBytes * (1 + L.SLOTS);
    case REGION_STATE: return L.streamState(L.B) - L.state;
    case REGION_SHARD_STATE: {
      let end = i + 1 < R.shardCount() ? R.shardStart(i + 1) : L.B;
      return L.streamState(end) - L.streamState(R.shardStart(i));
    }
    case REGION_SAMPLER_STATE: return <usize>(L.L * L.S * L.HP) << 2;
    case REGION_OUT: return <usize>L.OUT_CAP << 2;
    case REGION_RNG: return 16;
    case REGION_DATA: return <usize>L.dataLen << L.dataShift;
    case REGION_VALIDATION: return <usize>L.valLen << L.dataShift;
    case REGION_PROGRESS: return PROGRESS_FIELDS << 3;
    case REGION_TABLE: return <usize>L.entryCount * 32;
    case REGION_LIMITS: return 8;
    case REGION_TEXT: return textLen;
    case REGION_SYMBOLS: return <usize>textSymbolCapacity << 2;
    default: return 0;
  }
}

/** Bytes of memory the last layout or reservation asked for (f64: it may exceed 4 GiB). */
export function requiredBytes(): f64 { return <f64>L.required; }

// Text indexing, in this instance's free memory above everything a model uses: the host
// writes a text's UTF-8 into REGION_TEXT, and the indices go straight to REGION_DATA.
let textSrc: usize = 0;
let textLen: usize = 0;
let textSymbolsAt: usize = 0;
let textSymbolCapacity: i32 = 0;

/**
 * Makes room for `len` bytes of UTF-8 (REGION_TEXT) and `symbols` code points
 * (REGION_SYMBOLS), with the scratch that indexing needs after them. False if memory cannot grow.
 */
export function textScratch(len: i32, symbols: i32): bool {
  textSrc = (L.freeStart() + 15) & ~15;
  textLen = len;
  textSymbolCapacity = max(symbols, min(len, L.MAX_SYMBOLS) + 1);
  textSymbolsAt = textSrc + ((<usize>len + 15) & ~15);
  let end = <u64>textSymbolsAt + (<u64>textSymbolCapacity << 2) + <u64>max(SEEN_BYTES, TABLE_BYTES + 128) + 16;
  if (!L.ensure(end)) return false;
  L.dirtyEnd = max(L.dirtyEnd, <usize>end);
  return true;
}

/** The distinct code points of the UTF-8 text in REGION_TEXT, unsorted, into REGION_SYMBOLS; returns their count. */
export function textSymbols(): i32 {
  let seen = (textSymbolsAt + (<usize>textSymbolCapacity << 2) + 15) & ~15;
  return symbolsOf(textSrc, <i32>textLen, seen, textSymbolsAt);
}

/**
 * The UTF-8 text in REGION_TEXT as indices into the `count` sorted code points in
 * REGION_SYMBOLS, written to REGION_DATA (reserved first) at its width. Returns how many,
 * or -1 if a character is not a symbol.
 */
export function textIndices(count: i32): i32 {
  let table = (textSymbolsAt + (<usize>count << 2) + 15) & ~15;
  return indicesOf(textSrc, <i32>textLen, textSymbolsAt, count, table, L.data, L.dataShift);
}

/**
 * Prepares the sampler as the reference does before iteration n: the training state of
 * stream 0 after the wrap rule, and the window's first index, which it returns.
 */
export function sampleFromTraining(): i32 {
  let position = <i32>progress(P_POSITION);
  let wraps = progress(P_ITERATION) == 0 || R.wraps(position);
  let bytes = <usize>(L.L * L.S * L.HP) << 2;
  if (wraps) memory.fill(L.samplerState, 0, bytes);
  else memory.copy(L.samplerState, L.streamState(0), bytes);
  return L.dataAt(wraps ? 0 : position);
}

/** A uniform index in [0, n), from the module's PRNG. */
export function randomIndex(n: i32): i32 { return min(<i32>(uniform() * <f64>n), n - 1); }
