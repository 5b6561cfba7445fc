// Every options object of the library is checked against its known keys: a misspelled or
// unknown option is an INVALID_ARGUMENT that names it and the nearest known key, never a
// default silently used in its place. The exported defaults cannot be changed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN, DEFAULTS } from "minrnn";
import { corpus } from "minrnn/corpus";
import { startThreads } from "minrnn/threads";
import { rejectsCode, throwsCode } from "./helpers.js";

await init();

const TEXT = "the cat sat on the mat; the hat is flat. ".repeat(8);
const small = (options = {}) => CharRNN.create({ text: TEXT, hidden: 4, seqLength: 5, ...options });

test("create: a typo or another library's name for an option is refused with the nearest option", () => {
  for (const [key, near] of [["hiden", "hidden"], ["learningrate", "learningRate"], ["seq", "seqLength"], ["lr", "learningRate"],
    ["beta1", "betas"], ["clip_norm", "clipNorm"], ["lr_decay", "lrDecay"], ["Hidden", "hidden"], ["seq_length", "seqLength"], ["dropOut", "dropout"]]) {
    throwsCode(() => CharRNN.create({ text: TEXT, [key]: 16 }), "INVALID_ARGUMENT", key, new RegExp(`CharRNN.create has no option "${key}": did you mean \`${near}\`\\?`));
  }
  throwsCode(() => CharRNN.create({ text: TEXT, threads: 2 }), "INVALID_ARGUMENT", "threads", /no option "threads": threads are started for a model with startThreads\(model, \{ threads \}\)/);
  throwsCode(() => CharRNN.create({ text: TEXT, zzzzzzzz: 1 }), "INVALID_ARGUMENT", "nothing near", /no option "zzzzzzzz": the options are hidden, seqLength/);
  throwsCode(() => CharRNN.create("text"), "INVALID_ARGUMENT", "not an object", /takes an options object/);
});

test("create takes maxLossRatio, and the stop it sets holds from the first iteration", () => {
  const model = small({ maxLossRatio: 3, learningRate: 0.1 });
  assert.is(model.maxLossRatio, 3);
  throwsCode(() => small({ maxLossRatio: 0.5 }), "INVALID_ARGUMENT", /maxLossRatio must be 0 \(off\) or a number ≥ 1/);
  // A rate that makes the loss explode stops at once, as the property set after create does.
  const exploding = small({ maxLossRatio: 1, learningRate: 1e30 });
  const twin = small({ learningRate: 1e30 });
  twin.maxLossRatio = 1;
  let a, b;
  try { exploding.train({ iterations: 50 }); } catch (e) { a = e.message; }
  try { twin.train({ iterations: 50 }); } catch (e) { b = e.message; }
  assert.is(a, b);
  for (const m of [model, exploding, twin]) m.dispose();
});

test("load, train, trainAsync, the four samplers and startThreads refuse unknown options", async () => {
  const model = small();
  const bytes = model.save();
  throwsCode(() => CharRNN.load(bytes, { texxt: TEXT }), "INVALID_ARGUMENT", "load", /CharRNN.load has no option "texxt": did you mean `text`\?/);
  throwsCode(() => model.train({ iterations: 1, progresEvery: 5 }), "INVALID_ARGUMENT", "train", /train has no option "progresEvery": did you mean `progressEvery`\?/);
  throwsCode(() => model.train({ iterations: 1, onprogress: () => {} }), "INVALID_ARGUMENT", "train", /did you mean `onProgress`\?/);
  await rejectsCode(() => model.trainAsync({ iterations: 1, onprogress: () => {} }), "INVALID_ARGUMENT", "trainAsync", /trainAsync has no option "onprogress": did you mean `onProgress`\?/);
  for (const [key, near] of [["lenght", "length"], ["temprature", "temperature"], ["top_k", "topK"], ["zero_state", "zeroState"]]) {
    throwsCode(() => model.sample({ [key]: 1 }), "INVALID_ARGUMENT", `sample ${key}`, new RegExp(`sample has no option "${key}": did you mean \`${near}\`\\?`));
    throwsCode(() => [...model.sampleStream({ [key]: 1 })], "INVALID_ARGUMENT", `sampleStream ${key}`, new RegExp(`sampleStream has no option "${key}"`));
  }
  const bytesModel = CharRNN.create({ bytes: new TextEncoder().encode(TEXT), hidden: 4, seqLength: 5, batch: 2 });
  throwsCode(() => bytesModel.sampleBytes({ lenght: 3 }), "INVALID_ARGUMENT", "sampleBytes", /sampleBytes has no option "lenght": did you mean `length`\?/);
  throwsCode(() => [...bytesModel.sampleBytesStream({ lenght: 3 })], "INVALID_ARGUMENT", "sampleBytesStream", /sampleBytesStream has no option "lenght"/);
  await rejectsCode(() => startThreads(bytesModel, { thread: 1 }), "INVALID_ARGUMENT", "startThreads", /startThreads has no option "thread": did you mean `threads`\?/);
  model.dispose();
  bytesModel.dispose();
});

test("init refuses what is not its options, and a module it cannot fetch, with a MinrnnError", async () => {
  await rejectsCode(() => init({ modul: new Uint8Array(8) }), "INVALID_ARGUMENT", "typo", /init has no option "modul": did you mean `module`\?/);
  await rejectsCode(() => init(5), "INVALID_ARGUMENT", "a number", /init takes an options object \(\{ module, arithmetic \}\), got number/);
  await rejectsCode(() => init({ module: "x" }), "NOT_INITIALIZED", "an unfetchable string", /could not fetch the minrnn core from "x".*pass init\(\{ module \}\)/);
  await rejectsCode(() => init({ module: 42 }), "INVALID_ARGUMENT", "a number module", /takes a WebAssembly.Module, the .wasm bytes, a URL or a Response, got number/);
  await init();
  small().dispose();   // a failed init() left the working core in place
});

test("the exported defaults are frozen: a later model is never changed by an assignment", () => {
  assert.throws(() => { DEFAULTS.hidden = 5; }, TypeError);
  assert.throws(() => { DEFAULTS.betas[0] = 0.5; }, TypeError);
  assert.is(DEFAULTS.hidden, 100);
  const model = CharRNN.create({ text: corpus });
  assert.is(model.config.hidden, 100);
  assert.equal(model.config.betas, [0.9, 0.999]);
  model.dispose();
});

test.run();

test("eps, clipNorm, lrDecay and learningRate must be what the core's float32 holds, or they are refused before training", () => {
  for (const [options, pattern] of [
    [{ optimizer: "adam", eps: 1e39 }, /eps must be within float32's range .* got 1e\+39/],
    [{ optimizer: "adam", eps: 1e-50 }, /eps must be within float32's range .* got 1e-50 \(0 in float32\)/],
    [{ clipNorm: 1e-50 }, /clipNorm must be within float32's range/],
    [{ clipNorm: 1e39 }, /clipNorm must be within float32's range/],
    [{ lrDecay: 1e-46 }, /lrDecay must be a number with 0 < lrDecay ≤ 1 .* that float32 holds/],
    [{ learningRate: 1e-46 }, /learningRate must be within float32's range/],
  ]) {
    throwsCode(() => small(options), "INVALID_ARGUMENT", JSON.stringify(options), pattern);
  }
  small({ clipNorm: Infinity, eps: 1e-30, lrDecay: 1e-30 }).dispose();
});
