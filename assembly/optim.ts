// Clipping and the optimizers over the whole flat parameter buffer, one SIMD loop each:
// grads, params and every optimizer slot share one layout, so no per-tensor bookkeeping
// is needed. Adagrad is min-char-rnn's (eps inside the sqrt); Adam and RMSProp are
// torch.optim's (eps outside it), ../shared/reference/pytorch.md.
//
// Clipping, in this order: elementwise to [-clip, clip] (the reference's), then by the
// global L2 norm of those gradients (clip_grad_norm_'s: coef = min(1, max/(total + 1e-6))),
// applied as one factor `coef` inside each update loop (1 when off: exact).
import { NP, params, grads, grads2, slots as mem } from "./layout";

/** grads ← grads + grads2 (shard 0's plus shard 1's, in that order); grads2 ← 0.   [NP] */
export function addShardGradients(): void {
  let zero = f32x4.splat(0);
  let end = <usize>NP << 2;
  for (let o: usize = 0; o < end; o += 16) {
    v128.store(grads + o, f32x4.add(v128.load(grads + o), v128.load(grads2 + o)));
    v128.store(grads2 + o, zero);
  }
}

/** g ← clamp(g, -clip, clip)   over all NP gradient floats */
export function clipGrads(clip: f32): void {
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip);
  for (let i = 0; i < NP; i += 4) {
    let g = grads + (<usize>i << 2);
    v128.store(g, clamp4(v128.load(g), lo, hi));
  }
}

/** g ← g·coef   over all NP gradient floats (the gradients() hook's norm clip) */
export function scaleGrads(coef: f32): void {
  let k = f32x4.splat(coef);
  for (let i = 0; i < NP; i += 4) {
    let g = grads + (<usize>i << 2);
    v128.store(g, f32x4.mul(v128.load(g), k));
  }
}

/** clamp(g, lo, hi) per lane; pmin/pmax are single instructions and keep a NaN g NaN. */
@inline function clamp4(g: v128, lo: v128, hi: v128): v128 {
  return f32x4.pmin(f32x4.pmax(g, lo), hi);
}

// A step moves a weight by at most lr (|d| / √(m + d²) ≤ 1) and an Adagrad sum by at most
// clip². While the largest |weight| and sum (tracked by the update itself) stay below SAFE,
// finite gradients give a finite update, so one cheap read of the gradients suffices.
// Otherwise (first update of a train call, huge lr, clip = Infinity) a read-only pass
// proves the whole update finite before anything is written: a diverging step leaves the
// weights and sums exactly as they were.
const SAFE: f32 = 1e30;
let maxWeight: f32 = Infinity;
let maxSum: f32 = Infinity;

/** Forgets the tracked bounds: the host may have written weights or sums since the last update. */
export function forgetBounds(): void {
  maxWeight = Infinity;
  maxSum = Infinity;
}

/** x - x is 0 for finite lanes and NaN for ±Infinity and NaN; a sum of such lanes stays 0 only if all were finite. */
@inline function allZero(acc: v128): bool {
  return i32x4.all_true(f32x4.eq(acc, f32x4.splat(0)));
}

function gradsFinite(): bool {
  let acc = f32x4.splat(0);
  let end = <usize>NP << 2;
  for (let o: usize = 0; o < end; o += 16) {
    let g = v128.load(grads + o);
    acc = f32x4.add(acc, f32x4.sub(g, g));
  }
  return allZero(acc);
}

/** The update clipAdagrad would make, computed without storing: true if every new weight and sum is finite. */
function updateFinite(lr: f32, clip: f32, coef: f32): bool {
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip), k = f32x4.splat(coef);
  let nlr = f32x4.splat(-lr), eps = f32x4.splat(1e-8);
  let acc = f32x4.splat(0);
  let end = <usize>NP << 2;
  for (let o: usize = 0; o < end; o += 16) {
    let d = f32x4.mul(clamp4(v128.load(grads + o), lo, hi), k);
    let m = f32x4.add(v128.load(mem + o), f32x4.mul(d, d));
    let p = f32x4.add(v128.load(params + o), f32x4.div(f32x4.mul(nlr, d), f32x4.sqrt(f32x4.add(m, eps))));
    acc = f32x4.add(acc, f32x4.add(f32x4.sub(m, m), f32x4.sub(p, p)));
  }
  return allZero(acc);
}

