// The limit of the hardware as WebAssembly reaches it, measured every run, and the matrix
// kernels against it and against their peers, at the LSTM 2×128's shapes (T 50, B 32).
//
// Peak: the testing build's probe (assembly/peak.ts), twelve multiply-add chains, per
// arithmetic: mul + add (the default build) and relaxed_madd (the fused build, where the
// runtime has relaxed SIMD). Each kernel's GFLOP/s is given as a share of its arithmetic's
// peak in registers. Peers, where they can be had: XNNPACK, through TF.js's wasm backend
// (installed on demand: peers/install.js), and
// torch.mm (OpenBLAS) on one and two threads. Rounds are interleaved (every case once per
// round, medians reported), and every table is printed with the CPU model and the load.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fillRandom, median } from "./stats.js";
import { runPeer } from "./peers/install.js";

const BUILDS = { "mul-add": "minrnn.testing.wasm", fma: "minrnn.testing.fma.wasm" };
const TORCH_PYTHON = "/usr/bin/python3";

/**
 * The five products of an LSTM 2×128 iteration at batch 32, as M×K·K×N, and the kernel
 * that computes each (R, C: the weight's shape; N: vectors). The decoder's V is 65.
 */
export const LIMIT_SHAPES = [
  { label: "32×128·128×512   W·h, recurrent step", kernel: "matmulAcc", R: 512, C: 128, N: 32 },
  { label: "1600×128·128×512 W·x, input projection", kernel: "matmulAcc", R: 512, C: 128, N: 1600 },
  { label: "512×800·800×128  Σ d⊗h, weight gradient (one shard)", kernel: "outerAcc", R: 512, C: 128, N: 800 },
  { label: "1600×512·512×128 Wᵀ·d, backward data", kernel: "matmulTAcc", R: 512, C: 128, N: 1600 },
  { label: "1600×128·128×65  W·h, decoder", kernel: "matmulAcc", R: 65, C: 128, N: 1600 },
];
const flops = (s) => 2 * s.R * s.C * s.N;
/** The same product as a plain GEMM A [M,K] · B [K,N], for the peers (operands laid out as they need). */
const gemm = (s) => (s.kernel === "outerAcc" ? { M: s.R, K: s.N, N: s.C } : s.kernel === "matmulAcc" ? { M: s.N, K: s.C, N: s.R } : { M: s.N, K: s.R, N: s.C });

/** "AMD EPYC 7B13 …, load 1.23 0.98 0.75": printed with every table. */
export function machineLine() {
  const lscpu = spawnSync("lscpu", { encoding: "utf8" });
  const model = /^Model name:\s*(.+)$/m.exec(lscpu.stdout ?? "")?.[1]?.trim() ?? "CPU model unknown";
  const load = existsSync("/proc/loadavg") ? readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") : "unknown";
  return `${model}; load ${load}`;
}

/** A testing core of one arithmetic, or null where this runtime cannot compile it. */
function testingCore(arithmetic) {
  const bytes = readFileSync(new URL(`../build/${BUILDS[arithmetic]}`, import.meta.url));
  if (!WebAssembly.validate(bytes)) return null;
  const core = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const floats = 3_000_000;
  if (!core.configure(0, 1, 2, 1, 1, 1, 1, 0.1, 5, 0) || !core.reserveData(floats * 4, 0)) throw new Error("no memory for the limit benchmark");
  const base = core.regionPtr(core.REGION_DATA.value, 0);
  fillRandom(new Float32Array(core.memory.buffer, base, floats), 11, 0.5);
  return { core, base };
}

/** GFLOP/s of fn over one timed burst of about `seconds`. */
function burst(fn, flopsPerCall, seconds) {
  fn();
  const reps = Math.max(1, Math.round((seconds * 30e9) / flopsPerCall));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  return (flopsPerCall * reps) / Number(process.hrtime.bigint() - t0);
}

/** Per arithmetic: the peak probe (in registers, with a load per multiply-add) and one call per shape, weights packed once. */
function wasmCases(arithmetic) {
  const t = testingCore(arithmetic);
  if (!t) return null;
  const { core, base } = t;
  const W = base, PANELS = base + 4 * 100_000, X = base + 4 * 200_000, OUT = base + 4 * 1_200_000;
  const call = (s) => {
    if (s.kernel === "matmulAcc") {
      const P = PANELS + 4 * 70_000 * LIMIT_SHAPES.indexOf(s) / 2;   // distinct per shape
      core.packRowPanels(P, W, s.R, s.C);
      return () => core.matmulAcc(OUT, W, P, X, s.R, s.C, s.N, s.R, s.C);
    }
    if (s.kernel === "matmulTAcc") {
      core.packColPanels(PANELS + 4 * 140_000, W, s.R, s.C);
      return () => core.matmulTAcc(OUT, W, PANELS + 4 * 140_000, X, s.R, s.C, s.N, s.C, s.R);
    }
    return () => core.outerAcc(OUT, X, W + 4 * 70_000, s.R, s.C, s.N, s.R, s.C);
  };
  const round = 12 * 64 * 8;
  return [
    { key: "peak", run: (sec) => burst(() => core.peakProbe(200, false), 200 * round, sec) },
    { key: "peak+load", run: (sec) => burst(() => core.peakProbe(200, true), 200 * round, sec) },
    ...LIMIT_SHAPES.map((s) => { const fn = call(s); return { key: s.label, run: (sec) => burst(fn, flops(s), sec) }; }),
  ];
}

