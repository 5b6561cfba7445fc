// The README's set-up, as a new user runs it: a fresh `git clone` of this checkout (its
// committed state), the README's `npm install`, then its main command, interrupted with
// SIGINT to its process group as a terminal's Ctrl-C is, at 0.5, 2 and 5 s. Each run must
// stop cleanly, leave any checkpoint it wrote whole, and leave the next run working; and
// after a source changes, the command says it is building before it goes quiet.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./helpers.js";

// Output within 1 s of starting, on a machine with a core free; on a busier one the bound
// grows with the load (several processes per core here make npm alone start slower).
const FIRST_OUTPUT_MS = 1000 * Math.max(1, loadavg()[0] / availableParallelism());
const INTERRUPT_AT_MS = [500, 2000, 5000];

/** The commands of the README's first `sh` block, without their comments. */
function readmeSetup() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = readme.match(/```sh\n([\s\S]*?)```/)[1];
  return block.split("\n").map((line) => line.replace(/#.*/, "").trim()).filter(Boolean);
}

/**
 * Runs `command` through a shell in its own process group in `cwd`; with `interruptAt`,
 * sends SIGINT to the group then. Resolves { code, signal, firstMs, ownFirstMs, output }:
 * when anything first appeared, and when the command's own output did (after npm's banner).
 */
function run(command, cwd, { interruptAt } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("sh", ["-c", command], { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "", firstMs = null, ownFirstMs = null;
    const take = (chunk) => {
      const at = performance.now() - started;
      firstMs ??= at;
      output += chunk;
      // npm's "> minrnn@0.1.0 start" and "> node scripts/start.js" lines are not the command's.
      if (ownFirstMs === null && output.split("\n").some((line) => line.trim() !== "" && !line.startsWith(">"))) ownFirstMs = at;
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const timer = interruptAt === undefined ? null : setTimeout(() => process.kill(-child.pid, "SIGINT"), interruptAt);
    const limit = setTimeout(() => {
      process.kill(-child.pid, "SIGKILL");
      reject(new Error(`${command} did not finish within 5 minutes:\n${output}`));
    }, 300_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(limit);
      resolve({ code, signal, firstMs, ownFirstMs, output });
    });
  });
}

test("README set-up from a fresh clone: the main command prints at once, survives Ctrl-C at any moment, and trains", async () => {
  const git = spawnSync("git", ["-C", root, "rev-parse", "HEAD"], { encoding: "utf8" });
  if (git.status !== 0) {
    console.log(`  skipped the fresh-clone test: ${root} is not a git checkout (or git is absent)`);
    return;
  }
  const [install, main, ...rest] = readmeSetup();
  assert.is(install, "npm install");
  assert.ok(rest.includes("npm test"), `the README's set-up: ${[install, main, ...rest].join("; ")}`);
  assert.not.match(main, /^npx /, "in a clone, npx installs the clone into its cache first");

  const dir = mkdtempSync(join(tmpdir(), "minrnn-clone-"));
  try {
    const clone = join(dir, "minrnn");
    assert.is(spawnSync("git", ["clone", "--quiet", root, clone]).status, 0, "git clone");
    const installed = await run(install, clone);
    assert.is(installed.code, 0, installed.output);
    const { bin } = JSON.parse(readFileSync(join(clone, "package.json"), "utf8"));
    const checkpoint = join(clone, "model.safetensors");
    const info = () => spawnSync(process.execPath, [join(clone, bin.minrnn), "info", "model.safetensors"], { cwd: clone, encoding: "utf8" });

    for (const at of INTERRUPT_AT_MS) {
      const r = await run(main, clone, { interruptAt: at });
      console.log(`  ${main}, Ctrl-C at ${at} ms (output due within ${FIRST_OUTPUT_MS.toFixed(0)} ms): first output ${r.firstMs?.toFixed(0)} ms, the command's own ${r.ownFirstMs?.toFixed(0)} ms, exit ${r.code ?? r.signal}`);
      assert.ok(r.code === 130 || r.signal === "SIGINT", `exit ${r.code ?? r.signal}:\n${r.output}`);
      if (at > FIRST_OUTPUT_MS) assert.ok(r.firstMs !== null && r.firstMs <= FIRST_OUTPUT_MS, `first output after ${r.firstMs} ms (bound ${FIRST_OUTPUT_MS.toFixed(0)} ms):\n${r.output}`);
      assert.not.match(r.output, /building the core/, "a build at first run, after npm install built it");
      // By 5 s training has begun: Ctrl-C saves it.
      if (at >= 5000) assert.match(r.output, /saved model\.safetensors/, r.output);
      if (existsSync(checkpoint)) {
        const described = info();
        assert.is(described.status, 0, `the checkpoint left by a Ctrl-C at ${at} ms: ${described.stderr}`);
      }
    }
    // The run after: trains and saves.
    const next = await run(`${main} -- --iters 300 --sample-every 0`, clone);
    assert.is(next.code, 0, next.output);
    assert.ok(next.firstMs <= FIRST_OUTPUT_MS, `first output after ${next.firstMs} ms (bound ${FIRST_OUTPUT_MS.toFixed(0)} ms)`);
    assert.match(info().stdout, /training\s+300 iterations/);
    // After a source changes (a pull, an edit), the command rebuilds first, and says so at once.
    const source = join(clone, "src/index.ts");
    writeFileSync(source, readFileSync(source, "utf8"));
    const rebuilt = await run(`${main} -- --iters 10 --sample-every 0`, clone);
    assert.is(rebuilt.code, 0, rebuilt.output);
    assert.match(rebuilt.output, /building the core, once, about 10 s/);
    assert.ok(rebuilt.ownFirstMs <= FIRST_OUTPUT_MS, `the build was announced after ${rebuilt.ownFirstMs} ms (bound ${FIRST_OUTPUT_MS.toFixed(0)} ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
