// Where everything lives in linear memory (llm.c-style: one flat buffer per role).
//
// Dimension letters, fixed once for the whole core:
//   V vocabulary size, H hidden size, T time steps per window, B parallel streams.
// Every tensor is f32, row-major, and starts on a 16-byte boundary. Vectors that
// elementwise SIMD loops touch are padded to HP = H rounded up to 4 lanes (likewise VP);
// the padding lanes stay 0.
//
// Parameters, gradients and Adagrad memory share one layout, so clipping, the update
// and zeroing are one loop over NP floats. With B ≥ 2 the streams form two shards,
// [0, B/2) and [B/2, B), each with its gradient buffer (grads, grads2) and its own block
// of the activation buffers, so two threads can each run one (see train.ts). The order follows PyTorch's state dict:
//   rnn.weight_ih_l0 [H,V]   rnn.weight_hh_l0 [H,H]   rnn.bias_ih_l0 [H]
//   rnn.bias_hh_l0   [H] (kept 0: the reference has one hidden bias)
//   decoder.weight   [V,H]   decoder.bias [V]

export let V: i32 = 0;
export let H: i32 = 0;
export let T: i32 = 0;
export let B: i32 = 0;
export let HP: i32 = 0;
export let VP: i32 = 0;

// Byte offsets of each tensor inside the parameter layout (add params/grads/mem).
export let oWxh: usize = 0;
export let oWhh: usize = 0;
export let obh: usize = 0;
export let obhh: usize = 0;
export let oWhy: usize = 0;
export let oby: usize = 0;
export let NP: i32 = 0; // floats in one layout, a multiple of 4

// Absolute byte addresses of the regions.
export let params: usize = 0;
export let grads: usize = 0;  // shard 0's gradients, then the sum of both shards'
export let grads2: usize = 0; // shard 1's gradients (B ≥ 2 only); zero between iterations
export let mem: usize = 0;
export let hprev: usize = 0; // [B,HP]   hidden state carried between windows
// The activation buffers hold one block per shard of N streams, the shard from stream b0
// starting at b0·(T+1)·HP floats in hs (b0·T·VP in ps, b0·T·HP in dh); with B = 1 the
// one block is the whole buffer.
export let hs: usize = 0;    // [T+1,N,HP] per shard: h[t-1] for t = 0..T; hs[0] is hprev's copy
export let ps: usize = 0;    // [T,N,VP] per shard: softmax probabilities, then dy in backward
export let dh: usize = 0;    // [T,N,HP] per shard: dL/dh[t], then dL/d(pre-activation), per step; the sampler's next h
export let sh: usize = 0;    // [HP]     sampler's hidden state
export let sy: usize = 0;    // [VP]     sampler's logits / probabilities
export let topk: usize = 0;  // [VP]     sampler's scratch for top-k
export let out: usize = 0;   // [OUT_CAP] u32 sampled indices
export let rng: usize = 0;   // [4] u32 PRNG state
export let data: usize = 0;  // [dataLen + valLen] text as vocab indices (u8, u16 or u32): training, then held-out
export let dataLen: i32 = 0;
export let valLen: i32 = 0;  // held-out (validation) indices right after the training ones: dataAt(dataLen + i)
export let dataShift: i32 = 0; // log2 of the index width in bytes

export const OUT_CAP: i32 = 4096;

@inline function pad4(n: i32): i32 { return (n + 3) & ~3; }
// Sizes are summed in 64 bits: a large model's products (H·V, T·B·V) and totals can pass
// 2^32, and a wrapped 32-bit sum would lay regions over each other without a word.
@inline function bytes(floats: i64): u64 { return <u64>((floats + 3) & ~3) << 2; }

/** Bytes of linear memory the last layout or reservation asked for (reported when it failed). */
export let required: u64 = 0;

/** Fixes the sizes and lays out every region below data. Returns false if memory cannot grow. */
export function layout(v: i32, h: i32, t: i32, b: i32): bool {
  V = v; H = h; T = t; B = b;
  HP = pad4(h); VP = pad4(v);
  let o: u64 = 0;
  oWxh = <usize>o; o += bytes(<i64>h * v);
  oWhh = <usize>o; o += bytes(<i64>h * h);
  obh = <usize>o;  o += bytes(h);
  obhh = <usize>o; o += bytes(h);
  oWhy = <usize>o; o += bytes(<i64>v * h);
  oby = <usize>o;  o += bytes(v);
  NP = <i32>(o >> 2);
  let p: u64 = (__heap_base + 15) & ~15;
  params = <usize>p; p += o;
  grads = <usize>p;  p += o;
  grads2 = <usize>p; if (b > 1) p += o;   // B = 1 is one shard: no room needed
  mem = <usize>p;    p += o;
  hprev = <usize>p;  p += bytes(<i64>b * HP);
  hs = <usize>p;     p += bytes(<i64>(t + 1) * b * HP);
  ps = <usize>p;     p += bytes(<i64>t * b * VP);
  dh = <usize>p;     p += bytes(<i64>t * b * HP);
  sh = <usize>p;     p += bytes(HP);
  sy = <usize>p;     p += bytes(VP);
  topk = <usize>p;   p += bytes(VP);
  out = <usize>p;    p += bytes(OUT_CAP);
  rng = <usize>p;    p += 16;
  data = <usize>p;
  dataLen = 0;
  valLen = 0;
  return ensure(p); // on false nothing above is used: the host discards the instance
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
