// Decoder and softmax cross-entropy: y = Why·h + by, p = softmax(y), loss = -ln p[target].
import { V, H, params, grads, oWhy, oby } from "./layout";
import { matvecAcc, matvecTAcc, outerAcc } from "./simd";
import { exp4, expf } from "./fastmath";

/**
 * p ← softmax(scale·y) in place over n logits (the max is subtracted first, unlike the
 * reference, so large logits cannot overflow). Returns ln Σ exp(scale·y) in f64.   y [n]
 */
export function softmax(y: usize, n: i32, scale: f32): f64 {
  let n4 = n & ~3;
  let mv = f32x4.splat(-Infinity);
  for (let i = 0; i < n4; i += 4) mv = f32x4.max(mv, v128.load(y + (<usize>i << 2)));
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

/** p ← softmax(Why·h + by); returns -ln p[target] in f64.   p [V], h [H] */
export function decoderForward(p: usize, h: usize, target: i32): f64 {
  memory.copy(p, params + oby, <usize>V << 2);
  matvecAcc(p, params + oWhy, h, V, H);
  let yTarget = <f64>load<f32>(p + (<usize>target << 2));
  return softmax(p, V, 1.0) - yTarget;
}

/**
 * dy = scale·(p - onehot(target)), written over p; dWhy += dy⊗h; dby += dy; dh += Whyᵀ·dy.
 * p [V], h [H], dh [H]
 */
export function decoderBackward(dh: usize, p: usize, h: usize, target: i32, scale: f32): void {
  let pt = p + (<usize>target << 2);
  store<f32>(pt, load<f32>(pt) - 1.0);
  if (scale != 1.0) {
    for (let i = 0; i < V; i++) store<f32>(p + (<usize>i << 2), load<f32>(p + (<usize>i << 2)) * scale);
  }
  outerAcc(grads + oWhy, p, h, V, H);
  let dby = grads + oby;
  for (let i = 0; i < V; i++) {
    let o = <usize>i << 2;
    store<f32>(dby + o, load<f32>(dby + o) + load<f32>(p + o));
  }
  matvecTAcc(dh, params + oWhy, p, V, H);
}
