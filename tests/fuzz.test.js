// Structured fuzzing of checkpoints: beyond random bytes (checkpoint.test.js), every
// metadata field edited to hostile values one by one and in seeded random combinations:
// config fields, every training field (positions near 2^31 and past the text), vocabulary
// entries (duplicates, unsorted, surrogates, out of range, the wrong kind), fields removed
// and added, and keys given twice in the header and in the metadata's JSON. Each file is
// refused with INVALID_CHECKPOINT, or it loads as written and then trains, samples and
// saves without trapping the core.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { init, CharRNN, DEFAULTS, MinrnnError } from "minrnn";
import { buildRaw, edit, lcg, parse } from "./safetensors.js";

await init();

const TEXT = "the cat sat on the mat; the hat is flat. ".repeat(8);
const T = 5;

function base(options) {
  const model = CharRNN.create({ hidden: 4, seqLength: T, ...options });
  model.train({ iterations: 7 });
  const bytes = model.save();
  model.dispose();
  return bytes;
}

const BASES = {
  text: { bytes: base({ text: TEXT }), data: { text: TEXT } },
  batch2: { bytes: base({ text: TEXT, batch: 2 }), data: { text: TEXT } },
  bytes: { bytes: base({ bytes: new TextEncoder().encode(TEXT) }), data: { bytes: new TextEncoder().encode(TEXT) } },
};

/** Values of every JSON kind, and numbers at the edges minrnn and float32 care about. */
const HOSTILE = [
  null, true, false, "", "1", "Infinity", "NaN", "rnn", "adagrad", "lstm", [], [1], {}, { a: 1 },
  -1, -0, 0, 0.5, 1, 2, 3, 4, 5, 7, 25, 100, 255, 256, 4096, 8192, 8193, 1 << 20, (1 << 20) + 1,
  2 ** 31 - 11, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 1e300, -1e300,
  1.5e-45, 1e-46, 3.4e38, 1e39, 0.1,
];

let loaded = 0, refused = 0;

// Fields added since 0.1.0 may be absent from a file; a loaded file then has their
// defaults (what 0.1.0 did), and saves them.
const ADDED_CONFIG = { clipNorm: "Infinity", alpha: DEFAULTS.alpha, betas: DEFAULTS.betas, eps: DEFAULTS.eps, dropout: DEFAULTS.dropout, lrDecay: DEFAULTS.lrDecay, lrDecayAfter: DEFAULTS.lrDecayAfter, arithmetic: DEFAULTS.arithmetic };

/** What a loaded `model` saves again of its metadata entry `key`: as written, with absent added fields at their defaults. */
function withAddedDefaults(key, written, model) {
  if (key === "config" && written !== null && typeof written === "object") return { ...ADDED_CONFIG, ...written };
  if (key === "training" && written !== null && typeof written === "object") {
    return { step: 0, learningRate: model.config.learningRate, validationFraction: 0, bestValidationLoss: null, ...written };
  }
  return written;
}
/** Refused as INVALID_CHECKPOINT, or loaded as written and usable without a trap. */
function check(bytes, data, what) {
  let model;
  try {
    model = CharRNN.load(bytes);
  } catch (e) {
    assert.ok(e instanceof MinrnnError, `${what}: threw ${e?.name}: ${e?.message}`);
    assert.is(e.code, "INVALID_CHECKPOINT", `${what}: ${e.code}: ${e.message}`);
    assert.not.match(e.message, /[\u0000-\u001f\u007f-\u009f]/, `${what}: control characters in the message`);
    refused++;
    return;
  }
  loaded++;
  try {
    const { header } = parse(bytes);
    const { header: again } = parse(model.save());
    for (const key of ["config", "vocab", "training"]) {
      assert.equal(JSON.parse(again.__metadata__[key]), withAddedDefaults(key, JSON.parse(header.__metadata__[key]), model), `${what}: ${key} as written`);
    }
    exercise(model, what);
  } finally {
    model.dispose();
  }
  // With its text (when the vocabulary covers it), from the saved position.
  let resumed;
  try {
    resumed = CharRNN.load(bytes, data);
  } catch (e) {
    // The text has symbols the edited vocabulary lacks, or the vocabulary became the other kind.
    const expected = e instanceof MinrnnError && (e.code === "INVALID_TEXT" || (e.code === "INVALID_ARGUMENT" && /byte-mode model|are code points/.test(e.message)));
    assert.ok(expected, `${what}: load with text threw ${e?.code ?? e?.name}: ${e?.message}`);
    return;
  }
  try {
    exercise(resumed, what);
    for (let i = 0; i < 3; i++) resumed.step();
    resumed.sample({ length: 10, fromTraining: true });
  } catch (e) {
    // A loss that diverges under an edited learning rate, or an iteration count at its end.
    const expected = e instanceof MinrnnError && (e.code === "DIVERGED" || (e.code === "INVALID_STATE" && /the most a checkpoint counts/.test(e.message)));
    assert.ok(expected, `${what}: training threw ${e?.code ?? e?.name}: ${e?.message}`);
  } finally {
    resumed.dispose();
  }
}

