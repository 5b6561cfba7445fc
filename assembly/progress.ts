// Training progress: one f64 span in memory (the PROGRESS region) rather than module
// globals, so that the host reads and writes it as one view, a checkpoint takes it whole,
// and a second thread copies it without knowing what is inside.
export const P_ITERATION = 0;        // iterations done (exact to 2^53)
export const P_POSITION = 1;         // the next window's start in each stream's slice
export const P_SMOOTH_LOSS = 2;
export const P_LAST_LOSS = 3;        // the last iteration's loss (averaged over streams)
export const P_LEARNING_RATE = 4;    // the current rate as given; the core uses it as f32 (the schedule decays it)
export const P_ADAM_STEP = 5;        // Adam's step count: updates made (torch's `step`)
export const P_FAILURE = 6;          // why the last iteration made no update: 0 none, 1 loss not finite, 2 update not finite, 3 exploding
export const P_MAX_LOSS_RATIO = 7;   // char-rnn's explosion stop (0: off)
export const P_LOSS_START = 8;       // the smooth loss the ratio is taken against
export const PROGRESS_FIELDS = 9;

export const PROGRESS: usize = memory.data(PROGRESS_FIELDS * 8, 16);

@inline export function progress(field: i32): f64 { return load<f64>(PROGRESS + (<usize>field << 3)); }
@inline export function setProgress(field: i32, value: f64): void { store<f64>(PROGRESS + (<usize>field << 3), value); }

/** Every field 0: a model just laid out. */
export function resetProgress(): void { memory.fill(PROGRESS, 0, PROGRESS_FIELDS << 3); }
