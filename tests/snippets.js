// The code blocks of README.md, by the name after their language (```js app.mjs):
// the tests run the documentation's snippets as written, so the docs cannot drift.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { init, CharRNN } from "minrnn";
import { corpus } from "minrnn/corpus";
import { root } from "./helpers.js";

const DOC = join(root, "README.md");

export function snippet(name) {
  const blocks = readFileSync(DOC, "utf8").matchAll(/^```\w+ (\S+)\n([\s\S]*?)^```$/gm);
  for (const [, blockName, code] of blocks) if (blockName === name) return code;
  throw new Error(`${DOC} has no code block named ${name}`);
}

/** The sample that app.mjs, worker.js and init-module.mjs end with, computed in this process. */
export async function snippetSample() {
  await init();
  const model = CharRNN.create({ text: corpus, hidden: 64, seed: 7 });
  model.train({ iterations: 300 });
  const sample = model.sample({ length: 200, temperature: 0.8, seed: 3 });
  model.dispose();
  return sample;
}
