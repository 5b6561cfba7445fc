// Same bytes everywhere: scripts (tests/runtimes/*.mjs) under Node, Deno and Bun, each
// importing the installed tarball through its own export condition; and the snippets of
// the README, run as a reader would run them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";
import { snippet, snippetSample } from "./snippets.js";

const bin = (name) => join(root, "node_modules/.bin", name);
// The commands the README gives.
const RUNTIMES = {
  node: { command: [process.execPath], entry: "dist/node/index.js" },
  deno: { command: [bin("deno"), "run", "--allow-read"], entry: "dist/index.js" },
  bun: { command: [bin("bun")], entry: "dist/index.js" },
};

/** Runs `code` as `file` in the consumer project under `runtime`; returns its stdout. */
function run(runtime, file, code) {
  const { dir } = installedPackage();
  writeFileSync(join(dir, file), code);
  const [command, ...args] = RUNTIMES[runtime].command;
  return execFileSync(command, [...args, file], { cwd: dir, encoding: "utf8", env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" } });
}

test("Node, Deno and Bun: the same checkpoint digest and seeded sample, each through its own entry", () => {
  const script = readFileSync(join(root, "tests/runtimes/same-bytes.mjs"), "utf8");
  const results = Object.fromEntries(Object.keys(RUNTIMES).map((name) => [name, JSON.parse(run(name, "same-bytes.mjs", script))]));
  for (const [name, r] of Object.entries(results)) {
    assert.ok(r.entry.endsWith(`/node_modules/minrnn/${RUNTIMES[name].entry}`), `${name} resolved ${r.entry}`);
    assert.is(r.sha256, results.node.sha256, `${name} digest`);
    assert.is(r.sample, results.node.sample, `${name} sample`);
    assert.is(r.smoothLoss, results.node.smoothLoss, `${name} smooth loss`);
    assert.is(r.loadedSample, r.sample, `${name}: the loaded checkpoint samples differently`);
  }
  const times = Object.entries(results).map(([n, r]) => `${n} ${r.initMs.toFixed(1)} + ${r.createMs.toFixed(1)} ms (load ${r.loadMs.toFixed(1)} ms)`);
  console.log(`  cold start, init + create: ${times.join(", ")}`);
});

test("Node, Deno and Bun: minrnn/threads trains on two threads to the bytes of one", () => {
  const script = readFileSync(join(root, "tests/runtimes/threads-bytes.mjs"), "utf8");
  const results = Object.fromEntries(Object.keys(RUNTIMES).map((name) => [name, JSON.parse(run(name, "threads-bytes.mjs", script))]));
  for (const [name, r] of Object.entries(results)) {
    assert.ok(r.entry.endsWith("/node_modules/minrnn/dist/node/threads.js"), `${name} resolved ${r.entry}`);
    assert.is(r.two, r.one, `${name}: two threads differ from one`);
    assert.is(r.one, results.node.one, `${name} digest`);
  }
});

test("docs: app.mjs prints the same text under Node, Deno and Bun", async () => {
  const expected = `${await snippetSample()}\n`;
  for (const name of Object.keys(RUNTIMES)) assert.is(run(name, "app.mjs", snippet("app.mjs")), expected, name);
});

test("docs: init-module.mjs, init({ module }) with the bytes of minrnn/minrnn.wasm", async () => {
  assert.is(run("node", "init-module.mjs", snippet("init-module.mjs")), `${await snippetSample()}\n`);
});

test.run();
