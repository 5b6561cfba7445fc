// The JavaScript peers of the benchmark (TF.js's wasm backend, XNNPACK inside, and its
// layers API), installed on demand into a cache under the OS's temp dir with
// `npm install --prefix`, never as devDependencies; the scripts beside this file run
// against that install in a child process.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = join(tmpdir(), "minrnn-bench-peers");
const PACKAGES = ["@tensorflow/tfjs-core@4.22.0", "@tensorflow/tfjs-backend-wasm@4.22.0", "@tensorflow/tfjs-layers@4.22.0"];

/** Installs the peers once; null when they are there, else why they are not. */
function ensurePeers() {
  if (existsSync(join(DIR, "node_modules", "@tensorflow", "tfjs-layers"))) return null;
  try {
    execFileSync("npm", ["install", "--prefix", DIR, "--no-audit", "--no-fund", "--no-save", "--loglevel=error", ...PACKAGES], { stdio: "ignore", timeout: 300_000 });
    return null;
  } catch (e) {
    return `npm install ${PACKAGES.join(" ")} into ${DIR} failed (${e.message.split("\n")[0]})`;
  }
}

/** Runs peers/`script` with `args`; its last line of JSON output, or { skipped: why }. */
export function runPeer(script, args) {
  const missing = ensurePeers();
  if (missing) return { skipped: missing };
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(`./${script}`, import.meta.url)), ...args.map(String)],
    { encoding: "utf8", env: { ...process.env, NODE_PATH: join(DIR, "node_modules") } });
  if (r.status !== 0) return { skipped: `${script} failed: ${r.stderr.trim().split("\n").pop()}` };
  return JSON.parse(r.stdout.trim().split("\n").pop());
}
