// The vanilla tanh cell of min-char-rnn for N streams:
//   h[t,n] = tanh(Wxh[:, x[t,n]] + Whh·h[t-1,n] + bh)
// The one-hot input makes Wxh·x a column gather and dWxh += dhraw·xᵀ a column scatter.
// Stream n's input at step t is dataAt(at + t + n·stride) (char-rnn's B slices of the text).
// Hidden vectors are [N,HP] per step, [T,N,HP] per window: each padded to HP lanes with zeros.
//
// Only the recurrence is sequential in t: the forward Whh·h[t-1] and the backward
// Whhᵀ·dhraw[t]. The weight gradients do not feed back, so rnnBackwardWeights sums them
// for the whole window at once (one pass over dWhh instead of T).
import { V, H, HP, params, oWxh, oWhh, obh, dataAt } from "./layout";
import { matmulAcc, matmulTAcc, outerAcc } from "./simd";
import { tanh4 } from "./fastmath";

/** h ← Wxh[:,x] + bh.   h [H] */
@inline function inputColumn(h: usize, x: i32): void {
  let col = params + oWxh + (<usize>x << 2);
  let rowBytes = <usize>V << 2;
  let bh = params + obh;
  for (let i = 0; i < H; i++) {                      // rows of Wxh [H,V], column x
    let o = <usize>i << 2;
    store<f32>(h + o, load<f32>(col + <usize>i * rowBytes) + load<f32>(bh + o));
  }
}

/** h ← tanh(h + Whh·hPrev) for N streams whose h already holds Wxh[:,x] + bh.   h, hPrev [N,HP] */
@inline function recurrence(h: usize, hPrev: usize, N: i32): void {
  matmulAcc(h, params + oWhh, hPrev, H, H, N, HP, HP);
  let end = h + (<usize>(N * HP) << 2);
  for (let p = h; p < end; p += 16) v128.store(p, tanh4(v128.load(p)));  // [N·HP], padding stays tanh(0) = 0
}

/** One step: h[n] ← tanh(Wxh[:,x_n] + bh + Whh·hPrev[n]), x_n = dataAt(at + n·stride).   h, hPrev [N,HP] (distinct) */
export function rnnForward(h: usize, hPrev: usize, N: i32, at: i32, stride: i32): void {
  for (let n = 0; n < N; n++) inputColumn(h + (<usize>(n * HP) << 2), dataAt(at + n * stride));
  recurrence(h, hPrev, N);
}

/** One step of one stream from a vocabulary index (the sampler).   h, hPrev [HP] (distinct) */
export function rnnStep(h: usize, hPrev: usize, x: i32): void {
  inputColumn(h, x);
  recurrence(h, hPrev, 1);
}

/**
 * Backward through one step's tanh and recurrence. dh holds dL/dh[t] on entry (the
 * decoder's part plus what step t+1 sent back) and becomes dhraw = (1 - h²)·dh, the
 * gradient of the pre-activation. If `propagate`, dhPrev += Whhᵀ·dhraw: dL/dh[t-1]
 * gathers the recurrence's part on top of the decoder's, already there.
 * dhPrev, dh, h [N,HP]
 */
export function rnnBackwardStep(dhPrev: usize, dh: usize, h: usize, N: i32, propagate: bool): void {
  let one = f32x4.splat(1.0);
  let bytes = <usize>(N * HP) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {       // [N·HP]
    let hv = v128.load(h + o);
    v128.store(dh + o, f32x4.mul(f32x4.sub(one, f32x4.mul(hv, hv)), v128.load(dh + o)));
  }
  if (propagate) matmulTAcc(dhPrev, params + oWhh, dh, H, H, N, HP, HP);
}

/**
 * The cell's weight gradients for a whole window, from dhraw of every step, into the
 * gradient buffer g (grads or grads2, the parameters' layout):
 * dbh += Σ dhraw[t,n]; dWxh[:,x[t,n]] += dhraw[t,n]; dWhh += Σ dhraw[t,n]⊗hPrev[t,n].
 * dh (dhraw), hPrev [steps,N,HP]
 */
export function rnnBackwardWeights(g: usize, dh: usize, hPrev: usize, steps: i32, N: i32, at: i32, stride: i32): void {
  let dbh = g + obh;
  let rowBytes = <usize>V << 2;
  for (let t = 0; t < steps; t++) {
    for (let n = 0; n < N; n++) {
      let d = dh + (<usize>((t * N + n) * HP) << 2);
      for (let o: usize = 0; o < (<usize>HP << 2); o += 16) {  // [HP]
        v128.store(dbh + o, f32x4.add(v128.load(dbh + o), v128.load(d + o)));
      }
      let col = g + oWxh + (<usize>dataAt(at + t + n * stride) << 2);
      for (let i = 0; i < H; i++) {                  // column x[t,n] of dWxh [H,V]
        let c = col + <usize>i * rowBytes;
        store<f32>(c, load<f32>(c) + load<f32>(d + (<usize>i << 2)));
      }
    }
  }
  outerAcc(g + oWhh, dh, hPrev, H, H, steps * N, HP, HP);
}
