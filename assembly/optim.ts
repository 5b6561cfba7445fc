// Clipping and the optimizers over the whole flat parameter buffer, one SIMD loop each:
// grads, params and every optimizer slot share one layout, so no per-tensor bookkeeping
// is needed. Adagrad is min-char-rnn's (eps inside the sqrt); Adam and RMSProp are
// torch.optim's (eps outside it), ../shared/reference/pytorch.md.
//
// Clipping, in this order: elementwise to [-clip, clip] (the reference's), then by the
// global L2 norm of those gradients (clip_grad_norm_'s: coef = min(1, max/(total + 1e-6))),
// applied as one factor `coef` inside each update loop (1 when off: exact).
//
// Every loop that writes runs over a range [from, to) of floats (multiples of 4), so that
// N threads can each update a slice (assembly/shards.ts): the update is elementwise, and
// a slice gives the bytes of the whole. What is summed over all parameters (the norm) is
// summed in fixed blocks of NORM_BLOCK floats, whatever the slices.
import { NP, NORM_BLOCK, params, grads, grads2, blockSums, slots as mem } from "./layout";

/** grads ← grads + grads2 over [from, to) (the fold so far plus the next shard's); grads2 ← 0 there.   [NP] */
export function addGradients(from: i32, to: i32): void {
  let zero = f32x4.splat(0);
  let end = <usize>to << 2;
  for (let o: usize = <usize>from << 2; o < end; o += 16) {
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

function gradsFinite(from: i32, to: i32): bool {
  let acc = f32x4.splat(0);
  let end = <usize>to << 2;
  for (let o: usize = <usize>from << 2; o < end; o += 16) {
    let g = v128.load(grads + o);
    acc = f32x4.add(acc, f32x4.sub(g, g));
  }
  return allZero(acc);
}

/** The update clipAdagrad would make, computed without storing: true if every new weight and sum is finite. */
function updateFinite(from: i32, to: i32, lr: f32, clip: f32, coef: f32): bool {
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip), k = f32x4.splat(coef);
  let nlr = f32x4.splat(-lr), eps = f32x4.splat(1e-8);
  let acc = f32x4.splat(0);
  let end = <usize>to << 2;
  for (let o: usize = <usize>from << 2; o < end; o += 16) {
    let d = f32x4.mul(clamp4(v128.load(grads + o), lo, hi), k);
    let m = f32x4.add(v128.load(mem + o), f32x4.mul(d, d));
    let p = f32x4.add(v128.load(params + o), f32x4.div(f32x4.mul(nlr, d), f32x4.sqrt(f32x4.add(m, eps))));
    acc = f32x4.add(acc, f32x4.add(f32x4.sub(m, m), f32x4.sub(p, p)));
  }
  return allZero(acc);
}

/**
 * Whether clipAdagrad's update of [from, to) would be finite, read-only. The cheap path
 * needs the bounds of every weight and sum (setBounds: the largest over all slices), so
 * that each slice takes the path one thread takes for the whole.
 */
export function adagradFinite(from: i32, to: i32, lr: f32, clip: f32, coef: f32): bool {
  let bounded = maxWeight + lr < SAFE && maxSum + clip * clip < SAFE;   // coef ≤ 1 only shrinks d
  return bounded ? gradsFinite(from, to) : updateFinite(from, to, lr, clip, coef);
}

/**
 * Per element of [from, to): d = clamp(g, -clip, clip)·coef; m += d²; p += -lr·d / √(m + 1e-8); g = 0.
 * Zero padding lanes stay zero (d = 0). Tracks the range's largest |weight| and sum
 * (maxWeight, maxSum). Call it once adagradFinite said yes.       params, grads, mem [NP]
 */
export function adagradUpdate(from: i32, to: i32, lr: f32, clip: f32, coef: f32): void {
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip), k = f32x4.splat(coef);
  let nlr = f32x4.splat(-lr), eps = f32x4.splat(1e-8);
  let zero = f32x4.splat(0);
  let wmax = zero, smax = zero;
  let end = <usize>to << 2;
  for (let o: usize = <usize>from << 2; o < end; o += 16) {
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
}

/** The bounds the last adagradUpdate tracked over its range, for the threads to combine. */
export function boundWeight(): f32 { return maxWeight; }
export function boundSum(): f32 { return maxSum; }
/** Sets the bounds of the whole buffer: the largest of every slice's (max is exact in any order). */
export function setBounds(weight: f32, sum: f32): void {
  maxWeight = weight;
  maxSum = sum;
}

/** Test hook: the whole Adagrad update, false and writing nothing if it would not be finite. */
export function clipAdagrad(lr: f32, clip: f32, coef: f32): bool {
  if (!adagradFinite(0, NP, lr, clip, coef)) return false;
  adagradUpdate(0, NP, lr, clip, coef);
  return true;
}

@inline function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/**
 * clip_grad_norm_'s squared norm of the elementwise-clipped gradients, block by block:
 * blockSums[b] = Σ d² over floats [b·NORM_BLOCK, (b+1)·NORM_BLOCK) ∩ [0, NP), summed in
 * f64 lane by lane. [from, to) covers whole blocks (to may be NP).     blockSums [NP / NORM_BLOCK]
 */
export function blockNorms(from: i32, to: i32, clip: f32): void {
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip);
  for (let b = from; b < to; b += NORM_BLOCK) {
    let a = f64x2.splat(0), c = f64x2.splat(0);
    let end = <usize>min(b + NORM_BLOCK, to) << 2;
    for (let o: usize = <usize>b << 2; o < end; o += 16) {
      let d = clamp4(v128.load(grads + o), lo, hi);
      let lowPair = f64x2.promote_low_f32x4(d);
      let highPair = f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 0, 1));
      a = f64x2.add(a, f64x2.mul(lowPair, lowPair));
      c = f64x2.add(c, f64x2.mul(highPair, highPair));
    }
    let s = f64x2.add(a, c);
    store<f64>(blockSums + (<usize>(b / NORM_BLOCK) << 3), f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  }
}

