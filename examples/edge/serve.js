// `npm run edge`: examples/edge/worker.js (both routes) in workerd (Cloudflare's
// runtime) through miniflare, on localhost, with the repository's build as the `minrnn`
// package (it does not build first: starting stays quick, and `npm install` has built).
import { Miniflare } from "miniflare";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { workerOptions } from "./modules.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const port = Number(process.env.PORT ?? 8787);
if (!existsSync(new URL("../../build/minrnn.wasm", import.meta.url)) || !existsSync(new URL("../../dist/workerd.js", import.meta.url))) {
  console.error("the package is not built: run npm run build, then npm run edge");
  process.exit(1);
}

// Loopback only: a development server, not one for the network.
const mf = new Miniflare({ ...workerOptions({ root, packageDir: root }), host: "127.0.0.1", port });
let url;
try {
  url = await mf.ready;
} catch (err) {
  const hint = /EADDRINUSE|address already in use/i.test(err.message) ? `; port ${port} is taken, choose another: PORT=8788 npm run edge` : "";
  console.error(`could not start the edge worker: ${err.message}${hint}`);
  process.exit(1);
}
console.log(`minrnn edge worker: ${new URL("?prime=ODA:&length=300&temperature=0.8", url)}  (the LSTM at /lstm; Ctrl-C stops)`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await mf.dispose();
    process.exit(0);
  });
}
