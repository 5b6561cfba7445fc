// Sampling from a model: the options, the prime, and the loop that asks the core for a
// chunk of draws at a time. The sampler has its own carried state and PRNG position per
// stream of samples, apart from training's, so streams and training may interleave.
import { MinrnnError } from "../errors.js";
import { MAX_INDEX, flag, integer, knownKeys, optionsObject, positive } from "./options.js";
import type { ModelState } from "./state.js";
import { describeBytes, describeChars, type Indices, type Vocab } from "./vocab.js";

/**
 * The longest sample() and sampleBytes() build in memory: a string of 2^24 characters is
 * 16 to 64 MB. Longer samples stream (sampleStream, sampleBytesStream) in constant memory.
 */
export const MAX_SAMPLE_LENGTH = 1 << 24;

export interface SampleOptions {
  length?: number;
  temperature?: number;
  /** Keep only the k most likely characters at each draw (0: all). */
  topK?: number;
  /**
   * Text to condition on; the sample continues it (the prime is not repeated). For a
   * byte-mode model, a string stands for its UTF-8 bytes, or give the bytes themselves.
   */
  prime?: string | Uint8Array;
  /** A seed for this sample alone; without it the model's PRNG is used and advances. */
  seed?: number;
  /** Always take the most likely character. */
  argmax?: boolean;
  /**
   * Start as the reference's periodic sample does: from the training hidden state and the
   * first character of the next window. Cannot be combined with `prime`.
   */
  fromTraining?: boolean;
  /**
   * Start from a zero hidden state, as char-rnn's sampler does, instead of the state
   * training carried from window to window (the default). min-char-rnn never resets that
   * state within a pass over the text, so a model can learn to rely on it: some do well
   * from it and badly from zero.
   */
  zeroState?: boolean;
}

const SAMPLE_KEYS = ["length", "temperature", "topK", "prime", "seed", "argmax", "fromTraining", "zeroState"] as const;

/** The largest seed an unseeded stream draws from the model's PRNG (seeds are u32; this keeps randomIndex's range). */
const DRAWN_SEED_RANGE = 0x7fffffff;

/**
 * The drawn indices, a chunk at a time: each a view that the next draw overwrites. `call`
 * names the method for errors.
 */
