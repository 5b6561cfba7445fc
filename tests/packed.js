// The package as a user gets it: `npm pack`ed and installed from the tarball into a
// temporary project, once per test run (the package, runtime and edge tests share it).
// Testing the installed copy, not the working tree, is what catches a file missing from
// `files` or an `exports` entry that points nowhere.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./helpers.js";

let installed;

/** { dir, tarball, packedBytes, files, pkgDir, installLog }: the consumer project, what npm packed, what npm install printed. */
export function installedPackage() {
  installed ??= install();
  return installed;
}

function install() {
  const dir = mkdtempSync(join(tmpdir(), "minrnn-consumer-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  // With its scripts, as `npm publish` packs: prepack writes the published manifest (and
  // builds only where dist/ is stale; `npm test` has just built it).
  const [report] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  const tarball = join(dir, report.filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // No runtime dependencies, so the install needs no registry.
  const npmInstall = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=warn", tarball], { cwd: dir, encoding: "utf8" });
  if (npmInstall.status !== 0) throw new Error(`npm install of the tarball failed: ${npmInstall.stderr}`);
  return {
    dir,
    tarball,
    packedBytes: statSync(tarball).size,
    files: report.files.map((f) => f.path),
    pkgDir: join(dir, "node_modules", "minrnn"),
    installLog: npmInstall.stdout + npmInstall.stderr,
  };
}
