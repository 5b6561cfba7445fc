// The cell descriptor: everything that makes the rnn, the lstm and the gru differ for the
// rest of the core. Per cell: its gates per layer (G), the vectors it carries between
// windows (S), the activation buffers it needs (bufferFloats), how its biases are used,
// how it is initialized, and the dispatch to its forward/backward pair (rnn.ts, lstm.ts,
// gru.ts). layout.ts sizes everything from here and net.ts calls through here: adding a
// cell is its own file and an entry in each function below.
import { rnnForward, rnnBackward } from "./rnn";
import { lstmForward, lstmBackward } from "./lstm";
import { gruForward, gruBackward } from "./gru";

export const CELL_RNN = 0;
export const CELL_LSTM = 1;
export const CELL_GRU = 2;
export const CELL_COUNT = 3;

// Activation buffer kinds, one region per layer and kind (layout.ts). Shapes per shard of
// N streams over `steps` steps:
export const K_HS = 0;   // [T+1, N, HP]   h[t-1] for t = 0..T; h[0] is the carried state's copy
export const K_CS = 1;   // [T+1, N, HP]   lstm: c likewise
export const K_A = 2;    // [T, N, GP]     lstm, gru: gate activations (the input part before the recurrence)
export const K_AUX = 3;  // lstm [T, N, HP] tanh(c); gru [T, N, GP] W_hh·h + b_hh
export const K_DH = 4;   // [T, N, HP]     dL/dh[t] (rnn: then dL/d pre-activation, in place)
export const K_DA = 5;   // [T, N, GP]     lstm, gru: dL/d gate pre-activations
export const K_DAUX = 6; // lstm [N, HP] dL/dc carried back in BPTT; gru [T, N, GP] dL/d(W_hh·h + b_hh)
export const K_DROP = 7; // [T, N, HP]     with dropout: h[1..T] ⊙ mask, the layer's output as the next layer (or the decoder) reads it
export const K_MASK = 8; // [T, N, HP]     with dropout: the mask, 0 or 1/(1−p) per unit (a layer's region is [B][T][HP], drawn whole)
export const KINDS = 9;

/** Gates per layer: 1 rnn, 4 lstm (i f g o), 3 gru (r z n), in PyTorch's order. */
export function gatesOf(cell: i32): i32 { return cell == CELL_LSTM ? 4 : cell == CELL_GRU ? 3 : 1; }

/** Vectors carried between windows per layer: h, and c for the lstm. */
export function carriedOf(cell: i32): i32 { return cell == CELL_LSTM ? 2 : 1; }

/**
 * The rnn writes its input pre-activations into h itself and rewrites dL/dh into dL/d
 * pre-activation in place: it has no K_A or K_DA buffer of its own (K_DA aliases K_DH).
 */
export function preActivatesInHidden(cell: i32): bool { return cell == CELL_RNN; }

/** The lstm adds b_hh to b_ih once per update; the gru's reset gate needs b_hh apart; the rnn's stays zero. */
export function foldsHiddenBias(cell: i32): bool { return cell == CELL_LSTM; }

/** The reference's init (weights N(0,1)·scale, biases 0) for the rnn; PyTorch's U(−1/√H, 1/√H) for the others. */
export function referenceInit(cell: i32): bool { return cell == CELL_RNN; }

/** Floats per stream of buffer kind k over `steps` steps (0: the cell has none). */
export function bufferFloats(cell: i32, k: i32, steps: i32, HP: i32, GP: i32, dropout: bool): i64 {
  let t = <i64>steps;
  switch (k) {
    case K_HS: return (t + 1) * HP;
    case K_CS: return cell == CELL_LSTM ? (t + 1) * HP : 0;
    case K_A: return cell == CELL_RNN ? 0 : t * GP;
    case K_AUX: return cell == CELL_LSTM ? t * HP : cell == CELL_GRU ? t * GP : 0;
    case K_DH: return t * HP;
    case K_DA: return cell == CELL_RNN ? 0 : t * GP;
    case K_DAUX: return cell == CELL_LSTM ? <i64>HP : cell == CELL_GRU ? t * GP : 0;
    case K_DROP: return dropout ? t * HP : 0;
    case K_MASK: return dropout ? t * HP : 0;
    default: return 0;
  }
}

/**
 * A layer's recurrence over the window, its input pre-activations already in place:
 * buffers of one layer (hs, cs, a, aux as bufferFloats sizes them), W_hh and its row
 * panels (panels.ts; 0: none), and the hidden bias in gate blocks (the gru's).
 */
export function cellForward(cell: i32, hs: usize, cs: usize, a: usize, aux: usize, Whh: usize, P: usize, bhh: usize, steps: i32, N: i32): void {
  if (cell == CELL_RNN) rnnForward(hs, Whh, P, steps, N);
  else if (cell == CELL_LSTM) lstmForward(hs, cs, a, aux, Whh, P, steps, N);
  else gruForward(hs, a, aux, Whh, P, bhh, steps, N);
}

/** BPTT through a layer: dL/dh in dh on entry, dL/d pre-activation in da after; dW_hh and db_hh accumulate. Q: W_hh's column panels (0: none). */
export function cellBackward(cell: i32, da: usize, dh: usize, daux: usize, hs: usize, cs: usize, a: usize, aux: usize, Whh: usize, Q: usize, dWhh: usize, dbhh: usize, steps: i32, N: i32): void {
  if (cell == CELL_RNN) rnnBackward(dh, hs, Whh, Q, dWhh, steps, N);
  else if (cell == CELL_LSTM) lstmBackward(da, dh, daux, hs, cs, a, aux, Whh, Q, dWhh, dbhh, steps, N);
  else gruBackward(da, daux, dh, hs, a, aux, Whh, Q, dWhh, dbhh, steps, N);
}
