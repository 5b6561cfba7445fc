// The LSTM cell (PyTorch's nn.LSTM), over a window of T steps for N streams; gates in
// PyTorch's order i, f, g, o, each a block of HP lanes in a [GP] vector:
//   i = σ(a_i)  f = σ(a_f)  g = tanh(a_g)  o = σ(a_o),   a = W_ih·x + b_ih + W_hh·h + b_hh
//   c' = f⊙c + i⊙g,   h' = o⊙tanh(c')
// W_ih·x + b_ih + b_hh (net.ts) is already in a[t] when lstmForward runs: only W_hh·h[t-1]
// is step by step. Buffers (one shard's block, N streams interleaved per step):
//   hs, cs [T+1,N,HP]: [0] the carried state, [t+1] after step t
//   a [T,N,GP]: the gate activations i, f, g, o after the forward (what backward needs)
//   tc [T,N,HP]: tanh(c[t+1]), kept for backward
// Padding lanes stay 0: a = 0 gives i = f = o = ½ and g = 0, so c and h stay 0 there.
import { H, HP, GP } from "./layout";
import { sumRowsAcc } from "./simd";
import { gatesMatmulAcc, gatesMatmulTAcc, gatesOuterAcc } from "./gates";
import { tanh4, sigmoid4 } from "./fastmath";

/** For every step: a += W_hh·h[t-1]; the gates, c[t], tanh(c[t]) and h[t].   Whh [4H,H] (P its row panels, or 0) */
export function lstmForward(hs: usize, cs: usize, a: usize, tc: usize, Whh: usize, P: usize, T: i32, N: i32): void {
  let stepBytes = <usize>(N * HP) << 2, gateBytes = <usize>HP << 2;
  for (let t = 0; t < T; t++) {
    let hPrev = hs + <usize>t * stepBytes, cPrev = cs + <usize>t * stepBytes;
    let at = a + <usize>t * (stepBytes << 2);
    gatesMatmulAcc(at, Whh, P, hPrev, 4, H, N, HP);
    let tct = tc + <usize>t * stepBytes;
    for (let n = 0; n < N; n++) {
      let an = at + <usize>n * (gateBytes << 2), sn = <usize>n * gateBytes;
      for (let o: usize = 0; o < gateBytes; o += 16) {   // [HP]
        let i = sigmoid4(v128.load(an + o));
        let f = sigmoid4(v128.load(an + gateBytes + o));
        let gg = tanh4(v128.load(an + 2 * gateBytes + o));
        let og = sigmoid4(v128.load(an + 3 * gateBytes + o));
        let c = f32x4.add(f32x4.mul(f, v128.load(cPrev + sn + o)), f32x4.mul(i, gg));
        let th = tanh4(c);
        v128.store(an + o, i);
        v128.store(an + gateBytes + o, f);
        v128.store(an + 2 * gateBytes + o, gg);
        v128.store(an + 3 * gateBytes + o, og);
        v128.store(cPrev + stepBytes + sn + o, c);
        v128.store(tct + sn + o, th);
        v128.store(hPrev + stepBytes + sn + o, f32x4.mul(og, th));
      }
    }
  }
}

/**
 * BPTT through the window, from the last step. dh [T,N,HP] holds dL/dh[t] from above on
 * entry; dh[t-1] gathers W_hhᵀ·da[t] on top. da [T,N,GP] receives dL/d(gate
 * pre-activations); dc [N,HP] carries dL/dc back (zero beyond the window). Then
 * dW_hh += Σ da[t] ⊗ h[t-1] and db_hh += Σ da.   Whh, dWhh [4H,H] (Q: Whh's column panels, or 0), dbhh [4H]
 */
export function lstmBackward(da: usize, dh: usize, dc: usize, hs: usize, cs: usize, a: usize, tc: usize,
                             Whh: usize, Q: usize, dWhh: usize, dbhh: usize, T: i32, N: i32): void {
  let stepBytes = <usize>(N * HP) << 2, gateBytes = <usize>HP << 2;
  let one = f32x4.splat(1.0);
  memory.fill(dc, 0, stepBytes);
  for (let t = T - 1; t >= 0; t--) {
    let at = a + <usize>t * (stepBytes << 2), dat = da + <usize>t * (stepBytes << 2);
    let dht = dh + <usize>t * stepBytes, tct = tc + <usize>t * stepBytes, cPrev = cs + <usize>t * stepBytes;
    for (let n = 0; n < N; n++) {
      let an = at + <usize>n * (gateBytes << 2), dn = dat + <usize>n * (gateBytes << 2), sn = <usize>n * gateBytes;
      for (let o: usize = 0; o < gateBytes; o += 16) {
        let i = v128.load(an + o), f = v128.load(an + gateBytes + o);
        let gg = v128.load(an + 2 * gateBytes + o), og = v128.load(an + 3 * gateBytes + o);
        let th = v128.load(tct + sn + o);
        let d = v128.load(dht + sn + o);
        // dc = dc' + dh·o·(1 − tanh²c)
        let c = f32x4.add(v128.load(dc + sn + o), f32x4.mul(f32x4.mul(d, og), f32x4.sub(one, f32x4.mul(th, th))));
        v128.store(dc + sn + o, f32x4.mul(c, f));      // dL/dc[t-1] through the forget gate
        let di = f32x4.mul(c, gg), dg = f32x4.mul(c, i);
        let df = f32x4.mul(c, v128.load(cPrev + sn + o)), dout = f32x4.mul(d, th);
        v128.store(dn + o, f32x4.mul(di, f32x4.mul(i, f32x4.sub(one, i))));
        v128.store(dn + gateBytes + o, f32x4.mul(df, f32x4.mul(f, f32x4.sub(one, f))));
        v128.store(dn + 2 * gateBytes + o, f32x4.mul(dg, f32x4.sub(one, f32x4.mul(gg, gg))));
        v128.store(dn + 3 * gateBytes + o, f32x4.mul(dout, f32x4.mul(og, f32x4.sub(one, og))));
      }
    }
    if (t > 0) {
      gatesMatmulTAcc(dht - stepBytes, Whh, Q, dat, 4, H, N, HP);
    }
  }
  gatesOuterAcc(dWhh, da, hs, 4, H, T * N, HP);
  for (let g = 0; g < 4; g++) sumRowsAcc(dbhh + <usize>g * (<usize>H << 2), da + <usize>g * gateBytes, T * N, H, GP);
}
