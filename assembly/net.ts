// The network, composed once for training, validation and sampling: L layers of one cell
// (rnn.ts, lstm.ts, gru.ts), then the decoder and softmax cross-entropy (loss.ts).
//
//   x[t] (one-hot) → layer 0 → h0[t] → layer 1 → … → h_{L-1}[t] → decoder → p[t]
//
// Every function works on one table of buffers (layout.ts: BOUND for the training shard
// in use, SAMPLER for the sampler), `steps` steps of N streams whose symbols are rows of
// x [steps+1, ld]: inputs in rows 0..steps-1, targets in rows 1..steps. Only the
// recurrences run step by step: a layer's input pre-activations are one column gather
// (layer 0, one-hot input) or one matrix product over all steps·N vectors (layers above),
// and so are every weight gradient and the gradient passed down to the layer below.
//
// Dropout (training only, inverted): every layer's output h[1..steps] is multiplied by a
// mask of 0 and 1/(1−p) before the layer above, or the decoder, reads it: between layers
// as nn.LSTM(dropout=p) does, and before the decoder as char-rnn and torch-rnn do (so a
// one-layer model drops too). The carried state and the layer's own recurrence use h
// itself. Backward multiplies the gradient of the dropped output by the same mask.
import {
  CELL, L, G, S, V, H, HP, GP, T, B, params, W_IH, W_HH, B_IH, B_HH,
  buf, probs, layerTensor, layerBias, decoderWeight, decoderBias, symbolAt, TRAIN_BASE,
} from "./layout";
import {
  K_HS, K_CS, K_A, K_AUX, K_DH, K_DA, K_DAUX, K_DROP, K_MASK,
  cellForward, cellBackward, foldsHiddenBias, preActivatesInHidden,
} from "./cells";
import { fillU32 } from "./rng";
import { sumRowsAcc, fillRows } from "./simd";
import { gatesMatmulAcc, gatesMatmulTAcc, gatesOuterAcc } from "./gates";
import { inputMatrix, recurrentMatrix, rowPanels, colPanels } from "./panels";
import { decoderForward, decoderBackward } from "./loss";

@inline function stepBytes(N: i32): usize { return <usize>(N * HP) << 2; }
@inline function gateBytes(g: i32): usize { return <usize>(g * HP) << 2; }

/** The top layer's h[1..steps] in a table.   [steps,N,HP] */
@inline export function topHidden(tab: usize, N: i32): usize { return buf(tab, L - 1, K_HS) + stepBytes(N); }

// Dropout's probability p, and whether the pass in progress is training's (lossFun sets it).
let dropP: f32 = 0;
let dropping = false;

/** Sets p (0: off; the layout must have been made with dropout for p > 0). */
export function setDropout(p: f32): void { dropP = p; }

/** Training's forward and backward drop units while on (and p > 0). */
export function setDropping(on: bool): void { dropping = on && dropP > 0; }

/**
 * Draws the masks of the whole iteration, every layer and every stream, from the PRNG:
 * a unit is kept when its u32 draw is ≥ p·2^32, and kept units are scaled by 1/(1−p).
 * Per layer [B][T][HP] (padding lanes too: their h is 0 whatever the mask).
 */
export function drawMasks(): void {
  if (dropP <= 0) return;
  let threshold = <u32>Math.min(Math.round(<f64>dropP * 4294967296.0), 4294967295.0);
  let scale = <f32>(1.0 / (1.0 - <f64>dropP));
  let n = B * T * HP;
  for (let l = 0; l < L; l++) {
    let m = buf(TRAIN_BASE, l, K_MASK);
    fillU32(m, n);
    for (let i = 0; i < n; i++) {
      let at = m + (<usize>i << 2);
      store<f32>(at, load<u32>(at) >= threshold ? scale : 0);
    }
  }
}

/** x ⊙= mask, or out = x ⊙ mask: n floats. */
function applyMask(out: usize, x: usize, mask: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    let o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(x + o), v128.load(mask + o)));
  }
}

/** Layer l's output as the layer above (or the decoder) reads it: h[1..steps], dropped in training.   [steps,N,HP] */
@inline function layerOutput(tab: usize, l: i32, N: i32): usize {
  return dropping ? buf(tab, l, K_DROP) : buf(tab, l, K_HS) + stepBytes(N);
}

/**
 * Per layer, the biases in gate blocks of HP lanes (padding 0): the input side's b_ih,
 * plus b_hh for the rnn's (always zero) and the lstm's, whose sum is all they need; the
 * gru's b_hh apart. Every forward pass reads these: call it whenever the weights may have
 * changed since (each training iteration's update, the host writing weights), not per step.
 */
