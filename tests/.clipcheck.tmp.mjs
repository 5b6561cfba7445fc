import { init, CharRNN } from "minrnn";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { readSafetensors } from "/work/wt-python/tests/torch-helpers.js";
await init();
const TEXT = "It was the best of times, it was the worst of times; it was the age of wisdom, it was the age of foolishness 🙂\n".repeat(12);
const w = mkdtempSync("/tmp/cc-");
writeFileSync(w + "/t.txt", TEXT);
const clips = JSON.parse(process.argv[2]);
const iters = Number(process.argv[3]);
const m = CharRNN.create({ text: TEXT, hidden: 16, seqLength: 10, batch: 4, seed: 3, ...clips });
m.train({ iterations: 20 });
writeFileSync(w + "/s.safetensors", m.save());
const r = spawnSync("/usr/bin/python3", [process.argv[4] ?? "python/train_ddp.py", w + "/s.safetensors", w + "/t.txt", "--iters", String(iters), "--out", w + "/o.safetensors", "--nproc", "2"], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
if (r.status) console.log(r.stderr);
m.train({ iterations: iters });
const a = readSafetensors(readFileSync(w + "/o.safetensors")), e = readSafetensors(m.save());
let worst = 0, at = "";
for (const [name, t] of e.tensors) {
  const x = a.tensors.get(name).data; let d = 0, s = 0;
  for (let i = 0; i < x.length; i++) { d = Math.max(d, Math.abs(x[i] - t.data[i])); s = Math.max(s, Math.abs(t.data[i])); }
  if (d / (s || 1) > worst) { worst = d / (s || 1); at = name; }
}
console.log(JSON.stringify(clips), iters, "worst", worst.toExponential(2), at);
