import { escapeControl } from "./escape.js";

/** Stable machine-readable codes; messages say what was wrong and what to do. */
export type ErrorCode =
  | "INVALID_ARGUMENT"   // an option out of range or of the wrong type
  | "INVALID_TEXT"       // empty, too short, one symbol, or characters outside the vocabulary
  | "INVALID_STATE"      // a state dict with a wrong name or length
  | "INVALID_CHECKPOINT" // a truncated, corrupted or foreign checkpoint
  | "OUT_OF_MEMORY"      // the model does not fit in WebAssembly memory
  | "DIVERGED"           // the loss became NaN or infinite; weights were kept
  | "THREAD_FAILED"      // a training thread threw or stopped answering; weights were kept
  | "NOT_INITIALIZED"    // init() has not completed
  | "UNSUPPORTED"        // the runtime lacks a WebAssembly feature the request needs
  | "DISPOSED";          // the model was disposed

export class MinrnnError extends Error {
  readonly code: ErrorCode;
  /** Messages quote files (tensor names, vocabularies): their control characters arrive escaped. */
  constructor(code: ErrorCode, message: string) {
    super(escapeControl(message));
    this.name = "MinrnnError";
    this.code = code;
  }
}
