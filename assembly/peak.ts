// The arithmetic peak a wasm kernel can reach on this machine, for the benchmark's "% of
// peak" (testing build only): twelve independent chains of madd (madd.ts), the most V8
// keeps in vector registers without spilling (sixteen spill), so the multiply and add
// units stay busy and nothing else runs. madd is mul + add in the default build and
// relaxed_madd in the fused one, so each build measures its own arithmetic.
import { madd } from "./madd";

/** 64 vectors near 1 (plus 12 past the end) that the loads walk over, staying in L1. */
const BUF: usize = memory.data((64 + 12) * 16, 16);
const SINK: usize = memory.data(16, 16);

/**
 * n rounds of 64 steps of twelve chains (8 flops a step): 12·64·8·n flops. Without loads
 * a ← a·m + c; with them a ← w·m + a, w loaded from L1 for every multiply-add, as a
 * kernel's accumulators gather products of loaded weights.
 */
export function peakProbe(n: i32, loads: bool): void {
  for (let i: usize = 0; i < 76 * 16; i += 4) store<f32>(BUF + i, 0.999);
  if (loads) chainsLoading(n);
  else chains(n);
}

// Apart, so that neither loop holds the other's values live: twelve chains, m and c (or a
// loaded w) are fourteen of V8's fifteen vector registers.
function chains(n: i32): void {
  let m = f32x4.splat(0.999), c = f32x4.splat(0.001);
  let a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c, a8 = c, a9 = c, a10 = c, a11 = c;
  for (let i = 0; i < n * 64; i++) {
    a0 = madd(a0, m, c); a1 = madd(a1, m, c); a2 = madd(a2, m, c); a3 = madd(a3, m, c);
    a4 = madd(a4, m, c); a5 = madd(a5, m, c); a6 = madd(a6, m, c); a7 = madd(a7, m, c);
    a8 = madd(a8, m, c); a9 = madd(a9, m, c); a10 = madd(a10, m, c); a11 = madd(a11, m, c);
  }
  sink(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
}

function chainsLoading(n: i32): void {
  let m = f32x4.splat(0.999), c = f32x4.splat(0.001);
  let a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c, a8 = c, a9 = c, a10 = c, a11 = c;
  let end = BUF + 64 * 16;
  for (let round = 0; round < n; round++) {
    for (let p = BUF; p < end; p += 16) {
      a0 = madd(v128.load(p), m, a0); a1 = madd(v128.load(p, 16), m, a1); a2 = madd(v128.load(p, 32), m, a2);
      a3 = madd(v128.load(p, 48), m, a3); a4 = madd(v128.load(p, 64), m, a4); a5 = madd(v128.load(p, 80), m, a5);
      a6 = madd(v128.load(p, 96), m, a6); a7 = madd(v128.load(p, 112), m, a7); a8 = madd(v128.load(p, 128), m, a8);
      a9 = madd(v128.load(p, 144), m, a9); a10 = madd(v128.load(p, 160), m, a10); a11 = madd(v128.load(p, 176), m, a11);
    }
  }
  sink(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
}

/** Keeps the chains from being dead code. */
function sink(a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, a5: v128, a6: v128, a7: v128, a8: v128, a9: v128, a10: v128, a11: v128): void {
  let s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  v128.store(SINK, f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
}
