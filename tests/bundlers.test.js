// Bundlers: the README's Bundlers snippets built as a user builds them, from the packed
// package installed in a project, with esbuild (a page and a Node bundle), Rollup with
// node-resolve, Vite and webpack; each page trains and samples in Chromium and prints what
// Node prints. Where the bundler leaves the core behind, init() says what to pass. An app
// that does not import minrnn/corpus carries none of its text.
// Rollup, Vite and webpack are big, so they are installed on demand (INSTALL below, which
// .ci/run runs); Chromium is the Debian package. Each part is skipped with a notice where
// its tools are absent.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join, posix } from "node:path";
import { build } from "esbuild";
import { root } from "./helpers.js";
import { installedPackage } from "./packed.js";
import { snippet } from "./snippets.js";
import { serve } from "../examples/serve.js";

const CHROMIUM = "/usr/bin/chromium";
const TOOLS_DIR = join(root, ".tools/bundlers");
const TOOLS = ["rollup@4.68.8", "@rollup/plugin-node-resolve@16.0.3", "vite@8.4.0", "webpack@5.112.2"];
const INSTALL = `npm install --prefix .tools/bundlers --no-save --no-audit --no-fund ${TOOLS.join(" ")}`;
const toolsPresent = TOOLS.every((t) => existsSync(join(TOOLS_DIR, "node_modules", t.slice(0, t.lastIndexOf("@")), "package.json")));
const tool = (path) => join(TOOLS_DIR, "node_modules", path);
/** A line of the corpus, found in a bundle only if the bundle carries the corpus. */
const CORPUS_LINE = "Lantern Reach sits where the river Sallow grows wide";

const bundlers = suite("bundlers");
const ctx = {};

/** `dir` under the consumer project, with `files` ({ name: text }) written into it. */
function project(dir, files) {
  const at = join(ctx.work, dir);
  mkdirSync(at, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(at, name), text);
  return at;
}

/** The snippet as an app that does not use the corpus: what tree-shaking is measured on. */
const withoutCorpus = (code) => code.replace('import { corpus } from "minrnn/corpus";\n', "").replace("text: corpus", 'text: "a text of its own"');

/** The bytes of the JavaScript files under `dir` (not the .wasm), and whether one holds the corpus. */
function javascript(dir) {
  const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".js"));
  const texts = files.map((f) => readFileSync(join(dir, f), "utf8"));
  return { bytes: files.reduce((n, f) => n + statSync(join(dir, f)).size, 0), corpus: texts.some((t) => t.includes(CORPUS_LINE)) };
}

function run(command, args, cwd, env = {}) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 120000, env: { ...process.env, ...env } });
  assert.is(r.status, 0, `${command} ${args.join(" ")} failed: ${r.stderr}${r.stdout}`);
  return r;
}

/** The first console.log line of `path` on the test server, in Chromium (a page error fails). */
async function pageLog(path) {
  const page = await ctx.browser.newPage();
  try {
    const problems = [];
    const logged = new Promise((resolve, reject) => {
      page.on("console", (m) => (m.type() === "log" ? resolve(m.text()) : problems.push(m.text())));
      page.on("pageerror", (e) => reject(new Error(`${path}: ${e.message}`)));
      setTimeout(() => reject(new Error(`${path} logged nothing within 30 s; console: ${problems.join("; ")}`)), 30000);
    });
    await page.goto(new URL(path, ctx.server.url).href);
    return await logged;
  } finally {
    await page.close();
  }
}

const html = (script, type = "module") => `<!doctype html><meta charset="utf-8"><title>minrnn</title><script type="${type}" src="${script}"></script>\n`;

