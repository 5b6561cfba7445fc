// Normally distributed weights for initialization: Box-Muller in f32x4, both outputs used,
//   r = sqrt(-2 ln u1), z0 = r·cos 2πu2, z1 = r·sin 2πu2,   u1 in (0, 1], u2 in [0, 1),
// eight normals per pass. It decides a cold start: f64 Math.log/Math.cos per weight ran
// for 1-6 ms in V8's baseline tier before the optimizing one took over; this is ~0.1 ms.
// Float32 arithmetic is IEEE in wasm SIMD (no fused multiply-add), so a seed gives the
// same weights on every runtime.
import { fillU32 } from "./rng";

// Cephes logf and sinf/cosf polynomials (about 1 ulp on their reduced ranges).
const LOG_P0: f32 = 7.0376836292e-2, LOG_P1: f32 = -1.1514610310e-1, LOG_P2: f32 = 1.1676998740e-1;
const LOG_P3: f32 = -1.2420140846e-1, LOG_P4: f32 = 1.4249322787e-1, LOG_P5: f32 = -1.6668057665e-1;
const LOG_P6: f32 = 2.0000714765e-1, LOG_P7: f32 = -2.4999993993e-1, LOG_P8: f32 = 3.3333331174e-1;
const SIN_P0: f32 = -1.9515295891e-4, SIN_P1: f32 = 8.3321608736e-3, SIN_P2: f32 = -1.6666654611e-1;
const COS_P0: f32 = 2.443315711809948e-5, COS_P1: f32 = -1.388731625493765e-3, COS_P2: f32 = 4.166664568298827e-2;

@inline function splat(x: f32): v128 { return f32x4.splat(x); }
@inline function madd(a: v128, b: v128, c: f32): v128 { return f32x4.add(f32x4.mul(a, b), splat(c)); }

/** ln x per lane for x in (0, 1] (normal floats: the uniforms below are at least 2^-24). */
function log4(x: v128): v128 {
  // x = m·2^e with m in [sqrt(1/2), sqrt(2)), then ln x = ln m + e·ln 2, ln m by a polynomial in m - 1.
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126)));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000)); // [0.5, 1)
  let small = f32x4.lt(m, splat(0.707106781186547524));
  e = f32x4.sub(e, v128.and(small, splat(1.0)));
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), splat(1.0));
  let z = f32x4.mul(m, m);
  let y = madd(madd(madd(madd(madd(madd(madd(madd(splat(LOG_P0), m, LOG_P1), m, LOG_P2), m, LOG_P3), m, LOG_P4), m, LOG_P5), m, LOG_P6), m, LOG_P7), m, LOG_P8);
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(e, splat(-2.12194440e-4)));       // ln 2 in two parts
  y = f32x4.sub(y, f32x4.mul(z, splat(0.5)));
  return f32x4.add(f32x4.add(m, y), f32x4.mul(e, splat(0.693359375)));
}

// Eight draws in, eight normals out (and a partial group's lanes copied from here).
const GROUP: usize = memory.data(32, 16);

/**
 * Eight normals from eight 32-bit draws at GROUP (u1 from the first four, u2 from the
 * last four); the first `count` (≤ 8) times scale go to p.
 */
function normals8(p: usize, count: i32, scale: f32): void {
  let a = v128.load(GROUP), b = v128.load(GROUP, 16);
  // 24 random bits each, exact in f32: u1 = (k + 1)·2^-24 in (0, 1], u2 = k·2^-24 in [0, 1).
  let u1 = f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(i32x4.shr_u(a, 8), i32x4.splat(1))), splat(5.9604644775390625e-8));
  let u2 = f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_u(b, 8)), splat(5.9604644775390625e-8));
  let r = f32x4.mul(f32x4.sqrt(f32x4.mul(log4(u1), splat(-2.0))), splat(scale));
  // 2πu2 = j·π/2 + x with j = round(4·u2) and x = (4·u2 - j)·π/2 in [-π/4, π/4] (4·u2 - j is exact).
  let q = f32x4.mul(u2, splat(4.0));
  let jf = f32x4.nearest(q);
  let x = f32x4.mul(f32x4.sub(q, jf), splat(1.5707963267948966));
  let z = f32x4.mul(x, x);
  let s = f32x4.add(x, f32x4.mul(f32x4.mul(x, z), madd(madd(splat(SIN_P0), z, SIN_P1), z, SIN_P2)));
  let c = f32x4.add(f32x4.sub(splat(1.0), f32x4.mul(z, splat(0.5))),
                    f32x4.mul(f32x4.mul(z, z), madd(madd(splat(COS_P0), z, COS_P1), z, COS_P2)));
  // Quadrant j: odd j swaps sin and cos; cos is negative for j mod 4 in {1, 2}, sin for {2, 3}.
  let j = i32x4.trunc_sat_f32x4_s(jf);
  let swap = i32x4.eq(v128.and(j, i32x4.splat(1)), i32x4.splat(1));
  let cosSign = i32x4.shl(v128.and(i32x4.add(j, i32x4.splat(1)), i32x4.splat(2)), 30);
  let sinSign = i32x4.shl(v128.and(j, i32x4.splat(2)), 30);
  let z0 = f32x4.mul(r, v128.xor(v128.bitselect(s, c, swap), cosSign));
  let z1 = f32x4.mul(r, v128.xor(v128.bitselect(c, s, swap), sinSign));
  if (count == 8) {
    v128.store(p, z0);
    v128.store(p, z1, 16);
  } else {
    v128.store(GROUP, z0);
    v128.store(GROUP, z1, 16);
    memory.copy(p, GROUP, <usize>count << 2);
  }
}

/** n floats at p ← N(0, 1)·scale, from the module's xoshiro128** (eight words per eight normals). */
export function fillNormal(p: usize, n: i32, scale: f32): void {
  for (let i = 0; i < n; i += 8) {
    fillU32(GROUP, 8);
    normals8(p + (<usize>i << 2), min(8, n - i), scale);
  }
}
