// The fused build (init({ arithmetic: "fma" }), minrnn.fma.wasm): the same bytes under
// Node with relaxed SIMD, Deno and Chromium, from the installed package; the numpy and
// PyTorch parity suites pass under it; a runtime without relaxed SIMD is told what to
// do; a checkpoint records its arithmetic and resumes under the other one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { init, CharRNN, MinrnnError } from "minrnn";
import { corpus } from "minrnn/corpus";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";
import { toolCommand } from "./tools.js";
import { serve } from "../examples/serve.js";

const FLAG = "--experimental-wasm-relaxed-simd";   // Node 20; later versions have relaxed SIMD on
const SCRIPT = readFileSync(join(root, "tests/runtimes/fused-bytes.mjs"), "utf8");
const CHROMIUM = "/usr/bin/chromium";
const relaxedHere = WebAssembly.validate(readFileSync(join(root, "build/minrnn.fma.wasm")));
const deno = toolCommand("deno", "the fused build's Deno run");

/** fused-bytes.mjs's output under `command` in the consumer project. */
function runIn(command) {
  const { dir } = installedPackage();
  writeFileSync(join(dir, "fused-bytes.mjs"), SCRIPT);
  const [bin, ...args] = command;
  return JSON.parse(execFileSync(bin, [...args, "fused-bytes.mjs"], { cwd: dir, encoding: "utf8", env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" } }));
}

/** fused-bytes.mjs's fusedRun() in a Chromium page, the package served from the repository. */
async function inChromium() {
  const { chromium } = await import("playwright-core");
  const server = await serve({ root });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"] });
  try {
    const page = await browser.newPage();
    await page.goto(new URL("/tests/runtimes/", server.url).href).catch(() => {});   // any page of the origin
    await page.setContent(`<script type="importmap">{"imports":{"minrnn":"/dist/index.js"}}</script>`);
    return await page.evaluate(async (src) => {
      const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
      return (await import(url)).fusedRun();
    }, SCRIPT.replaceAll('from "minrnn/corpus"', `from "${new URL("/dist/corpus.js", server.url).href}"`).replaceAll('from "minrnn"', `from "${new URL("/dist/index.js", server.url).href}"`));
  } finally {
    await browser.close();
    server.server.close();
  }
}

test("the fused build gives the same bytes under Node (with relaxed SIMD), Deno and Chromium, and other bytes than the default build", async () => {
  const results = { node: runIn([process.execPath, FLAG]) };
  if (deno) results.deno = runIn([deno, "run", "--allow-read"]);
  if (existsSync(CHROMIUM)) results.chromium = await inChromium();
  else console.log(`  fma: Chromium left out: no ${CHROMIUM} (apt-get install chromium)`);
  for (const [runtime, r] of Object.entries(results)) {
    for (const cell of ["rnn", "lstm", "gru"]) {
      assert.is(r[cell].arithmetic, "fma", `${runtime} ${cell}: the model records the fused arithmetic`);
      assert.is(r[cell].sha256, results.node[cell].sha256, `${runtime} ${cell}: digest`);
    }
  }
  await init();
  const lstm = CharRNN.create({ text: corpus, cell: "lstm", layers: 2, hidden: 32, seqLength: 20, batch: 8, seed: 7, optimizer: "adam" });
  lstm.train({ iterations: 20 });
  const digest = Buffer.from(await crypto.subtle.digest("SHA-256", lstm.save())).toString("hex");
  assert.is.not(digest, results.node.lstm.sha256, "the default build's bytes differ: the fused build was in use");
  assert.ok(Math.abs(lstm.loss - results.node.lstm.loss) <= 1e-4 * lstm.loss, `losses ${lstm.loss} and ${results.node.lstm.loss}`);
  lstm.dispose();
});

test("the numpy and PyTorch parity suites pass under the fused build, at their tolerances", () => {
  const r = spawnSync(process.execPath, [FLAG, join(root, "node_modules/uvu/bin.js"), "tests", "(^|/)(parity|torch-parity)\\.test\\.js$"],
    { cwd: root, encoding: "utf8", env: { ...process.env, MINRNN_ARITHMETIC: "fma", FORCE_COLOR: "0" } });
  const plain = r.stdout.replace(/\x1b\[[0-9;]*m/g, "");
  assert.is(r.status, 0, `the parity suites under the fused build:\n${plain.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  assert.match(plain, /Total:\s+91\s+Passed:\s+91/, "both suites ran, every test passed");
});

test("without relaxed SIMD, init({ arithmetic: \"fma\" }) says so and names Node 20's flag; an unknown arithmetic is refused", async () => {
  const expectRefusal = async (options, code, pattern) => {
    try {
      await init(options);
    } catch (e) {
      assert.instance(e, MinrnnError);
      assert.is(e.code, code);
      assert.match(e.message, pattern);
      return;
    }
    assert.unreachable(`init(${JSON.stringify(options)}) was accepted`);
  };
  await expectRefusal({ arithmetic: "fast" }, "INVALID_ARGUMENT", /"mul-add" \(the default\) or "fma", got "fast"/);
  if (relaxedHere) console.log("  fma: this runtime has relaxed SIMD, so its refusal is checked in a child process without it");
  const r = spawnSync(process.execPath, ["--no-experimental-wasm-relaxed-simd", "--input-type=module", "-e",
    `import { init } from "minrnn"; try { await init({ arithmetic: "fma" }); console.log("accepted"); } catch (e) { console.log(e.code + ": " + e.message); }`],
    { cwd: root, encoding: "utf8" });
  assert.match(r.stdout, /^UNSUPPORTED: the fma arithmetic needs WebAssembly relaxed SIMD, which this runtime lacks: Node 20 has it with --experimental-wasm-relaxed-simd/);
});

test("a checkpoint records its arithmetic (absent: mul-add) and resumes under the other one", () => {
  const code = `import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";
    await init({ arithmetic: "fma" });
    const m = CharRNN.create({ text: corpus, hidden: 16, seqLength: 10, seed: 3 });
    m.train({ iterations: 5 });
    process.stdout.write(Buffer.from(m.save()).toString("base64"));`;
  const fused = Buffer.from(execFileSync(process.execPath, [FLAG, "--input-type=module", "-e", code], { cwd: root, encoding: "utf8" }), "base64");
  const header = (bytes) => JSON.parse(Buffer.from(bytes.subarray(8, 8 + Number(Buffer.from(bytes).readBigUInt64LE(0)))).toString("utf8"));
  assert.is(JSON.parse(header(fused).__metadata__.config).arithmetic, "fma");
  const resumed = CharRNN.load(fused, { text: corpus });
  assert.is(resumed.config.arithmetic, "mul-add", "training goes on with this process's build");
  resumed.train({ iterations: 5 });
  assert.is(resumed.iteration, 10);
  assert.ok(Number.isFinite(resumed.loss));
  assert.is(JSON.parse(header(resumed.save()).__metadata__.config).arithmetic, "mul-add", "the save records the arithmetic that trained last");
  resumed.dispose();
});

test.run();
