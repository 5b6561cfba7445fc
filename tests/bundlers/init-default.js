// init() where the bundler left the core behind: prints what it threw, so the test can
// read it from a page's console or a process's stdout. No top-level await: the script
// (iife) and CommonJS builds have none.
import { init } from "minrnn";

init().then(() => console.log("initialized"), (e) => console.log(`${e.name} ${e.code}: ${e.message}`));
