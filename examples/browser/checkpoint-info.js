// What a chosen checkpoint says about the text it was trained on, read from its header
// before the library loads it: the length of that text (code points), so the page can say
// which text resumes it. A safetensors file opens with a u64 header length, then a JSON
// header whose __metadata__.training (minrnn/1) holds textLength.
const MAX_HEADER = 1 << 20;

/** The training text's length recorded in `bytes`, or null if the file does not say. */
export function trainedTextLength(bytes) {
  try {
    const length = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
    if (length > MAX_HEADER || 8 + length > bytes.length) return null;
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    const n = JSON.parse(header.__metadata__.training).textLength;
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}
