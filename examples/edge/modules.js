// What wrangler would bundle for examples/edge/worker.js, as the explicit module list
// miniflare takes (it resolves neither bare names nor package `exports` itself): the
// worker at the root with the example's own modules beside it, a module named "minrnn" standing for the package's workerd entry,
// the package's dist/ files, its core as a compiled module and the checkpoints as data.
// `npm run edge` lists the repository's build; the edge test lists the packed package.
import { readFileSync, readdirSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const EXAMPLE = fileURLToPath(new URL(".", import.meta.url));
/** As in wrangler.toml, so local runs see the APIs a deploy sees. */
export const COMPATIBILITY_DATE = "2025-01-01";
/** The modules worker.js imports from this folder. */
const OWN_MODULES = ["query.js", "body.js", "form.js"];

/**
 * Miniflare options for the worker: `root` is the project folder module names are relative
 * to, `packageDir` the minrnn package inside it (or the repository itself).
 */
export function workerOptions({ root, packageDir, workerSource = readFileSync(join(EXAMPLE, "worker.js"), "utf8") }) {
  const pkg = relative(root, packageDir).split(sep).join(posix.sep);
  // Paths are absolute: miniflare reads them from there and names each relative to modulesRoot.
  const at = (path) => join(root, path);
  const dist = readdirSync(join(packageDir, "dist"), { recursive: true }).filter((f) => f.endsWith(".js"));
  return {
    modulesRoot: root,
    compatibilityDate: COMPATIBILITY_DATE,
    modules: [
      { type: "ESModule", path: at("worker.js"), contents: workerSource },
      ...OWN_MODULES.map((name) => ({ type: "ESModule", path: at(name), contents: readFileSync(join(EXAMPLE, name), "utf8") })),
      { type: "ESModule", path: at("minrnn"), contents: `export * from "./${posix.join(pkg, "dist/workerd.js")}";` },
      ...["model.safetensors", "model-lstm.safetensors"].map((name) => ({ type: "Data", path: at(name), contents: readFileSync(join(EXAMPLE, name)) })),
      ...dist.map((f) => ({ type: "ESModule", path: join(packageDir, "dist", f) })),
      { type: "CompiledWasm", path: join(packageDir, "build/minrnn.wasm") },
    ],
  };
}
