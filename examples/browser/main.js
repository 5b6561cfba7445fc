// The demo page: controls and display only. The model and all its work live in
// worker.js; this side sends commands and shows what comes back.
import { LossChart } from "./chart.js";

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const chart = new LossChart($("chart"));
const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

let text = null; // null: the built-in corpus (the worker has it)
const state = { ready: false, model: false, training: false };

/** The phase the page is in, for people (the status line) and for tests (body[data-state]). */
function show(phase, message) {
  document.body.dataset.state = phase;
  $("status").textContent = message;
  $("status").classList.toggle("error", phase === "error");
  $("start").disabled = !state.ready || state.training;
  $("stop").disabled = !state.training;
  $("reset").disabled = !state.model || state.training;
  $("download").disabled = !state.model;
  $("sample").disabled = !state.model;
  $("model-settings").disabled = state.model;
}

function sampleOptions() {
  const options = { length: Number($("sample-length").value), temperature: Number($("temperature").value) };
  if ($("sample-seed").value !== "") options.seed = Number($("sample-seed").value);
  if ($("prime").value !== "") options.prime = $("prime").value;
  return options;
}

function modelSettings() {
  return {
    hidden: Number($("hidden").value),
    seqLength: Number($("seq-length").value),
    learningRate: Number($("learning-rate").value),
    seed: Number($("seed").value),
  };
}

const fromWorker = {
  ready() {
    state.ready = true;
    show("ready", "Ready: choose the settings and press Start.");
  },
  model({ config, vocabSize, textLength, iteration, smoothLoss, note }) {
    state.model = true;
    $("hidden").value = config.hidden;
    $("seq-length").value = config.seqLength;
    $("learning-rate").value = config.learningRate;
    $("seed").value = config.seed;
    showProgress({ iteration, smoothLoss });
    $("speed").value = "–";
    const about = `vocabulary ${vocabSize}, hidden ${config.hidden}, seq ${config.seqLength}, lr ${config.learningRate}`;
    const on = textLength ? `, text of ${grouped.format(textLength)} characters` : "";
    show(note ? "loaded" : state.training ? "training" : "ready", note ? `Model: ${about}. ${note}` : `Model: ${about}${on}.`);
  },
  progress(p) {
    showProgress(p);
    if (p.charsPerSecond) $("speed").value = grouped.format(p.charsPerSecond);
    chart.add(p.iteration, p.smoothLoss);
  },
  sample({ text: sample, error }) {
    $("sample-text").textContent = error ?? sample;
    $("sample-text").classList.toggle("error", error !== undefined);
  },
  stopped({ iteration }) {
    state.training = false;
    show("stopped", `Stopped at iteration ${grouped.format(iteration)}. Start continues training.`);
  },
  checkpoint({ bytes, iteration }) {
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: `minrnn-iter${iteration}.safetensors` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  },
  training() {
    state.training = true;
    show("training", "Training…");
  },
  error({ message }) {
    show("error", message);
  },
};

function showProgress({ iteration, smoothLoss }) {
  $("iteration").value = grouped.format(iteration);
  $("smooth-loss").value = smoothLoss.toFixed(3);
}

worker.onmessage = ({ data }) => fromWorker[data.type](data);
worker.onerror = (e) => {
  state.ready = state.training = false;
  fromWorker.error({ message: `the worker failed: ${e.message ?? "see the console"}` });
};

$("start").onclick = () => {
  $("start").disabled = true;
  worker.postMessage({ type: "settings", options: sampleOptions() });
  worker.postMessage({ type: "start", text, config: modelSettings() });
};
$("stop").onclick = () => worker.postMessage({ type: "stop" });
$("reset").onclick = () => {
  state.model = false;
  worker.postMessage({ type: "reset" });
  chart.clear();
  show("ready", "The next Start creates a new model from the settings.");
};
$("sample").onclick = () => worker.postMessage({ type: "sample", options: sampleOptions() });
$("download").onclick = () => worker.postMessage({ type: "save" });

for (const id of ["temperature", "sample-length", "sample-seed", "prime"]) {
  $(id).oninput = () => {
    $("temperature-value").value = Number($("temperature").value).toFixed(2);
    worker.postMessage({ type: "settings", options: sampleOptions() });
  };
}

$("text-file").onchange = async () => {
  const file = $("text-file").files[0];
  if (!file) return;
  try {
    // fatal: a file that is not UTF-8 is refused, not silently trained on replacement characters.
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    $("text-info").textContent = `${file.name}: ${grouped.format([...text].length)} characters.`;
  } catch {
    text = null;
    $("text-file").value = "";
    show("error", `${file.name} is not UTF-8 text; save it as UTF-8 or choose another file (the built-in corpus is used meanwhile).`);
  }
};

$("checkpoint-file").onchange = async () => {
  const file = $("checkpoint-file").files[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  $("checkpoint-file").value = "";
  chart.clear();
  worker.postMessage({ type: "load", bytes, text }, [bytes.buffer]);
};
