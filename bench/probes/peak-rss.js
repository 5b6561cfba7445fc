// Child process: trains H 100, T 25 on a text file for N iterations and prints the
// process's peak resident set (process.resourceUsage().maxRSS, KiB) as one JSON line.
// Usage: node bench/probes/peak-rss.js FILE N     (no FILE: an empty process's figure)
import { readFileSync } from "node:fs";

const [file, iterations = "2000"] = process.argv.slice(2);
if (file) {
  const { init, CharRNN } = await import("minrnn");
  await init();
  const model = CharRNN.create({ text: readFileSync(file, "utf8") });
  model.train({ iterations: Number(iterations) });
}
console.log(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
