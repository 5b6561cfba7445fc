// The validation loss: the model's forward pass over held-out text, with no gradients.
//   h = 0
//   for each window w of T characters, in order (inputs val[wT .. wT+T-1], targets one on):
//     hs[1..T] = the cell from h; loss[w] = Σ -ln softmax(Why·hs[t] + by)[target]; h = hs[T]
//   validation loss = Σ loss[w] / windows
// Each window's loss is a sum over T steps, as training's is, so it reads on the same
// scale as the smooth loss. The hidden state is carried across windows as training's hprev
// is, but inside this call only: training's hprev, position, gradients, PRNG and smooth
// loss are not touched. It runs one stream (stream 0's lane of the activation buffers):
// the held-out text is read in order as one sequence, whatever B is.
//
// hs and ps are training's activation scratch; every training iteration rewrites them from
// hprev before reading them, so nothing carries in them from one call to the next.
import { T, HP, hs, ps, dataLen, valLen } from "./layout";
import { rnnForward } from "./rnn";
import { decoderForward } from "./loss";

/** Windows of T inputs and T targets in the held-out text (its last < T characters are left out). */
export function validationWindows(): i32 { return valLen > T ? (valLen - 1) / T : 0; }

/** The mean over windows of the summed loss of each, in f64; NaN when there is no full window. */
export function validationLoss(): f64 {
  let windows = validationWindows();
  if (windows == 0) return NaN;
  let hBytes = <usize>HP << 2;
  let total: f64 = 0;
  memory.fill(hs, 0, hBytes);                        // h = 0                    [HP]
  for (let w = 0; w < windows; w++) {
    let at = dataLen + w * T;                        // the window's first input, as an index into data
    for (let t = 0; t < T; t++) {                    // hs[t+1] = tanh(Wxh·x[t] + Whh·hs[t] + bh)   [1,HP] per step
      rnnForward(hs + <usize>(t + 1) * hBytes, hs + <usize>t * hBytes, 1, at + t, 0);
    }
    total += decoderForward(ps, hs + hBytes, T, 1, at + 1, 0);   // ps [T,1,VP]
    memory.copy(hs, hs + <usize>T * hBytes, hBytes);  // carry h = hs[T]
  }
  return total / <f64>windows;
}
