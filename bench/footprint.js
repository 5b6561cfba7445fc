// What a user pays before and besides training: cold start in a fresh process, the
// .wasm and tarball sizes, and the peak memory of a training run (all via child processes).
// Run as a script (`npm run bench` does), it writes the sizes into the README's marked
// block, so the figures there are measured, never typed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * .wasm bytes, and the npm tarball's packed and unpacked bytes and file count. Packed as
 * `npm publish` packs, with its scripts: prepack writes the published manifest.
 */
export function sizes() {
  const wasmBytes = statSync(new URL("../build/minrnn.wasm", import.meta.url)).size;
  const dir = mkdtempSync(join(tmpdir(), "minrnn-pack-"));
  try {
    const r = spawnSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) return { wasmBytes, tarballBytes: null, unpackedBytes: null };
    const [pack] = JSON.parse(r.stdout);
    return { wasmBytes, tarballBytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.entryCount };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const README_START = "<!-- sizes: written by bench/footprint.js (npm run bench); not by hand -->";
export const README_END = "<!-- /sizes -->";
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The README's size table for `size` (from sizes()). */
export function sizeTable(size) {
  return [
    "| size | measured | target |",
    "|---|---|---|",
    `| \`build/minrnn.wasm\` | ${kb(size.wasmBytes)} | ≤ 64 KiB |`,
    `| npm tarball, packed (unpacked, files) | ${kb(size.tarballBytes)} (${kb(size.unpackedBytes)}, ${size.files} files) | ≤ 200 KiB |`,
  ].join("\n");
}

/** Rewrites the README's marked block with `size`; atomic, and the block must be there. */
export function writeReadmeSizes(size) {
  const readme = fileURLToPath(new URL("../README.md", import.meta.url));
  const text = readFileSync(readme, "utf8");
  const start = text.indexOf(README_START), end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no block from ${README_START} to ${README_END}`);
  const updated = `${text.slice(0, start + README_START.length)}\n${sizeTable(size)}\n${text.slice(end)}`;
  writeFileSync(`${readme}.tmp`, updated);
  renameSync(`${readme}.tmp`, readme);
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = sizes();
  if (size.tarballBytes === null) throw new Error("npm pack failed; the README's sizes are left as they were");
  writeReadmeSizes(size);
  console.log(`README.md: .wasm ${kb(size.wasmBytes)}, npm tarball ${kb(size.tarballBytes)} packed (${kb(size.unpackedBytes)} unpacked, ${size.files} files)`);
}
