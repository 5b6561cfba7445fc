// Small helpers shared by the benchmark suites: robust summaries and number formatting.

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  const a = [...values].sort((x, y) => x - y);
  const mid = a.length >> 1;
  return a.length % 2 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
}

/** 163512 → "163.5k", 1.2e6 → "1.20M". */
export function si(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}

/** Seconds of wall time of fn(), by the high-resolution clock. */
export function seconds(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Deterministic pseudo-random floats in [-scale, scale) (the kernels' inputs). */
export function fillRandom(array, seed, scale) {
  let s = seed >>> 0;
  for (let i = 0; i < array.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    array[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return array;
}