export function prepareBiases(): void {
  for (let l = 0; l < L; l++) {
    let bih = params + layerTensor(l, B_IH), bhh = params + layerTensor(l, B_HH);
    let input = layerBias(l, 0), hidden = layerBias(l, 1);
    memory.fill(input, 0, <usize>GP << 2);
    memory.fill(hidden, 0, <usize>GP << 2);
    for (let g = 0; g < G; g++) {
      for (let i = 0; i < H; i++) {
        let o = <usize>(g * H + i) << 2, d = gateBytes(g) + (<usize>i << 2);
        let b = load<f32>(bih + o);
        if (foldsHiddenBias(CELL)) b += load<f32>(bhh + o);
        store<f32>(input + d, b);
        store<f32>(hidden + d, load<f32>(bhh + o));
      }
    }
  }
}

/**
 * Layer l's input pre-activations into P [steps,N,GP]: W_ih·input + the input-side bias.
 * Layer 0's input is one-hot, so W_ih·x is column x of W_ih [GH,V]; above, the input is
 * the layer below's h[1..steps] and the product is one call per gate over all vectors.
 */
function inputForward(tab: usize, P: usize, l: i32, x: usize, ld: i32, steps: i32, N: i32): void {
  let W = params + layerTensor(l, W_IH), bias = layerBias(l, 0);
  if (l == 0) {
    let rowBytes = <usize>V << 2;
    for (let t = 0; t < steps; t++) {
      for (let n = 0; n < N; n++) {
        let p = P + <usize>(t * N + n) * gateBytes(G);
        let col = W + (<usize>symbolAt(x, ld, t, n) << 2);
        for (let g = 0; g < G; g++) {
          for (let i = 0; i < H; i++) {               // rows g·H + i of W_ih [GH,V], column x
            let o = gateBytes(g) + (<usize>i << 2);
            store<f32>(p + o, load<f32>(col + <usize>(g * H + i) * rowBytes) + load<f32>(bias + o));
          }
        }
      }
    }
    return;
  }
  let below = layerOutput(tab, l - 1, N);            // [steps·N, HP]
  fillRows(P, bias, steps * N, GP, GP);
  gatesMatmulAcc(P, W, rowPanels(inputMatrix(l)), below, G, H, steps * N, HP);
}

/** Where layer l's input pre-activations go: the rnn adds its recurrence in h itself. */
@inline function preActivations(tab: usize, l: i32, N: i32): usize {
  return preActivatesInHidden(CELL) ? buf(tab, l, K_HS) + stepBytes(N) : buf(tab, l, K_A);
}

/** Every layer over the window, from the carried state in each layer's h[0] (and c[0]); biases from prepareBiases. */
export function netForward(tab: usize, x: usize, ld: i32, steps: i32, N: i32): void {
  for (let l = 0; l < L; l++) {
    inputForward(tab, preActivations(tab, l, N), l, x, ld, steps, N);
    let hs = buf(tab, l, K_HS);
    cellForward(CELL, hs, buf(tab, l, K_CS), buf(tab, l, K_A), buf(tab, l, K_AUX), params + layerTensor(l, W_HH), rowPanels(recurrentMatrix(l)), layerBias(l, 1), steps, N);
    if (dropping) applyMask(buf(tab, l, K_DROP), hs + stepBytes(N), buf(tab, l, K_MASK), steps * N * HP);
  }
}

/** The forward pass and the loss Σ -ln p[target] over the window, in f64 (probabilities stay for backward). */
export function windowForward(tab: usize, x: usize, ld: i32, steps: i32, N: i32): f64 {
  netForward(tab, x, ld, steps, N);
  let y = x + (<usize>ld << 2);                       // targets: the symbols one step on
  return decoderForward(probs(tab), layerOutput(tab, L - 1, N), params + decoderWeight(), params + decoderBias(), y, ld, steps, N);
}

/**
 * Backward through the decoder and every layer, accumulating into the gradient buffer g
 * (the parameters' layout); dy is scaled by `scale` (1/B: the loss is averaged over streams).
 */
