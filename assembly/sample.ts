// The sampling loop: feed an index, read the next distribution, draw, repeat, all inside
// the module. The sampler keeps its own carried state (samplerState [L][S][HP]) and
// buffers (the SAMPLER table: one step of one stream), apart from training's.
import { V, sy, topk, out, params, SAMPLER, samplerState, decoderWeight, decoderBias } from "./layout";
import { netForward, topHidden, loadState, storeState, prepareBiases } from "./net";
import { decoderLogits, softmax } from "./loss";
import { uniform } from "./rng";

const X: usize = memory.data(8, 4);  // the one input symbol, as a window xs [1+1, 1]

/** Advances the sampler's state by one input index (a prime's), from the weights as they are now. */
export function feed(x: i32): void {
  prepareBiases();
  advance(x);
}

/** One step of the sampler from input x; the top layer's h is then in the SAMPLER table. */
function advance(x: i32): void {
  store<i32>(X, x);
  loadState(SAMPLER, samplerState, 1);
  netForward(SAMPLER, X, 1, 1, 1);
  storeState(SAMPLER, samplerState, 1, 1);
}

function argmaxLogits(): i32 {
  let best = 0;
  let bestValue = load<f32>(sy);
  for (let i = 1; i < V; i++) {
    let v = load<f32>(sy + (<usize>i << 2));
    if (v > bestValue) { best = i; bestValue = v; }
  }
  return best;
}

/** The k-th largest of the n floats at `a` (quickselect on a copy in `topk`). */
function kthLargest(a: usize, n: i32, k: i32): f32 {
  memory.copy(topk, a, <usize>n << 2);
  let lo = 0, hi = n - 1, want = k - 1;
  while (lo < hi) {
    let pivot = load<f32>(topk + (<usize>((lo + hi) >>> 1) << 2));
    let i = lo, j = hi;
    while (i <= j) {
      while (load<f32>(topk + (<usize>i << 2)) > pivot) i++;
      while (load<f32>(topk + (<usize>j << 2)) < pivot) j--;
      if (i <= j) {
        let pi = topk + (<usize>i << 2), pj = topk + (<usize>j << 2);
        let t = load<f32>(pi); store<f32>(pi, load<f32>(pj)); store<f32>(pj, t);
        i++; j--;
      }
    }
    if (want <= j) hi = j; else if (want >= i) lo = i; else break;
  }
  return load<f32>(topk + (<usize>want << 2));
}

/**
 * Draws from softmax(y / temperature), keeping only probabilities ≥ the k-th largest
 * when 0 < k < V (ties at the threshold are all kept). Falls back to the last nonzero
 * probability if rounding leaves the cumulative sum short of the draw.
 */
function draw(invTemperature: f32, k: i32): i32 {
  softmax(sy, V, invTemperature);
  let threshold: f32 = 0;
  if (k > 0 && k < V) threshold = kthLargest(sy, V, k);
  let total: f64 = 0;
  for (let i = 0; i < V; i++) {
    let p = load<f32>(sy + (<usize>i << 2));
    if (p >= threshold) total += <f64>p;
  }
  let u = uniform() * total;
  let cum: f64 = 0;
  let last = 0;
  for (let i = 0; i < V; i++) {
    let p = load<f32>(sy + (<usize>i << 2));
    if (p < threshold || p == 0) continue;
    cum += <f64>p;
    last = i;
    if (u < cum) return i;
  }
  return last;
}

/**
 * Draws n ≤ OUT_CAP indices into `out`, starting from input index `first`, each fed
 * back as the next input. Returns the last index drawn (the next call's `first`).
 */
export function sampleDraw(n: i32, first: i32, invTemperature: f32, k: i32, greedy: bool): i32 {
  let x = first;
  prepareBiases();
  for (let i = 0; i < n; i++) {
    advance(x);
    decoderLogits(sy, topHidden(SAMPLER, 1), params + decoderWeight(), params + decoderBias(), 1);
    x = greedy ? argmaxLogits() : draw(invTemperature, k);
    store<u32>(out + (<usize>i << 2), <u32>x);
  }
  return x;
}
