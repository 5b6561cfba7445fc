// The host's module graph, read from src/: no import cycles (type imports included), and
// the portable host (everything outside src/node/) imports nothing from Node.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { root } from "./helpers.js";

const SRC = join(root, "src");

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []);
}

/** Every module specifier a file imports or re-exports (static, type-only and dynamic). */
function specifiers(file) {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gms), ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)];
  return found.map((m) => m[1]);
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, specifiers(f).filter((s) => s.startsWith(".")).map((s) => resolve(dirname(f), s).replace(/\.js$/, ".ts"))
  .filter((target) => target.startsWith(SRC) && !target.endsWith(".wasm"))]));

test("src/ has no import cycle", () => {
  const state = new Map();   // file → "open" while on the path, "done" after
  const path = [];
  const visit = (file) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      const cycle = path.slice(path.indexOf(file)).concat(file).map((f) => relative(SRC, f));
      assert.unreachable(`import cycle: ${cycle.join(" → ")}`);
    }
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    path.pop();
    state.set(file, "done");
  };
  for (const file of files) visit(file);
  assert.ok(files.length > 10, `read ${files.length} files`);
});

test("the portable host imports nothing from Node; only src/node/ may", () => {
  for (const file of files.filter((f) => !relative(SRC, f).startsWith("node/"))) {
    const nodeImports = specifiers(file).filter((s) => s.startsWith("node:") || /^(fs|path|os|url|worker_threads|child_process)$/.test(s));
    assert.equal(nodeImports, [], relative(SRC, file));
    for (const target of graph.get(file)) assert.not.ok(relative(SRC, target).startsWith("node/"), `${relative(SRC, file)} imports ${relative(SRC, target)}`);
  }
});

test.run();
