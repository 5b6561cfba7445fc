// The published package: what `npm pack` puts in the tarball (its manifest included),
// and that a project which installs that tarball with npm 11 gets no warning, can import
// it (through the `node` condition, and with require()) and type-check it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";
import { README_START, README_END } from "../bench/footprint.js";
import { declarations } from "../scripts/declarations.js";

const MAX_PACKED = 200 * 1024;
const PROJECT = "https://github.com/minrnn/minrnn";
const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** Every file path named in an `exports` map, through nested conditions. */
function exportTargets(node) {
  if (typeof node === "string") return [node];
  return Object.values(node).flatMap(exportTargets);
}

test("tarball: at most 200 KB packed, only the build, dist and docs", () => {
  const { packedBytes, files } = installedPackage();
  assert.ok(packedBytes <= MAX_PACKED, `packed size ${packedBytes} B exceeds ${MAX_PACKED} B`);
  const stray = files.filter((f) => !/^(dist\/|build\/minrnn(\.fma)?\.wasm$|README\.md$|LICENSE$|package\.json$)/.test(f));
  assert.equal(stray, [], "files outside dist/ and the core");
});

test("tarball: every exports target and bin exists in the installed package", () => {
  const { pkgDir } = installedPackage();
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const targets = [...exportTargets(pkg.exports), ...Object.values(pkg.bin ?? {}), pkg.main, pkg.types];
  const missing = targets.filter((t) => !existsSync(join(pkgDir, t)));
  assert.equal(missing, [], "targets missing from the tarball");
  const conditions = Object.keys(pkg.exports["."]);
  for (const condition of ["workerd", "edge-light", "browser", "deno", "bun", "node", "types", "default"]) {
    assert.ok(conditions.includes(condition), `exports["."] has no ${condition} condition`);
  }
  // Deno and Bun also match "node": their own conditions must come before it. TypeScript
  // takes the first condition it matches: Node's nested types (NodeNext matches "node"),
  // else the portable ones, so "types" comes after "node" and before "default".
  const at = (c) => conditions.indexOf(c);
  assert.ok(at("deno") < at("node") && at("bun") < at("node"), conditions.join(", "));
  assert.ok(at("node") < at("types") && at("types") < at("default"), conditions.join(", "));
  assert.is(Object.keys(pkg.exports["."].node)[0], "types", "the node entry's types first");
});

test("manifest: the published package.json has no scripts, devDependencies or allowScripts; the repository's is unchanged", () => {
  const { pkgDir } = installedPackage();
  const published = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  for (const field of ["scripts", "devDependencies", "allowScripts"]) assert.not.ok(field in published, `the published manifest has ${field}`);
  const rest = (pkg) => Object.fromEntries(Object.entries(pkg).filter(([k]) => !["scripts", "devDependencies", "allowScripts", "files"].includes(k)));
  assert.equal(rest(published), rest(own));
  // Packing put the repository's own manifest back: a clone still builds on install.
  assert.equal(JSON.parse(readFileSync(join(root, "package.json"), "utf8")), own);
  assert.is(own.scripts.prepare, "npm run build");
  assert.not.ok(existsSync(join(root, "package.json.unpacked")), "the manifest kept aside during packing is left behind");
});

test("manifest: installing the tarball with npm prints no warning (no install-time script to approve)", () => {
  const { installLog } = installedPackage();
  assert.not.match(installLog, /install-scripts|npm warn/, installLog);
});

test("manifest: repository, homepage and bugs name one project; keywords; engines where require() loads the package", () => {
  assert.equal(own.repository, { type: "git", url: `git+${PROJECT}.git` });
  assert.is(own.homepage, `${PROJECT}#readme`);
  assert.equal(own.bugs, { url: `${PROJECT}/issues` });
  assert.ok(own.keywords.includes("webassembly") && own.keywords.includes("rnn"), own.keywords.join(", "));
  // The package is ESM-only: CommonJS projects load it with require(esm), which Node has
  // without a flag from 20.19 and 22.12.
  assert.is(own.engines.node, "^20.19.0 || >=22.12.0");
  const { dir } = installedPackage();
  const r = spawnSync(process.execPath, ["-e", "const m = require('minrnn'); console.log(typeof m.init, typeof m.CharRNN)"], { cwd: dir, encoding: "utf8" });
  assert.is(r.stdout.trim(), "function function", r.stderr);
});

