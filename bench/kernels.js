// Each SIMD kernel of the core against its scalar form (assembly/scalar.ts), through the
// kernel entry points of build/minrnn.testing.wasm, timed by tinybench. Shapes are the ones a
// training step uses at the reference configuration (H 100, V 65, T 25), and those of an
// LSTM 2×128 (T 50, batch 32 as two shards of 16 streams), whose speed gives the cells'
// ceilings (bench/cells.js).
import { readFileSync } from "node:fs";
import { Bench } from "tinybench";
import { fillRandom } from "./stats.js";

const WASM = new URL("../build/minrnn.testing.wasm", import.meta.url);
const H = 100, V = 65, T = 25;
/** The LSTM 2×128's gate rows (4·128), hidden size, and streams per shard at batch 32. */
const GH = 512, HL = 128, N16 = 16, TL = 50;
/** Labels of the LSTM-shaped cases: the training ceiling uses the three at 16 streams, sampling the one at 1. */
export const LSTM_KERNELS = {
  training: ["W·x      W_hh 512×128, 16 streams (LSTM recurrence, B 32)", "Wᵀ·d     W_hh 512×128, 16 streams (LSTM BPTT, B 32)", "Σ a⊗x    dW_hh 512×128, 800 vectors (LSTM window)"],
  sampling: "W·x      W_hh 512×128, 1 stream (LSTM sampling)",
};

/** A bare instance with `floats` of free room at `base` (after a minimal layout). */
function scratchInstance(floats) {
  const core = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(WASM)), {}).exports;
  if (!core.configure(0, 1, 2, 1, 1, 1, 1, 0.1, 5, 0) || !core.reserveData(floats * 4, 0)) throw new Error("no memory for the kernel benchmark");
  const base = core.regionPtr(core.REGION_DATA.value, 0);
  fillRandom(new Float32Array(core.memory.buffer, base, floats), 7, 0.5);
  return { core, base };
}

/**
 * Kernel cases: [label, flops (or elements) per call, simd call, scalar call]. Pointers
 * are laid out in one scratch region: W, X (inputs), OUT (accumulated into), and after
 * them each case's packed panels of W (packed once, as training packs once per update).
 */
function cases(core, base) {
  const W = base, X = base + 4 * 70000, A = base + 4 * 180000, OUT = base + 4 * 600000;
  let panels = base + 4 * 720000;
  const packed = (pack, R, C) => { const at = panels; pack(at, W, R, C); panels += 4 * 70000; return at; };
  const mm = (R, C, N) => {
    const P = packed(core.packRowPanels, R, C);
    return [(o, w, x) => core.matmulAcc(o, w, P, x, R, C, N, R, C), (o, w, x) => core.matmulAccScalar(o, w, x, R, C, N, R, C)];
  };
  const mt = (R, C, N) => {
    const Q = packed(core.packColPanels, R, C);
    return [(o, w, a) => core.matmulTAcc(o, w, Q, a, R, C, N, C, R), (o, w, a) => core.matmulTAccScalar(o, w, a, R, C, N, C, R)];
  };
  const op = (R, C, N) => [(g, a, x) => core.outerAcc(g, a, x, R, C, N, R, C), (g, a, x) => core.outerAccScalar(g, a, x, R, C, N, R, C)];
  const list = [];
  const add = (label, flops, [simd, scalar], p0, p1, p2) => list.push({ label, flops, simd: () => simd(p0, p1, p2), scalar: () => scalar(p0, p1, p2) });
  add(`W·x      Whh 100×100, 1 stream (recurrence, B 1)`, 2 * H * H, mm(H, H, 1), OUT, W, X);
  add(`W·x      Whh 100×100, 32 streams (recurrence, B 32)`, 2 * H * H * 32, mm(H, H, 32), OUT, W, X);
  add(`W·x      Why 65×100, 25 vectors (decoder, one window)`, 2 * V * H * T, mm(V, H, T), OUT, W, X);
  add(`Wᵀ·d     Whh 100×100, 1 stream (BPTT, B 1)`, 2 * H * H, mt(H, H, 1), OUT, W, A);
  add(`Wᵀ·d     Whh 100×100, 32 streams (BPTT, B 32)`, 2 * H * H * 32, mt(H, H, 32), OUT, W, A);
  add(`Wᵀ·d     Why 65×100, 25 vectors (decoder, one window)`, 2 * V * H * T, mt(V, H, T), OUT, W, A);
  add(`Σ a⊗x    dWhh 100×100, 25 vectors (one window)`, 2 * H * H * T, op(H, H, T), OUT, A, X);
  add(`Σ a⊗x    dWhy 65×100, 25 vectors (one window)`, 2 * V * H * T, op(V, H, T), OUT, A, X);
  add(LSTM_KERNELS.training[0], 2 * GH * HL * N16, mm(GH, HL, N16), OUT, W, X);
  add(LSTM_KERNELS.training[1], 2 * GH * HL * N16, mt(GH, HL, N16), OUT, W, A);
  add(LSTM_KERNELS.training[2], 2 * GH * HL * N16 * TL, op(GH, HL, N16 * TL), OUT, A, X);
  add(LSTM_KERNELS.sampling, 2 * GH * HL, mm(GH, HL, 1), OUT, W, X);
  // exp and tanh over 1024 inputs in [-4, 4] (rescaled from the random fill): "flops" = elements.
  const n = 1024, EX = base + 4 * 700000, EO = EX + 4 * n;
  new Float32Array(core.memory.buffer, EX, n).forEach((v, i, a) => { a[i] = v * 8; });
  list.push({ label: `exp      1024 floats (elements/ns)`, flops: n, simd: () => core.expArray(EO, EX, n), scalar: () => core.expArrayScalar(EO, EX, n), elements: true });
  list.push({ label: `tanh     1024 floats (elements/ns)`, flops: n, simd: () => core.tanhArray(EO, EX, n), scalar: () => core.tanhArrayScalar(EO, EX, n), elements: true });
  return list;
}

