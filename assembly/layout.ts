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
// second thread copies), grads (shard 0's, then the total), grads2 (shard 1's, B ≥ 2), the
// carried state [B][L][S][HP] (stream-major, so a shard's streams are one span), the
// window's symbols xs [T+1, B], the activation buffers of training (per layer, per kind,
// one block per stream: a shard's N streams from b0 are one block at b0·perStream), the
// sampler's (the same kinds for T = 1 and one stream), and last the text's indices.
//
// With B ≥ 2 the streams form two shards, [0, B/2) and [B/2, B), each with its gradient
// buffer, so two threads can each run one (see train.ts).

export const CELL_RNN = 0;
export const CELL_LSTM = 1;
export const CELL_GRU = 2;
export const MAX_LAYERS = 16;

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

// The tensor table: per tensor its byte offset in a layout, rows and cols (0 for a vector).
const MAX_TENSORS = 4 * MAX_LAYERS + 2;
const TENSORS: usize = memory.data(MAX_TENSORS * 12, 16);
export let tensorCount: i32 = 0;
// Which tensor of layer k: k·4 + one of these; the decoder's two follow the layers.
export const W_IH = 0;
export const W_HH = 1;
export const B_IH = 2;
export const B_HH = 3;

@inline export function tensorOffset(i: i32): usize { return <usize>load<u32>(TENSORS + <usize>i * 12); }
@inline export function tensorRows(i: i32): i32 { return load<i32>(TENSORS + <usize>i * 12, 4); }
@inline export function tensorCols(i: i32): i32 { return load<i32>(TENSORS + <usize>i * 12, 8); }
/** Byte offset (in a layout) of tensor `which` (W_IH..B_HH) of layer l. */
@inline export function layerTensor(l: i32, which: i32): usize { return tensorOffset(l * 4 + which); }
@inline export function decoderWeight(): usize { return tensorOffset(L * 4); }
@inline export function decoderBias(): usize { return tensorOffset(L * 4 + 1); }

// Absolute byte addresses of the regions.
export let params: usize = 0;
export let slots: usize = 0;  // SLOTS layouts of NP floats: slot k at slots + k·NP·4
export let grads: usize = 0;  // shard 0's gradients, then the sum of both shards'
export let grads2: usize = 0; // shard 1's gradients (B ≥ 2 only); zero between iterations
export let state: usize = 0;  // [B][L][S][HP] the state carried between windows
export let xs: usize = 0;     // [T+1, B] i32: the window's symbols, input t of stream b at t·B + b
export let out: usize = 0;    // [OUT_CAP] u32 sampled indices
export let rng: usize = 0;    // [4] u32 PRNG state
export let data: usize = 0;   // [dataLen + valLen] text as vocab indices (u8, u16 or u32): training, then held-out
export let dataLen: i32 = 0;
export let valLen: i32 = 0;   // held-out (validation) indices right after the training ones: dataAt(dataLen + i)
export let dataShift: i32 = 0; // log2 of the index width in bytes

export const OUT_CAP: i32 = 4096;

