// An edge function that writes text: a Cloudflare-style module worker sampling from a
// small trained model beside this file, streamed as it is drawn. Two routes, two models:
//
//   GET /?prime=ODA:&length=300&temperature=0.8&seed=7       min-char-rnn's cell, hidden 64 (model.safetensors)
//   GET /lstm?prime=ODA:&length=300&temperature=0.8&seed=7   an LSTM, hidden 32 (model-lstm.safetensors)
//
// The body is the prime followed by `length` drawn characters, as `minrnn sample` prints
// them; the Minrnn-Prime-Length header says how many characters of it are the prime, so
// a page can set the prime apart from the continuation.
//
// The limits fit Cloudflare's free plan, 10 ms of CPU per request, with room to spare
// for slower machines: `node examples/edge/budget.js` runs this handler inside workerd and
// reads workerd's CPU time. For the vanilla model a character costs about 1.1 µs, so the
// largest request (a 500-character prime and 2,000 characters) takes about 2.5 ms of CPU
// and the default 500 characters under 1 ms. The LSTM is the vanilla model's size in
// multiplies (four gates of 32 against one of 64), about 1.4 µs a character: its largest
// request takes about 3.5 ms. (One of hidden 48 learns more but took 6–8 ms on a busy
// machine, too near the budget.)
// A larger model costs more per character (about G·hidden² per layer + hidden ×
// vocabulary, G = 1 rnn, 3 gru, 4 lstm): measure again before raising the limits.
//
// The checkpoints were made on the built-in corpus, each in a few seconds:
//   npx minrnn train --hidden 64 --iters 20000 --seed 1 --out examples/edge/model.safetensors
//   npx minrnn train --cell lstm --hidden 32 --iters 20000 --seed 1 --out examples/edge/model-lstm.safetensors
//
// `minrnn` resolves to the package's workerd entry, which receives the .wasm as a compiled
// WebAssembly.Module (workerd forbids compiling bytes), so the models load here at
// module scope: once per isolate, not once per request.
import { CharRNN, MinrnnError } from "minrnn";
import vanilla from "./model.safetensors";
import lstm from "./model-lstm.safetensors";

const MODELS = new Map([
  ["/", CharRNN.load(new Uint8Array(vanilla))],
  ["/lstm", CharRNN.load(new Uint8Array(lstm))],
]);

const DEFAULT_LENGTH = 500;
const MAX_LENGTH = 2000;
const MAX_PRIME = 500; // characters; each is fed through the network like a drawn one
const CHUNK = 64; // characters per streamed chunk
const PARAMS = ["prime", "length", "temperature", "seed"];
const TEXT = "text/plain; charset=utf-8";

export default {
  fetch(request) {
    const url = new URL(request.url);
    if (request.method !== "GET" && request.method !== "HEAD") return reply(405, "only GET is supported", { allow: "GET, HEAD" });
    const model = MODELS.get(url.pathname);
    if (model === undefined) return reply(404, `no ${url.pathname} here; ask for / or /lstm with ?prime=...&length=...&temperature=...&seed=...`);
    try {
      const options = sampleOptions(url.searchParams);
      const characters = model.sampleStream(options);
      // A generator checks its options on the first draw: draw it now, so a bad prime is a
      // 400 and not a broken stream.
      const first = characters.next();
      const headers = { "content-type": TEXT, "minrnn-prime-length": String([...options.prime].length) };
      return new Response(request.method === "HEAD" ? null : stream(options.prime, first, characters), { headers });
    } catch (err) {
      if (err instanceof MinrnnError || err instanceof RangeError) return reply(400, err.message);
      throw err;
    }
  },
};

/** The query as sample options; a RangeError names the parameter that is wrong. */
function sampleOptions(query) {
  const unknown = [...query.keys()].filter((k) => !PARAMS.includes(k));
  if (unknown.length) throw new RangeError(`unknown parameter ${unknown.join(", ")}; use ${PARAMS.join(", ")}`);
  const prime = query.get("prime") ?? "";
  const primeLength = [...prime].length;
  if (primeLength > MAX_PRIME) throw new RangeError(`prime must be at most ${MAX_PRIME} characters, got ${primeLength}`);
  const options = {
    prime,
    length: integer(query, "length", DEFAULT_LENGTH, 0, MAX_LENGTH),
    temperature: number(query, "temperature", 1),
  };
  if (query.has("seed")) options.seed = integer(query, "seed", 0, 0, 2 ** 32 - 1);
  return options;
}

/** A parameter as a number: undefined when absent, NaN when empty or not a number. */
function numeric(query, name) {
  if (!query.has(name)) return undefined;
  const raw = query.get(name).trim();
  return raw === "" ? NaN : Number(raw);
}

function integer(query, name, fallback, min, max) {
  const value = numeric(query, name) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(query.get(name))}`);
  }
  return value;
}

function number(query, name, fallback) {
  const value = numeric(query, name) ?? fallback;
  if (!(value > 0 && Number.isFinite(value))) {
    throw new RangeError(`${name} must be a number above 0, got ${JSON.stringify(query.get(name))}`);
  }
  return value;
}

/** The prime, then the characters as UTF-8 chunks, drawn only as fast as the client reads. */
function stream(prime, first, characters) {
  const encoder = new TextEncoder();
  let next = first;
  let text = prime;
  return new ReadableStream({
    pull(controller) {
      for (let i = 0; i < CHUNK && !next.done; i++) {
        text += next.value;
        next = characters.next();
      }
      if (text) controller.enqueue(encoder.encode(text));
      text = "";
      if (next.done) controller.close();
    },
  });
}

function reply(status, message, headers = {}) {
  return new Response(`${message}\n`, { status, headers: { "content-type": TEXT, ...headers } });
}
