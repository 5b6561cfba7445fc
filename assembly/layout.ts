// Where everything lives in linear memory (llm.c-style: one flat buffer per role).
//
// Dimension letters, fixed once for the whole core:
//   V vocabulary size, H hidden size, T time steps per window, B parallel streams,
//   L layers, G gates per layer (1 rnn, 4 lstm: i f g o, 3 gru: r z n), S carried
//   vectors per layer (1: h; 2 for the lstm: h and c).
// Every tensor is f32, row-major, and starts on a 16-byte boundary. Vectors that
// elementwise SIMD loops touch are padded to HP = H rounded up to 4 lanes (likewise VP),
// and a vector of G gates is G blocks of HP (GP = G·HP floats), gate g at g·HP; the
// padding lanes stay 0.
//
// ONE tensor table describes the parameters: for each layer k weight_ih [G·H, k ? H : V],
// weight_hh [G·H, H], bias_ih [G·H], bias_hh [G·H]; then decoder.weight [V, H] and
// decoder.bias [V] (PyTorch's state-dict order). Every offset comes from it, and the host
// reads it (tensorCount, tensorOffset, tensorRows, tensorCols) instead of knowing it.
// Parameters, gradients and each optimizer slot share that layout (NP floats each), so
// clipping, the update and zeroing are one loop over the whole buffer.
//
// Regions, in order: params, the optimizer's slots (the two make the "weights" span a
// thread copies), grads (shard 0's, then the total), grads2 (each later shard's in turn),
// the carried state [B][L][S][HP] (stream-major, so a shard's streams are one span), the
// window's symbols xs [T+1, B], the activation buffers of training (per layer, per kind,
// one block per stream: a shard's N streams from b0 are one block at b0·perStream), the
// sampler's (the same kinds for T = 1 and one stream), the norm's block sums, and last the
// text's indices.
//
// The streams form SHARDS contiguous shards (set by B and NP, see shardsFor), so that
// threads can each run some of them (see train.ts and shards.ts).

import { gatesOf, carriedOf, bufferFloats, preActivatesInHidden, KINDS, K_HS, K_DH, K_DA } from "./cells";

export const MAX_LAYERS = 16;
/** The most symbols a vocabulary may have (text.ts stops indexing just past it). */
export const MAX_SYMBOLS = 1 << 20;

export let CELL: i32 = 0;
export let L: i32 = 1;
export let G: i32 = 1;
export let S: i32 = 1;
export let V: i32 = 0;
export let H: i32 = 0;
export let T: i32 = 0;
export let B: i32 = 0;
export let HP: i32 = 0;
export let VP: i32 = 0;
export let GP: i32 = 0;
export let NP: i32 = 0;      // floats in one parameter layout, a multiple of 4
export let SLOTS: i32 = 1;   // optimizer slots (Adagrad: its sums; Adam: two moments; RMSProp: one average)
export let DROPOUT: bool = false; // training drops units: the K_DROP and K_MASK buffers exist
export let SHARDS: i32 = 1;  // shards of the streams: contiguous ranges, reduced in shard order

// At most this many shards, and their gradient copies (4·NP bytes each, one per shard in a
// threaded exchange) within SHARD_BUDGET bytes: a large model has fewer, down to one.
export const MAX_SHARDS = 16;
const SHARD_BUDGET: u64 = 256 << 20;
// Anything summed over all parameters (clip-norm's norm) is summed in blocks of this many
// floats, each block's sum then in block order: the same number for any split into slices.
export const NORM_BLOCK = 1024;

/** The shard count of a model of b streams and np parameter floats. */
function shardsFor(b: i32, np: u64): i32 {
  return <i32>max(<u64>1, min(min(<u64>b, <u64>MAX_SHARDS), SHARD_BUDGET / (np << 2)));
}

// The table, one record of 8 i32 per entry: what it is (kind, role, layer), where it is
// (byte offset: in a parameter layout, or in one stream's carried state), its shape (rows;
// cols 0 for a vector) and, for carried state, the bytes from one stream's to the next.
// First the parameters in PyTorch's state-dict order (per layer weight_ih, weight_hh,
// bias_ih, bias_hh; then decoder.weight, decoder.bias), then the carried state per layer
// (h, then c for the lstm). The host names and places every tensor from these records.
export const KIND_PARAM = 0;
export const KIND_CARRIED = 1;
export const ROLE_W_IH = 0;
export const ROLE_W_HH = 1;
export const ROLE_B_IH = 2;
export const ROLE_B_HH = 3;
export const ROLE_DECODER_W = 4;
export const ROLE_DECODER_B = 5;
export const ROLE_H = 6;
export const ROLE_C = 7;
const RECORD = 32;
const MAX_ENTRIES = 4 * MAX_LAYERS + 2 + 2 * MAX_LAYERS;
export const TABLE: usize = memory.data(MAX_ENTRIES * RECORD, 16);
/** Parameter entries (the first tensorCount of the table). */
export let tensorCount: i32 = 0;
/** All entries: parameters, then carried state. */
export let entryCount: i32 = 0;
// Which tensor of layer k: k·4 + one of these; the decoder's two follow the layers.
export const W_IH = 0;
export const W_HH = 1;
export const B_IH = 2;
export const B_HH = 3;

