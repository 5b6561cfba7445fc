// Untrusted input and careless hands at the command line: the built `minrnn`
// command run on hostile files and on the typos a careless user makes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init, CharRNN } from "minrnn";
import { spawn, spawnSync } from "node:child_process";
import { CLI, runCli } from "./cli-run.js";
import { build, parse } from "./safetensors.js";

await init();

const work = mkdtempSync(join(tmpdir(), "minrnn-hostile-"));
const TEXT = "It was the best of times, it was the worst of times.\n".repeat(20);
const SMALL = ["--hidden", "8", "--seq", "10"];
const run = (args, options = {}) => runCli(args, { dir: work, ...options });
const at = (name) => join(work, name);

test.after(() => rmSync(work, { recursive: true, force: true }));

/** No control character a terminal could act on, apart from the newlines that end lines. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

// ---- 8: terminal-escape and newline injection ----------------------------------------------

test("info escapes a vocabulary's control characters, and errors a tensor name's, one line each", () => {
  const model = CharRNN.create({ text: "ab\u001b[2J\u009b31m\u2028\r\n".repeat(20), hidden: 4, seqLength: 5 });
  writeFileSync(at("evil.safetensors"), model.save());
  for (const args of [["info", "evil.safetensors"], ["info", "evil.safetensors", "--json"]]) {
    const r = run(args);
    assert.is(r.status, 0, r.stderr);
    assert.not.match(r.stdout, CONTROL, args.join(" "));
    assert.match(r.stdout, /\\u001b/);
    assert.match(r.stdout, /\\u009b/);
  }
  assert.is(JSON.parse(run(["info", "evil.safetensors", "--json"]).stdout).vocab.join(""), model.vocab.chars.join(""), "--json still reads back as the vocabulary");
  const { header, data } = parse(model.save());
  delete header.__metadata__.crc32;
  header["x\u001b]0;pwned\u0007\nname"] = { dtype: "F32", shape: [1], data_offsets: [data.length, data.length + 4] };
  writeFileSync(at("evil-name.safetensors"), build(header, Uint8Array.from([...data, 0, 0, 0, 0])));
  const r = run(["info", "evil-name.safetensors"]);
  assert.is(r.status, 1);
  assert.not.match(r.stderr, CONTROL);
  assert.is(r.stderr.split("\n").length, 2, "one line");
  assert.match(r.stderr, /x\\u001b\]0;pwned\\u0007\\nname/);
  model.dispose();
});

// ---- 13: smaller items -----------------------------------------------------------------------

test("train --json writes clip Infinity as \"Infinity\", as info --json does", () => {
  writeFileSync(at("input.txt"), TEXT);
  const r = run(["train", "input.txt", ...SMALL, "--clip", "Infinity", "--iters", "3", "--json", "-o", "inf.safetensors"]);
  assert.is(r.status, 0, r.stderr);
  const start = JSON.parse(r.stdout.split("\n")[0]);
  assert.is(start.config.clip, "Infinity");
  assert.is(JSON.parse(run(["info", "inf.safetensors", "--json"]).stdout).config.clip, "Infinity");
});

// ---- 3: a huge sample length kills the process ---------------------------------------------

/** Starts `minrnn sample` and resolves with the bytes it wrote once it wrote `want` (then kills it), or at its exit. */
function firstOutput(args, want) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work });
    const parts = [];
    let got = 0, stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 20000);
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => {
      parts.push(d);
      got += d.length;
      if (got >= want) child.kill("SIGKILL");
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(parts), status, stderr });
    });
  });
}

