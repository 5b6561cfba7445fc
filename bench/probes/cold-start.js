// Child process: cold start of the package in a fresh Node process, in milliseconds:
// import, compile the .wasm (init), then instantiate + create a model (configure,
// weight init, vocabulary, text copy). Prints one JSON line. The built-in corpus, only
// the text here, is imported apart (corpusMs) and counts in neither.
// Usage: node bench/probes/cold-start.js [CHARS]   (the first CHARS of the built-in
// corpus as the text; default all of it, about 31,000)
const t0 = performance.now();
const { init, CharRNN } = await import("minrnn");
const t1 = performance.now();
const { corpus } = await import("minrnn/corpus");
const chars = Number(process.argv[2] ?? corpus.length);
const text = corpus.slice(0, chars);
const t2 = performance.now();
await init();
const t3 = performance.now();
const model = CharRNN.create({ text });
const t4 = performance.now();
model.dispose();
console.log(JSON.stringify({ chars: text.length, importMs: t1 - t0, corpusMs: t2 - t1, compileMs: t3 - t2, createMs: t4 - t3, coldStartMs: t4 - t2 }));
