// The min-char-rnn training loop. One iteration, as in the reference:
//   if p + T + 1 >= len or n == 0: state = 0, p = 0
//   loss, grads, state = lossFun(text[p..p+T], text[p+1..p+T+1], state)
//   clip grads to [-clip, clip] (and by norm); the update (Adagrad, Adam or RMSProp);
//   smooth = 0.999·smooth + 0.001·loss; p += T; at an epoch's end, the rate's decay
// With B streams the text is cut into B equal slices (char-rnn's layout); stream b reads
// its window at b·slice + p, the loss is summed over time and averaged over streams.
// An iteration runs in phases (the wrap, each shard's gradients, their fold, the update,
// the commit) so that threads can split it (shards.ts); train(n) runs them all here.
import { V, T, B, L, S, HP, NP, SHARDS, grads, grads2, state, xs, dataLen, BOUND, bindShard, streamState, gatherSymbols } from "./layout";
import { windowForward, windowBackward, loadState, storeState, prepareBiases, drawMasks, setDropping } from "./net";
import { addGradients, adagradFinite, adagradUpdate, adam, rmsprop, clipGrads, scaleGrads, normCoef, forgetBounds } from "./optim";
import { packPanels } from "./panels";
import {
  progress, setProgress, P_ITERATION, P_POSITION, P_SMOOTH_LOSS, P_LAST_LOSS, P_LEARNING_RATE,
  P_ADAM_STEP, P_FAILURE, P_MAX_LOSS_RATIO, P_LOSS_START,
} from "./progress";

export let clip: f32 = 5.0;

export const OPT_ADAGRAD = 0;
export const OPT_ADAM = 1;
export const OPT_RMSPROP = 2;
export let optimizer: i32 = OPT_ADAGRAD;
export let clipNorm: f32 = Infinity;  // clip_grad_norm_'s max_norm; Infinity: off
// Decay rates in f64, as the host gives them: each update uses the rate and its complement
// (1 − rate, computed in f64) as two f32 scalars, as torch does with its Python floats.
// (1 − f32(0.999) is 1.3e-5 off 0.001, which shows in exp_avg_sq.)
export let alpha: f64 = 0.95;
export let beta1: f64 = 0.9;
export let beta2: f64 = 0.999;
export let eps: f32 = 1e-8;
export let lrDecay: f32 = 1;          // char-rnn's schedule: × lrDecay at the end of each epoch ≥ lrDecayAfter
export let lrDecayAfter: i32 = 10;
/** Test hook: when true, wrap() keeps the last dropout masks (a gradient check needs one fixed mask). */
export let masksFrozen: bool = false;

@inline function sliceLength(): i32 { return dataLen / B; }

// Shards: SHARDS contiguous ranges of the streams, fixed by the model (layout.ts). The
// total gradient is the left fold ((g0 + g1) + g2) + … in shard order, and the loss is
// summed in that order too, so an iteration gives the same bytes whether one thread runs
// every shard or N threads run some each (shards.ts).
export function shardCount(): i32 { return SHARDS; }
/** The first stream of shard s (s = SHARDS: B). */
export function shardStart(s: i32): i32 { return s * B / SHARDS; }
@inline function shardEnd(s: i32): i32 { return shardStart(s + 1); }

/** The reference's starting smooth loss, -ln(1/V)·T. */
export function resetSmoothLoss(): void { setProgress(P_SMOOTH_LOSS, -Math.log(1.0 / <f64>V) * <f64>T); }

@inline function position(): i32 { return <i32>progress(P_POSITION); }
@inline function learningRate(): f32 { return <f32>progress(P_LEARNING_RATE); }
/** clip_grad_norm_'s factor (1 when off), from the gradients in grads. */
@inline function clipCoef(): f32 { return normCoef(clip, clipNorm); }

/**
 * Whether a window at p would reach past the slice: p + T + 1 >= slice, compared as
 * p >= slice - T - 1 so that no p up to 2^31 - 1 overflows i32 (slice > T always).
 */
export function wraps(p: i32): bool { return p >= sliceLength() - T - 1; }

/** Applies the wrap rule before an iteration, then gathers the window's symbols into xs [T+1, B]. */
export function wrap(): void {
  if (progress(P_ITERATION) == 0 || wraps(position())) {
    memory.fill(state, 0, <usize>(B * L * S * HP) << 2);
    setProgress(P_POSITION, 0);
  }
  gatherSymbols(xs, B, T, B, position(), sliceLength());
  prepareBiases();                                   // the last update (or the host) changed them
  packPanels();
  // Every instance draws every stream's masks (the same PRNG draws on both threads); each shard uses its part.
  if (!masksFrozen) drawMasks();
}

/**
 * Shard s's forward over T steps from its streams' carried state and BPTT backward;
 * gradients are accumulated into dst (zeroed), and its blocks of the
 * activation buffers hold the window afterwards (net.ts).
 * Returns the loss summed over time and the shard's streams, in f64 (not yet averaged).
 */
export function lossFun(s: i32, dst: usize): f64 {
  let b0 = shardStart(s), N = shardEnd(s) - b0;
  let x = xs + (<usize>b0 << 2);                     // the shard's columns of xs [T+1, B]
  bindShard(b0);
  loadState(BOUND, streamState(b0), N);
  setDropping(true);                             // dropout in training only
  let loss = windowForward(BOUND, x, B, T, N);
  windowBackward(BOUND, dst, x, B, T, N, 1.0 / <f32>B);
  setDropping(false);
  return loss;
}

/** Every shard in turn: the total gradient left in grads; returns the summed loss (not yet averaged). */
function lossAllShards(): f64 {
  let loss = lossFun(0, grads);
  for (let s = 1; s < SHARDS; s++) {
    loss += lossFun(s, grads2);
    addGradients(0, NP);
  }
  return loss;
}

