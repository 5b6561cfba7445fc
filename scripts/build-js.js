// Builds the JavaScript the package ships: each entry bundled into one ES module in dist/,
// with the code that the library's entries share in chunks of dist/chunks/ (so minrnn and
// minrnn/threads are one module graph: one core, one model registry). A Node process then
// reads three files instead of twenty, which is most of the import time. tsc checks the
// types and writes the declarations beside them; its unbundled modules (build/modules/)
// serve the tests that reach stateless parts of the package.
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
 * The files the package's `exports` name (<name>.js, from the package root) and the source
 * each is bundled from. The last one is not shipped: the internals the tests reach, built
 * with the others so that they are the same module instances.
 */
const LIBRARY = {
  "dist/index": "src/index.ts",
  "dist/workerd": "src/workerd.ts",
  "dist/edge-light": "src/edge-light.ts",
  "dist/corpus": "src/corpus.ts",
  "dist/node/index": "src/node/index.ts",
  "dist/node/threads/threads": "src/node/threads/threads.ts",
  "dist/threads/web": "src/threads/web.ts",
  "build/test-internals": "tests/internals.js",
};
/**
 * Entries that run alone, a process (`bin`) and the threads worker (Node starts it as a
 * file): each is one file with all the code it runs, but the corpus, which is data and
 * stays an import of dist/corpus.js.
 */
const STANDALONE = {
  "dist/node/cli/cli": "src/node/cli/cli.ts",
  "dist/node/threads/worker": "src/node/threads/worker.ts",
  "dist/threads/web-worker": "src/threads/web-worker.ts",
};
const EXECUTABLE = "dist/node/cli/cli.js";
const CORPUS = join(root, LIBRARY["dist/corpus"]);
const ENTRIES = { ...LIBRARY, ...STANDALONE };

/** An import specifier for `target` from a file in `fromDir`. */
const specifier = (fromDir, target) => {
  const path = relative(fromDir, target).split(sep).join(posix.sep);
  return path.startsWith(".") ? path : `./${path}`;
};

/** The bundle built from the source file `path` (a module that `new URL` names must be an entry). */
function built(path) {
  const name = Object.keys(ENTRIES).find((n) => join(root, ENTRIES[n]) === path);
  if (name === undefined) throw new Error(`${relative(root, path)} is loaded by its URL but is not in ENTRIES of scripts/build-js.js`);
  return join(root, `${name}.js`);
}

/**
 * `new URL("<relative>", import.meta.url)` in the source means a file relative to the
 * source file (a module of src/, as the entry built from it, or a file of the package
 * such as build/minrnn.wasm); bundling moves the code into `outputDir(source)`, so the
 * path is re-aimed from there. The core stays a file of its own (bundlers and runtimes
 * compile it), imported from wherever the importing code lands.
 */
const relocate = (outputDir) => ({
  name: "relocate",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const code = readFileSync(args.path, "utf8").replace(
        /new URL\("(\.{1,2}\/[^"]+)", import\.meta\.url\)/g,
        (_, path) => {
          let target = resolve(dirname(args.path), path);
          if (!relative(src, target).startsWith("..")) target = built(target.replace(/\.js$/, ".ts"));
          return `new URL(${JSON.stringify(specifier(outputDir(args.path), target))}, import.meta.url)`;
        },
      );
      return { contents: code, loader: "ts" };
    });
    b.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
      const [path, query = ""] = args.path.split("?");
      const target = resolve(args.resolveDir, path);
      return { path: specifier(outputDir(args.importer), target) + (query && `?${query}`), external: true };
    });
  },
});

/** A standalone entry takes the corpus from its file. */
const corpusFile = (outputDir) => ({
  name: "corpus-file",
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts") === CORPUS
      ? { path: specifier(outputDir, join(root, "dist/corpus.js")), external: true }
      : undefined);
  },
});

const entryPoints = (entries) => Object.fromEntries(Object.entries(entries).map(([name, source]) => [name, join(root, source)]));
const options = {
  outdir: root,
  bundle: true,
  format: "esm",
  platform: "neutral",
  external: ["node:*"],
  target: "es2022",
  loader: { ".txt": "text" },
  legalComments: "none",
  logLevel: "warning",
};

rmSync(dist, { recursive: true, force: true });
rmSync(modules, { recursive: true, force: true });
// tsc checks the types and writes the declarations (with the unbundled modules beside them).
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--outDir", modules], { cwd: root, stdio: "inherit" });
cpSync(modules, dist, { recursive: true, filter: (path) => !path.endsWith(".js") });
cpSync(join(src, "minrnn.wasm.d.ts"), join(dist, "minrnn.wasm.d.ts"));

// Which output each source of the library lands in decides its relative paths: a first pass finds out.
const library = { ...options, entryPoints: entryPoints(LIBRARY), splitting: true, chunkNames: "dist/chunks/[name]-[hash]" };
const { metafile } = await build({ ...library, write: false, metafile: true, plugins: [relocate(() => root)] });
const landsIn = new Map();
for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
  for (const input of Object.keys(inputs)) landsIn.set(join(root, input), dirname(join(root, output)));
}
await Promise.all([
  build({ ...library, plugins: [relocate((source) => landsIn.get(source))] }),
  ...Object.entries(STANDALONE).map(([name, source]) => {
    const outputDir = dirname(join(root, name));
    return build({ ...options, entryPoints: { [name]: join(root, source) }, plugins: [corpusFile(outputDir), relocate(() => outputDir)] });
  }),
]);
chmodSync(join(root, EXECUTABLE), 0o755);
