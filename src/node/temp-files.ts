// The temporary files of atomic saves: `.NAME.<pid>-<random>.tmp` beside NAME, renamed over
// it once complete. A process killed during a save leaves its file behind; the pid in the
// name tells whether its writer is gone, and the next save to NAME removes such files.
import { readdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A fresh temporary path beside `path`, unique to this process and call. */
export function tempPathFor(path: string): string {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  return join(dirname(path), `.${basename(path)}.${tag}.tmp`);
}

/** Temporary files beside `path` whose writing process no longer runs. */
export function staleTempFiles(path: string): { path: string; pid: number }[] {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const m = name.startsWith(prefix) ? /^(\d+)-[0-9a-z]+\.tmp$/.exec(name.slice(prefix.length)) : null;
    const pid = Number(m?.[1]);
    return m && !running(pid) ? [{ path: join(dirname(path), name), pid }] : [];
  });
}

/** Removes the stale temporary files beside `path` (best effort: another save may race to it). */
export function removeStaleTempFiles(path: string): void {
  for (const stale of staleTempFiles(path)) {
    try { unlinkSync(stale.path); } catch { /* already gone */ }
  }
}

/** Whether a process runs: signal 0 checks without sending; EPERM means it runs as another user. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
