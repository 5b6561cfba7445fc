// What a command may write. A typo must not destroy a file the user needed: an output is
// never one of the command's inputs or another output (--out t.txt where t.txt is the
// training text; --plot m.safetensors beside --out m.safetensors), and an existing file is
// replaced only if it is of the kind the output writes (a checkpoint; an SVG image for
// --plot), unless the user says --force.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { MinrnnError } from "../../index.js";
import { lstatQuiet, writeTarget } from "../paths.js";
import { looksLikeSafetensors } from "./checkpoint-read.js";

/** A file a command names: the option (or role) that names it, and its path. */
export interface NamedPath {
  name: string;
  path: string;
}

export type OutputKind = "checkpoint" | "svg";

/** An output, and the inputs it must not be (an output may replace the input it continues, as --resume's default). */
export interface Output extends NamedPath {
  kind: OutputKind;
  notInputs: NamedPath[];
}

/** Refuses outputs that are inputs or each other, and existing files of another kind (unless `force`). */
export function checkOutputs(outputs: Output[], force: boolean): void {
  outputs.forEach((out, i) => {
    const id = outputIdentity(out.path);
    for (const input of out.notInputs) {
      if (id === inputIdentity(input.path)) {
        throw new MinrnnError("INVALID_ARGUMENT", `${out.name} ${out.path} is ${input.name} ${input.path}: writing it would destroy what it reads; choose another path for ${out.name}`);
      }
    }
    for (const other of outputs.slice(0, i)) {
      if (id === outputIdentity(other.path)) {
        throw new MinrnnError("INVALID_ARGUMENT", `${out.name} ${out.path} is also ${other.name} ${other.path}: one would overwrite the other; give them different paths`);
      }
    }
    if (!force) refuseOtherKind(out);
  });
}

/** What a write to `path` replaces: the file at the end of its symlinks (device and inode), or that path. */
function outputIdentity(path: string): string {
  const target = writeTarget(path);
  return inputIdentity(target);
}

/** The file a read of `path` opens (device and inode), or its absolute path if there is none yet. */
function inputIdentity(path: string): string {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return resolve(path);
  }
}

const KIND: Record<OutputKind, { what: string; looksRight: (head: Uint8Array, size: number) => boolean }> = {
  checkpoint: { what: "a checkpoint (safetensors)", looksRight: looksLikeSafetensors },
  svg: { what: "an SVG image", looksRight: (head) => /^\s*(<\?xml[^>]*>\s*)?(<!--[^]*?-->\s*)*<svg[\s>]/.test(new TextDecoder().decode(head)) },
};

/** An existing, non-empty regular file that is not of the output's kind is left alone. */
function refuseOtherKind(out: Output): void {
  const target = writeTarget(out.path);
  const stats = lstatQuiet(target);
  if (!stats?.isFile() || stats.size === 0) return; // nothing to lose, or refused as a special file by the save
  const head = readHead(target, 512);
  if (head === null || KIND[out.kind].looksRight(head, stats.size)) return;
  throw new MinrnnError(
    "INVALID_ARGUMENT",
    `${out.name} ${out.path} exists and is not ${KIND[out.kind].what}, which it would be replaced with; choose another path, or add --force to overwrite it`,
  );
}

/** Up to n bytes from the start of a file (null if it cannot be read: the save says why, if it matters). */
function readHead(path: string, n: number): Uint8Array | null {
  try {
    const fd = openSync(path, "r");
    try {
      const head = new Uint8Array(n);
      return head.subarray(0, readSync(fd, head, 0, n, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}
