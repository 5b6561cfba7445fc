// The vanilla tanh cell of min-char-rnn, over a window of T steps for N streams:
//   h[t] = tanh(Wxh·x[t] + bh + Whh·h[t-1])
// Wxh·x[t] + bh (net.ts: a column gather for the one-hot input, a matrix product above)
// is already in hs[t+1] when rnnForward runs: only the recurrence is step by step.
// hs [T+1,N,HP]: hs[0] is the carried state, hs[t+1] = h[t]. The cell has one bias: the
// reference's bh is bias_ih, and bias_hh stays zero and untrained.
//
// The weight gradients do not feed back, so dWhh is summed for the whole window at once
// (one pass over dWhh instead of T).
import { H, HP } from "./layout";
import { matmulAcc, matmulTAcc, outerAcc } from "./simd";
import { tanh4 } from "./fastmath";

/** hs[t+1] ← tanh(hs[t+1] + Whh·hs[t]) for t = 0..T-1.   hs [T+1,N,HP], Whh [H,H] (P its row panels, or 0) */
export function rnnForward(hs: usize, Whh: usize, P: usize, T: i32, N: i32): void {
  let stepBytes = <usize>(N * HP) << 2;
  for (let t = 0; t < T; t++) {
    let h = hs + <usize>(t + 1) * stepBytes;
    matmulAcc(h, Whh, P, h - stepBytes, H, H, N, HP, HP);
    let end = h + stepBytes;
    for (let p = h; p < end; p += 16) v128.store(p, tanh4(v128.load(p)));  // padding stays tanh(0) = 0
  }
}

/**
 * BPTT through the window. dh holds dL/dh[t] from above (the decoder or the next layer)
 * on entry and becomes dhraw = (1 - h²)·dh, the gradient of the pre-activation, step by
 * step from the last: dh[t-1] += Whhᵀ·dhraw[t] gathers the recurrence's part on top of
 * what was there. Then dWhh += Σ dhraw[t] ⊗ h[t-1].
 * dh [T,N,HP], hs [T+1,N,HP], Whh and dWhh [H,H] (Q: Whh's column panels, or 0)
 */
export function rnnBackward(dh: usize, hs: usize, Whh: usize, Q: usize, dWhh: usize, T: i32, N: i32): void {
  let one = f32x4.splat(1.0);
  let stepBytes = <usize>(N * HP) << 2;
  for (let t = T - 1; t >= 0; t--) {
    let d = dh + <usize>t * stepBytes;
    let h = hs + <usize>(t + 1) * stepBytes;
    for (let o: usize = 0; o < stepBytes; o += 16) {   // [N·HP]
      let hv = v128.load(h + o);
      v128.store(d + o, f32x4.mul(f32x4.sub(one, f32x4.mul(hv, hv)), v128.load(d + o)));
    }
    if (t > 0) matmulTAcc(d - stepBytes, Whh, Q, d, H, H, N, HP, HP);
  }
  outerAcc(dWhh, dh, hs, H, H, T * N, HP, HP);
}
