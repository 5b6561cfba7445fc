// The demo page: controls and display only. The model and all its work live in
// worker.js; this side sends commands and shows what comes back. What the page shows is
// always the current model's: numbers from a discarded model or a stopped run are cleared.
//
// For screen readers one live region, #status, says what changed (training started,
// stopped, loaded, an error); the numbers, the chart and the samples change many times a
// second and are read when visited, not announced.
import { corpus } from "../../dist/corpus.js";
import { LossChart, formatLoss } from "./chart.js";
import { LIMITS, readField } from "./fields.js";
import { saveModel, savedModel, forgetModel } from "./store.js";

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const chart = new LossChart($("chart"));
const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const SLOW_ITERATION_MS = 100; // beyond this a single iteration delays Stop noticeably: say so
const RISE = 0.1; // nats/char above the lowest smooth loss: the loss has jumped, say why
const TRAINED_MODEL = "trained-lstm.safetensors"; // made by the command in README's demo section
const BUILT_IN = { text: null, name: "the built-in plays" };
const SNIPPET_CHARS = 600;

let text = BUILT_IN; // { text (null: the built-in corpus, which the worker has), name }
// model: the current model's config and description, or null before Start or after New model.
const state = { ready: false, model: null, training: false, starting: false };
let dirty = false; // trained since it was made, loaded or downloaded: leaving or discarding loses work
let lastStatus = { message: "", kind: "info" }; // what a fixed field error gives way to
let shownSample = null; // { iteration, prime } of the sample on screen
let lowest = null; // { loss, iteration }: the lowest smooth loss per character of this model
let lastAutosave = null; // Date of the last autosave
let afterDownload = null; // what "Download first" does once the checkpoint has been handed over

/**
 * Buttons and the page's phase from the state: for people (enabled controls) and for
 * tests and the layout (body[data-state], body[data-model]).
 */
function render(phase = document.body.dataset.state) {
  document.body.dataset.state = phase;
  document.body.toggleAttribute("data-model", state.model !== null);
  const busy = state.training || state.starting;
  $("start").disabled = !state.ready || busy || (state.model !== null && !state.model.canTrain);
  $("start").textContent = state.model ? "Continue training" : `Train on ${text.name}`;
  $("stop").disabled = !state.training;
  $("try-trained").disabled = !state.ready || busy;
  $("reset").disabled = !state.model || busy;
  $("download").disabled = !state.model;
  $("load").disabled = !state.ready;
  $("sample").disabled = !state.model;
  $("model-settings").disabled = state.model !== null;
  $("use-builtin").disabled = text === BUILT_IN || !state.ready;
  $("use-paste").disabled = $("paste").value.trim() === "" || !state.ready;
}

/**
 * The status line, the page's one live region; `kind` is info, done, error, warning, or
 * field (a field's problem, shown until it is fixed). `details` go in a closed <details>.
 */
function say(message, kind = "info", details = "") {
  $("status").textContent = message;
  $("status").className = kind === "field" ? "error" : kind;
  $("status").dataset.kind = kind;
  $("status-details").hidden = details === "";
  $("status-details").open = false;
  $("status-detail-text").textContent = details;
  if (kind !== "field") lastStatus = { message, kind, details };
}

function fieldFixed() {
  if ($("status").dataset.kind === "field") say(lastStatus.message, lastStatus.kind, lastStatus.details);
}

function sampleOptions() {
  const options = { length: readField($("sample-length")), temperature: Number($("temperature").value) };
  const seed = readField($("sample-seed"));
  if (seed !== undefined) options.seed = seed;
  if ($("prime").value !== "") options.prime = $("prime").value;
  return options;
}

function modelSettings() {
  const clipNorm = readField($("clip-norm"));
  return {
    cell: $("cell").value,
    layers: readField($("layers")),
    hidden: readField($("hidden")),
    seqLength: readField($("seq-length")),
    batch: readField($("batch")),
    learningRate: readField($("learning-rate")),
    ...(clipNorm === undefined ? {} : { clipNorm }),
    seed: readField($("seed")),
  };
}

const perChar = (loss) => loss / state.model.seqLength;

