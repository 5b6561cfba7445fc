// Hostile input and careless hands at the command line (issue 12): the built `minrnn`
// command run on hostile files and on the typos a careless user makes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init, CharRNN } from "minrnn";
import { runCli } from "./cli-run.js";
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

test("8: info escapes a vocabulary's control characters, and errors a tensor name's, one line each", () => {
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

test("13: train --json writes clip Infinity as \"Infinity\", as info --json does", () => {
  writeFileSync(at("input.txt"), TEXT);
  const r = run(["train", "input.txt", ...SMALL, "--clip", "Infinity", "--iters", "3", "--json", "-o", "inf.safetensors"]);
  assert.is(r.status, 0, r.stderr);
  const start = JSON.parse(r.stdout.split("\n")[0]);
  assert.is(start.config.clip, "Infinity");
  assert.is(JSON.parse(run(["info", "inf.safetensors", "--json"]).stdout).config.clip, "Infinity");
});

test.run();
