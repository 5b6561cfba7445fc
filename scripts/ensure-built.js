// Builds the package (`npm run build`) only when its outputs are missing or older than a
// source: a clone's `npm install` has built it already, so `npm start` and `npm pack`
// normally go straight on. When a build is needed, one line says so first: a silent
// 10 seconds looks like a hang.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
/** What each kind of output is made from: the core from assembly/, the rest from src/. */
const sourcesOf = (output) => (output.startsWith("build/") ? ["assembly", "asconfig.json"] : ["src", "tsconfig.json"]);

/** The files the package is made of: the command, the main entry, every export target. */
function outputs() {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const targets = (node) => (typeof node === "string" ? [node] : Object.values(node).flatMap(targets));
  const files = [...Object.values(pkg.bin ?? {}), pkg.main, ...targets(pkg.exports)].map((f) => normalize(f));
  return [...new Set(files)].filter((f) => f !== "package.json");
}

/** The latest modification time under `path` (a file or a folder), 0 where it is absent. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Whether a build is needed: an output missing, or older than the newest of its sources. */
export function needsBuild() {
  return outputs().some((output) => {
    const path = join(root, output);
    return !existsSync(path) || statSync(path).mtimeMs < Math.max(...sourcesOf(output).map((s) => newest(join(root, s))));
  });
}

/** Builds when needed, after printing `why`; exits with the build's status if it fails. */
export function ensureBuilt(why) {
  if (!needsBuild()) return;
  process.stderr.write(`${why}\n`);
  const r = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout}${r.stderr}minrnn: the build failed (npm run build shows why)\n`);
    process.exit(r.status ?? 1);
  }
}

// Run as a script (npm's prepack): build if needed, saying so.
if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBuilt("minrnn: building before packing (npm run build)");
