// The demo's model lives here, in a module Web Worker, so training never blocks the page.
// The page sends commands (main.js); the worker answers with progress, samples, checkpoints.
// Training runs on the threads of minrnn/threads (threads.js): this worker is thread 0 and
// starts the others as Web Workers of its own, for one run (Train to Stop) at a time; the
// model keeps the whole state between runs, and the bytes are those of one thread.
// With a bundler, import from "minrnn" instead; this path serves the repository as it is.
//
// Nothing here runs for long without returning to the event loop: training goes in chunks
// sized by time (pacer.js) and samples are drawn in slices, so a Stop or a Load is handled
// within a chunk's time.
//
// The text is split as `minrnn train --val 0.05` splits it (split.js): the model trains on
// the first 95% and the last 5% is only evaluated. So a checkpoint downloaded here is the
// one the library makes from the same split, byte for byte.
import { init, CharRNN } from "../../dist/index.js";
import { corpus } from "../../dist/corpus.js";
import { Pacer, nextTask } from "./pacer.js";
import { headerLengthProblem } from "./header-length.js";
import { trainedTextLength } from "./checkpoint-info.js";
import { holdOut } from "./split.js";
import { startTrainer } from "./threads.js";

const LIVE_SAMPLE_MS = 1000;
const SPEED_WINDOW_MS = 500; // chars/s is measured over at least this long, so it reads steadily
const SLICE_MS = 30; // a sample is drawn for at most this long between looks at the messages
const VALIDATION_MS = 200; // the held-out loss is evaluated at most this often while training
// ... and only while one evaluation (a forward pass over the held-out text) is estimated to
// take less than this, so Stop is never held up by it; a larger model is evaluated on Stop.
const VALIDATION_BUDGET_MS = 10;
// Adagrad's first updates move every weight by about the learning rate, so for the first
// iterations the held-out loss is far above a random guess's and would only squash the chart.
const VALIDATION_FROM = 100;
const AUTOSAVE_MS = 10000; // the model is handed to the page for IndexedDB at most this often
// char-rnn's rule: training stops once the smooth loss exceeds this multiple of where it started.
const EXPLOSION_RATIO = 3;

let model = null;
let heldOut = 0; // characters of held-out text the model evaluates (0: none)
let loadedFile = null; // { bytes, name } of a checkpoint that cannot train on the current text
let pending = null; // a checked checkpoint waiting for the page to say it may replace the model
let startLoss = 0; // the smooth loss when the model was made or loaded, for EXPLOSION_RATIO
let training = null; // { controller, done } of the running training loop
let sampling = { length: 300, temperature: 1 }; // the page's current sample settings

const ready = init();
const post = (message, transfer = []) => postMessage(message, transfer);

