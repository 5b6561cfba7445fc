// Clipping and Adagrad over the whole flat parameter buffer in one SIMD loop: grads,
// Adagrad memory and params share one layout, so no per-tensor bookkeeping is needed.
import { NP, params, grads, mem } from "./layout";

/** g ← clamp(g, -clip, clip)   over all NP gradient floats */
export function clipGrads(clip: f32): void {
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip);
  for (let i = 0; i < NP; i += 4) {
    let g = grads + (<usize>i << 2);
    v128.store(g, clamp4(v128.load(g), lo, hi));
  }
}

/** clamp(g, lo, hi) per lane; pmin/pmax are single instructions and keep a NaN g NaN. */
@inline function clamp4(g: v128, lo: v128, hi: v128): v128 {
  return f32x4.pmin(f32x4.pmax(g, lo), hi);
}

/**
 * 1/√x per lane for x ≥ 1e-8: the bit-trick estimate and two Newton steps (each squares
 * the relative error: 1.8e-3, 5e-6, then float rounding, a few ulp). Plain mul/sub, so it
 * is deterministic; it replaces sqrt + div, the two slowest instructions of the update.
 */
@inline function rsqrt4(x: v128): v128 {
  let y = i32x4.sub(i32x4.splat(0x5f375a86), i32x4.shr_u(x, 1));
  let hx = f32x4.mul(x, f32x4.splat(0.5)), c = f32x4.splat(1.5);
  y = f32x4.mul(y, f32x4.sub(c, f32x4.mul(hx, f32x4.mul(y, y))));
  return f32x4.mul(y, f32x4.sub(c, f32x4.mul(hx, f32x4.mul(y, y))));
}

/**
 * Per element: d = clamp(g, -clip, clip); m += d²; p += -lr·d / √(m + 1e-8); g = 0.
 * Zero padding lanes stay zero (d = 0).          params, grads, mem [NP]
 */
export function clipAdagrad(lr: f32, clip: f32): void {
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip);
  let nlr = f32x4.splat(-lr), eps = f32x4.splat(1e-8);
  let zero = f32x4.splat(0);
  let end = <usize>NP << 2;
  for (let o: usize = 0; o < end; o += 16) {
    let d = clamp4(v128.load(grads + o), lo, hi);
    let m = f32x4.add(v128.load(mem + o), f32x4.mul(d, d));
    v128.store(mem + o, m);
    let p = params + o;
    v128.store(p, f32x4.add(v128.load(p), f32x4.mul(f32x4.mul(nlr, d), rsqrt4(f32x4.add(m, eps)))));
    v128.store(grads + o, zero);
  }
}
