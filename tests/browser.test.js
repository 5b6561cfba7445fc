// The browser demo (examples/browser) in real headless Chromium, driven as a person
// would: train, stop, download a checkpoint, load one made by Node, sample. Needs the
// Debian package `chromium` (.ci/run installs it); skipped with a notice where it is absent.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { init, CharRNN, corpus } from "minrnn";
import { root } from "./helpers.js";
import { serve, DEMO_PATH } from "../examples/serve.js";
import { snippet, snippetSample } from "./snippets.js";

const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = join(root, "tests/output");
const SCREENSHOT = join(OUTPUT, "browser-demo.png");
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

const demo = suite("browser demo");

if (!existsSync(CHROMIUM)) {
  demo("skipped", () => console.log(`  skipped the browser demo tests: no ${CHROMIUM} (apt-get install chromium)`));
} else {
  const { chromium } = await import("playwright-core");
  await init();
  const ctx = {};

  demo.before(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    ctx.server = await serve({ root });
    ctx.browser = await chromium.launch({
      executablePath: CHROMIUM,
      // No sandbox (CI runs as root) and nothing that reaches the network by itself.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    ctx.page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    ctx.problems = [];
    ctx.page.on("console", (m) => m.type() === "error" && ctx.problems.push(m.text()));
    ctx.page.on("pageerror", (e) => ctx.problems.push(e.message));
    await ctx.page.goto(new URL(DEMO_PATH, ctx.server.url).href);
    await ctx.page.waitForSelector("body[data-state=ready]");
  });

  demo.after(async () => {
    await ctx.browser?.close();
    ctx.server?.server.close();
  });

  const number = async (id) => Number((await ctx.page.textContent(`#${id}`)).replaceAll(",", ""));
  const setValue = (id, value) => ctx.page.$eval(`#${id}`, (el, v) => {
    el.value = v;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, String(value));

  /** The longest gap between animation frames over `frames` frames, in ms (Infinity if frames stop for 5 s). */
  const longestFrameGap = (frames) => ctx.page.evaluate((n) => new Promise((done) => {
    setTimeout(() => done(Infinity), 5000); // a page that stops drawing fails the test instead of hanging it
    let last = performance.now(), worst = 0, count = 0;
    const tick = (t) => {
      worst = Math.max(worst, t - last);
      last = t;
      if (++count < n) requestAnimationFrame(tick); else done(worst);
    };
    requestAnimationFrame(tick);
  }), frames);

  demo("trains in a worker: the loss falls, live samples appear, the page keeps drawing", async () => {
    const { page } = ctx;
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    const gap = await longestFrameGap(20);
    await page.waitForFunction(() => Number(document.getElementById("iteration").textContent.replaceAll(",", "")) >= 300);
    await page.waitForFunction(() => document.getElementById("sample-text").textContent.length > 0);
    await page.click("#stop");
    await page.waitForSelector("body[data-state=stopped]");
    const iteration = await number("iteration");
    const smoothLoss = await number("smooth-loss");
    const vocabSize = new Set(corpus).size;
    const initialLoss = Math.log(vocabSize) * 25;
    assert.ok(iteration >= 300, `iteration ${iteration}`);
    assert.ok(smoothLoss < initialLoss - 1, `smooth loss ${smoothLoss} did not fall below the initial ${initialLoss.toFixed(3)}`);
    assert.ok(gap < 250, `the page went ${gap.toFixed(0)} ms without a frame while training`);
    assert.ok((await page.textContent("#sample-text")).length > 0, "no live sample");
    ctx.iteration = iteration;
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`  screenshot: ${SCREENSHOT}`);
  });

  demo("a checkpoint downloaded from the page has the same bytes as Node's after the same iterations", async () => {
    const { page } = ctx;
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const fromBrowser = readFileSync(await download.path());
    const model = CharRNN.create({ text: corpus, hidden: 100, seqLength: 25, learningRate: 0.1, seed: 42 });
    model.train({ iterations: ctx.iteration });
    const fromNode = model.save();
    model.dispose();
    assert.is(download.suggestedFilename(), `minrnn-iter${ctx.iteration}.safetensors`);
    assert.is(sha256(fromBrowser), sha256(fromNode), `checkpoints differ after ${ctx.iteration} iterations`);
  });

  demo("loads a checkpoint made in Node and samples the same seeded text as Node", async () => {
    const { page } = ctx;
    const model = CharRNN.create({ text: corpus, hidden: 48, seed: 11 });
    model.train({ iterations: 200 });
    const file = join(OUTPUT, "node-model.safetensors");
    writeFileSync(file, model.save());
    const options = { length: 240, temperature: 0.7, seed: 5, prime: "The lamp" };
    const expected = model.sample(options);
    model.dispose();

    await page.setInputFiles("#checkpoint-file", file);
    await page.waitForFunction(() => document.getElementById("hidden").value === "48");
    assert.is(await number("iteration"), 200);
    await setValue("temperature", options.temperature);
    await setValue("sample-length", options.length);
    await setValue("sample-seed", options.seed);
    await setValue("prime", options.prime);
    await page.click("#sample");
    await page.waitForFunction((t) => document.getElementById("sample-text").textContent === t, expected);
  });

  demo("trains a new model on a chosen text file; refuses one that is not UTF-8", async () => {
    const { page } = ctx;
    const latin1 = join(OUTPUT, "latin1.txt");
    writeFileSync(latin1, Buffer.from("caf\xe9 au lait ".repeat(20), "latin1"));
    const utf8 = join(OUTPUT, "song.txt");
    const song = "Row, row, row your boat, gently down the stream. Merrily, merrily, life is but a dream. ".repeat(8);
    writeFileSync(utf8, song);

    await page.click("#reset");
    await page.setInputFiles("#text-file", latin1);
    await page.waitForSelector("body[data-state=error]");
    assert.match(await page.textContent("#status"), "latin1.txt is not UTF-8 text");

    await page.setInputFiles("#text-file", utf8);
    await page.waitForFunction(() => document.getElementById("text-info").textContent.startsWith("song.txt"));
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    // The prime left from the last test has letters this text lacks: said where the sample goes.
    await page.waitForSelector("#sample-text.error");
    assert.match(await page.textContent("#sample-text"), `not in the model's vocabulary: "T" (U+0054)`);
    await page.click("#stop");
    await page.waitForSelector("body[data-state=stopped]");
    assert.match(await page.textContent("#text-info"), `song.txt: ${song.length} characters`);
    assert.match(await page.textContent("#status"), "Stopped at iteration");
    assert.equal(await page.evaluate(() => document.getElementById("model-settings").disabled), true);
  });

  demo("docs: worker.js trains in a module worker and samples what Node samples", async () => {
    // What a bundler does with the bare name: point it at the package's browser entry.
    const source = snippet("worker.js").replace('"minrnn"', JSON.stringify(new URL("/dist/index.js", ctx.server.url).href));
    const sample = await ctx.page.evaluate((code) => new Promise((resolve, reject) => {
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
      worker.onmessage = ({ data }) => {
        if (data.sample === undefined) return;
        worker.terminate();
        resolve(data.sample);
      };
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage({ iterations: 300 });
      setTimeout(() => reject(new Error("no sample from the worker within 10 s")), 10000);
    }), source);
    assert.is(sample, await snippetSample());
  });

  demo("cold start on the page's main thread: import, init, create", async () => {
    const entry = new URL("/dist/index.js", ctx.server.url).href;
    const result = await ctx.page.evaluate(async (url) => {
      const t0 = performance.now();
      const { init, CharRNN, corpus } = await import(url);
      await init();
      const t1 = performance.now();
      const model = CharRNN.create({ text: corpus, hidden: 64, seed: 7 });
      const t2 = performance.now();
      const vocabSize = model.vocab.size;
      model.dispose();
      return { initMs: t1 - t0, createMs: t2 - t1, vocabSize };
    }, entry);
    console.log(`  chromium cold start: import + init ${result.initMs.toFixed(1)} ms, create ${result.createMs.toFixed(1)} ms`);
    assert.is(result.vocabSize, new Set(corpus).size);
  });

  demo("no errors in the page's console", () => {
    assert.equal(ctx.problems, []);
  });
}

demo.run();
