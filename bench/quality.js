// Text quality per minute of this machine (a benchmark, not a test): tiny shakespeare
// with its last 10% held out, the recipe trained on --threads (default auto: every core,
// at most the shard count) for a fixed wall time, the validation loss (nats per
// character) evaluated every EVAL_SECONDS; then PyTorch on the same recipe, split and
// measure (bench/reference/torch_quality.py, /usr/bin/python3, one thread: its fastest
// here), and the vanilla RNN at H 100 (min-char-rnn's recipe) as the baseline. Each runs
// alone, one after the other. Writes bench/quality.json (recipe, curves, best and final
// validation loss, samples from the best model at temperatures 0.5, 0.8, 1.0) and
// bench/quality.svg (the curves).
//
//   npm run quality                      10 minutes of each
//   node bench/quality.js --minutes 2 --torch-minutes 2 --baseline-minutes 0   shorter, to tune
//
// The clock includes the evaluations (a forward pass over the 111k held-out characters,
// a few seconds each): the minutes are wall time, as a user waits them.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { init, CharRNN } from "minrnn";
import { startThreads } from "minrnn/threads";

const DATA = fileURLToPath(new URL("../../shared/data/tinyshakespeare.txt", import.meta.url));
const TORCH_SCRIPT = fileURLToPath(new URL("./reference/torch_quality.py", import.meta.url));
const TORCH_PYTHON = "/usr/bin/python3";
const OUT = new URL("./", import.meta.url);
const { values: opts } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    "baseline-minutes": { type: "string", default: "10" },
    "torch-minutes": { type: "string" },
    "torch-threads": { type: "string", default: "1" },
    threads: { type: "string", default: "auto" },
    dropout: { type: "string", default: "0.1" },
    lr: { type: "string", default: "2e-3" },
    eval: { type: "string", default: "30" },
    out: { type: "string", default: "quality" },
  },
});
const EVAL_SECONDS = Number(opts.eval);

if (!existsSync(DATA)) {
  console.error(`bench/quality.js: ${DATA} is absent; it ships beside the repository (../shared/data)`);
  process.exit(1);
}
await init();
const text = readFileSync(DATA, "utf8");
const chars = Array.from(text);
const cut = Math.floor(chars.length * 0.9);   // the last 10% held out, as minrnn train --val 0.1 splits
const train = chars.slice(0, cut).join(""), validation = chars.slice(cut).join("");

const RECIPE = { cell: "lstm", layers: 2, hidden: 128, batch: 32, seqLength: 50, optimizer: "adam", learningRate: Number(opts.lr), clipNorm: 5, dropout: Number(opts.dropout), seed: 42 };
const BASELINE = { cell: "rnn", layers: 1, hidden: 100, batch: 1, seqLength: 25, optimizer: "adagrad", learningRate: 0.1, clip: 5, seed: 42 };

/** Trains `config` for `seconds` of wall time; the curve, the best and final validation loss, and the best model's bytes. */
async function run(name, config, seconds) {
  const model = CharRNN.create({ text: train, validation, ...config });
  const trainer = await startThreads(model, { threads: config.batch >= 2 && opts.threads !== "auto" ? Number(opts.threads) : "auto" });
  const T = config.seqLength;
  const start = performance.now();
  const minutes = () => (performance.now() - start) / 60000;
  const curve = [];
  let best = Infinity, bestBytes = null, losses = [];
  const evaluate = () => {
    const val = model.validationLoss() / T;
    const trainLoss = losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length / T : null;
    losses = [];
    curve.push({ minutes: +minutes().toFixed(3), iteration: model.iteration, train: trainLoss, validation: val });
    if (val < best) { best = val; bestBytes = model.save(); }
    console.log(`${name}: ${minutes().toFixed(2)} min, iteration ${model.iteration}, train ${trainLoss?.toFixed(4)}, validation ${val.toFixed(4)} nats/char${val === best ? " (best)" : ""}`);
  };
  let nextEval = EVAL_SECONDS;
  let chunk = 10;
  while (minutes() * 60 < seconds) {
    const t0 = performance.now();
    // Every tenth iteration's loss: the train curve is their mean since the last evaluation.
    trainer.train({ iterations: chunk, progressEvery: Math.min(chunk, 10), onProgress: (p) => losses.push(p.loss) });
    const perIteration = (performance.now() - t0) / chunk;
    chunk = Math.max(10, Math.min(500, Math.round(2000 / perIteration / 10) * 10));   // about 2 s a call
    if (minutes() * 60 >= nextEval) { evaluate(); nextEval += EVAL_SECONDS; }
  }
  if (curve.at(-1)?.iteration !== model.iteration) evaluate();
  const charsPerSecond = (model.iteration * T * config.batch) / (minutes() * 60);
  await trainer.close();
  model.dispose();
  return { name: `${name}, ${trainer.threads} thread${trainer.threads > 1 ? "s" : ""}`, config, threads: trainer.threads, seconds, iterations: curve.at(-1).iteration, charsPerSecond: Math.round(charsPerSecond), curve, bestValidation: best, finalValidation: curve.at(-1).validation, bestBytes };
}

