// The regions of memory a host may view, by number: the ABI's one enumeration, mirrored
// by src/core/regions.ts (tests/exports.test.js checks the two against the testing build).
// Those of a shard take its index as `i` in regionPtr/regionBytes.
export const REGION_PARAMS = 0;        // the parameters [NP]; tensors at the table's offsets
export const REGION_GRADS = 1;         // the total gradient [NP], the parameters' layout
export const REGION_SHARD_GRADS = 2;   // the buffer shards after the first accumulate into [NP]
export const REGION_SLOTS = 3;         // the optimizer's slots, one [NP] layout after another
export const REGION_WEIGHTS = 4;       // parameters and every slot, one span (what a thread copies)
export const REGION_STATE = 5;         // the carried state of every stream [B][L][S][HP]
export const REGION_SHARD_STATE = 6;   // the carried state of shard i's streams, one span
export const REGION_SAMPLER_STATE = 7; // the sampler's carried state [L][S][HP]
export const REGION_OUT = 8;           // sampled indices [outCapacity] u32
export const REGION_RNG = 9;           // the PRNG state [4] u32
export const REGION_DATA = 10;         // the training text's indices
export const REGION_VALIDATION = 11;   // the held-out text's indices
export const REGION_PROGRESS = 12;     // the progress span (progress.ts), f64
export const REGION_TABLE = 13;        // the table's records
export const REGION_LIMITS = 14;       // i32: most layers, most symbols
export const REGION_TEXT = 15;         // UTF-8 text to index (textScratch sizes it)
export const REGION_SYMBOLS = 16;      // u32 code points: textSymbols' output, textIndices' input