export function* sampleChunks(state: ModelState, options: SampleOptions, chunk: number, call: string): Generator<ArrayLike<number>, void, undefined> {
  const vocab = state.vocab;
  const o = checkSampleOptions(options, vocab.kind === "bytes", call);
  const engine = state.live();
  const core = engine.core;
  const hidden = () => engine.f32("SAMPLER_STATE");
  const rng = () => engine.u32("RNG");
  const primeIdx = o.prime.length === 0 ? null : encodePrime(o.prime, vocab);

  // The stream keeps its own carried state and PRNG state between chunks, so streams and
  // training may interleave. An unseeded stream takes its seed from the model's PRNG as it
  // starts (advancing it), so two streams open at once never draw the same numbers.
  const seed = o.seed ?? core.randomIndex(DRAWN_SEED_RANGE);
  const modelRng = rng().slice();
  core.seedRng(seed);
  let streamRng = rng().slice();
  rng().set(modelRng);
  // Stream 0's carried state: the first stream's block, as long as the sampler's own.
  let h = o.zeroState ? new Float32Array(hidden().length) : engine.f32("STATE").slice(0, hidden().length);
  let x = 0;
  let remaining = o.length;
  let head: number | null = null;
  const withStreamState = <T>(fn: () => T): T => {
    const saved = rng().slice();
    rng().set(streamRng);
    hidden().set(h);
    const result = fn();
    h = hidden().slice();
    streamRng = rng().slice();
    rng().set(saved);
    return result;
  };
  withStreamState(() => {
    if (o.fromTraining) {
      x = core.sampleFromTraining();
    } else if (primeIdx) {
      for (let i = 0; i < primeIdx.length - 1; i++) core.feed(primeIdx[i]!);
      x = primeIdx[primeIdx.length - 1]!;
    } else if (remaining > 0) {
      // No prime: a uniformly drawn first character (as char-rnn does), which is part of the sample.
      x = core.randomIndex(vocab.size);
      head = x;
      remaining--;
    }
  });
  if (head !== null) yield [head];
  // Below about 2.9e-39, 1/T overflows float32 and the core's softmax would compute
  // Infinity·0 = NaN: such a temperature samples as its limit, the most likely character.
  const invT = 1 / o.temperature;
  const greedy = o.argmax || Math.fround(invT) === Infinity;
  while (remaining > 0) {
    const n = Math.min(chunk, remaining);
    x = withStreamState(() => core.sampleDraw(n, x, invT, o.topK, greedy ? 1 : 0));
    yield engine.u32("OUT").subarray(0, n);
    remaining -= n;
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** sample() and sampleBytes() hold the whole sample: its length is capped before any drawing. */
export function checkWholeLength(o: SampleOptions, method: string, stream: string): void {
  const length = (o as SampleOptions | null)?.length;
  if (typeof length === "number" && length > MAX_SAMPLE_LENGTH) {
    throw new MinrnnError("INVALID_ARGUMENT", `length ${length} is more than ${method}() builds in memory (${MAX_SAMPLE_LENGTH.toLocaleString("en-US")}); draw a longer sample with ${stream}(), which yields it as it is drawn in constant memory`);
  }
}

function checkSampleOptions(options: SampleOptions, byteMode: boolean, call: string) {
  const o = optionsObject(call, options as SampleOptions | undefined, `{ ${SAMPLE_KEYS.join(", ")} }`);
  knownKeys(call, o, SAMPLE_KEYS);
  const prime = o.prime ?? "";
  if (typeof prime !== "string" && !(byteMode && prime instanceof Uint8Array)) {
    throw new MinrnnError("INVALID_ARGUMENT", `prime must be a string${byteMode ? " or a Uint8Array" : ""}, got ${prime instanceof Uint8Array ? "a Uint8Array (bytes are for byte-mode models)" : typeof prime}`);
  }
  if (o.fromTraining === true && prime.length > 0) throw new MinrnnError("INVALID_ARGUMENT", "fromTraining and prime cannot be combined");
  return {
    length: integer("length", o.length ?? 200, 0, Number.MAX_SAFE_INTEGER),
    temperature: positive("temperature", o.temperature ?? 1),
    topK: integer("topK", o.topK ?? 0, 0, MAX_INDEX),
    prime,
    seed: o.seed === undefined ? undefined : integer("seed", o.seed, 0, 0xffffffff),
    argmax: flag("argmax", o.argmax),
    fromTraining: flag("fromTraining", o.fromTraining),
    zeroState: flag("zeroState", o.zeroState),
  };
}

/** The prime as indices; a byte-mode model reads a string as its UTF-8 bytes. */
function encodePrime(prime: string | Uint8Array, vocab: Vocab): Indices {
  if (vocab.kind === "bytes") {
    const bytes = typeof prime === "string" ? new TextEncoder().encode(prime) : prime;
    const missing = vocab.missingBytes(bytes);
    if (missing.length) {
      throw new MinrnnError("INVALID_TEXT", `the prime has bytes that are not in the model's vocabulary: ${describeBytes(missing)}; remove them or choose another prime${typeof prime === "string" ? " (a text prime stands for its UTF-8 bytes; give a Uint8Array for other bytes)" : ""}`);
    }
    return vocab.encodeBytes(bytes);
  }
  const missing = vocab.missing(prime as string);
  if (missing.length) {
    throw new MinrnnError("INVALID_TEXT", `the prime has characters that are not in the model's vocabulary: ${describeChars(missing)}; remove them or choose another prime`);
  }
  return vocab.encode(prime as string);
}

