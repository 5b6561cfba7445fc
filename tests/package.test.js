// The published package: what `npm pack` puts in the tarball, and that a project which
// installs that tarball can import it (through the `node` condition) and type-check it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";

const MAX_PACKED = 200 * 1024;

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
function typeCheck(dir, lines, resolution) {
  writeFileSync(join(dir, "consumer.ts"), lines.join("\n"));
  const module = resolution === "NodeNext" ? "NodeNext" : "ESNext";
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { target: "ES2022", module, moduleResolution: resolution, strict: true, noEmit: true, lib: ["ES2022", "DOM"], types: [] },
    files: ["consumer.ts"],
  }));
  const r = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}

const PORTABLE = [
  'import { init, CharRNN, corpus, type SampleOptions } from "minrnn";',
  "await init();",
  "const model: CharRNN = CharRNN.create({ text: corpus, hidden: 8 });",
  "const options: SampleOptions = { length: 10, temperature: 0.5 };",
  "const text: string = model.sample(options);",
  "export { text };",
];

test("TypeScript: consumers type-check against the installed declarations, minrnn/threads too", () => {
  const { dir } = installedPackage();
  for (const resolution of ["NodeNext", "Bundler"]) {
    const r = typeCheck(dir, PORTABLE, resolution);
    assert.is(r.status, 0, `${resolution}: ${r.output}`);
  }
  const node = typeCheck(dir, [
    'import { init, CharRNN, corpus } from "minrnn";',
    'import { startThreads, type ThreadedTrainer } from "minrnn/threads";',
    "await init();",
    "const model = CharRNN.create({ text: corpus, hidden: 8, batch: 4 });",
    "const trainer: ThreadedTrainer = await startThreads(model, { threads: 2 });",
    "trainer.train({ iterations: 1 });",
    "await trainer.close();",
  ], "NodeNext");
  assert.is(node.status, 0, node.output);
  // Threads are a subpath of their own: the main entry's declarations do not have them.
  const bundler = typeCheck(dir, ['import { startThreads } from "minrnn";', "export { startThreads };"], "Bundler");
  assert.is.not(bundler.status, 0);
  assert.match(bundler.output, /startThreads/);
});

test.run();
