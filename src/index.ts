// minrnn: character-level recurrent networks trained and sampled in SIMD WebAssembly.
export { init, type InitOptions, type WasmSource } from "./core/wasm.js";
export {
  CharRNN,
  DEFAULTS,
  type CreateOptions,
  type LoadOptions,
  type ModelConfig,
  type Progress,
  type SampleOptions,
  type TrainOptions,
  type TrainAsyncOptions,
} from "./model/model.js";
export { Vocab, type VocabKind } from "./model/vocab.js";
export { MinrnnError, type ErrorCode } from "./errors.js";
export { corpus } from "./corpus.js";
