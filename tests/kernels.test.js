// The SIMD kernels of the core against their scalar forms (assembly/scalar.ts), on odd
// and even shapes, through the kernel entry points of build/minrnn.testing.wasm (and of the
// fused build, minrnn.testing.fma.wasm, where the runtime has relaxed SIMD); the exp/tanh
// approximations against Math; and the batched training path (B > 1) end to end.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";
import { root, stateOf } from "./helpers.js";

await init();

const U = 2 ** -24; // unit roundoff of float32

const FUSED = readFileSync(`${root}build/minrnn.testing.fma.wasm`);
const fusedRuns = WebAssembly.validate(FUSED);
if (!fusedRuns) console.log("kernels: the fused build's kernels are not tested here: this runtime lacks relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd)");

/** A bare core instance and a region of `floats` free floats at `base`. */
function scratch(floats, bytes = readFileSync(`${root}build/minrnn.testing.wasm`)) {
  const core = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  assert.ok(core.configure(0, 1, 2, 1, 1, 1, 1, 0.1, 5, 0) && core.reserveData(floats * 4, 0), "kernel scratch memory");
  return { core, base: core.regionPtr(core.REGION_DATA.value, 0) };
}

const { core, base } = scratch(1 << 20);
const f32 = (ptr, n) => new Float32Array(core.memory.buffer, ptr, n);

let seed = 1;
function random(n, scale = 1) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    a[i] = ((seed / 2 ** 32) * 2 - 1) * scale;
  }
  return a;
}

/** A core with its operands at fixed offsets: W, X (inputs), OUT (accumulated into), PANELS (W packed). */
function operands(k, at) {
  return { k, W: at, X: at + 4 * 200000, OUT: at + 4 * 400000, PANELS: at + 4 * 600000 };
}
const P = operands(core, base);
const CORES = [["default", P]];
if (fusedRuns) { const f = scratch(1 << 20, FUSED); CORES.push(["fused", operands(f.core, f.base)]); }

/** Runs `call` on copies of the inputs (in the memory of o's core) and returns the output region as a new array. */
function run(call, inputs, outLength, o = P) {
  const view = (ptr, n) => new Float32Array(o.k.memory.buffer, ptr, n);
  for (const [which, data] of inputs) view(o[which], data.length).set(data);
  call();
  return view(o.OUT, outLength).slice();
}

/**
 * [SIMD result, scalar result] of kernel `name` (and `name`Scalar) on the same inputs
 * ([operand name, data] pairs); args after the pointers. `panels`: "rows" or "cols" packs W
 * first and passes the panels (matmulAcc, matmulTAcc), "none" passes 0 for them. The SIMD
 * form runs in o's core (the default or the fused build), the scalar form in the default one.
 */
function bothForms(name, inputs, outLength, args, panels, o = P) {
  const [R, C] = args, k = o.k;
  const simd = panels === undefined ? () => k[name](o.OUT, o.W, o.X, ...args) : () => {
    if (panels === "rows") k.packRowPanels(o.PANELS, o.W, R, C);
    if (panels === "cols") k.packColPanels(o.PANELS, o.W, R, C);
    k[name](o.OUT, o.W, panels === "none" ? 0 : o.PANELS, o.X, ...args);
  };
  return [run(simd, inputs, outLength, o), run(() => core[`${name}Scalar`](P.OUT, P.W, P.X, ...args), inputs, outLength)];
}

// Sizes below 4, around 4/8/16 and the odd sizes of a real model (H 37, V 65, H 100).
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 37, 65, 100];
const STREAMS = [1, 2, 3, 25, 33];
const shapes = [];
for (const R of SIZES) for (const C of [1, 3, 4, 8, 17, 37, 65, 100]) shapes.push([R, C]);

// Tolerance for two summation orders of one dot product of C terms (plus the add into
// the output): each is within γ = (C + 1)·u of the exact value times Σ|terms| (+ |out|),
// so they are within 2γ of each other. A correct kernel lands far inside this; an index
// or tail mistake lands far outside it (terms are O(1)).
/**
 * The float32 bound on a sum of K products taken in another order, per output i < width
 * of each of N vectors (stride ld): 2(K + 1)·U·(|out0| + Σ_k |term(n, i, k)|). Past width
 * (padding between vectors) the bound is 0: nothing may change there.
 */
