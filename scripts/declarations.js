// Which declaration files a package's exports reach: from the `types` of `exports` (and
// the top-level `types`), every .d.ts they import, however indirectly. The rest are the
// internals of the command and the host, which no consumer's compiler ever opens.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** The .d.ts files under `dir`/dist that `pkg`'s exports reach and that they do not, relative to `dir`. */
export function declarations(dir, pkg) {
  const types = (node) => (typeof node === "string" ? [] : Object.entries(node).flatMap(([k, v]) => (k === "types" && typeof v === "string" ? [v] : types(v))));
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file) || !existsSync(file)) return;
    reached.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(join(dirname(file), spec.replace(/\.js$/, ".d.ts")));
    }
  };
  for (const entry of [pkg.types, ...types(pkg.exports ?? {})]) if (entry) visit(join(dir, entry));
  const all = readdirSync(join(dir, "dist"), { recursive: true }).map((f) => join(dir, "dist", f)).filter((f) => f.endsWith(".d.ts"));
  const rel = (files) => files.map((f) => relative(dir, f));
  return { reached: rel(all.filter((f) => reached.has(f))), unreached: rel(all.filter((f) => !reached.has(f))) };
}
