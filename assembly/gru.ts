// The GRU cell (PyTorch's nn.GRU), over a window of T steps for N streams; gates in
// PyTorch's order r, z, n, each a block of HP lanes in a [GP] vector:
//   r = σ(ai_r + ah_r)   z = σ(ai_z + ah_z)   n = tanh(ai_n + r⊙ah_n)   h' = (1−z)⊙n + z⊙h
// with ai = W_ih·x + b_ih and ah = W_hh·h + b_hh. The reset gate multiplies ah_n, its bias
// included, so the two biases stay apart. ai (net.ts) is already in a[t] when gruForward
// runs; ah is step by step. Buffers (one shard's block, N streams interleaved per step):
//   hs [T+1,N,HP]: [0] the carried state, [t+1] after step t
//   a [T,N,GP]: the gates r, z, n after the forward     ah [T,N,GP]: W_hh·h[t-1] + b_hh
// Padding lanes stay 0: r = z = ½ and n = 0 there, so h' = 0.
import { H, HP, GP } from "./layout";
import { sumRowsAcc, fillRows } from "./simd";
import { gatesMatmulAcc, gatesMatmulTAcc, gatesOuterAcc } from "./gates";
import { tanh4, sigmoid4 } from "./fastmath";

/** For every step: ah = W_hh·h[t-1] + b_hh, the gates and h[t].   Whh [3H,H] (P its row panels, or 0), bhh [GP] (gate blocks) */
export function gruForward(hs: usize, a: usize, ah: usize, Whh: usize, P: usize, bhh: usize, T: i32, N: i32): void {
  let stepBytes = <usize>(N * HP) << 2, gateBytes = <usize>HP << 2;
  for (let t = 0; t < T; t++) {
    let hPrev = hs + <usize>t * stepBytes;
    let at = a + <usize>t * stepBytes * 3, aht = ah + <usize>t * stepBytes * 3;
    fillRows(aht, bhh, N, GP, GP);
    gatesMatmulAcc(aht, Whh, P, hPrev, 3, H, N, HP);
    for (let n = 0; n < N; n++) {
      let an = at + <usize>n * gateBytes * 3, hn = aht + <usize>n * gateBytes * 3, sn = <usize>n * gateBytes;
      for (let o: usize = 0; o < gateBytes; o += 16) {   // [HP]
        let r = sigmoid4(f32x4.add(v128.load(an + o), v128.load(hn + o)));
        let z = sigmoid4(f32x4.add(v128.load(an + gateBytes + o), v128.load(hn + gateBytes + o)));
        let nn = tanh4(f32x4.add(v128.load(an + 2 * gateBytes + o), f32x4.mul(r, v128.load(hn + 2 * gateBytes + o))));
        let h = v128.load(hPrev + sn + o);
        v128.store(an + o, r);
        v128.store(an + gateBytes + o, z);
        v128.store(an + 2 * gateBytes + o, nn);
        v128.store(hPrev + stepBytes + sn + o, f32x4.add(nn, f32x4.mul(z, f32x4.sub(h, nn))));
      }
    }
  }
}

/**
 * BPTT through the window, from the last step. dh [T,N,HP] holds dL/dh[t] from above on
 * entry; dh[t-1] gathers z⊙dh[t] + W_hhᵀ·dah[t] on top. da [T,N,GP] receives dL/d(ai)
 * and dah [T,N,GP] dL/d(ah): they differ in the n block by the factor r. Then
 * dW_hh += Σ dah[t] ⊗ h[t-1] and db_hh += Σ dah.   Whh, dWhh [3H,H] (Q: Whh's column panels, or 0), dbhh [3H]
 */
export function gruBackward(da: usize, dah: usize, dh: usize, hs: usize, a: usize, ah: usize,
                            Whh: usize, Q: usize, dWhh: usize, dbhh: usize, T: i32, N: i32): void {
  let stepBytes = <usize>(N * HP) << 2, gateBytes = <usize>HP << 2;
  let one = f32x4.splat(1.0);
  for (let t = T - 1; t >= 0; t--) {
    let at = a + <usize>t * stepBytes * 3, aht = ah + <usize>t * stepBytes * 3;
    let dat = da + <usize>t * stepBytes * 3, daht = dah + <usize>t * stepBytes * 3;
    let dht = dh + <usize>t * stepBytes, hPrev = hs + <usize>t * stepBytes;
    for (let n = 0; n < N; n++) {
      let an = at + <usize>n * gateBytes * 3, hn = aht + <usize>n * gateBytes * 3;
      let dn = dat + <usize>n * gateBytes * 3, dhn = daht + <usize>n * gateBytes * 3, sn = <usize>n * gateBytes;
      for (let o: usize = 0; o < gateBytes; o += 16) {
        let r = v128.load(an + o), z = v128.load(an + gateBytes + o), nn = v128.load(an + 2 * gateBytes + o);
        let d = v128.load(dht + sn + o);
        let dan = f32x4.mul(f32x4.mul(d, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(nn, nn)));
        let dar = f32x4.mul(f32x4.mul(dan, v128.load(hn + 2 * gateBytes + o)), f32x4.mul(r, f32x4.sub(one, r)));
        let daz = f32x4.mul(f32x4.mul(d, f32x4.sub(v128.load(hPrev + sn + o), nn)), f32x4.mul(z, f32x4.sub(one, z)));
        v128.store(dn + o, dar);
        v128.store(dn + gateBytes + o, daz);
        v128.store(dn + 2 * gateBytes + o, dan);
        v128.store(dhn + o, dar);
        v128.store(dhn + gateBytes + o, daz);
        v128.store(dhn + 2 * gateBytes + o, f32x4.mul(dan, r));
        if (t > 0) {
          let p = dht - stepBytes + sn + o;
          v128.store(p, f32x4.add(v128.load(p), f32x4.mul(d, z)));
        }
      }
    }
    if (t > 0) {
      gatesMatmulTAcc(dht - stepBytes, Whh, Q, daht, 3, H, N, HP);
    }
  }
  gatesOuterAcc(dWhh, dah, hs, 3, H, T * N, HP);
  for (let g = 0; g < 3; g++) sumRowsAcc(dbhh + (<usize>(g * H) << 2), dah + <usize>g * gateBytes, T * N, H, GP);
}
