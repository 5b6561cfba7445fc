// How much text fits in a request's CPU budget (Cloudflare's free plan: 10 ms of CPU per
// request), measured inside workerd: a measuring worker imports examples/edge/worker.js,
// calls its fetch and reads the whole streamed body, `REPS` times in a row, and divides
// the elapsed time by REPS. workerd's clocks tick in whole milliseconds (and in production
// stand still until I/O), so one request cannot be timed; a run of them can. Nothing else
// runs in the isolate meanwhile, so on an idle machine this is the handler's CPU time.
//
//   node examples/edge/budget.js
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXAMPLE, workerOptions } from "./modules.js";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));
const REPS = 40;
const ROUNDS = 3; // the fastest round counts: the others include time the machine spent elsewhere

const MEASURE = `
import example from "./example.js";
export default {
  async fetch(request) {
    const query = new URL(request.url).search;
    const started = performance.now();
    let chars = 0;
    for (let i = 0; i < ${REPS}; i++) {
      const res = example.fetch(new Request("http://localhost/" + query + "&seed=" + i));
      if (res.status !== 200) return res;
      const text = await res.text();
      chars = [...text].length;
    }
    return Response.json({ ms: (performance.now() - started) / ${REPS}, chars });
  },
};`;

/** Milliseconds per request for each query, the fastest of ROUNDS runs of REPS requests. */
export async function measure(queries, { root = REPOSITORY, packageDir = REPOSITORY } = {}) {
  const options = workerOptions({ root, packageDir, workerSource: MEASURE });
  options.modules.splice(1, 0, { type: "ESModule", path: join(root, "example.js"), contents: readFileSync(join(EXAMPLE, "worker.js"), "utf8") });
  const mf = new Miniflare(options);
  try {
    const results = [];
    for (const query of queries) {
      let best = Infinity, chars = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const res = await mf.dispatchFetch(`http://localhost/${query}`);
        if (res.status !== 200) throw new Error(`${query}: ${res.status} ${await res.text()}`);
        const r = await res.json();
        best = Math.min(best, r.ms);
        chars = r.chars;
      }
      results.push({ query, ms: best, chars });
    }
    return results;
  } finally {
    await mf.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lengths = [0, 100, 200, 500, 1000, 2000, 3000, 5000];
  const queries = [...lengths.map((n) => `?length=${n}`), `?length=0&prime=${encodeURIComponent("ODA: ".repeat(40))}`];
  console.log("request                          chars   ms per request (in workerd)");
  for (const { query, ms, chars } of await measure(queries)) console.log(`${query.slice(0, 32).padEnd(32)} ${String(chars).padStart(6)}   ${ms.toFixed(2)}`);
}