function reorderBound(out0, N, ld, width, K, term) {
  const bound = new Float64Array(N * ld);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < width; i++) {
      let s = Math.abs(out0[n * ld + i]);
      for (let k = 0; k < K; k++) s += Math.abs(term(n, i, k));
      bound[n * ld + i] = 2 * (K + 1) * U * s;
    }
  }
  return bound;
}

function assertDotClose(simd, scalar, bound, what) {
  for (let i = 0; i < simd.length; i++) {
    const d = Math.abs(simd[i] - scalar[i]);
    if (!(d <= bound[i])) assert.unreachable(`${what}: element ${i}: ${simd[i]} vs ${scalar[i]} (diff ${d.toExponential(2)} > ${bound[i].toExponential(2)})`);
  }
}

for (const [build, o] of CORES) {
  test(`${build} build: matmulAcc (W·x per vector) matches its scalar form within the float32 bound of a reordered sum, with and without panels`, () => {
    for (const [R, C] of shapes) {
      for (const N of STREAMS) {
        for (const panels of ["rows", "none"]) {
          const ldo = R + (N > 1 ? 3 : 0), ldx = C + (N > 1 ? 1 : 0); // strides wider than the rows
          const W = random(R * C), X = random(N * ldx), out0 = random(N * ldo);
          const [simd, scalar] = bothForms("matmulAcc", [["W", W], ["X", X], ["OUT", out0]], N * ldo, [R, C, N, ldo, ldx], panels, o);
          const bound = reorderBound(out0, N, ldo, R, C, (n, r, c) => W[r * C + c] * X[n * ldx + c]);
          assertDotClose(simd, scalar, bound, `matmulAcc R ${R} C ${C} N ${N} ${panels}`);
          // Padding between vectors (ldo > R) is never written.
          for (let n = 0; n < N; n++) for (let r = R; r < ldo; r++) assert.is(simd[n * ldo + r], out0[n * ldo + r]);
        }
      }
    }
  });

  test(`${build} build: matmulTAcc (Wᵀ·a per vector) matches its scalar form, with and without panels`, () => {
    for (const [R, C] of shapes) {
      for (const N of STREAMS) {
        const ldo = C + (N > 1 ? 2 : 0), lda = R + (N > 1 ? 3 : 0);
        const W = random(R * C), A = random(N * lda), out0 = random(N * ldo);
        const bound = reorderBound(out0, N, ldo, C, R, (n, c, r) => W[r * C + c] * A[n * lda + r]);
        // Default build: columns in full 16-column blocks sum rows in order, as the scalar loop does.
        if (build === "default") for (let n = 0; n < N; n++) bound.fill(0, n * ldo, n * ldo + (C & ~15));
        for (const panels of ["cols", "none"]) {
          const [simd, scalar] = bothForms("matmulTAcc", [["W", W], ["X", A], ["OUT", out0]], N * ldo, [R, C, N, ldo, lda], panels, o);
          assertDotClose(simd, scalar, bound, `matmulTAcc R ${R} C ${C} N ${N} ${panels}`);
        }
      }
    }
  });

  test(`${build} build: outerAcc (Σ_n a[n]⊗x[n]) matches its scalar form${build === "default" ? " bit for bit (streams summed in order)" : ""}`, () => {
    for (const [R, C] of shapes) {
      for (const N of [...STREAMS, 70, 130]) { // 70, 130: more than one chunk of streams
        const lda = R + 1, ldx = C + 2;
        const A = random(N * lda), X = random(N * ldx), dW0 = random(R * C);
        const [simd, scalar] = bothForms("outerAcc", [["W", A], ["X", X], ["OUT", dW0]], R * C, [R, C, N, lda, ldx], undefined, o);
        if (build === "default") assert.equal(Array.from(simd), Array.from(scalar), `outerAcc R ${R} C ${C} N ${N}`);
        else assertDotClose(simd, scalar, reorderBound(dW0, R, C, C, N, (r, c, n) => A[n * lda + r] * X[n * ldx + c]), `outerAcc R ${R} C ${C} N ${N}`);
      }
    }
  });
}

