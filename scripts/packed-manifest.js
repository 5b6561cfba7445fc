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
// registry, so during a publish it is restored only after publishing. A pack or publish
// that stopped halfway is undone by the next strip, or by `restore`.
import { copyFileSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = join(root, "package.json");
const kept = join(root, "package.json.unpacked");
/** The fields a consumer never needs, and npm would act on. */
const DEVELOPMENT_ONLY = ["scripts", "devDependencies", "allowScripts"];

function restore() {
  if (existsSync(kept)) renameSync(kept, manifest);
}

/** Every .d.ts under dist/ that the `types` of `exports` (and `types`) do not import, however indirectly. */
function unreachableDeclarations(pkg) {
  const types = (node) => (typeof node === "string" ? [] : Object.entries(node).flatMap(([k, v]) => (k === "types" && typeof v === "string" ? [v] : types(v))));
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file) || !existsSync(file)) return;
    reached.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(join(dirname(file), spec.replace(/\.js$/, ".d.ts")));
    }
  };
  for (const entry of [pkg.types, ...types(pkg.exports)]) if (entry) visit(join(root, entry));
  const all = readdirSync(join(root, "dist"), { recursive: true }).map((f) => join(root, "dist", f)).filter((f) => f.endsWith(".d.ts"));
  return all.filter((f) => !reached.has(f)).map((f) => relative(root, f));
}

function strip() {
  restore();
  const text = readFileSync(manifest, "utf8");
  const pkg = JSON.parse(text);
  for (const field of DEVELOPMENT_ONLY) delete pkg[field];
  pkg.files = [...pkg.files, ...unreachableDeclarations(pkg).map((f) => `!${f}`)];
  copyFileSync(manifest, kept);
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
}

const [step] = process.argv.slice(2);
if (step === "strip") strip();
else if (step === "restore" && !(process.env.npm_lifecycle_event === "postpack" && process.env.npm_command === "publish")) restore();
else if (step !== "restore") {
  console.error(`packed-manifest: expected "strip" or "restore", got ${JSON.stringify(step)}`);
  process.exit(2);
}
