// The core's ABI as the host types it (CoreExports in src/core/engine.ts, listed at run
// time as CORE_EXPORTS) against what the .wasm files really export: the release build
// exactly that, and the test hooks and kernel entry points only in the testing build; and
// the ABI's enumerations (src/core/regions.ts) against the core's own.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CORE_EXPORTS } from "../build/modules/core/engine.js";
import { Region, Progress, Phase } from "../build/modules/core/regions.js";
import { root } from "./helpers.js";

/** The exports of a build, as "name kind" sorted by name. */
const exportsOf = (file) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(root, "build", file))))
  .map(({ name, kind }) => `${name} ${kind}`).sort();

// assembly/testing.ts: the test hooks, the ABI's enumerations (as globals), each SIMD kernel
// and the scalar form the kernel tests hold it to, the packing of weights into panels, and
// the peak probe.
const HOOKS = ["gradients", "shardStart", "freezeMasks", "maskPtr", "hiddenStatesPtr", "stateStride"];
const ENUMS = [...Object.keys(Region).map((k) => `REGION_${k}`), "PROGRESS_FIELDS", ...Object.keys(Progress).map((k) => `P_${k}`),
  ...Object.keys(Phase).map((k) => `PHASE_${k}`)];
const TEST_ONLY = [...HOOKS,
  "matmulAcc", "matmulTAcc", "outerAcc", "packRowPanels", "packColPanels", "peakProbe", "expArray", "tanhArray", "clipAdagrad", "clipAdam", "clipRmsprop",
  "matmulAccScalar", "matmulTAccScalar", "outerAccScalar", "expArrayScalar", "tanhArrayScalar", "clipAdagradScalar",
  "clipAdamScalar", "clipRmspropScalar",
];

const expected = CORE_EXPORTS.map((name) => `${name} ${name === "memory" ? "memory" : "function"}`).sort();

test("build/minrnn.wasm exports exactly CoreExports: every name, with its kind, and nothing else", () => {
  assert.is(new Set(CORE_EXPORTS).size, CORE_EXPORTS.length, "a name listed twice");
  assert.equal(exportsOf("minrnn.wasm"), expected);
});

test("the release ABI is narrow: at most 30 exports, each one the host types", () => {
  assert.ok(CORE_EXPORTS.length <= 30, `${CORE_EXPORTS.length} exports`);
});

test("the test hooks and kernel entry points are in build/minrnn.testing.wasm only, beside the whole release ABI", () => {
  const release = exportsOf("minrnn.wasm").map((e) => e.split(" ")[0]);
  for (const name of [...TEST_ONLY, ...ENUMS]) assert.not.ok(release.includes(name), `the release .wasm exports ${name}`);
  assert.equal(exportsOf("minrnn.testing.wasm"), [...expected, ...TEST_ONLY.map((name) => `${name} function`), ...ENUMS.map((name) => `${name} global`)].sort());
});

test("the host's region, progress and phase numbers are the core's", () => {
  const core = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(root, "build", "minrnn.testing.wasm"))), {}).exports;
  for (const [name, k] of Object.entries(Region)) assert.is(core[`REGION_${name}`].value, k, name);
  for (const [name, k] of Object.entries(Progress)) assert.is(core[`P_${name}`].value, k, name);
  assert.is(core.PROGRESS_FIELDS.value, Object.keys(Progress).length);
  for (const [name, k] of Object.entries(Phase)) assert.is(core[`PHASE_${name}`].value, k, name);
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
