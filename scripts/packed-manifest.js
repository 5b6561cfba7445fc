#!/usr/bin/env node
// The package.json that npm publishes has no scripts, devDependencies or allowScripts:
// a clone needs `prepare` (its `npm install` builds dist/), but in the published manifest
// it is an install-time script that npm 11 warns about on every install.
//
//   node scripts/packed-manifest.js strip     (prepack) keeps package.json aside, writes the lean one
//   node scripts/packed-manifest.js restore   (postpack, postpublish) puts package.json back
//
// It also leaves out the declaration files that no export's types reach (the command's
// internals): they would only add to the download.
//
// `npm publish` reads the manifest again after packing and sends that one to the
// registry, so during a publish (not a dry run) it is restored only after publishing. A pack or publish
// that stopped halfway is undone by the next strip, or by `restore`.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { declarations } from "./declarations.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = join(root, "package.json");
const kept = join(root, "package.json.unpacked");
/** The fields a consumer never needs, and npm would act on. */
const DEVELOPMENT_ONLY = ["scripts", "devDependencies", "allowScripts"];

function restore() {
  if (existsSync(kept)) renameSync(kept, manifest);
}

function strip() {
  restore();
  const text = readFileSync(manifest, "utf8");
  const pkg = JSON.parse(text);
  for (const field of DEVELOPMENT_ONLY) delete pkg[field];
  pkg.files = [...pkg.files, ...declarations(root, pkg).unreached.map((f) => `!${f}`)];
  copyFileSync(manifest, kept);
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** Whether this is the postpack of a real `npm publish`, which must send the lean manifest. */
function publishing() {
  const env = process.env;
  return env.npm_lifecycle_event === "postpack" && env.npm_command === "publish" && env.npm_config_dry_run !== "true";
}

const [step] = process.argv.slice(2);
if (step === "strip") strip();
else if (step === "restore" && !publishing()) restore();
else if (step !== "restore") {
  console.error(`packed-manifest: expected "strip" or "restore", got ${JSON.stringify(step)}`);
  process.exit(2);
}