const handlers = {
  /** Creates a model unless there is one, then trains until stopped. */
  async start({ text, config, threads }) {
    if (training) return;
    if (!model) {
      const { train, validation } = holdOut(text ?? corpus, config.seqLength);
      model = CharRNN.create({ text: train, ...(validation ? { validation } : {}), ...config });
      heldOut = Array.from(validation).length;
      startLoss = model.smoothLoss;
    }
    if (model.textLength === 0) throw new Error("this model cannot train on the current text; choose the text it was trained on");
    describeModel();
    const controller = new AbortController();
    training = { controller, done: train(controller, threads) };
    await training.done;
  },
  stop: stopTraining,
  async reset() {
    await stopTraining();
    model?.dispose();
    model = null;
    heldOut = 0;
    loadedFile = null;
  },
  settings({ options }) {
    sampling = options;
  },
  async sample({ options }) {
    await postSample(requireModel(), options);
  },
  /** The checkpoint, for a download or for the page's autosave. */
  save({ purpose }) {
    postCheckpoint(purpose);
  },
  /**
   * Loads a checkpoint; with a text it covers, training resumes where it was saved. The
   * file is checked in full before anything changes: a bad one leaves the model, its
   * training and the page's chart as they were. With `ask`, a good one waits for the
   * page's answer (replace or keep) before it replaces the current model.
   */
  async load({ bytes, text, textName, name, sampleNow, ask }) {
    let loaded;
    try {
      const problem = headerLengthProblem(bytes);
      if (problem) throw new Error(problem);
      loaded = withText(bytes, text, textName);
    } catch (err) {
      post({ type: "load-error", name, message: err.message });
      return;
    }
    pending?.loaded.model.dispose();
    pending = { loaded, bytes, name, sampleNow };
    if (ask) post({ type: "load-ask", name, iteration: loaded.model.iteration });
    else await handlers.replace();
  },
  /** The page's answer to load-ask: the checked checkpoint replaces the current model. */
  async replace() {
    if (!pending) return;
    const { loaded, bytes, name, sampleNow } = pending;
    pending = null;
    await stopTraining();
    model?.dispose();
    model = loaded.model;
    heldOut = loaded.heldOut;
    loadedFile = loaded.note ? { bytes, name } : null;
    startLoss = model.smoothLoss;
    describeModel({ file: name, note: loaded.note, details: loaded.details });
    post({ type: "validation", iteration: model.iteration, validation: validationLoss() });
    if (sampleNow) await postSample(model, { ...sampling, seed: sampling.seed ?? model.iteration });
  },
  /** The page's answer to load-ask: keep the current model. */
  keep() {
    pending?.loaded.model.dispose();
    pending = null;
  },
  /** A new text for the current model: a checkpoint that could not train may now resume; a model that trains goes on from the new text's start. */
  async text({ text, name }) {
    if (!model) return;
    if (loadedFile) return handlers.load({ ...loadedFile, text, textName: name });
    const { train, validation } = holdOut(text ?? corpus, model.config.seqLength);
    try {
      model.vocab.encode(train); // checked before anything changes
    } catch (err) {
      post({ type: "error", message: `${name} has characters this model has never seen (${err.message}); press New model to train one on it` });
      return;
    }
    await stopTraining();
    model.setText(train);
    heldOut = setValidation(model, validation);
    describeModel({ note: `Training goes on from the start of ${name}, with the weights learned so far.` });
  },
};

/** The checkpoint in `bytes` with the text attached if it can train on it: { model, heldOut, note, details }. */
function withText(bytes, text, textName) {
  const sampler = CharRNN.load(bytes);
  const { train, validation } = holdOut(text ?? corpus, sampler.config.seqLength);
  let trainer;
  try {
    trainer = CharRNN.load(bytes, { text: train });
  } catch (err) {
    if (err.code !== "INVALID_TEXT") throw err;
    const length = trainedTextLength(bytes);
    const which = length ? `its own text of ${length.toLocaleString("en-US")} characters` : "the text it was trained on";
    const note = `It can sample, but not train on ${textName}: that text has characters the model has never seen. To resume training, choose ${which} under Your text.`;
    return { model: sampler, heldOut: 0, note, details: err.message };
  }
  sampler.dispose();
  return { model: trainer, heldOut: setValidation(trainer, validation), note: "", details: "" };
}

/**
 * Held-out text when it fits the model's vocabulary; otherwise the model has none (the
 * chart shows no validation line). Returns how many characters it holds out.
 */
function setValidation(target, validation) {
  if (!validation) return 0;
  try {
    target.setValidation(validation);
    return Array.from(validation).length;
  } catch (err) {
    if (err.code !== "INVALID_TEXT") throw err;
    return 0;
  }
}

const validationLoss = () => (heldOut > 0 ? model.validationLoss() : undefined);

/** Aborts the training loop and waits until it has left the model alone. */
async function stopTraining() {
  if (!training) return;
  training.controller.abort();
  await training.done.catch(() => {}); // its error, if any, was reported by start
}

