// `minrnn train` keeps what it trained when the session goes: SIGHUP (a closed terminal,
// a dropped SSH session) and a reader that goes away stop it with a save, as Ctrl-C
// does, and it saves periodically (every 5 minutes by default; --checkpoint-every 1s
// here) so that even a killed run keeps its last save. JSON events carry the time.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { init, CharRNN } from "minrnn";
import { CLI, runCli, workspace } from "./cli-run.js";

await init();

const { root: work, fresh } = workspace("cli-saving");
const SMALL = ["--hidden", "8", "--seq", "10"];
test.after(() => rmSync(work, { recursive: true, force: true }));

/**
 * Starts an endless training run in `dir`; once `ready(stdout)` holds, calls `act(child)`.
 * Resolves with the exit code and the output.
 */
function trainUntil(dir, args, ready, act) {
  const child = spawn(process.execPath, [CLI, "train", "input.txt", ...SMALL, ...args], { cwd: dir, env: { ...process.env, MINRNN_DEBUG: "" } });
  let stdout = "", stderr = "", acted = false;
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`no exit; stderr: ${stderr}`)); }, 30000);
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!acted && ready(stdout)) {
        acted = true;
        act(child);
      }
    });
    child.on("exit", (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** The iteration of the checkpoint at path, loaded by the library (so: a complete file). */
function savedIteration(path) {
  const model = CharRNN.load(readFileSync(path));
  try {
    return model.iteration;
  } finally {
    model.dispose();
  }
}

test("SIGHUP finishes the chunk, saves, and exits 129", async () => {
  const dir = fresh();
  const r = await trainUntil(dir, ["--sample-every", "50", "--sample-len", "5"], (out) => /iter 100,/.test(out), (child) => child.kill("SIGHUP"));
  assert.is(r.code, 129, r.stderr);
  assert.match(r.stderr, /^minrnn: SIGHUP: saving after the current iterations\nminrnn: saved model\.safetensors after an interruption: iteration \d+/);
  assert.ok(savedIteration(join(dir, "model.safetensors")) > 100);
});

test("a hang-up with the terminal gone (every write fails) still saves, and exits 129", async () => {
  const dir = fresh();
  const r = await trainUntil(dir, ["--sample-every", "50", "--sample-len", "5"], (out) => /iter 100,/.test(out), (child) => {
    child.stdout.destroy();
    child.stderr.destroy();
    child.kill("SIGHUP");
  });
  assert.is(r.code, 129);
  assert.ok(savedIteration(join(dir, "model.safetensors")) > 100);
});

test("a reader that goes away (minrnn train | head) stops the run with a save", async () => {
  const dir = fresh();
  const r = await trainUntil(dir, ["--sample-every", "50", "--sample-len", "5"], (out) => /iter 100,/.test(out), (child) => child.stdout.destroy());
  assert.is(r.code, 129, r.stderr);
  assert.ok(savedIteration(join(dir, "model.safetensors")) > 100);
});

test("periodic saves: a killed run keeps the last one; atomically, to --out, with a checkpoint event", async () => {
  const dir = fresh();
  let event;
  const r = await trainUntil(dir, ["--checkpoint-every", "1s", "--sample-every", "0", "--json", "-o", "p.safetensors"],
    (out) => out.split("\n").slice(0, -1).some((line) => line.includes('"event":"checkpoint"') && (event = JSON.parse(line))),   // whole lines only
    (child) => child.kill("SIGKILL"));
  assert.is(r.signal, "SIGKILL");
  assert.is(event.path, "p.safetensors");
  assert.ok(savedIteration(join(dir, "p.safetensors")) >= event.iteration);
});

test("--checkpoint-every: iterations, a time with its unit, or off; by default every 5 minutes", () => {
  const dir = fresh();
  const json = (args) => {
    const r = runCli(["train", "input.txt", ...SMALL, "--sample-every", "0", "--json", ...args], { dir });
    assert.is(r.status, 0, r.stderr);
    return r.stdout.trim().split("\n").map((line) => JSON.parse(line)).filter((e) => e.event === "checkpoint").map((e) => e.iteration);
  };
  assert.equal(json(["--iters", "30", "--checkpoint-every", "10"]), [10, 20, 30]);
  assert.equal(json(["--iters", "30"]), [], "a short run saves only at its end");
  assert.equal(json(["--time", "1.5", "--checkpoint-every", "off"]), []);
  assert.ok(json(["--time", "2.5", "--checkpoint-every", "1s"]).length >= 1);
  const bad = runCli(["train", "--checkpoint-every", "5x"], { dir });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /^minrnn: --checkpoint-every must be a number of iterations, a time with its unit \(90s, 5m, 1h\), or off, got "5x"; see minrnn train --help\n$/);
});

test("--json: progress and evaluation events carry elapsed seconds and chars per second", () => {
  const dir = fresh();
  const r = runCli(["train", "input.txt", ...SMALL, "--val", "0.2", "--eval-every", "20", "--sample-every", "40", "--iters", "80", "--json"], { dir });
  assert.is(r.status, 0, r.stderr);
  const events = r.stdout.trim().split("\n").map((line) => JSON.parse(line));
  for (const kind of ["progress", "evaluation"]) {
    const some = events.filter((e) => e.event === kind);
    assert.ok(some.length >= 2, kind);
    for (const e of some) {
      assert.type(e.elapsed, "number", kind);
      assert.type(e.charsPerSecond, "number", kind);
      assert.ok(e.elapsed >= 0 && e.charsPerSecond >= 0, kind);
    }
    assert.ok(some.at(-1).elapsed > some[0].elapsed, `${kind}: the clock moves`);
    assert.ok(some.at(-1).charsPerSecond > 0, kind);
  }
});

test.run();