test("with panels and four vectors or more, matmulAcc sums c in order (the scalar form's bytes) and matmulTAcc gives the bytes it gives without them", () => {
  for (const [R, C] of shapes) {
    for (const N of [4, 5, 7, 9, 33]) {
      const W = random(R * C), X = random(N * C), out0 = random(N * R);
      const [tiled, scalar] = bothForms("matmulAcc", [["W", W], ["X", X], ["OUT", out0]], N * R, [R, C, N, R, C], "rows");
      assert.equal(Array.from(tiled), Array.from(scalar), `matmulAcc R ${R} C ${C} N ${N}`);
      const A = random(N * R), outT = random(N * C);
      const [withPanels] = bothForms("matmulTAcc", [["W", W], ["X", A], ["OUT", outT]], N * C, [R, C, N, C, R], "cols");
      const [without] = bothForms("matmulTAcc", [["W", W], ["X", A], ["OUT", outT]], N * C, [R, C, N, C, R], "none");
      assert.equal(Array.from(withPanels), Array.from(without), `matmulTAcc R ${R} C ${C} N ${N}`);
    }
  }
});

test("a vector's result does not depend on how many vectors share the call, within one form (dot form below four vectors, tiles from four)", () => {
  const R = 37, C = 65;
  const W = random(R * C), X = random(16 * C);
  const product = (name, N, n0) => run(() => {
    if (name === "matmulAcc") { core.packRowPanels(P.PANELS, P.W, R, C); core.matmulAcc(P.OUT, P.W, P.PANELS, P.X, R, C, N, R, C); }
    else { core.packColPanels(P.PANELS, P.W, C, R); core.matmulTAcc(P.OUT, P.W, P.PANELS, P.X, C, R, N, R, C); }
  }, [["W", W], ["X", X.subarray(n0 * C, (n0 + N) * C)], ["OUT", new Float32Array(N * R)]], N * R);
  for (const name of ["matmulAcc", "matmulTAcc"]) {
    for (const [N, alone] of [[2, 1], [3, 1], [5, 4], [6, 4], [9, 4]]) {
      const together = product(name, N, 0);
      for (let n = 0; n < N; n++) {
        const first = product(name, alone, n);   // vector n first in a call of `alone` vectors
        assert.equal(Array.from(together.subarray(n * R, (n + 1) * R)), Array.from(first.subarray(0, R)), `${name} vector ${n} of ${N}`);
      }
    }
  }
});

/** Largest relative error of `kernel` against `exact` over n points evenly spread on [lo, hi]. */
function maxRelError(kernel, exact, lo, hi, n) {
  const chunk = 4096;
  let worst = 0, at = 0;
  for (let start = 0; start < n; start += chunk) {
    const x = new Float32Array(chunk).map((_, i) => lo + ((hi - lo) * (start + i)) / (n - 1));
    f32(P.X, chunk).set(x);
    kernel(P.OUT, P.X, chunk);
    const y = f32(P.OUT, chunk);
    for (let i = 0; i < chunk; i++) {
      const e = exact(x[i]);
      if (e === 0) { assert.is(y[i], 0); continue; }
      const rel = Math.abs(y[i] - e) / Math.abs(e);
      if (rel > worst) { worst = rel; at = x[i]; }
    }
  }
  return { worst, at };
}

// The fixtures' float32 limits allow libm differences of a few ulp; the README warns
// that worse than ~1e-6 relative may need more. Measured: exp 8.0e-8, tanh 3.4e-7.
test("exp4 is within 2e-7 relative of Math.exp on [-87, 88]", () => {
  const { worst, at } = maxRelError((o, x, n) => core.expArray(o, x, n), Math.exp, -87, 88, 1 << 19);
  assert.ok(worst <= 2e-7, `max relative error ${worst.toExponential(2)} at x = ${at}`);
});