/** clip + Adagrad over the whole parameter layout of the reference model (ns per parameter). */
function adagradCase() {
  const core = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(WASM)), {}).exports;
  core.configure(0, 1, V, H, T, 1, 1, 0.1, 5, 0);
  const NP = (core.regionBytes(core.REGION_GRADS.value, 0) / 4);
  fillRandom(new Float32Array(core.memory.buffer, core.regionPtr(core.REGION_PARAMS.value, 0), NP), 3, 0.1);
  fillRandom(new Float32Array(core.memory.buffer, (core.regionPtr(core.REGION_SLOTS.value, 0) + 0 * core.regionBytes(core.REGION_PARAMS.value, 0)), NP), 4, 1).forEach((v, i, a) => { a[i] = Math.abs(v) * 10; });
  const grads = new Float32Array(core.memory.buffer, core.regionPtr(core.REGION_GRADS.value, 0), NP);
  const g = fillRandom(new Float32Array(NP), 5, 8);
  // Each call zeroes the gradients (as training does); beforeEach refills them, untimed.
  return { label: `clip+Adagrad ${NP} parameters (params/ns)`, flops: NP, elements: true,
    setup: () => grads.set(g), simd: () => core.clipAdagrad(0.1, 5, 1), scalar: () => core.clipAdagradScalar(0.1, 5, 1) };
}

/**
 * Runs every case, SIMD and scalar, with `reps` calls per tinybench sample (a single call
 * is ~1 µs, too close to the timer). Returns rows { kernel, simd, scalar, speedup } with
 * GFLOP/s (or elements per ns).
 */
export async function kernelSuite({ time = 200, reps = 20 } = {}) {
  const { core, base } = scratchInstance(720000 + 10 * 70000);
  const list = [...cases(core, base), adagradCase()];
  const bench = new Bench({ time, warmupTime: 50 });
  for (const c of list) {
    for (const kind of ["simd", "scalar"]) {
      const fn = c[kind];
      if (c.setup) bench.add(`${c.label} ${kind}`, fn, { beforeEach: c.setup });
      else bench.add(`${c.label} ${kind}`, () => { for (let i = 0; i < reps; i++) fn(); });
    }
  }
  await bench.run();
  const rate = (name, c) => {
    const task = bench.getTask(name);
    const ms = task.result.latency.p50 / (c.setup ? 1 : reps);
    return c.flops / (ms * 1e6); // per ns = G per s
  };
  return list.map((c) => {
    const simd = rate(`${c.label} simd`, c), scalar = rate(`${c.label} scalar`, c);
    return { kernel: c.label, unit: c.elements ? "per ns" : "GFLOP/s", simd, scalar, speedup: simd / scalar };
  });
}
