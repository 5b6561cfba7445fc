// `npm run bench`: minrnn against its references and targets, in one run (~5 minutes).
// Prints tables and writes bench/results.json. Suites: training chars/s (minrnn, the
// plain TypeScript port, numpy float64/float32, and 0.1.0's core), batch scaling (one and
// two threads), sampling, SIMD kernels against their scalar forms, the LSTM and GRU
// against PyTorch and their ceilings, threads (the per-iteration split on one and two
// threads and the projection for 4, 8 and 16), cold start, sizes and peak memory.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { init } from "minrnn";
import { corpus } from "minrnn/corpus";
import { compareTraining, batchScaling, scalingLabel, sampling, numpyVersion } from "./training.js";
import { kernelSuite, LSTM_KERNELS } from "./kernels.js";
import { limitSuite, printLimit, machineLine } from "./limit.js";
import { cellTraining, cellSampling, tfjsTraining, torchVersion, vanillaAgainstBaseline } from "./cells.js";
import { coldStart, sizes, peakRss } from "./footprint.js";
import { threadSplit, threadTable, RECIPE } from "./threads.js";
import { si } from "./stats.js";

const quick = process.argv.includes("--quick"); // fewer, shorter rounds: a smoke run
const ROUNDS = quick ? 2 : 7;