/** Trains on `threads` until stopped; its threads end with the run, however it ends. */
async function train(controller, threads) {
  const { signal } = controller;
  let run;
  try {
    run = await startTrainer(model, threads);
  } catch (err) {
    training = null;
    throw err;
  }
  const { trainer, why, reason } = run;
  post({ type: "training", threads: trainer.threads, why, reason });
  const { seqLength, batch } = model.config;
  const pacer = new Pacer();
  let mark = { time: performance.now(), iteration: model.iteration };
  let charsPerSecond = 0;
  let lastSample = performance.now();
  let lastValidation = -Infinity;
  let lastAutosave = performance.now();
  let exploded = null;
  try {
    while (!signal.aborted) {
      const n = pacer.size;
      const started = performance.now();
      trainer.train({ iterations: n, progressEvery: n });
      const now = performance.now();
      pacer.record(n, now - started);
      const progress = model.progress();
      const rate = ((progress.iteration - mark.iteration) * seqLength * batch * 1000) / (now - mark.time);
      if (now - mark.time >= SPEED_WINDOW_MS) {
        charsPerSecond = rate;
        mark = { time: now, iteration: progress.iteration };
      }
      let validation;
      // A forward pass costs about a third of a training iteration's work per character.
      const validationMs = (heldOut * pacer.iterationMs) / (3 * seqLength * batch);
      if (now - lastValidation >= VALIDATION_MS && validationMs < VALIDATION_BUDGET_MS && progress.iteration >= VALIDATION_FROM) {
        lastValidation = now;
        validation = validationLoss();
      }
      // Until the first window closes, the rate so far.
      post({ type: "progress", ...progress, ...epochs(), validation, charsPerSecond: charsPerSecond || rate, iterationMs: pacer.iterationMs });
      if (progress.smoothLoss > EXPLOSION_RATIO * startLoss) {
        exploded = { from: startLoss, to: progress.smoothLoss, learningRate: model.config.learningRate };
        controller.abort();
        break;
      }
      if (now - lastAutosave >= AUTOSAVE_MS) {
        lastAutosave = now;
        postCheckpoint("autosave");
      }
      await nextTask();
      if (!signal.aborted && now - lastSample >= LIVE_SAMPLE_MS) {
        lastSample = now;
        await liveSample(signal);
      }
    }
  } finally {
    training = null;
    await trainer.close();
    post({ type: "stopped", iteration: model.iteration, exploded, ...epochs() });
  }
  // Once Stop has been answered: the held-out loss where it stopped, the autosave, and
  // what the model says now.
  post({ type: "validation", iteration: model.iteration, validation: validationLoss() });
  postCheckpoint("autosave");
  await liveSample();
}

/** Passes over the training text so far (fractional), as char-rnn counts epochs. */
function epochs() {
  const { seqLength, batch } = model.config;
  return { epoch: model.textLength ? (model.iteration * seqLength * batch) / model.textLength : 0 };
}

function postCheckpoint(purpose) {
  const bytes = requireModel().save();
  post({ type: "checkpoint", purpose, bytes, iteration: model.iteration }, [bytes.buffer]);
}

// Seeded (by the iteration unless the page sets a seed), so live samples leave the model's
// PRNG alone and a checkpoint is the same as one trained without them.
function liveSample(signal) {
  return postSample(model, { ...sampling, seed: sampling.seed ?? model.iteration }, signal);
}

/**
 * Draws a sample in slices of SLICE_MS, so a Stop is heard meanwhile; one that is stopped
 * (`signal`) is dropped. A bad setting (a prime outside the vocabulary) is shown where the
 * sample goes; training goes on.
 */
async function postSample(from, options, signal) {
  const iteration = from.iteration;
  const prime = options.prime ?? "";
  let text = "";
  try {
    const characters = from.sampleStream(options);
    for (let slice = performance.now(), next = characters.next(); !next.done; next = characters.next()) {
      text += next.value;
      if (performance.now() - slice < SLICE_MS) continue;
      await nextTask();
      if (signal?.aborted || from.disposed) return;
      slice = performance.now();
    }
    post({ type: "sample", prime, text, iteration });
  } catch (err) {
    post({ type: "sample", error: err.message, iteration });
  }
}

function describeModel({ file = null, note = "", details = "" } = {}) {
  const { config, vocab, textLength, iteration, smoothLoss } = model;
  post({ type: "model", config: { ...config }, vocabSize: vocab.size, textLength, iteration, smoothLoss, ...epochs(), file, note, details, canTrain: textLength > 0 });
}

function requireModel() {
  if (!model) throw new Error("there is no model yet: start training or load a checkpoint");
  return model;
}

onmessage = async ({ data }) => {
  try {
    await ready;
    await handlers[data.type](data);
  } catch (err) {
    post({ type: "error", message: err.message });
  }
};

ready.then(() => post({ type: "ready" }), (err) => post({ type: "error", message: `could not load the minrnn core: ${err.message}` }));