/** What a loaded model must do without a trap: sample, and save bytes that load again. */
function exercise(model, what) {
  try {
    model.sample({ length: 10, seed: 1 });
    model.sample({ length: 10, seed: 1, temperature: 1e-40, topK: 2 });
    CharRNN.load(model.save()).dispose();
  } catch (e) {
    assert.unreachable(`${what}: a loaded model threw ${e?.name}: ${e?.message}`);
  }
}

/** A file with a key given twice: refused, whichever copy a JSON reader would keep. */
function twiceRefused(bytes, what) {
  try {
    CharRNN.load(bytes).dispose();
  } catch (e) {
    assert.ok(e instanceof MinrnnError && e.code === "INVALID_CHECKPOINT", `${what}: threw ${e?.code ?? e?.name}: ${e?.message}`);
    if (/ twice /.test(e.message)) return refused++;
  }
  assert.unreachable(`${what}: not refused for its duplicate key`);
}

const setMeta = (bytes, key, change) => edit(bytes, (h) => {
  const value = JSON.parse(h.__metadata__[key]);
  const changed = change(value);
  h.__metadata__[key] = JSON.stringify(changed === undefined ? value : changed);
});

test("every config field, removed, added to, or set to each hostile value", () => {
  for (const [name, { bytes, data }] of Object.entries(BASES)) {
    const fields = Object.keys(JSON.parse(parse(bytes).header.__metadata__.config));
    for (const field of fields) {
      check(setMeta(bytes, "config", (c) => { delete c[field]; }), data, `${name}: config without ${field}`);
      for (const v of HOSTILE) check(setMeta(bytes, "config", (c) => { c[field] = v; }), data, `${name}: config.${field} = ${JSON.stringify(v)}`);
    }
    check(setMeta(bytes, "config", (c) => { c.dropout = 0; }), data, `${name}: config with an unknown field`);
    for (const v of HOSTILE) check(setMeta(bytes, "config", () => v), data, `${name}: config = ${JSON.stringify(v)}`);
  }
});

test("every training field, removed, added to, or set to each hostile value; positions near 2^31 and past the text", () => {
  const positions = [0, T, 2 * T, 3, TEXT.length - T, TEXT.length - 1, TEXT.length, TEXT.length + T, TEXT.length / 2, TEXT.length / 2 - 2 * T];
  for (let p = 2 ** 31 - 12; p <= 2 ** 31; p++) positions.push(p);
  const rngs = [[0, 0, 0, 0], [1, 2, 3], [1, 2, 3, 4, 5], [2 ** 32, 0, 0, 1], [-1, 0, 0, 1], [1.5, 1, 1, 1], ["1", 1, 1, 1], [1, 1, 1, 1]];
  for (const [name, { bytes, data }] of Object.entries(BASES)) {
    for (const field of ["iteration", "position", "smoothLoss", "rng", "textLength"]) {
      check(setMeta(bytes, "training", (t) => { delete t[field]; }), data, `${name}: training without ${field}`);
      for (const v of HOSTILE) check(setMeta(bytes, "training", (t) => { t[field] = v; }), data, `${name}: training.${field} = ${JSON.stringify(v)}`);
    }
    for (const rng of rngs) check(setMeta(bytes, "training", (t) => { t.rng = rng; }), data, `${name}: rng ${JSON.stringify(rng)}`);
    for (const position of positions) {
      for (const textLength of [0, 11, TEXT.length, 2 ** 31 - 1]) {
        const iteration = position === T ? 0 : 7;             // iteration 0 only where it must start at 0
        check(setMeta(bytes, "training", (t) => Object.assign(t, { position, textLength, iteration })), data, `${name}: position ${position}, textLength ${textLength}, iteration ${iteration}`);
      }
    }
    check(setMeta(bytes, "training", (t) => { t.epoch = 1; }), data, `${name}: training with an unknown field`);
  }
});