/** XNNPACK through TF.js (installed on demand); { version, gflops } or { skipped }. */
function xnnpack(rounds) {
  return runPeer("xnnpack.cjs", [JSON.stringify(LIMIT_SHAPES.map((s) => ({ label: s.label, ...gemm(s) }))), rounds]);
}

/** torch.mm on `threads` threads; { version, gflops } or { skipped }. */
function torchMm(threads, rounds) {
  const shapes = LIMIT_SHAPES.map((s) => ({ label: s.label, ...gemm(s) }));
  const script = fileURLToPath(new URL("./reference/torch_mm.py", import.meta.url));
  const r = spawnSync(TORCH_PYTHON, [script, JSON.stringify(shapes), String(threads), String(rounds)],
    { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) } });
  if (r.status !== 0) return { skipped: `${TORCH_PYTHON} has no torch` };
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/**
 * Runs the suite: `rounds` interleaved rounds of every wasm case (both arithmetics), then
 * the peers (unless `peers` is false). Returns { machine, peak: { arithmetic: { registers,
 * load } }, rows, peers }.
 */
export function limitSuite({ rounds = 5, seconds = 0.15, peers: withPeers = true } = {}) {
  const machine = machineLine();
  const cases = Object.fromEntries(Object.keys(BUILDS).map((a) => [a, wasmCases(a)]));
  const rates = {};
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? Object.keys(cases).reverse() : Object.keys(cases);
    for (const a of order) for (const c of cases[a] ?? []) ((rates[a] ??= {})[c.key] ??= []).push(c.run(seconds));
  }
  const med = (a, key) => (rates[a]?.[key] ? median(rates[a][key]) : null);
  const left = { skipped: "not asked for" };
  const peers = withPeers ? { xnnpack: xnnpack(rounds), torch1: torchMm(1, rounds), torch2: torchMm(2, rounds) } : { xnnpack: left, torch1: left, torch2: left };
  const peer = (p, label) => (p.gflops ? median(p.gflops[label]) : null);
  const peak = Object.fromEntries(Object.keys(BUILDS).map((a) => [a, { registers: med(a, "peak"), load: med(a, "peak+load") }]));
  const rows = LIMIT_SHAPES.map((s) => ({
    shape: s.label,
    "mul-add": med("mul-add", s.label), fma: med("fma", s.label),
    xnnpack: peer(peers.xnnpack, s.label), torch1: peer(peers.torch1, s.label), torch2: peer(peers.torch2, s.label),
  }));
  return { machine, machineAfter: machineLine(), peak, rows, peers: Object.fromEntries(Object.entries(peers).map(([k, p]) => [k, p.skipped ? { skipped: p.skipped } : { version: p.version }])) };
}

/** The suite's tables, as index.js prints them. */
export function printLimit(limit) {
  const gf = (v) => (v === null ? "–" : +v.toFixed(1));
  const pct = (v, a) => (v === null || !limit.peak[a].registers ? "–" : `${Math.round((100 * v) / limit.peak[a].registers)}%`);
  console.log(`  ${limit.machine}`);
  console.table(Object.fromEntries(Object.entries(limit.peak).map(([a, p]) => [a, { "peak GFLOP/s": gf(p.registers), "with a load per multiply-add": gf(p.load) }])));
  console.log(`  ${limit.machineAfter}`);
  console.table(Object.fromEntries(limit.rows.map((r) => [r.shape, {
    "mul-add": gf(r["mul-add"]), "% peak": pct(r["mul-add"], "mul-add"), fma: gf(r.fma), "% peak ": pct(r.fma, "fma"),
    XNNPACK: gf(r.xnnpack), "torch 1t": gf(r.torch1), "torch 2t": gf(r.torch2),
  }])));
  for (const [name, p] of Object.entries(limit.peers)) if (p.skipped) console.log(`  ${name}: skipped: ${p.skipped}`);
  if (limit.peak.fma.registers === null) console.log("  fma: the fused build is left out: this runtime lacks relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd)");
}
