// The core's ABI as the host types it (CoreExports in src/engine.ts, listed at run time
// as CORE_EXPORTS) against what the .wasm files really export: the release build exactly
// that, and the kernel entry points only in the testing build.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CORE_EXPORTS } from "../dist/engine.js";
import { root } from "./helpers.js";

/** The exports of a build, as "name kind" sorted by name. */
const exportsOf = (file) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(root, "build", file))))
  .map(({ name, kind }) => `${name} ${kind}`).sort();

// assembly/testing.ts: each SIMD kernel and the scalar form the kernel tests hold it to,
// the packing of weights into panels, and the peak probe.
const TEST_ONLY = [
  "matmulAcc", "matmulTAcc", "outerAcc", "packRowPanels", "packColPanels", "peakProbe", "expArray", "tanhArray", "clipAdagrad", "clipAdam", "clipRmsprop",
  "matmulAccScalar", "matmulTAccScalar", "outerAccScalar", "expArrayScalar", "tanhArrayScalar", "clipAdagradScalar",
  "clipAdamScalar", "clipRmspropScalar",
];

const expected = CORE_EXPORTS.map((name) => `${name} ${name === "memory" ? "memory" : "function"}`).sort();

test("build/minrnn.wasm exports exactly CoreExports: every name, with its kind, and nothing else", () => {
  assert.is(new Set(CORE_EXPORTS).size, CORE_EXPORTS.length, "a name listed twice");
  assert.equal(exportsOf("minrnn.wasm"), expected);
});

test("the kernel entry points are in build/minrnn.testing.wasm only, beside the whole release ABI", () => {
  const release = exportsOf("minrnn.wasm").map((e) => e.split(" ")[0]);
  for (const name of TEST_ONLY) assert.not.ok(release.includes(name), `the release .wasm exports ${name}`);
  assert.equal(exportsOf("minrnn.testing.wasm"), [...expected, ...TEST_ONLY.map((name) => `${name} function`)].sort());
});

test("the fused build exports what the default build does (its testing build likewise)", () => {
  if (!WebAssembly.validate(readFileSync(join(root, "build/minrnn.fma.wasm")))) {
    console.log("  exports: the fused build is not compiled here: this runtime lacks relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd)");
    return;
  }
  assert.equal(exportsOf("minrnn.fma.wasm"), exportsOf("minrnn.wasm"));
  assert.equal(exportsOf("minrnn.testing.fma.wasm"), exportsOf("minrnn.testing.wasm"));
});

test.run();