bundlers.before(async () => {
  const { dir } = installedPackage();
  ctx.work = join(dir, "bundlers");
  mkdirSync(ctx.work, { recursive: true });
  // Where a config file's imports (Rollup's plugin) resolve: the tools, as a project's own devDependencies.
  if (toolsPresent && !existsSync(join(ctx.work, "node_modules"))) symlinkSync(join(TOOLS_DIR, "node_modules"), join(ctx.work, "node_modules"));
  // What Node prints for both snippets, from the installed package without a bundler.
  ctx.expected = run(process.execPath, ["main.js"], project("node", { "main.js": snippet("main.js") })).stdout;
  ctx.sizes = [];
  if (existsSync(CHROMIUM)) {
    const { chromium } = await import("playwright-core");
    ctx.server = await serve({ root: ctx.work });
    ctx.browser = await chromium.launch({
      executablePath: CHROMIUM,
      // No sandbox (CI runs as root) and nothing that reaches the network by itself.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }
});

bundlers.after(async () => {
  await ctx.browser?.close();
  ctx.server?.server.close();
  if (ctx.sizes.length) {
    console.log("\n  bundle JavaScript bytes, with / without minrnn/corpus:");
    for (const { name, with: a, without: b } of ctx.sizes) console.log(`    ${name.padEnd(16)} ${String(a).padStart(7)} / ${String(b).padStart(7)}`);
  }
});

/**
 * Builds `code` and its corpus-free twin with `make(dir)` (which returns the output
 * folder), checks that only the first carries the corpus, and records both sizes.
 */
async function both(name, files, entry, make) {
  const full = await make(project(name, files));
  const lean = await make(project(`${name}-lean`, { ...files, [entry]: withoutCorpus(files[entry]) }));
  const [a, b] = [javascript(full), javascript(lean)];
  assert.ok(a.corpus, `${name}: the app that imports minrnn/corpus has no corpus in its bundle`);
  assert.not.ok(b.corpus, `${name}: the app that does not import minrnn/corpus still carries it`);
  ctx.sizes.push({ name, with: a.bytes, without: b.bytes });
  return full;
}

const binPath = { PATH: `${join(root, "node_modules/.bin")}${delimiter}${process.env.PATH}` };

bundlers("the package's JavaScript is its entries and the chunks they share, which import nothing else of the package but the core and the corpus", () => {
  const { pkgDir, files } = installedPackage();
  const scripts = files.filter((f) => f.endsWith(".js")).sort();
  const chunk = (path) => /^dist\/chunks\/[\w-]+\.js$/.test(path);
  assert.equal(scripts.filter((f) => !chunk(f)), ["dist/corpus.js", "dist/edge-light.js", "dist/index.js", "dist/node/cli/cli.js", "dist/node/index.js", "dist/node/threads/threads.js", "dist/node/threads/worker.js", "dist/threads/web-worker.js", "dist/threads/web.js", "dist/workerd.js"]);
  for (const file of scripts) {
    const imports = [...readFileSync(join(pkgDir, file), "utf8").matchAll(/^(?:import|export)\b[^"]*?"(\.{1,2}\/[^"]+)"/gm)]
      .map(([, path]) => posix.join(posix.dirname(file), path));
    assert.ok(imports.every((path) => chunk(path) || path === "dist/corpus.js" || /^build\/minrnn\.wasm(\?module)?$/.test(path)), `${file} imports ${imports.join(", ")}`);
  }
});

bundlers("esbuild: the README's commands make a page and a Node bundle that train and sample as Node does", async () => {
  const files = { "app.js": snippet("app.js"), "esbuild.sh": snippet("esbuild.sh") };
  const dir = await both("esbuild", files, "app.js", (at) => {
    run("sh", ["esbuild.sh"], at, binPath);
    return join(at, "public");
  });
  assert.ok(readdirSync(join(dir, "..", "server")).some((f) => f.endsWith(".wasm")), "the Node bundle's .wasm was not emitted");
  assert.is(run(process.execPath, ["server/app.js"], join(dir, "..")).stdout, ctx.expected);
  if (!ctx.browser) return console.log(`  skipped the esbuild page in Chromium: no ${CHROMIUM} (apt-get install chromium)`);
  writeFileSync(join(dir, "index.html"), html("app.js"));
  assert.is(`${await pageLog("esbuild/public/index.html")}\n`, ctx.expected);
});

bundlers("esbuild without the recipe: init() throws a MinrnnError that says what to pass, in a page, a script and a Node bundle", async () => {
  const at = project("esbuild-bare", { "init.js": readFileSync(join(root, "tests/bundlers/init-default.js"), "utf8") });
  const bundle = (outfile, options) => build({ entryPoints: [join(at, "init.js")], bundle: true, outfile: join(at, outfile), logLevel: "error", ...options });
  await bundle("node-esm.mjs", { platform: "node", format: "esm" });
  await bundle("node-cjs.cjs", { platform: "node", format: "cjs" });
  const remedy = /import wasm from "minrnn\/minrnn\.wasm".*init\(\{ module: wasm \}\).*Bundlers section/;
  const esm = run(process.execPath, ["node-esm.mjs"], at).stdout;
  assert.match(esm, /^MinrnnError NOT_INITIALIZED: could not read the minrnn core from \/\S+\/build\/minrnn\.wasm: ENOENT; /);
  assert.match(esm, remedy);
  const cjs = run(process.execPath, ["node-cjs.cjs"], at).stdout;
  assert.match(cjs, /^MinrnnError NOT_INITIALIZED: minrnn cannot locate its core: this code runs without import\.meta\.url/);
  assert.match(cjs, remedy);
  if (!ctx.browser) return console.log(`  skipped the esbuild pages in Chromium: no ${CHROMIUM} (apt-get install chromium)`);
  await bundle("page-esm.js", { platform: "browser", format: "esm" });
  await bundle("page-iife.js", { platform: "browser", format: "iife" });
  writeFileSync(join(at, "esm.html"), html("page-esm.js"));
  writeFileSync(join(at, "iife.html"), html("page-iife.js", "text/javascript"));
  const page = await pageLog("esbuild-bare/esm.html");
  assert.match(page, /^MinrnnError NOT_INITIALIZED: could not fetch the minrnn core from "http:\/\/\S+\/build\/minrnn\.wasm": HTTP 404; /);
  assert.match(page, remedy);
  const script = await pageLog("esbuild-bare/iife.html");
  assert.match(script, /^MinrnnError NOT_INITIALIZED: minrnn cannot locate its core: this code runs without import\.meta\.url/);
  assert.match(script, remedy);
});

bundlers("esbuild with the workerd condition keeps the entry's adoption of the core: a model is created at import, unawaited", async () => {
  const at = project("esbuild-workerd", {
    "worker.js": 'import { CharRNN } from "minrnn";\nconsole.log(String(CharRNN.create({ text: "hello, worker", hidden: 8, seqLength: 4 }).vocab.size));\n',
  });
  // What wrangler does with a .wasm import, in a form Node runs: the compiled Module.
  const compiledWasm = {
    name: "compiled-wasm",
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: join(args.resolveDir, args.path), namespace: "compiled-wasm" }));
      b.onLoad({ filter: /.*/, namespace: "compiled-wasm" }, (args) => ({
        contents: `import { readFileSync } from "node:fs"; export default new WebAssembly.Module(readFileSync(${JSON.stringify(args.path)}));`,
        resolveDir: at,
      }));
    },
  };
  await build({ entryPoints: [join(at, "worker.js")], bundle: true, format: "esm", platform: "node", conditions: ["workerd"], outfile: join(at, "out.mjs"), plugins: [compiledWasm], logLevel: "error" });
  assert.is(run(process.execPath, ["out.mjs"], at).stdout, `${new Set("hello, worker").size}\n`);
});

if (!toolsPresent) {
  bundlers("Rollup, Vite and webpack: skipped", () => console.log(`  skipped the Rollup, Vite and webpack builds: their tools are not installed (${INSTALL})`));
} else {
  bundlers("Rollup with node-resolve: the README's config makes a page that trains and samples as Node does, with no warning", async () => {
    const files = { "app.js": snippet("app.js"), "rollup.config.js": snippet("rollup.config.js") };
    const dir = await both("rollup", files, "app.js", (at) => {
      const r = run(process.execPath, [tool("rollup/dist/bin/rollup"), "-c"], at);
      assert.not.match(r.stderr, /\(!\)/, `Rollup warned: ${r.stderr}`);
      return join(at, "public");
    });
    if (!ctx.browser) return console.log(`  skipped the Rollup page in Chromium: no ${CHROMIUM} (apt-get install chromium)`);
    writeFileSync(join(dir, "index.html"), html("app.js"));
    assert.is(`${await pageLog("rollup/public/index.html")}\n`, ctx.expected);
  });

  bundlers("Vite: `vite build` with no setup, and the dev server with the README's config, make a page that trains and samples as Node does", async () => {
    const files = { "main.js": snippet("main.js"), "index.html": html("./main.js"), "vite.config.js": snippet("vite.config.js") };
    const dir = await both("vite", files, "main.js", (at) => {
      // --base ./: the test serves the page from a folder, not from the server's root.
      run(process.execPath, [tool("vite/bin/vite.js"), "build", "--base", "./", "--logLevel", "warn"], at);
      return join(at, "dist");
    });
    if (!ctx.browser) return console.log(`  skipped the Vite pages in Chromium: no ${CHROMIUM} (apt-get install chromium)`);
    assert.is(`${await pageLog("vite/dist/index.html")}\n`, ctx.expected);
    const { createServer } = await import(tool("vite/dist/node/index.js"));
    const dev = await createServer({ root: join(dir, ".."), logLevel: "warn", server: { host: "127.0.0.1" } });
    try {
      await dev.listen();
      assert.is(`${await pageLog(dev.resolvedUrls.local[0])}\n`, ctx.expected);
    } finally {
      await dev.close();
    }
  });

  bundlers("webpack 5: a production build with no setup makes a page that trains and samples as Node does", async () => {
    const webpack = createRequire(import.meta.url)(tool("webpack"));
    const files = { "main.js": snippet("main.js") };
    const dir = await both("webpack", files, "main.js", (at) => new Promise((resolve, reject) => {
      webpack({ mode: "production", context: at, entry: "./main.js", output: { path: join(at, "public") } }, (err, stats) => {
        if (err || stats.hasErrors()) reject(err ?? new Error(stats.toString("errors-only")));
        else resolve(join(at, "public"));
      });
    }));
    if (!ctx.browser) return console.log(`  skipped the webpack page in Chromium: no ${CHROMIUM} (apt-get install chromium)`);
    // A classic script: webpack's automatic publicPath reads document.currentScript.
    writeFileSync(join(dir, "index.html"), html("main.js", "text/javascript"));
    assert.is(`${await pageLog("webpack/public/index.html")}\n`, ctx.expected);
  });
}

bundlers("TypeScript: minrnn/minrnn.wasm and minrnn/corpus have types that init() and create() take", () => {
  const { dir } = installedPackage();
  const at = project("types", {
    "consumer.ts": [
      'import { init, CharRNN } from "minrnn";',
      'import { corpus } from "minrnn/corpus";',
      'import wasm from "minrnn/minrnn.wasm";',
      "await init({ module: wasm });",
      "export const model: CharRNN = CharRNN.create({ text: corpus });",
      "const wrong: number = wasm;",
    ].join("\n"),
  });
  for (const resolution of ["Bundler", "NodeNext"]) {
    writeFileSync(join(at, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: resolution === "NodeNext" ? "NodeNext" : "ESNext", moduleResolution: resolution, strict: true, noEmit: true, lib: ["ES2022", "DOM"], types: [] },
      files: ["consumer.ts"],
    }));
    const r = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json", "--pretty", "false"], { cwd: at, encoding: "utf8" });
    // The one error is the line that takes the import for a number: the rest type-checks.
    const errors = (r.stdout + r.stderr).split("\n").filter((l) => /error TS/.test(l));
    assert.equal(errors.map((l) => l.replace(/^.*consumer\.ts\((\d+),\d+\).*$/, "line $1")), ["line 6"], `${resolution} in ${dir}: ${r.stdout}`);
  }
});

bundlers.run();