/**
 * Per element: d = clamp(g, -clip, clip)·coef; m += d²; p += -lr·d / √(m + 1e-8); g = 0.
 * Zero padding lanes stay zero (d = 0). Returns false, writing nothing, if any new weight
 * or sum would not be finite.          params, grads, mem [NP]
 */
export function clipAdagrad(lr: f32, clip: f32, coef: f32): bool {
  let bounded = maxWeight + lr < SAFE && maxSum + clip * clip < SAFE;   // coef ≤ 1 only shrinks d
  if (!(bounded ? gradsFinite() : updateFinite(lr, clip, coef))) return false;
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip), k = f32x4.splat(coef);
  let nlr = f32x4.splat(-lr), eps = f32x4.splat(1e-8);
  let zero = f32x4.splat(0);
  let wmax = zero, smax = zero;
  let end = <usize>NP << 2;
  for (let o: usize = 0; o < end; o += 16) {
    let d = f32x4.mul(clamp4(v128.load(grads + o), lo, hi), k);
    let m = f32x4.add(v128.load(mem + o), f32x4.mul(d, d));
    v128.store(mem + o, m);
    let p = params + o;
    // sqrt + div: a bit-trick rsqrt with two Newton steps measured 40% slower in V8.
    let w = f32x4.add(v128.load(p), f32x4.div(f32x4.mul(nlr, d), f32x4.sqrt(f32x4.add(m, eps))));
    v128.store(p, w);
    v128.store(grads + o, zero);
    wmax = f32x4.pmax(wmax, f32x4.abs(w)); // pmax: one instruction; every lane is finite here
    smax = f32x4.pmax(smax, m);
  }
  maxWeight = hmax(wmax);
  maxSum = hmax(smax);
  return true;
}

@inline function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/**
 * clip_grad_norm_'s factor for the elementwise-clipped gradients: min(1, maxNorm / (‖g‖₂ + 1e-6)),
 * the norm over every parameter at once (the norm of the per-tensor norms is the same
 * number). Summed in f64 lane by lane; Infinity (off) gives 1 without reading anything.
 */
export function normCoef(clip: f32, maxNorm: f32): f32 {
  if (maxNorm == Infinity) return 1;
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip);
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let end = <usize>NP << 2;
  for (let o: usize = 0; o < end; o += 16) {
    let d = clamp4(v128.load(grads + o), lo, hi);
    let lowPair = f64x2.promote_low_f32x4(d);
    let highPair = f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 0, 1));
    a = f64x2.add(a, f64x2.mul(lowPair, lowPair));
    b = f64x2.add(b, f64x2.mul(highPair, highPair));
  }
  let s = f64x2.add(a, b);
  let total = Math.sqrt(f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  return <f32>Math.min(1.0, <f64>maxNorm / (total + 1e-6));
}

// Adam and RMSProp prove the whole update finite in a read-only pass before writing it
// (a step's size has no bound as simple as Adagrad's). The pass costs one more read of
// the buffers: against a window's forward and backward it is a fraction of a percent.

/**
 * torch.optim.Adam (no weight decay, not amsgrad), per element with d = clamp(g)·coef:
 *   m = β1·m + (1−β1)·d;  v = β2·v + (1−β2)·d²;  p −= stepSize · m / (√v / bc2 + eps);  g = 0
 * with stepSize = lr / (1 − β1^step) and bc2 = √(1 − β2^step) for this step's count (≥ 1),
 * as torch computes them (in f64, then used as f32 scalars). Returns false, writing
 * nothing, if a weight or a moment would not be finite.     params, grads, m, v [NP]
 */
