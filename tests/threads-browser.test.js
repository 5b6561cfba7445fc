// minrnn/threads in real headless Chromium: training on 2 Web Workers over a
// SharedArrayBuffer when the page is cross-origin isolated gives the checkpoint bytes of
// Node's model.train(); without the COOP/COEP headers "auto" trains on one thread and says
// why, and asking for 2 is refused. The page is tests/browser-threads/. Needs the Debian
// package `chromium`; skipped with a notice where it is absent.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { createHash } from "node:crypto";
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";
import { root } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const PAGE = "/tests/browser-threads/index.html";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm" };
const ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
const CONFIG = { cell: "lstm", layers: 2, hidden: 32, seqLength: 16, batch: 4, seed: 5, dropout: 0.1, optimizer: "adam", learningRate: 2e-3, clipNorm: 1 };
const ITERATIONS = 60;

/** A static server of the repository, with the isolation headers or without. */
function serve(isolated) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const file = resolve(base, `.${decodeURIComponent(new URL(req.url, "http://localhost").pathname)}`);
    if (!file.startsWith(base + sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", ...(isolated ? ISOLATION : {}) }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ready) => server.listen(0, "127.0.0.1", () => ready({ server, url: `http://localhost:${server.address().port}` })));
}

if (!existsSync(CHROMIUM)) {
  test("skipped", () => console.log(`  skipped the browser threads tests: no ${CHROMIUM} (apt-get install chromium)`));
} else {
  const { chromium } = await import("playwright-core");
  await init();
  const node = CharRNN.create({ text: corpus, ...CONFIG });
  node.train({ iterations: ITERATIONS });
  const expected = createHash("sha256").update(node.save()).digest("hex");
  node.dispose();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });

  /** Opens the page on a server with or without isolation; resolves to what its trainer posted. */
  async function train(isolated, threads) {
    const { server, url } = await serve(isolated);
    const page = await browser.newPage();
    try {
      const query = new URLSearchParams({ threads: String(threads), config: JSON.stringify(CONFIG), iterations: String(ITERATIONS) });
      await page.goto(`${url}${PAGE}?${query}`);
      await page.waitForSelector("body[data-result]", { state: "attached", timeout: 60000 });
      return JSON.parse(await page.getAttribute("body", "data-result"));
    } finally {
      await page.close();
      server.close();
    }
  }

  test("cross-origin isolated: 2 Web Workers train to the checkpoint bytes of Node's model.train()", async () => {
    const r = await train(true, 2);
    assert.is(r.error, undefined, r.error);
    assert.is(r.isolated, true);
    assert.is(r.threads, 2);
    assert.is(r.sha256, expected);
    console.log(`  Chromium, 2 Web Workers: ${r.charsPerSec} chars/s`);
  });

  test('cross-origin isolated: "auto" takes navigator.hardwareConcurrency, at most the shards, to the same bytes', async () => {
    const r = await train(true, "auto");
    assert.is(r.error, undefined, r.error);
    assert.ok(r.threads >= 1 && r.threads <= CONFIG.batch, String(r.threads));
    assert.is(r.reason, null);
    assert.is(r.sha256, expected);
  });

  test('not isolated: "auto" trains on one thread and says why; 2 threads are refused with the reason', async () => {
    const auto = await train(false, "auto");
    assert.is(auto.error, undefined, auto.error);
    assert.is(auto.isolated, false);
    assert.is(auto.threads, 1);
    assert.match(auto.reason, /not cross-origin isolated \(it needs the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)/);
    assert.is(auto.sha256, expected);
    const two = await train(false, 2);
    assert.match(two.error, /INVALID_ARGUMENT threads: 2 cannot run here: this page is not cross-origin isolated/);
  });

  test.after(() => browser.close());
}

test.run();
