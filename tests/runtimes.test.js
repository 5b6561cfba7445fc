// Same bytes everywhere: scripts (tests/runtimes/*.mjs) under Node, Deno and Bun, each
// importing the installed tarball through its own export condition; and the snippets of
// the README, run as a reader would run them. Deno and Bun come from .tools/ (npm run
// tools); where one is absent, it is left out with a notice and Node runs alone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";
import { snippet, snippetSample } from "./snippets.js";
import { toolCommand } from "./tools.js";

const deno = toolCommand("deno", "the Deno runs of the runtime tests");
const bun = toolCommand("bun", "the Bun runs of the runtime tests");
// The commands the README gives.
const RUNTIMES = {
  node: { command: [process.execPath], entry: "dist/node/index.js" },
  ...(deno && { deno: { command: [deno, "run", "--allow-read"], entry: "dist/index.js" } }),
  ...(bun && { bun: { command: [bun], entry: "dist/index.js" } }),
};

/** Runs `code` as `file` in the consumer project under `runtime`; returns its stdout. */
function run(runtime, file, code) {
  const { dir } = installedPackage();
  writeFileSync(join(dir, file), code);
  const [command, ...args] = RUNTIMES[runtime].command;
  return execFileSync(command, [...args, file], { cwd: dir, encoding: "utf8", env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" } });
}

/** Runs tests/runtimes/`file` under every runtime; returns each one's parsed output. */
function everywhere(file) {
  const script = readFileSync(join(root, "tests/runtimes", file), "utf8");
  return Object.fromEntries(Object.keys(RUNTIMES).map((name) => [name, JSON.parse(run(name, file, script))]));
}

test("Node, Deno and Bun: the same checkpoint digest and seeded sample for each cell, each through its own entry", () => {
  const results = everywhere("same-bytes.mjs");
  for (const [name, r] of Object.entries(results)) {
    assert.ok(r.entry.endsWith(`/node_modules/minrnn/${RUNTIMES[name].entry}`), `${name} resolved ${r.entry}`);
    for (const cell of ["rnn", "lstm", "gru"]) {
      const got = r[cell], expected = results.node[cell];
      assert.is(got.sha256, expected.sha256, `${name} ${cell} digest`);
      assert.is(got.sample, expected.sample, `${name} ${cell} sample`);
      assert.is(got.smoothLoss, expected.smoothLoss, `${name} ${cell} smooth loss`);
      assert.is(got.loadedSample, got.sample, `${name} ${cell}: the loaded checkpoint samples differently`);
    }
  }
  assert.is.not(results.node.lstm.sha256, results.node.gru.sha256, "the cells trained different models");
  const times = Object.entries(results).map(([n, r]) => `${n} ${r.initMs.toFixed(1)} + ${r.rnn.createMs.toFixed(1)} ms (load ${r.rnn.loadMs.toFixed(1)} ms)`);
  console.log(`  cold start, init + create: ${times.join(", ")}`);
});

test("Node, Deno and Bun: minrnn/threads trains on two threads to the bytes of one, vanilla and LSTM", () => {
  const results = everywhere("threads-bytes.mjs");
  for (const [name, r] of Object.entries(results)) {
    assert.ok(r.entry.endsWith("/node_modules/minrnn/dist/node/threads.js"), `${name} resolved ${r.entry}`);
    for (const cell of ["rnn", "lstm"]) {
      assert.is(r[cell].two, r[cell].one, `${name} ${cell}: two threads differ from one`);
      assert.is(r[cell].one, results.node[cell].one, `${name} ${cell} digest`);
    }
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
