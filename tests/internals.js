// The internals that tests reach (tests/helpers.js), built with the package's entries by
// scripts/build-js.js into build/test-internals.js, so that they share the entries' module
// instances (the model registry stateOf reads, the core that init() compiled).
export { stateOf } from "../src/model/model.js";
export { initWith, compiledModuleIfAny } from "../src/core/wasm.js";
