// Where the runtimes that only some tests need are: Deno, Bun and workerd (through
// miniflare). A contributor's `npm install` leaves them out; `npm run tools` (which
// `.ci/run` and `npm run test:runtimes` call) installs them into .tools/. Where one is
// absent, its tests are skipped with a printed notice.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./helpers.js";

const TOOLS = join(root, ".tools/node_modules");

function notice(what, tests) {
  console.log(`  skipped ${tests}: ${what} is not installed (npm run tools installs it into .tools/ and links it)`);
}

/** The path of `command` (deno, bun, workerd), or null with a notice that `tests` are skipped. */
export function toolCommand(command, tests) {
  const path = join(TOOLS, ".bin", command);
  if (existsSync(path)) return path;
  notice(command, tests);
  return null;
}

/**
 * The module `name` (miniflare), or null with a notice that `tests` are skipped. Resolved
 * from the repository, as the code under test imports it: through the link that
 * `npm run tools` makes in node_modules/ (which a later `npm install` removes).
 */
export async function importTool(name, tests) {
  if (!existsSync(join(root, "node_modules", name, "package.json"))) {
    notice(name, tests);
    return null;
  }
  return import(pathToFileURL(createRequire(join(root, "package.json")).resolve(name)).href);
}
