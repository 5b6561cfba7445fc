// How many training iterations to run before the worker looks at its messages again.
// A fixed count cannot serve every size: 200 iterations take 20 ms at hidden 100 and
// 2.3 s at hidden 1024. So chunks are sized by time: each chunk's duration sets the
// next one's count, aiming at TARGET_MS, so Stop waits at most about that long (or one
// iteration, where a single iteration takes longer).
const TARGET_MS = 30;
const GROWTH = 2; // at most this factor between chunks: one quick chunk (a warm cache) cannot overshoot far

export class Pacer {
  /** Iterations for the next chunk. */
  size = 1;
  /** Milliseconds per iteration in the last chunk. */
  iterationMs = 0;

  record(iterations, ms) {
    this.iterationMs = ms / iterations;
    const fit = Math.floor(TARGET_MS / Math.max(this.iterationMs, 1e-3));
    this.size = Math.max(1, Math.min(fit, this.size * GROWTH));
  }
}

/** Resolves in a new task, after messages already queued (a Stop) have been handled. */
export function nextTask() {
  // Not setTimeout: nested timeouts are clamped to 4 ms, a tenth of every chunk.
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
