// Inputs are read with a bound: a text to train on, or a --vocab file, holds at most the
// 2^31 - 1 symbols of the core's text index, so minrnn reads at most that many bytes and
// says so. A regular file is judged by its size before it is read (a sparse 2 GiB file
// here costs no disk); a FIFO is read a chunk at a time.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, runCli } from "./cli-run.js";

const work = mkdtempSync(join(tmpdir(), "minrnn-cli-bounds-"));
const TEXT = "It was the best of times, it was the worst of times.\n".repeat(20);
writeFileSync(join(work, "input.txt"), TEXT);
writeFileSync(join(work, "big.txt"), "");
truncateSync(join(work, "big.txt"), 2 ** 31);
const SMALL = ["--hidden", "8", "--seq", "10", "--sample-every", "0"];
const run = (args) => runCli(args, { dir: work });
test.after(() => rmSync(work, { recursive: true, force: true }));

const BOUND = /is 2,147,483,648 bytes, more than the 2,147,483,647 bytes minrnn reads \(the core's text index holds at most 2\^31 − 1 symbols\); give a part of it \(e\.g\. head -c 1000000000 big\.txt > part\.txt\)$/;

test("a text file above the text index's bound is refused by its size, in either mode, before it is read", () => {
  for (const mode of [[], ["--bytes"]]) {
    const started = performance.now();
    const r = run(["train", "big.txt", ...SMALL, "--iters", "1", ...mode]);
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stderr.replace(/\n$/, ""), new RegExp(`^minrnn: text file big\\.txt ${BOUND.source}`));
    assert.ok(performance.now() - started < 10000, "it read the file");
  }
});

test("sample --vocab reads with the same bound", () => {
  assert.is(run(["train", "input.txt", ...SMALL, "--iters", "1", "-o", "s.safetensors"]).status, 0);
  const r = run(["sample", "s.safetensors", "--vocab", "big.txt"]);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr.replace(/\n$/, ""), new RegExp(`^minrnn: vocabulary file big\\.txt ${BOUND.source}`));
});

test("a FIFO is read to its end, a chunk at a time: training on it, and --vocab from it", async () => {
  const fifo = join(work, "text.fifo");
  if (spawnSync("mkfifo", [fifo]).status !== 0) {
    console.log("  skipped: mkfifo is not available here, so no FIFO to read");
    return;
  }
  /** Runs the command while a writer feeds the FIFO `copies` times the text. */
  const closed = (process) => new Promise((resolve) => process.on("close", resolve));
  const withWriter = async (args, copies) => {
    const writer = spawn("sh", ["-c", `for i in $(seq ${copies}); do cat input.txt; done > text.fifo`], { cwd: work });
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const [status] = await Promise.all([closed(child), closed(writer)]);
    return { status, stderr };
  };
  // More than one chunk (1 MiB) of text.
  const trained = await withWriter(["train", "text.fifo", ...SMALL, "--iters", "3", "--json", "-o", "fifo.safetensors"], 1300);
  assert.is(trained.status, 0, trained.stderr);
  const info = JSON.parse(run(["info", "fifo.safetensors", "--json"]).stdout);
  assert.is(info.training.textLength, TEXT.length * 1300);
  const sampled = await withWriter(["sample", "s.safetensors", "--vocab", "text.fifo", "--length", "5"], 1);
  assert.is(sampled.status, 0, sampled.stderr);
});

test("a writer that never stops is cut off at the bound (here a small one), with the bound in the error", async () => {
  const fifo = join(work, "endless.fifo");
  if (spawnSync("mkfifo", [fifo]).status !== 0) {
    console.log("  skipped: mkfifo is not available here, so no FIFO to read");
    return;
  }
  const { readBytes } = await import("../dist/node/files.js");
  const writer = spawn("sh", ["-c", "yes 'an endless line of text' > endless.fifo"], { cwd: work });
  try {
    // The open waits for the writer; the read stops just past the bound, long before the writer would.
    assert.throws(() => readBytes(fifo, "text file", 3 * 2 ** 20 + 5), (e) => e.code === "INVALID_TEXT"
      && e.message === `text file ${fifo} gives more than the 3,145,733 bytes minrnn reads (the core's text index holds at most 2^31 − 1 symbols); give a part of it (e.g. head -c 1000000000 ${fifo} > part.txt)`);
  } finally {
    writer.kill();
  }
});

test.run();
