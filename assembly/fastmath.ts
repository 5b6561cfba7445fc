// Four-lane exp and tanh. Mathf.exp/Mathf.tanh are scalar and several times slower; the
// parity fixtures' float32 limits (relative error well under 1e-6) are the accuracy
// budget, and both stay inside it (tests/kernels.test.js measures them against Math).
//
// Their constants are read from a table in linear memory rather than written as
// v128.const: V8 rebuilds a v128.const at every use inside a loop (a 64-bit move pair
// and an insert), which made exp4 about 1.3-1.7x slower; a load from a fixed address is
// one instruction.

// Each constant four times, so one v128.load gives the splat. Offsets in bytes: 16·index.
const K: usize = memory.data<f32>([
  // exp: polynomial for e^r on |r| ≤ ln2/2 (Cephes expf, about 2 ulp), highest power first
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4,     // 0
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3,     // 16
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3,     // 32
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2,     // 48
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1,     // 64
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1,     // 80
  -87.3, -87.3, -87.3, -87.3,                                             // 96  input clamp: e^x stays normal
  88.0, 88.0, 88.0, 88.0,                                                 // 112 and finite
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341, // 128 log2 e
  12582912.0, 12582912.0, 12582912.0, 12582912.0,                         // 144 1.5·2^23 (rounds to integer)
  0.693359375, 0.693359375, 0.693359375, 0.693359375,                     // 160 ln 2, high part
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4,         // 176 ln 2, low part
  1.0, 1.0, 1.0, 1.0,                                                     // 192
  // tanh: odd/even rational p(x)/q(x) on |x| ≤ 7.905 (Eigen's float tanh; ≤ 5 ulp), x² powers
  -2.76076847742355e-16, -2.76076847742355e-16, -2.76076847742355e-16, -2.76076847742355e-16, // 208 p13
  2.00018790482477e-13, 2.00018790482477e-13, 2.00018790482477e-13, 2.00018790482477e-13,     // 224 p11
  -8.60467152213735e-11, -8.60467152213735e-11, -8.60467152213735e-11, -8.60467152213735e-11, // 240 p9
  5.12229709037114e-08, 5.12229709037114e-08, 5.12229709037114e-08, 5.12229709037114e-08,     // 256 p7
  1.48572235717979e-05, 1.48572235717979e-05, 1.48572235717979e-05, 1.48572235717979e-05,     // 272 p5
  6.37261928875436e-04, 6.37261928875436e-04, 6.37261928875436e-04, 6.37261928875436e-04,     // 288 p3
  4.89352455891786e-03, 4.89352455891786e-03, 4.89352455891786e-03, 4.89352455891786e-03,     // 304 p1
  1.19825839466702e-06, 1.19825839466702e-06, 1.19825839466702e-06, 1.19825839466702e-06,     // 320 q6
  1.18534705686654e-04, 1.18534705686654e-04, 1.18534705686654e-04, 1.18534705686654e-04,     // 336 q4
  2.26843463243900e-03, 2.26843463243900e-03, 2.26843463243900e-03, 2.26843463243900e-03,     // 352 q2
  4.89352518554385e-03, 4.89352518554385e-03, 4.89352518554385e-03, 4.89352518554385e-03,     // 368 q0
  -7.90531110763549805, -7.90531110763549805, -7.90531110763549805, -7.90531110763549805,     // 384 where
  7.90531110763549805, 7.90531110763549805, 7.90531110763549805, 7.90531110763549805,         // 400 tanh = ±1 in f32
]);

@inline function k(offset: usize): v128 { return v128.load(K + offset); }

/** One Horner step, y·x + the constant at `offset`. */
@inline function horner(y: v128, x: v128, offset: usize): v128 { return f32x4.add(f32x4.mul(y, x), k(offset)); }

/** e^x per lane; inputs are clamped to [-87.3, 88] so the result stays finite and normal. */
@inline export function exp4(x: v128): v128 {
  // pmin/pmax are one instruction each (min/max carry NaN and ±0 rules that cost six);
  // a NaN input still comes out NaN.
  x = f32x4.pmin(f32x4.pmax(x, k(96)), k(112));
  // n = round(x·log2 e), ties to even, by adding 1.5·2^23: the float's low bits are then n
  // as an integer, so one add gives both n and its bits (instead of nearest + trunc_sat).
  let t = f32x4.add(f32x4.mul(x, k(128)), k(144));
  let n = f32x4.sub(t, k(144));
  x = f32x4.sub(x, f32x4.mul(n, k(160)));            // r = x - n·ln 2, in two parts
  x = f32x4.sub(x, f32x4.mul(n, k(176)));
  let z = f32x4.mul(x, x);
  let y = horner(horner(horner(horner(horner(k(0), x, 16), x, 32), x, 48), x, 64), x, 80);
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), x), k(192));
  // 2^n: (bits(t) + 127) << 23; the 1.5·2^23 offset in bits(t) shifts out of the word.
  let pow2n = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

/** tanh per lane: a rational function, odd over even, with no exp and one division. */
@inline export function tanh4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, k(384)), k(400));
  let x2 = f32x4.mul(x, x);
  let p = horner(horner(horner(horner(horner(horner(k(208), x2, 224), x2, 240), x2, 256), x2, 272), x2, 288), x2, 304);
  let q = horner(horner(horner(k(320), x2, 336), x2, 352), x2, 368);
  return f32x4.div(f32x4.mul(p, x), q);
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

/** The logistic sigmoid per lane, 1 / (1 + e^-x) (exp4's clamp keeps it finite: 0 < σ ≤ 1). */
@inline export function sigmoid4(x: v128): v128 {
  return f32x4.div(k(192), f32x4.add(k(192), exp4(f32x4.neg(x))));
}
