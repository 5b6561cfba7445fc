// The edge example (examples/edge/worker.js) in workerd, Cloudflare's runtime, through
// miniflare, importing the packed package through its `workerd` condition.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { init, CharRNN } from "minrnn";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";
import { snippet } from "./snippets.js";
import { EXAMPLE, workerOptions } from "../examples/edge/modules.js";
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
  assert.match(await bad.text(), /length must be an integer from 0 to 2000, got "2001"/);
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
    "?length=abc": /length must be an integer from 0 to 2000, got "abc"/,
    "?length=": /length must be an integer/,
    "?length=2001": /length must be an integer from 0 to 2000, got "2001"/,
    [`?prime=${"a".repeat(501)}`]: /prime must be at most 500 characters, got 501/,
    "?temperature=0": /temperature must be a number above 0, got "0"/,
    "?temperature=hot": /temperature must be a number above 0/,
    "?seed=-1": /seed must be an integer from 0 to 4294967295, got "-1"/,
    "?seed=1.5": /seed must be an integer/,
    "?lenght=5": /unknown parameter lenght; use prime, length, temperature, seed/,
    [`?prime=${encodeURIComponent("€uro")}`]: /not in the model's vocabulary: .*€/,
  };
  for (const [query, message] of Object.entries(cases)) {
    const res = await get(query);
    const body = await res.text();
    assert.is(res.status, 400, `${query}: ${body}`);
    assert.is(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.match(body, message, query);
  }
  assert.is((await get("", { method: "POST", body: "x" })).status, 405);
  const missing = await get("favicon.ico");
  assert.is(missing.status, 404);
  assert.match(await missing.text(), /^no \/favicon\.ico here; ask for \/ or \/lstm with \?prime=/);
  assert.is((await get("lstm/")).status, 404);
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
