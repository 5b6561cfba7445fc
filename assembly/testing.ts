// The core with test hooks, its kernel entry points and the peak probe, for the tests and benchmarks only
// (build/minrnn.testing.wasm, loaded with init({ module })): each SIMD kernel and the
// scalar form it is checked against, over byte offsets the caller lays out (REGION_TEXT
// after textScratch is free room), and hooks into training's internals. The release .wasm
// has none of these.
import * as L from "./layout";
import { K_HS, K_MASK } from "./cells";
import { masksFrozen } from "./train";

export * from "./index";
export * from "./regions";
export { PROGRESS_FIELDS, P_ITERATION, P_POSITION, P_SMOOTH_LOSS, P_LAST_LOSS, P_LEARNING_RATE, P_ADAM_STEP, P_FAILURE, P_MAX_LOSS_RATIO, P_LOSS_START } from "./progress";
export { gradients, shardStart } from "./train";
export {
  PHASE_START, PHASE_BEGIN, PHASE_SHARD, PHASE_FOLD, PHASE_VERDICT, PHASE_NORMS, PHASE_COEF, PHASE_PROVE,
  PHASE_WRITE, PHASE_SET_BOUNDS, PHASE_REFUSE, PHASE_COMMIT,
} from "./shards";
export { matmulAcc, matmulTAcc, outerAcc, packRowPanels, packColPanels } from "./simd";
export { peakProbe } from "./peak";
export { expArray, tanhArray } from "./fastmath";
export { clipAdagrad, clipAdam, clipRmsprop } from "./optim";
export {
  matmulAccScalar, matmulTAccScalar, outerAccScalar,
  expArrayScalar, tanhArrayScalar, clipAdagradScalar, clipAdamScalar, clipRmspropScalar,
} from "./scalar";

/** Keep the last dropout masks in the next windows (a gradient check with one fixed mask). */
export function freezeMasks(frozen: bool): void { masksFrozen = frozen; }

/** Layer l's dropout mask of the whole batch, [B][T][HP]. */
export function maskPtr(l: i32): usize { return L.buf(L.TRAIN_BASE, l, K_MASK); }

/** Stream 0's shard's h[0..T] of layer l from the last forward pass, [T+1, N, HP]. */
export function hiddenStatesPtr(l: i32): usize {
  L.bindShard(0);
  return L.buf(L.BOUND, l, K_HS);
}

/** Floats in one padded state vector (H rounded up to 4). */
export function stateStride(): i32 { return L.HP; }
