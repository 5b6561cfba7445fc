// Shared by the tests: fixture loading, comparisons that report the worst element, and
// access to ../shared (present in CI and development, absent in a user's clone).
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as assert from "uvu/assert";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const sharedDir = fileURLToPath(new URL("../../shared/", import.meta.url));
export const shakespearePath = `${sharedDir}data/tinyshakespeare.txt`;

export function loadFixture(name) {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
}

/** The tiny shakespeare text, or null with a printed notice where ../shared is absent. */
export function shakespeare(testName) {
  if (!existsSync(shakespearePath)) {
    console.log(`  skipped ${testName}: ${shakespearePath} is absent (it ships beside the repository in CI)`);
    return null;
  }
  return readFileSync(shakespearePath, "utf8");
}

/**
 * trainAsync on `target` (a model or a threaded trainer) in chunks of `every`, aborted
 * once the iteration reaches `stopAt`; returns the iteration it stopped at and how many
 * timer callbacks ran meanwhile (more than 0: it yielded to the event loop).
 */
export async function trainAborted(target, { stopAt, every }) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const controller = new AbortController();
  try {
    const result = await target.trainAsync({
      iterations: 100 * stopAt, progressEvery: every, signal: controller.signal,
      onProgress: (p) => { if (p.iteration >= stopAt) controller.abort(); },
    });
    return { iteration: result.iteration, ticks };
  } finally {
    clearInterval(timer);
  }
}

/** Largest |a - b| over two equal-length arrays. */
export function maxAbsDiff(a, b) {
  assert.is(a.length, b.length, "lengths differ");
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export function assertClose(actual, expected, limit, what) {
  const d = maxAbsDiff(actual, expected);
  assert.ok(d <= limit, `${what}: max abs diff ${d.toExponential(2)} exceeds ${limit}`);
  return d;
}

export function assertRel(actual, expected, limit, what) {
  const r = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(r <= limit, `${what}: ${actual} vs ${expected}, rel diff ${r.toExponential(2)} exceeds ${limit}`);
  return r;
}

// ---- the model's internals, for the tests that look inside ----------------------------
// A model's state (src/model/state.ts) is internal; tests reach it as minrnn/threads does,
// through stateOf. The test hooks (gradients without an update, the last forward pass's
// hidden states, dropout's masks) are in the testing build only: a model that needs them
// is made inside withTestHooks.
import { stateOf } from "../dist/model/model.js";
import { initWith, compiledModuleIfAny } from "../dist/core/wasm.js";
export { stateOf };

const testingModule = new WebAssembly.Module(readFileSync(new URL("../build/minrnn.testing.wasm", import.meta.url)));

/**
 * fn with the testing build as the core (the release ABI plus the test hooks): the models
 * it creates have the hooks; everything else keeps the release build.
 */
export function withTestHooks(fn) {
  const previous = compiledModuleIfAny();
  initWith(testingModule);
  try {
    return fn();
  } finally {
    initWith(previous);
  }
}

/** The wrap, the loss and the clipped gradients at the current window, without an update: the loss; the gradients are stateOf(model).parameters("GRADS"). */
export function gradients(model) {
  const state = stateOf(model);
  for (const t of state.parameters("GRADS")) t.data.fill(0);
  return state.live().core.gradients();
}

/** h[t] for t = 0..T-1 of the last forward pass, stream 0, top layer, [T, hidden]. */
export function hiddenStates(model) {
  const { seqLength: T, batch: B, hidden: H, layers } = model.config;
  const core = stateOf(model).live().core;
  const HP = core.stateStride();
  const N = core.shardCount() === 1 ? B : core.shardStart(1);   // stream 0's shard: its block is [T+1, N, HP]
  const hs = new Float32Array(core.memory.buffer, core.hiddenStatesPtr(layers - 1), (T + 1) * N * HP);
  const out = new Float32Array(T * H);
  for (let t = 0; t < T; t++) out.set(hs.subarray((t + 1) * N * HP, (t + 1) * N * HP + H), t * H);
  return out;
}

/** Reads throwsCode's optional arguments: (what, pattern) or (pattern). */
const expectation = (whatOrPattern, pattern) => whatOrPattern instanceof RegExp ? { what: "", pattern: whatOrPattern } : { what: whatOrPattern ?? "", pattern };

function checkThrown(e, code, { what, pattern }) {
  assert.is(e?.name, "MinrnnError", `${what}: threw ${e?.name}: ${e?.message}`);
  assert.is(e.code, code, `${what}: code ${e.code} (${e.message})`);
  if (pattern) assert.match(e.message, pattern, what);
  return e;
}

/**
 * Asserts that fn throws a MinrnnError with `code` (and a message matching `pattern`);
 * returns the error. Called as (fn, code, what, pattern) or (fn, code, pattern). A model
 * fn returns when it does not throw is disposed.
 */
export function throwsCode(fn, code, whatOrPattern, pattern) {
  const expected = expectation(whatOrPattern, pattern);
  try {
    fn()?.dispose?.();
  } catch (e) {
    return checkThrown(e, code, expected);
  }
  assert.unreachable(`${expected.what}: did not throw (expected ${code})`);
}

/** The same, for an async fn. */
export async function rejectsCode(fn, code, whatOrPattern, pattern) {
  const expected = expectation(whatOrPattern, pattern);
  try {
    await fn();
  } catch (e) {
    return checkThrown(e, code, expected);
  }
  assert.unreachable(`${expected.what}: did not throw (expected ${code})`);
}
