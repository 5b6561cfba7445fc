// The demo's model lives here, in a module Web Worker, so training never blocks the page.
// The page sends commands (main.js); the worker answers with progress, samples, checkpoints.
// With a bundler, import from "minrnn" instead; this path serves the repository as it is.
import { init, CharRNN, corpus } from "../../dist/index.js";

const PROGRESS_EVERY = 200; // iterations between progress messages (and abort checks)
const LIVE_SAMPLE_MS = 1000;
const SPEED_WINDOW_MS = 500; // chars/s is measured over at least this long, so it reads steadily

let model = null;
let training = null; // { controller, done } of the running training loop
let sampling = { length: 300, temperature: 1 }; // the page's current sample settings

const ready = init();
const post = (message, transfer = []) => postMessage(message, transfer);

const handlers = {
  /** Creates a model unless there is one, then trains until stopped. */
  async start({ text, config }) {
    if (training) return;
    model ??= CharRNN.create({ text: text ?? corpus, ...config });
    if (model.textLength === 0) model.setText(text ?? corpus);
    describeModel();
    post({ type: "training" });
    const controller = new AbortController();
    training = { controller, done: train(controller.signal) };
    await training.done;
  },
  stop: stopTraining,
  async reset() {
    await stopTraining();
    model?.dispose();
    model = null;
  },
  settings({ options }) {
    sampling = options;
  },
  sample({ options }) {
    postSample(requireModel(), options);
  },
  save() {
    const bytes = requireModel().save();
    post({ type: "checkpoint", bytes, iteration: model.iteration }, [bytes.buffer]);
  },
  /** Loads a checkpoint; with a text it covers, training resumes where it was saved. */
  async load({ bytes, text }) {
    await stopTraining();
    let loaded;
    let note = "";
    try {
      loaded = CharRNN.load(bytes, { text: text ?? corpus });
    } catch (err) {
      if (err.code !== "INVALID_TEXT") throw err;
      loaded = CharRNN.load(bytes);
      note = `loaded for sampling; it cannot train on the chosen text: ${err.message}`;
    }
    model?.dispose();
    model = loaded;
    describeModel(note);
  },
};

/** Aborts the training loop and waits until it has left the model alone. */
async function stopTraining() {
  if (!training) return;
  training.controller.abort();
  await training.done.catch(() => {}); // its error, if any, was reported by start
}

async function train(signal) {
  const { seqLength, batch } = model.config;
  let mark = { time: performance.now(), iteration: model.iteration };
  let charsPerSecond = 0;
  let lastSample = 0;
  try {
    await model.trainAsync({
      iterations: Number.MAX_SAFE_INTEGER,
      progressEvery: PROGRESS_EVERY,
      signal,
      onProgress(p) {
        const now = performance.now();
        const rate = ((p.iteration - mark.iteration) * seqLength * batch * 1000) / (now - mark.time);
        if (now - mark.time >= SPEED_WINDOW_MS) {
          charsPerSecond = rate;
          mark = { time: now, iteration: p.iteration };
        }
        // Until the first window closes, the rate so far.
        post({ type: "progress", ...p, charsPerSecond: charsPerSecond || rate });
        if (now - lastSample >= LIVE_SAMPLE_MS) {
          lastSample = now;
          liveSample();
        }
      },
    });
    liveSample(); // what the model says where it stopped
  } finally {
    training = null;
    post({ type: "stopped", iteration: model.iteration });
  }
}

// Seeded (by the iteration unless the page sets a seed), so live samples leave the model's
// PRNG alone and a checkpoint is the same as one trained without them.
function liveSample() {
  postSample(model, { ...sampling, seed: sampling.seed ?? model.iteration });
}

/** A bad sample setting (a prime outside the vocabulary) is shown where the sample goes; training goes on. */
function postSample(from, options) {
  try {
    post({ type: "sample", text: from.sample(options) });
  } catch (err) {
    post({ type: "sample", error: err.message });
  }
}

function describeModel(note = "") {
  const { config, vocab, textLength, iteration, smoothLoss } = model;
  post({ type: "model", config: { ...config }, vocabSize: vocab.size, textLength, iteration, smoothLoss, note });
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
