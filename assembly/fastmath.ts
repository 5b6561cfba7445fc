// Four-lane exp and tanh (Cephes expf/tanhf: polynomial after range reduction, about
// 2 ulp). Mathf.exp/Mathf.tanh are scalar and 4-7x slower; the parity fixtures' float32
// limits are the accuracy budget these stay well inside.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const ROUND: f32 = 12582912.0; // 1.5·2^23

/** e^x per lane; inputs are clamped to [-87.3, 88] so the result stays finite and normal. */
@inline export function exp4(x: v128): v128 {
  // pmin/pmax are one instruction each (min/max carry NaN and ±0 rules that cost six);
  // a NaN input still comes out NaN.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.0));
  // n = round(x·log2 e), ties to even, by adding 1.5·2^23: the float's low bits are then n
  // as an integer, so one add gives both n and its bits (instead of nearest + trunc_sat).
  let t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
  let n = f32x4.sub(t, f32x4.splat(ROUND));
  x = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  x = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let z = f32x4.mul(x, x);
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), x), f32x4.splat(1.0));
  // 2^n: (bits(t) + 127) << 23; the 1.5·2^23 offset in bits(t) shifts out of the word.
  let pow2n = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

/** tanh per lane: an odd polynomial below |x| = 0.625 (keeps relative accuracy near 0), 1 - 2/(e^2|x| + 1) above. */
@inline export function tanh4(x: v128): v128 {
  let z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  let small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  let ax = f32x4.abs(x);
  let e = exp4(f32x4.add(ax, ax));
  let large = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  large = v128.or(large, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** Scalar forms through lane 0, so the tail of a loop rounds exactly like its body. */
@inline export function expf(x: f32): f32 { return f32x4.extract_lane(exp4(f32x4.splat(x)), 0); }
@inline export function tanhf(x: f32): f32 { return f32x4.extract_lane(tanh4(f32x4.splat(x)), 0); }

/** out[i] = exp4 over n floats (n a multiple of 4): the kernel entry point for tests and benchmarks. */
export function expArray(out: usize, x: usize, n: i32): void {
  for (let o: usize = 0; o < (<usize>n << 2); o += 16) v128.store(out + o, exp4(v128.load(x + o)));
}

/** out[i] = tanh4 over n floats (n a multiple of 4). */
export function tanhArray(out: usize, x: usize, n: i32): void {
  for (let o: usize = 0; o < (<usize>n << 2); o += 16) v128.store(out + o, tanh4(v128.load(x + o)));
}