/**
 * clip_grad_norm_'s factor min(1, maxNorm / (‖g‖₂ + 1e-6)) from every block's sum, added
 * in block order (the norm of the per-tensor norms is the same number).
 */
export function normFromBlocks(maxNorm: f32): f32 {
  let total: f64 = 0;
  let blocks = (NP + NORM_BLOCK - 1) / NORM_BLOCK;
  for (let b = 0; b < blocks; b++) total += load<f64>(blockSums + (<usize>b << 3));
  return <f32>Math.min(1.0, <f64>maxNorm / (Math.sqrt(total) + 1e-6));
}

/** clip_grad_norm_'s factor over the whole buffer; Infinity (off) gives 1 without reading anything. */
export function normCoef(clip: f32, maxNorm: f32): f32 {
  if (maxNorm == Infinity) return 1;
  blockNorms(0, NP, clip);
  return normFromBlocks(maxNorm);
}

// Adam and RMSProp prove the whole update finite in a read-only pass before writing it
// (a step's size has no bound as simple as Adagrad's): the same function with write false, then true.
// The pass costs one more read of the buffers: against a window's forward and backward it is a
// fraction of a percent.

/**
 * torch.optim.Adam (no weight decay, not amsgrad), per element of [from, to) with d = clamp(g)·coef:
 *   m = β1·m + (1−β1)·d;  v = β2·v + (1−β2)·d²;  p −= stepSize · m / (√v / bc2 + eps);  g = 0
 * with stepSize = lr / (1 − β1^step) and bc2 = √(1 − β2^step) for this step's count (≥ 1),
 * as torch computes them (in f64, then used as f32 scalars). With write false, it only
 * says whether every new weight and moment would be finite; with write true, it writes
 * (once the read-only pass said yes).                       params, grads, m, v [NP]
 */
