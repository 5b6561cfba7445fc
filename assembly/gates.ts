// Matrix products over G gates at once. A weight [G·H, C] stacks the gates' rows; a vector
// of gates is G blocks of HP lanes, gate g at g·HP (layout.ts). When H is a multiple of 4
// the blocks are back to back (HP = H) and one call covers every gate: the kernels block
// rows eight at a time and read each input once for all of them. Otherwise one call per
// gate keeps the padding lanes out of the weights' rows.
import { H, HP, GP } from "./layout";
import { matmulAcc, matmulTAcc, outerAcc } from "./simd";

@inline function gateRows(g: i32, C: i32): usize { return <usize>(g * H) * (<usize>C << 2); }
@inline function gateLanes(g: i32): usize { return <usize>(g * HP) << 2; }

/** out[n] (G gate blocks) += W·x[n].   out [N,GP], W [GH,C], X [N,ldx] */
export function gatesMatmulAcc(out: usize, W: usize, X: usize, G: i32, C: i32, N: i32, ldx: i32): void {
  if (H == HP) { matmulAcc(out, W, X, G * H, C, N, GP, ldx); return; }
  for (let g = 0; g < G; g++) matmulAcc(out + gateLanes(g), W + gateRows(g, C), X, H, C, N, GP, ldx);
}

/** out[n] += Wᵀ·a[n] over the G gate blocks of a[n].   out [N,ldo], W [GH,C], A [N,GP] */
export function gatesMatmulTAcc(out: usize, W: usize, A: usize, G: i32, C: i32, N: i32, ldo: i32): void {
  if (H == HP) { matmulTAcc(out, W, A, G * H, C, N, ldo, GP); return; }
  for (let g = 0; g < G; g++) matmulTAcc(out, W + gateRows(g, C), A + gateLanes(g), H, C, N, ldo, GP);
}

/** dW += Σ_n a[n] ⊗ x[n] over the G gate blocks of a[n].   dW [GH,C], A [N,GP], X [N,ldx] */
export function gatesOuterAcc(dW: usize, A: usize, X: usize, G: i32, C: i32, N: i32, ldx: i32): void {
  if (H == HP) { outerAcc(dW, A, X, G * H, C, N, GP, ldx); return; }
  for (let g = 0; g < G; g++) outerAcc(dW + gateRows(g, C), A + gateLanes(g), X, H, C, N, GP, ldx);
}
