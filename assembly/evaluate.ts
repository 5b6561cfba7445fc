// The validation loss: the network's forward pass over held-out text, with no gradients.
//   state = 0
//   for each window w of T characters, in order (inputs val[wT .. wT+T-1], targets one on):
//     loss[w] = Σ -ln softmax(decoder(net(window, state)))[target]; state = the window's last
//   validation loss = Σ loss[w] / windows
// Each window's loss is a sum over T steps, as training's is, so it reads on the same
// scale as the smooth loss. The state is carried across windows as training's is, but
// inside this call only: training's carried state, position, gradients, PRNG and smooth
// loss are not touched. It runs one stream (stream 0's block of the activation buffers):
// the held-out text is read in order as one sequence, whatever B is.
//
// The activation buffers are training's scratch; every training iteration rewrites them
// from the carried state before reading them, so nothing carries in them between calls.
import { T, xs, dataLen, valLen, BOUND, bindShard, gatherSymbols } from "./layout";
import { windowForward, carryState, zeroState, prepareBiases } from "./net";
import { packPanels } from "./panels";

/** Windows of T inputs and T targets in the held-out text (its last < T characters are left out). */
export function validationWindows(): i32 { return valLen > T ? (valLen - 1) / T : 0; }

/** The mean over windows of the summed loss of each, in f64; NaN when there is no full window. */
export function validationLoss(): f64 {
  let windows = validationWindows();
  if (windows == 0) return NaN;
  let total: f64 = 0;
  bindShard(0);
  prepareBiases();
  packPanels();
  zeroState(BOUND);
  for (let w = 0; w < windows; w++) {
    gatherSymbols(xs, 1, T, 1, dataLen + w * T, 0);  // the window's symbols as xs [T+1, 1]
    total += windowForward(BOUND, xs, 1, T, 1);
    carryState(BOUND, T);
  }
  return total / <f64>windows;
}