test("tanh4 is within 5e-7 relative of Math.tanh on [-20, 20] and near 0", () => {
  for (const [lo, hi] of [[-20, 20], [-1e-3, 1e-3], [7, 10]]) {
    const { worst, at } = maxRelError((o, x, n) => core.tanhArray(o, x, n), Math.tanh, lo, hi, 1 << 17);
    assert.ok(worst <= 5e-7, `[${lo}, ${hi}]: max relative error ${worst.toExponential(2)} at x = ${at}`);
  }
  const { worst } = maxRelError((o, x, n) => core.tanhArray(o, x, n), () => 1, 10, 1e30, 4096);
  assert.is(worst, 0, "tanh saturates to exactly 1");
});

test("exp4 and tanh4 keep NaN and stay finite at the extremes", () => {
  f32(P.X, 8).set([NaN, -Infinity, Infinity, -1e30, 1e30, 0, -0, 88.7]);
  core.expArray(P.OUT, P.X, 8);
  const e = f32(P.OUT, 8);
  assert.ok(Number.isNaN(e[0]));
  for (let i = 1; i < 8; i++) assert.ok(Number.isFinite(e[i]) && e[i] >= 0, `exp(${f32(P.X, 8)[i]}) = ${e[i]}`);
  core.tanhArray(P.OUT, P.X, 8);
  const t = Array.from(f32(P.OUT, 8));
  assert.ok(Number.isNaN(t[0]));
  assert.equal(t.slice(1, 5), [-1, 1, -1, 1]);
});

test("clip + Adagrad over the whole layout equals its scalar form bit for bit and zeroes the gradients", () => {
  const model = scratch(16);
  const k = model.core;
  assert.ok(k.configure(0, 1, 65, 37, 25, 1, 1, 0.1, 5, 0));
  const NP = (k.regionBytes(k.REGION_GRADS.value, 0) / 4);
  const view = (ptr) => new Float32Array(k.memory.buffer, ptr, NP);
  const params = random(NP, 0.5), mem = random(NP, 4).map(Math.abs), grads = random(NP, 8); // some beyond the clip
  const runForm = (fn) => {
    view(k.regionPtr(k.REGION_PARAMS.value, 0)).set(params); view((k.regionPtr(k.REGION_SLOTS.value, 0) + 0 * k.regionBytes(k.REGION_PARAMS.value, 0))).set(mem); view(k.regionPtr(k.REGION_GRADS.value, 0)).set(grads);
    fn();
    return [view(k.regionPtr(k.REGION_PARAMS.value, 0)).slice(), view((k.regionPtr(k.REGION_SLOTS.value, 0) + 0 * k.regionBytes(k.REGION_PARAMS.value, 0))).slice(), view(k.regionPtr(k.REGION_GRADS.value, 0)).slice()];
  };
  const [p1, m1, g1] = runForm(() => k.clipAdagrad(0.1, 5, 0.75));   // coef: the norm clip's factor
  const [p2, m2, g2] = runForm(() => k.clipAdagradScalar(0.1, 5, 0.75));
  assert.equal(Array.from(p1), Array.from(p2), "params");
  assert.equal(Array.from(m1), Array.from(m2), "memory");
  assert.ok(g1.every((g) => g === 0) && g2.every((g) => g === 0), "gradients zeroed");
  assert.ok(p1.some((p, i) => p !== params[i]), "the update changed the weights");
});

