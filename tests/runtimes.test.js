// Same bytes everywhere: one script (tests/runtimes/same-bytes.mjs) under Node, Deno and
// Bun, each importing the installed tarball through its own export condition.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";

const bin = (name) => join(root, "node_modules/.bin", name);
const RUNTIMES = {
  node: { command: [process.execPath], entry: "dist/node/index.js" },
  deno: { command: [bin("deno"), "run", "--allow-read", "--no-lock"], entry: "dist/index.js" },
  bun: { command: [bin("bun")], entry: "dist/index.js" },
};

function run(name) {
  const { dir } = installedPackage();
  copyFileSync(join(root, "tests/runtimes/same-bytes.mjs"), join(dir, "same-bytes.mjs"));
  const [command, ...args] = RUNTIMES[name].command;
  const out = execFileSync(command, [...args, "same-bytes.mjs"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" },
  });
  return JSON.parse(out);
}

test("Node, Deno and Bun: the same digest and seeded sample, each through its own entry", () => {
  const results = Object.fromEntries(Object.keys(RUNTIMES).map((name) => [name, run(name)]));
  for (const [name, r] of Object.entries(results)) {
    assert.ok(r.entry.endsWith(`/node_modules/minrnn/${RUNTIMES[name].entry}`), `${name} resolved ${r.entry}`);
    assert.is(r.sha256, results.node.sha256, `${name} digest`);
    assert.is(r.sample, results.node.sample, `${name} sample`);
    assert.is(r.smoothLoss, results.node.smoothLoss, `${name} smooth loss`);
  }
  const times = Object.entries(results).map(([n, r]) => `${n} ${r.initMs.toFixed(1)} + ${r.createMs.toFixed(1)} ms`);
  console.log(`  cold start (init + create): ${times.join(", ")}`);
});

test.run();
