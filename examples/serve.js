// A small static file server for the browser demo (`npm run demo`). It serves the
// repository root, so the page's worker imports /dist/index.js and the package finds
// /build/minrnn.wasm beside it, as it would from any static host. Local use only.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  // instantiateStreaming and compileStreaming accept only this type.
  ".wasm": "application/wasm",
};

export const DEMO_PATH = "/examples/browser/";

// Cross-origin isolation, which SharedArrayBuffer needs for training on several Web
// Workers at once. Everything the demo loads comes from this origin, so it is unaffected.
const ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

/**
 * Starts serving `root`; resolves to the server and its base URL once listening. With
 * `isolated: false` the COOP/COEP headers are left out, as on a host that cannot send them.
 */
export function serve({ root = fileURLToPath(new URL("..", import.meta.url)), port = 0, host = "127.0.0.1", isolated = true } = {}) {
  const base = resolve(root);
  const headers = isolated ? ISOLATION : {};
  const server = createServer((req, res) => {
    respond(base, headers, req, res).catch((err) => {
      res.writeHead(500, { "content-type": TYPES[".txt"] });
      res.end(`internal error: ${err.message}\n`);
    });
  });
  return new Promise((ready, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      ready({ server, url: new URL(`http://${host === "127.0.0.1" ? "localhost" : host}:${actual}/`) });
    });
  });
}

async function respond(base, headers, req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const { pathname } = new URL(req.url, "http://localhost");
  if (pathname === "/") {
    res.writeHead(302, { location: DEMO_PATH }).end();
    return;
  }
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400, { "content-type": TYPES[".txt"] }).end(`bad percent-encoding in ${pathname}\n`);
    return;
  }
  let file = resolve(base, `.${path}`);
  // A path that climbs out of the root (../, encoded or not) is not ours to serve.
  if (file !== base && !file.startsWith(base + sep)) return notFound(res, pathname);
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    if (!pathname.endsWith("/")) {
      res.writeHead(301, { location: `${pathname}/` }).end();
      return;
    }
    file = join(file, "index.html");
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return notFound(res, pathname);
  const body = await readFile(file);
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": body.length,
    // A development server: always the file as it is now.
    "cache-control": "no-store",
    ...headers,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function notFound(res, pathname) {
  res.writeHead(404, { "content-type": TYPES[".txt"] }).end(`not found: ${pathname}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 8080);
  try {
    const { url } = await serve({ port });
    console.log(`minrnn demo: ${new URL(DEMO_PATH, url)}  (Ctrl-C stops)`);
  } catch (err) {
    const hint = err.code === "EADDRINUSE" ? `; port ${port} is taken, choose another: PORT=8081 npm run demo` : "";
    console.error(`could not start the demo server: ${err.message}${hint}`);
    process.exit(1);
  }
}
