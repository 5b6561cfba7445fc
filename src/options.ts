// Checks of user-supplied numbers and choices, each with a message that says what was
// wrong and what would be accepted.
import { MinrnnError } from "./errors.js";

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
