// The browser demo (examples/browser) in real headless Chromium, driven as a person
// would: train, stop, download a checkpoint, load one made by Node, sample, by mouse and
// by keyboard, at desktop and phone widths. Needs the Debian package `chromium` (.ci/run
// installs it); skipped with a notice where it is absent.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";
import { root } from "./helpers.js";
import { serve, DEMO_PATH } from "../examples/serve.js";
import { snippet, snippetSample } from "./snippets.js";

const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = join(root, "tests/output");
const SCREENSHOT_WIDE = join(OUTPUT, "browser-demo-1280.png");
const SCREENSHOT_PHONE = join(OUTPUT, "browser-demo-390.png");
const SCREENSHOT_LSTM = join(OUTPUT, "browser-demo-lstm-1280.png");
const STOP_MS = 100; // the bound for Stop at hidden 1024
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

const demo = suite("browser demo");

if (!existsSync(CHROMIUM)) {
  demo("skipped", () => console.log(`  skipped the browser demo tests: no ${CHROMIUM} (apt-get install chromium)`));
} else {
  const { chromium } = await import("playwright-core");
  await init();
  const ctx = {};

  /** A page on the demo at `width` px, its console errors collected in ctx.problems. */
  async function openDemo(width, height) {
    const page = await ctx.browser.newPage({ viewport: { width, height } });
    page.setDefaultTimeout(15000); // a page that stops answering fails its test instead of hanging the run
    page.on("console", (m) => m.type() === "error" && ctx.problems.push(m.text()));
    page.on("pageerror", (e) => ctx.problems.push(e.message));
    await page.goto(new URL(DEMO_PATH, ctx.server.url).href);
    await page.waitForSelector("body[data-state=ready]");
    return page;
  }

  demo.before(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    ctx.server = await serve({ root });
    ctx.browser = await chromium.launch({
      executablePath: CHROMIUM,
      // No sandbox (CI runs as root) and nothing that reaches the network by itself.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    ctx.problems = [];
    ctx.page = await openDemo(1280, 900);
  });

  demo.after(async () => {
    await ctx.browser?.close();
    ctx.server?.server.close();
  });

  const text = (selector) => ctx.page.textContent(selector);
  const number = async (id) => Number((await text(`#${id}`)).replaceAll(",", ""));
  const setValue = (id, value, page = ctx.page) => page.$eval(`#${id}`, (el, v) => {
    el.value = v;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, String(value));
  const iterationAtLeast = (n) => ctx.page.waitForFunction((min) => Number(document.getElementById("iteration").textContent.replaceAll(",", "")) >= min, n);
  const chartLabel = () => ctx.page.getAttribute("#chart", "aria-label");

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

  /** Clicks Stop and measures, in the page, the time until the page shows the stopped state. */
  const timeStop = () => ctx.page.evaluate(() => new Promise((done, fail) => {
    const started = performance.now();
    const watch = new MutationObserver(() => {
      if (document.body.dataset.state !== "stopped") return;
      watch.disconnect();
      done(performance.now() - started);
    });
    watch.observe(document.body, { attributes: true });
    setTimeout(() => fail(new Error(`Stop did not answer within 5 s; the page says ${document.body.dataset.state}: ${document.getElementById("status").textContent}`)), 5000);
    document.getElementById("stop").click();
  }));

  demo("trains in a worker: the loss falls, live samples show the prime apart, the page keeps drawing", async () => {
    const { page } = ctx;
    await setValue("prime", "The ");
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    const gap = await longestFrameGap(20);
    await iterationAtLeast(300);
    await page.waitForFunction(() => document.querySelector("#sample-text .continuation").textContent.length > 0);
    const initialPerChar = Math.log(new Set(corpus).size);
    const perChar = await number("loss");
    assert.ok(perChar < initialPerChar - 0.05, `loss per character ${perChar} did not fall below the initial ${initialPerChar.toFixed(3)}`);
    assert.ok(gap < 250, `the page went ${gap.toFixed(0)} ms without a frame while training`);
    assert.is(await text("#sample-text .prime"), "The ");
    assert.is(await page.$eval("#sample-text .prime", (el) => getComputedStyle(el).fontWeight), "700", "the prime is set apart in bold");
    assert.match(await text("#sample-caption"), /^Sample at iteration [\d,]+, while training\./);
    assert.match(await chartLabel(), /^Loss per character: [\d.]+ nats at iteration [\d,]+, from [\d.]+ at iteration/);
  });

  demo("a failed load, chosen by keyboard, changes nothing: training goes on, the chart keeps its line", async () => {
    const { page } = ctx;
    const png = join(OUTPUT, "picture.png");
    // A PNG's signature read as a safetensors header length: 727905341920923785, above 2^53.
    writeFileSync(png, Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(64)]));
    const start = (await chartLabel()).split(", from ")[1];

    // Listening first: the chooser opens as Enter is handled, before a later listener is set up.
    const chooserOpened = page.waitForEvent("filechooser");
    await page.click("header h1"); // Tab starts from the top of the page
    let tabs = 0;
    while ((await page.evaluate(() => document.activeElement?.id)) !== "load") {
      assert.ok(++tabs <= 30, "30 presses of Tab did not reach Load checkpoint");
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    const chooser = await chooserOpened;
    const before = await number("iteration");
    await chooser.setFiles(png);
    await page.waitForSelector("#status.error");
    const message = await text("#status");
    assert.match(message, "picture.png: not a usable checkpoint: its header length field says 727905341920923785 bytes");
    assert.is(await page.getAttribute("body", "data-state"), "training");
    // A truncated checkpoint: the library's own message, named with the file.
    const cut = join(OUTPUT, "cut.safetensors");
    const small = CharRNN.create({ text: corpus, hidden: 8 });
    writeFileSync(cut, small.save().subarray(0, 100));
    small.dispose();
    await page.setInputFiles("#checkpoint-file", cut);
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("cut.safetensors: "));
    assert.match(await text("#status"), "(the file is truncated)");
    assert.is(await page.getAttribute("body", "data-state"), "training");
    await iterationAtLeast(before + 50);
    assert.is((await chartLabel()).split(", from ")[1], start, "the chart lost its start");
    console.log(`  Tab reached Load checkpoint in ${tabs} presses from the top of the page`);
  });

  demo("Stop: the rate clears, the model's numbers stay, the status says where it stopped", async () => {
    const { page } = ctx;
    await page.click("#stop");
    await page.waitForSelector("body[data-state=stopped]");
    ctx.iteration = await number("iteration");
    assert.is(await text("#speed"), "–");
    assert.is(await text("#status"), `Stopped at iteration ${ctx.iteration.toLocaleString("en-US")}. Start continues training.`);
    const chart = await page.$eval("#chart", (el) => el.getBoundingClientRect().width);
    assert.ok(chart > 0.55 * 1280, `the chart is ${chart} px wide at 1280`);
    await page.screenshot({ path: SCREENSHOT_WIDE, fullPage: true });
    console.log(`  screenshot: ${SCREENSHOT_WIDE} (chart ${chart.toFixed(0)} px wide)`);
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

  for (const [name, config, about] of [
    ["node-lstm", { cell: "lstm", layers: 2, hidden: 32, seed: 11 }, "lstm 2 layers of hidden 32"],
    // Last, so that the fields the later tests start from are the vanilla cell's again.
    ["node-model", { hidden: 48, seed: 11 }, "rnn hidden 48"],
  ]) {
    demo(`loads a checkpoint made in Node (${about}): says so, clears the last model's chart and sample, samples what Node samples`, async () => {
      const { page } = ctx;
      const model = CharRNN.create({ text: corpus, ...config });
      model.train({ iterations: 200 });
      const file = join(OUTPUT, `${name}.safetensors`);
      writeFileSync(file, model.save());
      const options = { length: 240, temperature: 0.7, seed: 5, prime: "The lamp" };
      const expected = model.sample(options);
      model.dispose();

      await page.setInputFiles("#checkpoint-file", file);
      // The page may be "loaded" already, with the previous file: wait for this one's status.
      await page.waitForFunction((f) => document.getElementById("status").textContent.startsWith(`Loaded ${f}`), `${name}.safetensors`);
      assert.is(await page.getAttribute("body", "data-state"), "loaded");
      assert.equal([await page.inputValue("#cell"), await page.inputValue("#layers"), await page.inputValue("#hidden")], [config.cell ?? "rnn", String(config.layers ?? 1), String(config.hidden)]);
      assert.is(await number("iteration"), 200);
      assert.match(await text("#status"), new RegExp(`^Loaded ${name}\\.safetensors, iteration 200 \\(${about}, .*\\); Start resumes\\.$`));
      assert.is(await chartLabel(), "No loss yet");
      assert.is(await text("#sample-text"), "");
      await setValue("temperature", options.temperature);
      await setValue("sample-length", options.length);
      await setValue("sample-seed", options.seed);
      await setValue("prime", options.prime);
      await page.click("#sample");
      await page.waitForFunction((t) => document.querySelector("#sample-text .continuation").textContent === t, expected);
      assert.is(await text("#sample-text .prime"), options.prime);
      assert.match(await text("#sample-caption"), "Sample at iteration 200. The prime is in bold");
    });
  }

  demo("New model clears every number, the chart and the sample", async () => {
    const { page } = ctx;
    await page.click("#reset");
    await page.waitForSelector("body:not([data-model])");
    for (const id of ["iteration", "loss", "speed"]) assert.is(await text(`#${id}`), "–", id);
    assert.is(await text("#sample-text"), "");
    assert.is(await chartLabel(), "No loss yet");
    assert.is(await page.$eval("#model-settings", (el) => el.disabled), false);
  });

  demo("fields out of their limits are refused with what was typed, and nothing starts", async () => {
    const { page } = ctx;
    const cases = [
      ["hidden", "5000", `Hidden size must be a whole number from 1 to 1,024; you typed "5000".`],
      ["hidden", "abc", `Hidden size must be a whole number from 1 to 1,024; you typed "abc".`],
      ["seq-length", "2.5", `Sequence length must be a whole number from 1 to 1,000; you typed "2.5".`],
      ["learning-rate", "", "Learning rate must be a number from 0.0001 to 10; nothing was typed."],
      ["layers", "4", `Layers must be a whole number from 1 to 3; you typed "4".`],
      ["sample-length", "1e9", `Length must be a whole number from 1 to 20,000; you typed "1e9".`],
    ];
    for (const [id, typed, message] of cases) {
      const good = await page.inputValue(`#${id}`);
      await setValue(id, typed);
      await page.click("#start");
      assert.is(await text("#status"), message, `${id} ${typed}`);
      assert.is(await page.getAttribute(`#${id}`, "aria-invalid"), "true");
      assert.is(await page.getAttribute("body", "data-state"), "ready", "nothing started");
      await setValue(id, good);
      assert.not.match(await text("#status"), "must be", "the message stays after the field is fixed");
    }
  });

  demo(`Stop answers within ${STOP_MS} ms at hidden 1024`, async () => {
    const { page } = ctx;
    await setValue("hidden", 1024);
    // At hidden 1024 the default rate of 0.1 explodes after about 180 iterations, which a
    // fast enough engine reaches within this test: a lower rate keeps it about Stop.
    await setValue("learning-rate", 0.01);
    await setValue("sample-length", 300);
    const times = [];
    for (let run = 0; run < 3; run++) {
      await page.click("#start");
      await page.waitForSelector("body[data-state=training]");
      await page.waitForTimeout(700 + 300 * run); // now and then mid-chunk, mid-sample
      times.push(await timeStop());
    }
    times.sort((a, b) => a - b);
    console.log(`  Stop at hidden 1024: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
    assert.ok(times[1] < STOP_MS, `Stop took ${times.join(", ")} ms`);
    assert.ok(times[2] < 2 * STOP_MS, `Stop took ${times.join(", ")} ms`);
    await page.click("#reset");
    await setValue("hidden", 100);
    await setValue("learning-rate", 0.1);
  });

  demo("a loss that explodes stops training with a warning that suggests a lower learning rate", async () => {
    const { page } = ctx;
    await setValue("learning-rate", 10);
    await page.click("#start");
    await page.waitForSelector("#status.warning");
    assert.match(await text("#status"), /^The loss exploded: [\d.]+[KMBT]? nats per character, more than 3× the [\d.]+ it started at, so training stopped at iteration [\d,]+ \(char-rnn's rule\)\. Press New model and try a lower learning rate than 10\.$/);
    assert.is(await page.getAttribute("body", "data-state"), "stopped");
    await page.click("#reset");
    await setValue("learning-rate", 0.1);
  });

  demo("an LSTM of 2 layers trains: the status says so, the loss falls, its checkpoint has Node's bytes", async () => {
    const { page } = ctx;
    await page.selectOption("#cell", "lstm");
    await setValue("layers", 2);
    await setValue("hidden", 64);
    await setValue("seed", 42); // the last loaded checkpoint set it to its own
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    assert.match(await text("#status"), /^Training: lstm 2 layers of hidden 64, seq 25, lr 0\.1, /);
    await iterationAtLeast(300);
    // min-char-rnn's smooth loss moves slowly; a 2×64 LSTM takes it down about 0.35 nats/char in 300 iterations.
    const initialPerChar = Math.log(new Set(corpus).size);
    const perChar = await number("loss");
    assert.ok(perChar < initialPerChar - 0.2, `loss per character ${perChar} did not fall below ${(initialPerChar - 0.2).toFixed(3)}`);
    await page.click("#stop");
    await page.waitForSelector("body[data-state=stopped]");
    const iteration = await number("iteration");
    await page.screenshot({ path: SCREENSHOT_LSTM, fullPage: true });
    console.log(`  screenshot: ${SCREENSHOT_LSTM} (LSTM 2×64 stopped at iteration ${iteration})`);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const model = CharRNN.create({ text: corpus, cell: "lstm", layers: 2, hidden: 64, seqLength: 25, learningRate: 0.1, seed: 42 });
    model.train({ iterations: iteration });
    assert.is(sha256(readFileSync(await download.path())), sha256(model.save()), `LSTM checkpoints differ after ${iteration} iterations`);
    model.dispose();
    await page.click("#reset");
    await page.selectOption("#cell", "rnn");
    await setValue("layers", 1);
    await setValue("hidden", 100);
  });

  demo("trains a new model on a chosen text file; refuses one that is not UTF-8", async () => {
    const { page } = ctx;
    const latin1 = join(OUTPUT, "latin1.txt");
    writeFileSync(latin1, Buffer.from("caf\xe9 au lait ".repeat(20), "latin1"));
    const utf8 = join(OUTPUT, "song.txt");
    const song = "Row, row, row your boat, gently down the stream. Merrily, merrily, life is but a dream. ".repeat(8);
    writeFileSync(utf8, song);

    await page.setInputFiles("#text-file", latin1);
    await page.waitForSelector("#status.error");
    assert.match(await text("#status"), "latin1.txt is not UTF-8 text");

    await page.setInputFiles("#text-file", utf8);
    await page.waitForFunction(() => document.getElementById("text-info").textContent.startsWith("song.txt"));
    assert.is(await page.$("#status.error"), null, "the error stayed after a good file was chosen");
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    // The prime left from an earlier test has letters this text lacks: said where the sample goes.
    await page.waitForSelector("#sample-text.error");
    assert.match(await text("#sample-text"), `not in the model's vocabulary: "T" (U+0054)`);
    await page.click("#stop");
    await page.waitForSelector("body[data-state=stopped]");
    assert.match(await text("#text-info"), `song.txt: ${song.length} characters`);
    assert.match(await text("#status"), "Stopped at iteration");
    assert.is(await page.$eval("#model-settings", (el) => el.disabled), true);
  });

  demo("on a phone (390 px) the chart and the sample come first once training, and every control is 44 px tall", async () => {
    const page = await openDemo(390, 844);
    try {
      const short = await page.$$eval("button, input, select", (els) => els
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => [el.id, el.getBoundingClientRect().height])
        .filter(([, h]) => h < 44));
      assert.equal(short, [], "controls shorter than 44 px");
      await page.click("#start");
      await page.waitForSelector("body[data-state=training]");
      await page.waitForFunction(() => document.querySelector("#sample-text .continuation").textContent.length > 0);
      await page.click("#stop");
      await page.waitForSelector("body[data-state=stopped]");
      await page.evaluate(() => window.scrollTo(0, 0));
      const top = (selector) => page.$eval(selector, (el) => el.getBoundingClientRect().top);
      const [controls, chart, sample, settings] = [await top("#controls"), await top("#chart"), await top("#sample-text"), await top("#settings")];
      assert.ok(controls < chart && chart < sample && sample < settings, `order: controls ${controls}, chart ${chart}, sample ${sample}, settings ${settings}`);
      assert.ok(sample < 844, `the sample starts at ${sample} px, below the first screen`);
      await page.screenshot({ path: SCREENSHOT_PHONE, fullPage: true });
      console.log(`  screenshot: ${SCREENSHOT_PHONE} (chart at ${chart.toFixed(0)} px, sample at ${sample.toFixed(0)} px)`);
    } finally {
      await page.close();
    }
  });

  demo("docs: worker.js trains in a module worker and samples what Node samples", async () => {
    // What a bundler does with the bare name: point it at the package's browser entry.
    const source = snippet("worker.js").replace('"minrnn"', JSON.stringify(new URL("/dist/index.js", ctx.server.url).href))
      .replace('"minrnn/corpus"', JSON.stringify(new URL("/dist/corpus.js", ctx.server.url).href));
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
    const corpusEntry = new URL("/dist/corpus.js", ctx.server.url).href;
    const result = await ctx.page.evaluate(async ([url, corpusUrl]) => {
      const { corpus } = await import(corpusUrl);
      const t0 = performance.now();
      const { init, CharRNN } = await import(url);
      await init();
      const t1 = performance.now();
      const model = CharRNN.create({ text: corpus, hidden: 64, seed: 7 });
      const t2 = performance.now();
      const vocabSize = model.vocab.size;
      model.dispose();
      return { initMs: t1 - t0, createMs: t2 - t1, vocabSize };
    }, [entry, corpusEntry]);
    console.log(`  chromium cold start: import + init ${result.initMs.toFixed(1)} ms, create ${result.createMs.toFixed(1)} ms`);
    assert.is(result.vocabSize, new Set(corpus).size);
  });

  demo("no errors in the page's console", () => {
    assert.equal(ctx.problems, []);
  });
}

demo.run();
