// minrnn 0.1.0's core (commit e7599ef), built from git with this checkout's compiler and
// that commit's asconfig, so that the vanilla cell's speed is compared with it in one run:
// the redesign must not make the reference model slower. Driven through 0.1.0's own ABI
// (configure(v, h, t, b, lr, clip), reserveData, train(n)).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BASELINE_COMMIT = "e7599ef";
const root = fileURLToPath(new URL("..", import.meta.url));

/** The compiled 0.1.0 core, or null with the reason (no git history here, say). */
export function baselineModule() {
  try {
    const dir = mkdtempSync(join(tmpdir(), "minrnn-0.1.0-"));
    const files = execFileSync("git", ["ls-tree", "-r", "--name-only", BASELINE_COMMIT, "assembly"], { cwd: root, encoding: "utf8" }).trim().split("\n");
    for (const file of [...files, "asconfig.json"]) {
      mkdirSync(join(dir, file, ".."), { recursive: true });
      writeFileSync(join(dir, file), execFileSync("git", ["show", `${BASELINE_COMMIT}:${file}`], { cwd: root }));
    }
    execFileSync(join(root, "node_modules/.bin/asc"), ["assembly/index.ts", "--target", "release", "-o", "baseline.wasm"], { cwd: dir, stdio: "pipe" });
    return { module: new WebAssembly.Module(readFileSync(join(dir, "baseline.wasm"))) };
  } catch (e) {
    return { module: null, reason: String(e.message).split("\n")[0] };
  }
}

/** A 0.1.0 model of `indices` (Uint8Array of symbols < V) whose train(n) runs n iterations. */
export function baselineTrainer(module, indices, V, { hidden, seqLength, learningRate }) {
  const core = new WebAssembly.Instance(module, {}).exports;
  if (!core.configure(V, hidden, seqLength, 1, learningRate, 5) || !core.reserveData(indices.length, 0)) throw new Error("0.1.0 core: no memory");
  new Uint8Array(core.memory.buffer, core.dataPtr(), indices.length).set(indices);
  core.seedRng(42);
  core.initParams(0.01);
  return (n) => core.train(n);
}
