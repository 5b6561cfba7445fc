// Reading a checkpoint file with a bound. Its header says how long the file is: 8 bytes of
// header length, the header, then data up to the largest data_offsets end. Reading stops
// there (and one byte on, so that trailing bytes are seen and refused), so a file that
// never ends (/dev/zero, a FIFO, a file growing under us) cannot make the read go on
// forever or fill the memory.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { MAX_HEADER_BYTES } from "../../checkpoint/codec.js";
import { readError } from "../files.js";

/** The most data a header may claim: no model's tensors pass WebAssembly's 4 GiB of memory. */
const MAX_DATA_BYTES = 2 ** 32;
const CHUNK = 2 ** 20;

/** The file's bytes up to the end its header implies (plus one); decodeCheckpoint judges them. */
export function readCheckpointBytes(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd);
      throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    }
  } catch (e) {
    throw readError(path, "checkpoint", e);
  }
  try {
    const lengthField = readUpTo(fd, 8);
    if (lengthField.length < 8) return lengthField;
    const view = new DataView(lengthField.buffer, lengthField.byteOffset, 8);
    const headerLength = view.getUint32(4, true) === 0 ? view.getUint32(0, true) : Infinity;
    if (headerLength > MAX_HEADER_BYTES) return lengthField;   // refused for its length field alone
    const header = readUpTo(fd, headerLength);
    const data = readUpTo(fd, Math.min(claimedDataBytes(header), MAX_DATA_BYTES) + 1);
    return Buffer.concat([lengthField, header, data]);
  } catch (e) {
    throw readError(path, "checkpoint", e);
  } finally {
    closeSync(fd);
  }
}

/** The largest data_offsets end in a header (0 if it is not JSON: the decoder says what is wrong). */
function claimedDataBytes(header: Uint8Array): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(header));
  } catch {
    return 0;
  }
  if (typeof parsed !== "object" || parsed === null) return 0;
  let end = 0;
  for (const entry of Object.values(parsed)) {
    const offsets = (entry as { data_offsets?: unknown } | null)?.data_offsets;
    const last = Array.isArray(offsets) ? offsets[1] : undefined;
    if (Number.isSafeInteger(last) && (last as number) > end) end = last as number;
  }
  return end;
}

/** Up to n bytes from fd's current position (fewer at the end of the file), a chunk at a time. */
function readUpTo(fd: number, n: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let left = n; left > 0;) {
    const chunk = new Uint8Array(Math.min(left, CHUNK));
    const got = readSync(fd, chunk, 0, chunk.length, null);
    if (got === 0) break;
    parts.push(chunk.subarray(0, got));
    left -= got;
  }
  return Buffer.concat(parts);
}

/** The 8-byte header length, then a JSON object: as every safetensors file starts. */
export function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 10) return false;
  const view = new DataView(head.buffer, head.byteOffset, 8);
  const length = view.getUint32(0, true);
  return view.getUint32(4, true) === 0 && length <= MAX_HEADER_BYTES && 8 + length <= size && head[8] === 0x7b;
}
