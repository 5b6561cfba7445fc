// Files, the Node way, without losing data: atomic writes (a reader, or a crash, sees the
// old file or the new one, never half of one; through a symlink, of the file it points
// to) and text reading with errors that say what was wrong with the file and what to do.
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { constants } from "node:buffer";
import { MinrnnError } from "../errors.js";
import { lstatQuiet, refuseSpecialFile, writeTarget } from "./paths.js";
import { removeStaleTempFiles, tempPathFor } from "./temp-files.js";

/**
 * Writes `bytes` to `path` atomically: into a temporary file beside it (same directory, so
 * same file system), flushed to disk, then renamed over the target. On any failure the
 * temporary file is removed and the previous file at `path`, if any, is left intact. After
 * a save, the temporary files that killed processes left beside it are removed.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const target = writeTarget(path);
  refuseSpecialFile(path, target);
  const temp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", 0o644);
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    try { unlinkSync(temp); } catch { /* never created, or already renamed */ }
    throw writeError(target, e);
  }
  syncDirectory(dirname(target));
  removeStaleTempFiles(target); // only now: a complete one may have been the only copy until this save
}

/**
 * Checks that `path` can be written atomically, by creating and removing a temporary file
 * beside it, so that a long training run does not end in a failed save.
 */
export function checkWritable(path: string): void {
  const target = writeTarget(path);
  refuseSpecialFile(path, target);
  const temp = tempPathFor(target);
  try {
    closeSync(openSync(temp, "wx", 0o644));
    unlinkSync(temp);
  } catch (e) {
    throw writeError(target, e);
  }
}

/** Makes the rename durable. Best effort: some systems cannot open or sync a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // The data itself is synced; only the directory entry's durability is at stake.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try { closeSync(fd); } catch { /* already failing; the first error is the one to report */ }
}

function writeError(path: string, e: unknown): MinrnnError {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    // Also what creating a file in /proc or /sys gives, where the directory does exist.
    ENOENT: lstatQuiet(dirname(path))?.isDirectory()
      ? `the directory ${dirname(path)} does not let files be created in it (a system directory such as /proc?); choose another output path`
      : `the directory ${dirname(path)} does not exist; create it or choose another output path`,
    ENOTDIR: `a part of ${dirname(path)} is not a directory; choose another output path`,
    EISDIR: "it is a directory; give a file name, e.g. model.safetensors",
    EACCES: "permission denied; choose a writable location",
    EPERM: "permission denied; choose a writable location",
    EROFS: "the file system is read-only; choose another location",
    ENOSPC: "the disk is full; free some space or choose another location",
    EDQUOT: "the disk quota is exceeded; free some space or choose another location",
  };
  return new MinrnnError("INVALID_ARGUMENT", `cannot write ${path}: ${why[code ?? ""] ?? `${(e as Error).message}; choose another output path`}`);
}

/**
 * The most bytes a text to train on may have: the core's text index holds 2^31 − 1
 * symbols, and a UTF-8 text has no more characters than bytes (above that, it would not
 * fit a JavaScript string either). A file, FIFO or device is read up to this bound.
 */
export const MAX_TEXT_BYTES = 2 ** 31 - 1;
const CHUNK = 2 ** 20;
const { MAX_STRING_LENGTH } = constants;

/**
 * Reads a file's bytes, at most `limit` of them: a file that is larger, or a pipe or
 * device that gives more (a writer that never stops), is refused with the bound in the
 * error, so that memory holds at most the bound. A regular file is read into one buffer
 * of its size; anything else a chunk at a time. Clear errors for a missing file, a
 * directory, no permission.
 */
export function readBytes(path: string, what: string, limit = MAX_TEXT_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw readError(path, what, e);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (stats.isFile() && stats.size > limit) throw tooLarge(path, what, limit, stats.size);
    const parts: Uint8Array[] = [];
    let total = 0;
    // A regular file's size is only a hint (it may grow while read): one byte more tells.
    for (let size = stats.isFile() ? stats.size + 1 : CHUNK; ; size = CHUNK) {
      const chunk = Buffer.allocUnsafe(Math.min(size, limit + 1 - total));
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) break;
      parts.push(chunk.subarray(0, got));
      total += got;
      if (total > limit) throw tooLarge(path, what, limit);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  } catch (e) {
    throw e instanceof MinrnnError ? e : readError(path, what, e);
  } finally {
    closeSync(fd);
  }
}

/** A file of `size` bytes, or a stream (no size) that gave more than `limit`. */
function tooLarge(path: string, what: string, limit: number, size?: number): MinrnnError {
  const got = size === undefined ? "gives more than" : `is ${size.toLocaleString("en-US")} bytes, more than`;
  return new MinrnnError(
    "INVALID_TEXT",
    `${what} ${path} ${got} the ${limit.toLocaleString("en-US")} bytes minrnn reads (the core's text index holds at most 2^31 − 1 symbols); give a part of it (e.g. head -c 1000000000 ${path} > part.txt)`,
  );
}

/** The error for a file that cannot be read, saying why in words and what to do. */
export function readError(path: string, what: string, e: unknown): MinrnnError {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOENT: "no such file; check the path",
    EISDIR: `it is a directory; give the path of a ${what}`,
    EACCES: "permission denied; check the file's permissions",
    EPERM: "permission denied; check the file's permissions",
  };
  return new MinrnnError("INVALID_ARGUMENT", `cannot read ${what} ${path}: ${why[code ?? ""] ?? (e as Error).message}`);
}

/** Reads a file to train on as bytes (byte mode); an empty file is an error. */
export function readDataFile(path: string): Uint8Array {
  const bytes = readBytes(path, "text file");
  if (bytes.length === 0) {
    throw new MinrnnError("INVALID_TEXT", `${path} is empty; give a text to train on (at least seq + 1 characters)`);
  }
  return bytes;
}

/** Reads a UTF-8 text file. An empty file, or bytes that are not UTF-8, are errors that say where. */
export function readTextFile(path: string): string {
  const bytes = readDataFile(path);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    if (at === bytes.length) {
      throw new MinrnnError("INVALID_TEXT", `${path} has more characters than a JavaScript string holds (${MAX_STRING_LENGTH.toLocaleString("en-US")} UTF-16 units); give a part of it, or train on its bytes with --bytes`);
    }
    const line = countNewlines(bytes, at) + 1;
    const shown = Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new MinrnnError(
      "INVALID_TEXT",
      `${path} is not valid UTF-8: byte ${at} (line ${line}) starts an invalid sequence (${shown}); convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8 ${path} > text.txt), or train on its bytes with --bytes`,
    );
  }
}

/**
 * The offset of the first byte that does not begin a well-formed UTF-8 sequence (the
 * Unicode standard's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF),
 * or of the lead byte of a sequence cut short; bytes.length if all is well formed.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    // For each lead byte: how many continuation bytes follow, and the range of the first.
    let n: number, lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b === 0xe0) { n = 2; lo = 0xa0; }
    else if (b === 0xed) { n = 2; hi = 0x9f; }
    else if (b >= 0xe1 && b <= 0xef) n = 2;
    else if (b === 0xf0) { n = 3; lo = 0x90; }
    else if (b === 0xf4) { n = 3; hi = 0x8f; }
    else if (b >= 0xf1 && b <= 0xf3) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return bytes.length;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
}
