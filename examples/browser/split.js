// The demo's train/validation split, as `minrnn train --val 0.05` makes it: the last 5% of
// the text's code points are held out and only evaluated, so the validation loss shows
// when the model starts memorising the rest.
export const VALIDATION_FRACTION = 0.05;

/** { train, validation } parts of `text`; validation is "" when 5% would not fill one window. */
export function holdOut(text, seqLength) {
  const chars = Array.from(text);
  const held = Math.floor(chars.length * VALIDATION_FRACTION);
  if (held < seqLength + 1) return { train: text, validation: "" };
  return { train: chars.slice(0, chars.length - held).join(""), validation: chars.slice(chars.length - held).join("") };
}
