// Runs the built `minrnn` command as a child process, for the CLI tests.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./helpers.js";

export const CLI = join(root, "dist/node/cli/cli.js");

/** Runs the command in `dir`; returns status, stdout, stderr. */
export function runCli(args, { dir, env = {}, input } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", input, env: { ...process.env, MINRNN_DEBUG: "", ...env }, timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The text the CLI tests train on: 17 characters, 1,060 of them. */
export const TEXT = "It was the best of times, it was the worst of times.\n".repeat(20);

/** A temporary directory for a test file, and `fresh()`: a new directory in it holding input.txt (TEXT). */
export function workspace(name) {
  const root = mkdtempSync(join(tmpdir(), `minrnn-${name}-`));
  let made = 0;
  const fresh = () => {
    const dir = join(root, `d${made++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "input.txt"), TEXT);
    return dir;
  };
  return { root, fresh };
}
