#!/usr/bin/env node
// `npm start` in a clone: `minrnn train` with the arguments after `--`, run from this
// checkout's build. In a clone, `npx minrnn` would not find the command (npm links no
// package's own bin into its node_modules/.bin), install the clone into npx's cache with
// a full build, and an interrupted install there breaks npx for good. Here the command
// runs in this process: its output starts at once, and Ctrl-C reaches it directly.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ensureBuilt } from "./ensure-built.js";

const root = fileURLToPath(new URL("..", import.meta.url));
ensureBuilt("minrnn: building the core, once, about 10 s (npm run build)");
const { bin } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const command = join(root, bin.minrnn);
// The command reads its arguments from process.argv when it is imported.
process.argv = [process.argv[0], command, "train", ...process.argv.slice(2)];
await import(pathToFileURL(command).href);
