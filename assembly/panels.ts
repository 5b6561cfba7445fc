// Packed copies of the weight matrices the kernels multiply by four vectors or more at
// once (simd.ts: row panels for W·x, column panels for Wᵀ·a): every layer's W_ih above
// layer 0, its W_hh and the decoder's weight, when a shard has four streams or more
// (B ≥ 8). Below that no matrix has panels and every product keeps the order it had before
// tiles (the dot form for W·x), so batch 1, min-char-rnn's setting, gives the bytes it
// always gave (the 0.1.0 checkpoints resume bit for bit; the demo's jump near iteration
// 21k stays where the README says). packPanels makes them from the parameters: training
// calls it once per iteration (the update, or the host, changed the weights since) and
// validation once per pass. The sampler runs one stream, which reads W in place.
import { L, G, H, V, B, MAX_LAYERS, W_IH, W_HH, params, layerTensor, decoderWeight } from "./layout";
import { rowPanelFloats, colPanelFloats, packRowPanels, packColPanels } from "./simd";
import { gatesRowPanelFloats, gatesColPanelFloats, gatesPackPanels } from "./gates";

// Per matrix the byte addresses of its row and column panels (0: none). Matrix 2l is
// layer l's W_ih, 2l + 1 its W_hh, 2L the decoder's weight.
const TABLE: usize = memory.data((2 * MAX_LAYERS + 1) * 8, 16);

@inline export function inputMatrix(l: i32): i32 { return 2 * l; }
@inline export function recurrentMatrix(l: i32): i32 { return 2 * l + 1; }
@inline export function decoderMatrix(): i32 { return 2 * L; }
@inline export function rowPanels(m: i32): usize { return <usize>load<u32>(TABLE + (<usize>m << 3)); }
@inline export function colPanels(m: i32): usize { return <usize>load<u32>(TABLE + (<usize>m << 3), 4); }

/** Whether matrix m gets panels: not layer 0's W_ih (its input is one-hot), and only with shards of four streams or more. */
function packed(m: i32): bool { return m != inputMatrix(0) && B >= 8; }

/** Lays out the panels from p (after layout()'s other regions); returns the end. */
export function layOutPanels(p: u64): u64 {
  for (let m = 0; m <= decoderMatrix(); m++) {
    let rows = 0, cols = 0;
    if (packed(m)) {
      rows = m == decoderMatrix() ? rowPanelFloats(V, H) : gatesRowPanelFloats(G, H);
      cols = m == decoderMatrix() ? colPanelFloats(V, H) : gatesColPanelFloats(G, H);
    }
    store<u32>(TABLE + (<usize>m << 3), <u32>(rows > 0 ? p : 0));
    p += <u64>rows << 2;
    store<u32>(TABLE + (<usize>m << 3), <u32>(rows > 0 ? p : 0), 4);
    p += <u64>cols << 2;
  }
  return p;
}

/** Every matrix's panels ← its weights as they are now. */
export function packPanels(): void {
  for (let l = 0; l < L; l++) {
    for (let m = inputMatrix(l); m <= recurrentMatrix(l); m++) {
      if (rowPanels(m) == 0) continue;
      gatesPackPanels(rowPanels(m), colPanels(m), params + layerTensor(l, m == inputMatrix(l) ? W_IH : W_HH), G, H);
    }
  }
  let m = decoderMatrix();
  if (rowPanels(m) == 0) return;
  packRowPanels(rowPanels(m), params + decoderWeight(), V, H);
  packColPanels(colPanels(m), params + decoderWeight(), V, H);
}
