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
