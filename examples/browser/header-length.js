// The first check of a chosen checkpoint file, made before the library's: a safetensors
// file opens with its header's length, a u64. The library reads it as a JS number, which
// rounds above 2^53, so a PNG's 727905341920923785 would be shown as 727905341920923800.
// Read as a BigInt, the length is printed exactly.

/** Why `bytes` cannot be a checkpoint because of its header length, or null if it may be one. */
export function headerLengthProblem(bytes) {
  if (bytes.length < 8) return null; // the library says what is wrong with a file this short
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  const follow = BigInt(bytes.length - 8);
  if (length <= follow) return null;
  return `not a usable checkpoint: its header length field says ${length} bytes, but only ${follow} follow it; this is not a safetensors file, or its first bytes are damaged`;
}
