// How much text fits in a request's CPU budget (Cloudflare's free plan: 10 ms of CPU per
// request), measured inside workerd: a measuring worker imports examples/edge/worker.js,
// calls its fetch and reads the whole streamed body, REPS times in a row. Two clocks:
// - wall: performance.now() in the isolate over the run, divided by REPS. workerd's clocks
//   tick in whole milliseconds (and in production stand still until I/O), so one request
//   cannot be timed; a run of them can. On a busy machine this includes time the thread
//   waited for a core.
// - cpu: the workerd process's user + system time (Linux /proc, in clock ticks of 10 ms)
//   over the same run, divided by REPS: what the platform bills, untouched by waiting.
//
//   node examples/edge/budget.js
import { Miniflare } from "miniflare";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXAMPLE, workerOptions } from "./modules.js";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));
const REPS = 100; // at 10 ms per clock tick, a run of 100 requests of ~1 ms each reads within 10 %
const ROUNDS = 2; // the fastest round counts
const TICK_MS = existsSync("/proc/self/stat") ? 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) : null;

/** CPU milliseconds used so far by this process's children (miniflare's workerd), or null off Linux. */
function childrenCpuMs() {
  if (TICK_MS === null) return null;
  let ticks = 0;
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    for (const pid of readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean)) {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  }
  return ticks * TICK_MS;
}

const MEASURE = `
import example from "./example.js";
export default {
  async fetch(request) {
    const { pathname, search } = new URL(request.url);
    const started = performance.now();
    let chars = 0;
    for (let i = 0; i < ${REPS}; i++) {
      const res = example.fetch(new Request("http://localhost" + pathname + search + "&seed=" + i));
      if (res.status !== 200) return res;
      const text = await res.text();
      chars = [...text].length;
    }
    return Response.json({ ms: (performance.now() - started) / ${REPS}, chars });
  },
};`;

/** { query, ms (wall), cpuMs (null off Linux), chars } per query, the fastest of ROUNDS runs of REPS requests. */
export async function measure(queries, { root = REPOSITORY, packageDir = REPOSITORY } = {}) {
  const options = workerOptions({ root, packageDir, workerSource: MEASURE });
  options.modules.splice(1, 0, { type: "ESModule", path: join(root, "example.js"), contents: readFileSync(join(EXAMPLE, "worker.js"), "utf8") });
  const mf = new Miniflare(options);
  try {
    const results = [];
    for (const query of queries) {
      let ms = Infinity, cpuMs = Infinity, chars = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const cpuBefore = childrenCpuMs();
        const res = await mf.dispatchFetch(`http://localhost/${query}`);
        if (res.status !== 200) throw new Error(`${query}: ${res.status} ${await res.text()}`);
        const r = await res.json();
        ms = Math.min(ms, r.ms);
        if (cpuBefore !== null) cpuMs = Math.min(cpuMs, (childrenCpuMs() - cpuBefore) / REPS);
        chars = r.chars;
      }
      results.push({ query, ms, cpuMs: TICK_MS === null ? null : cpuMs, chars });
    }
    return results;
  } finally {
    await mf.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lengths = [0, 100, 500, 1000, 2000];
  const prime = encodeURIComponent("ODA: ".repeat(100)); // 500 characters, the cap
  // The same requests of each route: "" (the vanilla model) and "lstm".
  const queries = ["", "lstm"].flatMap((route) => [...lengths.map((n) => `?length=${n}`), `?length=0&prime=${prime}`, `?length=2000&prime=${prime}`].map((q) => route + q));
  console.log("request                                characters   ms per request: wall   cpu");
  for (const { query, ms, cpuMs, chars } of await measure(queries)) {
    const shown = `/${query.replace(prime, "(500 characters)")}`;
    console.log(`${shown.padEnd(40)} ${String(chars).padStart(6)}   ${ms.toFixed(2).padStart(18)}   ${cpuMs?.toFixed(2) ?? "–"}`);
  }
}
