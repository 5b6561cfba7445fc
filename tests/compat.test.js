// Checkpoints written by minrnn 0.1.0 (commit e7599ef; tests/fixtures/v0.1.0, written by
// that build from the built-in corpus's first 6,000 characters with seed 7) still load and
// resume exactly: 30 more iterations from its iteration-40 file give the bytes of its
// iteration-70 file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { init, CharRNN, corpus } from "minrnn";

await init();
const text = corpus.slice(0, 6000);
const fixture = (name) => readFileSync(new URL(`./fixtures/v0.1.0/${name}.safetensors`, import.meta.url));

for (const name of ["b1", "b3", "bytes"]) {
  test(`a 0.1.0 checkpoint (${name}) resumes bit for bit`, () => {
    const data = name === "bytes" ? { bytes: new TextEncoder().encode(text) } : { text };
    const model = CharRNN.load(fixture(`${name}-40`), data);
    assert.is(model.iteration, 40);
    model.train({ iterations: 30 });
    assert.ok(Buffer.from(model.save()).equals(fixture(`${name}-70`)), "the bytes of 0.1.0's iteration-70 checkpoint");
    model.dispose();
  });
}

test.run();
