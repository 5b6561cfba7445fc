// An edge function that writes text: a Cloudflare-style module worker sampling from a
// small trained model beside this file, streamed as it is drawn. Two routes, two models:
//
//   GET /?prime=ODA:&length=300&temperature=0.8&seed=7       min-char-rnn's cell, hidden 64 (model.safetensors)
//   GET /lstm?prime=ODA:&length=300&temperature=0.8&seed=7   an LSTM, hidden 32 (model-lstm.safetensors)
//
// The body is the prime followed by `length` drawn characters, as `minrnn sample` prints
// them; the Minrnn-Prime-Length header says how many characters of it are the prime, so
// a page can set the prime apart from the continuation, and Minrnn-Seed the seed that drew
// them (chosen at random when the request names none), so any text can be drawn again.
// With `Accept: text/event-stream` the same text comes as Server-Sent Events (body.js).
// A browser asking for `/` with no query gets a page that tries it (form.js).
//
// Other sites' pages may call it: every response allows any origin (it holds no secrets
// and reads no cookies) and exposes the two headers. A seeded response is the same bytes
// forever, so caches may keep it; an unseeded one is new each time.
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
import { parseQuery, integer, decimal } from "./query.js";
import { textBody, eventBody } from "./body.js";
import { formPage } from "./form.js";

const MODELS = new Map([
  ["/", CharRNN.load(new Uint8Array(vanilla))],
  ["/lstm", CharRNN.load(new Uint8Array(lstm))],
]);

const DEFAULT_LENGTH = 500;
const MAX_LENGTH = 2000;
const MAX_PRIME = 500; // characters; each is fed through the network like a drawn one
// Below this the draws are all but argmax, above it all but uniform noise: either is a mistake.
const TEMPERATURE = [0.05, 5];
const PARAMS = ["prime", "length", "temperature", "seed"];
const TEXT = "text/plain; charset=utf-8";
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Minrnn-Prime-Length, Minrnn-Seed",
};
const METHODS = "GET, HEAD, OPTIONS";
const FOREVER = "public, max-age=31536000, immutable";

export default {
  fetch(request) {
    const url = new URL(request.url);
    if (request.method === "OPTIONS") return preflight(request);
    if (request.method !== "GET" && request.method !== "HEAD") return reply(405, `only ${METHODS} are supported`, { allow: METHODS });
    const model = MODELS.get(url.pathname);
    if (model === undefined) return reply(404, `no ${url.pathname} here; ask for / or /lstm with ?prime=...&length=...&temperature=...&seed=...`);
    const accept = request.headers.get("accept") ?? "";
    if (url.pathname === "/" && url.search === "" && accept.includes("text/html")) {
      return new Response(request.method === "HEAD" ? null : formPage({ maxLength: MAX_LENGTH, maxPrime: MAX_PRIME, temperature: TEMPERATURE }), {
        headers: { ...CORS, "content-type": "text/html; charset=utf-8", "cache-control": "no-cache", vary: "Accept" },
      });
    }
    try {
      const { options, seeded } = sampleOptions(url.search);
      const characters = model.sampleStream(options);
      // A generator checks its options on the first draw: draw it now, so a bad prime is a
      // 400 and not a broken stream.
      const first = characters.next();
      const events = accept.includes("text/event-stream");
      const headers = {
        ...CORS,
        "content-type": events ? "text/event-stream; charset=utf-8" : TEXT,
        "minrnn-prime-length": String([...options.prime].length),
        "minrnn-seed": String(options.seed),
        "cache-control": seeded ? FOREVER : "no-store",
        vary: "Accept", // the same URL is text or events
      };
      if (request.method === "HEAD") return new Response(null, { headers });
      const body = events ? eventBody(options.prime, first, characters, options.seed) : textBody(options.prime, first, characters);
      return new Response(body, { headers });
    } catch (err) {
      if (err instanceof MinrnnError || err instanceof RangeError) return reply(400, err.message);
      throw err;
    }
  },
};

/** The query as sample options, always with a seed: { options, seeded: whether the query named it }. */
function sampleOptions(search) {
  const params = parseQuery(search, PARAMS);
  const prime = params.get("prime") ?? "";
  const primeLength = [...prime].length;
  if (primeLength > MAX_PRIME) throw new RangeError(`prime must be at most ${MAX_PRIME} characters, got ${primeLength}`);
  const seeded = params.has("seed");
  const options = {
    prime,
    length: integer(params, "length", DEFAULT_LENGTH, 0, MAX_LENGTH),
    temperature: decimal(params, "temperature", 1, ...TEMPERATURE),
    // A seed of our own when none is named: the text can be drawn again from Minrnn-Seed,
    // and requests open at once never share the model's PRNG.
    seed: seeded ? integer(params, "seed", 0, 0, 2 ** 32 - 1) : crypto.getRandomValues(new Uint32Array(1))[0],
  };
  return { options, seeded };
}

/** The answer to a CORS preflight: GET from anywhere, with any request headers. */
function preflight(request) {
  const asked = request.headers.get("access-control-request-headers");
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS,
      "access-control-allow-methods": METHODS,
      ...(asked ? { "access-control-allow-headers": asked } : {}),
      "access-control-max-age": "86400",
      allow: METHODS,
    },
  });
}

function reply(status, message, headers = {}) {
  return new Response(`${message}\n`, { status, headers: { ...CORS, "content-type": TEXT, "cache-control": "no-store", ...headers } });
}
