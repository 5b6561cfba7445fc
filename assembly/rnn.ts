// The vanilla tanh cell of min-char-rnn, one time step at a time:
//   h[t] = tanh(Wxh[:, x[t]] + Whh·h[t-1] + bh)
// The one-hot input makes Wxh·x a column gather and dWxh += dhraw·xᵀ a column scatter.
import { V, H, HP, params, grads, oWxh, oWhh, obh } from "./layout";
import { matvecAcc, matvecTAcc, outerAcc } from "./simd";
import { tanh4 } from "./fastmath";

/** h ← tanh(Wxh[:,x] + bh + Whh·hPrev).   h [HP], hPrev [HP] (distinct buffers) */
export function rnnForward(h: usize, hPrev: usize, x: i32): void {
  let col = params + oWxh + (<usize>x << 2);
  let rowBytes = <usize>V << 2;
  let bh = params + obh;
  for (let i = 0; i < H; i++) {
    let o = <usize>i << 2;
    store<f32>(h + o, load<f32>(col + <usize>i * rowBytes) + load<f32>(bh + o));
  }
  matvecAcc(h, params + oWhh, hPrev, H, H);
  for (let i = 0; i < HP; i += 4) {
    let p = h + (<usize>i << 2);
    v128.store(p, tanh4(v128.load(p)));
  }
}

/**
 * Backward of rnnForward. dh holds dL/dh[t] on entry and dL/d(pre-activation) on exit.
 * dbh += dhraw; dWxh[:,x] += dhraw; dWhh += dhraw⊗hPrev; dhPrev = Whhᵀ·dhraw.
 * dhPrev, dh, h, hPrev [HP]
 */
export function rnnBackward(dhPrev: usize, dh: usize, h: usize, hPrev: usize, x: i32): void {
  let one = f32x4.splat(1.0);
  for (let i = 0; i < HP; i += 4) {
    let o = <usize>i << 2;
    let hv = v128.load(h + o);
    v128.store(dh + o, f32x4.mul(f32x4.sub(one, f32x4.mul(hv, hv)), v128.load(dh + o)));
  }
  let dbh = grads + obh;
  let col = grads + oWxh + (<usize>x << 2);
  let rowBytes = <usize>V << 2;
  for (let i = 0; i < H; i++) {
    let o = <usize>i << 2;
    let d = load<f32>(dh + o);
    store<f32>(dbh + o, load<f32>(dbh + o) + d);
    let c = col + <usize>i * rowBytes;
    store<f32>(c, load<f32>(c) + d);
  }
  outerAcc(grads + oWhh, dh, hPrev, H, H);
  memory.fill(dhPrev, 0, <usize>HP << 2);
  matvecTAcc(dhPrev, params + oWhh, dh, H, H);
}
