// What a user pays before and besides training: cold start in a fresh process, the
// .wasm and tarball sizes, and the peak memory of a training run (all via child processes).
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median } from "./stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const probe = (name) => fileURLToPath(new URL(`./probes/${name}`, import.meta.url));

function runJson(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/** Medians over `runs` fresh processes of the cold-start probe (ms), with a text of `chars` characters. */
export function coldStart(runs, chars) {
  const all = Array.from({ length: runs }, () => runJson(process.execPath, [probe("cold-start.js"), String(chars)]));
  return Object.fromEntries(Object.keys(all[0]).map((k) => [k, median(all.map((r) => r[k]))]));
}

/** .wasm bytes, and the npm tarball's packed and unpacked bytes (npm pack --dry-run, no scripts). */
export function sizes() {
  const wasmBytes = statSync(new URL("../build/minrnn.wasm", import.meta.url)).size;
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) return { wasmBytes, tarballBytes: null, unpackedBytes: null };
  const [pack] = JSON.parse(r.stdout);
  return { wasmBytes, tarballBytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.entryCount };
}

/** Peak RSS (MB) of training `iterations` on `file`, and of an empty Node process for scale. */
export function peakRss(file, iterations) {
  const mb = (kib) => kib / 1024;
  return {
    trainingMB: mb(runJson(process.execPath, [probe("peak-rss.js"), file, String(iterations)]).maxRssKiB),
    emptyNodeMB: mb(runJson(process.execPath, [probe("peak-rss.js")]).maxRssKiB),
    iterations,
  };
}
