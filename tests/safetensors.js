// Checkpoint files taken apart and put together by hand (independently of src/), for the
// tests that feed the loader damaged, edited and hostile files.

export function parse(bytes) {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))), data: bytes.slice(8 + n) };
}

/** A file from a header's JSON text, as given (duplicate keys and all), and the data area. */
export function buildRaw(json, data) {
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

export const build = (header, data) => buildRaw(JSON.stringify(header), data);

/** Edits a saved file's header (without its checksum, so that the check under test is the one that fires). */
export function edit(bytes, change) {
  const { header, data } = parse(bytes);
  delete header.__metadata__.crc32;
  return build(change(header) ?? header, data);
}

/** edit() of one JSON metadata entry (config, vocab or training) by `change`. */
export const editMeta = (bytes, key, change) => edit(bytes, (h) => {
  const value = JSON.parse(h.__metadata__[key]);
  h.__metadata__[key] = JSON.stringify(change(value) ?? value);
});

/** A deterministic PRNG for the fuzzing, so a failure can be replayed. */
export function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