// Activation buffers. Each layer has one region per kind; a region holds one block per
// stream of perStream(kind) floats, so a shard's block of N streams from b0 is
// [steps, N, width] at region + b0·perStream·4 (its vectors interleave the N streams).
export const K_HS = 0;   // [T+1, N, HP]   h[t-1] for t = 0..T; h[0] is the carried state's copy
export const K_CS = 1;   // [T+1, N, HP]   lstm: c likewise
export const K_A = 2;    // [T, N, GP]     lstm, gru: gate activations (the input part before the recurrence)
export const K_AUX = 3;  // lstm [T, N, HP] tanh(c); gru [T, N, GP] W_hh·h + b_hh
export const K_DH = 4;   // [T, N, HP]     dL/dh[t] (rnn: then dL/d pre-activation, in place)
export const K_DA = 5;   // [T, N, GP]     lstm, gru: dL/d gate pre-activations
export const K_DAUX = 6; // lstm [N, HP] dL/dc carried back in BPTT; gru [T, N, GP] dL/d(W_hh·h + b_hh)
export const K_DROP = 7; // [T, N, HP]     with dropout: h[1..T] ⊙ mask, the layer's output as the next layer (or the decoder) reads it
export const K_MASK = 8; // [T, N, HP]     with dropout: the mask, 0 or 1/(1−p) per unit (a layer's region is [B][T][HP], drawn whole)
export const KINDS = 9;  // per layer in a table
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
function perStream(k: i32, steps: i32): i64 {
  let t = <i64>steps;
  switch (k) {
    case K_HS: return (t + 1) * HP;
    case K_CS: return CELL == CELL_LSTM ? (t + 1) * HP : 0;
    case K_A: return CELL == CELL_RNN ? 0 : t * GP;
    case K_AUX: return CELL == CELL_LSTM ? t * HP : CELL == CELL_GRU ? t * GP : 0;
    case K_DH: return t * HP;
    case K_DA: return CELL == CELL_RNN ? 0 : t * GP;
    case K_DAUX: return CELL == CELL_LSTM ? <i64>HP : CELL == CELL_GRU ? t * GP : 0;
    case K_DROP: return DROPOUT ? t * HP : 0;
    case K_MASK: return DROPOUT ? t * HP : 0;
    default: return 0;
  }
}

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
    if (CELL == CELL_RNN) store<u32>(BOUND + (<usize>(l * KINDS + K_DA) << 2), <u32>buf(BOUND, l, K_DH));
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
  CELL = cell; L = layers; V = v; H = h; T = t; B = b; SLOTS = slotCount; DROPOUT = dropout;
  G = cell == CELL_LSTM ? 4 : cell == CELL_GRU ? 3 : 1;
  S = cell == CELL_LSTM ? 2 : 1;
  HP = pad4(h); VP = pad4(v); GP = G * HP;
  let o: u64 = 0;
  let n = 0;
  for (let l = 0; l < layers; l++) {
    let inputs = l == 0 ? v : h;
    o = addTensor(n++, o, G * h, inputs);
    o = addTensor(n++, o, G * h, h);
    o = addTensor(n++, o, G * h, 0);
    o = addTensor(n++, o, G * h, 0);
  }
  o = addTensor(n++, o, v, h);
  o = addTensor(n++, o, v, 0);
  tensorCount = n;
  if (o >= 0x1_0000_0000) { required = o; return false; }
  NP = <i32>(o >> 2);
  let p: u64 = (__heap_base + 15) & ~15;
  params = <usize>p; p += o;
  slots = <usize>p;  p += o * <u64>slotCount;
  grads = <usize>p;  p += o;
  grads2 = <usize>p; if (b > 1) p += o;   // B = 1 is one shard: no room needed
  state = <usize>p;  p += bytes(<i64>b * layers * S * HP);
  xs = <usize>p;     p += bytes(<i64>(t + 1) * b);
  if (p >= 0x1_0000_0000) { required = p; return false; }
  p = layOutActivations(p, TRAIN_BASE, t, b);
  if (p >= 0x1_0000_0000) { required = p; return false; }
  p = layOutActivations(p, SAMPLER, 1, 1);
  if (CELL == CELL_RNN) {
    for (let l = 0; l < L; l++) store<u32>(SAMPLER + (<usize>(l * KINDS + K_DA) << 2), <u32>buf(SAMPLER, l, K_DH));
  }
  samplerState = <usize>p; p += bytes(<i64>layers * S * HP);
  biases = <usize>p; p += bytes(<i64>layers * 2 * GP);
  p = layOutPanels(p);
  sy = <usize>p;     p += bytes(VP);
  topk = <usize>p;   p += bytes(VP);
  out = <usize>p;    p += bytes(OUT_CAP);
  rng = <usize>p;    p += 16;
  data = <usize>p;
  dataLen = 0;
  valLen = 0;
  if (!ensure(p)) return false;
  bindShard(0);
  return true;
}

function addTensor(i: i32, o: u64, rows: i32, cols: i32): u64 {
  let at = TENSORS + <usize>i * 12;
  store<u32>(at, <u32>min(o, 0xffff_ffff));
  store<i32>(at, rows, 4);
  store<i32>(at, cols, 8);
  return o + bytes(<i64>rows * max(cols, 1));
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

/** Grows memory to hold `end` bytes; false beyond wasm32's 4 GiB or when the runtime refuses. */
function ensure(end: u64): bool {
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
