// Text from a file, shown to a person: a tensor name, a metadata key or a vocabulary entry
// may hold anything. Control characters are escaped as JSON escapes them (and the C1
// controls and line separators too, which JSON leaves alone), so that an ESC or CSI
// sequence cannot drive the terminal and a newline cannot break a one-line message.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const SHORT: Record<string, string> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };

/** `text` with every control character as a JSON escape (\n, \u001b, …); the rest as is. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
