// The browser demo (examples/browser) in real headless Chromium, driven as a person
// would: train, stop, download a checkpoint, load one made by Node, sample. Needs the
// Debian package `chromium` (.ci/run installs it); skipped with a notice where it is absent.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { corpus } from "minrnn";
import { root } from "./helpers.js";
import { serve, DEMO_PATH } from "../examples/serve.js";
import { snippet, snippetSample } from "./snippets.js";

const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = join(root, "tests/output");
const SCREENSHOT = join(OUTPUT, "browser-demo.png");

const demo = suite("browser demo");

if (!existsSync(CHROMIUM)) {
  demo("skipped", () => console.log(`  skipped the browser demo tests: no ${CHROMIUM} (apt-get install chromium)`));
} else {
  const { chromium } = await import("playwright-core");
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

  /** The longest gap between animation frames over `frames` frames, in ms. */
  const longestFrameGap = (frames) => ctx.page.evaluate((n) => new Promise((done) => {
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
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`  screenshot: ${SCREENSHOT}`);
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

  demo("no errors in the page's console", () => {
    assert.equal(ctx.problems, []);
  });
}

demo.run();
