// The package as a user gets it: `npm pack`ed and installed from the tarball into a
// temporary project, once per test run (the package, runtime and edge tests share it).
// Testing the installed copy, not the working tree, is what catches a file missing from
// `files` or an `exports` entry that points nowhere.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./helpers.js";

let installed;

/** { dir, tarball, packedBytes, files, pkgDir }: the consumer project and what npm packed. */
export function installedPackage() {
  installed ??= install();
  return installed;
}

function install() {
  const dir = mkdtempSync(join(tmpdir(), "minrnn-consumer-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  // `npm test` has just built dist/ and build/; --ignore-scripts skips building again.
  const [report] = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8" }));
  const tarball = join(dir, report.filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // No runtime dependencies, so the install needs no registry.
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir });
  return {
    dir,
    tarball,
    packedBytes: statSync(tarball).size,
    files: report.files.map((f) => f.path),
    pkgDir: join(dir, "node_modules", "minrnn"),
  };
}
