// A checkpoint's training progress checked against its config and text length: the core
// indexes the text at the saved position, so a position the run could never have reached
// must be refused before it gets there.
import type { ModelConfig } from "../model/config.js";

/** What is inconsistent in a saved position (null if nothing): see the rules below. */
export function trainingConsistency(t: { iteration: number; position: number; textLength: number }, config: ModelConfig): string | null {
  const { seqLength: T, batch: B } = config;
  // A text shorter than one window in every stream was never trained on (create refuses it).
  if (t.textLength !== 0 && t.textLength < B * (T + 1)) {
    return `a text of ${t.textLength} symbols is shorter than seqLength + 1 = ${T + 1} in each of ${B} streams`;
  }
  // Training moves by whole windows from 0 and wraps before a window leaves its stream's slice.
  const slice = Math.floor(t.textLength / B);
  if (t.position > slice) return `position ${t.position} is beyond the ${slice} symbols of ${B > 1 ? "each stream's slice of " : ""}its text (${t.textLength} in all)`;
  if (t.position % T !== 0) return `position ${t.position} is not a multiple of seqLength ${T}`;
  if (t.iteration === 0 && t.position !== 0) return `position ${t.position} at iteration 0, where training starts at 0`;
  return null;
}
