// Builds the JavaScript the package ships: one bundled ES module per entry in dist/ (a
// Node process then reads one file instead of twenty, which is most of the import time),
// the type declarations beside them, and the unbundled modules in build/modules/ for the
// tests that reach inside the package.
//   node scripts/build-js.js
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const modules = join(root, "build/modules");

/**
 * Every file the package's `exports` and `bin` name (dist/<name>.js) and the source it is
 * bundled from; the threads worker is an entry of its own because Node starts it as a file.
 * An import of a `shared` entry's source from any other entry, or of an entry listed in
 * `imports`, stays an import of that entry's file: its content ships once, and Node's
 * entry and the portable one are one module (one core, one set of classes).
 */
const ENTRIES = {
  "index": { source: "src/index.ts" },
  "workerd": { source: "src/workerd.ts" },
  "edge-light": { source: "src/edge-light.ts" },
  "corpus": { source: "src/corpus.ts", shared: true },
  "node/index": { source: "src/node/index.ts", platform: "node", imports: ["index"] },
  "node/threads": { source: "src/node/threads.ts", platform: "node" },
  "node/threads-worker": { source: "src/node/threads-worker.ts", platform: "node" },
  "node/cli": { source: "src/node/cli.ts", platform: "node", executable: true },
};

/** The bundle built from the source file `path` (a module that `new URL` names must be an entry). */
function built(path) {
  const name = Object.keys(ENTRIES).find((n) => join(root, ENTRIES[n].source) === path);
  if (name === undefined) throw new Error(`${relative(root, path)} is loaded by its URL but is not in ENTRIES of scripts/build-js.js`);
  return join(dist, `${name}.js`);
}
/** An import specifier for `target` from a file in `fromDir`. */
const specifier = (fromDir, target) => {
  const path = relative(fromDir, target).split(sep).join(posix.sep);
  return path.startsWith(".") ? path : `./${path}`;
};

/**
 * `new URL("<relative>", import.meta.url)` in the source means a file relative to the
 * source file (a module of src/, as the entry built from it, or a file of the package
 * such as build/minrnn.wasm); a bundle moves the code, so the path is re-aimed from it.
 */
const moduleUrls = (outfile) => ({
  name: "module-relative-urls",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const code = readFileSync(args.path, "utf8").replace(
        /new URL\("(\.{1,2}\/[^"]+)", import\.meta\.url\)/g,
        (_, path) => {
          let target = resolve(dirname(args.path), path);
          if (!relative(src, target).startsWith("..")) target = built(target.replace(/\.js$/, ".ts"));
          return `new URL(${JSON.stringify(specifier(dirname(outfile), target))}, import.meta.url)`;
        },
      );
      return { contents: code, loader: "ts" };
    });
  },
});

/** The core stays a file (bundlers and runtimes compile it); so do the entries `self` imports. */
const externals = (outfile, self) => ({
  name: "externals",
  setup(b) {
    b.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
      const [path, query = ""] = args.path.split("?");
      const target = resolve(args.resolveDir, path);
      return { path: specifier(dirname(outfile), target) + (query && `?${query}`), external: true };
    });
    for (const [name, entry] of Object.entries(ENTRIES)) {
      if (name === self || !(entry.shared || ENTRIES[self].imports?.includes(name))) continue;
      const source = join(root, entry.source);
      b.onResolve({ filter: /^\./ }, (args) => {
        if (resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts") !== source) return undefined;
        return { path: specifier(dirname(outfile), join(dist, `${name}.js`)), external: true };
      });
    }
  },
});

rmSync(dist, { recursive: true, force: true });
rmSync(modules, { recursive: true, force: true });
// tsc checks the types and writes the declarations (with the unbundled modules beside them).
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--outDir", modules], { cwd: root, stdio: "inherit" });
cpSync(modules, dist, { recursive: true, filter: (path) => !path.endsWith(".js") });
cpSync(join(src, "minrnn.wasm.d.ts"), join(dist, "minrnn.wasm.d.ts"));

await Promise.all(Object.entries(ENTRIES).map(([name, entry]) => {
  const outfile = join(dist, `${name}.js`);
  return build({
    entryPoints: [join(root, entry.source)],
    outfile,
    bundle: true,
    format: "esm",
    platform: entry.platform ?? "neutral",
    target: "es2022",
    loader: { ".txt": "text" },
    plugins: [moduleUrls(outfile), externals(outfile, name)],
    legalComments: "none",
    logLevel: "warning",
  }).then(() => entry.executable && chmodSync(outfile, 0o755));
}));