export function clipAdam(lr: f32, clip: f32, coef: f32, beta1: f64, beta2: f64, eps: f32, step: f64): bool {
  let stepSize = <f32>(<f64>lr / (1.0 - Math.pow(beta1, step)));
  let bc2 = <f32>Math.sqrt(1.0 - Math.pow(beta2, step));
  let m0 = mem, v0 = mem + (<usize>NP << 2);
  let end = <usize>NP << 2;
  for (let pass = 0; pass < 2; pass++) {
    let lo = f32x4.splat(-clip), hi = f32x4.splat(clip), k = f32x4.splat(coef);
    let b1 = f32x4.splat(<f32>beta1), c1 = f32x4.splat(<f32>(1 - beta1)), b2 = f32x4.splat(<f32>beta2), c2 = f32x4.splat(<f32>(1 - beta2));
    let nstep = f32x4.splat(-stepSize), bc = f32x4.splat(bc2), e = f32x4.splat(eps);
    let acc = f32x4.splat(0), zero = f32x4.splat(0);
    for (let o: usize = 0; o < end; o += 16) {
      let d = f32x4.mul(clamp4(v128.load(grads + o), lo, hi), k);
      let m = f32x4.add(f32x4.mul(v128.load(m0 + o), b1), f32x4.mul(d, c1));
      let v = f32x4.add(f32x4.mul(v128.load(v0 + o), b2), f32x4.mul(f32x4.mul(d, c2), d));  // addcmul: v + (value·g)·g
      let denom = f32x4.add(f32x4.div(f32x4.sqrt(v), bc), e);
      let p = f32x4.add(v128.load(params + o), f32x4.mul(f32x4.div(m, denom), nstep));
      if (pass == 0) {
        acc = f32x4.add(acc, f32x4.add(f32x4.sub(p, p), f32x4.add(f32x4.sub(m, m), f32x4.sub(v, v))));
      } else {
        v128.store(m0 + o, m);
        v128.store(v0 + o, v);
        v128.store(params + o, p);
        v128.store(grads + o, zero);
      }
    }
    if (pass == 0 && !allZero(acc)) return false;
  }
  return true;
}

/**
 * torch.optim.RMSprop (no momentum, not centered), per element with d = clamp(g)·coef:
 *   s = α·s + (1−α)·d²;  p −= lr · d / (√s + eps);  g = 0
 * Returns false, writing nothing, if a weight or an average would not be finite.
 *                                                          params, grads, s [NP]
 */
export function clipRmsprop(lr: f32, clip: f32, coef: f32, alpha: f64, eps: f32): bool {
  let end = <usize>NP << 2;
  for (let pass = 0; pass < 2; pass++) {
    let lo = f32x4.splat(-clip), hi = f32x4.splat(clip), k = f32x4.splat(coef);
    let a = f32x4.splat(<f32>alpha), c = f32x4.splat(<f32>(1 - alpha)), nlr = f32x4.splat(-lr), e = f32x4.splat(eps);
    let acc = f32x4.splat(0), zero = f32x4.splat(0);
    for (let o: usize = 0; o < end; o += 16) {
      let d = f32x4.mul(clamp4(v128.load(grads + o), lo, hi), k);
      let s = f32x4.add(f32x4.mul(v128.load(mem + o), a), f32x4.mul(f32x4.mul(d, c), d));   // addcmul: s + (value·g)·g
      let p = f32x4.add(v128.load(params + o), f32x4.mul(f32x4.div(d, f32x4.add(f32x4.sqrt(s), e)), nlr));
      if (pass == 0) {
        acc = f32x4.add(acc, f32x4.add(f32x4.sub(p, p), f32x4.sub(s, s)));
      } else {
        v128.store(mem + o, s);
        v128.store(params + o, p);
        v128.store(grads + o, zero);
      }
    }
    if (pass == 0 && !allZero(acc)) return false;
  }
  return true;
}