test("sample streams a length it could never hold, in either mode, from the first characters on", async () => {
  writeFileSync(at("chars.safetensors"), CharRNN.create({ text: TEXT, hidden: 8, seqLength: 10 }).save());
  writeFileSync(at("bytes.safetensors"), CharRNN.create({ bytes: new TextEncoder().encode(TEXT), hidden: 8, seqLength: 10 }).save());
  for (const model of ["chars.safetensors", "bytes.safetensors"]) {
    const r = await firstOutput(["sample", model, "--length", "1000000000", "--seed", "1", "--prime", "It "], 200_000);
    assert.ok(r.bytes.length >= 200_000, `${model}: ${r.bytes.length} bytes before it ended (status ${r.status}): ${r.stderr}`);
    assert.is(r.bytes.subarray(0, 3).toString(), "It ", `${model}: the prime first`);
  }
  const head = runCli(["sample", "bytes.safetensors", "--length", "5000", "--seed", "2", "--prime", "It "], { dir: work });
  const model = CharRNN.load(readFileSync(at("bytes.safetensors")));
  const expected = Buffer.concat([Buffer.from("It "), model.sampleBytes({ length: 5000, seed: 2, prime: "It " })]);
  assert.is(head.stdout, expected.toString(), "the same bytes as sampleBytes");
  model.dispose();
});

test("train refuses a --sample-len it would have to hold whole, before training", () => {
  writeFileSync(at("input.txt"), TEXT);
  const r = run(["train", "input.txt", ...SMALL, "--sample-len", "150000000", "-o", "huge.safetensors"]);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /--sample-len must be at most 16777216.*minrnn sample MODEL --length N, which streams it/);
  assert.not.ok(existsSync(at("huge.safetensors")));
});

// ---- 5: the atomic save replaces special files and symlinks --------------------------------

test("--out through a symlink writes the file it points to, and keeps the link", () => {
  const dir = mkdtempSync(join(work, "link-"));
  mkdirSync(join(dir, "models"));
  symlinkSync("models/real.safetensors", join(dir, "link.safetensors"));   // dangling: the first save creates the target
  writeFileSync(join(dir, "input.txt"), TEXT);
  for (const iters of ["3", "5"]) {
    const r = runCli(["train", "input.txt", ...SMALL, "--iters", iters, "--out", "link.safetensors", "--sample-every", "0"], { dir });
    assert.is(r.status, 0, r.stderr);
    assert.ok(lstatSync(join(dir, "link.safetensors")).isSymbolicLink(), `after --iters ${iters}: still a symlink`);
    assert.is(CharRNN.load(readFileSync(join(dir, "models/real.safetensors"))).iteration, Number(iters));
  }
  assert.equal(readdirSync(join(dir, "models")), ["real.safetensors"], "the temporary file was beside the target");
});

