// The phases of one iteration for N threads, each on its own instance of the core and
// each running a contiguous range of the model's shards (train.ts), in step through a
// SharedArrayBuffer the host owns (src/threads/exchange.ts). One export, phase(k, a, b, x),
// runs phase k; per iteration, thread t calls:
//   BEGIN                          the wrap rule and dropout's masks (every instance draws them all)
//   SHARD a, for each of its shards  shard a's gradients into SHARD_GRADS; returns its loss
//   -- all shards published --
//   the fold of its slice [a, b) of the parameters: the host copies shard 0's part into
//   GRADS, then each later shard's into SHARD_GRADS and calls FOLD a b, in shard order
//   VERDICT x (the loss summed in shard order), then with clip-norm on: NORMS a b
//   -- all block sums published: the host copies them all into BLOCK_SUMS -- COEF
//   PROVE a b x (x: COEF's factor)  -- every thread's answer published --
//   WRITE a b x                    the host publishes the slice and BOUNDS
//   -- all slices published: the host copies the others in, the largest BOUNDS -- SET_BOUNDS
//   COMMIT a b (its shards)
// and START before and after a call's iterations. Slices are whole blocks of NORM_BLOCK
// floats, and everything summed over the parameters is summed per block and then in
// block order, so every phase gives the bytes that one thread gets running all of them
// in train(n).
import { NP, SHARDS, grads, grads2 } from "./layout";
import { wrap, lossFun, lossVerdict, refuse, commit, updateFinite, writeUpdate, startCall, clip, clipNorm } from "./train";
import { addGradients, blockNorms, normFromBlocks, boundWeight, boundSum, setBounds } from "./optim";

export const PHASE_START = 0;
export const PHASE_BEGIN = 1;
export const PHASE_SHARD = 2;
export const PHASE_FOLD = 3;
export const PHASE_VERDICT = 4;
export const PHASE_NORMS = 5;
export const PHASE_COEF = 6;
export const PHASE_PROVE = 7;
export const PHASE_WRITE = 8;
export const PHASE_SET_BOUNDS = 9;
export const PHASE_REFUSE = 10;
export const PHASE_COMMIT = 11;

/** Adagrad's bounds: WRITE leaves its slice's largest |weight| and sum here; SET_BOUNDS takes the host's (the largest of all). [2] f32 */
export const BOUNDS: usize = memory.data(8, 8);

/** Where SHARD leaves a shard's gradients: grads2, or grads when the model has one shard (it has no grads2 then). */
export function shardBuffer(): usize { return SHARDS > 1 ? grads2 : grads; }

/** Runs phase k (PHASE_*) with its arguments: a range [a, b) of shards or floats, a shard a, a number x. */
export function phase(k: i32, a: i32, b: i32, x: f64): f64 {
  switch (k) {
    case PHASE_START: startCall(); return 0;
    case PHASE_BEGIN: wrap(); return 0;
    case PHASE_SHARD: {
      memory.fill(shardBuffer(), 0, <usize>NP << 2);
      return lossFun(a, shardBuffer());
    }
    case PHASE_FOLD: addGradients(a, b); return 0;
    case PHASE_VERDICT: return lossVerdict(x);
    case PHASE_NORMS: blockNorms(a, b, clip); return 0;
    case PHASE_COEF: return clipNorm == Infinity ? 1 : normFromBlocks(clipNorm);
    case PHASE_PROVE: return updateFinite(a, b, <f32>x) ? 1 : 0;
    case PHASE_WRITE: {
      writeUpdate(a, b, <f32>x);
      store<f32>(BOUNDS, boundWeight());
      store<f32>(BOUNDS, boundSum(), 4);
      return 0;
    }
    case PHASE_SET_BOUNDS: setBounds(load<f32>(BOUNDS), load<f32>(BOUNDS, 4)); return 0;
    case PHASE_REFUSE: return refuse(a);
    case PHASE_COMMIT: return commit(a, b);
    default: return NaN;
  }
}
