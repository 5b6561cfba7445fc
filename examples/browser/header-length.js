// The first check of a chosen checkpoint file, made before the library's: a safetensors
// file opens with its header's length, a u64. The library reads it as a JS number, which
// rounds above 2^53, so a PNG's 727905341920923785 would be shown as 727905341920923800.
// Read as a BigInt, such a length is printed exactly; smaller ones the library says well.

/** Why `bytes` cannot be a checkpoint, if its header length is beyond exact JS numbers; else null. */
export function headerLengthProblem(bytes) {
  if (bytes.length < 8) return null; // the library says what is wrong with a file this short
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length <= BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return `not a usable checkpoint: its header length field says ${length} bytes, far more than a checkpoint header can have; this is not a safetensors file, or its first bytes are damaged`;
}
