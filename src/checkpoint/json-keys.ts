// Duplicate keys in JSON. JSON.parse keeps the last of them silently; the safetensors
// format forbids them, and a checkpoint whose header names a tensor or a metadata entry
// twice says two things, of which a reader must not pick one.

/**
 * The first key that appears twice in one object of `json`, or null. `json` must be valid
 * JSON (JSON.parse accepted it): this only follows strings and nesting.
 */
export function firstDuplicateKey(json: string): string | null {
  const open: (Set<string> | null)[] = [];  // per enclosing object its keys so far; null for an array
  let keyNext = false;                      // the next string is a key
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === "\\" ? 2 : 1;
      const keys = open.at(-1);
      if (keyNext && keys) {
        const key = JSON.parse(json.slice(i, end + 1)) as string; // "\u0061" and "a" are one key
        if (keys.has(key)) return key;
        keys.add(key);
        keyNext = false;
      }
      i = end;
    } else if (c === "{" || c === "[") {
      open.push(c === "{" ? new Set() : null);
      keyNext = c === "{";
    } else if (c === "}" || c === "]") {
      open.pop();
      keyNext = false;
    } else if (c === ",") {
      keyNext = open.at(-1) instanceof Set;
    }
  }
  return null;
}