test("README: every link and image is absolute, so they resolve on the registry's page too", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(targets.length > 5, "links found");
  const relativeLinks = targets.filter((t) => !/^(https?:\/\/|#)/.test(t));
  assert.equal(relativeLinks, []);
  for (const t of targets.filter((t) => t.startsWith(`${PROJECT}/blob/main/`) || t.startsWith(`https://raw.githubusercontent.com/minrnn/minrnn/main/`))) {
    const file = t.replace(/^.*\/main\//, "");
    assert.ok(existsSync(join(root, file)), `${t} names ${file}, which is not in the repository`);
  }
});

test("README: the size table is what npm run bench measured, still within 5% of the build and the tarball", () => {
  const { packedBytes } = installedPackage();
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = readme.slice(readme.indexOf(README_START), readme.indexOf(README_END));
  const figure = (label) => Number(block.match(new RegExp(`${label}[^|]*\\| ([\\d.]+) KiB`))[1]) * 1024;
  const wasmBytes = statSync(join(root, "build/minrnn.wasm")).size;
  for (const [what, stated, actual] of [[".wasm", figure("minrnn\\.wasm"), wasmBytes], ["tarball", figure("npm tarball"), packedBytes]]) {
    assert.ok(Math.abs(stated - actual) <= 0.05 * actual, `the README says the ${what} is ${stated} B, it is ${actual} B: run node bench/footprint.js`);
  }
});

test("tarball: the declarations are those the exports' types reach, none of the command's internals", () => {
  const { pkgDir } = installedPackage();
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const { reached, unreached } = declarations(pkgDir, pkg);
  assert.equal(unreached, [], "declarations no export reaches");
  assert.ok(reached.includes("dist/index.d.ts") && reached.includes("dist/node/threads/threads.d.ts"), reached.join(", "));
  const cli = pkg.bin.minrnn.replace(/\.js$/, ".d.ts");
  assert.not.ok(existsSync(join(pkgDir, cli)), `${cli} is shipped`);
});

test("Node: the installed package resolves to the node entry and trains like the working tree", async () => {
  const { dir } = installedPackage();
  copyFileSync(join(root, "tests/runtimes/same-bytes.mjs"), join(dir, "same-bytes.mjs"));
  const out = JSON.parse(execFileSync(process.execPath, ["same-bytes.mjs"], { cwd: dir, encoding: "utf8" }));
  assert.ok(out.entry.endsWith("/node_modules/minrnn/dist/node/index.js"), out.entry);
  // The same script against the working tree's own build (the package's self-reference).
  const local = JSON.parse(execFileSync(process.execPath, [join(root, "tests/runtimes/same-bytes.mjs")], { cwd: root, encoding: "utf8" }));
  assert.is(out.sha256, local.sha256);
  assert.is(out.sample, local.sample);
});

/** Type-checks `lines` in the installed package's directory with the given module resolution; returns tsc's output. */
function typeCheck(dir, lines, resolution, { lib = ["ES2022", "DOM"], types = [] } = {}) {
  writeFileSync(join(dir, "consumer.ts"), lines.join("\n"));
  const module = resolution === "NodeNext" ? "NodeNext" : "ESNext";
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { target: "ES2022", module, moduleResolution: resolution, strict: true, noEmit: true, lib, types, typeRoots: [join(root, "node_modules/@types")] },
    files: ["consumer.ts"],
  }));
  const r = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}

const PORTABLE = [
  'import { init, CharRNN, type SampleOptions } from "minrnn";',
  'import { corpus } from "minrnn/corpus";',
  "await init();",
  "const model: CharRNN = CharRNN.create({ text: corpus, hidden: 8 });",
  "const options: SampleOptions = { length: 10, temperature: 0.5 };",
  "const text: string = model.sample(options);",
  "export { text };",
];

test("TypeScript: consumers type-check against the installed declarations, without the DOM lib too, minrnn/threads too", () => {
  const { dir } = installedPackage();
  for (const resolution of ["NodeNext", "Bundler"]) {
    const r = typeCheck(dir, PORTABLE, resolution);
    assert.is(r.status, 0, `${resolution}: ${r.output}`);
  }
  const node = typeCheck(dir, [
    'import { init, CharRNN } from "minrnn";',
    'import { corpus } from "minrnn/corpus";',
    'import { startThreads, type ThreadedTrainer } from "minrnn/threads";',
    "await init();",
    "const model = CharRNN.create({ text: corpus, hidden: 8, batch: 4 });",
    "const trainer: ThreadedTrainer = await startThreads(model, { threads: 2 });",
    "trainer.train({ iterations: 1 });",
    "await trainer.close();",
  ], "NodeNext");
  assert.is(node.status, 0, node.output);
  // A Node project without the DOM lib: @types/node has no WebAssembly namespace.
  const threadsAlone = ['import { startThreads } from "minrnn/threads";', "export { startThreads };"];
  for (const lines of [PORTABLE, threadsAlone]) {
    const noDom = typeCheck(dir, lines, "NodeNext", { lib: ["ES2022"], types: ["node"] });
    assert.is(noDom.status, 0, `without the DOM lib: ${noDom.output}`);
  }
  // Threads are a subpath of their own: the main entry's declarations do not have them.
  const bundler = typeCheck(dir, ['import { startThreads } from "minrnn";', "export { startThreads };"], "Bundler");
  assert.is.not(bundler.status, 0);
  assert.match(bundler.output, /startThreads/);
});

test.run();
