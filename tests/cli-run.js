// Runs the built `minrnn` command as a child process, for the CLI tests.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { root } from "./helpers.js";

export const CLI = join(root, "dist/node/cli/cli.js");

/** Runs the command in `dir`; returns status, stdout, stderr. */
export function runCli(args, { dir, env = {}, input } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", input, env: { ...process.env, MINRNN_DEBUG: "", ...env }, timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