export function windowBackward(tab: usize, g: usize, x: usize, ld: i32, steps: i32, N: i32, scale: f32): void {
  let dTop = buf(tab, L - 1, K_DH);
  memory.fill(dTop, 0, stepBytes(N) * <usize>steps);
  decoderBackward(g + decoderWeight(), g + decoderBias(), dTop, probs(tab), layerOutput(tab, L - 1, N),
                  params + decoderWeight(), x + (<usize>ld << 2), ld, steps, N, scale);
  if (dropping) applyMask(dTop, dTop, buf(tab, L - 1, K_MASK), steps * N * HP);
  for (let l = L - 1; l >= 0; l--) {
    let Whh = params + layerTensor(l, W_HH), dWhh = g + layerTensor(l, W_HH), dbhh = g + layerTensor(l, B_HH);
    let da = buf(tab, l, K_DA);
    cellBackward(CELL, da, buf(tab, l, K_DH), buf(tab, l, K_DAUX), buf(tab, l, K_HS), buf(tab, l, K_CS), buf(tab, l, K_A), buf(tab, l, K_AUX), Whh, colPanels(recurrentMatrix(l)), dWhh, dbhh, steps, N);
    inputBackward(tab, g, da, l, x, ld, steps, N);
  }
}

/**
 * The input side of layer l from its pre-activation gradients da [steps,N,GP]:
 * db_ih += Σ da; dW_ih += Σ da ⊗ input (layer 0: a column scatter); and, above layer 0,
 * the layer below's dL/dh = W_ihᵀ·da, which its own backward then continues.
 */
function inputBackward(tab: usize, g: usize, da: usize, l: i32, x: usize, ld: i32, steps: i32, N: i32): void {
  let K = steps * N;
  let dW = g + layerTensor(l, W_IH), db = g + layerTensor(l, B_IH);
  for (let gate = 0; gate < G; gate++) sumRowsAcc(db + (<usize>(gate * H) << 2), da + gateBytes(gate), K, H, GP);
  if (l == 0) {
    let rowBytes = <usize>V << 2;
    for (let t = 0; t < steps; t++) {
      for (let n = 0; n < N; n++) {
        let d = da + <usize>(t * N + n) * gateBytes(G);
        let col = dW + (<usize>symbolAt(x, ld, t, n) << 2);
        for (let gate = 0; gate < G; gate++) {
          for (let i = 0; i < H; i++) {               // column x[t,n] of dW_ih [GH,V]
            let c = col + <usize>(gate * H + i) * rowBytes;
            store<f32>(c, load<f32>(c) + load<f32>(d + gateBytes(gate) + (<usize>i << 2)));
          }
        }
      }
    }
    return;
  }
  let W = params + layerTensor(l, W_IH);
  let below = layerOutput(tab, l - 1, N), dBelow = buf(tab, l - 1, K_DH);
  memory.fill(dBelow, 0, stepBytes(N) * <usize>steps);
  gatesOuterAcc(dW, da, below, G, H, K, HP);
  gatesMatmulTAcc(dBelow, W, colPanels(inputMatrix(l)), da, G, H, K, HP);
  if (dropping) applyMask(dBelow, dBelow, buf(tab, l - 1, K_MASK), K * HP);
}

// The carried state: per stream [L][S][HP] (h, then c for the lstm), streams one after
// another at `state`; in a table, each layer's h[0] (and c[0]) block of N streams.

/** Each layer's h[0] (and c[0]) ← the carried state of N streams.   state [N][L][S][HP] */
export function loadState(tab: usize, state: usize, N: i32): void { moveState(tab, state, N, 0, true); }

/** The carried state of N streams ← each layer's h[steps] (and c[steps]). */
export function storeState(tab: usize, state: usize, N: i32, steps: i32): void { moveState(tab, state, N, steps, false); }

function moveState(tab: usize, state: usize, N: i32, step: i32, load: bool): void {
  let vec = <usize>HP << 2, streamBytes = <usize>(L * S) * vec;
  for (let l = 0; l < L; l++) {
    for (let s = 0; s < S; s++) {
      let block = buf(tab, l, s == 0 ? K_HS : K_CS) + <usize>step * stepBytes(N);
      for (let n = 0; n < N; n++) {
        let saved = state + <usize>n * streamBytes + <usize>(l * S + s) * vec;
        let live = block + <usize>n * vec;
        if (load) memory.copy(live, saved, vec);
        else memory.copy(saved, live, vec);
      }
    }
  }
}

/** One stream's h[0] (and c[0]) ← h[steps] (and c[steps]): the state carried to the next window. */
export function carryState(tab: usize, steps: i32): void {
  for (let l = 0; l < L; l++) {
    for (let s = 0; s < S; s++) {
      let block = buf(tab, l, s == 0 ? K_HS : K_CS);
      memory.copy(block, block + <usize>steps * stepBytes(1), <usize>HP << 2);
    }
  }
}

/** One stream's h[0] (and c[0]) ← 0. */
export function zeroState(tab: usize): void {
  for (let l = 0; l < L; l++) {
    for (let s = 0; s < S; s++) memory.fill(buf(tab, l, s == 0 ? K_HS : K_CS), 0, <usize>HP << 2);
  }
}