test("vocabulary entries: duplicates, unsorted, surrogates, out of range, of the wrong kind or count", () => {
  for (const [name, { bytes, data }] of Object.entries(BASES)) {
    const raw = JSON.parse(parse(bytes).header.__metadata__.vocab);
    const list = Array.isArray(raw) ? raw : raw.bytes;
    const wrap = (v) => (Array.isArray(raw) ? v : { bytes: v });
    const edits = {
      duplicate: (v) => { v[1] = v[0]; },
      "duplicate last": (v) => { v[v.length - 1] = v[v.length - 2]; },
      unsorted: (v) => { [v[0], v[1]] = [v[1], v[0]]; },
      reversed: (v) => { v.reverse(); },
      "one short": (v) => { v.pop(); },
      "one more": (v) => { v.push(0x10ffff); },
      shifted: (v) => v.map((x) => x + 1),                   // valid: other symbols of the same count
    };
    for (const [what, change] of Object.entries(edits)) {
      check(setMeta(bytes, "vocab", () => { const v = list.slice(); return wrap(change(v) ?? v); }), data, `${name}: vocab ${what}`);
    }
    for (const v of [...HOSTILE, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x10ffff, 0x110000, "a", 1.5]) {
      for (const at of [0, list.length - 1]) {
        check(setMeta(bytes, "vocab", () => { const l = list.slice(); l[at] = v; return wrap(l); }), data, `${name}: vocab[${at}] = ${JSON.stringify(v)}`);
      }
    }
    for (const v of [...HOSTILE, { bytes: list }, { codepoints: list }, { bytes: list, extra: 1 }, list]) {
      check(setMeta(bytes, "vocab", () => v), data, `${name}: vocab = ${JSON.stringify(v).slice(0, 40)}`);
    }
  }
});

test("keys given twice: __metadata__, every tensor name, format and each metadata entry, entry fields, JSON fields", () => {
  for (const [name, { bytes }] of Object.entries(BASES)) {
    const { header, data: tensors } = parse(bytes);
    delete header.__metadata__.crc32;
    const json = JSON.stringify(header);
    const twice = (key, value) => `{${JSON.stringify(key)}:${JSON.stringify(value)},${json.slice(1)}`;
    twiceRefused(buildRaw(twice("__metadata__", header.__metadata__), tensors), `${name}: __metadata__ twice, the same`);
    twiceRefused(buildRaw(twice("__metadata__", { format: "pt" }), tensors), `${name}: __metadata__ twice, another`);
    for (const tensor of Object.keys(header).filter((k) => k !== "__metadata__")) {
      twiceRefused(buildRaw(twice(tensor, header[tensor]), tensors), `${name}: ${tensor} twice`);
      twiceRefused(buildRaw(json.replace(`${JSON.stringify(tensor)}:{`, `${JSON.stringify(tensor)}:{"shape":[1],`), tensors), `${name}: ${tensor}'s shape twice`);
    }
    for (const key of Object.keys(header.__metadata__)) {
      for (const spelled of [JSON.stringify(key), `"\\u${key.charCodeAt(0).toString(16).padStart(4, "0")}${key.slice(1)}"`]) {
        twiceRefused(buildRaw(json.replace('"__metadata__":{', `"__metadata__":{${spelled}:${JSON.stringify(header.__metadata__[key])},`), tensors), `${name}: metadata ${key} twice as ${spelled}`);
      }
    }
    for (const key of ["config", "training", "vocab"]) {
      const inner = header.__metadata__[key];
      if (!inner.startsWith("{")) continue;                   // a list of code points has no keys
      for (const field of Object.keys(JSON.parse(inner))) {
        const doubled = `{${JSON.stringify(field)}:${JSON.stringify(JSON.parse(inner)[field])},${inner.slice(1)}`;
        twiceRefused(buildRaw(json.replace(JSON.stringify(inner), JSON.stringify(doubled)), tensors), `${name}: ${key}.${field} twice`);
      }
    }
  }
});

test("seeded random combinations of edits to every field", () => {
  const random = lcg(12);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const fields = {
    config: ["vocabSize", "hidden", "seqLength", "learningRate", "seed", "cell", "layers", "batch", "optimizer", "clip"],
    training: ["iteration", "position", "smoothLoss", "rng", "textLength"],
  };
  const values = [...HOSTILE, TEXT.length, TEXT.length / 2, 2 ** 31 - 5, 2 ** 31 - 10];
  for (let round = 0; round < 300; round++) {
    const [name, { bytes, data }] = pick(Object.entries(BASES));
    const changes = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const key = pick(["config", "training"]);
      return [key, pick(fields[key]), pick(values)];
    });
    const edited = edit(bytes, (h) => {
      for (const [key, field, value] of changes) {
        const o = JSON.parse(h.__metadata__[key]);
        o[field] = value;
        h.__metadata__[key] = JSON.stringify(o);
      }
    });
    check(edited, data, `${name}: round ${round}: ${JSON.stringify(changes)}`);
  }
});

test.after(() => console.log(`  fuzz: ${loaded} edited files loaded as written, ${refused} refused`));

test.run();
