// The min-char-rnn training loop. One iteration, as in the reference:
//   if p + T + 1 >= len or n == 0: hprev = 0, p = 0
//   loss, grads, h = lossFun(text[p..p+T], text[p+1..p+T+1], hprev)
//   clip grads to [-clip, clip]; Adagrad update; smooth = 0.999·smooth + 0.001·loss; p += T
// With B streams the text is cut into B equal slices (char-rnn's layout); stream b reads
// its window at b·slice + p, the loss is summed over time and averaged over streams.
import { V, T, B, HP, NP, grads, hprev, hs, ps, dh, dataLen } from "./layout";
import { rnnForward, rnnBackwardStep, rnnBackwardWeights } from "./rnn";
import { decoderForward, decoderBackward } from "./loss";
import { clipAdagrad, clipGrads, forgetBounds } from "./optim";

export let iteration: f64 = 0;   // f64: exact to 2^53 and a plain JS number on the host side
export let position: i32 = 0;
export let smoothLoss: f64 = 0;
export let lastLoss: f64 = 0;
export let learningRate: f32 = 0.1;
export let clip: f32 = 5.0;

@inline function hAt(t: i32, b: i32): usize { return hs + (<usize>(t * B + b) * <usize>HP << 2); }
@inline function sliceLength(): i32 { return dataLen / B; }

/** The reference's starting smooth loss, -ln(1/V)·T. */
export function resetSmoothLoss(): void { smoothLoss = -Math.log(1.0 / <f64>V) * <f64>T; }

/** Applies the wrap rule before an iteration. */
export function wrap(): void {
  if (iteration == 0 || position + T + 1 >= sliceLength()) {
    memory.fill(hprev, 0, <usize>(B * HP) << 2);
    position = 0;
  }
}

/**
 * Forward over T steps from hprev and BPTT backward; gradients are accumulated into the
 * (zeroed) gradient buffer, hs[1..T] and the probabilities are left in place.
 * Only the recurrence runs step by step (all B streams per call); the decoder and every
 * weight gradient are one matrix product over the whole window of T·B vectors.
 * Returns the loss summed over time and averaged over streams, in f64.
 */
export function lossFun(): f64 {
  let slice = sliceLength();
  let streamBytes = <usize>(B * HP) << 2;
  memory.copy(hs, hprev, streamBytes);               // hs[0] = hprev            [B,HP]
  for (let t = 0; t < T; t++) {                      // hs[t+1] = tanh(Wxh·x[t] + Whh·hs[t] + bh)   [B,HP] per step
    rnnForward(hAt(t + 1, 0), hAt(t, 0), B, position + t, slice);
  }
  // ps = softmax(Why·hs[1..T] + by), loss = Σ -ln ps[target]        ps [T,B,VP]
  let loss = decoderForward(ps, hAt(1, 0), T, B, position + 1, slice);

  // dy = (ps - onehot)/B; dWhy += Σ dy⊗h; dby += Σ dy; dh = Whyᵀ·dy  dh [T,B,HP]
  memory.fill(dh, 0, streamBytes * <usize>T);
  decoderBackward(dh, ps, hAt(1, 0), T, B, position + 1, slice, 1.0 / <f32>B);
  for (let t = T - 1; t >= 0; t--) {                 // dhraw[t] = (1 - h²)·dh[t]; dh[t-1] += Whhᵀ·dhraw[t]
    let dht = dh + <usize>t * streamBytes;
    rnnBackwardStep(dht - streamBytes, dht, hAt(t + 1, 0), B, t > 0);
  }
  rnnBackwardWeights(dh, hs, T, B, position, slice); // dbh, dWxh, dWhh += Σ over the window
  return loss / <f64>B;
}

/** Debug and test hook: wrap, lossFun and clipping, but no update and no commit. */
export function gradients(): f64 {
  wrap();
  let loss = lossFun();
  clipGrads(clip);
  return loss;
}

/** Why the last iteration made no update: 0 none, 1 the loss was not finite, 2 the update would not be. */
export let failure: i32 = 0;

/**
 * One training iteration. When the loss is not finite, or the update would make a weight
 * or an Adagrad sum non-finite, it returns NaN and changes nothing: not the weights, the
 * optimizer state, the hidden state, the position or the smooth loss (see `failure`).
 */
function iterate(): f64 {
  wrap();
  let loss = lossFun();
  lastLoss = loss;
  failure = !isFinite(loss) ? 1 : !clipAdagrad(learningRate, clip) ? 2 : 0;
  if (failure != 0) {
    memory.fill(grads, 0, <usize>NP << 2);
    return NaN;
  }
  memory.copy(hprev, hAt(T, 0), <usize>(B * HP) << 2);
  smoothLoss = smoothLoss * 0.999 + loss * 0.001;
  position += T;
  iteration += 1;
  return loss;
}

/** One iteration (see iterate); returns its loss, or NaN when it made no update. */
export function step(): f64 {
  forgetBounds();
  return iterate();
}

/** Runs up to n iterations without leaving the module; stops at the first that makes no update. Returns the count done. */
export function train(n: i32): i32 {
  forgetBounds();
  for (let i = 0; i < n; i++) {
    if (isNaN(iterate())) return i;
  }
  return n;
}