/** Debug and test hook: wrap, the loss and clipped gradients, but no update and no commit. */
export function gradients(): f64 {
  wrap();
  let loss = lossAllShards() / <f64>B;
  clipGrads(clip);
  let coef = clipCoef();
  if (coef != 1) scaleGrads(coef);
  return loss;
}

// char-rnn's stop for a loss that explodes ("loss is exploding, aborting"): an iteration
// whose smooth loss would pass P_MAX_LOSS_RATIO × P_LOSS_START is refused. 0: off (the
// reference has no such stop). The host sets both when a run starts.

/** Whether the optimizer's update of floats [from, to) with norm factor coef would be finite; writes nothing. */
export function updateFinite(from: i32, to: i32, coef: f32): bool {
  let lr = learningRate();
  if (optimizer == OPT_ADAM) return adam(from, to, false, lr, clip, coef, beta1, beta2, eps, progress(P_ADAM_STEP) + 1);
  if (optimizer == OPT_RMSPROP) return rmsprop(from, to, false, lr, clip, coef, alpha, eps);
  return adagradFinite(from, to, lr, clip, coef);
}

/** The optimizer's update of floats [from, to), once updateFinite said yes; Adam counts the step. */
export function writeUpdate(from: i32, to: i32, coef: f32): void {
  let lr = learningRate();
  if (optimizer == OPT_ADAM) {
    let step = progress(P_ADAM_STEP) + 1;
    adam(from, to, true, lr, clip, coef, beta1, beta2, eps, step);
    setProgress(P_ADAM_STEP, step);
  } else if (optimizer == OPT_RMSPROP) {
    rmsprop(from, to, true, lr, clip, coef, alpha, eps);
  } else {
    adagradUpdate(from, to, lr, clip, coef);
  }
}

/**
 * char-rnn's schedule, after an update: when the next window wraps, an epoch (one pass
 * over a stream's slice) has ended; from the end of epoch lrDecayAfter on, the rate is
 * multiplied by lrDecay. Every epoch of a text has the same number of iterations, the
 * position over T after the last one, so the epochs done are iteration / that.
 */
function decaySchedule(): void {
  if (lrDecay == 1 || !wraps(position())) return;
  let perEpoch = <f64>(position() / T);
  if (Math.floor(progress(P_ITERATION) / perEpoch) >= <f64>lrDecayAfter) setProgress(P_LEARNING_RATE, learningRate() * lrDecay);
}

/**
 * The loss's verdict on an iteration, from the loss summed over every stream in shard
 * order: 0 go on, 1 not finite, 3 the smooth loss would pass the explosion limit.
 */
export function lossVerdict(lossSum: f64): i32 {
  let loss = lossSum / <f64>B;
  setProgress(P_LAST_LOSS, loss);
  let smooth = progress(P_SMOOTH_LOSS) * 0.999 + loss * 0.001;
  let ratio = progress(P_MAX_LOSS_RATIO);
  return !isFinite(loss) ? 1 : ratio > 0 && smooth > ratio * progress(P_LOSS_START) ? 3 : 0;
}

/** No update for `why` (see P_FAILURE): the gradients are dropped and nothing else changes. Returns NaN. */
export function refuse(why: i32): f64 {
  setProgress(P_FAILURE, why);
  memory.fill(grads, 0, <usize>NP << 2);
  return NaN;
}

/**
 * After an update: the commit of shards [s0, s1)'s carried states (h[T], and c[T]), the
 * smooth loss, the position, the iteration and the schedule. Returns the iteration's loss.
 */
export function commit(s0: i32, s1: i32): f64 {
  setProgress(P_FAILURE, 0);
  for (let s = s0; s < s1; s++) {
    let b0 = shardStart(s);
    bindShard(b0);
    storeState(BOUND, streamState(b0), shardEnd(s) - b0, T);
  }
  let loss = progress(P_LAST_LOSS);
  setProgress(P_SMOOTH_LOSS, progress(P_SMOOTH_LOSS) * 0.999 + loss * 0.001);
  setProgress(P_POSITION, position() + T);
  setProgress(P_ITERATION, progress(P_ITERATION) + 1);
  decaySchedule();
  return loss;
}

/**
 * The last phase of an iteration on one thread, given the loss summed over every stream
 * and the total gradient in grads: both clips, the update, the commit. When the loss is
 * not finite, the smooth loss would pass the explosion limit, or the update would make a
 * weight or an optimizer slot non-finite, it returns NaN and changes nothing: not the
 * weights, the optimizer state, the carried state, the position or the smooth loss (see
 * P_FAILURE).
 */
function update(lossSum: f64): f64 {
  let verdict = lossVerdict(lossSum);
  if (verdict != 0) return refuse(verdict);
  let coef = clipCoef();
  if (!updateFinite(0, NP, coef)) return refuse(2);
  writeUpdate(0, NP, coef);
  return commit(0, SHARDS);
}

/** One training iteration on this thread alone: both shards, then the update (see update). */
function iterate(): f64 {
  wrap();
  return update(lossAllShards());
}

/**
 * The start of a call that trains: the host may have written weights or sums since the
 * last (the bounds are forgotten), and a threaded call that stopped part-way may have
 * left partial gradients (both buffers are cleared).
 */
export function startCall(): void {
  forgetBounds();
  memory.fill(grads, 0, <usize>NP << 2);
  if (SHARDS > 1) memory.fill(grads2, 0, <usize>NP << 2);
}

/** Runs up to n iterations without leaving the module; stops at the first that makes no update. Returns the count done. */
export function train(n: i32): i32 {
  startCall();
  for (let i = 0; i < n; i++) {
    if (isNaN(iterate())) return i;
  }
  return n;
}
