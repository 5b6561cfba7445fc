// Decoder and softmax cross-entropy:
//   y[t,n] = Why·h[t,n] + by, p[t,n] = softmax(y[t,n]), loss = Σ -ln p[t,n][target[t,n]].
// Nothing here is recurrent, so a whole window (steps × N streams) is one matrix product.
// Stream n's target at step t is the symbol at row t of y [steps, ld] (net.ts: the window's
// xs from its second row). p is [steps,N,VP], h [steps,N,HP]; Why [V,H] and by [V] are
// the weights, dWhy and dby their gradients.
import { V, H, HP, VP, symbolAt } from "./layout";
import { matmulAcc, matmulTAcc, outerAcc } from "./simd";
import { decoderMatrix, rowPanels, colPanels } from "./panels";
import { exp4, expf } from "./fastmath";

/**
 * p ← softmax(scale·y) in place over n logits (the max is subtracted first, unlike the
 * reference, so large logits cannot overflow). Returns ln Σ exp(scale·y) in f64.   y [n]
 */
export function softmax(y: usize, n: i32, scale: f32): f64 {
  let n4 = n & ~3;
  let mv = f32x4.splat(-Infinity);
  // pmax is one instruction (max is six: NaN and ±0 rules); a NaN logit still makes the sum NaN below.
  for (let i = 0; i < n4; i += 4) mv = f32x4.pmax(mv, v128.load(y + (<usize>i << 2)));
  let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
              max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  for (let i = n4; i < n; i++) m = max(m, load<f32>(y + (<usize>i << 2)));
  let sv = f32x4.splat(scale), shift = f32x4.splat(m * scale);
  let acc = f32x4.splat(0);
  for (let i = 0; i < n4; i += 4) {
    let p = y + (<usize>i << 2);
    let e = exp4(f32x4.sub(f32x4.mul(v128.load(p), sv), shift));
    v128.store(p, e);
    acc = f32x4.add(acc, e);
  }
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) +
            f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (let i = n4; i < n; i++) {
    let p = y + (<usize>i << 2);
    let e = expf(load<f32>(p) * scale - m * scale);
    store<f32>(p, e);
    sum += e;
  }
  let inv = f32x4.splat(1.0 / sum);
  for (let i = 0; i < n4; i += 4) {
    let p = y + (<usize>i << 2);
    v128.store(p, f32x4.mul(v128.load(p), inv));
  }
  let invs: f32 = 1.0 / sum;
  for (let i = n4; i < n; i++) {
    let p = y + (<usize>i << 2);
    store<f32>(p, load<f32>(p) * invs);
  }
  return <f64>(m * scale) + Math.log(<f64>sum);
}

/** y ← Why·h + by for N streams (logits, before softmax).   y [N,VP], h [N,HP] */
export function decoderLogits(y: usize, h: usize, Why: usize, by: usize, N: i32): void {
  for (let n = 0; n < N; n++) memory.copy(y + (<usize>(n * VP) << 2), by, <usize>V << 2);
  matmulAcc(y, Why, rowPanels(decoderMatrix()), h, V, H, N, VP, HP);
}

/** p[t,n] ← softmax(Why·h[t,n] + by); returns Σ -ln p[t,n][target[t,n]] in f64.   p [steps,N,VP], h [steps,N,HP] */
export function decoderForward(p: usize, h: usize, Why: usize, by: usize, y: usize, ld: i32, steps: i32, N: i32): f64 {
  decoderLogits(p, h, Why, by, steps * N);
  let loss: f64 = 0;
  for (let t = 0; t < steps; t++) {
    for (let n = 0; n < N; n++) {
      let pn = p + (<usize>((t * N + n) * VP) << 2);
      let yTarget = <f64>load<f32>(pn + (<usize>symbolAt(y, ld, t, n) << 2));
      loss += softmax(pn, V, 1.0) - yTarget;
    }
  }
  return loss;
}

/**
 * dy[t,n] = scale·(p[t,n] - onehot(target[t,n])), written over p; dby += Σ dy;
 * dWhy += Σ dy[t,n]⊗h[t,n]; dh[t,n] += Whyᵀ·dy[t,n].
 * p [steps,N,VP], h, dh [steps,N,HP]
 */
export function decoderBackward(dWhy: usize, dby: usize, dh: usize, p: usize, h: usize, Why: usize,
                                y: usize, ld: i32, steps: i32, N: i32, scale: f32): void {
  let sv = f32x4.splat(scale);
  for (let t = 0; t < steps; t++) {
    for (let n = 0; n < N; n++) {
      let pn = p + (<usize>((t * N + n) * VP) << 2);
      let pt = pn + (<usize>symbolAt(y, ld, t, n) << 2);
      store<f32>(pt, load<f32>(pt) - 1.0);
      for (let o: usize = 0; o < (<usize>VP << 2); o += 16) {   // [VP]: padding lanes are 0
        let d = v128.load(pn + o);
        if (scale != 1.0) { d = f32x4.mul(d, sv); v128.store(pn + o, d); }
        v128.store(dby + o, f32x4.add(v128.load(dby + o), d));
      }
    }
  }
  let K = steps * N;
  outerAcc(dWhy, p, h, V, H, K, VP, HP);
  matmulTAcc(dh, Why, colPanels(decoderMatrix()), p, V, H, K, HP, VP);
}
