// The demo's static server (examples/serve.js): the types browsers insist on, and nothing
// served from outside the repository.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { request } from "node:http";
import { serve, DEMO_PATH } from "../examples/serve.js";
import { root } from "./helpers.js";

const { server, url } = await serve({ root });

/** A GET with the path sent exactly as given (fetch would normalize ../ away). */
function get(path, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: url.port, path, method }, (res) => {
      res.resume();
      res.on("end", () => resolve(res));
    });
    req.on("error", reject);
    req.end();
  });
}

test("serves the core as application/wasm and the page as HTML; / leads to the demo", async () => {
  const wasm = await get("/build/minrnn.wasm");
  assert.is(wasm.statusCode, 200);
  assert.is(wasm.headers["content-type"], "application/wasm");
  assert.is((await get("/dist/index.js")).headers["content-type"], "text/javascript; charset=utf-8");
  const page = await get(DEMO_PATH);
  assert.is(page.headers["content-type"], "text/html; charset=utf-8");
  // Cross-origin isolation, for SharedArrayBuffer (threads in the browser).
  assert.is(page.headers["cross-origin-opener-policy"], "same-origin");
  assert.is(page.headers["cross-origin-embedder-policy"], "require-corp");
  const home = await get("/");
  assert.is(home.statusCode, 302);
  assert.is(home.headers.location, DEMO_PATH);
});

test("refuses paths outside the root, bad encodings, and methods other than GET and HEAD", async () => {
  for (const path of ["/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/no-such-file"]) {
    assert.is((await get(path)).statusCode, 404, path);
  }
  assert.is((await get("/%E0%A4%A")).statusCode, 400);
  assert.is((await get("/package.json", "POST")).statusCode, 405);
});

test.after(() => server.close());
test.run();
