// Checks of user-supplied numbers and choices, each with a message that says what was
// wrong and what would be accepted.
import { MinrnnError } from "../errors.js";

/** The largest count the core indexes with an i32: text positions, lengths, chunk sizes. */
export const MAX_INDEX = 2 ** 31 - 1;

export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new MinrnnError("INVALID_ARGUMENT", `${name} must be an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

/**
 * A number > 0 (or Infinity if allowed). With `float32`, one the core's float32 holds:
 * below about 1.4e-45 it would become 0 there (and train nothing), above 3.4e38 Infinity.
 */
export function positive(name: string, value: unknown, options: { allowInfinity?: boolean; float32?: boolean } = {}): number {
  const ok = typeof value === "number" && value > 0 && (Number.isFinite(value) || (options.allowInfinity === true && value === Infinity));
  if (!ok) {
    throw new MinrnnError("INVALID_ARGUMENT", `${name} must be a positive ${options.allowInfinity ? "number (or Infinity)" : "finite number"}, got ${show(value)}`);
  }
  const f = Math.fround(value);
  if (options.float32 && value !== Infinity && !(f > 0 && Number.isFinite(f))) {
    throw new MinrnnError("INVALID_ARGUMENT", `${name} must be within float32's range (1.4e-45 to 3.4e38), where the core computes it, got ${show(value)} (${f} in float32)`);
  }
  return value;
}

/** An optional yes/no: a truthy non-boolean (1, "yes") would otherwise be silently ignored. */
export function flag(name: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== "boolean") {
    throw new MinrnnError("INVALID_ARGUMENT", `${name} must be true or false, got ${show(value)}`);
  }
  return value === true;
}

/** An optional callback, checked before any work (not found wrong only when first called). */
export function callback(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw new MinrnnError("INVALID_ARGUMENT", `${name} must be a function, got ${show(value)}`);
  }
}

export function choice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new MinrnnError("INVALID_ARGUMENT", `${name} must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")}, got ${show(value)}`);
  }
  return value as T;
}

export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null) return String(value);
  return typeof value;
}

/** Other names users reach for, and the option each means. */
const ALIASES: Record<string, string> = {
  lr: "learningRate", rate: "learningRate", seq: "seqLength", seqlen: "seqLength", hiddensize: "hidden",
  beta1: "betas", beta2: "betas", numlayers: "layers", batchsize: "batch", len: "length", temp: "temperature", k: "topK",
};

/**
 * Refuses any key of `options` that is not in `known`: a misspelled option must not be
 * ignored and leave a default in its place. The error names the key and the nearest
 * known one. `elsewhere` maps keys that belong to another call to where they go.
 */
export function knownKeys(call: string, options: object, known: readonly string[], elsewhere: Record<string, string> = {}): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = elsewhere[key] ?? (() => {
      const near = nearest(key, known);
      return near === null ? `the options are ${known.join(", ")}` : `did you mean \`${near}\`?`;
    })();
    throw new MinrnnError("INVALID_ARGUMENT", `${call} has no option ${JSON.stringify(key)}: ${hint}`);
  }
}

const squash = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, "");

/** The known key closest to `key`: the same letters but for case and separators, an alias, a prefix, or a few edits away. */
export function nearest(key: string, known: readonly string[]): string | null {
  const k = squash(key);
  const alias = ALIASES[k];
  if (alias !== undefined && known.includes(alias)) return alias;
  const exact = known.find((n) => squash(n) === k);
  if (exact) return exact;
  const prefix = known.find((n) => k.length >= 2 && squash(n).startsWith(k));
  if (prefix) return prefix;
  let best: string | null = null, bestDistance = Infinity;
  for (const n of known) {
    const d = editDistance(k, squash(n));
    if (d < bestDistance) { best = n; bestDistance = d; }
  }
  return bestDistance <= Math.max(2, Math.floor(k.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** An options argument: an object (or undefined for none). */
export function optionsObject<T extends object>(call: string, value: T | undefined, shape: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MinrnnError("INVALID_ARGUMENT", `${call} takes an options object (${shape}), got ${show(value)}`);
  }
  return value;
}
