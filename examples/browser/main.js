// The demo page: controls and display only. The model and all its work live in
// worker.js; this side sends commands and shows what comes back. What the page shows is
// always the current model's: numbers from a discarded model or a stopped run are cleared.
import { LossChart, formatLoss } from "./chart.js";
import { LIMITS, readField } from "./fields.js";

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const chart = new LossChart($("chart"));
const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const SLOW_ITERATION_MS = 100; // beyond this a single iteration delays Stop noticeably: say so

let text = null; // null: the built-in corpus (the worker has it)
// model: the current model's config and description, or null before Start or after New model.
const state = { ready: false, model: null, training: false, starting: false };
let lastStatus = { message: "", kind: "info" }; // what a fixed field error gives way to
let shownSample = null; // { iteration, prime } of the sample on screen

/**
 * Buttons and the page's phase from the state: for people (enabled controls) and for
 * tests and the layout (body[data-state], body[data-model]).
 */
function render(phase = document.body.dataset.state) {
  document.body.dataset.state = phase;
  document.body.toggleAttribute("data-model", state.model !== null);
  const busy = state.training || state.starting;
  $("start").disabled = !state.ready || busy;
  $("stop").disabled = !state.training;
  $("reset").disabled = !state.model || busy;
  $("download").disabled = !state.model;
  $("load").disabled = !state.ready;
  $("sample").disabled = !state.model;
  $("model-settings").disabled = state.model !== null;
}

/** The status line; `kind` is info, error, warning, or field (a field's problem, shown until it is fixed). */
function say(message, kind = "info") {
  $("status").textContent = message;
  $("status").className = kind === "field" ? "error" : kind;
  $("status").dataset.kind = kind;
  if (kind !== "field") lastStatus = { message, kind };
}

function fieldFixed() {
  if ($("status").dataset.kind === "field") say(lastStatus.message, lastStatus.kind);
}

function sampleOptions() {
  const options = { length: readField($("sample-length")), temperature: Number($("temperature").value) };
  const seed = readField($("sample-seed"));
  if (seed !== undefined) options.seed = seed;
  if ($("prime").value !== "") options.prime = $("prime").value;
  return options;
}

function modelSettings() {
  return {
    cell: $("cell").value,
    layers: readField($("layers")),
    hidden: readField($("hidden")),
    seqLength: readField($("seq-length")),
    learningRate: readField($("learning-rate")),
    seed: readField($("seed")),
  };
}

const perChar = (smoothLoss) => smoothLoss / state.model.seqLength;

const fromWorker = {
  ready() {
    state.ready = true;
    render("ready");
    say("Ready: choose the settings and press Start.");
  },
  model({ config, vocabSize, textLength, iteration, smoothLoss, file, note }) {
    const on = textLength ? `, text of ${grouped.format(textLength)} characters` : "";
    const layers = config.layers > 1 ? `${config.layers} layers of ` : "";
    const about = `${config.cell} ${layers}hidden ${config.hidden}, seq ${config.seqLength}, lr ${config.learningRate}, vocabulary ${vocabSize}${on}`;
    state.model = { ...config, about };
    for (const [id, key] of [["cell", "cell"], ["layers", "layers"], ["hidden", "hidden"], ["seq-length", "seqLength"], ["learning-rate", "learningRate"], ["seed", "seed"]]) {
      $(id).value = config[key];
      $(id).removeAttribute("aria-invalid");
    }
    showProgress({ iteration, smoothLoss });
    $("speed").value = "–";
    if (file === null) return; // a model made by Start: "training" follows
    chart.clear();
    clearSample();
    render("loaded");
    say(`Loaded ${file}, iteration ${grouped.format(iteration)} (${about}); Start resumes.${note ? ` ${note}` : ""}`);
  },
  progress(p) {
    if (!state.model) return; // sent just before a New model was asked for
    showProgress(p);
    if (p.charsPerSecond) $("speed").value = grouped.format(p.charsPerSecond);
    $("pace").textContent = p.iterationMs > SLOW_ITERATION_MS
      ? `One iteration takes ${grouped.format(p.iterationMs)} ms at this size; Stop waits for the one in progress.`
      : "";
    chart.add(p.iteration, perChar(p.smoothLoss));
  },
  sample({ prime, text: continuation, error, iteration }) {
    if (!state.model) return; // drawn from a model discarded since
    const out = $("sample-text");
    out.classList.toggle("error", error !== undefined);
    out.querySelector(".prime").textContent = error === undefined ? prime : "";
    out.querySelector(".continuation").textContent = error ?? continuation;
    shownSample = { iteration, prime: error === undefined && prime !== "" };
    captionSample();
  },
  stopped({ iteration, exploded }) {
    state.training = false;
    $("speed").value = "–"; // a rate is only true of a running loop
    $("pace").textContent = "";
    captionSample();
    render("stopped");
    if (!exploded) {
      say(`Stopped at iteration ${grouped.format(iteration)}. Start continues training.`);
      return;
    }
    const [from, to] = [perChar(exploded.from), perChar(exploded.to)];
    say(
      `The loss exploded: ${formatLoss(to, 2)} nats per character, more than 3× the ${formatLoss(from, 2)} it started at, so training stopped at iteration ${grouped.format(iteration)} (char-rnn's rule). ` +
        `Press New model and try a lower learning rate than ${exploded.learningRate}.`,
      "warning",
    );
  },
  checkpoint({ bytes, iteration }) {
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: `minrnn-iter${iteration}.safetensors` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  },
  training() {
    state.training = true;
    state.starting = false;
    render("training");
    say(`Training: ${state.model.about}.`);
    // On a phone the settings now sit below; bring the numbers and the chart into view.
    if (matchMedia("(max-width: 60rem)").matches) $("controls").scrollIntoView({ block: "start", behavior: "smooth" });
  },
  error({ message }) {
    state.starting = false;
    render();
    say(message, "error");
  },
};