@inline export function tensorOffset(i: i32): usize { return <usize>load<u32>(TABLE + <usize>i * RECORD, 12); }
@inline export function tensorRows(i: i32): i32 { return load<i32>(TABLE + <usize>i * RECORD, 16); }
@inline export function tensorCols(i: i32): i32 { return load<i32>(TABLE + <usize>i * RECORD, 20); }
/** Byte offset (in a layout) of tensor `which` (W_IH..B_HH) of layer l. */
@inline export function layerTensor(l: i32, which: i32): usize { return tensorOffset(l * 4 + which); }
@inline export function decoderWeight(): usize { return tensorOffset(L * 4); }
@inline export function decoderBias(): usize { return tensorOffset(L * 4 + 1); }

// Absolute byte addresses of the regions.
export let params: usize = 0;
export let slots: usize = 0;  // SLOTS layouts of NP floats: slot k at slots + k·NP·4
export let grads: usize = 0;  // shard 0's gradients, then the sum of both shards'
export let grads2: usize = 0; // a later shard's gradients (SHARDS ≥ 2 only); zero between iterations
export let blockSums: usize = 0; // [NP / NORM_BLOCK rounded up] f64: the norm's sum per block
export let state: usize = 0;  // [B][L][S][HP] the state carried between windows
export let xs: usize = 0;     // [T+1, B] i32: the window's symbols, input t of stream b at t·B + b
export let out: usize = 0;    // [OUT_CAP] u32 sampled indices
export let rng: usize = 0;    // [4] u32 PRNG state
export let data: usize = (__heap_base + 15) & ~15;   // [dataLen + valLen] text as vocab indices (u8, u16 or u32): training, then held-out
export let dataLen: i32 = 0;
export let valLen: i32 = 0;   // held-out (validation) indices right after the training ones: dataAt(dataLen + i)
export let dataShift: i32 = 0; // log2 of the index width in bytes

export const OUT_CAP: i32 = 4096;

// Activation buffers. Each layer has one region per kind (cells.ts: K_HS .. K_MASK); a
// region holds one block per stream of bufferFloats(kind) floats, so a shard's block of N
// streams from b0 is [steps, N, width] at region + b0·perStream·4 (its vectors interleave
// the N streams).
// After the layers: the decoder's probabilities [T, N, VP] (dy in backward).
const TABLE_WORDS = MAX_LAYERS * KINDS + 1;
/** Region bases for training and for the sampler; `bound` holds the blocks of the shard in use. */
export const TRAIN_BASE: usize = memory.data(TABLE_WORDS * 4, 16);
export const SAMPLER: usize = memory.data(TABLE_WORDS * 4, 16);
export const BOUND: usize = memory.data(TABLE_WORDS * 4, 16);
export const PS_SLOT = MAX_LAYERS * KINDS;

/** The block of kind k of layer l in a table of bases (TRAIN_BASE bound, SAMPLER, BOUND). */
@inline export function buf(table: usize, l: i32, k: i32): usize { return <usize>load<u32>(table + (<usize>(l * KINDS + k) << 2)); }
@inline export function probs(table: usize): usize { return <usize>load<u32>(table + (<usize>PS_SLOT << 2)); }

// The sampler's own state, apart from training's: [L][S][HP] and its logits and scratch.
export let samplerState: usize = 0;
// Per layer two bias vectors in gate blocks [GP]: the input side's (b_ih, plus b_hh for the
// lstm, which can fold them) and the gru's b_hh, which the reset gate multiplies.
export let biases: usize = 0;   // [L][2][GP]
export let sy: usize = 0;    // [VP] sampler's logits / probabilities
export let topk: usize = 0;  // [VP] sampler's scratch for top-k

@inline function pad4(n: i32): i32 { return (n + 3) & ~3; }
// Sizes are summed in 64 bits: a large model's products (H·V, T·B·V) and totals can pass
// 2^32, and a wrapped 32-bit sum would lay regions over each other without a word.
@inline function bytes(floats: i64): u64 { return <u64>((floats + 3) & ~3) << 2; }

