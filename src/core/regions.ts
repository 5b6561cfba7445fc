// The core's enumerations, as its ABI fixes them: the regions of memory a host may view
// (assembly/regions.ts), the fields of the progress span (assembly/progress.ts) and the
// phases of a threaded iteration (assembly/shards.ts). tests/exports.test.js checks them
// against the testing build's exports.

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
  BLOCK_SUMS: 17,
  BOUNDS: 18,
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

/** The phases of one iteration on N threads, for phase(k, a, b, x) (assembly/shards.ts says what each takes). */
export const Phase = {
  START: 0,
  BEGIN: 1,
  SHARD: 2,
  FOLD: 3,
  VERDICT: 4,
  NORMS: 5,
  COEF: 6,
  PROVE: 7,
  WRITE: 8,
  SET_BOUNDS: 9,
  REFUSE: 10,
  COMMIT: 11,
} as const;

/** Why an iteration made no update (Progress.FAILURE). */
export const Failure = { NONE: 0, LOSS: 1, UPDATE: 2, EXPLODING: 3 } as const;

/** The table's record kinds and roles (assembly/layout.ts). */
export const Kind = { PARAM: 0, CARRIED: 1 } as const;
export const Role = { W_IH: 0, W_HH: 1, B_IH: 2, B_HH: 3, DECODER_W: 4, DECODER_B: 5, H: 6, C: 7 } as const;
