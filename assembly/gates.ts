// Matrix products over G gates at once. A weight [G·H, C] stacks the gates' rows; a vector
// of gates is G blocks of HP lanes, gate g at g·HP (layout.ts). When H is a multiple of 4
// the blocks are back to back (HP = H) and one call covers every gate: the kernels block
// rows eight at a time and read each input once for all of them. Otherwise one call per
// gate keeps the padding lanes out of the weights' rows, and the weight's packed panels
// (simd.ts) are split the same way: one set per gate, back to back.
import { H, HP, GP } from "./layout";
import { matmulAcc, matmulTAcc, outerAcc, rowPanelFloats, colPanelFloats, packRowPanels, packColPanels } from "./simd";

@inline function gateRows(g: i32, C: i32): usize { return <usize>(g * H) * (<usize>C << 2); }
@inline function gateLanes(g: i32): usize { return <usize>(g * HP) << 2; }
@inline function gatePanels(P: usize, g: i32, floats: i32): usize { return P == 0 ? 0 : P + (<usize>(g * floats) << 2); }

/** Floats of the row panels of W [GH,C] as gatesMatmulAcc reads them. */
export function gatesRowPanelFloats(G: i32, C: i32): i32 { return H == HP ? rowPanelFloats(G * H, C) : G * rowPanelFloats(H, C); }

/** Floats of the column panels of W [GH,C] as gatesMatmulTAcc reads them. */
export function gatesColPanelFloats(G: i32, C: i32): i32 { return H == HP ? colPanelFloats(G * H, C) : G * colPanelFloats(H, C); }

/** P, Q ← the row and column panels of W [GH,C]. */
export function gatesPackPanels(P: usize, Q: usize, W: usize, G: i32, C: i32): void {
  if (H == HP) { packRowPanels(P, W, G * H, C); packColPanels(Q, W, G * H, C); return; }
  for (let g = 0; g < G; g++) {
    packRowPanels(gatePanels(P, g, rowPanelFloats(H, C)), W + gateRows(g, C), H, C);
    packColPanels(gatePanels(Q, g, colPanelFloats(H, C)), W + gateRows(g, C), H, C);
  }
}

/** out[n] (G gate blocks) += W·x[n].   out [N,GP], W [GH,C] (P its row panels, or 0), X [N,ldx] */
export function gatesMatmulAcc(out: usize, W: usize, P: usize, X: usize, G: i32, C: i32, N: i32, ldx: i32): void {
  if (H == HP) { matmulAcc(out, W, P, X, G * H, C, N, GP, ldx); return; }
  for (let g = 0; g < G; g++) matmulAcc(out + gateLanes(g), W + gateRows(g, C), gatePanels(P, g, rowPanelFloats(H, C)), X, H, C, N, GP, ldx);
}

/** out[n] += Wᵀ·a[n] over the G gate blocks of a[n].   out [N,ldo], W [GH,C] (Q its column panels, or 0), A [N,GP] */
export function gatesMatmulTAcc(out: usize, W: usize, Q: usize, A: usize, G: i32, C: i32, N: i32, ldo: i32): void {
  if (H == HP) { matmulTAcc(out, W, Q, A, G * H, C, N, ldo, GP); return; }
  for (let g = 0; g < G; g++) matmulTAcc(out, W + gateRows(g, C), gatePanels(Q, g, colPanelFloats(H, C)), A + gateLanes(g), H, C, N, ldo, GP);
}

/** dW += Σ_n a[n] ⊗ x[n] over the G gate blocks of a[n].   dW [GH,C], A [N,GP], X [N,ldx] */
export function gatesOuterAcc(dW: usize, A: usize, X: usize, G: i32, C: i32, N: i32, ldx: i32): void {
  if (H == HP) { outerAcc(dW, A, X, G * H, C, N, GP, ldx); return; }
  for (let g = 0; g < G; g++) outerAcc(dW + gateRows(g, C), A + gateLanes(g), X, H, C, N, GP, ldx);
}
