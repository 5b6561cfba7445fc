#!/usr/bin/env node
// Installs the runtimes that only the cross-runtime and edge tests need (Deno, Bun, and
// workerd through miniflare: about 360 MB) into .tools/, at the versions that
// scripts/tools/package-lock.json pins, and only when they are not there yet. A
// contributor's `npm install` stays small; `.ci/run` and `npm run test:runtimes` call this.
//
// Each tool package is then linked into node_modules/, so that code which imports it by
// name (the edge worker's `npm run edge`) finds it; tests ask tests/tools.js instead.
// `npm install` and `npm ci` drop those links; running this again puts them back.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pinned = join(root, "scripts/tools");
const prefix = join(root, ".tools");
const stamp = join(prefix, "installed");

const lock = readFileSync(join(pinned, "package-lock.json"));
const digest = createHash("sha256").update(lock).digest("hex");
const tools = Object.keys(JSON.parse(readFileSync(join(pinned, "package.json"), "utf8")).dependencies);

if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== digest) {
  console.log(`tools: installing ${tools.join(", ")} into .tools/ (about 360 MB, once; pinned by scripts/tools/package-lock.json)`);
  rmSync(stamp, { force: true });
  mkdirSync(prefix, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(pinned, file), join(prefix, file));
  // .tools/package.json's allowScripts lets npm 11 run the postinstalls that fetch the
  // platform binaries (bun, deno, workerd).
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: prefix, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`tools: npm ci in .tools/ failed (exit ${r.status ?? r.signal}); the tests that need ${tools.join(", ")} will be skipped`);
    process.exit(1);
  }
  // Written last: an interrupted install is redone next time.
  writeFileSync(stamp, digest);
}

for (const name of tools) {
  const link = join(root, "node_modules", name);
  const target = join(prefix, "node_modules", name);
  if (isLink(link)) rmSync(link);
  else if (existsSync(link)) continue; // a real install of the same package: leave it
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(relative(dirname(link), target), link, "dir");
}
console.log(`tools: ${tools.join(", ")} ready in .tools/`);

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
