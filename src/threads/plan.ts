// Which part of an iteration each of N threads runs: a contiguous range of the model's
// shards (the streams' gradients) and a contiguous slice of the parameters (the fold of
// every shard's gradients there, the norm's blocks there, the update there). Slices are
// whole blocks of the core's norm (normBlock floats), the last one ending at paramCount,
// so that sums over the parameters come out the same for any N.

export interface ThreadPart {
  /** Shards [firstShard, endShard). */
  firstShard: number;
  endShard: number;
  /** Parameter floats [from, to). */
  from: number;
  to: number;
}

/** Thread t of `threads` gets shards [⌊t·S/N⌋, ⌊(t+1)·S/N⌋) and blocks likewise. */
export function planThreads(threads: number, shards: number, paramCount: number, block: number): ThreadPart[] {
  const blocks = Math.ceil(paramCount / block);
  const cut = (t: number, count: number) => Math.floor((t * count) / threads);
  return Array.from({ length: threads }, (_, t) => ({
    firstShard: cut(t, shards),
    endShard: cut(t + 1, shards),
    from: Math.min(cut(t, blocks) * block, paramCount),
    to: Math.min(cut(t + 1, blocks) * block, paramCount),
  }));
}
