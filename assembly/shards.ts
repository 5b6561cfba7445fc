// The phases of one iteration for N threads, each on its own instance of the core and
// each running a contiguous range of the model's shards (train.ts), in step through a
// SharedArrayBuffer the host owns (src/threads/exchange.ts). Per iteration, thread t:
//   beginIteration                      the wrap rule and dropout's masks (every instance draws them all)
//   shardGradients(s) for its shards    each into grads2; the host publishes them and the losses
//   -- all shards published --
//   the fold of its slice of the parameters: the host copies shard 0's part into grads,
//   then each later shard's into grads2 and calls addGradients(from, to), in shard order
//   lossVerdict(loss summed in shard order), then with clip-norm on: sliceNorms(from, to)
//   -- all block sums published: the host copies them all in -- sliceCoef()
//   updateFinite(from, to, coef)        -- every thread's answer published --
//   writeUpdate(from, to, coef)         the host publishes the slice and boundWeight/boundSum
//   -- all slices published: the host copies the others in, setBounds(the largest) --
//   commit(its shards)
// Slices are whole blocks of NORM_BLOCK floats, and everything summed over the parameters
// is summed per block and then in block order, so every step gives the bytes that one
// thread gets running all of them in train(n).
import { NP, NORM_BLOCK, SHARDS, grads, grads2, blockSums } from "./layout";
import { wrap, lossFun, clip, clipNorm } from "./train";
import { blockNorms, normFromBlocks } from "./optim";

export { lossVerdict, refuse, commit, updateFinite, writeUpdate, startCall } from "./train";
export { addGradients, boundWeight, boundSum, setBounds } from "./optim";

/** The first phase: the wrap rule, the window's symbols and dropout's masks. */
export function beginIteration(): void { wrap(); }

// Where shardGradients leaves a shard's gradients: grads2, or grads when the model has
// one shard (it has no grads2 then, and the fold of one shard is a copy).
@inline function shardBuffer(): usize { return SHARDS > 1 ? grads2 : grads; }

/** Shard s's gradients into shardBuffer (cleared first) for the host to publish; returns its summed loss. */
export function shardGradients(s: i32): f64 {
  memory.fill(shardBuffer(), 0, <usize>NP << 2);
  return lossFun(s, shardBuffer());
}

/** The norm's sums of the blocks in [from, to) of the folded gradients, into blockSums. */
export function sliceNorms(from: i32, to: i32): void { blockNorms(from, to, clip); }

/** clip_grad_norm_'s factor from every block's sum (the host copied the other threads' in); 1 when off. */
export function sliceCoef(): f32 { return clipNorm == Infinity ? 1 : normFromBlocks(clipNorm); }

/** Floats per block of the norm: slices start and end on these (the last ends at NP). */
export function normBlock(): i32 { return NORM_BLOCK; }

// Regions the host copies through the exchange.
/** Where shardGradients leaves a shard's gradients, and where the fold takes each later shard's. */
export function shardGradsPtr(): usize { return shardBuffer(); }
export function blockSumsPtr(): usize { return blockSums; }