for (const [name, slots, simd, scalar] of [
  ["Adam", 2, (k) => k.clipAdam(2e-3, 5, 0.75, 0.9, 0.999, 1e-8, 7), (k) => k.clipAdamScalar(2e-3, 5, 0.75, 0.9, 0.999, 1e-8, 7)],
  ["RMSProp", 1, (k) => k.clipRmsprop(2e-3, 5, 0.75, 0.95, 1e-8), (k) => k.clipRmspropScalar(2e-3, 5, 0.75, 0.95, 1e-8)],
]) {
  test(`clip + ${name} over the whole layout equals its scalar form bit for bit, zeroes the gradients, and refuses a non-finite update`, () => {
    const model = scratch(16);
    const k = model.core;
    assert.ok(k.configure(0, 1, 65, 37, 25, 1, slots, 2e-3, 5, 0));
    const NP = (k.regionBytes(k.REGION_GRADS.value, 0) / 4);
    const view = (ptr) => new Float32Array(k.memory.buffer, ptr, NP);
    const params = random(NP, 0.5), grads = random(NP, 8);
    const state = Array.from({ length: slots }, (_, j) => (j === slots - 1 ? random(NP, 4).map(Math.abs) : random(NP, 1))); // exp_avg signed, squares ≥ 0
    const runForm = (fn, g = grads) => {
      view(k.regionPtr(k.REGION_PARAMS.value, 0)).set(params); state.forEach((s, j) => view((k.regionPtr(k.REGION_SLOTS.value, 0) + j * k.regionBytes(k.REGION_PARAMS.value, 0))).set(s)); view(k.regionPtr(k.REGION_GRADS.value, 0)).set(g);
      const ok = fn();
      return { ok, p: view(k.regionPtr(k.REGION_PARAMS.value, 0)).slice(), s: state.map((_, j) => view((k.regionPtr(k.REGION_SLOTS.value, 0) + j * k.regionBytes(k.REGION_PARAMS.value, 0))).slice()), g: view(k.regionPtr(k.REGION_GRADS.value, 0)).slice() };
    };
    const a = runForm(() => simd(k)), b = runForm(() => scalar(k));
    assert.ok(a.ok);
    assert.equal(Array.from(a.p), Array.from(b.p), "params");
    a.s.forEach((s, j) => assert.equal(Array.from(s), Array.from(b.s[j]), `slot ${j}`));
    assert.ok(a.g.every((g) => g === 0), "gradients zeroed");
    const bad = grads.slice(); bad[5] = Infinity;   // clip Infinity would pass it through: 5 clamps it, so use NaN
    bad[6] = NaN;
    const c = runForm(() => simd(k), bad);
    assert.not.ok(c.ok, "a NaN gradient is refused");
    assert.equal(Array.from(c.p), Array.from(params), "the weights are unchanged");
    c.s.forEach((s, j) => assert.equal(Array.from(s), Array.from(state[j]), `slot ${j} unchanged`));
  });
}

test("B = 2 on a text written twice follows B = 1 on the text (the batched path is the same math)", () => {
  // Both streams of B = 2 see the same windows, so the batch average equals one stream.
  // Only float32 rounding differs (the window's sums run over twice the vectors).
  const text = corpus.slice(0, 4000);
  const one = CharRNN.create({ text, hidden: 37, seqLength: 13, learningRate: 0.01, seed: 5 });
  const two = CharRNN.create({ text: text + text, hidden: 37, seqLength: 13, learningRate: 0.01, seed: 5, batch: 2 });
  for (let i = 0; i < 400; i++) {
    const a = one.step(), b = two.step();
    assert.ok(Math.abs(a - b) <= 1e-4 * a, `iteration ${i}: B = 1 loss ${a}, B = 2 loss ${b}`);
    assert.is(two.position, one.position, `position at iteration ${i}`);
  }
  const wOne = one.stateDict()["decoder.weight"], wTwo = two.stateDict()["decoder.weight"];
  for (let i = 0; i < wOne.length; i++) assert.ok(Math.abs(wOne[i] - wTwo[i]) <= 1e-4, `decoder.weight[${i}]`);
  one.dispose(); two.dispose();
});

test("B = 4 trains: four streams at their own slices, and the loss falls", () => {
  const model = CharRNN.create({ text: corpus, hidden: 64, seqLength: 25, batch: 4, seed: 3 });
  const start = model.smoothLoss;
  const first = model.step();
  model.train({ iterations: 600 });
  assert.ok(Number.isFinite(model.loss) && model.loss < first * 0.8, `loss ${first} → ${model.loss}`);
  assert.ok(model.smoothLoss < start, `smooth loss ${start} → ${model.smoothLoss}`);
  // Each stream carries its own hidden state: the four rows differ.
  const h = stateOf(model).carriedState()[0].data;
  const row = (b) => Array.from(h.subarray(b * 64, (b + 1) * 64));
  for (let b = 1; b < 4; b++) assert.not.equal(row(b), row(0), `stream ${b} has its own state`);
  model.dispose();
});

test.run();