/** Floats per stream of an activation buffer of kind k over `steps` steps. */
@inline function perStream(k: i32, steps: i32): i64 { return bufferFloats(CELL, k, steps, HP, GP, DROPOUT); }

/** Lays out every layer's buffers for `streams` streams of `steps` steps from p; writes their bases to `table`. */
function layOutActivations(p: u64, table: usize, steps: i32, streams: i32): u64 {
  for (let l = 0; l < L; l++) {
    for (let k = 0; k < KINDS; k++) {
      let n = perStream(k, steps) * streams;
      store<u32>(table + (<usize>(l * KINDS + k) << 2), <u32>(n > 0 ? p : 0));
      p += bytes(n);
    }
  }
  store<u32>(table + (<usize>PS_SLOT << 2), <u32>p);
  return p + bytes(<i64>steps * streams * VP);
}

/**
 * Points BOUND at the blocks of the shard whose first stream is b0 (training's buffers).
 * rnn's dL/d pre-activation is its dL/dh, rewritten in place (K_DA = K_DH).
 */
export function bindShard(b0: i32): void {
  for (let l = 0; l < L; l++) {
    for (let k = 0; k < KINDS; k++) {
      let base = buf(TRAIN_BASE, l, k);
      let at: usize = base == 0 ? 0 : base + <usize>(perStream(k, T) * b0) * 4;
      store<u32>(BOUND + (<usize>(l * KINDS + k) << 2), <u32>at);
    }
    if (preActivatesInHidden(CELL)) store<u32>(BOUND + (<usize>(l * KINDS + K_DA) << 2), <u32>buf(BOUND, l, K_DH));
  }
  store<u32>(BOUND + (<usize>PS_SLOT << 2), <u32>(probs(TRAIN_BASE) + <usize>(<i64>T * VP * b0) * 4));
}

/** Layer l's bias vector `which` (0 input side, 1 gru's b_hh) in gate blocks.   [GP] */
@inline export function layerBias(l: i32, which: i32): usize { return biases + <usize>(l * 2 + which) * (<usize>GP << 2); }

/** The carried state of stream b: [L][S][HP] at the result. */
@inline export function streamState(b: i32): usize { return state + <usize>b * (<usize>(L * S * HP) << 2); }

/** Bytes of linear memory the last layout or reservation asked for (reported when it failed). */
export let required: u64 = 0;

/**
 * Fixes the sizes, builds the tensor table and lays out every region below data.
 * Returns false if memory cannot grow (then nothing here is used: the host discards the instance).
 */
export function layout(cell: i32, layers: i32, v: i32, h: i32, t: i32, b: i32, slotCount: i32, dropout: bool): bool {
  // Regions start as zeros (sums, gradients, state, padding lanes): clear what text work wrote before.
  let start: usize = (__heap_base + 15) & ~15;
  if (dirtyEnd > start) memory.fill(start, 0, dirtyEnd - start);
  dirtyEnd = 0;
  CELL = cell; L = layers; V = v; H = h; T = t; B = b; SLOTS = slotCount; DROPOUT = dropout;
  G = gatesOf(cell);
  S = carriedOf(cell);
  HP = pad4(h); VP = pad4(v); GP = G * HP;
  let o: u64 = 0;
  let n = 0;
  for (let l = 0; l < layers; l++) {
    let inputs = l == 0 ? v : h;
    o = addTensor(n++, o, ROLE_W_IH, l, G * h, inputs);
    o = addTensor(n++, o, ROLE_W_HH, l, G * h, h);
    o = addTensor(n++, o, ROLE_B_IH, l, G * h, 0);
    o = addTensor(n++, o, ROLE_B_HH, l, G * h, 0);
  }
  o = addTensor(n++, o, ROLE_DECODER_W, 0, v, h);
  o = addTensor(n++, o, ROLE_DECODER_B, 0, v, 0);
  tensorCount = n;
  let streamBytes = layers * S * HP * 4;
  for (let l = 0; l < layers; l++) {
    for (let s = 0; s < S; s++) setEntry(n++, KIND_CARRIED, s == 0 ? ROLE_H : ROLE_C, l, (l * S + s) * HP * 4, h, 0, streamBytes);
  }
  entryCount = n;
  if (o >= 0x1_0000_0000) { required = o; return false; }
  NP = <i32>(o >> 2);
  let p: u64 = (__heap_base + 15) & ~15;
  params = <usize>p; p += o;
  slots = <usize>p;  p += o * <u64>slotCount;
  grads = <usize>p;  p += o;
  SHARDS = shardsFor(b, o >> 2);
  grads2 = <usize>p; if (SHARDS > 1) p += o;   // one shard: no room needed
  state = <usize>p;  p += bytes(<i64>b * layers * S * HP);
  xs = <usize>p;     p += bytes(<i64>(t + 1) * b);
  if (p >= 0x1_0000_0000) { required = p; return false; }
  p = layOutActivations(p, TRAIN_BASE, t, b);
  if (p >= 0x1_0000_0000) { required = p; return false; }
  p = layOutActivations(p, SAMPLER, 1, 1);
  if (preActivatesInHidden(CELL)) {
    for (let l = 0; l < L; l++) store<u32>(SAMPLER + (<usize>(l * KINDS + K_DA) << 2), <u32>buf(SAMPLER, l, K_DH));
  }
  samplerState = <usize>p; p += bytes(<i64>layers * S * HP);
  biases = <usize>p; p += bytes(<i64>layers * 2 * GP);
  p = layOutPanels(p);
  sy = <usize>p;     p += bytes(VP);
  topk = <usize>p;   p += bytes(VP);
  out = <usize>p;    p += bytes(OUT_CAP);
  rng = <usize>p;    p += 16;
  blockSums = <usize>p; p += bytes(<i64>((NP + NORM_BLOCK - 1) / NORM_BLOCK) * 2);   // f64s as float pairs
  data = <usize>p;
  dataLen = 0;
  valLen = 0;
  if (!ensure(p)) return false;
  bindShard(0);
  return true;
}

