// The core with its kernel entry points and the peak probe, for the kernel tests and benchmarks only
// (build/minrnn.testing.wasm): each SIMD kernel and the scalar form it is checked
// against, over byte offsets the caller lays out (dataPtr() after reserveData is free
// room). The release .wasm has none of these: training never goes through them.
export * from "./index";
export { matmulAcc, matmulTAcc, outerAcc, packRowPanels, packColPanels } from "./simd";
export { expArray, tanhArray } from "./fastmath";
export { clipAdagrad, clipAdam, clipRmsprop } from "./optim";
export {
  matmulAccScalar, matmulTAccScalar, outerAccScalar,
  expArrayScalar, tanhArrayScalar, clipAdagradScalar, clipAdamScalar, clipRmspropScalar,
} from "./scalar";
export { peakProbe } from "./peak";