test("device nodes and FIFOs are refused as outputs before training, and stay what they were", () => {
  // Only nodes this test makes itself: were the fix ever undone, a save as root would
  // replace the node it names, and a system one (/dev/null) is everyone's.
  const dir = mkdtempSync(join(work, "special-"));
  writeFileSync(join(dir, "input.txt"), TEXT);
  const cases = [];
  if (spawnSync("mknod", [join(dir, "null"), "c", "1", "3"]).status === 0) cases.push(["null", "a character device"]);
  if (spawnSync("mkfifo", [join(dir, "pipe")]).status === 0) cases.push(["pipe", "a FIFO"]);
  if (cases[0]?.[0] === "null") {
    symlinkSync("null", join(dir, "to-null.safetensors"));
    cases.push(["to-null.safetensors", "a character device \\(the symlink leads to \\S*/null\\)"]);
  }
  for (const [out, kind] of cases) {
    const r = runCli(["train", "input.txt", ...SMALL, "--iters", "2", "--out", out], { dir });
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot write ${out}: it is ${kind}`));
  }
  for (const [out] of cases) assert.not.ok(statSync(join(dir, out)).isFile(), `${out} is still not a regular file`);
  if (cases.length === 0) console.log("  skipped: neither mknod nor mkfifo works here");
});

// ---- 11: temp files left behind -------------------------------------------------------------

test("train names a complete temporary file that a killed save left, and the next save removes the dead ones", () => {
  const dir = mkdtempSync(join(work, "stale-"));
  writeFileSync(join(dir, "input.txt"), TEXT);
  const dead = spawnSync(process.execPath, ["-e", ""]).pid;   // exited: its pid names no process now
  const model = CharRNN.create({ text: TEXT, hidden: 8, seqLength: 10 });
  model.train({ iterations: 4 });
  const complete = `.m.safetensors.${dead}-abc123.tmp`, partial = `.m.safetensors.${dead}-def456.tmp`;
  const live = `.m.safetensors.${process.pid}-ghi789.tmp`, other = `.other.safetensors.${dead}-abc123.tmp`;
  writeFileSync(join(dir, complete), model.save());
  writeFileSync(join(dir, partial), model.save().subarray(0, 100));
  writeFileSync(join(dir, live), "a save in progress");
  writeFileSync(join(dir, other), "another file's");
  const r = runCli(["train", "input.txt", ...SMALL, "--iters", "3", "-o", "m.safetensors", "--sample-every", "0"], { dir });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`found ${complete.replace(/\./g, "\\.")}, a complete checkpoint at iteration 4 .*process ${dead}.*rename it to keep it`));
  assert.not.match(r.stderr, /def456/, "an incomplete one is not offered");
  assert.equal(readdirSync(dir).sort(), [live, other, "input.txt", "m.safetensors"].sort(), "dead ones removed; a live process's and another file's kept");
  model.dispose();
});

// ---- 10: misleading CLI errors and a read with no bound -----------------------------------

test("output paths are checked before training, with messages that say what is wrong", () => {
  writeFileSync(at("input.txt"), TEXT);
  const cases = [
    [["--out", ""], 2, /^minrnn: --out needs a file name, got ""; see minrnn train --help\n$/],
    [["--plot", ""], 2, /--plot needs a file name/],
    [["--resume", ""], 2, /--resume needs a file name/],
    [["--out", "/proc/version"], 1, /^minrnn: cannot write \/proc\/version: the directory \/proc does not let files be created in it/],
  ];
  for (const [args, status, pattern] of cases) {
    const r = run(["train", "input.txt", ...SMALL, "--iters", "2", ...args]);
    assert.is(r.status, status, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(" "));
    assert.not.match(r.stderr, /rescued|saved/, "nothing was trained or rescued");
  }
});

test("info reads a checkpoint only as far as its header says: /dev/zero and a FIFO end", async () => {
  const zero = run(["info", "/dev/zero"]);
  assert.is(zero.status, 1);
  assert.match(zero.stderr, /\/dev\/zero: not a usable checkpoint: its header length field says 0 bytes/);
  const model = CharRNN.create({ text: TEXT, hidden: 8, seqLength: 10 });
  const bytes = model.save();
  model.dispose();
  const fifo = at("endless.safetensors");
  if (spawnSync("mkfifo", [fifo]).status !== 0) return;
  // A writer that sends a whole checkpoint and then garbage without end.
  const writer = spawn(process.execPath, ["-e", `const fs = require("fs"); const fd = fs.openSync(${JSON.stringify(fifo)}, "w"); fs.writeSync(fd, Buffer.from(${JSON.stringify(Buffer.from(bytes).toString("base64"))}, "base64")); const junk = Buffer.alloc(65536, 1); try { for (;;) fs.writeSync(fd, junk); } catch {}`]);
  const r = await new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "info", fifo], { cwd: work });
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 15000);
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => { clearTimeout(timer); resolve({ status, stderr }); });
  });
  writer.kill("SIGKILL");
  assert.is(r.status, 1, `the read ended: ${r.stderr}`);
  assert.match(r.stderr, /its tensors cover \d+ bytes of data, but the file holds \d+/);
});

// ---- 2: a typo destroys the model or the training text, with exit 0 -----------------------

test("the typos that overwrote the model or the text are refused, and every file stays as it was", () => {
  const dir = mkdtempSync(join(work, "typo-"));
  writeFileSync(join(dir, "t.txt"), TEXT);
  writeFileSync(join(dir, "notes.txt"), "my notes\n");
  const trained = runCli(["train", "t.txt", ...SMALL, "--iters", "3", "-o", "m.safetensors", "--sample-every", "0"], { dir });
  assert.is(trained.status, 0, trained.stderr);
  symlinkSync("t.txt", join(dir, "t-link.txt"));
  const snapshot = () => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name)).toString("base64")]));
  const before = snapshot();
  const typos = [
    [["--out", "m.safetensors", "--plot", "m.safetensors"], /--plot m\.safetensors is also --out m\.safetensors/],
    [["--out", "t.txt"], /--out t\.txt is the training file t\.txt/],
    [["--out", "t-link.txt"], /--out t-link\.txt is the training file t\.txt/],
    [["--out", "m.safetensors", "--plot", "t.txt"], /--plot t\.txt is the training file t\.txt/],
    [["--resume", "m.safetensors", "--plot", "m.safetensors"], /--plot m\.safetensors is --resume m\.safetensors/],
    [["--out", "notes.txt"], /--out notes\.txt exists and is not a checkpoint.*add --force/],
    [["--out", "m.safetensors", "--plot", "notes.txt"], /--plot notes\.txt exists and is not an SVG image/],
    [["--out", "t.txt", "--force"], /--out t\.txt is the training file/],
  ];
  for (const [args, pattern] of typos) {
    const r = runCli(["train", "t.txt", ...SMALL, "--iters", "2", "--sample-every", "0", ...args], { dir });
    assert.is(r.status, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(" "));
    assert.equal(snapshot(), before, `${args.join(" ")}: every file as it was`);
  }
  // With --force an existing file of another kind is replaced; an SVG is replaced by --plot without it.
  const forced = runCli(["train", "t.txt", ...SMALL, "--iters", "2", "--sample-every", "0", "--out", "notes.txt", "--force", "--plot", "loss.svg"], { dir });
  assert.is(forced.status, 0, forced.stderr);
  assert.is(CharRNN.load(readFileSync(join(dir, "notes.txt"))).iteration, 2);
  const again = runCli(["train", "t.txt", ...SMALL, "--iters", "2", "--sample-every", "0", "--out", "m.safetensors", "--plot", "loss.svg"], { dir });
  assert.is(again.status, 0, again.stderr);
});

// ---- a loss that explodes stops --------------------------------------------------------------

test("--max-loss-ratio: at lr 1e6 training stops, saves the last good weights and says to lower --lr; threads stop alike", () => {
  writeFileSync(at("input.txt"), TEXT);
  const stopped = {};
  for (const threads of ["1", "2"]) {
    const out = `explode-${threads}.safetensors`;
    const r = run(["train", "input.txt", "--hidden", "16", "--seq", "10", "--batch", "2", "--threads", threads, "--lr", "1e6", "--iters", "5000", "--sample-every", "0", "-o", out]);
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stderr, /saved explode-\d\.safetensors \(the last good weights\)[^\n]*\nminrnn: the loss is exploding: the smooth loss would have risen to \S+, more than maxLossRatio 3 times its starting value \S+ at iteration \d+;.* Train again with a lower --lr \(now 1000000\), or set --max-loss-ratio \(now 3; 0: off\)\.\n$/);
    const model = CharRNN.load(readFileSync(at(out)));
    assert.ok(model.smoothLoss <= 3 * -Math.log(1 / model.config.vocabSize) * 10);
    stopped[threads] = model.iteration;
    model.dispose();
  }
  assert.is(stopped["2"], stopped["1"], "two threads stop at the same iteration");
  const off = run(["train", "input.txt", "--hidden", "16", "--seq", "10", "--lr", "1e6", "--iters", "300", "--sample-every", "0", "--max-loss-ratio", "0", "-o", "off.safetensors"]);
  assert.is(off.status, 0, off.stderr);
  const bad = run(["train", "input.txt", "--max-loss-ratio", "0.5"]);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--max-loss-ratio must be 0 \(off\) or a number ≥ 1/);
});

test.run();
