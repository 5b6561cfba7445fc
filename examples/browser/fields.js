// The page's number fields, read as typed and checked against their limits. The inputs
// are text fields (inputmode numeric or decimal), not type=number: a number input hands
// scripts an empty string for "abc" or "1e999", so the message could not quote it.

/** A field's limits; `integer` fields take whole numbers only, `auto` ones also the word auto. */
export const LIMITS = {
  hidden: { label: "Hidden size", min: 1, max: 1024, integer: true },
  layers: { label: "Layers", min: 1, max: 3, integer: true },
  "seq-length": { label: "Sequence length", min: 1, max: 1000, integer: true },
  "learning-rate": { label: "Learning rate", min: 0.0001, max: 10 },
  batch: { label: "Batch", min: 1, max: 64, integer: true },
  "clip-norm": { label: "Clip by norm", min: 0.01, max: 1000, optional: true },
  seed: { label: "Model seed", min: 0, max: 4294967295, integer: true },
  "thread-count": { label: "Threads", min: 1, max: 16, integer: true, auto: true },
  "sample-length": { label: "Length", min: 1, max: 20000, integer: true },
  "sample-seed": { label: "Sample seed", min: 0, max: 4294967295, integer: true, optional: true },
};

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

/**
 * The field's value as a number (undefined for an empty optional field, "auto" where the
 * field takes it). A value out of its limits marks the field invalid and throws a
 * RangeError quoting what was typed.
 */
export function readField(input) {
  const { label, min, max, integer, optional, auto } = LIMITS[input.id];
  const typed = input.value;
  const text = typed.trim().replaceAll(",", "");
  if (auto && text.toLowerCase() === "auto") {
    input.setAttribute("aria-invalid", "false");
    return "auto";
  }
  const value = Number(text);
  const ok = text === "" ? optional : Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
  input.setAttribute("aria-invalid", String(!ok));
  if (!ok) {
    const kind = `${auto ? "auto or " : ""}${integer ? "a whole number" : "a number"}`;
    const shown = typed === "" ? "nothing was typed" : `you typed ${JSON.stringify(typed)}`;
    throw new RangeError(`${label} must be ${kind} from ${grouped.format(min)} to ${grouped.format(max)}; ${shown}.`);
  }
  return text === "" ? undefined : value;
}
