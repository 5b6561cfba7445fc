// The core's two enumerations, as its ABI fixes them: the regions of memory a host may view
// (assembly/regions.ts) and the fields of the progress span (assembly/progress.ts).
// tests/exports.test.js checks both against the testing build's exports.

export const Region = {
  PARAMS: 0,
  GRADS: 1,
  SHARD_GRADS: 2,
  SLOTS: 3,
  WEIGHTS: 4,
  STATE: 5,
  SHARD_STATE: 6,
  SAMPLER_STATE: 7,
  OUT: 8,
  RNG: 9,
  DATA: 10,
  VALIDATION: 11,
  PROGRESS: 12,
  TABLE: 13,
  LIMITS: 14,
  TEXT: 15,
  SYMBOLS: 16,
} as const;
export type RegionName = keyof typeof Region;

export const Progress = {
  ITERATION: 0,
  POSITION: 1,
  SMOOTH_LOSS: 2,
  LAST_LOSS: 3,
  LEARNING_RATE: 4,
  ADAM_STEP: 5,
  FAILURE: 6,
  MAX_LOSS_RATIO: 7,
  LOSS_START: 8,
} as const;

/** Why an iteration made no update (Progress.FAILURE). */
export const Failure = { NONE: 0, LOSS: 1, UPDATE: 2, EXPLODING: 3 } as const;

/** The table's record kinds and roles (assembly/layout.ts). */
export const Kind = { PARAM: 0, CARRIED: 1 } as const;
export const Role = { W_IH: 0, W_HH: 1, B_IH: 2, B_HH: 3, DECODER_W: 4, DECODER_B: 5, H: 6, C: 7 } as const;
