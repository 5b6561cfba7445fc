// The browser demo (examples/browser) in real headless Chromium, driven as a person
// would, at 1280×800 and on phones (390×844, 320 px): the first screen, training, stop,
// download, loads good and bad, the discard guard, the autosave, the text, keyboard and
// screen-reader behaviour, training on 2 Web Workers and on one where the page is not
// cross-origin isolated. Needs the Debian package `chromium` (.ci/run installs it);
// skipped with a notice where it is absent. Screenshots go to tests/output/.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";
import { root } from "./helpers.js";
import { launchChromium } from "./chromium.js";
import { serve, DEMO_PATH } from "../examples/serve.js";
import { holdOut } from "../examples/browser/split.js";
import { trainedTextLength } from "../examples/browser/checkpoint-info.js";
import { snippet, snippetSample } from "./snippets.js";
import { runCli } from "./cli-run.js";

const OUTPUT = join(root, "tests/output");
const SCREENSHOTS = {
  first: join(OUTPUT, "browser-demo-1280-first-visit.png"),
  trained: join(OUTPUT, "browser-demo-1280-stopped.png"),
  problem: join(OUTPUT, "browser-demo-1280-sampling-only.png"),
  confirm: join(OUTPUT, "browser-demo-1280-confirm.png"),
  lstm: join(OUTPUT, "browser-demo-lstm-1280.png"),
  threads: join(OUTPUT, "browser-demo-1280-two-threads.png"),
  oneThread: join(OUTPUT, "browser-demo-1280-not-isolated.png"),
  phoneFirst: join(OUTPUT, "browser-demo-390-first-visit.png"),
  phone: join(OUTPUT, "browser-demo-390-training.png"),
};
const STOP_MS = 100; // the bound for Stop at hidden 1024
const DEFAULTS = { hidden: 100, seqLength: 25, learningRate: 0.1, clipNorm: 5, seed: 42 }; // the page's
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** What the page's worker trains: the same split of the same text, the same settings. */
function nodeModel(config, text = corpus) {
  const { train, validation } = holdOut(text, config.seqLength ?? 25);
  return CharRNN.create({ text: train, validation, ...config });
}

const demo = suite("browser demo");
const browser = await launchChromium("the browser demo tests");

