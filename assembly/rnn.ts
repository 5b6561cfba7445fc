// The vanilla tanh cell of min-char-rnn, one time step for N streams at once:
//   h[n] = tanh(Wxh[:, x_n] + Whh·h_prev[n] + bh)
// The one-hot input makes Wxh·x a column gather and dWxh += dhraw·xᵀ a column scatter.
// Stream n reads its input index at dataAt(at + n·stride) (char-rnn's B slices of the text).
// Hidden vectors are [N,HP]: streams one after another, each padded to HP lanes with zeros.
import { V, H, HP, params, grads, oWxh, oWhh, obh, dataAt } from "./layout";
import { matmulAcc, matmulTAcc, outerAcc, outerMatvecTAcc } from "./simd";
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

/** h[n] ← tanh(Wxh[:,x_n] + bh + Whh·hPrev[n]), x_n = dataAt(at + n·stride).   h, hPrev [N,HP] (distinct) */
export function rnnForward(h: usize, hPrev: usize, N: i32, at: i32, stride: i32): void {
  for (let n = 0; n < N; n++) inputColumn(h + (<usize>(n * HP) << 2), dataAt(at + n * stride));
  recurrence(h, hPrev, N);
}

/** One stream from a vocabulary index (the sampler).   h, hPrev [HP] (distinct) */
export function rnnStep(h: usize, hPrev: usize, x: i32): void {
  inputColumn(h, x);
  recurrence(h, hPrev, 1);
}

/**
 * Backward of rnnForward. dh holds dL/dh[t] on entry and dL/d(pre-activation) on exit.
 * dbh += Σ_n dhraw[n]; dWxh[:,x_n] += dhraw[n]; dWhh += Σ_n dhraw[n]⊗hPrev[n];
 * dhPrev[n] = Whhᵀ·dhraw[n] (overwritten).        dhPrev, dh, h, hPrev [N,HP]
 */
export function rnnBackward(dhPrev: usize, dh: usize, h: usize, hPrev: usize, N: i32, at: i32, stride: i32): void {
  let one = f32x4.splat(1.0);
  let bytes = <usize>(N * HP) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {       // [N·HP]: dhraw = (1 - h²)·dh
    let hv = v128.load(h + o);
    v128.store(dh + o, f32x4.mul(f32x4.sub(one, f32x4.mul(hv, hv)), v128.load(dh + o)));
  }
  let dbh = grads + obh;
  let rowBytes = <usize>V << 2;
  for (let n = 0; n < N; n++) {
    let d = dh + (<usize>(n * HP) << 2);
    for (let o: usize = 0; o < (<usize>HP << 2); o += 16) {  // [HP]: dbh += dhraw[n]
      v128.store(dbh + o, f32x4.add(v128.load(dbh + o), v128.load(d + o)));
    }
    let col = grads + oWxh + (<usize>dataAt(at + n * stride) << 2);
    for (let i = 0; i < H; i++) {                    // column x_n of dWxh [H,V]
      let c = col + <usize>i * rowBytes;
      store<f32>(c, load<f32>(c) + load<f32>(d + (<usize>i << 2)));
    }
  }
  memory.fill(dhPrev, 0, bytes);
  if (N == 1) {
    outerMatvecTAcc(grads + oWhh, dhPrev, params + oWhh, dh, hPrev, H, H);
  } else {
    outerAcc(grads + oWhh, dh, hPrev, H, H, N, HP, HP);
    matmulTAcc(dhPrev, params + oWhh, dh, H, H, N, HP, HP);
  }
}
