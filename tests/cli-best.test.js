// The best checkpoint (`--val` with `--eval-every`): where it may be written, when its path
// is checked, how often one set of weights is scored, and which best a resume keeps.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEXT, runCli, workspace } from "./cli-run.js";

const { root: work, fresh } = workspace("cli-best");
const SMALL = ["--hidden", "8", "--seq", "10", "--sample-every", "0"];
test.after(() => rmSync(work, { recursive: true, force: true }));


/** The training metadata of a checkpoint, read by hand. */
function trainingOf(path) {
  const bytes = readFileSync(path), n = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(JSON.parse(bytes.subarray(8, 8 + n).toString()).__metadata__.training);
}

const events = (stdout) => stdout.trim().split("\n").map((line) => JSON.parse(line));

test("the best checkpoint never overwrites the --resume file, by its name or through a symlink", () => {
  const dir = fresh();
  const val = ["--val", "0.2", "--eval-every", "10"];
  assert.is(runCli(["train", "input.txt", ...SMALL, ...val, "--iters", "20", "-o", "m.safetensors"], { dir }).status, 0);
  const before = readFileSync(join(dir, "m.best.safetensors"));
  const r = runCli(["train", "input.txt", "--resume", "m.best.safetensors", "-o", "m.safetensors", ...val, "--iters", "20", "--sample-every", "0"], { dir });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /^minrnn: the best checkpoint m\.best\.safetensors is --resume m\.best\.safetensors: writing it would destroy what it reads; choose another path for the best checkpoint\n$/);
  assert.ok(readFileSync(join(dir, "m.best.safetensors")).equals(before), "the resumed file was rewritten");

  // A symlink at the best path that leads to the resumed file.
  symlinkSync("m.safetensors", join(dir, "o.best.safetensors"));
  const kept = readFileSync(join(dir, "m.safetensors"));
  const s = runCli(["train", "input.txt", "--resume", "m.safetensors", "-o", "o.safetensors", ...val, "--iters", "20", "--sample-every", "0"], { dir });
  assert.is(s.status, 1, s.stderr);
  assert.match(s.stderr, /the best checkpoint o\.best\.safetensors is --resume m\.safetensors/);
  assert.ok(readFileSync(join(dir, "m.safetensors")).equals(kept), "the resumed file was rewritten through the link");
  assert.not.ok(existsSync(join(dir, "o.safetensors")));
});

test("an unwritable best path is refused before training: nothing trained, nothing rescued", () => {
  const dir = fresh();
  const temp = join(dir, "tmp");
  mkdirSync(temp);
  mkdirSync(join(dir, "model.best.safetensors"));
  const r = runCli(["train", "input.txt", ...SMALL, "--val", "0.2", "--eval-every", "10", "--iters", "20", "--sample-every", "5"], { dir, env: { TMPDIR: temp } });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /^minrnn: cannot write model\.best\.safetensors: it is a directory; give a file name/);
  assert.is(r.stdout, "", "training started");
  assert.not.ok(existsSync(join(dir, "model.safetensors")));
  assert.equal(readdirSync(temp), [], "a rescue file was written");
});

test("without --val nothing goes to the best path, so a file there does not block training", () => {
  const dir = fresh();
  writeFileSync(join(dir, "model.best.safetensors"), "my notes\n");
  const r = runCli(["train", "input.txt", ...SMALL, "--iters", "5"], { dir });
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(dir, "model.best.safetensors"), "utf8"), "my notes\n");
  // With --val it is an output, and is refused as one.
  const v = runCli(["train", "input.txt", ...SMALL, "--iters", "5", "--val", "0.2"], { dir });
  assert.is(v.status, 1);
  assert.match(v.stderr, /the best checkpoint model\.best\.safetensors exists and is not a checkpoint \(safetensors\)/);
});

test("--patience scores each set of weights once: the progress line's loss and the evaluation at the same iteration are one", () => {
  const dir = fresh();
  const r = runCli(["train", "input.txt", ...SMALL, "--val", "0.2", "--eval-every", "1", "--patience", "1", "--iters", "6", "--sample-every", "1", "--sample-len", "0", "--json"], { dir });
  assert.is(r.status, 0, r.stderr);
  const all = events(r.stdout);
  const evaluations = all.filter((e) => e.event === "evaluation");
  // The first evaluation is the first score of its weights: a best, not "not better" than itself.
  assert.is(evaluations[0].iteration, 1);
  assert.is(evaluations[0].best, true);
  const progress = all.find((e) => e.event === "progress" && e.iteration === 0);
  assert.is(progress.valLoss, evaluations[0].valLoss, "the same weights, the same score");
  assert.ok(all.at(-1).iteration >= 2, `stopped at iteration ${all.at(-1).iteration}`);
  for (const e of evaluations.slice(0, -1)) assert.is(e.best, true, `iteration ${e.iteration}: stopped only after a worse one`);
});

test("resuming on another held-out text starts a new best, written to the best path; the same text keeps its best", () => {
  const dir = fresh();
  const val = ["--val", "0.2", "--eval-every", "10"];
  assert.is(runCli(["train", "input.txt", ...SMALL, ...val, "--iters", "300", "-o", "a.safetensors"], { dir }).status, 0);
  const first = trainingOf(join(dir, "a.safetensors"));
  const split = (text) => text.slice(text.length - Math.floor(text.length * 0.2));
  assert.is(first.validationHash, createHash("sha256").update(split(TEXT)).digest("hex"));

  // The same alphabet, scrambled: its held-out loss is far above the first text's best.
  const chars = [...new Set(TEXT)];
  let seed = 7;
  const other = Array.from({ length: TEXT.length }, () => chars[(seed = (seed * 48271) % 2147483647) % chars.length]).join("");
  writeFileSync(join(dir, "other.txt"), other);
  const r = runCli(["train", "other.txt", "--resume", "a.safetensors", "-o", "b.safetensors", ...val, "--iters", "10", "--sample-every", "0", "--json"], { dir });
  assert.is(r.status, 0, r.stderr);
  const evaluation = events(r.stdout).find((e) => e.event === "evaluation");
  assert.ok(evaluation.valLoss > first.bestValidationLoss, "the test needs a worse held-out loss on the other text");
  assert.is(evaluation.best, true);
  assert.ok(existsSync(join(dir, "b.best.safetensors")), "the best file named was never written");
  const second = trainingOf(join(dir, "b.best.safetensors"));
  assert.is(second.bestValidationLoss, evaluation.valLoss);
  assert.is(second.validationHash, createHash("sha256").update(split(other)).digest("hex"));

  // The same text: the recorded best stays the measure.
  const same = runCli(["train", "input.txt", "--resume", "a.safetensors", "-o", "c.safetensors", ...val, "--iters", "10", "--sample-every", "0", "--json"], { dir });
  assert.is(same.status, 0, same.stderr);
  const next = events(same.stdout).find((e) => e.event === "evaluation");
  assert.is(next.best, next.valLoss < first.bestValidationLoss);
  assert.is(trainingOf(join(dir, "c.safetensors")).bestValidationLoss, Math.min(first.bestValidationLoss, next.valLoss));
});

test.run();