/** PyTorch on the recipe for `seconds` (bench/reference/torch_quality.py); its result, or null without torch. */
function torchRun(config, seconds) {
  const r = spawnSync(TORCH_PYTHON, [TORCH_SCRIPT, "--data", DATA, "--minutes", String(seconds / 60), "--eval", String(EVAL_SECONDS),
    "--threads", opts["torch-threads"], "--cell", config.cell, "--layers", String(config.layers), "--hidden", String(config.hidden),
    "--batch", String(config.batch), "--seq", String(config.seqLength), "--lr", String(config.learningRate), "--clip-norm", String(config.clipNorm),
    "--dropout", String(config.dropout), "--seed", String(config.seed)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.log(`PyTorch: not run (${r.error?.message ?? `${TORCH_PYTHON} exited with ${r.status}`}; it needs torch: apt-get install python3-torch)`);
    return null;
  }
  const result = JSON.parse(r.stdout.trim().split("\n").pop());
  for (const p of result.curve) console.log(`${result.name}: ${p.minutes.toFixed(2)} min, iteration ${p.iteration}, validation ${p.validation.toFixed(4)} nats/char`);
  return result;
}

const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version, loadBefore: loadavg().map((l) => +l.toFixed(2)) };
console.log(`minrnn quality: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadBefore.join(" ")}`);
const recipe = await run("minrnn lstm 2x128", RECIPE, Number(opts.minutes) * 60);
const best = CharRNN.load(recipe.bestBytes);
const samples = Object.fromEntries([0.5, 0.8, 1.0].map((t) => [t, best.sample({ length: 400, temperature: t, seed: 7, prime: "\n" })]));
best.dispose();
const torchMinutes = Number(opts["torch-minutes"] ?? opts.minutes);
const torch = torchMinutes > 0 ? torchRun(RECIPE, torchMinutes * 60) : null;
const baseline = Number(opts["baseline-minutes"]) > 0 ? await run("vanilla rnn H100", BASELINE, Number(opts["baseline-minutes"]) * 60) : null;
machine.loadAfter = loadavg().map((l) => +l.toFixed(2));

const strip = ({ bestBytes, ...r }) => r;
const result = { machine, data: "tinyshakespeare.txt, last 10% held out", recipe: strip(recipe), torch, samples, baseline: baseline && strip(baseline) };
writeFileSync(new URL(`${opts.out}.json`, OUT), JSON.stringify(result, null, 2) + "\n");
writeFileSync(new URL(`${opts.out}.svg`, OUT), svg([recipe, torch, baseline].filter(Boolean)));
const summary = (r) => (r ? `best ${r.bestValidation.toFixed(4)}, final ${r.finalValidation.toFixed(4)} nats/char, ${r.charsPerSecond} chars/s` : "not run");
console.log(`recipe on ${recipe.threads} threads: ${summary(recipe)}; PyTorch: ${summary(torch)}; baseline: ${summary(baseline)}; load after ${machine.loadAfter.join(" ")}`);
for (const [t, s] of Object.entries(samples)) console.log(`--- temperature ${t}\n${s}`);

/** Validation (solid) and training (dashed) loss per character against minutes, one colour per run. */
function svg(runs) {
  const W = 720, H = 420, left = 60, right = 20, top = 40, bottom = 50;
  const points = runs.flatMap((r) => r.curve.flatMap((p) => [p.validation, p.train].filter((v) => v !== null)));
  const xMax = Math.max(...runs.map((r) => r.curve.at(-1).minutes));
  const yMin = Math.floor(Math.min(...points) * 10) / 10, yMax = Math.ceil(Math.min(Math.max(...points), 3.5) * 10) / 10;
  const x = (m) => left + (m / xMax) * (W - left - right);
  const y = (v) => top + ((yMax - Math.min(v, yMax)) / (yMax - yMin)) * (H - top - bottom);
  const colours = ["#1f77b4", "#ff7f0e", "#d62728"];
  const lines = runs.flatMap((r, i) => ["validation", "train"].map((k) => {
    const d = r.curve.filter((p) => p[k] !== null).map((p, j) => `${j ? "L" : "M"}${x(p.minutes).toFixed(1)},${y(p[k]).toFixed(1)}`).join("");
    return `<path d="${d}" fill="none" stroke="${colours[i]}" stroke-width="2"${k === "train" ? ' stroke-dasharray="5,4"' : ""}/>`;
  }));
  const ticks = [];
  for (let v = yMin; v <= yMax + 1e-9; v += 0.1) ticks.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  for (let m = 0; m <= xMax + 1e-9; m += xMax > 4 ? 1 : 0.5) ticks.push(`<text x="${x(m)}" y="${H - bottom + 18}" text-anchor="middle">${m}</text>`);
  const legend = runs.map((r, i) => `<text x="${left + 10}" y="${top + 16 + 16 * i}" fill="${colours[i]}">${r.name}: validation (solid), training (dashed); best ${r.bestValidation.toFixed(3)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">minrnn on tiny shakespeare (last 10% held out): loss per character against wall time</text>
${ticks.join("\n")}
<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="black"/><line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="black"/>
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">minutes</text><text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle">nats/char</text>
${lines.join("\n")}
${legend.join("\n")}
</svg>
`;
}
