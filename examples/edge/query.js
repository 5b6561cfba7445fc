// The worker's query string, read strictly. URLSearchParams is too forgiving for an API
// that other sites call: it keeps the first of a repeated name, and turns a percent-escape
// that is not UTF-8 into U+FFFD, which then reads as a character the model lacks. Numbers
// are plain decimal digits: Number() would also take "1e3", "0x10" and " 10".
const DIGITS = /^[0-9]+$/;
const DECIMAL = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * The parameters of `search` ("?a=1&b=2") as a Map of decoded names to decoded values.
 * A RangeError says which parameter is repeated, unknown, or badly encoded.
 */
export function parseQuery(search, known) {
  const params = new Map();
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (part === "") continue;
    const at = part.indexOf("=");
    const [rawName, rawValue] = at < 0 ? [part, ""] : [part.slice(0, at), part.slice(at + 1)];
    const name = decode(rawName, "a parameter name");
    if (!known.includes(name)) throw new RangeError(`unknown parameter ${name}; use ${known.join(", ")}`);
    if (params.has(name)) throw new RangeError(`${name} is given more than once; give each parameter once`);
    params.set(name, decode(rawValue, name));
  }
  return params;
}

/** Percent-decoding ("+" is a space, as forms send it) that refuses escapes that are not UTF-8. */
function decode(raw, what) {
  const text = raw.replaceAll("+", " ");
  try {
    return decodeURIComponent(text);
  } catch {
    const bad = [...text.matchAll(ESCAPES)].map(([run]) => run).find((run) => !decodes(run));
    if (bad !== undefined) {
      throw new RangeError(`${what} has percent-escapes that are not valid UTF-8 (${bad}); encode the text as UTF-8, as encodeURIComponent does`);
    }
    const stray = text.match(/%(?![0-9A-Fa-f]{2})/);
    throw new RangeError(`${what} has a "%" that does not start an escape (${JSON.stringify(text.slice(stray.index, stray.index + 3))}); write a percent sign as %25`);
  }
}

function decodes(run) {
  try {
    decodeURIComponent(run);
    return true;
  } catch {
    return false;
  }
}

/** How each kind of number is written, and how the error says it. */
const FORMS = {
  integer: { pattern: DIGITS, says: (min, max) => `a whole number from ${min} to ${max} in plain decimal digits` },
  decimal: { pattern: DECIMAL, says: (min, max) => `a number from ${min} to ${max} in plain decimal (like 0.8)` },
};

function numeric(form, params, name, fallback, min, max) {
  const raw = params.get(name);
  if (raw === undefined) return fallback;
  const { pattern, says } = FORMS[form];
  const value = pattern.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new RangeError(`${name} must be ${says(min, max)}, got ${JSON.stringify(raw)}`);
  return value;
}

/** An integer parameter of plain decimal digits within [min, max], or `fallback` when absent. */
export const integer = (...args) => numeric("integer", ...args);
/** A decimal parameter (digits and at most one point) within [min, max], or `fallback` when absent. */
export const decimal = (...args) => numeric("decimal", ...args);
