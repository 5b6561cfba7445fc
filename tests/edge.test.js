// The edge example (examples/edge/worker.js) in workerd, Cloudflare's runtime, through
// miniflare, importing the packed package through its `workerd` condition.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Miniflare } from "miniflare";
import { init, CharRNN } from "minrnn";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";
import { snippet } from "./snippets.js";

const EXAMPLE = join(root, "examples/edge");
const edge = suite("edge worker in workerd");
const ctx = {};

/**
 * What wrangler would bundle, as explicit modules: the worker at the root, the package's
 * files, the checkpoint as a Data module, and a module named "minrnn" that stands for the
 * package's workerd entry (miniflare resolves neither bare names nor `exports` itself).
 */
function workerModules(dir, workerSource) {
  const pkg = relative(dir, installedPackage().pkgDir);
  // Paths are absolute: miniflare reads them from there and names each relative to modulesRoot.
  const at = (path) => join(dir, path);
  const files = readdirSync(at(pkg), { recursive: true }).map((f) => join(pkg, f));
  return [
    { type: "ESModule", path: at("worker.js"), contents: workerSource },
    { type: "ESModule", path: at("minrnn"), contents: `export * from "./${pkg}/dist/workerd.js";` },
    { type: "Data", path: at("model.safetensors"), contents: readFileSync(join(EXAMPLE, "model.safetensors")) },
    ...files.filter((f) => f.endsWith(".js")).map((f) => ({ type: "ESModule", path: at(f) })),
    { type: "CompiledWasm", path: at(join(pkg, "build/minrnn.wasm")) },
  ];
}

function startWorker(source) {
  const { dir } = installedPackage();
  return new Miniflare({ modulesRoot: dir, modules: workerModules(dir, source), compatibilityDate: "2025-01-01" });
}

edge.before(async () => {
  await init();
  ctx.model = CharRNN.load(readFileSync(join(EXAMPLE, "model.safetensors")));
  const started = performance.now();
  ctx.mf = startWorker(readFileSync(join(EXAMPLE, "worker.js"), "utf8"));
  await ctx.mf.ready;
  ctx.readyMs = performance.now() - started;
});

edge.after(async () => {
  await ctx.mf?.dispose();
  ctx.model?.dispose();
});

// identity: with gzip, workerd buffers small text/plain bodies into one chunk.
const get = (query, init = {}) => ctx.mf.dispatchFetch(`http://localhost/${query}`, { headers: { "accept-encoding": "identity" }, ...init });

edge("a seeded request streams the same text as Node, with the requested length", async () => {
  const started = performance.now();
  const res = await get("?prime=ODA:&length=700&temperature=0.8&seed=7");
  assert.is(res.status, 200);
  assert.is(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.is(res.headers.get("content-length"), null, "a streamed body has no content-length");
  const chunks = [];
  for await (const chunk of res.body) chunks.push(chunk);
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  console.log(`  workerd: ready ${ctx.readyMs.toFixed(0)} ms (isolate start and model load), first response ${(performance.now() - started).toFixed(0)} ms`);
  assert.is([...text].length, 700);
  assert.is(text, ctx.model.sample({ prime: "ODA:", length: 700, temperature: 0.8, seed: 7 }));
});

edge("defaults and unseeded requests work; a length of 0 is an empty body", async () => {
  const a = await (await get("")).text();
  const b = await (await get("?length=50")).text();
  assert.is([...a].length, 200);
  assert.is([...b].length, 50);
  const empty = await get("?length=0");
  assert.is(empty.status, 200);
  assert.is(await empty.text(), "");
});

edge("bad parameters are a 400 that says what is wrong", async () => {
  const cases = {
    "?length=abc": /length must be an integer from 0 to 10000, got "abc"/,
    "?length=": /length must be an integer/,
    "?length=10001": /length must be an integer from 0 to 10000/,
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
  assert.is((await get("favicon.ico")).status, 404);
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

edge.run();
