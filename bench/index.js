// `npm run bench`: minrnn against its references and targets, in one run (~5 minutes).
// Prints tables and writes bench/results.json. Suites: training chars/s (minrnn, the
// plain TypeScript port, numpy float64/float32, and 0.1.0's core), batch scaling (one and
// two threads), sampling, SIMD kernels against their scalar forms, the LSTM and GRU
// against PyTorch and their ceilings, threads (the per-iteration split on one and two
// threads and the projection for 4, 8 and 16), cold start, sizes and peak memory.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { init } from "minrnn";
import { corpus } from "minrnn/corpus";
import { compareTraining, batchScaling, scalingLabel, sampling, numpyVersion } from "./training.js";
import { kernelSuite, LSTM_KERNELS } from "./kernels.js";
import { cellTraining, cellSampling, torchVersion, vanillaAgainstBaseline } from "./cells.js";
import { coldStart, sizes, peakRss } from "./footprint.js";
import { threadSplit, threadTable, RECIPE } from "./threads.js";
import { si } from "./stats.js";

const quick = process.argv.includes("--quick"); // fewer, shorter rounds: a smoke run
const ROUNDS = quick ? 2 : 7;

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

const section = (title) => console.log(`\n${title}`);

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
section(`LSTM and GRU, 2 layers of 128, T 50, Adagrad (chars/s, median of ${ROUNDS} interleaved rounds; PyTorch ${torch ?? "absent"} on one thread; ceiling: flops per character at the kernels' ${trainingRate.toFixed(1)} GFLOP/s, ×2 on two threads)`);
const cells = await cellTraining({ text, dataPath, rounds: quick ? 1 : Math.min(ROUNDS, 3), charsPerRound: quick ? 20000 : 60000, torch });
for (const row of cells) row.ceiling = (trainingRate * 1e9 * row.threads) / row.flops;
console.table(Object.fromEntries(cells.map((r) => [`${r.cell} B ${r.batch}${r.threads > 1 ? ", 2 threads" : ""}`, {
  "chars/s": Math.round(r.minrnn), "PyTorch": r.torch === null ? "–" : Math.round(r.torch), "× PyTorch": r.torch === null ? "–" : +(r.minrnn / r.torch).toFixed(2),
  "ceiling": Math.round(r.ceiling), "of ceiling": `${Math.round((100 * r.minrnn) / r.ceiling)}%`,
}])));
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
  ["training ≥ 8× numpy float64", ratio("numpy-f64"), ratio("numpy-f64") === null ? null : ratio("numpy-f64") >= 8],
  ["training ≥ 15× plain TS port", ratio("plain-ts"), ratio("plain-ts") >= 15],
  ["B 32 on 2 threads ≥ 2× B 1", batch[thirtyTwo].median / batch[1].median, batch[thirtyTwo].median / batch[1].median >= 2],
  [`vanilla B 1 ≥ 0.1.0's (${vanilla.commit}), ×`, vanilla.skipped ? null : vanilla.now / vanilla.baseline, vanilla.skipped ? null : vanilla.now / vanilla.baseline >= 0.97],
  ...cellTargets(cells, cellSamples),
  ...threads.map((t) => [`${t.cell} recipe B 32, projected 8 cores ≥ 6× one, ×`, t.projected[8].speedup, t.projected[8].speedup >= 6]),
  ["sampling ≥ 500k chars/s", sample.median, sample.median >= 500e3],
  ["cold start ≤ 10 ms (1,000-char text)", cold.coldStartMs, cold.coldStartMs <= 10],
  [`cold start ≤ 10 ms (${coldCorpus.chars}-char corpus)`, coldCorpus.coldStartMs, coldCorpus.coldStartMs <= 10],
  [".wasm ≤ 64 KB", size.wasmBytes / 1024, size.wasmBytes <= 64 * 1024],
  ["tarball ≤ 200 KB", size.tarballBytes === null ? null : size.tarballBytes / 1024, size.tarballBytes === null ? null : size.tarballBytes <= 200 * 1024],
  ["peak RSS training ≤ 80 MB", rss.trainingMB, rss.trainingMB <= 80],
].map(([target, measured, met]) => ({ target, measured: measured === null ? null : +measured.toPrecision(4), met }));
section("Targets");
console.table(Object.fromEntries(targets.map((t) => [t.target, { measured: t.measured, met: t.met === null ? "n/a" : t.met ? "yes" : "NO" }])));

/** The cells issue's targets: against PyTorch, the ceiling, and two threads. */
function cellTargets(rows, samples) {
  const row = (cell, batch, threads) => rows.find((r) => r.cell === cell && r.batch === batch && r.threads === threads);
  const vsTorch = (r) => (r.torch === null ? null : r.minrnn / r.torch);
  const out = [];
  for (const cell of ["lstm", "gru"]) {
    const b32 = row(cell, 32, 1), b1 = row(cell, 1, 1), two = row(cell, 32, 2);
    out.push([`${cell} B 32 ≥ 2× PyTorch, ×`, vsTorch(b32), vsTorch(b32) === null ? null : vsTorch(b32) >= 2]);
    out.push([`${cell} B 32 ≥ 70% of ceiling, %`, (100 * b32.minrnn) / b32.ceiling, b32.minrnn >= 0.7 * b32.ceiling]);
    out.push([`${cell} B 1 ≥ 10× PyTorch, ×`, vsTorch(b1), vsTorch(b1) === null ? null : vsTorch(b1) >= 10]);
    out.push([`${cell} B 32 two threads ≥ 1.85× one, ×`, two.minrnn / b32.minrnn, two.minrnn >= 1.85 * b32.minrnn]);
  }
  const lstm = samples.find((s) => s.model.startsWith("lstm"));
  out.push(["lstm sampling ≥ 70% of ceiling, %", (100 * lstm.chars) / lstm.ceiling, lstm.chars >= 0.7 * lstm.ceiling]);
  return out;
}

machine.loadAfter = loadavg()[0];
if (Math.max(machine.loadBefore, machine.loadAfter) > 1.2) console.log(`note: the load average was ${machine.loadBefore.toFixed(2)} → ${machine.loadAfter.toFixed(2)}: something else ran; absolute figures are low, ratios are fair`);
const results = {
  date: new Date().toISOString(), machine, quick, data: { name: dataName, chars: Array.from(text).length },
  config: { hidden: 100, seqLength: 25, learningRate: 0.1, rounds: ROUNDS,
    numpy: "child process per round, OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE/L2_SIZE unset" },
  training, vanilla, batch, sampling: sample, kernels, cells, cellSampling: cellSamples, threads, coldStart: { text1000: cold, corpus: coldCorpus }, size, rss, targets,
};
writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log("\nwrote bench/results.json");
