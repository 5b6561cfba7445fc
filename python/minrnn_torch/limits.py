"""Every limit minrnn's core and host put on a checkpoint, in one place. Each names where
minrnn defines it; tests/torch-bridge.test.js reads those sources and compares, so a
change on one side that the other misses fails a test instead of letting the two sides
accept different files."""

# assembly/layout.ts MAX_LAYERS (src/config.ts MAX_LAYERS repeats it): the core's tables
# have room for this many layers.
MAX_LAYERS = 16
# src/vocab.ts MAX_SYMBOLS (assembly/text.ts repeats it): the most symbols a vocabulary has.
MAX_SYMBOLS = 1 << 20
# src/config.ts checkConfig: the ranges of the config's whole numbers, (least, most).
HIDDEN = (1, 8192)
SEQ_LENGTH = (1, 100000)
BATCH = (1, 4096)
SEED = (0, 0xFFFFFFFF)
LR_DECAY_AFTER = (0, 2**31 - 1)
# src/model.ts MAX_INDEX: the most symbols a training text has (positions are int32).
MAX_INDEX = 2**31 - 1
# src/saved.ts readTraining: the iteration and Adam's step count are safe integers.
MAX_SAFE_INTEGER = 2**53 - 1
# src/checkpoint.ts MAX_HEADER_BYTES: far above any real header (a full Unicode
# vocabulary is about 8 MB of JSON).
MAX_HEADER_BYTES = 16 * 2**20
# src/node/checkpoint-read.ts MAX_DATA_BYTES: no model's tensors pass WebAssembly's 4 GiB.
MAX_DATA_BYTES = 2**32
