// Child process: cold start of the package in a fresh Node process, in milliseconds:
// import, compile the .wasm (init), then instantiate + create a model (configure,
// weight init, vocabulary, text copy). Prints one JSON line.
// Usage: node bench/probes/cold-start.js [CHARS]   (the first CHARS of the built-in
// corpus as the text; default all of it, about 31,000)
const t0 = performance.now();
const { init, CharRNN, corpus } = await import("minrnn");
const t1 = performance.now();
const chars = Number(process.argv[2] ?? corpus.length);
const text = corpus.slice(0, chars);
await init();
const t2 = performance.now();
const model = CharRNN.create({ text });
const t3 = performance.now();
model.dispose();
console.log(JSON.stringify({ chars: text.length, importMs: t1 - t0, compileMs: t2 - t1, createMs: t3 - t2, coldStartMs: t3 - t1 }));