function showProgress({ iteration, smoothLoss }) {
  $("iteration").value = grouped.format(iteration);
  $("loss").value = formatLoss(perChar(smoothLoss));
}

function clearStats() {
  for (const id of ["iteration", "loss", "speed"]) $(id).value = "–";
  $("pace").textContent = "";
}

/** Says which iteration the sample on screen comes from, and whether training has moved on since. */
function captionSample() {
  if (!shownSample) return;
  const { iteration, prime } = shownSample;
  const when = state.training ? ", while training" : "";
  $("sample-caption").textContent = `Sample at iteration ${grouped.format(iteration)}${when}.${prime ? " The prime is in bold, then the model's continuation." : ""}`;
}

function clearSample() {
  shownSample = null;
  $("sample-text").classList.remove("error");
  for (const part of $("sample-text").children) part.textContent = "";
  $("sample-caption").textContent = "While training, a new sample appears every second.";
}

worker.onmessage = ({ data }) => fromWorker[data.type](data);
worker.onerror = (e) => {
  state.ready = state.training = state.starting = false;
  fromWorker.error({ message: `the worker failed: ${e.message ?? "see the console"}` });
};

/** Runs `read`; a field out of its limits is said in the status line and focused instead. */
function checked(read) {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    say(err.message, "field");
    document.querySelector("[aria-invalid=true]")?.focus();
    return null;
  }
}

$("start").onclick = () => {
  const options = checked(sampleOptions);
  const config = state.model ? {} : checked(modelSettings);
  if (!options || !config) return;
  state.starting = true;
  render();
  worker.postMessage({ type: "settings", options });
  worker.postMessage({ type: "start", text, config });
};
$("stop").onclick = () => worker.postMessage({ type: "stop" });
$("reset").onclick = () => {
  state.model = null;
  worker.postMessage({ type: "reset" });
  chart.clear();
  clearStats();
  clearSample();
  render("ready");
  say("The next Start creates a new model from the settings.");
};
$("sample").onclick = () => {
  const options = checked(sampleOptions);
  if (options) worker.postMessage({ type: "sample", options });
};
$("download").onclick = () => worker.postMessage({ type: "save" });
$("load").onclick = () => $("checkpoint-file").click();

$("temperature").oninput = () => {
  $("temperature-value").value = Number($("temperature").value).toFixed(2);
};
for (const id of ["temperature", "sample-length", "sample-seed", "prime"]) {
  $(id).addEventListener("input", () => {
    const options = checked(sampleOptions);
    if (!options) return;
    fieldFixed();
    worker.postMessage({ type: "settings", options });
  });
}
for (const id of Object.keys(LIMITS).filter((id) => !id.startsWith("sample-"))) {
  $(id).addEventListener("input", () => checked(() => readField($(id))) !== null && fieldFixed());
}

$("text-file").onchange = async () => {
  const file = $("text-file").files[0];
  if (!file) return;
  try {
    // fatal: a file that is not UTF-8 is refused, not silently trained on replacement characters.
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    $("text-info").textContent = `${file.name}: ${grouped.format([...text].length)} characters.`;
    if (lastStatus.kind === "error") say("Ready: choose the settings and press Start.");
  } catch {
    text = null;
    $("text-file").value = "";
    $("text-info").textContent = "Built-in corpus (about 31 KB). Choose a UTF-8 text file to train on it instead.";
    say(`${file.name} is not UTF-8 text; save it as UTF-8 or choose another file (the built-in corpus is used meanwhile).`, "error");
  }
};

$("checkpoint-file").onchange = async () => {
  const file = $("checkpoint-file").files[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  $("checkpoint-file").value = "";
  // Nothing changes here: the worker checks the file and answers with a model or an error.
  worker.postMessage({ type: "load", bytes, text, name: file.name }, [bytes.buffer]);
};
