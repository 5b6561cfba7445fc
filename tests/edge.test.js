// The edge example (examples/edge/worker.js) in workerd, Cloudflare's runtime, through
// miniflare, importing the packed package through its `workerd` condition; and called from
// another site's page in Chromium (fetch and EventSource across origins).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { init, CharRNN } from "minrnn";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";
import { snippet } from "./snippets.js";
import { launchChromium } from "./chromium.js";
import { EXAMPLE, workerOptions } from "../examples/edge/modules.js";
import { serve } from "../examples/serve.js";
import { importTool } from "./tools.js";

// miniflare (workerd) comes from .tools/ (npm run tools); where it is absent, the suite is
// skipped with a notice. budget.js imports it too.
const { Miniflare } = (await importTool("miniflare", "the edge worker tests")) ?? {};
const { measure } = Miniflare ? await import("../examples/edge/budget.js") : {};

const edge = suite("edge worker in workerd");
const ctx = {};

/** The example worker (or another source) over the packed package, as a consumer deploys it. */
function startWorker(workerSource) {
  const { dir, pkgDir } = installedPackage();
  return new Miniflare(workerOptions({ root: dir, packageDir: pkgDir, workerSource }));
}

edge.before(async () => {
  await init();
  ctx.model = CharRNN.load(readFileSync(join(EXAMPLE, "model.safetensors")));
  ctx.lstm = CharRNN.load(readFileSync(join(EXAMPLE, "model-lstm.safetensors")));
  const started = performance.now();
  ctx.mf = startWorker(readFileSync(join(EXAMPLE, "worker.js"), "utf8"));
  await ctx.mf.ready;
  ctx.readyMs = performance.now() - started;
});

edge.after(async () => {
  await ctx.mf?.dispose();
  ctx.model?.dispose();
  ctx.lstm?.dispose();
});

// identity: with gzip, workerd buffers small text/plain bodies into one chunk.
const get = (query, init = {}) => ctx.mf.dispatchFetch(`http://localhost/${query}`, { headers: { "accept-encoding": "identity" }, ...init });

