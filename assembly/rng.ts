// xoshiro128** with its four u32 words of state in linear memory at `rng`, so the host
// can save and restore it with a checkpoint. Every random draw of the core (weight
// init, sampling) comes from here; wasm integer and float arithmetic is the same on
// every runtime, so a seed gives the same bytes everywhere.
import { rng } from "./layout";

@inline function rotl(x: u32, k: u32): u32 { return (x << k) | (x >>> (32 - k)); }

/** Seeds the state from a 32-bit seed through splitmix32 (never all zero). */
export function seedRng(seed: u32): void {
  let s = seed;
  for (let i = 0; i < 4; i++) {
    s += 0x9e3779b9;
    let z = s;
    z = (z ^ (z >>> 16)) * 0x85ebca6b;
    z = (z ^ (z >>> 13)) * 0xc2b2ae35;
    z ^= z >>> 16;
    store<u32>(rng + (<usize>i << 2), z);
  }
}

/** n draws to p (u32 each); the state stays in locals across them. */
export function fillU32(p: usize, n: i32): void {
  let s0 = load<u32>(rng), s1 = load<u32>(rng, 4), s2 = load<u32>(rng, 8), s3 = load<u32>(rng, 12);
  for (let i = 0; i < n; i++) {
    store<u32>(p + (<usize>i << 2), rotl(s1 * 5, 7) * 9);
    let t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
    s3 = rotl(s3, 11);
  }
  store<u32>(rng, s0); store<u32>(rng, s1, 4); store<u32>(rng, s2, 8); store<u32>(rng, s3, 12);
}

const DRAW: usize = memory.data(4, 4);

export function nextU32(): u32 {
  fillU32(DRAW, 1);
  return load<u32>(DRAW);
}

/** Uniform in [0, 1) with 53 random bits. */
export function uniform(): f64 {
  let hi = <f64>(nextU32() >>> 5), lo = <f64>(nextU32() >>> 6);
  return (hi * 67108864.0 + lo) * (1.0 / 9007199254740992.0);
}

/** n floats at p ← U(-bound, bound) (PyTorch's init for recurrent layers and nn.Linear), 24 random bits each. */
export function fillUniform(p: usize, n: i32, bound: f32): void {
  fillU32(p, n);
  for (let i = 0; i < n; i++) {
    let at = p + (<usize>i << 2);
    let u = <f32>(load<u32>(at) >>> 8) * (1.0 / 16777216.0);   // [0, 1)
    store<f32>(at, (u * 2.0 - 1.0) * bound);
  }
}