// The fused build needs relaxed SIMD, behind a flag in Node 20: run again with it when
// this process lacks it (a runtime that refuses the flag runs on without the fused build).
const RELAXED_FLAG = "--experimental-wasm-relaxed-simd";
const fused = WebAssembly.validate(readFileSync(new URL("../build/minrnn.fma.wasm", import.meta.url)));
if (!fused && !process.execArgv.includes(RELAXED_FLAG)) {
  const again = spawnSync(process.execPath, [RELAXED_FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  if (again.status !== 9) process.exit(again.status ?? 1);   // 9: Node refused the flag
}

await init();

// The data: tiny shakespeare beside the repository, else the built-in corpus.
const shakespeare = new URL("../../shared/data/tinyshakespeare.txt", import.meta.url);
let dataPath = fileURLToPath(shakespeare);
let text, dataName = "tinyshakespeare.txt";
if (existsSync(shakespeare)) {
  text = readFileSync(shakespeare, "utf8");
} else {
  console.log(`note: ${dataPath} is absent; using the built-in corpus (${corpus.length} chars) instead, so figures are not comparable with the README`);
  text = corpus;
  dataName = "built-in corpus";
  dataPath = join(mkdtempSync(join(tmpdir(), "minrnn-bench-")), "corpus.txt");
  writeFileSync(dataPath, corpus);
}

const numpy = numpyVersion();
const torch = torchVersion();
// The load average before and after: other work on the machine slows every column alike
// (the ratios hold up), but the absolute figures only mean something on an idle machine.
const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version, numpy, torch, loadBefore: loadavg()[0] };
console.log(`minrnn benchmark: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, numpy ${numpy ?? "absent"}, PyTorch ${torch ?? "absent"}; data ${dataName}; load ${machine.loadBefore.toFixed(2)}`);
if (!numpy) console.log("note: python3 with numpy not found: the numpy columns are left out");
if (!torch) console.log("note: /usr/bin/python3 has no torch (apt-get install python3-torch libopenblas0-pthread): the PyTorch column is left out");

// Every table with the CPU and the load at the time: the machine is shared.
const section = (title) => console.log(`\n${title}\n  ${machineLine()}`);

section(`Training, H 100, T 25, B 1 (chars/s, median of ${ROUNDS} interleaved rounds)`);
const training = compareTraining({ text, dataPath, rounds: ROUNDS, roundSeconds: quick ? 0.3 : 0.8, numpy });
const base = training.minrnn.median;
console.table(Object.fromEntries(Object.entries(training).map(([k, v]) => [k, {
  "chars/s": Math.round(v.median), "minrnn is ×": +(base / v.median).toFixed(2),
}])));

section(`Batch scaling, H 100, T 25 (chars/s = B·T·iterations/s, median of ${ROUNDS} rounds; 2 threads: startThreads)`);
const scalingRuns = [[1, 1], [8, 1], [8, 2], [32, 1], [32, 2]].map(([batch, threads]) => ({ batch, threads }));
const batch = await batchScaling({ text, runs: scalingRuns, rounds: ROUNDS, charsPerRound: quick ? 50000 : 150000 });
console.table(Object.fromEntries(Object.entries(batch).map(([label, v]) => [`B = ${label}`, {
  "chars/s": Math.round(v.median), "× B = 1": +(v.median / batch[1].median).toFixed(2),
}])));

section("Sampling, H 100, temperature 1");
const sample = sampling({ text, rounds: ROUNDS, length: quick ? 20000 : 100000 });
console.log(`  ${si(sample.median)} chars/s`);

section(`The vanilla cell against minrnn 0.1.0's core, H 100, T 25, B 1 (chars/s, median of ${ROUNDS} interleaved rounds)`);
const vanilla = vanillaAgainstBaseline({ text, rounds: ROUNDS, roundSeconds: quick ? 0.3 : 0.8 });
console.log(vanilla.skipped ? `  skipped: ${vanilla.skipped}` : `  this build ${si(vanilla.now)}, 0.1.0 (${vanilla.commit}) ${si(vanilla.baseline)}: ${(vanilla.now / vanilla.baseline).toFixed(3)}×`);

section("Kernels: SIMD against the scalar form (tinybench, p50)");
const kernels = await kernelSuite({ time: quick ? 60 : 200 });
console.table(Object.fromEntries(kernels.map((k) => [k.kernel, {
  unit: k.unit, simd: +k.simd.toFixed(2), scalar: +k.scalar.toFixed(2), "speed-up": +k.speedup.toFixed(1),
}])));

// The cells' ceilings: a character's flops at the speed the kernels reached above.
const gflops = (label) => kernels.find((k) => k.kernel === label).simd;
const trainingRate = LSTM_KERNELS.training.reduce((sum, label) => sum + gflops(label), 0) / LSTM_KERNELS.training.length;
const samplingRate = gflops(LSTM_KERNELS.sampling);
section(`The limit: wasm's peak per arithmetic, and the kernels at the LSTM 2×128's shapes (T 50, B 32) against it and their peers (GFLOP/s, median of ${quick ? 2 : 5} interleaved rounds)`);
const limit = limitSuite({ rounds: quick ? 2 : 5, seconds: quick ? 0.05 : 0.15 });
printLimit(limit);

section(`LSTM and GRU, 2 layers of 128, T 50, Adagrad (chars/s, median of ${ROUNDS} interleaved rounds; PyTorch ${torch ?? "absent"} on one thread, and two at B 32; ceiling: flops per character at the kernels' ${trainingRate.toFixed(1)} GFLOP/s, ×2 on two threads)`);
const cells = await cellTraining({ text, dataPath, rounds: quick ? 1 : Math.min(ROUNDS, 3), charsPerRound: quick ? 20000 : 60000, torch, fused });
for (const row of cells) row.ceiling = (trainingRate * 1e9 * row.threads) / row.flops;
const bestTorch = (r) => (r.torch === null ? null : Math.max(r.torch, r.torch2 ?? 0));
console.table(Object.fromEntries(cells.map((r) => [`${r.cell} B ${r.batch}${r.threads > 1 ? ", 2 threads" : ""}, ${r.arithmetic}`, {
  "chars/s": Math.round(r.minrnn), "PyTorch 1t": r.torch === null ? "–" : Math.round(r.torch), "× PyTorch 1t": r.torch === null ? "–" : +(r.minrnn / r.torch).toFixed(2),
  "PyTorch 2t": r.torch2 === null ? "–" : Math.round(r.torch2), "× PyTorch best": r.torch === null ? "–" : +(r.minrnn / bestTorch(r)).toFixed(2),
  "ceiling": Math.round(r.ceiling), "of ceiling": `${Math.round((100 * r.minrnn) / r.ceiling)}%`,
}])));
const tfjs = tfjsTraining({ dataPath, rounds: quick ? 1 : 3 });
for (const [backend, r] of Object.entries(tfjs)) {
  const lstm = cells.find((c) => c.cell === "lstm" && c.batch === 32 && c.threads === 1 && c.arithmetic === "mul-add");
  console.log(r.skipped ? `  TF.js ${backend}: skipped: ${r.skipped}` : `  TF.js ${r.version} ${backend} backend, lstm B 32 (Adagrad): ${Math.round(r.charsPerSec)} chars/s; minrnn is ${(lstm.minrnn / r.charsPerSec).toFixed(0)}×`);
}
section(`Sampling per cell, temperature 1 (chars/s; ceiling: flops per character at the one-stream kernel's ${samplingRate.toFixed(1)} GFLOP/s)`);
const cellSamples = cellSampling({ text, rounds: quick ? 2 : ROUNDS, length: quick ? 20000 : 100000 });
for (const row of cellSamples) row.ceiling = (samplingRate * 1e9) / row.flops;
console.table(Object.fromEntries(cellSamples.map((r) => [r.model, { "chars/s": Math.round(r.chars), ceiling: Math.round(r.ceiling), "of ceiling": `${Math.round((100 * r.chars) / r.ceiling)}%` }])));

section(`Threads: the race's recipe (2×128, batch ${RECIPE.batch}, T ${RECIPE.seqLength}, Adam, clip-norm, dropout), ms per iteration of the calling thread, median of ${quick ? 2 : 5} interleaved rounds; 4, 8 and 16 projected from it (bench/threads.js); load ${loadavg()[0].toFixed(2)} on ${machine.cores} cores`);
const threads = await threadSplit({ text, rounds: quick ? 2 : 5, charsPerRound: quick ? 20000 : 60000 });
console.table(threadTable(threads));

section("Footprint");
const cold = coldStart(quick ? 3 : 7, 1000);
const coldCorpus = coldStart(quick ? 3 : 7, corpus.length);
for (const c of [cold, coldCorpus]) {
  console.log(`  cold start (compile + instantiate + create), ${c.chars}-character text: ${c.coldStartMs.toFixed(1)} ms ` +
    `(compile ${c.compileMs.toFixed(1)}, create ${c.createMs.toFixed(1)}; import ${c.importMs.toFixed(1)} ms before it)`);
}
const size = sizes();
const rss = peakRss(dataPath, quick ? 300 : 2000);
console.log(`  .wasm ${(size.wasmBytes / 1024).toFixed(1)} KB; npm tarball ${size.tarballBytes === null ? "n/a" : `${(size.tarballBytes / 1024).toFixed(1)} KB packed, ${(size.unpackedBytes / 1024).toFixed(1)} KB unpacked`}`);
console.log(`  peak RSS training ${rss.iterations} iterations on ${dataName}: ${rss.trainingMB.toFixed(1)} MB (an empty Node process: ${rss.emptyNodeMB.toFixed(1)} MB)`);

// The targets of the performance issue, each with the figure measured above.
const thirtyTwo = scalingLabel({ batch: 32, threads: 2 });
const ratio = (k) => (training[k] ? base / training[k].median : null);
const targets = [
  ["training B 1 ≥ 230k chars/s", base, base >= 230e3],
  ["training ≥ 15× plain TS port", ratio("plain-ts"), ratio("plain-ts") >= 15],
  ["B 32 on 2 threads ≥ 2× B 1", batch[thirtyTwo].median / batch[1].median, batch[thirtyTwo].median / batch[1].median >= 2],
  ["vanilla B 1 ≥ 10× numpy float64, ×", ratio("numpy-f64"), ratio("numpy-f64") === null ? null : ratio("numpy-f64") >= 10],
  ...kernelTargets(limit),
  [`vanilla B 1 ≥ 0.1.0's (${vanilla.commit}), ×`, vanilla.skipped ? null : vanilla.now / vanilla.baseline, vanilla.skipped ? null : vanilla.now / vanilla.baseline >= 0.97],
  ...cellTargets(cells, cellSamples),
  ...threads.map((t) => [`${t.cell} recipe B 32, projected 8 cores ≥ 6× one, ×`, t.projected[8].speedup, t.projected[8].speedup >= 6]),
  ["sampling (H 100) ≥ 800k chars/s", sample.median, sample.median >= 800e3],
  ["cold start ≤ 10 ms (1,000-char text)", cold.coldStartMs, cold.coldStartMs <= 10],
  [`cold start ≤ 10 ms (${coldCorpus.chars}-char corpus)`, coldCorpus.coldStartMs, coldCorpus.coldStartMs <= 10],
  [".wasm ≤ 64 KB", size.wasmBytes / 1024, size.wasmBytes <= 64 * 1024],
  ["tarball ≤ 200 KB", size.tarballBytes === null ? null : size.tarballBytes / 1024, size.tarballBytes === null ? null : size.tarballBytes <= 200 * 1024],
  ["peak RSS training ≤ 80 MB", rss.trainingMB, rss.trainingMB <= 80],
].map(([target, measured, met]) => ({ target, measured: measured === null ? null : +measured.toPrecision(4), met }));
section("Targets");
console.table(Object.fromEntries(targets.map((t) => [t.target, { measured: t.measured, met: t.met === null ? "n/a" : t.met ? "yes" : "NO" }])));

/** The cells' targets: against PyTorch (its best thread count for two threads), per arithmetic, and the sampling ceiling. */
function cellTargets(rows, samples) {
  const row = (cell, batch, threads, arithmetic = "mul-add") => rows.find((r) => r.cell === cell && r.batch === batch && r.threads === threads && r.arithmetic === arithmetic);
  const vs = (r, torch) => (r === undefined || torch === null ? null : r.minrnn / torch);
  const out = [];
  const target = (label, value, min) => out.push([label, value, value === null ? null : value >= min]);
  for (const cell of ["lstm", "gru"]) {
    const b32 = row(cell, 32, 1), fma = row(cell, 32, 1, "fma"), twoFma = row(cell, 32, 2, "fma");
    target(`${cell} B 32 ≥ 0.8× PyTorch (one thread each), ×`, vs(b32, b32.torch), 0.8);
    target(`${cell} B 32 fma ≥ 1.05× PyTorch (one thread each), ×`, vs(fma, b32.torch), 1.05);
    target(`${cell} B 32 fma, two threads ≥ 1.5× PyTorch's best thread count, ×`, vs(twoFma, b32.torch === null ? null : Math.max(b32.torch, b32.torch2 ?? 0)), 1.5);
    const two = row(cell, 32, 2);
    target(`${cell} B 32 two threads ≥ 1.85× one, ×`, vs(two, b32?.minrnn ?? null), 1.85);
  }
  const b1 = row("lstm", 1, 1);
  target("lstm B 1 ≥ 8× PyTorch, ×", vs(b1, b1.torch), 8);
  const lstm = samples.find((s) => s.model.startsWith("lstm"));
  out.push(["lstm sampling ≥ 70% of ceiling, %", (100 * lstm.chars) / lstm.ceiling, lstm.chars >= 0.7 * lstm.ceiling]);
  return out;
}

/** Every kernel at the five shapes: ≥ 80% of its arithmetic's peak, and above XNNPACK. */
function kernelTargets({ rows, peak }) {
  return rows.flatMap((r) => ["mul-add", "fma"].filter((a) => r[a] !== null).map((a) => {
    const share = (100 * r[a]) / peak[a].registers;
    const met = share >= 80 && (r.xnnpack === null || r[a] > r.xnnpack);
    return [`${a} ${r.shape.split(" ")[0]} ≥ 80% of peak and > XNNPACK, %`, share, met];
  }));
}

machine.loadAfter = loadavg()[0];
if (Math.max(machine.loadBefore, machine.loadAfter) > 1.2) console.log(`note: the load average was ${machine.loadBefore.toFixed(2)} → ${machine.loadAfter.toFixed(2)}: something else ran; absolute figures are low, ratios are fair`);
const results = {
  date: new Date().toISOString(), machine, quick, data: { name: dataName, chars: Array.from(text).length },
  config: { hidden: 100, seqLength: 25, learningRate: 0.1, rounds: ROUNDS,
    numpy: "child process per round, OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE/L2_SIZE unset" },
  training, vanilla, batch, sampling: sample, kernels, limit, cells, tfjs, cellSampling: cellSamples, threads, coldStart: { text1000: cold, corpus: coldCorpus }, size, rss, targets,
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log("\nwrote bench/results.json");