const fromWorker = {
  ready() {
    state.ready = true;
    render("ready");
    say("Ready. Press Train to start, or Try a trained model to see where training leads.");
    offerRestore();
  },
  model({ config, vocabSize, textLength, iteration, smoothLoss, epoch, file, note, details, canTrain }) {
    const layers = config.layers > 1 ? `${config.layers} layers of ` : "";
    const clip = Number.isFinite(config.clipNorm) ? `, clip-norm ${config.clipNorm}` : "";
    const batch = config.batch > 1 ? `, batch ${config.batch}` : "";
    const about = `${config.cell} ${layers}hidden ${config.hidden}, seq ${config.seqLength}${batch}, lr ${config.learningRate}${clip}, vocabulary ${vocabSize}`;
    state.model = { ...config, about, canTrain, textLength };
    for (const [id, key] of [["cell", "cell"], ["layers", "layers"], ["hidden", "hidden"], ["seq-length", "seqLength"], ["batch", "batch"], ["learning-rate", "learningRate"], ["seed", "seed"]]) {
      $(id).value = config[key];
      $(id).removeAttribute("aria-invalid");
    }
    $("clip-norm").value = Number.isFinite(config.clipNorm) ? config.clipNorm : "";
    chart.setVocabulary(vocabSize);
    showProgress({ iteration, smoothLoss, epoch });
    describeCard();
    $("speed").textContent = "–";
    if (file === null) {
      if (note) say(note);
      return; // a model made by Start: "training" follows
    }
    dirty = false;
    lowest = null;
    $("loss-note").hidden = true;
    $("validation").textContent = "–"; // the worker sends the loaded model's next
    chart.clear();
    clearSample();
    render("loaded");
    const trains = canTrain ? " Continue training resumes it." : "";
    say(`Loaded ${file}, iteration ${grouped.format(iteration)} (${about}).${trains}${note ? ` ${note}` : ""}`, "info", details);
  },
  progress(p) {
    if (!state.model) return; // sent just before a New model was asked for
    dirty = true;
    showProgress(p);
    if (p.charsPerSecond) $("speed").textContent = grouped.format(p.charsPerSecond);
    $("pace").textContent = p.iterationMs > SLOW_ITERATION_MS
      ? `One iteration takes ${grouped.format(p.iterationMs)} ms at this size; Stop waits for the one in progress.`
      : "";
    chart.add(p.iteration, perChar(p.smoothLoss));
    if (p.validation !== undefined) chart.addValidation(p.iteration, perChar(p.validation));
    noteRise(p.iteration, perChar(p.smoothLoss));
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
  validation({ iteration, validation }) {
    if (!state.model || validation === undefined) return;
    showProgress({ iteration, validation });
    chart.addValidation(iteration, perChar(validation));
  },
  stopped({ iteration, exploded, epoch }) {
    state.training = false;
    // A rate and a thread count are only true of a running loop.
    for (const id of ["speed", "threads"]) $(id).textContent = "–";
    $("threads-why").textContent = "";
    $("pace").textContent = "";
    showProgress({ iteration, epoch });
    describeCard();
    captionSample();
    render("stopped");
    focusIfLost("stop", "start");
    if (!exploded) {
      say(`Stopped at iteration ${grouped.format(iteration)}. Continue training goes on from here.`);
      return;
    }
    const [from, to] = [perChar(exploded.from), perChar(exploded.to)];
    say(
      `The loss exploded: ${formatLoss(to, 2)} nats per character, more than 3× the ${formatLoss(from, 2)} it started at, so training stopped at iteration ${grouped.format(iteration)} (char-rnn's rule). ` +
        `Press New model and try a lower learning rate than ${exploded.learningRate}.`,
      "warning",
    );
  },
  checkpoint({ purpose, bytes, iteration }) {
    if (purpose === "autosave") return autosave(bytes, iteration);
    const name = `minrnn-iter${iteration}.safetensors`;
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    dirty = false;
    say(`Downloaded ${name} (${formatBytes(bytes.length)}). The command line reads it: npx minrnn sample ${name}`, "done");
    afterDownload?.();
    afterDownload = null;
  },
  training({ threads, why, reason }) {
    state.training = true;
    state.starting = false;
    showThreads(threads, why, reason);
    render("training");
    focusIfLost("start", "stop");
    say(`Training on ${text.name}: ${state.model.about}.`);
    // On a phone the controls sit above; bring the sample into view.
    if (matchMedia("(max-width: 60rem)").matches) $("sampling").scrollIntoView({ block: "start", behavior: "smooth" });
  },
  "load-ask"({ name, iteration }) {
    confirmDiscard(() => worker.postMessage({ type: "replace" }), {
      question: `Replace this model with ${name} (iteration ${grouped.format(iteration)})?`,
      keep: () => worker.postMessage({ type: "keep" }),
    });
  },
  "load-error"({ name, message }) {
    // The library's words are for engineers: lead with what it means, keep them as details.
    const damaged = /truncated/.test(message);
    const headline = damaged ? `${name} is a damaged or incomplete minrnn checkpoint; nothing was changed.` : `${name} isn't a minrnn checkpoint; nothing was changed.`;
    say(headline, "error", message);
  },
  error({ message }) {
    state.starting = false;
    render();
    say(message, "error");
  },
};

/** After a button disables itself, focus goes to its counterpart (unless the person has moved on). */
function focusIfLost(from, to) {
  const active = document.activeElement;
  if (active === null || active === document.body || active.id === from) $(to).focus();
}

function showProgress({ iteration, smoothLoss, validation, epoch }) {
  $("iteration").textContent = grouped.format(iteration);
  if (epoch !== undefined) $("epoch").textContent = epoch ? epoch.toFixed(2) : "–";
  if (validation !== undefined) $("validation").textContent = formatLoss(perChar(validation));
  if (smoothLoss === undefined) return;
  const nats = perChar(smoothLoss);
  $("loss").textContent = formatLoss(nats);
  $("loss").title = `${formatLoss(smoothLoss)} per ${state.model.seqLength}-character window: the figure minrnn train prints ("iter N, loss X")`;
  $("bits").textContent = `${formatLoss(nats / Math.LN2)} bits/char`;
}

/**
 * The running training's thread count, with a few words on what held it down, and the
 * library's reason when the page is not cross-origin isolated (a fact of the page: it stays).
 */
function showThreads(threads, why, reason) {
  $("threads").textContent = String(threads);
  $("threads-why").textContent = why ? `(${why})` : "";
  if (reason === null) return;
  $("threads-note").hidden = false;
  $("threads-note").textContent = `One thread: ${reason}.`;
}

/** The current model card: what it is and what it trains on. Errors never write here. */
function describeCard() {
  const { about, canTrain, textLength } = state.model;
  const on = canTrain ? `Trains on ${text.name} (${grouped.format(textLength)} characters; 5% more held out for validation).` : "Can sample; cannot train on the current text.";
  $("model-about").textContent = `${about}. ${on}${lastAutosave ? ` Autosaved in this browser at ${lastAutosave.toLocaleTimeString()}.` : ""}`;
}

/** Explains a rise of the loss once per model (see README: the jump near iteration 21k). */
function noteRise(iteration, loss) {
  if (lowest === null || loss < lowest.loss) lowest = { loss, iteration };
  if (!$("loss-note").hidden || loss < lowest.loss + RISE) return;
  $("loss-note").hidden = false;
  $("loss-note").textContent =
    `The loss has risen from ${formatLoss(lowest.loss)} at iteration ${grouped.format(lowest.iteration)}. ` +
    "That is a gradient explosion: in one window the gradient grew so large that, although each element is clipped to ±5, the update moved every recurrent weight at once, " +
    "and it takes a few thousand iterations to win the ground back. Clip by norm (Advanced, 5 by default) prevents most of these; a lower learning rate makes them rarer.";
}

function clearStats() {
  for (const id of ["iteration", "epoch", "loss", "bits", "validation", "speed", "threads"]) $(id).textContent = "–";
  $("threads-why").textContent = "";
  $("loss").title = "";
  $("pace").textContent = "";
  $("model-about").textContent = "None yet.";
  $("loss-note").hidden = true;
  lowest = null;
}

/** Says which iteration the sample on screen comes from, and whether training has moved on since. */
function captionSample() {
  if (!shownSample) return;
  const { iteration, prime } = shownSample;
  const when = state.training ? ", while training" : "";
  $("sample-caption").textContent = `Sample at iteration ${grouped.format(iteration)}${when}.${prime ? " The prime is in bold, then the model's continuation." : ""}`;
}

/** Before there is a model: the first lines of the text it will read. */
function clearSample() {
  shownSample = null;
  $("sample-text").classList.remove("error");
  $("sample-text").querySelector(".prime").textContent = "";
  $("sample-text").querySelector(".continuation").textContent = state.model ? "" : `${Array.from(text.text ?? corpus).slice(0, SNIPPET_CHARS).join("")}…`;
  $("sample-caption").textContent = state.model
    ? "A new sample appears every second while training; Sample now draws one at any time."
    : `The first lines of ${text.name}, which the model will read. Once training starts, a new sample of its own writing appears here every second.`;
}

function formatBytes(n) {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

async function autosave(bytes, iteration) {
  try {
    lastAutosave = new Date();
    await saveModel({ bytes, iteration, about: state.model.about, savedAt: lastAutosave.getTime(), text: text.text, textName: text.name });
    if (state.model) describeCard();
  } catch {
    lastAutosave = null; // private browsing or no quota: the page works without it
  }
}

/** On a new visit: a model autosaved last time may be restored. */
async function offerRestore() {
  const saved = await savedModel().catch(() => undefined);
  if (!saved || state.model) return;
  $("restore-text").textContent = `You have a model from your last visit: ${saved.about}, iteration ${grouped.format(saved.iteration)}, trained on ${saved.textName}, saved ${new Date(saved.savedAt).toLocaleString()}.`;
  $("restore").hidden = false;
  $("restore-yes").onclick = () => {
    $("restore").hidden = true;
    text = { text: saved.text, name: saved.textName };
    loadCheckpoint(saved.bytes, "your last visit's model");
  };
  $("restore-no").onclick = async () => {
    $("restore").hidden = true;
    await forgetModel().catch(() => {});
    say("Discarded the model from your last visit.");
  };
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
    const invalid = document.querySelector("[aria-invalid=true]");
    if (invalid?.closest("details")) invalid.closest("details").open = true;
    invalid?.focus();
    return null;
  }
}

/**
 * Runs `discard` at once if nothing would be lost; otherwise asks, offering a download
 * first, and runs `keep` if the person keeps the model.
 */
function confirmDiscard(discard, { question = "Discard this model?", keep = () => {} } = {}) {
  if (!dirty || !state.model) return discard();
  const iteration = $("iteration").textContent;
  $("confirm-title").textContent = question;
  $("confirm-text").textContent = `The model at iteration ${iteration} has not been downloaded. Discarding it cannot be undone.`;
  const dialog = $("confirm-discard");
  dialog.returnValue = "cancel";
  dialog.onclose = () => {
    if (dialog.returnValue === "discard") discard();
    if (dialog.returnValue === "cancel") keep();
    if (dialog.returnValue === "download") {
      afterDownload = discard;
      worker.postMessage({ type: "save", purpose: "download" });
    }
  };
  dialog.showModal();
}

function discardModel() {
  state.model = null;
  dirty = false;
  worker.postMessage({ type: "reset" });
  chart.clear();
  clearStats();
  clearSample();
  forgetModel().catch(() => {});
  lastAutosave = null;
  render("ready");
  say("Discarded. The next Train creates a new model from the settings.");
  $("start").focus();
}

function loadCheckpoint(bytes, name, sampleNow = false) {
  // Nothing changes here: the worker checks the file and answers with a model or an error,
  // or, where unsaved work would be replaced, asks first (load-ask).
  const ask = dirty && state.model !== null;
  worker.postMessage({ type: "load", bytes, text: text.text, textName: text.name, name, sampleNow, ask }, [bytes.buffer]);
}

/** A new text: for the next new model, or for the current one (the worker says which). */
function useText(next, fromFile = false) {
  text = next;
  if (!fromFile) $("text-file").value = ""; // the chooser would still name the file given up
  const length = Array.from(next.text ?? corpus).length;
  $("text-info").textContent = next === BUILT_IN ? "The built-in plays (about 31 KB)." : `${next.name}: ${grouped.format(length)} characters.`;
  if (lastStatus.kind === "error") say("Ready.");
  if (state.model) worker.postMessage({ type: "text", text: next.text, name: next.name });
  else clearSample();
  render();
}

$("start").onclick = () => {
  const options = checked(sampleOptions);
  const config = state.model ? {} : checked(modelSettings);
  const threads = checked(() => readField($("thread-count")));
  if (!options || !config || !threads) return;
  $("restore").hidden = true;
  state.starting = true;
  render();
  worker.postMessage({ type: "settings", options });
  worker.postMessage({ type: "start", text: text.text, config, threads });
};
$("stop").onclick = () => worker.postMessage({ type: "stop" });
$("reset").onclick = () => confirmDiscard(discardModel);
$("sample").onclick = () => {
  const options = checked(sampleOptions);
  if (options) worker.postMessage({ type: "sample", options });
};
$("download").onclick = () => worker.postMessage({ type: "save", purpose: "download" });
$("load").onclick = () => $("checkpoint-file").click();
$("try-trained").onclick = async () => {
  const response = await fetch(new URL(TRAINED_MODEL, import.meta.url));
  if (!response.ok) return say(`Could not fetch the trained model (${response.status}).`, "error");
  $("restore").hidden = true;
  loadCheckpoint(new Uint8Array(await response.arrayBuffer()), TRAINED_MODEL, true);
};
$("use-builtin").onclick = () => useText(BUILT_IN);
$("use-paste").onclick = () => useText({ text: $("paste").value, name: "the pasted text" });
$("paste").oninput = () => render();

$("temperature").oninput = () => {
  $("temperature-value").textContent = Number($("temperature").value).toFixed(2);
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
    const decoded = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    useText({ text: decoded, name: file.name }, true);
  } catch {
    $("text-file").value = "";
    say(`${file.name} is not UTF-8 text; save it as UTF-8 or choose another file (${text.name} is used meanwhile).`, "error");
  }
};

$("checkpoint-file").onchange = async () => {
  const file = $("checkpoint-file").files[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  $("checkpoint-file").value = "";
  loadCheckpoint(bytes, file.name);
};

// Leaving with a model trained since its last download would lose that work.
addEventListener("beforeunload", (event) => {
  if (dirty && state.model) event.preventDefault();
});

// ?threads=2 in the address chooses the thread count, as the field under Advanced does.
const threadsAsked = new URLSearchParams(location.search).get("threads");
if (threadsAsked !== null) $("thread-count").value = threadsAsked;

clearSample();
render("loading");