export function adam(from: i32, to: i32, write: bool, lr: f32, clip: f32, coef: f32, beta1: f64, beta2: f64, eps: f32, step: f64): bool {
  let stepSize = <f32>(<f64>lr / (1.0 - Math.pow(beta1, step)));
  let bc2 = <f32>Math.sqrt(1.0 - Math.pow(beta2, step));
  let m0 = mem, v0 = mem + (<usize>NP << 2);
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip), k = f32x4.splat(coef);
  let b1 = f32x4.splat(<f32>beta1), c1 = f32x4.splat(<f32>(1 - beta1)), b2 = f32x4.splat(<f32>beta2), c2 = f32x4.splat(<f32>(1 - beta2));
  let nstep = f32x4.splat(-stepSize), bc = f32x4.splat(bc2), e = f32x4.splat(eps);
  let acc = f32x4.splat(0), zero = f32x4.splat(0);
  let end = <usize>to << 2;
  for (let o: usize = <usize>from << 2; o < end; o += 16) {
    let d = f32x4.mul(clamp4(v128.load(grads + o), lo, hi), k);
    let m = f32x4.add(f32x4.mul(v128.load(m0 + o), b1), f32x4.mul(d, c1));
    let v = f32x4.add(f32x4.mul(v128.load(v0 + o), b2), f32x4.mul(f32x4.mul(d, c2), d));  // addcmul: v + (value·g)·g
    let denom = f32x4.add(f32x4.div(f32x4.sqrt(v), bc), e);
    let p = f32x4.add(v128.load(params + o), f32x4.mul(f32x4.div(m, denom), nstep));
    if (!write) {
      acc = f32x4.add(acc, f32x4.add(f32x4.sub(p, p), f32x4.add(f32x4.sub(m, m), f32x4.sub(v, v))));
    } else {
      v128.store(m0 + o, m);
      v128.store(v0 + o, v);
      v128.store(params + o, p);
      v128.store(grads + o, zero);
    }
  }
  return allZero(acc);
}

/**
 * torch.optim.RMSprop (no momentum, not centered), per element of [from, to) with d = clamp(g)·coef:
 *   s = α·s + (1−α)·d²;  p −= lr · d / (√s + eps);  g = 0
 * With write false, whether every new weight and average would be finite; with write
 * true, the update (as adam).                              params, grads, s [NP]
 */
export function rmsprop(from: i32, to: i32, write: bool, lr: f32, clip: f32, coef: f32, alpha: f64, eps: f32): bool {
  let lo = f32x4.splat(-clip), hi = f32x4.splat(clip), k = f32x4.splat(coef);
  let a = f32x4.splat(<f32>alpha), c = f32x4.splat(<f32>(1 - alpha)), nlr = f32x4.splat(-lr), e = f32x4.splat(eps);
  let acc = f32x4.splat(0), zero = f32x4.splat(0);
  let end = <usize>to << 2;
  for (let o: usize = <usize>from << 2; o < end; o += 16) {
    let d = f32x4.mul(clamp4(v128.load(grads + o), lo, hi), k);
    let s = f32x4.add(f32x4.mul(v128.load(mem + o), a), f32x4.mul(f32x4.mul(d, c), d));   // addcmul: s + (value·g)·g
    let p = f32x4.add(v128.load(params + o), f32x4.mul(f32x4.div(d, f32x4.add(f32x4.sqrt(s), e)), nlr));
    if (!write) {
      acc = f32x4.add(acc, f32x4.add(f32x4.sub(p, p), f32x4.sub(s, s)));
    } else {
      v128.store(mem + o, s);
      v128.store(params + o, p);
      v128.store(grads + o, zero);
    }
  }
  return allZero(acc);
}

/** Test hooks: the whole Adam or RMSProp update, false and writing nothing if it would not be finite. */
export function clipAdam(lr: f32, clip: f32, coef: f32, beta1: f64, beta2: f64, eps: f32, step: f64): bool {
  return adam(0, NP, false, lr, clip, coef, beta1, beta2, eps, step) && adam(0, NP, true, lr, clip, coef, beta1, beta2, eps, step);
}
export function clipRmsprop(lr: f32, clip: f32, coef: f32, alpha: f64, eps: f32): bool {
  return rmsprop(0, NP, false, lr, clip, coef, alpha, eps) && rmsprop(0, NP, true, lr, clip, coef, alpha, eps);
}