function addTensor(i: i32, o: u64, role: i32, layer: i32, rows: i32, cols: i32): u64 {
  setEntry(i, KIND_PARAM, role, layer, <i32>min(o, 0xffff_ffff), rows, cols, 0);
  return o + bytes(<i64>rows * max(cols, 1));
}

function setEntry(i: i32, kind: i32, role: i32, layer: i32, offset: i32, rows: i32, cols: i32, stride: i32): void {
  let at = TABLE + <usize>i * RECORD;
  store<i32>(at, kind);
  store<i32>(at, role, 4);
  store<i32>(at, layer, 8);
  store<i32>(at, offset, 12);
  store<i32>(at, rows, 16);
  store<i32>(at, cols, 20);
  store<i32>(at, stride, 24);
}

/**
 * Makes room for `len` training indices of 1 << shift bytes each after the other regions.
 * The held-out indices, which follow the training ones, move with them and are kept
 * (the vocabulary, and so the width, is the model's: it does not change).
 */
export function reserveData(len: i32, shift: i32): bool {
  if (!ensure(<u64>data + (<u64>(<i64>len + valLen) << shift))) return false;
  memory.copy(data + (<usize>len << shift), data + (<usize>dataLen << shift), <usize>valLen << shift);
  dataLen = len;
  dataShift = shift;
  return true;
}

/** Makes room for `len` held-out indices right after the training text (same width). */
export function reserveValidation(len: i32): bool {
  if (!ensure(<u64>data + (<u64>(<i64>dataLen + len) << dataShift))) return false;
  valLen = len;
  return true;
}

/** The end of memory that text indexing wrote before a layout (layout zeroes it). */
export let dirtyEnd: usize = 0;

/** Where memory no region uses starts: after the text's indices (before any layout, data is at the heap's base). */
export function freeStart(): usize {
  return data + (<usize>(<i64>dataLen + valLen) << dataShift);
}

/** Grows memory to hold `end` bytes; false beyond wasm32's 4 GiB or when the runtime refuses. */
export function ensure(end: u64): bool {
  required = end;
  if (end > 0x1_0000_0000) return false;
  let have = <u64>memory.size() << 16;
  if (end <= have) return true;
  let pages = <i32>((end - have + 0xffff) >> 16);
  return memory.grow(pages) >= 0;
}

/** The vocabulary index at position i of the text. */
@inline export function dataAt(i: i32): i32 {
  if (dataShift == 0) return <i32>load<u8>(data + <usize>i);
  if (dataShift == 1) return <i32>load<u16>(data + (<usize>i << 1));
  return <i32>load<u32>(data + (<usize>i << 2));
}

/** xs[t, b] for t = 0..steps, b in [0, n): text position at + t + b·stride.   xs [steps+1, ld] */
export function gatherSymbols(dst: usize, ld: i32, steps: i32, n: i32, at: i32, stride: i32): void {
  for (let t = 0; t <= steps; t++) {
    for (let b = 0; b < n; b++) store<i32>(dst + (<usize>(t * ld + b) << 2), dataAt(at + t + b * stride));
  }
}

/** The symbol of stream n at step t of a window laid out as [steps+1, ld] at x. */
@inline export function symbolAt(x: usize, ld: i32, t: i32, n: i32): i32 { return load<i32>(x + (<usize>(t * ld + n) << 2)); }

// After the declarations above: panels.ts sizes its table from MAX_LAYERS.
import { layOutPanels } from "./panels";