// Each route and the checkpoint it serves.
for (const [route, key] of [["/", "model"], ["/lstm", "lstm"]]) {
  edge(`${route}: a seeded request streams the prime, then the same text as Node, with the requested length`, async () => {
    const started = performance.now();
    const res = await get(`${route.slice(1)}?prime=ODA:&length=700&temperature=0.8&seed=7`);
    assert.is(res.status, 200);
    assert.is(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.is(res.headers.get("content-length"), null, "a streamed body has no content-length");
    assert.is(res.headers.get("minrnn-prime-length"), "4");
    assert.is(res.headers.get("minrnn-seed"), "7");
    const chunks = [];
    for await (const chunk of res.body) chunks.push(chunk);
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    console.log(`  workerd: ready ${ctx.readyMs.toFixed(0)} ms (isolate start and models load), first response on ${route} ${(performance.now() - started).toFixed(0)} ms`);
    assert.is([...text].length, 4 + 700);
    assert.is(text, "ODA:" + ctx[key].sample({ prime: "ODA:", length: 700, temperature: 0.8, seed: 7 }));
  });
}

edge("/lstm serves the LSTM checkpoint: its own text, not the vanilla model's", async () => {
  assert.equal([ctx.lstm.config.cell, ctx.lstm.config.hidden], ["lstm", 32]);
  const query = "?prime=ODA:&length=200&seed=3";
  const [vanilla, lstm] = await Promise.all([get(query), get(`lstm${query}`)].map(async (r) => (await r).text()));
  assert.is(lstm, "ODA:" + ctx.lstm.sample({ prime: "ODA:", length: 200, seed: 3 }));
  assert.is.not(lstm, vanilla);
  // The same checks of the query on either route.
  const bad = await get("lstm?length=2001");
  assert.is(bad.status, 400);
  assert.match(await bad.text(), /length must be a whole number from 0 to 2000 in plain decimal digits, got "2001"/);
});

edge("defaults and unseeded requests work; a length of 0 is the prime alone", async () => {
  const a = await (await get("")).text();
  const b = await (await get("?length=50")).text();
  assert.is([...a].length, 500);
  assert.is([...b].length, 50);
  const empty = await get("?length=0");
  assert.is(empty.status, 200);
  assert.is(await empty.text(), "");
  assert.is(await (await get("?length=0&prime=ODA")).text(), "ODA");
});

edge("bad parameters are a 400 that says what is wrong", async () => {
  const cases = {
    "?length=abc": /length must be a whole number from 0 to 2000 in plain decimal digits, got "abc"/,
    "?length=": /length must be a whole number/,
    "?length=2001": /length must be a whole number from 0 to 2000 in plain decimal digits, got "2001"/,
    [`?prime=${"a".repeat(501)}`]: /prime must be at most 500 characters, got 501/,
    "?temperature=0": /temperature must be a number from 0.05 to 5 in plain decimal \(like 0.8\), got "0"/,
    "?temperature=0.01": /temperature must be a number from 0.05 to 5/,
    "?temperature=6": /temperature must be a number from 0.05 to 5/,
    "?temperature=hot": /temperature must be a number from 0.05 to 5/,
    "?seed=-1": /seed must be a whole number from 0 to 4294967295 in plain decimal digits, got "-1"/,
    "?seed=1.5": /seed must be a whole number/,
    "?seed=4294967296": /seed must be a whole number from 0 to 4294967295/,
    "?lenght=5": /unknown parameter lenght; use prime, length, temperature, seed/,
    [`?prime=${encodeURIComponent("€uro")}`]: /not in the model's vocabulary: .*€/,
  };
  for (const [query, message] of Object.entries(cases)) {
    const res = await get(query);
    const body = await res.text();
    assert.is(res.status, 400, `${query}: ${body}`);
    assert.is(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.is(res.headers.get("access-control-allow-origin"), "*", "another site's page can read the error");
    assert.is(res.headers.get("cache-control"), "no-store");
    assert.match(body, message, query);
  }
  const post = await get("", { method: "POST", body: "x" });
  assert.is(post.status, 405);
  assert.is(post.headers.get("allow"), "GET, HEAD, OPTIONS");
  const missing = await get("favicon.ico");
  assert.is(missing.status, 404);
  assert.match(await missing.text(), /^no \/favicon\.ico here; ask for \/ or \/lstm with \?prime=/);
  assert.is((await get("lstm/")).status, 404);
});

/** Each query is a 400 whose body matches its message. */
async function refused(cases) {
  for (const [query, message] of Object.entries(cases)) {
    const res = await get(query);
    const body = await res.text();
    assert.is(res.status, 400, `${query}: ${body}`);
    assert.match(body, message, query);
  }
}

edge("numbers in the query are plain decimal digits: 1e3, 0x10 and \" 10\" are refused", () => refused({
  // Number() would read each of these as a number.
  "?length=1e3": /^length must be a whole number from 0 to 2000 in plain decimal digits, got "1e3"$/m,
  "?length=0x10": /^length must be a whole number .*, got "0x10"$/m,
  "?length=%2010": /^length must be a whole number .*, got " 10"$/m,
  "?length=+10": /^length must be a whole number .*, got " 10"$/m,
  "?length=10%20": /^length must be a whole number .*, got "10 "$/m,
  "?seed=1e3": /^seed must be a whole number .*, got "1e3"$/m,
  "?temperature=1e-1": /^temperature must be a number from 0.05 to 5 in plain decimal \(like 0.8\), got "1e-1"$/m,
  "?temperature=%200.5": /^temperature must be a number .*, got " 0.5"$/m,
}));

edge("a repeated parameter is a 400, not the first of them", () => refused({
  "?length=5&length=6": /^length is given more than once; give each parameter once$/m,
  "?seed=1&prime=a&seed=1": /^seed is given more than once/,
  "?prime=a&prime=b": /^prime is given more than once/,
}));

edge("a percent-escape that is not UTF-8 is said to be one, not a U+FFFD outside the vocabulary", async () => {
  await refused({
    "?prime=%FF": /^prime has percent-escapes that are not valid UTF-8 \(%FF\); encode the text as UTF-8, as encodeURIComponent does$/m,
    "?prime=ODA%E0%A4%A": /^prime has percent-escapes that are not valid UTF-8 \(%E0%A4\)/,
    "?prime=%C3": /^prime has percent-escapes that are not valid UTF-8 \(%C3\)/,
    "?prime=100%": /^prime has a "%" that does not start an escape \("%"\); write a percent sign as %25/,
  });
  assert.not.match(await (await get("?prime=%FF")).text(), "U+FFFD");
});

edge("other sites may call it: any origin, the two headers exposed, and a preflight answered", async () => {
  for (const route of ["", "lstm"]) {
    const res = await get(`${route}?prime=ODA:&length=10&seed=1`, { headers: { origin: "https://elsewhere.example", "accept-encoding": "identity" } });
    assert.is(res.status, 200);
    assert.is(res.headers.get("access-control-allow-origin"), "*");
    assert.is(res.headers.get("access-control-expose-headers"), "Minrnn-Prime-Length, Minrnn-Seed");
    assert.is(res.headers.get("vary"), "Accept", "text and events share a URL");
    await res.arrayBuffer();
  }
  const preflight = await get("lstm?length=5", {
    method: "OPTIONS",
    headers: { origin: "https://elsewhere.example", "access-control-request-method": "GET", "access-control-request-headers": "x-requested-with" },
  });
  assert.is(preflight.status, 204);
  assert.is(preflight.headers.get("access-control-allow-origin"), "*");
  assert.is(preflight.headers.get("access-control-allow-methods"), "GET, HEAD, OPTIONS");
  assert.is(preflight.headers.get("access-control-allow-headers"), "x-requested-with");
  assert.is(preflight.headers.get("access-control-max-age"), "86400");
  assert.is(await preflight.text(), "");
});

edge("a seeded response is cached for good; an unseeded one is not, and says the seed that draws it again", async () => {
  const seeded = await get("?length=80&seed=12");
  assert.is(seeded.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.is(seeded.headers.get("minrnn-seed"), "12");
  assert.is(await seeded.text(), ctx.model.sample({ length: 80, seed: 12 }));

  // Requests open at once: each draws with a seed of its own, and that seed reproduces it.
  const responses = await Promise.all(Array.from({ length: 20 }, () => get("?prime=ODA:&length=120&temperature=0.9")));
  const texts = [];
  for (const res of responses) {
    assert.is(res.headers.get("cache-control"), "no-store");
    const seed = res.headers.get("minrnn-seed");
    assert.match(seed, /^[0-9]+$/);
    const text = await res.text();
    texts.push(text);
    assert.is(text, "ODA:" + ctx.model.sample({ prime: "ODA:", length: 120, temperature: 0.9, seed: Number(seed) }), `seed ${seed} does not draw the text again`);
  }
  assert.is(new Set(texts).size, 20, "unseeded requests open at once shared their text");
  const head = await get("lstm?length=5", { method: "HEAD" });
  assert.is(head.headers.get("cache-control"), "no-store");
  assert.match(head.headers.get("minrnn-seed"), /^[0-9]+$/);
});

/** The events of a text/event-stream body: [{ event, data }]. */
function parseEvents(body) {
  return body.split("\n\n").filter(Boolean).map((block) => {
    const fields = { event: "message", data: [] };
    for (const line of block.split("\n")) {
      const [, name, value] = line.match(/^(\w+): ?(.*)$/);
      if (name === "data") fields.data.push(value);
      else fields[name] = value;
    }
    return { event: fields.event, data: fields.data.join("\n") };
  });
}

edge("Accept: text/event-stream streams the sample as events, a chunk each, then done with the seed and count", async () => {
  for (const [route, key] of [["", "model"], ["lstm", "lstm"]]) {
    const res = await get(`${route}?prime=ODA:&length=300&temperature=0.8&seed=9`, { headers: { accept: "text/event-stream", "accept-encoding": "identity" } });
    assert.is(res.status, 200);
    assert.is(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.is(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const events = parseEvents(await res.text());
    const done = events.pop();
    assert.is(done.event, "done");
    assert.equal(JSON.parse(done.data), { seed: 9, characters: 304 });
    assert.ok(events.length >= 4, `${events.length} events for 304 characters: one per chunk of 64`);
    assert.ok(events.every((e) => e.event === "message"));
    const text = events.map((e) => JSON.parse(e.data)).join("");
    assert.is(text, "ODA:" + ctx[key].sample({ prime: "ODA:", length: 300, temperature: 0.8, seed: 9 }));
  }
  const unseeded = await get("?length=20", { headers: { accept: "text/event-stream" } });
  const done = parseEvents(await unseeded.text()).pop();
  assert.is(JSON.parse(done.data).seed, Number(unseeded.headers.get("minrnn-seed")));
  assert.is(unseeded.headers.get("cache-control"), "no-store");
});

edge("a browser at / gets a page that says how to call the worker; a query or another Accept gets text", async () => {
  const page = await get("", { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
  assert.is(page.status, 200);
  assert.is(page.headers.get("content-type"), "text/html; charset=utf-8");
  const html = await page.text();
  assert.match(html, "<title>minrnn edge worker</title>");
  assert.match(html, "Minrnn-Seed");
  assert.is((await get("?length=10", { headers: { accept: "text/html" } })).headers.get("content-type"), "text/plain; charset=utf-8");
  assert.is((await get("")).headers.get("content-type"), "text/plain; charset=utf-8");
});

edge("in Chromium, another site's page reads the worker with fetch and EventSource; the form page samples", async () => {
  const browser = await launchChromium("the cross-origin calls from Chromium");
  if (!browser) return;
  // The worker on a real port, and a page from another origin (the demo's static server).
  const { dir, pkgDir } = installedPackage();
  const mf = new Miniflare({ ...workerOptions({ root: dir, packageDir: pkgDir }), host: "127.0.0.1", port: 0 });
  const site = await serve({ root });
  try {
    const worker = await mf.ready;
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(new URL("README.md", site.url).href);
    assert.is.not(new URL(page.url()).origin, worker.origin);
    const fetched = await page.evaluate(async (base) => {
      // A custom header makes Chromium send a preflight first.
      const res = await fetch(new URL("lstm?prime=ODA:&length=50&seed=4", base), { headers: { "x-requested-with": "test" } });
      return { status: res.status, text: await res.text(), seed: res.headers.get("minrnn-seed"), primeLength: res.headers.get("minrnn-prime-length") };
    }, worker.href);
    assert.equal(fetched, { status: 200, text: "ODA:" + ctx.lstm.sample({ prime: "ODA:", length: 50, seed: 4 }), seed: "4", primeLength: "4" });
    const streamed = await page.evaluate((url) => new Promise((resolve, reject) => {
      const source = new EventSource(url);
      const chunks = [];
      source.onmessage = (m) => chunks.push(JSON.parse(m.data));
      source.addEventListener("done", (m) => {
        source.close();
        resolve({ chunks, done: JSON.parse(m.data) });
      });
      source.onerror = () => reject(new Error("EventSource failed"));
    }), new URL("?prime=ODA:&length=200&temperature=0.7&seed=21", worker).href);
    assert.equal(streamed.done, { seed: 21, characters: 204 });
    assert.ok(streamed.chunks.length >= 3, `${streamed.chunks.length} events`);
    assert.is(streamed.chunks.join(""), "ODA:" + ctx.model.sample({ prime: "ODA:", length: 200, temperature: 0.7, seed: 21 }));

    // The form page, as a person uses it: choose the LSTM, a length and a seed, press Sample.
    await page.goto(worker.href);
    await page.selectOption("#model", "/lstm");
    await page.fill("#length", "120");
    await page.fill("#seed", "8");
    await page.click("button");
    await page.waitForFunction(() => document.getElementById("about").textContent.includes("characters"));
    assert.is(await page.textContent("#about"), "124 characters, seed 8. The same text again: /lstm?prime=ODA%3A&length=120&temperature=0.8&seed=8");
    assert.is(await page.textContent("#out"), "ODA:" + ctx.lstm.sample({ prime: "ODA:", length: 120, temperature: 0.8, seed: 8 }));
    assert.equal(problems, []);
  } finally {
    await browser.close();
    site.server.close();
    await mf.dispose();
  }
});

edge("the largest request fits the free plan's 10 ms of CPU on either route, measured inside workerd", async () => {
  const prime = encodeURIComponent("ODA: ".repeat(100)); // 500 characters, the cap
  const queries = ["?length=500", `?prime=${prime}&length=2000`];
  const results = await measure([...queries, ...queries.map((q) => `lstm${q}`)], { root: installedPackage().dir, packageDir: installedPackage().pkgDir });
  // CPU time where /proc has it: wall time on a busy machine counts the waits for a core.
  const ms = (r) => r.cpuMs ?? r.ms;
  const clock = results[0].cpuMs === null ? "wall" : "CPU";
  for (const [route, [small, largest]] of [["/", results.slice(0, 2)], ["/lstm", results.slice(2)]]) {
    console.log(`  workerd ${route}: ${ms(small).toFixed(2)} ms of ${clock} for the default 500 characters, ${ms(largest).toFixed(2)} ms for a 500-character prime and 2,000 characters`);
    assert.is(largest.chars, 2500);
    assert.ok(ms(largest) < 10, `${route}: the largest request took ${ms(largest).toFixed(2)} ms of ${clock}`);
  }
});

edge("npm run edge serves the worker on localhost", async () => {
  // Its own process group, so the test can end npm and the node it starts together.
  const child = spawn("npm", ["run", "--silent", "edge"], { cwd: root, env: { ...process.env, PORT: "0" }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {} // already gone
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  };
  try {
    const url = await new Promise((resolve, reject) => {
      let out = "", err = "";
      const timer = setTimeout(() => reject(new Error(`no URL from npm run edge within 20 s: ${out}${err}`)), 20000);
      child.stdout.on("data", (d) => {
        out += d;
        const m = out.match(/http:\/\/\S+/);
        if (m) { clearTimeout(timer); resolve(new URL(m[0])); }
      });
      child.stderr.on("data", (d) => (err += d));
      child.on("exit", (code) => reject(new Error(`npm run edge exited (${code}): ${out}${err}`)));
    });
    assert.ok(["127.0.0.1", "localhost", "[::1]"].includes(url.hostname), `not a loopback address: ${url}`);
    const res = await fetch(new URL("?prime=ODA:&length=40&seed=3", url), { signal: AbortSignal.timeout(10000) });
    assert.is(res.status, 200);
    assert.is(await res.text(), "ODA:" + ctx.model.sample({ prime: "ODA:", length: 40, seed: 3 }));
  } finally {
    await stop();
  }
});

edge("docs: cloudflare-worker.js loads the model at module scope and samples", async () => {
  const mf = startWorker(snippet("cloudflare-worker.js"));
  try {
    const res = await mf.dispatchFetch("http://localhost/");
    const text = await res.text();
    assert.is(res.status, 200);
    assert.is([...text].length, 200);
    assert.equal(ctx.model.vocab.missing(text), [], "characters outside the model's vocabulary");
  } finally {
    await mf.dispose();
  }
});

if (Miniflare) edge.run();