if (!browser) {
  demo("skipped", () => {});
} else {
  await init();
  const ctx = { browser };

  /** A page on the demo at `width` px, its console errors collected in ctx.problems. */
  async function openDemo(width, height, context = ctx.context) {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
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
    ctx.context = await browser.newContext({ acceptDownloads: true });
    ctx.problems = [];
    ctx.page = await openDemo(1280, 800);
  });

  demo.after(async () => {
    await browser.close();
    ctx.server?.server.close();
  });

  const text = (selector, page = ctx.page) => page.textContent(selector);
  const number = async (id) => Number((await text(`#${id}`)).replaceAll(",", ""));
  const setValue = (id, value, page = ctx.page) => page.$eval(`#${id}`, (el, v) => {
    el.value = v;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, String(value));
  const iterationAtLeast = (n) => ctx.page.waitForFunction((min) => Number(document.getElementById("iteration").textContent.replaceAll(",", "")) >= min, n);
  const chartLabel = () => ctx.page.getAttribute("#chart", "aria-label");
  const focused = (page = ctx.page) => page.evaluate(() => document.activeElement?.id);
  /** Waits for the status line to start with `prefix`; a timeout says what it said instead. */
  const statusStartsWith = (prefix, page = ctx.page) => page.waitForFunction((p) => document.getElementById("status").textContent.startsWith(p), prefix)
    .catch(async (err) => {
      throw new Error(`the status never started with ${JSON.stringify(prefix)}; it says ${JSON.stringify(await text("#status", page))} (${err.message.split("\n")[0]})`);
    });
  /** New model, confirming the discard where the page asks. */
  const discard = async () => {
    if (!(await ctx.page.isEnabled("#reset"))) return; // no model
    await ctx.page.click("#reset");
    if (await ctx.page.isVisible("#confirm-discard")) await ctx.page.click("#confirm-discard button[value=discard]");
    await ctx.page.waitForSelector("body:not([data-model])");
  };
  const openAdvanced = () => ctx.page.$eval("#advanced", (el) => (el.open = true));
  const stop = async () => {
    await ctx.page.click("#stop");
    await ctx.page.waitForSelector("body[data-state=stopped]");
  };

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

  /** Lines of the sample's text drawn inside the first screen (the viewport from the top of the page). */
  const sampleLinesInFirstScreen = (page = ctx.page) => page.evaluate(() => {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById("sample-text"));
    const box = document.getElementById("sample-text").getBoundingClientRect();
    const tops = new Set([...range.getClientRects()].filter((r) => r.height > 0 && r.bottom <= Math.min(innerHeight, box.bottom) + 1).map((r) => Math.round(r.top)));
    return tops.size;
  });

  /** Every live region on the page: ARIA ones and the elements that are live by their role (output). */
  const liveRegions = (page = ctx.page) => page.$$eval("[aria-live], [role=status], [role=alert], [role=log], output", (els) => els.map((el) => el.id));

  demo("the first screen leads with one action, says what will happen, shows the corpus; the settings wait under Advanced", async () => {
    const { page } = ctx;
    assert.is(await text("#start"), "Train on the built-in plays");
    const primaries = await page.$$eval("button.primary", (els) => els.filter((el) => el.getClientRects().length > 0).map((el) => el.id));
    assert.equal(primaries, ["start"], "one primary action");
    assert.match(await text("#lede"), "It reads about 31 KB of short plays");
    assert.match(await text("#sample-text"), corpus.slice(0, 200));
    assert.match(await text("#sample-caption"), "The first lines of the built-in plays, which the model will read");
    assert.is(await page.$eval("#advanced", (el) => el.open), false);
    assert.is(await page.isVisible("#hidden"), false, "the hyperparameters are not on the first screen");
    assert.ok(await page.isVisible("#try-trained"));
    assert.is(await page.evaluate(() => crossOriginIsolated), true, "npm run demo serves COOP and COEP, and the page still works");
    await page.screenshot({ path: SCREENSHOTS.first });
    console.log(`  screenshot: ${SCREENSHOTS.first}`);
  });

  demo("every control and landmark has a unique name; one live region", async () => {
    const names = await ctx.page.evaluate(() => {
      const nameOf = (el) => (el.getAttribute("aria-label") ?? (el.labels?.[0]?.textContent ?? el.textContent)).trim().replace(/\s+/g, " ");
      const controls = [...document.querySelectorAll("button, input:not([hidden]), select, textarea")].map(nameOf);
      const landmarks = [...document.querySelectorAll("section, [role=group], [role=region]")].map((el) => {
        const by = el.getAttribute("aria-labelledby");
        return by ? document.getElementById(by).textContent.trim() : el.getAttribute("aria-label");
      });
      return { controls, landmarks };
    });
    for (const [kind, list] of Object.entries(names)) {
      const repeated = list.filter((n, i) => list.indexOf(n) !== i);
      assert.equal(repeated, [], `${kind} named alike: ${repeated}`);
      assert.ok(list.every((n) => n), `${kind} without a name`);
    }
    assert.equal(await liveRegions(), ["status"]);
  });

  demo("trains in a worker: focus moves to Stop, the loss falls, live samples fill the first screen, nothing floods the live region", async () => {
    const { page } = ctx;
    await setValue("prime", "The ");
    await page.focus("#start");
    await page.keyboard.press("Enter");
    await page.waitForSelector("body[data-state=training]");
    assert.is(await focused(), "stop", "focus moves to Stop when Start disables itself");
    assert.equal([await text("#threads"), await text("#threads-why")], ["1", "(batch 1 has one shard)"], "auto at batch 1: one thread, and why");
    assert.is(await page.isVisible("#threads-note"), false, "the page is isolated: no reason to give");
    // Mutations of the live region over 3 s of training: the start was announced, nothing since.
    const announcements = await page.evaluate(() => new Promise((done) => {
      let count = 0;
      const watch = new MutationObserver((records) => (count += records.length));
      for (const el of document.querySelectorAll("[aria-live], [role=status], [role=alert], output")) watch.observe(el, { childList: true, subtree: true, characterData: true });
      setTimeout(() => done(count), 3000);
    }));
    assert.is(announcements, 0, `${announcements} live-region mutations in 3 s of training`);
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
    const lines = await sampleLinesInFirstScreen();
    assert.ok(lines >= 8, `${lines} lines of sample in the first screen at 1280×800`);
    const [sampleTop, chartTop] = [await page.$eval("#sample-text", (el) => el.getBoundingClientRect().top), await page.$eval("#chart", (el) => el.getBoundingClientRect().top)];
    assert.ok(sampleTop < chartTop, "the sample comes before the chart");
    console.log(`  ${lines} lines of sample in the first screen at 1280×800`);
  });

  demo("the loss has meaning: validation beside training, ln V, epochs, nats and bits per character, the CLI's figure in a tooltip", async () => {
    const { page } = ctx;
    await page.waitForFunction(() => document.getElementById("validation").textContent !== "–");
    const V = new Set(corpus).size;
    assert.match(await chartLabel(), new RegExp(`^Loss per character: [\\d.]+ nats at iteration [\\d,]+, from [\\d.]+ at iteration [\\d,]+; validation [\\d.]+ at iteration [\\d,]+; a random guess scores ${Math.log(V).toFixed(3)}$`));
    // Read at once: training goes on meanwhile.
    const [nats, bits, title] = await page.evaluate(() => [Number(document.getElementById("loss").textContent), document.getElementById("bits").textContent, document.getElementById("loss").title]);
    assert.ok(Math.abs(parseFloat(bits) - nats / Math.LN2) < 0.002 && bits.endsWith(" bits/char"), `${bits} for ${nats} nats/char`);
    assert.match(title, /^[\d.]+ per 25-character window: the figure minrnn train prints/);
    const windowLoss = Number(title.split(" ")[0]);
    assert.ok(Math.abs(windowLoss / 25 - nats) < 0.001, `tooltip ${windowLoss} against ${nats} nats/char`);
    const epoch = Number(await text("#epoch"));
    const iteration = await number("iteration");
    const trainLength = [...holdOut(corpus, 25).train].length;
    assert.ok(Math.abs(epoch - (iteration * 25) / trainLength) < 0.5, `epoch ${epoch} at iteration ${iteration}`);
    assert.ok(await page.isVisible(".legend"));
  });

  demo("a failed load, chosen by keyboard, changes nothing: plain words first, the details folded, the model card kept", async () => {
    const { page } = ctx;
    const png = join(OUTPUT, "picture.png");
    // A PNG's signature read as a safetensors header length: 727905341920923785, above 2^53.
    writeFileSync(png, Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(64)]));
    const start = (await chartLabel()).split(", from ")[1].split(";")[0];
    const card = await text("#model-about");

    // Listening first: the chooser opens as Enter is handled, before a later listener is set up.
    const chooserOpened = page.waitForEvent("filechooser");
    await page.click("header h1"); // Tab starts from the top of the page
    let tabs = 0;
    while ((await focused()) !== "load") {
      assert.ok(++tabs <= 30, "30 presses of Tab did not reach Load checkpoint");
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    const chooser = await chooserOpened;
    const before = await number("iteration");
    await chooser.setFiles(png);
    await page.waitForSelector("#status.error");
    assert.is(await text("#status"), "picture.png isn't a minrnn checkpoint; nothing was changed.");
    assert.is(await page.$eval("#status-details", (el) => !el.hidden && !el.open), true, "the details are there, folded");
    assert.match(await text("#status-detail-text"), "its header length field says 727905341920923785 bytes");
    assert.is(await page.getAttribute("body", "data-state"), "training");
    // A truncated checkpoint: said as damaged, the library's own message in the details.
    const cut = join(OUTPUT, "cut.safetensors");
    const small = CharRNN.create({ text: corpus, hidden: 8 });
    writeFileSync(cut, small.save().subarray(0, 100));
    small.dispose();
    await page.setInputFiles("#checkpoint-file", cut);
    await statusStartsWith("cut.safetensors ");
    assert.is(await text("#status"), "cut.safetensors is a damaged or incomplete minrnn checkpoint; nothing was changed.");
    assert.match(await text("#status-detail-text"), "(the file is truncated)");
    assert.is(await page.getAttribute("body", "data-state"), "training");
    assert.is(await text("#model-about"), card, "an error does not overwrite the current model's card");
    await iterationAtLeast(before + 50);
    assert.is((await chartLabel()).split(", from ")[1].split(";")[0], start, "the chart lost its start");
    console.log(`  Tab reached Load checkpoint in ${tabs} presses from the top of the page`);
  });

  demo("Stop: focus returns to Start, the rate clears, the model's numbers stay, the status says where it stopped", async () => {
    const { page } = ctx;
    await page.focus("#stop");
    await page.keyboard.press("Enter");
    await page.waitForSelector("body[data-state=stopped]");
    assert.is(await focused(), "start", "focus returns to Start when Stop disables itself");
    assert.is(await text("#start"), "Continue training");
    ctx.iteration = await number("iteration");
    assert.is(await text("#speed"), "–");
    assert.is(await text("#status"), `Stopped at iteration ${ctx.iteration.toLocaleString("en-US")}. Continue training goes on from here.`);
    await page.screenshot({ path: SCREENSHOTS.trained });
    console.log(`  screenshot: ${SCREENSHOTS.trained} (stopped at iteration ${ctx.iteration})`);
  });

  demo("a downloaded checkpoint has the library's bytes for the same split and settings; the page confirms its name, size and how to sample it", async () => {
    const { page } = ctx;
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const fromBrowser = readFileSync(await download.path());
    const model = nodeModel(DEFAULTS);
    model.train({ iterations: ctx.iteration });
    const fromNode = model.save();
    model.dispose();
    const name = `minrnn-iter${ctx.iteration}.safetensors`;
    assert.is(download.suggestedFilename(), name);
    assert.is(sha256(fromBrowser), sha256(fromNode), `checkpoints differ after ${ctx.iteration} iterations`);
    assert.is(await text("#status"), `Downloaded ${name} (${(fromBrowser.length / 1024).toFixed(1)} KB). The command line reads it: npx minrnn sample ${name}`);
    // As the page says: the command line samples it.
    const file = join(OUTPUT, name);
    writeFileSync(file, fromBrowser);
    const sampled = runCli(["sample", file, "--length", "80", "--seed", "4"]);
    assert.is(sampled.status, 0, sampled.stderr);
    const again = CharRNN.load(fromBrowser);
    assert.is(sampled.stdout, again.sample({ length: 80, seed: 4 }), "the command writes the sample as drawn (no newline added off a terminal)");
    again.dispose();
  });

  demo("the model is autosaved to IndexedDB; a new visit offers to restore it, and leaving with unsaved work asks first", async () => {
    const { page } = ctx;
    // Train a little more (unsaved again), stop: the stop autosaves.
    await page.click("#start");
    await iterationAtLeast(ctx.iteration + 100);
    await stop();
    const iteration = await number("iteration");
    await page.waitForFunction(() => document.getElementById("model-about").textContent.includes("Autosaved in this browser"));

    // Leaving now would lose the iterations since the download: the page asks.
    const asked = page.waitForEvent("dialog");
    const leaving = page.close({ runBeforeUnload: true });
    const dialog = await asked;
    assert.is(dialog.type(), "beforeunload");
    await dialog.dismiss();
    await leaving;
    assert.is(page.isClosed(), false, "staying keeps the page");

    const visit = await openDemo(1280, 800);
    try {
      await visit.waitForSelector("#restore:not([hidden])");
      assert.match(await text("#restore-text", visit), `You have a model from your last visit: rnn hidden 100, seq 25, lr 0.1, clip-norm 5, vocabulary ${new Set(corpus).size}, iteration ${iteration.toLocaleString("en-US")}, trained on the built-in plays`);
      await visit.click("#restore-yes");
      await visit.waitForSelector("body[data-state=loaded]");
      assert.match(await text("#status", visit), `Loaded your last visit's model, iteration ${iteration.toLocaleString("en-US")}`);
      assert.is(await visit.isEnabled("#start"), true, "it resumes on its text");
    } finally {
      await visit.close();
    }
  });

  demo("loading over unsaved work asks first, Keep it keeps; then a 2-layer LSTM made in Node loads and samples what Node samples", async () => {
    const { page } = ctx;
    const before = await number("iteration"); // trained since its download: unsaved
    const model = CharRNN.create({ text: corpus, cell: "lstm", layers: 2, hidden: 32, seed: 11 });
    model.train({ iterations: 200 });
    const file = join(OUTPUT, "node-lstm.safetensors");
    writeFileSync(file, model.save());
    const options = { length: 240, temperature: 0.7, seed: 5, prime: "The lamp" };
    const expected = model.sample(options);
    model.dispose();

    await page.setInputFiles("#checkpoint-file", file);
    await page.waitForSelector("#confirm-discard[open]");
    assert.is(await text("#confirm-title"), "Replace this model with node-lstm.safetensors (iteration 200)?");
    await page.click("#confirm-discard button[value=cancel]");
    await page.waitForTimeout(300);
    assert.is(await number("iteration"), before, "Keep it keeps the model");
    assert.match(await text("#model-about"), "rnn hidden 100");

    await page.setInputFiles("#checkpoint-file", file);
    await page.waitForSelector("#confirm-discard[open]");
    await page.click("#confirm-discard button[value=discard]");
    await statusStartsWith("Loaded node-lstm.safetensors");
    assert.match(await text("#status"), /^Loaded node-lstm\.safetensors, iteration 200 \(lstm 2 layers of hidden 32, seq 25, lr 0\.1, vocabulary \d+\)\. Continue training resumes it\.$/);
    assert.is(await chartLabel(), "No loss yet");
    assert.ok(Number(await page.getAttribute("#chart", "data-previous-points")) > 1, "the previous run stays as a faint line");
    assert.equal([await page.inputValue("#cell"), await page.inputValue("#layers"), await page.inputValue("#hidden")], ["lstm", "2", "32"]);
    await setValue("temperature", options.temperature);
    await setValue("sample-length", options.length);
    await setValue("sample-seed", options.seed);
    await setValue("prime", options.prime);
    await page.click("#sample");
    await page.waitForFunction((t) => document.querySelector("#sample-text .continuation").textContent === t, expected);
    assert.is(await text("#sample-text .prime"), options.prime);
    assert.match(await text("#sample-caption"), "Sample at iteration 200. The prime is in bold");
    await setValue("temperature", 0.8);
    await setValue("sample-length", 600);
    await setValue("sample-seed", "");
    await setValue("prime", "The ");
  });

  demo("New model asks first when work would be lost; Keep it keeps, Download first downloads then discards; the run stays as a faint line", async () => {
    const { page } = ctx;
    const from = await number("iteration");
    await page.click("#start");
    await iterationAtLeast(from + 300);
    await stop();
    await page.click("#reset");
    await page.waitForSelector("#confirm-discard[open]");
    assert.match(await text("#confirm-text"), /^The model at iteration [\d,]+ has not been downloaded\./);
    await page.screenshot({ path: SCREENSHOTS.confirm });
    console.log(`  screenshot: ${SCREENSHOTS.confirm}`);
    await page.click("#confirm-discard button[value=cancel]");
    assert.ok(await page.$("body[data-model]"), "Keep it keeps the model");
    await page.click("#reset");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#confirm-discard button[value=download]")]);
    assert.match(download.suggestedFilename(), /^minrnn-iter\d+\.safetensors$/);
    await page.waitForSelector("body:not([data-model])");
    for (const id of ["iteration", "loss", "speed", "validation", "epoch"]) assert.is(await text(`#${id}`), "–", id);
    assert.is(await chartLabel(), "No loss yet");
    assert.ok(Number(await page.getAttribute("#chart", "data-previous-points")) > 1, "the previous run stays as a faint line");
    assert.is(await focused(), "start");
    assert.is(await page.$eval("#model-settings", (el) => el.disabled), false);
    // Nothing to lose now: New model is not offered, and a fresh Start needs no confirmation.
    assert.is(await page.isEnabled("#reset"), false);
  });

  demo("Try a trained model loads the shipped LSTM, made by the command in the README, and samples at once", async () => {
    const { page } = ctx;
    const file = join(root, "examples/browser/trained-lstm.safetensors");
    const bytes = readFileSync(file);
    assert.ok(bytes.length <= 120 * 1024, `${bytes.length} bytes`);
    // The documented command, flag by flag, against what the file records.
    const command = snippet("trained-lstm.sh").trim();
    const flags = Object.fromEntries([...command.matchAll(/--([\w-]+) (\S+)/g)].map(([, k, v]) => [k, v]));
    assert.is(flags.out, "examples/browser/trained-lstm.safetensors");
    const model = CharRNN.load(bytes);
    assert.equal(
      [model.config.cell, model.config.hidden, model.config.seed, model.iteration, trainedTextLength(bytes)],
      [flags.cell, Number(flags.hidden), Number(flags.seed), Number(flags.iters), [...holdOut(corpus, 25).train].length],
    );
    assert.is(Number(flags.val), 0.05, "held out as the page holds out, so the page resumes it exactly");
    const expected = model.sample({ length: 600, temperature: 0.8, seed: model.iteration });
    model.dispose();
    await setValue("prime", "");

    await page.click("#try-trained");
    await statusStartsWith("Loaded trained-lstm.safetensors");
    assert.match(await text("#status"), /^Loaded trained-lstm\.safetensors, iteration 60,000 \(lstm hidden 32, seq 25, lr 0\.1, vocabulary \d+\)\. Continue training resumes it\.$/);
    await page.waitForFunction((t) => document.querySelector("#sample-text .continuation").textContent === t, expected);
    assert.is(await page.isEnabled("#start"), true);
  });

  demo("a checkpoint trained on another text samples, says how long its text was and what resumes it; the text picker stays open", async () => {
    const { page } = ctx;
    const song = "Row, row, row your boat, gently down the stream. Merrily, merrily, life is but a dream. ".repeat(8);
    const songFile = join(OUTPUT, "song.txt");
    writeFileSync(songFile, song);
    const model = CharRNN.create({ text: song, hidden: 16, seed: 3 });
    model.train({ iterations: 100 });
    const file = join(OUTPUT, "song-model.safetensors");
    writeFileSync(file, model.save());
    const expected = model.sample({ length: 100, seed: 9 });
    model.dispose();

    await page.setInputFiles("#checkpoint-file", file);
    await statusStartsWith("Loaded song-model");
    const status = await text("#status");
    assert.match(status, `It can sample, but not train on the built-in plays: that text has characters the model has never seen. To resume training, choose its own text of ${song.length.toLocaleString("en-US")} characters under Your text.`);
    assert.match(await text("#status-detail-text"), `characters not in the vocabulary: "T" (U+0054)`);
    assert.not.match(status, "Continue training resumes", "the status does not contradict itself");
    assert.is(await page.isEnabled("#start"), false, "Start is off for a sampling-only model");
    assert.is(await page.isEnabled("#text-file"), true, "the text picker stays open");
    assert.match(await text("#model-about"), "Can sample; cannot train on the current text.");
    await setValue("temperature", 1);
    await setValue("sample-seed", 9);
    await setValue("sample-length", 100);
    await page.click("#sample");
    await page.waitForFunction((t) => document.querySelector("#sample-text .continuation").textContent === t, expected);
    await page.screenshot({ path: SCREENSHOTS.problem });
    console.log(`  screenshot: ${SCREENSHOTS.problem}`);

    // Its text: now it trains.
    await page.setInputFiles("#text-file", songFile);
    await page.waitForFunction(() => document.getElementById("status").textContent.includes("Continue training resumes it."));
    assert.is(await page.isEnabled("#start"), true);
    await page.click("#start");
    await iterationAtLeast(150);
    await stop();
    await setValue("sample-seed", "");
    await setValue("sample-length", 600);
    await setValue("temperature", 0.8);
  });

  demo("the jump of min-char-rnn's defaults near iteration 21k happens on the page too, and the page explains it", async () => {
    const { page } = ctx;
    await discard();
    // min-char-rnn exactly (no clip by norm) on the whole built-in text, just before the jump.
    const model = CharRNN.create({ text: corpus, hidden: 100, seqLength: 25, learningRate: 0.1, seed: 42 });
    model.train({ iterations: 21200 });
    const file = join(OUTPUT, "before-the-jump.safetensors");
    writeFileSync(file, model.save());
    model.dispose();
    // A text whose first 95%, the part the page trains on, is the built-in text: the
    // checkpoint resumes exactly where it was saved.
    const chars = [...corpus];
    let n = chars.length;
    while (n - Math.floor(n * 0.05) < chars.length) n++;
    await page.fill("#paste", corpus + chars.slice(0, n - chars.length).join(""));
    await page.click("#use-paste");
    await page.setInputFiles("#checkpoint-file", file);
    await statusStartsWith("Loaded before-the-jump.safetensors, iteration 21,200");
    assert.match(await text("#status"), "Continue training resumes it.");
    await page.click("#start");
    await page.waitForSelector("#loss-note:not([hidden])", { timeout: 30000 });
    const iteration = await number("iteration");
    await stop();
    const note = await text("#loss-note");
    assert.match(note, /^The loss has risen from 1\.72\d at iteration 21,2\d\d\. That is a gradient explosion/);
    assert.match(note, "Clip by norm (Advanced, 5 by default) prevents most of these");
    assert.ok(iteration > 21244 && iteration < 23000, `the rise was seen at iteration ${iteration}`);
    console.log(`  the loss rose past its lowest + 0.1 nats/char by iteration ${iteration}`);
    await discard();
    await page.click("#use-builtin");
  });

  demo("fields out of their limits are refused with what was typed, and nothing starts", async () => {
    const { page } = ctx;
    await discard();
    const cases = [
      ["hidden", "5000", `Hidden size must be a whole number from 1 to 1,024; you typed "5000".`],
      ["hidden", "abc", `Hidden size must be a whole number from 1 to 1,024; you typed "abc".`],
      ["seq-length", "2.5", `Sequence length must be a whole number from 1 to 1,000; you typed "2.5".`],
      ["learning-rate", "", "Learning rate must be a number from 0.0001 to 10; nothing was typed."],
      ["layers", "4", `Layers must be a whole number from 1 to 3; you typed "4".`],
      ["clip-norm", "0", `Clip by norm must be a number from 0.01 to 1,000; you typed "0".`],
      ["batch", "0", `Batch must be a whole number from 1 to 64; you typed "0".`],
      ["thread-count", "many", `Threads must be auto or a whole number from 1 to 16; you typed "many".`],
      ["sample-length", "1e9", `Length must be a whole number from 1 to 20,000; you typed "1e9".`],
    ];
    for (const [id, typed, message] of cases) {
      const good = await page.inputValue(`#${id}`);
      await setValue(id, typed);
      await page.click("#start");
      assert.is(await text("#status"), message, `${id} ${typed}`);
      assert.is(await page.getAttribute(`#${id}`, "aria-invalid"), "true");
      assert.is(await page.getAttribute("body", "data-state"), "ready", "nothing started");
      assert.is(await focused(), id, "the field is shown and focused, Advanced opened if need be");
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
    await discard();
    await setValue("hidden", 100);
    await setValue("learning-rate", 0.1);
  });

  demo("a loss that explodes stops training with a warning that suggests a lower learning rate", async () => {
    const { page } = ctx;
    await setValue("learning-rate", 10);
    await setValue("clip-norm", ""); // min-char-rnn exactly: nothing scales the gradient down
    await page.click("#start");
    await page.waitForSelector("#status.warning");
    assert.match(await text("#status"), /^The loss exploded: [\d.]+[KMBT]? nats per character, more than 3× the [\d.]+ it started at, so training stopped at iteration [\d,]+ \(char-rnn's rule\)\. Press New model and try a lower learning rate than 10\.$/);
    assert.is(await page.getAttribute("body", "data-state"), "stopped");
    await discard();
    await setValue("learning-rate", 0.1);
    await setValue("clip-norm", 5);
  });

  demo("an LSTM of 2 layers trains: the status says so, the loss falls, its checkpoint has the library's bytes", async () => {
    const { page } = ctx;
    await openAdvanced();
    await page.selectOption("#cell", "lstm");
    await setValue("layers", 2);
    await setValue("hidden", 64);
    await setValue("seed", 42);
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    assert.match(await text("#status"), /^Training on the built-in plays: lstm 2 layers of hidden 64, seq 25, lr 0\.1, clip-norm 5, /);
    await iterationAtLeast(300);
    const initialPerChar = Math.log(new Set(corpus).size);
    const perChar = await number("loss");
    assert.ok(perChar < initialPerChar - 0.2, `loss per character ${perChar} did not fall below ${(initialPerChar - 0.2).toFixed(3)}`);
    await stop();
    const iteration = await number("iteration");
    await page.screenshot({ path: SCREENSHOTS.lstm, fullPage: true });
    console.log(`  screenshot: ${SCREENSHOTS.lstm} (LSTM 2×64 stopped at iteration ${iteration}, full page)`);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const model = nodeModel({ ...DEFAULTS, cell: "lstm", layers: 2, hidden: 64 });
    model.train({ iterations: iteration });
    assert.is(sha256(readFileSync(await download.path())), sha256(model.save()), `LSTM checkpoints differ after ${iteration} iterations`);
    model.dispose();
    await page.click("#reset"); // downloaded: nothing to confirm
    await page.waitForSelector("body:not([data-model])");
    await page.selectOption("#cell", "rnn");
    await setValue("layers", 1);
    await setValue("hidden", 100);
  });

  demo("a text file or pasted text: refused if not UTF-8, otherwise shown, named on the button and trained on", async () => {
    const { page } = ctx;
    const latin1 = join(OUTPUT, "latin1.txt");
    writeFileSync(latin1, Buffer.from("caf\xe9 au lait ".repeat(20), "latin1"));
    await page.setInputFiles("#text-file", latin1);
    await page.waitForSelector("#status.error");
    assert.match(await text("#status"), "latin1.txt is not UTF-8 text");

    const pasted = "Twinkle, twinkle, little star, how I wonder what you are. ".repeat(10);
    await page.fill("#paste", pasted);
    await page.click("#use-paste");
    assert.is(await text("#start"), "Train on the pasted text");
    assert.match(await text("#text-info"), `the pasted text: ${pasted.length} characters.`);
    assert.match(await text("#sample-text"), pasted.slice(0, 100));
    await setValue("prime", "T"); // in this text
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    await iterationAtLeast(100);
    await stop();
    assert.match(await text("#model-about"), `Trains on the pasted text (${[...holdOut(pasted, 25).train].length} characters; 5% more held out for validation).`);
  });

  /** The page's Web Workers that are training threads (the demo's own worker is thread 0). */
  const threadWorkers = (page) => page.workers().filter((w) => w.url().endsWith("/dist/threads/web-worker.js")).length;
  /** Checks that the threads' workers end, within a second, once training has stopped `why`. */
  const threadsEnded = async (page, why) => {
    for (let waited = 0; threadWorkers(page) > 0 && waited < 1000; waited += 50) await page.waitForTimeout(50);
    assert.is(threadWorkers(page), 0, `thread workers left after ${why}`);
  };

  /** Sets batch and threads under Advanced, trains to at least `iterations`, stops; resolves to the stats read while training. */
  async function trainThreaded(page, { batch, threads, iterations, screenshot }) {
    await page.$eval("#advanced", (el) => (el.open = true));
    await setValue("batch", batch, page);
    await setValue("thread-count", threads, page);
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    await page.waitForFunction((min) => Number(document.getElementById("iteration").textContent.replaceAll(",", "")) >= min, iterations);
    await page.waitForFunction(() => document.getElementById("speed").textContent !== "–");
    await page.waitForFunction(() => document.getElementById("sample-caption").textContent.startsWith("Sample at iteration")); // for the screenshot
    const stats = await page.evaluate(() => ({
      threads: document.getElementById("threads").textContent,
      why: document.getElementById("threads-why").textContent,
      speed: Number(document.getElementById("speed").textContent.replaceAll(",", "")),
    }));
    assert.is(threadWorkers(page), Number(stats.threads) - 1, "the page's worker is thread 0 and starts the rest");
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: screenshot });
    await page.click("#stop");
    await page.waitForSelector("body[data-state=stopped]");
    await threadsEnded(page, "Stop");
    assert.equal([await text("#threads", page), await text("#speed", page)], ["–", "–"], "the count and the rate are of a running loop");
    return { ...stats, iteration: Number((await text("#iteration", page)).replaceAll(",", "")) };
  }

  /** Downloads the page's checkpoint and checks it has the bytes of Node's model.train() for `config`. */
  async function checkDownload(page, config, iteration) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const model = nodeModel({ ...DEFAULTS, ...config });
    model.train({ iterations: iteration });
    assert.is(sha256(readFileSync(await download.path())), sha256(model.save()), `checkpoints differ after ${iteration} iterations`);
    model.dispose();
  }

  demo("batch 2 on 2 Web Workers: the stats show 2 threads and chars/s, the checkpoint has the bytes of Node's one thread, the threads end on Stop and when the model is replaced", async () => {
    const { page } = ctx;
    await discard();
    if (await page.isEnabled("#use-builtin")) await page.click("#use-builtin");
    const run = await trainThreaded(page, { batch: 2, threads: 2, iterations: 500, screenshot: SCREENSHOTS.threads });
    assert.equal([run.threads, run.why], ["2", ""]);
    assert.ok(run.speed > 0, `chars/s ${run.speed}`);
    assert.is(await page.isVisible("#threads-note"), false);
    assert.match(await text("#model-about"), "rnn hidden 100, seq 25, batch 2, lr 0.1");
    console.log(`  screenshot: ${SCREENSHOTS.threads} (2 Web Workers at batch 2: ${run.speed} chars/s)`);
    await checkDownload(page, { batch: 2 }, run.iteration);

    // More threads than the batch has shards: as many as it has, and why.
    await page.click("#reset"); // downloaded: nothing to confirm
    await page.waitForSelector("body:not([data-model])");
    await page.goto(new URL(`${DEMO_PATH}?threads=4`, ctx.server.url).href);
    await page.waitForSelector("body[data-state=ready]");
    assert.is(await page.inputValue("#thread-count"), "4", "?threads=4 fills the field");
    await setValue("batch", 2);
    await page.click("#start");
    await page.waitForSelector("body[data-state=training]");
    assert.equal([await text("#threads"), await text("#threads-why")], ["2", "(batch 2 has 2 shards)"]);
    // A checkpoint loaded while the threads train replaces the model: they end first.
    const file = join(OUTPUT, "small-rnn.safetensors");
    const small = CharRNN.create({ text: corpus, hidden: 8 });
    writeFileSync(file, small.save());
    small.dispose();
    await iterationAtLeast(50); // trained since made: replacing it asks first
    await page.setInputFiles("#checkpoint-file", file);
    await page.click("#confirm-discard button[value=discard]");
    await statusStartsWith("Loaded small-rnn.safetensors");
    await threadsEnded(page, "the model was replaced");
    await discard();
    await setValue("hidden", 100); // the loaded model's settings were shown
    await setValue("clip-norm", 5);
    await setValue("batch", 1);
    await setValue("thread-count", "auto");
  });

  demo("not cross-origin isolated: one Web Worker even when 2 are asked for, the reason on the page, the same bytes", async () => {
    const plain = await serve({ root, isolated: false });
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      page.setDefaultTimeout(15000);
      page.on("pageerror", (e) => ctx.problems.push(e.message));
      await page.goto(new URL(`${DEMO_PATH}?threads=2`, plain.url).href);
      await page.waitForSelector("body[data-state=ready]");
      assert.is(await page.evaluate(() => crossOriginIsolated), false);
      const run = await trainThreaded(page, { batch: 2, threads: 2, iterations: 300, screenshot: SCREENSHOTS.oneThread });
      assert.equal([run.threads, run.why], ["1", "(not isolated)"]);
      assert.ok(run.speed > 0, `chars/s ${run.speed}`);
      assert.is(await text("#threads-note", page), "One thread: this page is not cross-origin isolated (it needs the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so it has no SharedArrayBuffer for threads to share.");
      assert.ok(await page.isVisible("#threads-note"), "the reason stays once training stops");
      console.log(`  screenshot: ${SCREENSHOTS.oneThread} (one Web Worker at batch 2: ${run.speed} chars/s)`);
      await checkDownload(page, { batch: 2 }, run.iteration);
    } finally {
      await context.close();
      plain.server.close();
    }
  });

  for (const [width, height] of [[390, 844], [320, 640]]) {
    demo(`on a phone (${width} px): nothing wider than the screen, 44 px controls, the chart unclipped, the sample in the first screen`, async () => {
      const phone = await browser.newContext(); // its own storage: a first visit
      const page = await openDemo(width, height, phone);
      try {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(overflow <= width, `the page is ${overflow} px wide at ${width}`);
        const short = await page.$$eval("button, input, select", (els) => els
          .filter((el) => el.getClientRects().length > 0 && el.closest("details:not([open])") === null)
          .map((el) => [el.id, el.getBoundingClientRect().height])
          .filter(([, h]) => h < 44));
        assert.equal(short, [], "controls shorter than 44 px");
        const fileButton = await page.$eval("#text-file", (el) => parseFloat(getComputedStyle(el, "::file-selector-button").minHeight));
        assert.ok(fileButton >= 44, `the file button's own height is ${fileButton} px`);
        const chart = await page.$eval("#chart", (el) => el.getBoundingClientRect());
        assert.ok(chart.left >= 0 && chart.right <= width, `the chart spans ${chart.left}–${chart.right}`);
        assert.ok(await page.isVisible("#paste"), "text can be pasted: on a phone a file is hard to come by");
        if (width === 390) {
          await page.screenshot({ path: SCREENSHOTS.phoneFirst });
          console.log(`  screenshot: ${SCREENSHOTS.phoneFirst}`);
        }
        await page.click("#start");
        await page.waitForSelector("body[data-state=training]");
        await page.waitForFunction(() => document.querySelector("#sample-text .continuation").textContent.length > 0);
        await page.waitForTimeout(1200); // the scroll to the sample is smooth
        const sample = await page.$eval("#sample-text", (el) => el.getBoundingClientRect());
        assert.ok(sample.top >= 0 && sample.top < height - 100, `the sample starts at ${sample.top} px of ${height}`);
        if (width === 390) {
          await page.screenshot({ path: SCREENSHOTS.phone });
          console.log(`  screenshot: ${SCREENSHOTS.phone} (training, scrolled to the sample)`);
        }
        await page.click("#stop");
        await page.waitForSelector("body[data-state=stopped]");
      } finally {
        await phone.close();
      }
    });
  }

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
