// Where a write really goes. A save replaces a file by renaming a temporary file over it;
// done to a symlink, that would replace the link instead of writing the file it points to
// (editors and rsync write through it), and done to a device node, FIFO or directory, it
// would put a regular file in its place. Those are refused instead.
import { lstatSync, readlinkSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { MinrnnError } from "../errors.js";

/** Links followed before giving up, as the kernel's own limit (ELOOP). */
const MAX_LINKS = 40;

/**
 * The path a write to `path` replaces: `path` itself, or, through any chain of symlinks
 * (a dangling one too), the file at its end. Throws for a loop of links.
 */
export function writeTarget(path: string): string {
  let p = path;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    const stats = lstatQuiet(p);
    if (!stats?.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new MinrnnError("INVALID_ARGUMENT", `cannot write ${path}: it is a symlink that leads through more than ${MAX_LINKS} links (a loop?); give the path of a file`);
}

/** Refuses to write over what is not a regular file: a device node, a FIFO, a socket or a directory. */
export function refuseSpecialFile(path: string, target: string): void {
  const stats = lstatQuiet(target);
  const kind = stats === undefined || stats.isFile() ? undefined : describeKind(stats);
  if (kind === undefined) return;
  const through = target === path ? "" : ` (the symlink leads to ${target})`;
  throw new MinrnnError("INVALID_ARGUMENT", `cannot write ${path}: it is ${kind}${through}; give a file name, e.g. model.safetensors (a save would replace it with a regular file)`);
}

function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  return stats.isSocket() ? "a socket" : "not a regular file";
}

export function lstatQuiet(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
