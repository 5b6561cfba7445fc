// `minrnn train`'s options as a user meets them: combinations that would do nothing are
// refused, a resume compares only what was given, values the float32 core cannot hold
// are usage errors, presets give a recipe that any flag overrides, and info shows every
// setting a checkpoint holds.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./cli-run.js";

const work = mkdtempSync(join(tmpdir(), "minrnn-cli-options-"));
writeFileSync(join(work, "input.txt"), "It was the best of times, it was the worst of times.\n".repeat(20));
const SMALL = ["--hidden", "8", "--seq", "10", "--sample-every", "0"];
const run = (args) => runCli(args, { dir: work });
test.after(() => rmSync(work, { recursive: true, force: true }));

/** A usage error: exit 2, one line naming what to add or drop. */
function refused(args, message) {
  const r = run(["train", "input.txt", ...args]);
  assert.is(r.status, 2, `minrnn train ${args.join(" ")}: exit ${r.status} (${r.stderr})`);
  assert.match(r.stderr.replace(/\n$/, ""), message, args.join(" "));
  assert.is(r.stderr.split("\n").length, 2, r.stderr);
}

test("options that would do nothing are refused, saying what to add or drop", () => {
  refused(["--eval-every", "10"], /^minrnn: --eval-every evaluates held-out text, and there is none: add --val F \(e\.g\. --val 0\.1\), or leave --eval-every out; see minrnn train --help$/);
  refused(["--patience", "3"], /^minrnn: --patience 3 counts --eval-every evaluations: add --eval-every N \(with --val\), or leave --patience out/);
  refused(["--val", "0.2", "--patience", "3"], /--patience 3 counts --eval-every evaluations/);
  refused(["--alpha", "0.9"], /^minrnn: --alpha is rmsprop's decay, and does nothing with adagrad: leave --alpha out, or train with --optimizer rmsprop;/);
  refused(["--alpha", "0.9", "--optimizer", "adam"], /--alpha is rmsprop's decay, and does nothing with adam/);
  refused(["--beta1", "0.8"], /^minrnn: --beta1 is adam's first decay, and does nothing with adagrad: leave --beta1 out, or train with --optimizer adam;/);
  refused(["--beta2", "0.99", "--optimizer", "rmsprop"], /--beta2 is adam's second decay, and does nothing with rmsprop/);
  refused(["--eps", "1e-6"], /^minrnn: --eps is adam's and rmsprop's eps \(adagrad's is min-char-rnn's fixed 1e-8\), and does nothing with adagrad: leave --eps out, or train with --optimizer adam;/);
  // Where they do something, they are taken.
  for (const args of [["--optimizer", "rmsprop", "--alpha", "0.9", "--eps", "1e-6"], ["--optimizer", "adam", "--beta1", "0.8", "--eps", "1e-6"], ["--val", "0.2", "--eval-every", "5", "--patience", "2"]]) {
    const r = run(["train", "input.txt", ...SMALL, "--iters", "5", "-o", "taken.safetensors", ...args]);
    assert.is(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
  }
});

test("a resume judges the options by the checkpoint's optimizer and held-out fraction", () => {
  assert.is(run(["train", "input.txt", ...SMALL, "--optimizer", "adam", "--val", "0.2", "--iters", "5", "-o", "adam.safetensors"]).status, 0);
  // --val comes from the checkpoint: --eval-every needs no repeated --val.
  const r = run(["train", "input.txt", "--resume", "adam.safetensors", "--eval-every", "5", "--patience", "2", "--iters", "5", "--sample-every", "0"]);
  assert.is(r.status, 0, r.stderr);
  const alpha = run(["train", "input.txt", "--resume", "adam.safetensors", "--alpha", "0.9", "--iters", "5"]);
  assert.is(alpha.status, 2);
  assert.match(alpha.stderr, /^minrnn: --alpha is rmsprop's decay, and does nothing with adam: leave --alpha out \(adam\.safetensors is trained with adam\);/);
});

test("resuming with an unchanged --beta1 (or --beta2) is accepted; a changed one is refused by name", () => {
  assert.is(run(["train", "input.txt", ...SMALL, "--optimizer", "adam", "--beta1", "0.8", "--iters", "5", "-o", "beta.safetensors"]).status, 0);
  const same = run(["train", "input.txt", "--resume", "beta.safetensors", "--beta1", "0.8", "--iters", "5", "--sample-every", "0"]);
  assert.is(same.status, 0, same.stderr);
  const both = run(["train", "input.txt", "--resume", "beta.safetensors", "--beta1", "0.8", "--beta2", "0.999", "--iters", "5", "--sample-every", "0"]);
  assert.is(both.status, 0, both.stderr);
  const changed = run(["train", "input.txt", "--resume", "beta.safetensors", "--beta2", "0.99", "--iters", "5"]);
  assert.is(changed.status, 2);
  assert.match(changed.stderr, /^minrnn: --beta2 0\.99 differs from beta\.safetensors's 0\.999: a resumed model keeps its configuration; leave --beta2 out/);
});

test("values the float32 core cannot hold are usage errors naming the flag and float32's range", () => {
  const range = "must be within float32's range, 1\\.4e-45 to 3\\.4e38 \\(the core computes in float32\\)";
  refused(["--optimizer", "adam", "--eps", "1e39"], new RegExp(`^minrnn: --eps ${range}, got 1e39, which float32 rounds to Infinity;`));
  refused(["--optimizer", "adam", "--eps", "1e-50"], new RegExp(`--eps ${range}, got 1e-50, which float32 rounds to 0;`));
  refused(["--clip-norm", "1e-50"], new RegExp(`--clip-norm ${range}, got 1e-50`));
  refused(["--clip", "1e39"], new RegExp(`--clip ${range}, got 1e39`));
  refused(["--lr", "1e-46"], new RegExp(`--lr ${range}, got 1e-46`));
  refused(["--lr-decay", "1e-46"], new RegExp(`--lr-decay ${range}, got 1e-46`));
  refused(["--dropout", "0.99999999999"], /^minrnn: --dropout must be below 1 in float32 too \(the core computes in float32\), got 0\.99999999999, which float32 rounds to 1;/);
  // Infinity is clipping's "off", not a number out of range; a subnormal is a float32 > 0.
  const r = run(["train", "input.txt", ...SMALL, "--clip", "Infinity", "--clip-norm", "Infinity", "--lr-decay", "1e-44", "--iters", "3", "-o", "f32.safetensors"]);
  assert.is(r.status, 0, r.stderr);
});

test("a count above 2^53 - 1 says so, not that it is not a whole number", () => {
  refused(["--iters", "9007199254740993"], /^minrnn: --iters 9007199254740993 is above the largest supported count, 2\^53 − 1 = 9007199254740991;/);
  refused(["--iters", "1e300"], /--iters 1e300 is above the largest supported count/);
  refused(["--iters", "1.5"], /--iters must be a whole number ≥ 0, got 1\.5/);
});

test("--preset: a recipe whose every flag an explicit one overrides; the help lists the presets with their flags", () => {
  const r = run(["train", "input.txt", "--preset", "tiny", "--hidden", "16", "--iters", "3", "--json", "-o", "preset.safetensors"]);
  assert.is(r.status, 0, r.stderr);
  const start = JSON.parse(r.stdout.split("\n")[0]);
  assert.is(start.config.cell, "lstm");
  assert.is(start.config.optimizer, "adam");
  assert.is(start.config.hidden, 16, "the explicit --hidden wins");
  assert.is(start.val, 0.1);
  assert.ok(r.stdout.includes('"event":"saved","iteration":3'), "--iters bounds the preset's --time");
  const unknown = run(["train", "--preset", "huge"]);
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr.replace(/\n$/, ""), /^minrnn: no preset "huge"; the presets are lstm-10min, tiny; see minrnn train --help$/);
  // A flag the user did not type is named with the preset that gave it.
  const conflict = run(["train", "input.txt", "--preset", "tiny", "--val", "0"]);
  assert.is(conflict.status, 2);
  assert.match(conflict.stderr, /^minrnn: --eval-every \(from --preset tiny\) evaluates held-out text, and there is none: add --val F \(e\.g\. --val 0\.1\), or leave --preset tiny out \(it sets --eval-every\);/);
  const help = run(["train", "--help"]).stdout;
  const firstExample = help.split("\n").find((line) => line.trim().startsWith("minrnn train"));
  assert.match(firstExample, /--preset lstm-10min/);
  assert.match(help, /lstm-10min: good text in about 10 minutes/);
  assert.match(help, /--cell lstm --layers 2 --hidden 128 --batch 32 --seq 50 --optimizer adam --lr 2e-3\n\s+--clip-norm 5 --dropout 0\.1 --threads auto --val 0\.1 --eval-every 500 --time 10m/);
  const main = run(["--help"]).stdout;
  assert.match(main.split("Examples:")[1].split("\n")[1], /--preset lstm-10min/, "the main help's first example is the LSTM");
});

test("info shows every setting, the current learning rate and the best validation loss", () => {
  const r = run(["train", "input.txt", ...SMALL, "--optimizer", "rmsprop", "--alpha", "0.9", "--eps", "1e-6", "--dropout", "0.1", "--clip-norm", "3",
    "--lr-decay", "0.5", "--lr-decay-after", "0", "--val", "0.2", "--eval-every", "50", "--iters", "200", "-o", "info.safetensors"]);
  assert.is(r.status, 0, r.stderr);
  const info = run(["info", "info.safetensors"]).stdout;
  assert.match(info, /^settings {4}seq 10, lr 0\.002, seed 42, batch 1, optimizer rmsprop, clip 5, clip-norm 3, alpha 0\.9, beta1 0\.9, beta2 0\.999, eps 0\.000001, dropout 0\.1, lr-decay 0\.5, lr-decay-after 0, mul-add arithmetic$/m);
  // Decayed at the end of each epoch of the 848-character training part: the rate now is below the config's.
  const rate = Number(/learning rate now ([\d.e-]+)/.exec(info)?.[1]);
  assert.ok(rate > 0 && rate < 0.002, info);
  assert.match(info, /^validation {2}--val 0\.2, best \d+\.\d{4} per window \(\d\.\d{4} nats\/char\)$/m);
  const json = JSON.parse(run(["info", "info.safetensors", "--json"]).stdout);
  assert.is(json.training.learningRate, rate);
  assert.match(info, new RegExp(`best ${json.training.bestValidationLoss.toFixed(4)} per window`));
});

test.run();
